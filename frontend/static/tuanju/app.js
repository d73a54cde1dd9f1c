// Page bootstrap: bind API forms, start the one realtime connection, wire the logout button.
(function () {
  "use strict";
  const body = document.body;
  window.tuanjuApi.bindApiForms(document);

  if (body.dataset.userId) {
    const userId = Number(body.dataset.userId);
    window.tuanjuRealtime = new window.TuanjuRealtimeClient(
      window.tuanjuRealtimeUrl(body.dataset.wsPath || "/ws/"),
      { userId, userSeq: body.dataset.userSeq ? Number(body.dataset.userSeq) : null },
    ).start();
  }

  // The bell: unread count kept live from the user's own stream.
  const bellCount = document.querySelector("[data-unread-count]");
  if (bellCount && window.tuanjuRealtime) {
    const render = (count) => {
      bellCount.textContent = count > 99 ? "99+" : String(count);
      bellCount.hidden = count === 0;
      bellCount.dataset.unreadCount = String(count);
    };
    render(Number(bellCount.dataset.unreadCount || 0));
    window.tuanjuRealtime.onEvent((event) => {
      if (event.type === "community.notification.created") {
        render(Number(bellCount.dataset.unreadCount || 0) + 1);
        const list = document.querySelector("[data-live-notifications]");
        if (list) {
          const item = document.createElement("li");
          item.className = "unread";
          item.dataset.notification = String(event.seq);
          const data = event.data.data || {};
          if (event.data.type === "moderation_outcome") {
            // The author's outcome opens 我的处理记录; a reporter's, the public log.
            const mine = "appealable" in data || "appeal" in data;
            item.innerHTML = "<a class=\"outcome-link\" data-testid=\"moderation-outcome\"><strong></strong><span class=\"muted small\"></span> <span class=\"small\">查看 ›</span></a>";
            item.querySelector("a").href = mine ? "/me/moderation/" : "/moderation/log/";
          } else {
            item.innerHTML = "<strong></strong><span class=\"muted small\"></span>";
          }
          item.querySelector("strong").textContent = event.data.title;
          item.querySelector("span").textContent = " " + (event.data.body || "");
          list.prepend(item);
        }
      } else if (event.type === "community.notification.read") {
        render(event.data.unread_count);
      }
    });
  }

  document.querySelectorAll('[data-action="logout"]').forEach((button) => {
    button.addEventListener("click", async () => {
      try {
        await window.tuanjuApi.api("/api/v1/auth/logout/", { method: "POST" });
      } finally {
        if (window.tuanjuRealtime) window.tuanjuRealtime.stop();
        window.location.assign("/login/");
      }
    });
  });
})();
