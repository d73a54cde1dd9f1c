// Alpine components of the "Me" area: check-in, points, tasks, ledger, leaderboard, inbox.
(function () {
  "use strict";
  const { api } = window.tuanjuApi;

  function onRealtime(handler) {
    if (window.tuanjuRealtime) window.tuanjuRealtime.onEvent(handler);
  }

  window.checkinCard = function () {
    return {
      status: null,
      busy: false,
      message: "",
      async load() {
        this.status = await api("/api/v1/checkins/");
      },
      async checkIn() {
        this.busy = true;
        this.message = "";
        try {
          const result = await api("/api/v1/checkins/", { method: "POST" });
          this.message = `+${result.points_awarded} points · day ${result.streak}`;
          await this.load();
          window.dispatchEvent(new CustomEvent("tuanju:loyalty-changed"));
        } catch (error) {
          this.message = error.message;
        } finally {
          this.busy = false;
        }
      },
    };
  };

  window.pointsCard = function (initialBalance, initialGrowth, threshold) {
    return {
      balance: initialBalance,
      growth: initialGrowth,
      threshold,
      get percent() {
        return this.threshold ? Math.min(100, Math.round((100 * this.growth) / this.threshold)) : 100;
      },
      start() {
        onRealtime((event) => {
          if (event.type === "community.points.changed") this.balance = event.data.balance;
        });
        window.addEventListener("tuanju:loyalty-changed", () => this.refresh());
      },
      async refresh() {
        const me = await api("/api/v1/me/");
        this.balance = me.points_balance;
        this.growth = me.growth_value;
        if (me.next_tier) this.threshold = me.next_tier.threshold;
      },
    };
  };

  window.tasksCard = function () {
    return {
      tasks: [],
      async load() {
        this.tasks = (await api("/api/v1/tasks/")).results;
      },
      start() {
        this.load();
        window.addEventListener("tuanju:loyalty-changed", () => this.load());
      },
    };
  };

  window.ledgerCard = function () {
    return {
      entries: [],
      next: "/api/v1/points/ledger/",
      loading: false,
      async more() {
        if (!this.next || this.loading) return;
        this.loading = true;
        try {
          const page = await api(this.next);
          this.entries.push(...page.results);
          this.next = page.next;
        } finally {
          this.loading = false;
        }
      },
      start() {
        this.more();
        window.addEventListener("tuanju:loyalty-changed", () => {
          this.entries = [];
          this.next = "/api/v1/points/ledger/";
          this.more();
        });
      },
    };
  };

  window.leaderboardCard = function () {
    return {
      period: "week",
      rows: [],
      async load(period) {
        this.period = period || this.period;
        const body = await api(`/api/v1/points/leaderboard/?period=${this.period}`);
        this.rows = body.results;
      },
    };
  };

  window.inbox = function () {
    return {
      prefs: {},
      async loadPrefs() {
        this.prefs = (await api("/api/v1/notifications/preferences/")).muted;
      },
      async toggle(type) {
        const muted = !this.prefs[type];
        this.prefs = (await api("/api/v1/notifications/preferences/", {
          method: "PUT", body: { muted: { [type]: muted } },
        })).muted;
      },
      async markAllRead(upToSeq) {
        await api("/api/v1/notifications/read/", { method: "POST", body: { up_to_seq: upToSeq } });
        document.querySelectorAll("[data-notification].unread").forEach((el) => el.classList.remove("unread"));
      },
    };
  };
})();
