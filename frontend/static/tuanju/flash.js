// Flash sales, on the sale's page and on each row of the list: a countdown ticked locally against
// the server's clock, stock and state kept live from groupbuy.flash_sale:<id>, buying and
// reminders through the REST API (the page only). The topic is ephemeral (seq null): after a
// reconnect each sale re-reads GET /flash-sales/{id}/.
(function () {
  "use strict";
  const api = window.tuanjuApi.api;
  // The list watches its first sales only: every socket has a subscription cap.
  const WATCHED_ROWS = 20;

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function duration(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return (h ? `${h}:` : "") + `${pad(m)}:${pad(s)}`;
  }

  const roots = Array.from(document.querySelectorAll("[data-flash-sale]"));
  roots.forEach((root, index) => liveSale(root, index < WATCHED_ROWS));

  function liveSale(root, watched) {
    const saleId = Number(root.dataset.flashSale);
    const el = (selector) => root.querySelector(selector);
    const statusBadge = el("[data-flash-status]");
    const countdown = el("[data-countdown]");
    const stockText = el("[data-stock-remaining]");
    const bar = el("[data-sold-bar]");
    const buy = el("[data-flash-buy]");
    const quantity = el("[data-flash-quantity]");
    const reminder = el("[data-flash-reminder]");
    const errorBox = el("[data-flash-error]");

    const state = {
      status: root.dataset.status,
      startsAt: Date.parse(root.dataset.startsAt),
      opensAt: Date.parse(root.dataset.opensAt),
      endsAt: Date.parse(root.dataset.endsAt),
      total: Number(root.dataset.stockTotal),
      remaining: Number(root.dataset.stockRemaining),
      offset: Date.parse(root.dataset.serverTime) - Date.now(), // server clock minus ours
    };
    const serverNow = () => Date.now() + state.offset;

    function localStatus(now) {
      if (now >= state.endsAt) return "ended";
      if (state.remaining <= 0) return "sold_out";
      if (now < state.startsAt) return "scheduled";
      return "live";
    }

    function render() {
      const now = serverNow();
      state.status = localStatus(now);
      root.dataset.status = state.status;
      statusBadge.textContent = {
        scheduled: "Starts soon",
        live: "Live",
        sold_out: "Sold out",
        ended: "Ended",
      }[state.status];
      statusBadge.className = `badge status-${state.status}`;
      if (state.status === "scheduled") {
        countdown.textContent = `Starts in ${duration(state.startsAt - now)}`;
      } else if (state.status === "live") {
        countdown.textContent = `Ends in ${duration(state.endsAt - now)}`;
      } else {
        countdown.textContent = "";
      }
      if (stockText) stockText.textContent = String(state.remaining);
      root.dataset.stockRemaining = String(state.remaining);
      const sold = state.total ? Math.round((100 * (state.total - state.remaining)) / state.total) : 100;
      if (bar) {
        bar.setAttribute("aria-valuenow", String(sold));
        bar.firstElementChild.style.width = `${sold}%`;
      }
      if (buy) {
        const open = now >= state.opensAt && now < state.endsAt && state.remaining > 0;
        buy.disabled = !open || buy.dataset.busy === "1";
      }
    }

    function apply(data) {
      if (typeof data.stock_remaining === "number") state.remaining = data.stock_remaining;
      if (data.starts_at) state.startsAt = Date.parse(data.starts_at);
      if (data.ends_at) state.endsAt = Date.parse(data.ends_at);
      if (data.server_time) state.offset = Date.parse(data.server_time) - Date.now();
      if (data.viewer && data.viewer.opens_at) state.opensAt = Date.parse(data.viewer.opens_at);
      render();
    }

    async function refresh() {
      try {
        apply(await api(`/api/v1/flash-sales/${saleId}/`));
      } catch (error) {
        // The next push or reconnect tries again; the countdown keeps ticking meanwhile.
      }
    }

    const messages = {
      sold_out: "Sold out — every unit has been taken.",
      limit_reached: "You already hold as many as one member may buy.",
      not_started: "Not started yet — hold on.",
      ended: "This flash sale has ended.",
    };

    if (buy) {
      buy.addEventListener("click", async () => {
        errorBox.textContent = "";
        buy.dataset.busy = "1";
        render();
        try {
          const order = await api(`/api/v1/flash-sales/${saleId}/orders/`, {
            method: "POST",
            body: { quantity: Number(quantity.value || 1) },
          });
          window.location.assign(`/orders/${order.id}/`);
        } catch (error) {
          errorBox.textContent = messages[error.code] || error.message;
          root.dataset.errorCode = error.code || "";
          buy.dataset.busy = "0";
          refresh();
        }
      });
    }

    if (reminder) {
      reminder.addEventListener("click", async () => {
        const on = reminder.dataset.on === "1";
        errorBox.textContent = "";
        try {
          await api(`/api/v1/flash-sales/${saleId}/reminder/`, { method: on ? "DELETE" : "POST" });
          reminder.dataset.on = on ? "0" : "1";
          reminder.textContent = on ? "Remind me" : "Reminder set ✓";
        } catch (error) {
          errorBox.textContent = messages[error.code] || error.message;
        }
      });
    }

    const realtime = window.tuanjuRealtime;
    if (realtime && watched) {
      const topic = `groupbuy.flash_sale:${saleId}`;
      realtime.subscribe(topic);
      realtime.onEvent((event) => {
        if (event.topic === topic && event.data) apply(event.data);
      });
      let wasOpen = realtime.state === "open";
      realtime.onState((connection) => {
        if (connection === "open" && !wasOpen) refresh(); // pushes missed while away
        wasOpen = connection === "open";
      });
    }

    render();
    setInterval(render, 250);
  }
})();
