// Page bootstrap: bind API forms, start the one realtime connection, wire the logout button.
(function () {
  "use strict";
  const body = document.body;
  window.tuanjuApi.bindApiForms(document);

  if (body.dataset.userId) {
    const userId = Number(body.dataset.userId);
    window.tuanjuRealtime = new window.TuanjuRealtimeClient(
      window.tuanjuRealtimeUrl(body.dataset.wsPath || "/ws/"),
      { userId },
    ).start();
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
