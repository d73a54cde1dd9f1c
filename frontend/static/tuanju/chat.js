// Chat pages: the room list (live unread badges), a conversation, and the "Message" opener.
// Reads and writes go through window.tuanjuApi; live events come from window.tuanjuRealtime,
// which de-duplicates by seq and asks the server for gaps (subscribe with after_seq).
(function () {
  "use strict";
  const { api } = window.tuanjuApi;
  const realtime = window.tuanjuRealtime;

  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function timeLabel(iso) {
    const date = new Date(iso);
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
  }

  // --- the room list -----------------------------------------------------------------------

  function roomList(root) {
    const me = Number(root.dataset.me);
    const list = root.querySelector("[data-testid=rooms]");
    const rows = new Map();
    root.querySelectorAll("[data-room-row]").forEach((row) => {
      rows.set(`chat.room:${row.dataset.roomRow}`, row);
      if (realtime) {
        realtime.subscribe(`chat.room:${row.dataset.roomRow}`, {
          afterSeq: Number(row.dataset.lastSeq),
        });
      }
    });
    const setUnread = (row, count) => {
      const badge = row.querySelector("[data-unread]");
      badge.dataset.unread = String(count);
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = count === 0;
    };
    if (!realtime) return;
    realtime.onEvent((event) => {
      const row = rows.get(event.topic);
      if (!row) return;
      if (event.type === "chat.message.created") {
        const message = event.data;
        row.dataset.lastSeq = String(event.seq);
        const who = message.sender
          ? message.sender.display_name || message.sender.username
          : "Tuanju assistant";
        const text = message.body || (message.image ? "[image]" : message.card ? `[${message.card.kind}]` : "");
        row.querySelector("[data-preview]").textContent = `${who}: ${text.slice(0, 60)}`;
        const badge = row.querySelector("[data-unread]");
        // My own message means I have read the room (the server moved my read mark too).
        const mine = message.sender !== null && message.sender.id === me;
        setUnread(row, mine ? 0 : Number(badge.dataset.unread) + 1);
        list.prepend(row);
      } else if (event.type === "chat.read.updated" && event.data.user_id === me) {
        setUnread(row, Math.max(0, Number(row.dataset.lastSeq) - event.data.last_read_seq));
      }
    });
  }

  // --- one conversation --------------------------------------------------------------------

  function conversation(root) {
    const roomId = Number(root.dataset.chatRoom);
    const me = Number(root.dataset.me);
    const topic = `chat.room:${roomId}`;
    const base = `/api/v1/rooms/${roomId}`;
    const listEl = root.querySelector("[data-message-list]");
    const scroller = root.querySelector("[data-messages]");
    const earlier = root.querySelector("[data-load-earlier]");
    const typingEl = root.querySelector("[data-typing-indicator]");
    const errorEl = root.querySelector("[data-chat-error]");
    const form = root.querySelector("[data-composer]");
    const input = form.querySelector("textarea");
    const bySeq = new Map(); // seq -> <li>
    const pending = new Map(); // client_msg_id -> <li>
    let minSeq = null;
    let maxSeq = 0;
    let lastRead = Number(root.dataset.lastRead);
    let peerRead = 0;
    let loadingEarlier = false;

    function fill(item, message) {
      const sender = message.sender;
      const mine = sender !== null && sender.id === me;
      item.dataset.seq = String(message.seq);
      item.dataset.messageId = String(message.id);
      item.dataset.clientId = message.client_msg_id;
      item.className = "message" + (mine ? " mine" : "") + (sender === null ? " bot" : "");
      item.classList.toggle("deleted", message.deleted);
      item.innerHTML =
        '<span class="who small"></span><span class="text"></span><span class="attachment"></span>' +
        '<span class="reactions"></span>' +
        '<span class="meta small muted"><time></time><span class="edited"></span><span class="read"></span>' +
        '<button type="button" class="link small react" title="React">👍+</button></span>';
      item.querySelector(".who").textContent =
        sender === null ? "Tuanju assistant" : mine ? "" : sender.display_name || sender.username;
      item.querySelector(".text").textContent = message.deleted ? "message deleted" : message.body;
      renderAttachment(item.querySelector(".attachment"), message);
      renderReactions(item, message.reactions || []);
      item.querySelector("time").textContent = timeLabel(message.created_at);
      item.querySelector(".edited").textContent = message.edited_at && !message.deleted ? " · edited" : "";
      item.querySelector(".react").hidden = message.deleted;
      // Moderation hid the sender's own message: they still read it, and must know nobody else can.
      const hiddenOwn = mine && message.hidden && !message.deleted;
      item.classList.toggle("hidden-own", hiddenOwn);
      if (hiddenOwn) {
        const note = document.createElement("span");
        note.className = "hidden-note small";
        note.setAttribute("data-testid", "message-hidden-note");
        note.textContent = "已被隐藏，其他人看不到，等待审核";
        item.querySelector(".meta").prepend(note);
      }
      if (!message.deleted) item._message = message;
      // Someone else's message: 举报 from its ⋯ button or a long press (report.js).
      const reportable = !mine && sender !== null && !message.deleted && message.id;
      if (reportable) {
        const more = document.createElement("button");
        more.type = "button";
        more.className = "link small more";
        more.textContent = "⋯";
        more.title = "举报";
        more.setAttribute("aria-label", "举报这条消息");
        more.dataset.report = "message";
        more.dataset.reportId = String(message.id);
        more.dataset.reportKeepLabel = "";
        more.setAttribute("data-testid", "report-message");
        item.querySelector(".meta").appendChild(more);
        item.dataset.reportPress = "message";
        item.dataset.reportId = String(message.id);
      } else {
        delete item.dataset.reportPress;
        delete item.dataset.reportId;
      }
      item.setAttribute("data-testid", "message");
      markPeerRead(item);
    }

    function renderAttachment(box, message) {
      box.replaceChildren();
      if (message.image) {
        const link = document.createElement("a");
        link.href = message.image.url;
        link.target = "_blank";
        link.rel = "noopener";
        const img = document.createElement("img");
        img.src = message.image.thumbnail_url;
        img.alt = "image";
        img.loading = "lazy";
        img.setAttribute("data-testid", "message-image");
        link.appendChild(img);
        box.appendChild(link);
      }
      const card = message.card;
      if (card) {
        const el = document.createElement(card.url ? "a" : "div");
        if (card.url) el.href = card.url;
        el.className = "chat-card" + (card.available ? "" : " gone");
        el.setAttribute("data-testid", "message-card");
        const title = document.createElement("strong");
        title.textContent = card.available ? card.title : "No longer available";
        el.appendChild(title);
        const detail = document.createElement("span");
        detail.className = "small muted";
        if (card.kind === "product" && card.available) {
          detail.textContent = ` ¥${card.price} · ${card.in_stock ? `${card.stock} left` : "sold out"}`;
        } else if (card.kind === "order" && card.available && !card.limited) {
          detail.textContent = ` ${card.status} · ¥${card.total}`;
        } else if (card.kind === "coupon" && card.available) {
          detail.textContent = ` ${card.coupon_kind === "percent" ? card.value + "% off" : "¥" + card.value + " off"}`;
        } else {
          detail.textContent = ` ${card.kind}`;
        }
        el.appendChild(detail);
        box.appendChild(el);
      }
    }

    function renderReactions(item, reactions) {
      item._reactions = reactions;
      const box = item.querySelector(".reactions");
      box.replaceChildren();
      reactions.forEach((r) => {
        if (!r.count) return;
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip small" + (r.mine ? " mine" : "");
        chip.textContent = `${r.emoji} ${r.count}`;
        chip.dataset.emoji = r.emoji;
        chip.setAttribute("data-testid", "reaction");
        box.appendChild(chip);
      });
    }

    async function toggleReaction(item, emoji) {
      const id = item.dataset.messageId;
      const current = (item._reactions || []).find((r) => r.emoji === emoji);
      const url = `${base}/messages/${id}/reactions/`;
      try {
        if (current && current.mine) {
          await api(`${url}${encodeURIComponent(emoji)}/`, { method: "DELETE" });
        } else {
          await api(url, { method: "POST", body: { emoji } });
        }
        const list = (item._reactions || []).filter((r) => r.emoji !== emoji);
        const count = (current ? current.count : 0) + (current && current.mine ? -1 : 1);
        list.push({ emoji, count, mine: !(current && current.mine) });
        renderReactions(item, list);
      } catch (error) {
        errorEl.textContent = error.message;
      }
    }
    listEl.addEventListener("click", (event) => {
      const item = event.target.closest(".message");
      if (!item || !item.dataset.messageId) return;
      if (event.target.classList.contains("react")) toggleReaction(item, "👍");
      else if (event.target.dataset.emoji) toggleReaction(item, event.target.dataset.emoji);
    });

    function markPeerRead(item) {
      if (root.dataset.kind !== "direct" || !item.classList.contains("mine")) return;
      const seq = Number(item.dataset.seq || 0);
      item.querySelector(".read").textContent = seq && seq <= peerRead ? " · read" : "";
    }

    function place(item, seq) {
      // Keep the list in seq order whatever order things arrive in.
      for (const child of listEl.children) {
        const childSeq = Number(child.dataset.seq || Infinity);
        if (childSeq > seq) {
          listEl.insertBefore(item, child);
          return;
        }
      }
      listEl.appendChild(item);
    }

    function upsert(message) {
      let item = bySeq.get(message.seq) || pending.get(message.client_msg_id);
      const isNew = !item;
      if (!item) item = document.createElement("li");
      pending.delete(message.client_msg_id);
      fill(item, message);
      bySeq.set(message.seq, item);
      if (isNew || !item.isConnected || item.dataset.pending !== undefined) {
        delete item.dataset.pending;
        place(item, message.seq);
      }
      minSeq = minSeq === null ? message.seq : Math.min(minSeq, message.seq);
      maxSeq = Math.max(maxSeq, message.seq);
      return item;
    }

    const nearBottom = () =>
      scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
    const toBottom = () => {
      scroller.scrollTop = scroller.scrollHeight;
    };

    let readTimer = null;
    function markRead() {
      if (document.visibilityState !== "visible" || maxSeq <= lastRead) return;
      clearTimeout(readTimer);
      readTimer = setTimeout(async () => {
        const seq = maxSeq;
        try {
          await api(`${base}/read/`, { method: "POST", body: { seq } });
          lastRead = Math.max(lastRead, seq);
          root.dataset.lastRead = String(lastRead);
        } catch (error) {
          // A later event or visibility change tries again.
        }
      }, 300);
    }
    document.addEventListener("visibilitychange", markRead);

    async function loadLatest() {
      const page = await api(`${base}/messages/?limit=50`);
      page.results.forEach(upsert);
      earlier.hidden = !page.previous;
      toBottom();
      // Subscribing after the REST read: the server replays anything committed in between.
      if (realtime) realtime.subscribe(topic, { afterSeq: maxSeq });
      markRead();
    }

    async function loadEarlier() {
      if (loadingEarlier || minSeq === null || minSeq <= 1) return;
      loadingEarlier = true;
      const height = scroller.scrollHeight;
      try {
        const page = await api(`${base}/messages/?before_seq=${minSeq}&limit=50`);
        page.results.forEach(upsert);
        earlier.hidden = !page.previous;
        scroller.scrollTop += scroller.scrollHeight - height; // keep the reader's place
      } finally {
        loadingEarlier = false;
      }
    }
    earlier.addEventListener("click", loadEarlier);
    scroller.addEventListener("scroll", () => {
      if (scroller.scrollTop < 40 && !earlier.hidden) loadEarlier();
    });

    let typingTimer = null;
    function showTyping(data) {
      if (data.user_id === me) return;
      typingEl.textContent = `${data.display_name || data.username} is typing…`;
      typingEl.hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => {
        typingEl.hidden = true;
      }, 4000);
    }

    if (realtime) {
      realtime.onEvent((event) => {
        if (event.topic !== topic) return;
        if (event.type === "chat.message.created") {
          const fromMe = event.data.sender !== null && event.data.sender.id === me;
          const stick = nearBottom() || fromMe;
          const known = bySeq.get(event.data.seq);
          // A push carries the public view of a card; keep the personal one REST gave us.
          if (known && known._reactions && event.data.card && event.data.card.limited) return;
          upsert(event.data);
          if (!fromMe) typingEl.hidden = true;
          if (stick) toBottom();
          markRead();
        } else if (event.type === "chat.message.edited" || event.type === "chat.message.deleted") {
          // Updates carry the message's seq in data; only messages we hold need changing.
          const known = bySeq.get(event.data.seq);
          if (!known) return;
          const data = event.data;
          const mine = data.sender !== null && data.sender.id === me;
          // A push has no viewer, so a hide reads as a deletion; the sender keeps their text
          // (once it is already marked hidden, a deletion push is the sender's own delete).
          const hiding = !known.classList.contains("hidden-own");
          if (data.hidden && data.deleted && mine && hiding && known._message) {
            upsert({ ...known._message, hidden: true });
          } else {
            upsert(data);
          }
        } else if (event.type === "chat.reaction.updated") {
          const item = bySeq.get(event.data.seq);
          if (!item || event.data.user_id === me) return;
          const list = (item._reactions || []).filter((r) => r.emoji !== event.data.emoji);
          const old = (item._reactions || []).find((r) => r.emoji === event.data.emoji);
          list.push({ emoji: event.data.emoji, count: event.data.count, mine: old ? old.mine : false });
          renderReactions(item, list);
        } else if (event.type === "chat.support.updated") {
          document.dispatchEvent(new CustomEvent("tuanju:support", { detail: event.data }));
        } else if (event.type === "chat.typing.started") {
          showTyping(event.data);
        } else if (event.type === "chat.read.updated" && event.data.user_id !== me) {
          peerRead = Math.max(peerRead, event.data.last_read_seq);
          listEl.querySelectorAll(".message.mine").forEach(markPeerRead);
        }
      });
    }

    async function deliver(item, body, clientId, attempt = 0) {
      item.classList.remove("failed");
      try {
        const message = await api(`${base}/messages/`, {
          method: "POST",
          body: { body, client_msg_id: clientId },
        });
        upsert(message);
        toBottom();
      } catch (error) {
        const retryable = !error.status || error.status >= 500 || error.status === 429;
        if (retryable && attempt < 4) {
          // The same client_msg_id makes the retry idempotent: never a second copy.
          const delay = error.status === 429 ? 5000 : 500 * 2 ** attempt;
          setTimeout(() => deliver(item, body, clientId, attempt + 1), delay);
          errorEl.textContent = error.status === 429 ? "Sending too fast; retrying…" : "Retrying…";
          return;
        }
        item.classList.add("failed");
        errorEl.textContent = error.message;
        const retry = document.createElement("button");
        retry.type = "button";
        retry.className = "link small";
        retry.textContent = "Retry";
        retry.addEventListener("click", () => {
          retry.remove();
          errorEl.textContent = "";
          deliver(item, body, clientId, 0);
        });
        item.appendChild(retry);
        return;
      }
      errorEl.textContent = "";
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = input.value.trim();
      if (!body) return;
      const clientId = newClientId();
      const item = document.createElement("li");
      item.className = "message mine pending";
      item.dataset.pending = "";
      item.dataset.clientId = clientId;
      item.innerHTML = '<span class="text"></span><span class="meta small muted">sending…</span>';
      item.querySelector(".text").textContent = body;
      listEl.appendChild(item);
      pending.set(clientId, item);
      toBottom();
      input.value = "";
      deliver(item, body, clientId);
    });
    const fileInput = form.querySelector("[data-image-input]");
    if (fileInput) {
      fileInput.addEventListener("change", async () => {
        const file = fileInput.files[0];
        if (!file) return;
        const data = new FormData();
        data.append("image", file);
        data.append("client_msg_id", newClientId());
        errorEl.textContent = "Uploading…";
        try {
          const message = await api(`${base}/images/`, { method: "POST", body: data });
          upsert(message);
          toBottom();
          errorEl.textContent = "";
        } catch (error) {
          errorEl.textContent = error.message;
        } finally {
          fileInput.value = "";
        }
      });
    }
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    let lastTyping = 0;
    input.addEventListener("input", () => {
      if (root.dataset.typing !== "1" || !realtime) return;
      const now = Date.now();
      if (now - lastTyping < 3000) return;
      lastTyping = now;
      realtime.send({ action: "typing", topic });
    });

    loadLatest().catch((error) => {
      errorEl.textContent = error.message;
    });
  }

  // --- /chat/new/?user= ----------------------------------------------------------------------

  async function openDirect(root) {
    try {
      const room = await api("/api/v1/rooms/", {
        method: "POST",
        body: { kind: "direct", user: root.dataset.chatNew },
      });
      window.location.replace(`/chat/${room.id}/`);
    } catch (error) {
      root.querySelector("[data-chat-new-status]").hidden = true;
      root.querySelector("[data-chat-error]").textContent =
        error.code === "blocked" ? "You cannot message this person." : error.message;
    }
  }

  // Presence of contacts: ephemeral, so it is asked for (on load, every 30 s and after a
  // reconnect) rather than replayed; only contacts are ever answered for.
  async function refreshPresence() {
    const dots = document.querySelectorAll("[data-peer] [data-presence-dot]");
    const statuses = document.querySelectorAll("[data-peer-status]");
    if (!dots.length && !statuses.length) return;
    let rows;
    try {
      rows = (await api("/api/v1/presence/")).results;
    } catch (error) {
      return;
    }
    const byUser = new Map(rows.map((row) => [String(row.user.id), row]));
    dots.forEach((dot) => {
      const row = byUser.get(dot.closest("[data-peer]").dataset.peer);
      dot.hidden = !(row && row.online);
    });
    statuses.forEach((status) => {
      const row = byUser.get(status.dataset.peerStatus);
      status.textContent = row && row.online ? "· online" : "";
      status.dataset.online = row && row.online ? "true" : "false";
    });
  }
  refreshPresence();
  setInterval(refreshPresence, 30000);
  if (realtime && realtime.onState) {
    realtime.onState((state) => {
      if (state === "open") refreshPresence();
    });
  }

  const listRoot = document.querySelector("[data-chat-list]");
  if (listRoot) roomList(listRoot);
  const roomRoot = document.querySelector("[data-chat-room]");
  if (roomRoot) conversation(roomRoot);
  const newRoot = document.querySelector("[data-chat-new]");
  if (newRoot) openDirect(newRoot);
})();
