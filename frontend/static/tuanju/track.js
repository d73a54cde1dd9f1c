// Insights tracker (docs/insights.md "Events"): a stable visitor id, session_start after 30 idle
// minutes, a page_view per page, batched to POST /api/v1/events/. Nothing here may break a page:
// every failure is swallowed, and unsent events wait in localStorage for the next page.
(function () {
  "use strict";
  // An opt-out for embedders and automated browsers that must not be counted as visitors.
  if (window.tuanjuNoTracking) return;

  var ENDPOINT = "/api/v1/events/";
  var SESSION_GAP_MS = 30 * 60 * 1000;
  var MAX_QUEUE = 100; // the endpoint's batch limit
  var ID_KEY = "tj_vid", LAST_KEY = "tj_last", QUEUE_KEY = "tj_queue";
  var memory = {}; // storage when localStorage is refused (private mode, blocked cookies)
  var queue = [];
  var timer = null;

  function get(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return memory[key] || null; }
  }
  function set(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { memory[key] = value; }
  }

  function uuid() {
    var c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function visitorId() {
    var id = get(ID_KEY);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = uuid().replace(/-/g, "");
      set(ID_KEY, id);
    }
    // The cookie lets page loads, sign-up and login link this visitor without any script.
    document.cookie = ID_KEY + "=" + id + "; path=/; max-age=63072000; SameSite=Lax";
    return id;
  }

  function track(name, properties) {
    queue.push({ name: name, properties: properties || {}, at: new Date().toISOString(), event_id: uuid() });
    if (queue.length > MAX_QUEUE) queue = queue.slice(-MAX_QUEUE);
    if (!timer) timer = setTimeout(flush, 5000);
  }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function flush() {
    clearTimeout(timer);
    timer = null;
    if (!queue.length) return;
    var batch = queue.splice(0, MAX_QUEUE);
    // Kept until the server has them; a retry counts once (event_id).
    set(QUEUE_KEY, JSON.stringify(batch));
    try {
      fetch(ENDPOINT, {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-Visitor-Id": vid, "X-CSRFToken": csrf() },
        body: JSON.stringify({ events: batch }),
      }).then(function (response) {
        // Sent, or refused for good (4xx other than throttling): forget them either way.
        if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429)) {
          set(QUEUE_KEY, "[]");
        }
      }, function () { /* offline: the next page sends them */ });
    } catch (e) { /* no fetch: nothing to do */ }
  }

  var vid = visitorId();
  try {
    var pending = JSON.parse(get(QUEUE_KEY) || "[]");
    // Anything older than the server accepts (72 h) would refuse the whole batch.
    var oldest = Date.now() - 70 * 3600 * 1000;
    if (Array.isArray(pending)) queue = pending.filter(function (e) { return e && Date.parse(e.at) > oldest; }).slice(-MAX_QUEUE + 2);
  } catch (e) { queue = []; }

  // A new session after 30 idle minutes: on a page load, or on coming back to an open tab.
  function touch() {
    var now = Date.now();
    var last = parseInt(get(LAST_KEY) || "0", 10);
    if (!last || now - last > SESSION_GAP_MS) track("session_start", { path: location.pathname });
    set(LAST_KEY, String(now));
  }
  touch();
  track("page_view", { path: location.pathname.slice(0, 300), referrer: (document.referrer || "").split("?")[0].slice(0, 300) });
  flush(); // the page view goes now, so that a quick next tap loses nothing

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") return touch();
    set(LAST_KEY, String(Date.now()));
    flush();
  });
  window.addEventListener("pagehide", function () { set(LAST_KEY, String(Date.now())); flush(); });

  window.tuanjuTrack = track; // for page scripts: window.tuanjuTrack("share_sheet_open", {...})
})();
