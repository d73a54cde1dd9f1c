// The host's stream key panel on the live console (issue #15): where to point OBS, a key shown
// once when made, and whether an encoder is publishing now.
(function () {
  "use strict";
  const panel = document.querySelector("[data-live-ingest]");
  if (!panel || !window.tuanjuApi) return;
  const { api } = window.tuanjuApi;
  const url = `/api/v1/livestreams/${panel.dataset.liveIngest}/ingest/`;
  const el = (name) => panel.querySelector(`[data-ingest-${name}]`);

  function render(info) {
    el("off").hidden = info.video_enabled;
    el("on").hidden = !info.video_enabled;
    el("server").textContent = info.rtmp_url;
    el("state").textContent = info.publishing ? "正在推流" : "未推流";
    el("state").classList.toggle("live", info.publishing);
    el("rotate").textContent = info.key_set_at ? "换一个新密钥" : "生成推流密钥";
    if (!el("key").dataset.shown) {
      el("key").textContent = info.key_set_at ? "已生成（只在生成时显示）" : "还没有密钥";
    }
  }

  async function refresh() {
    try {
      render(await api(url));
    } catch (error) {
      el("error").textContent = error.message;
    }
  }

  el("rotate").addEventListener("click", async () => {
    if (el("key").dataset.shown === undefined && panel.dataset.hasKey === "1" &&
        !window.confirm("生成新密钥后，旧密钥立即失效，正在推流的编码器会断开。继续？")) return;
    try {
      const made = await api(url, { method: "POST" });
      el("key").textContent = made.stream_key;
      el("key").dataset.shown = "1";
      el("copy").hidden = false;
      el("once").hidden = false;
      panel.dataset.hasKey = "1";
      render(made);
    } catch (error) {
      el("error").textContent = error.message;
    }
  });

  el("copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(el("key").textContent);
      el("copy").textContent = "已复制";
    } catch (error) {
      el("copy").textContent = "请长按复制";
    }
  });

  refresh();
  // Whether the encoder is connected changes without this page doing anything.
  setInterval(refresh, 10000);
})();
