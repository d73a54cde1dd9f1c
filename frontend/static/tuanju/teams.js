// Group-buy pages: countdowns from the server's clock, the team's live seats, open/join/share.
(function () {
  "use strict";
  const { api } = window.tuanjuApi;

  // The server sent its "now"; the difference to ours keeps every countdown on the server's
  // deadline whatever the device's clock says.
  const anchor = document.querySelector("[data-server-time]");
  const offset = anchor ? Date.parse(anchor.dataset.serverTime) - Date.now() : 0;
  const serverNow = () => Date.now() + offset;

  function remaining(ms) {
    if (ms <= 0) return "time is up";
    const total = Math.floor(ms / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return `${h ? `${h}:` : ""}${pad(m)}:${pad(s)} left`;
  }

  function tick() {
    document.querySelectorAll("[data-countdown]").forEach((element) => {
      element.textContent = remaining(Date.parse(element.dataset.countdown) - serverNow());
    });
  }
  tick();
  setInterval(tick, 1000);

  function showError(error) {
    const box = document.querySelector("[data-form-error]");
    if (!box) return;
    box.textContent = error.message;
    box.dataset.errorCode = error.code || "";
  }

  async function takeSeat(button, path) {
    button.disabled = true;
    try {
      const seat = await api(path, { method: "POST" });
      window.location.assign(`/orders/${seat.order.id}/`); // pay to hold the seat for good
    } catch (error) {
      showError(error);
      button.disabled = false;
    }
  }

  document.querySelectorAll("[data-open-team]").forEach((button) => {
    button.addEventListener("click", () =>
      takeSeat(button, `/api/v1/campaigns/${button.dataset.openTeam}/teams/`),
    );
  });
  document.querySelectorAll("[data-join-team]").forEach((button) => {
    button.addEventListener("click", () =>
      takeSeat(button, `/api/v1/teams/${button.dataset.joinTeam}/join/`),
    );
  });

  // Share: a share link (clicks and sign-ups through it reward the sharer) when signed in,
  // the team's own address otherwise; the clipboard when allowed, shown on the page always.
  document.querySelectorAll("[data-share-team]").forEach((button) => {
    button.addEventListener("click", async () => {
      const result = document.querySelector("[data-share-result]");
      let link = button.dataset.shareUrl;
      if (document.body.dataset.userId) {
        try {
          const made = await api("/api/v1/share-links/", {
            method: "POST",
            body: { target_type: "team", target_id: Number(button.dataset.shareTeam) },
          });
          link = new URL(made.url, window.location.origin).href;
        } catch (error) {
          showError(error);
        }
      }
      try {
        await navigator.clipboard.writeText(link);
        result.textContent = `Link copied: ${link}`;
      } catch (error) {
        result.textContent = `Share this link: ${link}`;
      }
      result.dataset.link = link;
    });
  });

  function statusText(team) {
    if (team.status === "succeeded") return "Team complete 🎉";
    if (team.status === "failed") return "This team did not fill — everyone is refunded";
    if (team.seats_left === 0) return "Every seat is taken — waiting for the last payment";
    return `Waiting for ${team.seats_left} more`;
  }

  // The team page: re-render from the snapshot every team event carries.
  const teamRoot = document.querySelector("[data-team]");
  if (teamRoot && window.tuanjuRealtime) {
    const topic = `groupbuy.team:${teamRoot.dataset.team}`;
    const statusLine = teamRoot.querySelector("[data-testid=team-status]");
    const seatsLeft = teamRoot.querySelector("[data-testid=seats-left]");
    const members = teamRoot.querySelector("[data-members]");
    const filled = teamRoot.querySelector("[data-testid=platform-filled]");
    const joinButton = teamRoot.querySelector("[data-join-team]");
    const viewer = Number(teamRoot.dataset.viewer || 0);

    function render(team) {
      seatsLeft.textContent = String(team.seats_left);
      statusLine.dataset.status = team.status;
      statusLine.textContent = statusText(team);
      filled.hidden = !team.platform_filled;
      members.replaceChildren();
      team.members.forEach((member) => {
        const item = document.createElement("li");
        item.dataset.testid = "member";
        if (member.is_leader) item.className = "leader";
        const face = member.avatar_url ? document.createElement("img") : document.createElement("span");
        if (member.avatar_url) {
          face.src = member.avatar_url;
          face.alt = "";
        } else {
          face.className = "avatar placeholder";
          face.textContent = (member.display_name || "?").slice(0, 1);
        }
        const name = document.createElement("span");
        name.className = "name";
        name.textContent = member.display_name + (member.is_leader ? " · leader" : "");
        item.append(face, name);
        members.append(item);
      });
      for (let n = 0; n < team.seats_left; n += 1) {
        const seat = document.createElement("li");
        seat.className = "empty-seat";
        seat.dataset.testid = "empty-seat";
        seat.textContent = "?";
        members.append(seat);
      }
      const isMember = team.members.some((member) => member.user_id === viewer);
      if (joinButton) joinButton.hidden = team.status !== "forming" || isMember || team.seats_left === 0;
    }

    window.tuanjuRealtime.onEvent((event) => {
      if (event.topic === topic && event.data && event.data.team) render(event.data.team);
    });
    window.tuanjuRealtime.subscribe(topic, { afterSeq: Number(teamRoot.dataset.lastSeq) });
  }

  // The campaign page: its open teams, kept current.
  const campaignRoot = document.querySelector("[data-campaign]");
  const openList = document.querySelector("[data-open-teams]");
  if (campaignRoot && openList && window.tuanjuRealtime) {
    const topic = `groupbuy.campaign:${campaignRoot.dataset.campaign}`;
    window.tuanjuRealtime.onEvent((event) => {
      if (event.topic !== topic || event.type !== "groupbuy.campaign.updated") return;
      const stock = document.querySelector("[data-testid=stock-remaining]");
      if (stock) stock.textContent = String(event.data.stock_remaining);
      openList.replaceChildren();
      event.data.open_teams.forEach((team) => {
        const row = document.createElement("li");
        row.dataset.testid = "open-team-row";
        const link = document.createElement("a");
        link.className = "grow";
        link.href = `/teams/${team.id}/`;
        link.textContent = `${team.leader}'s team`;
        const seats = document.createElement("span");
        seats.textContent = `${team.seats_left} seat${team.seats_left === 1 ? "" : "s"} left`;
        const clock = document.createElement("span");
        clock.className = "small muted";
        clock.dataset.countdown = team.expires_at;
        row.append(link, seats, clock);
        openList.append(row);
      });
      tick();
    });
    window.tuanjuRealtime.subscribe(topic);
  }
})();
