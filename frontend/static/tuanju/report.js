// The report bottom sheet (举报), shared by every page (PRODUCT.md §15, API.md "Moderation").
// - <button data-report="post" data-report-id="12">举报</button> opens it on click;
// - <li data-report-press="message" data-report-id="7"> opens it on a long press (or right click);
// - window.tuanjuReport.open(type, id) opens it from a script.
// Submitting posts {target_type, target_id, category, note} to /api/v1/reports/.
(function () {
  "use strict";

  const TYPES = {
    post: "笔记",
    comment: "评论",
    message: "消息",
    live_comment: "直播评论",
    review: "评价",
    storefront: "店铺",
    product: "商品",
    share_link: "分享链接",
    user: "用户",
  };
  const ERRORS = {
    already_reported: "你已经举报过这条内容，我们正在处理，请耐心等待结果。",
    bad_target: "这条内容已不存在或无法举报。",
    sanctioned: "你的账号当前受限，暂时无法举报。",
    throttled: "操作太频繁了，请稍后再试。",
  };
  const PRESS_MS = 550;

  let target = null; // {type, id, opener}

  const sheet = () => document.querySelector("[data-report-sheet]");

  function loginFirst() {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`/login/?next=${encodeURIComponent(next)}`);
  }

  function open(type, id, opener) {
    const root = sheet();
    if (!root) {
      loginFirst();
      return;
    }
    target = { type, id: Number(id), opener: opener || document.activeElement };
    const form = root.querySelector("[data-report-form]");
    form.reset();
    form.hidden = false;
    root.querySelector("[data-report-done]").hidden = true;
    root.querySelector("[data-report-error]").textContent = "";
    root.querySelector("[data-report-what]").textContent = TYPES[type] ? ` · ${TYPES[type]}` : "";
    root.hidden = false;
    document.documentElement.classList.add("sheet-open");
    requestAnimationFrame(() => root.classList.add("shown"));
    const first = root.querySelector('input[name="category"]');
    if (first) first.focus({ preventScroll: true });
  }

  function close() {
    const root = sheet();
    if (!root || root.hidden) return;
    root.classList.remove("shown");
    root.hidden = true;
    document.documentElement.classList.remove("sheet-open");
    const opener = target && target.opener;
    target = null;
    if (opener && typeof opener.focus === "function" && opener.isConnected) {
      opener.focus({ preventScroll: true });
    }
  }

  async function submit(event) {
    event.preventDefault();
    const root = sheet();
    const form = event.target;
    const errorEl = root.querySelector("[data-report-error]");
    const button = form.querySelector('button[type="submit"]');
    const chosen = form.querySelector('input[name="category"]:checked');
    errorEl.textContent = "";
    if (!chosen) {
      errorEl.textContent = "请选择一个举报原因。";
      return;
    }
    if (!target) return;
    button.disabled = true;
    try {
      await window.tuanjuApi.api("/api/v1/reports/", {
        method: "POST",
        body: {
          target_type: target.type,
          target_id: target.id,
          category: chosen.value,
          note: form.elements.note.value.trim(),
        },
      });
      markReported(target);
      form.hidden = true;
      root.querySelector("[data-report-done]").hidden = false;
      root.querySelector("[data-report-done] button").focus({ preventScroll: true });
    } catch (error) {
      if (error.status === 401) {
        loginFirst();
        return;
      }
      if (error.code === "already_reported") markReported(target);
      errorEl.textContent = ERRORS[error.code] || error.message || "提交失败，请稍后再试。";
      form.dataset.errorCode = error.code || "";
    } finally {
      button.disabled = false;
    }
  }

  function markReported({ type, id }) {
    document
      .querySelectorAll(`[data-report="${type}"][data-report-id="${id}"]`)
      .forEach((el) => {
        el.classList.add("reported");
        el.setAttribute("aria-label", "已举报");
        if (el.dataset.reportKeepLabel === undefined) el.textContent = "已举报";
      });
  }

  // --- opening --------------------------------------------------------------------------------

  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[data-report]");
    if (trigger) {
      event.preventDefault();
      const menu = trigger.closest("details[open]");
      if (menu) menu.open = false;
      open(trigger.dataset.report, trigger.dataset.reportId, trigger);
      return;
    }
    if (event.target.closest("[data-report-close]")) {
      close();
      return;
    }
    const root = sheet();
    if (root && event.target === root) close(); // a tap on the dimmed backdrop
  });

  document.addEventListener("submit", (event) => {
    if (event.target.matches("[data-report-form]")) submit(event);
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && sheet() && !sheet().hidden) close();
  });

  // Long press on [data-report-press] (chat messages): a still finger for PRESS_MS.
  let press = null;
  let pressOpenedAt = 0;
  const cancelPress = () => {
    if (press) clearTimeout(press.timer);
    press = null;
  };
  document.addEventListener("pointerdown", (event) => {
    const el = event.target.closest("[data-report-press]");
    if (!el || event.button > 0 || event.target.closest("a, button, input, textarea")) return;
    cancelPress();
    press = {
      x: event.clientX,
      y: event.clientY,
      timer: setTimeout(() => {
        press = null;
        pressOpenedAt = Date.now();
        open(el.dataset.reportPress, el.dataset.reportId, el);
      }, PRESS_MS),
    };
  });
  document.addEventListener("pointermove", (event) => {
    if (press && Math.hypot(event.clientX - press.x, event.clientY - press.y) > 10) cancelPress();
  });
  ["pointerup", "pointercancel", "scroll"].forEach((name) =>
    document.addEventListener(name, cancelPress, true),
  );
  document.addEventListener("contextmenu", (event) => {
    const el = event.target.closest("[data-report-press]");
    if (!el || event.target.closest("a, img")) return;
    event.preventDefault();
    if (Date.now() - pressOpenedAt < 1500) return; // the long press already opened it
    cancelPress();
    open(el.dataset.reportPress, el.dataset.reportId, el);
  });

  window.tuanjuReport = { open, close, types: TYPES };
})();
