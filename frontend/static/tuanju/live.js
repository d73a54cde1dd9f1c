// Live pages: the viewer's page (comments arrive in live.comments.batch frames, likes and
// viewer counts at most once a second, the pinned product with a buy button), the host's console
// and the scheduling form. Writes go through the REST API.
(function () {
  "use strict";
  const { api } = window.tuanjuApi;
  const realtime = window.tuanjuRealtime;

  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    return `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }

  function viewer(root) {
    const id = Number(root.dataset.live);
    const api_base = `/api/v1/livestreams/${id}`;
    const topic = `live.stream:${id}`;
    const list = root.querySelector("[data-comments]");
    const overlay = root.querySelector("[data-overlay]");
    const error = root.querySelector("[data-live-error]");
    const likesEl = root.querySelector("[data-likes]");
    const viewersEl = root.querySelector("[data-viewers]");
    const pinned = root.querySelector("[data-pinned]");
    const slowEl = root.querySelector("[data-slow-mode]");
    const canModerate = root.dataset.canModerate === "1";
    const seen = new Map(); // seq -> <li>
    let maxSeq = 0;
    let pinnedProduct = null;

    function addComment(comment) {
      if (seen.has(comment.seq) || comment.deleted) return;
      const item = document.createElement("li");
      item.dataset.seq = String(comment.seq);
      item.setAttribute("data-testid", "live-comment");
      const who = document.createElement("strong");
      who.textContent = `${comment.user.display_name || comment.user.username}: `;
      const text = document.createElement("span");
      text.textContent = comment.body;
      item.append(who, text);
      if (comment.id && comment.user.id !== Number(root.dataset.me)) {
        const report = document.createElement("button");
        report.type = "button";
        report.className = "report-link";
        report.textContent = "举报";
        report.dataset.report = "live_comment";
        report.dataset.reportId = String(comment.id);
        report.setAttribute("data-testid", "report-live-comment");
        item.append(" ", report);
      }
      if (canModerate) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link small";
        remove.textContent = "✕";
        remove.title = "Delete";
        remove.addEventListener("click", () => api(`${api_base}/comments/${comment.seq}/`, { method: "DELETE" }).catch((e) => { error.textContent = e.message; }));
        const mute = document.createElement("button");
        mute.type = "button";
        mute.className = "link small";
        mute.textContent = "mute";
        mute.addEventListener("click", () => api(`${api_base}/mutes/`, { method: "POST", body: { user: comment.user.username } }).catch((e) => { error.textContent = e.message; }));
        item.append(" ", remove, " ", mute);
      }
      seen.set(comment.seq, item);
      // Keep seq order whatever order batches arrive in.
      const after = [...list.children].find((child) => Number(child.dataset.seq) > comment.seq);
      list.insertBefore(item, after || null);
      maxSeq = Math.max(maxSeq, comment.seq);
      const bubble = document.createElement("li");
      bubble.textContent = `${comment.user.display_name || comment.user.username}: ${comment.body}`;
      overlay.appendChild(bubble);
      while (overlay.children.length > 8) overlay.firstChild.remove();
      list.scrollTop = list.scrollHeight;
    }

    function showPinned(product) {
      pinnedProduct = product;
      pinned.hidden = !product || !product.available;
      if (!product || !product.available) return;
      pinned.querySelector("[data-pinned-title]").textContent = product.title;
      pinned.querySelector("[data-pinned-price]").textContent =
        `¥${product.price}${product.in_stock ? "" : " · sold out"}`;
      pinned.querySelector("[data-buy]").disabled = !product.in_stock;
    }

    function showSlow(seconds) {
      slowEl.hidden = !seconds;
      slowEl.textContent = seconds ? `Slow mode: one comment per ${seconds} s` : "";
    }

    async function gapFill() {
      // Everything after what we hold, in pages (the replay after the stream uses the same call).
      for (;;) {
        const page = await api(`${api_base}/comments/?after_seq=${maxSeq}&limit=500`);
        page.results.forEach(addComment);
        if (page.results.length < 500) break;
      }
    }

    async function load() {
      const stream = await api(`${api_base}/`);
      likesEl.textContent = String(stream.likes);
      viewersEl.textContent = String(stream.viewers);
      showPinned(stream.pinned_product);
      showSlow(stream.slow_mode_seconds);
      if (realtime) realtime.subscribe(topic);
      await gapFill();
    }

    if (realtime) {
      realtime.onEvent((event) => {
        if (event.topic !== topic) return;
        const data = event.data;
        if (event.type === "live.comments.batch") {
          // A batch that starts past what we hold means we missed one: fetch the gap first.
          if (data.from_seq > maxSeq + 1) gapFill().then(() => data.comments.forEach(addComment));
          else data.comments.forEach(addComment);
        } else if (event.type === "live.likes.updated") {
          likesEl.textContent = String(data.likes);
        } else if (event.type === "live.viewers.updated") {
          viewersEl.textContent = String(data.viewers);
        } else if (event.type === "live.product.pinned") {
          showPinned(data.product);
        } else if (event.type === "live.deal.launched") {
          const banner = root.querySelector("[data-deal]");
          banner.href = data.url;
          banner.textContent =
            data.kind === "flash_sale"
              ? `⚡ Flash sale now: ¥${data.price} — tap to buy`
              : `👥 Group buy now: ¥${data.price} — tap to team up`;
          banner.hidden = false;
        } else if (event.type === "live.slow_mode.updated") {
          showSlow(data.slow_mode_seconds);
        } else if (event.type === "live.comment.deleted") {
          const item = seen.get(data.seq);
          if (item) item.remove();
        } else if (event.type === "live.stream.started" || event.type === "live.stream.ended") {
          root.querySelector("[data-testid=live-status]").textContent = data.status;
        }
      });
      realtime.onState?.((state) => {
        if (state === "open" && maxSeq) gapFill().catch(() => {});
      });
    }

    const form = root.querySelector("[data-live-composer]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = form.elements.body.value.trim();
      if (!body) return;
      error.textContent = "";
      try {
        await api(`${api_base}/comments/`, { method: "POST", body: { body, client_msg_id: newClientId() } });
        form.reset();
      } catch (err) {
        error.textContent = err.message;
      }
    });

    let pendingLikes = 0;
    let likeTimer = null;
    root.querySelector("[data-like]").addEventListener("click", () => {
      pendingLikes += 1;
      likesEl.textContent = String(Number(likesEl.textContent) + 1);
      if (likeTimer) return;
      // Taps are sent together at most every 300 ms; the server aggregates them anyway.
      likeTimer = setTimeout(async () => {
        const count = Math.min(pendingLikes, 20);
        pendingLikes = 0;
        likeTimer = null;
        try {
          await api(`${api_base}/likes/`, { method: "POST", body: { count } });
        } catch (err) {
          error.textContent = err.message;
        }
      }, 300);
    });

    const remind = root.querySelector("[data-live-subscribe]");
    if (remind) {
      remind.addEventListener("click", async () => {
        const on = remind.dataset.on === "1";
        remind.disabled = true;
        try {
          await api(`${api_base}/subscription/`, { method: on ? "DELETE" : "POST" });
          remind.dataset.on = on ? "0" : "1";
          remind.textContent = on ? "Remind me when it starts" : "Reminder set ✓";
          remind.classList.toggle("ghost", !on);
        } catch (err) {
          error.textContent = err.message;
        } finally {
          remind.disabled = false;
        }
      });
    }

    root.querySelector("[data-buy]").addEventListener("click", async (event) => {
      if (!pinnedProduct) return;
      event.target.disabled = true;
      try {
        const order = await api("/api/v1/orders/", {
          method: "POST",
          body: { items: [{ product: pinnedProduct.id, quantity: 1 }] },
        });
        window.location.assign(`/orders/${order.id}/`);
      } catch (err) {
        error.textContent = err.message;
        event.target.disabled = false;
      }
    });

    load().catch((err) => {
      error.textContent = err.message;
    });
  }

  function hostConsole(root) {
    const id = root.dataset.liveConsole;
    const error = root.querySelector("[data-live-error]");
    const call = async (path, init) => {
      try {
        await api(`/api/v1/livestreams/${id}/${path}`, init);
        window.location.reload();
      } catch (err) {
        error.textContent = err.message;
      }
    };
    root.querySelectorAll("[data-console-action]").forEach((button) => {
      button.addEventListener("click", () => call(`${button.dataset.consoleAction}/`, { method: "POST" }));
    });
    root.querySelector("[data-console-pin]").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = Number(event.target.elements.product.value) || null;
      call("", { method: "PATCH", body: { pinned_product: value } });
    });
    root.querySelector("[data-console-slow]").addEventListener("submit", (event) => {
      event.preventDefault();
      call("", { method: "PATCH", body: { slow_mode_seconds: Number(event.target.elements.seconds.value) || 0 } });
    });
    const dealForm = root.querySelector("[data-console-deal]");
    if (dealForm) {
      dealForm.addEventListener("submit", async (event) => {
        event.preventDefault();
        const fields = dealForm.elements;
        const result = root.querySelector("[data-deal-result]");
        error.textContent = "";
        try {
          const deal = await api(`/api/v1/livestreams/${id}/deals/`, {
            method: "POST",
            body: {
              kind: fields.kind.value,
              product: Number(fields.product.value),
              price: fields.price.value,
              stock: Number(fields.stock.value),
              minutes: Number(fields.minutes.value),
              team_size: Number(fields.team_size.value) || 2,
            },
          });
          result.textContent = `Launched: ${deal.url} (until ${new Date(deal.ends_at).toLocaleTimeString()})`;
        } catch (err) {
          error.textContent = err.message;
        }
      });
    }
  }

  function scheduleForm(form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const local = data.get("starts_at");
      data.set("starts_at", new Date(local).toISOString());
      if (!data.get("cover") || !data.get("cover").size) data.delete("cover");
      try {
        const stream = await api("/api/v1/livestreams/", { method: "POST", body: data });
        window.location.assign(`/live/${stream.id}/console/`);
      } catch (err) {
        document.querySelector("[data-live-error]").textContent = err.message;
      }
    });
  }

  // HLS (.m3u8) plays natively only in Safari; elsewhere hls.js feeds the same <video> element
  // through Media Source Extensions. We never transcode: the media server's stream is played as is.
  function attachStream(video) {
    const url = video.dataset.streamUrl || "";
    const isHls = /\.m3u8(\?|$)/i.test(url);
    if (!isHls || video.canPlayType("application/vnd.apple.mpegurl")) return null;
    if (!window.Hls || !window.Hls.isSupported()) return null;
    video.removeAttribute("src");
    const hls = new window.Hls({ lowLatencyMode: true });
    hls.loadSource(url);
    hls.attachMedia(video);
    video.dataset.player = "hls.js";
    return hls;
  }
  document.querySelectorAll("video[data-stream-url]").forEach(attachStream);

  const root = document.querySelector("[data-live]");
  if (root) viewer(root);
  const consoleRoot = document.querySelector("[data-live-console]");
  if (consoleRoot) hostConsole(consoleRoot);
  const newForm = document.querySelector("[data-live-new]");
  if (newForm) scheduleForm(newForm);
})();
