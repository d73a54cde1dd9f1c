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
    // Moderators act through moderation itself (a tap opens the sheet); a host who is not one
    // keeps the stream's own delete and mute buttons.
    const isModerator = root.dataset.moderator === "1";
    const me = Number(root.dataset.me);
    const seen = new Map(); // seq -> {item, bubble}
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
      if (comment.hidden) {
        const note = document.createElement("span");
        note.className = "muted small";
        note.textContent = " · 审核中，仅你可见";
        item.append(note);
      }
      if (isModerator && comment.id && comment.user.id !== me) {
        item.classList.add("mod-tappable");
        item.tabIndex = 0;
        item.setAttribute("role", "button");
        item.setAttribute("aria-label", `处理 ${who.textContent}${comment.body}`);
        item.addEventListener("click", (event) => {
          if (event.target.closest("button")) return;
          openModSheet(comment, item);
        });
        item.addEventListener("keydown", (event) => {
          if (event.key === "Enter" && event.target === item) openModSheet(comment, item);
        });
      }
      if (comment.id && comment.user.id !== me) {
        const report = document.createElement("button");
        report.type = "button";
        report.className = "report-link";
        report.textContent = "举报";
        report.dataset.report = "live_comment";
        report.dataset.reportId = String(comment.id);
        report.setAttribute("data-testid", "report-live-comment");
        item.append(" ", report);
      }
      if (canModerate && !isModerator) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link small";
        remove.textContent = "✕";
        remove.title = "删除";
        remove.addEventListener("click", () => api(`${api_base}/comments/${comment.seq}/`, { method: "DELETE" }).catch((e) => { error.textContent = e.message; }));
        const mute = document.createElement("button");
        mute.type = "button";
        mute.className = "link small";
        mute.textContent = "禁言";
        mute.addEventListener("click", () => api(`${api_base}/mutes/`, { method: "POST", body: { user: comment.user.username } }).catch((e) => { error.textContent = e.message; }));
        item.append(" ", remove, " ", mute);
      }
      // Keep seq order whatever order batches arrive in: a comment restored by a moderator comes
      // back where it was, not at the bottom.
      const after = [...list.children].find((child) => Number(child.dataset.seq) > comment.seq);
      list.insertBefore(item, after || null);
      const entry = { item, bubble: null };
      seen.set(comment.seq, entry);
      if (comment.seq <= maxSeq) return; // an old one put back: no bubble, no jump to the bottom
      maxSeq = comment.seq;
      const bubble = document.createElement("li");
      bubble.textContent = `${comment.user.display_name || comment.user.username}: ${comment.body}`;
      overlay.appendChild(bubble);
      entry.bubble = bubble;
      while (overlay.children.length > 8) overlay.firstChild.remove();
      list.scrollTop = list.scrollHeight;
    }

    function dropComment(seq) {
      // Forget it too: a moderator may restore it, and it must then be shown again.
      const entry = seen.get(seq);
      if (!entry) return;
      entry.item.remove();
      if (entry.bubble) entry.bubble.remove();
      seen.delete(seq);
    }

    // --- the moderator's sheet ---------------------------------------------------------------
    const modSheet = root.querySelector("[data-mod-sheet]");
    const modToast = root.querySelector("[data-mod-toast]");
    let modTarget = null; // {comment, opener}
    const MOD_ERRORS = {
      already_claimed: "另一位管理员正在处理这条评论。",
      already_resolved: "另一位管理员刚刚处理了这条评论。",
      bad_target: "这条评论已不存在或已被处理。",
      reason_required: "请先选择或填写处理原因。",
      forbidden: "你没有处理权限。",
    };

    function toast(message) {
      modToast.textContent = message;
      modToast.hidden = false;
      clearTimeout(toast.timer);
      toast.timer = setTimeout(() => { modToast.hidden = true; }, 2500);
    }

    function openModSheet(comment, opener) {
      if (!modSheet) return;
      modTarget = { comment, opener };
      modSheet.querySelectorAll('input[name="mod-category"]').forEach((input) => { input.checked = false; });
      modSheet.querySelector("[data-mod-reason]").value = "";
      modSheet.querySelector("[data-mod-error]").textContent = "";
      modSheet.querySelector("[data-mod-quote]").textContent =
        `${comment.user.display_name || comment.user.username}：${comment.body}`;
      modSheet.hidden = false;
      document.documentElement.classList.add("sheet-open");
      requestAnimationFrame(() => modSheet.classList.add("shown"));
      modSheet.querySelector('input[name="mod-category"]').focus({ preventScroll: true });
    }

    function closeModSheet() {
      if (!modSheet || modSheet.hidden) return;
      modSheet.classList.remove("shown");
      modSheet.hidden = true;
      document.documentElement.classList.remove("sheet-open");
      const opener = modTarget && modTarget.opener;
      modTarget = null;
      if (opener && opener.isConnected) opener.focus({ preventScroll: true });
    }

    async function modAct(button) {
      if (!modTarget) return;
      const errorEl = modSheet.querySelector("[data-mod-error]");
      const reason = modSheet.querySelector("[data-mod-reason]").value.trim();
      const chosen = modSheet.querySelector('input[name="mod-category"]:checked');
      errorEl.textContent = "";
      if (!reason) {
        errorEl.textContent = MOD_ERRORS.reason_required;
        return;
      }
      const action = button.dataset.modAct;
      const hours = Number(button.dataset.hours) || null;
      const { comment } = modTarget;
      modSheet.querySelectorAll("[data-mod-act]").forEach((b) => { b.disabled = true; });
      try {
        await api("/api/v1/moderation/act/", {
          method: "POST",
          body: {
            target_type: "live_comment",
            target_id: comment.id,
            action,
            reason,
            category: chosen ? chosen.value : "",
            duration_hours: action === "mute" ? hours : null,
          },
        });
        dropComment(comment.seq); // the push will say so too; the moderator sees it at once
        closeModSheet();
        toast(action === "mute" ? `已禁言 ${hours} 小时，评论已删除` : "评论已删除");
      } catch (err) {
        errorEl.textContent = MOD_ERRORS[err.code] || err.message || "操作失败，请稍后再试。";
      } finally {
        modSheet.querySelectorAll("[data-mod-act]").forEach((b) => { b.disabled = false; });
      }
    }

    if (modSheet) {
      modSheet.addEventListener("change", (event) => {
        // A reason chip fills the reason the author will read; the moderator may still edit it.
        if (event.target.name !== "mod-category") return;
        const label = event.target.closest("label").textContent.trim();
        modSheet.querySelector("[data-mod-reason]").value = `${label}，违反直播间规范`;
        modSheet.querySelector("[data-mod-error]").textContent = "";
      });
      modSheet.querySelector("[data-mod-reason]").addEventListener("input", () => {
        modSheet.querySelector("[data-mod-error]").textContent = "";
      });
      modSheet.addEventListener("click", (event) => {
        const button = event.target.closest("[data-mod-act]");
        if (button) modAct(button);
        else if (event.target.closest("[data-mod-close]") || event.target === modSheet) closeModSheet();
      });
      document.addEventListener("keydown", (event) => {
        if (event.key === "Escape") closeModSheet();
      });
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
          dropComment(data.seq);
          if (modTarget && modTarget.comment.seq === data.seq) closeModSheet();
        } else if (event.type === "live.stream.started" || event.type === "live.stream.ended") {
          root.querySelector("[data-testid=live-status]").textContent = data.status;
          refreshPlayback();
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

    // The stream went live (or its replay is ready): load what the player should play now.
    async function refreshPlayback() {
      const video = root.querySelector("video[data-stream-url]");
      if (!video) return;
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const stream = await api(api_base + "/");
        if (stream.playback_url && stream.playback_url !== video.dataset.streamUrl) {
          playStream(video, stream.playback_url);
          return;
        }
        if (stream.playback_url) return;
        // The playlist appears a moment after the encoder connects.
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
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

  // HLS (.m3u8) goes through hls.js wherever Media Source Extensions exist: the same low-latency
  // behaviour everywhere, while Chromium's own HLS (canPlayType "maybe" since 14x) refuses
  // playlists on plain http and private addresses. Only without MSE (older iPhones) does the
  // browser's native HLS play it. We never transcode: the media server's stream is played as is.
  function attachStream(video) {
    const url = video.dataset.streamUrl || "";
    const isHls = /\.m3u8(\?|$)/i.test(url);
    if (!isHls || !window.Hls || !window.Hls.isSupported()) return null;
    video.removeAttribute("src");
    const hls = new window.Hls({ lowLatencyMode: true });
    hls.loadSource(url);
    hls.attachMedia(video);
    video.dataset.player = "hls.js";
    return hls;
  }
  document.querySelectorAll("video[data-stream-url]").forEach((video) => {
    video._hls = attachStream(video);
  });

  // Switch the player to a new URL (the stream went live, or its replay is ready).
  function playStream(video, url) {
    if (video._hls) video._hls.destroy();
    video.dataset.streamUrl = url;
    video.src = url;
    video._hls = attachStream(video);
    const stage = video.closest("[data-stage]");
    if (stage) {
      stage.classList.remove("offline");
      const poster = stage.querySelector("[data-poster]");
      if (poster) poster.hidden = true;
    }
    video.play().catch(() => {});
  }

  const root = document.querySelector("[data-live]");
  if (root) viewer(root);
  const consoleRoot = document.querySelector("[data-live-console]");
  if (consoleRoot) hostConsole(consoleRoot);
  const newForm = document.querySelector("[data-live-new]");
  if (newForm) scheduleForm(newForm);
})();
