// The one realtime client every page uses (protocol: API.md, "WebSocket /ws/").
// - reconnects with exponential backoff and jitter;
// - resubscribes to every topic with after_seq = the last seq it saw, so the server replays gaps;
// - drops duplicates by seq, and asks for a replay when it sees a gap;
// - reflects its state on every [data-realtime-state] element.
(function () {
  "use strict";

  const STATES = ["connecting", "open", "reconnecting", "offline"];

  class RealtimeClient {
    constructor(url, { userId = null, userSeq = null, pingSeconds = 25 } = {}) {
      this.url = url;
      this.userId = userId;
      this.pingSeconds = pingSeconds;
      this.topics = new Map(); // topic -> last seq seen (null when none yet)
      this.eventHandlers = new Set();
      this.stateHandlers = new Set();
      this.attempt = 0;
      this.state = "connecting";
      this.socket = null;
      this.stopped = false;
      // userSeq: the inbox seq the page was rendered with; the first subscribe replays after it.
      if (userId !== null) this.topics.set(`user:${userId}`, userSeq);
    }

    start() {
      this.stopped = false;
      this._open();
      return this;
    }

    stop() {
      this.stopped = true;
      clearInterval(this.pingTimer);
      if (this.socket) this.socket.close(1000);
      this._setState("offline");
    }

    subscribe(topic, { afterSeq = null } = {}) {
      if (!this.topics.has(topic)) this.topics.set(topic, afterSeq);
      this._sendSubscribe(topic);
    }

    unsubscribe(topic) {
      this.topics.delete(topic);
      this.send({ action: "unsubscribe", topic });
    }

    onEvent(handler) {
      this.eventHandlers.add(handler);
      return () => this.eventHandlers.delete(handler);
    }

    onState(handler) {
      this.stateHandlers.add(handler);
      handler(this.state);
      return () => this.stateHandlers.delete(handler);
    }

    send(frame) {
      if (this.socket && this.socket.readyState === WebSocket.OPEN) {
        this.socket.send(JSON.stringify(frame));
        return true;
      }
      return false;
    }

    lastSeq(topic) {
      return this.topics.get(topic) ?? null;
    }

    _open() {
      this._setState(this.attempt === 0 ? "connecting" : "reconnecting");
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.addEventListener("open", () => {
        this.attempt = 0;
        this._setState("open");
        for (const topic of this.topics.keys()) this._sendSubscribe(topic);
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.send({ action: "ping" }), this.pingSeconds * 1000);
      });
      socket.addEventListener("message", (message) => this._receive(message.data));
      socket.addEventListener("close", (event) => {
        clearInterval(this.pingTimer);
        if (this.stopped) return;
        if (event.code === 4401) {
          this._setState("offline"); // not logged in: retrying cannot help
          return;
        }
        this._scheduleReconnect();
      });
    }

    _scheduleReconnect() {
      this.attempt += 1;
      const base = Math.min(30000, 500 * 2 ** Math.min(this.attempt, 6));
      const delay = base / 2 + Math.random() * (base / 2);
      this._setState("reconnecting");
      setTimeout(() => !this.stopped && this._open(), delay);
    }

    _sendSubscribe(topic) {
      const frame = { action: "subscribe", topic };
      const seq = this.topics.get(topic);
      if (seq !== null && seq !== undefined) frame.after_seq = seq;
      this.send(frame);
    }

    _receive(raw) {
      let event;
      try {
        event = JSON.parse(raw);
      } catch (error) {
        return;
      }
      const { topic, seq } = event;
      if (topic && seq !== null && seq !== undefined && this.topics.has(topic)) {
        const last = this.topics.get(topic);
        if (last !== null && seq <= last) return; // duplicate
        if (last !== null && seq > last + 1) {
          // A gap: ask the server for everything after what we have, then take this one.
          this._sendSubscribe(topic);
          return;
        }
        this.topics.set(topic, seq);
      }
      for (const handler of this.eventHandlers) handler(event);
    }

    _setState(state) {
      if (!STATES.includes(state)) return;
      this.state = state;
      document.querySelectorAll("[data-realtime-state]").forEach((element) => {
        element.dataset.realtimeState = state;
        const label = element.querySelector(".conn-label");
        if (label) label.textContent = state;
      });
      for (const handler of this.stateHandlers) handler(state);
    }
  }

  function socketUrl(path) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${window.location.host}${path}`;
  }

  window.TuanjuRealtimeClient = RealtimeClient;
  window.tuanjuRealtimeUrl = socketUrl;
})();
