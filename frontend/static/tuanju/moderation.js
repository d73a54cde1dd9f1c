// The moderators' console (/moderation/): the one queue, an item with its context, claims and
// decisions, watched words. Reads and writes go through the REST API (API.md "Moderation"); the
// `moderation.queue` topic keeps the list live. Keyboard: j/k move, c claim, a approve, r remove,
// w warn, m mute, s suspend, b ban, / focus the filters, Esc back to the list.
(function () {
  "use strict";
  const root = document.querySelector("[data-mod-console]");
  if (!root) return;
  const { api } = window.tuanjuApi;
  const realtime = window.tuanjuRealtime;
  const L = JSON.parse(document.getElementById("moderation-labels").textContent);
  const me = root.dataset.me;

  const listEl = root.querySelector("[data-queue]");
  const emptyEl = root.querySelector("[data-queue-empty]");
  const moreEl = root.querySelector("[data-queue-more]");
  const countEl = root.querySelector("[data-queue-count]");
  const pane = root.querySelector("[data-pane]");
  const flashEl = root.querySelector("[data-flash]");
  const filters = root.querySelector("[data-filters]");

  const rows = new Map(); // item id -> {item, el}
  let next = null;
  let selected = null; // item id
  let detail = null; // the open item, with its context
  let pending = null; // an action waiting for its reason
  let busy = false;
  let refetchTimer = null;

  const KEYS = { a: "approve", r: "remove", w: "warn", m: "mute", s: "suspend", b: "ban" };
  const BUTTONS = [
    ["approve", "a", "通过"],
    ["remove", "r", "删除"],
    ["warn", "w", "警告"],
    ["mute", "m", "禁言"],
    ["suspend", "s", "封禁"],
    ["ban", "b", "永久封禁"],
  ];
  const APPEAL_BUTTONS = [
    ["approve", "a", "接受申诉"],
    ["remove", "r", "驳回申诉"],
  ];
  const DURATIONS = [
    ["", "默认（禁言 24 小时 / 封禁 7 天）"],
    ["1", "1 小时"],
    ["24", "24 小时"],
    ["72", "3 天"],
    ["168", "7 天"],
    ["720", "30 天"],
    ["2160", "90 天"],
  ];
  const DONE = {
    approve: "已通过",
    remove: "已删除",
    warn: "已警告",
    mute: "已禁言",
    suspend: "已封禁",
    ban: "已永久封禁",
  };
  const CONFLICTS = {
    stale_version: "这条内容刚被其他管理员处理或更新过，已为你重新加载，请确认后再操作。",
    already_claimed: "这条内容已被其他管理员认领，已为你重新加载。",
    already_resolved: "这条内容已处理完毕，已为你重新加载。",
  };

  // --- helpers --------------------------------------------------------------------------------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("data") || key.startsWith("aria") || key === "role") {
        el.setAttribute(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), value);
      } else el[key] = value;
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  const narrow = () => !window.matchMedia("(min-width: 900px)").matches;
  const label = (table, code) => (L[table] && L[table][code]) || code || "—";
  const typeLabel = (code) => label("types", code);
  const score = (value) => Number(value || 0).toFixed(1);

  function ago(iso) {
    if (!iso) return "";
    const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 60) return "刚刚";
    if (seconds < 3600) return `${Math.floor(seconds / 60)} 分钟前`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)} 小时前`;
    const date = new Date(iso);
    return `${date.getMonth() + 1}月${date.getDate()}日`;
  }

  function flash(message, tone = "info") {
    flashEl.textContent = message;
    flashEl.dataset.tone = tone;
    flashEl.hidden = !message;
    clearTimeout(flash.timer);
    if (message && tone !== "error") flash.timer = setTimeout(() => (flashEl.hidden = true), 6000);
  }

  function previewText(item) {
    const preview = item.preview || {};
    if (item.target_type === "appeal") return item.note || "用户对处理结果提出申诉";
    if (preview.gone) return "（内容已不存在）";
    return preview.text || preview.title || item.note || "（无文字内容）";
  }

  // --- the queue ------------------------------------------------------------------------------

  function queueUrl() {
    const params = new URLSearchParams();
    for (const name of ["type", "category", "status"]) {
      const value = filters.elements[name].value;
      if (value) params.set(name, value);
    }
    const query = params.toString();
    return `/api/v1/moderation/queue/${query ? `?${query}` : ""}`;
  }

  function matchesFilters(item) {
    const status = filters.elements.status.value;
    if (status ? item.status !== status : item.status === "resolved") return false;
    const type = filters.elements.type.value;
    if (type && item.target_type !== type) return false;
    const category = filters.elements.category.value;
    return !category || (item.categories || []).includes(category);
  }

  function renderRow(item, el) {
    el = el || h("li", { class: "mod-row", tabIndex: -1, dataTestid: "queue-item" });
    el.dataset.itemId = String(item.id);
    el.dataset.status = item.status;
    el.classList.toggle("claimed", item.status === "claimed");
    el.classList.toggle("mine", item.claimed_by === me);
    el.classList.toggle("resolved", item.status === "resolved");
    el.setAttribute("aria-selected", String(item.id === selected));
    const cats = (item.categories || []).map((c) => label("categories", c)).join(" · ");
    const claimed = item.claimed_by
      ? h("span", {
          class: "claimed-by",
          dataTestid: "claimed-by",
          text: item.claimed_by === me ? "我在处理" : `@${item.claimed_by} 处理中`,
        })
      : null;
    el.replaceChildren(
      h(
        "div",
        { class: "row-top" },
        h("span", { class: `type-badge t-${item.target_type}`, text: typeLabel(item.target_type) }),
        cats ? h("span", { class: "cats", text: cats }) : null,
        h("span", { class: "score", title: "风险分", dataTestid: "score", text: score(item.score) }),
      ),
      h("p", { class: "row-preview", text: previewText(item) }),
      h(
        "div",
        { class: "row-meta" },
        item.reports_count ? h("span", { text: `${item.reports_count} 人举报` }) : null,
        h("span", { text: label("sources", item.source) }),
        item.hidden ? h("span", { class: "badge hidden-badge", dataTestid: "hidden-badge", text: "已隐藏" }) : null,
        item.status === "resolved" ? h("span", { class: "badge", text: "已处理" }) : null,
        claimed,
        h("span", { class: "when", text: ago(item.created_at) }),
      ),
    );
    return el;
  }

  function updateCount() {
    const open = [...rows.values()].filter((row) => row.item.status !== "resolved").length;
    countEl.textContent = rows.size ? `${open}${next ? "+" : ""}` : "";
    emptyEl.hidden = rows.size > 0;
    moreEl.hidden = !next;
  }

  function addRows(items, { fresh = new Set() } = {}) {
    for (const item of items) {
      const existing = rows.get(item.id);
      const el = renderRow(item, existing && existing.el);
      if (fresh.has(item.id)) el.classList.add("fresh");
      rows.set(item.id, { item, el });
      listEl.appendChild(el);
    }
    updateCount();
  }

  async function loadQueue({ keep = true } = {}) {
    const before = new Set(rows.keys());
    let page;
    try {
      page = await api(queueUrl());
    } catch (error) {
      flash(error.message, "error");
      return;
    }
    rows.clear();
    listEl.replaceChildren();
    next = page.next;
    const fresh = keep && before.size ? new Set(page.results.filter((i) => !before.has(i.id)).map((i) => i.id)) : new Set();
    addRows(page.results, { fresh });
    if (fresh.size) flash(`有 ${fresh.size} 条新内容进入队列`);
    if (selected !== null && rows.has(selected)) markSelected(selected);
    else if (selected === null && rows.size && !narrow()) {
      select([...rows.keys()][0]);
    }
  }

  async function loadMore() {
    if (!next) return;
    const page = await api(next);
    next = page.next;
    addRows(page.results.filter((item) => !rows.has(item.id)));
  }

  function markSelected(id) {
    for (const [rowId, row] of rows) {
      row.el.setAttribute("aria-selected", String(rowId === id));
      row.el.classList.toggle("selected", rowId === id);
    }
  }

  function select(id, { open = false } = {}) {
    if (id === null || id === undefined) return;
    selected = id;
    markSelected(id);
    const row = rows.get(id);
    if (row) row.el.scrollIntoView({ block: "nearest" });
    if (open) root.dataset.view = "item";
    if (root.dataset.view === "item" && narrow()) window.scrollTo(0, 0);
    loadItem(id);
  }

  function move(step) {
    const ids = [...rows.keys()];
    if (!ids.length) return;
    const at = ids.indexOf(selected);
    const to = at === -1 ? 0 : Math.min(ids.length - 1, Math.max(0, at + step));
    if (ids[to] !== selected) select(ids[to]);
  }

  function upsertRow(item) {
    const row = rows.get(item.id);
    if (!row) return;
    row.item = { ...row.item, ...item };
    renderRow(row.item, row.el);
    row.el.classList.toggle("selected", item.id === selected);
    updateCount();
  }

  function dropRow(id) {
    const row = rows.get(id);
    if (!row) return;
    const ids = [...rows.keys()];
    const at = ids.indexOf(id);
    row.el.remove();
    rows.delete(id);
    updateCount();
    return ids[at + 1] ?? ids[at - 1] ?? null;
  }

  // --- one item -------------------------------------------------------------------------------

  async function loadItem(id) {
    pane.hidden = false;
    pane.setAttribute("aria-busy", "true");
    try {
      const item = await api(`/api/v1/moderation/items/${id}/`);
      if (selected !== id) return; // the moderator moved on meanwhile
      detail = item;
      pending = null;
      renderPane();
      upsertRow(item);
    } catch (error) {
      pane.replaceChildren(h("p", { class: "error", text: error.message }));
    } finally {
      pane.removeAttribute("aria-busy");
    }
  }

  function section(title, ...children) {
    return h("section", { class: "pane-section" }, h("h3", { text: title }), ...children);
  }

  function renderContent(item) {
    const preview = item.preview || {};
    const body = h("div", { class: "pane-content", dataTestid: "item-content" });
    if (item.target_type === "appeal" && item.appeal) {
      const a = item.appeal;
      body.append(
        h("p", { class: "small muted", text: `原处理：${label("actions", a.decision__action)} · ${typeLabel(a.decision__target_type)} #${a.decision__target_id}` }),
        a.decision__reason ? h("p", { class: "small", text: `原理由：${a.decision__reason}` }) : null,
        h("blockquote", { class: "appeal-body", dataTestid: "appeal-body", text: a.body }),
      );
      return body;
    }
    body.append(h("p", { class: "content-text", text: previewText(item) }));
    if (preview.image_url) body.append(h("img", { src: preview.image_url, alt: "图片", loading: "lazy" }));
    const meta = h("p", { class: "small muted" });
    if (preview.author) meta.append(`作者 @${preview.author}`);
    if (preview.stream_title) meta.append(` · 直播「${preview.stream_title}」`);
    if (preview.private) meta.append(" · 私密会话");
    if (preview.url) meta.append(" · ", h("a", { href: preview.url, target: "_blank", rel: "noopener", text: "查看原文 ↗" }));
    if (meta.childNodes.length) body.append(meta);
    if (item.note) body.append(h("p", { class: "small note", text: item.note }));
    return body;
  }

  const KINDS = { post: "笔记", product: "商品", collection: "合集", listing: "上架商品", reward: "奖励", comment: "评论" };

  function contextRow(row) {
    // Rows come from each app's registry entry: chat messages and live comments carry
    // sender/body/target; feeds and groupbuy rows carry a kind (image, topic, post, product…).
    if (row.kind === "image" && row.url) {
      return h("li", { class: "ctx-image" }, h("img", { src: row.url, alt: "图片", loading: "lazy" }));
    }
    if (row.kind === "topic") return h("li", {}, h("span", { class: "topic", text: `#${row.name}` }));
    const who = row.sender || row.author || row.user || "";
    const title = row.title ? `「${row.title}」` : "";
    const text = row.deleted ? "（已删除）" : row.body ?? row.text ?? "";
    const kind = row.kind && row.kind !== "comment" ? KINDS[row.kind] || typeLabel(row.kind) : "";
    const gone = row.hidden || row.deleted || ["hidden", "removed"].includes(row.status);
    return h(
      "li",
      { class: `${row.target ? "target" : ""}${gone ? " gone" : ""}${row.is_parent ? " parent" : ""}` },
      kind ? h("span", { class: "type-badge", text: kind }) : null,
      kind ? " " : null,
      who ? h("strong", { text: `@${who}` }) : null,
      who ? " " : null,
      row.url && title ? h("a", { href: row.url, target: "_blank", rel: "noopener", text: title }) : title,
      title && text ? " " : null,
      h("span", { text }),
      gone ? h("span", { class: "badge", text: "已隐藏" }) : null,
    );
  }

  function renderContext(rowsOf) {
    if (!rowsOf || !rowsOf.length) return null;
    const images = rowsOf.filter((row) => row.kind === "image" && row.url);
    const others = rowsOf.filter((row) => !(row.kind === "image" && row.url));
    return section(
      "上下文",
      images.length ? h("ul", { class: "ctx-images" }, images.map(contextRow)) : null,
      others.length ? h("ol", { class: "ctx", dataTestid: "item-context" }, others.map(contextRow)) : null,
    );
  }

  function renderReports(reports) {
    if (!reports || !reports.length) return null;
    const list = h("ul", { class: "reports", dataTestid: "item-reports" });
    for (const r of reports) {
      list.append(
        h(
          "li",
          {},
          h(
            "div",
            { class: "spread small" },
            h("span", {}, h("span", { class: "tag", text: label("categories", r.category) }), ` @${r.reporter__username}`),
            h("span", { class: "muted", text: `权重 ${score(r.weight)} · ${ago(r.created_at)}` }),
          ),
          r.note ? h("p", { class: "report-note", text: r.note }) : null,
        ),
      );
    }
    return section(`举报（${reports.length}）`, list);
  }

  function renderAuthor(item) {
    const level = item.author_trust_level;
    const strikes = item.author_active_strikes || 0;
    const facts = h(
      "p",
      { class: "author-facts", dataTestid: "author-facts" },
      h("span", { class: "badge", text: `信任等级 ${level === null || level === undefined ? "—" : `L${level}`}` }),
      " ",
      h("span", { class: `badge ${strikes ? "strikes" : ""}`, text: `有效违规 ${strikes} 次` }),
    );
    const history = item.author_history || [];
    const list = history.length
      ? h(
          "ul",
          { class: "history small" },
          history.map((d) =>
            h(
              "li",
              {},
              h("strong", { text: label("actions", d.action) }),
              ` ${typeLabel(d.target_type)} · ${d.reason || "无理由"} · ${ago(d.created_at)}`,
              d.reversed_at ? h("span", { class: "badge", text: "已撤销" }) : null,
            ),
          ),
        )
      : h("p", { class: "small muted", text: "暂无处理记录" });
    return section("作者情况", facts, list);
  }

  function renderActions(item) {
    const resolved = item.status === "resolved";
    const box = h("section", { class: "pane-actions", dataTestid: "item-actions" });
    const suggested = item.suggested_action;
    const isAppeal = item.target_type === "appeal";
    if (suggested && !isAppeal && !resolved) {
      box.append(
        h(
          "p",
          { class: "suggest", dataTestid: "suggested-action" },
          "建议处理：",
          h("strong", { text: label("actions", suggested) }),
          h("span", { class: "muted small", text: `（按作者 ${item.author_active_strikes || 0} 次有效违规）` }),
        ),
      );
    }
    if (resolved) {
      box.append(h("p", { class: "muted", text: "这条内容已处理完毕。" }));
      return box;
    }
    const claimLine = h("div", { class: "claim-line" });
    if (item.claimed_by && item.claimed_by !== me) {
      claimLine.append(h("span", { class: "claimed-other", dataTestid: "claimed-other", text: `@${item.claimed_by} 正在处理这条内容` }));
    } else if (item.claimed_by === me) {
      claimLine.append(h("span", { class: "claimed-me", text: "✓ 你已认领" }));
    } else {
      claimLine.append(
        h("button", { type: "button", class: "button ghost small", dataAction: "claim", dataTestid: "claim", text: "认领 " }, h("kbd", { text: "c" })),
      );
    }
    box.append(claimLine);
    const form = h("form", { class: "decide", dataDecide: "" });
    form.append(
      h(
        "label",
        {},
        isAppeal ? "处理理由（驳回时必填，会告知用户）" : "处理理由（“通过”以外必填，会告知作者）",
        h("textarea", { name: "reason", rows: 2, maxLength: 500, dataTestid: "decide-reason", placeholder: isAppeal ? "例如：经复核，原处理无误" : "例如：含有引流广告，违反社区规范第 3 条" }),
      ),
    );
    if (!isAppeal) {
      const select = h("select", { name: "duration_hours", dataTestid: "decide-duration" });
      for (const [value, text] of DURATIONS) select.append(h("option", { value, text }));
      form.append(h("label", {}, "时长（禁言 / 封禁）", select));
    }
    const grid = h("div", { class: `decide-buttons${isAppeal ? " two" : ""}` });
    for (const [action, key, text] of isAppeal ? APPEAL_BUTTONS : BUTTONS) {
      grid.append(
        h(
          "button",
          {
            type: "button",
            class: `decide-btn a-${action}${action === suggested && !isAppeal ? " suggested" : ""}`,
            dataAction: action,
            dataTestid: `decide-${action}`,
            disabled: Boolean(item.claimed_by && item.claimed_by !== me),
          },
          text,
          h("kbd", { text: key }),
        ),
      );
    }
    form.append(grid, h("p", { class: "error small", dataDecideError: "", role: "alert", dataTestid: "decide-error" }));
    box.append(form);
    return box;
  }

  function renderPane() {
    const item = detail;
    const top = h(
      "div",
      { class: "pane-top" },
      h("button", { type: "button", class: "pane-back", dataAction: "back", ariaLabel: "返回队列", text: "‹ 队列" }),
      h("span", { class: `type-badge t-${item.target_type}`, text: typeLabel(item.target_type) }),
      h("span", { class: "muted small", text: `#${item.target_id}` }),
      h("span", { class: "grow" }),
      item.hidden ? h("span", { class: "badge hidden-badge", text: "已隐藏" }) : null,
      h("span", { class: `status s-${item.status}`, dataTestid: "item-status", text: label("statuses", item.status) }),
      h("span", { class: "score", title: "风险分", text: score(item.score) }),
    );
    const cats = (item.categories || []).map((c) => h("span", { class: "tag", text: label("categories", c) }));
    const parts = [
      top,
      cats.length ? h("div", { class: "tags" }, cats) : null,
      renderContent(item),
      renderContext(item.context),
      renderReports(item.reports),
      renderAuthor(item),
      renderActions(item),
    ];
    pane.replaceChildren(...parts.filter(Boolean));
    pane.dataset.itemId = String(item.id);
  }

  // --- claiming and deciding ------------------------------------------------------------------

  async function conflict(error) {
    const message = CONFLICTS[error.code] || error.message;
    flash(message, "error");
    if (selected !== null) await loadItem(selected);
    // Also next to the buttons: on a phone the flash line may be scrolled out of view.
    const actions = pane.querySelector("[data-testid=item-actions]");
    if (actions) {
      const note = h("p", { class: "conflict", role: "alert", dataTestid: "conflict", text: message });
      actions.prepend(note);
    }
  }

  async function claim() {
    if (!detail || busy || detail.status === "resolved") return;
    busy = true;
    try {
      const item = await api(`/api/v1/moderation/items/${detail.id}/claim/`, { method: "POST" });
      detail = { ...detail, ...item };
      upsertRow(item);
      renderPane();
      flash("已认领，其他管理员会看到你在处理这条内容。");
    } catch (error) {
      if (CONFLICTS[error.code]) await conflict(error);
      else flash(error.message, "error");
    } finally {
      busy = false;
    }
  }

  function pendingHint(action) {
    pending = action;
    const form = pane.querySelector("[data-decide]");
    if (!form) return;
    form.querySelectorAll("[data-action]").forEach((b) => b.classList.toggle("pending", b.dataset.action === action));
    form.querySelector("[data-decide-error]").textContent = `请填写处理理由，按 Enter 确认「${label("actions", action)}」。`;
    form.elements.reason.focus();
  }

  async function decide(action) {
    if (!detail || busy) return;
    const form = pane.querySelector("[data-decide]");
    if (!form) return;
    const button = form.querySelector(`[data-action="${action}"]`);
    if (!button || button.disabled) return;
    const reason = form.elements.reason.value.trim();
    if (action !== "approve" && !reason) {
      pendingHint(action);
      return;
    }
    if (action === "ban" && !window.confirm("确定永久封禁该用户吗？")) return;
    const body = { action, reason, version: detail.version };
    const hours = form.elements.duration_hours && form.elements.duration_hours.value;
    if ((action === "mute" || action === "suspend") && hours) body.duration_hours = Number(hours);
    busy = true;
    form.querySelectorAll("button").forEach((b) => (b.disabled = true));
    try {
      const item = await api(`/api/v1/moderation/items/${detail.id}/decide/`, { method: "POST", body });
      const what = `${typeLabel(item.target_type)} #${item.target_id}`;
      const verb = item.target_type === "appeal" ? (action === "approve" ? "已接受申诉" : "已驳回申诉") : DONE[action];
      flash(`${verb} · ${what}`, "ok");
      const stays = matchesFilters(item);
      const following = stays ? null : dropRow(item.id);
      if (stays) upsertRow(item);
      detail = null;
      pending = null;
      if (following !== null && following !== undefined) select(following);
      else if (stays) select(item.id);
      else {
        selected = null;
        pane.hidden = true;
        root.dataset.view = "queue";
      }
    } catch (error) {
      if (CONFLICTS[error.code]) {
        await conflict(error);
      } else {
        const errorEl = form.querySelector("[data-decide-error]");
        errorEl.textContent = error.code === "reason_required" ? "请填写处理理由。" : error.message;
        form.querySelectorAll("button").forEach((b) => (b.disabled = false));
      }
    } finally {
      busy = false;
    }
  }

  pane.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "back") {
      root.dataset.view = "queue";
      const row = rows.get(selected);
      if (row) {
        row.el.focus({ preventScroll: true });
        row.el.scrollIntoView({ block: "center" });
      }
    } else if (action === "claim") claim();
    else decide(action);
  });
  pane.addEventListener("keydown", (event) => {
    if (event.target.name === "reason" && event.key === "Enter" && !event.shiftKey && pending) {
      event.preventDefault();
      decide(pending);
    }
  });

  listEl.addEventListener("click", (event) => {
    const row = event.target.closest("[data-item-id]");
    if (row) select(Number(row.dataset.itemId), { open: true });
  });
  moreEl.addEventListener("click", () => loadMore().catch((error) => flash(error.message, "error")));
  filters.addEventListener("change", () => {
    selected = null;
    detail = null;
    pane.hidden = true;
    root.dataset.view = "queue";
    loadQueue({ keep: false });
  });

  // --- keyboard -------------------------------------------------------------------------------

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (root.querySelector('[data-panel="queue"]').hidden) return;
    if (document.documentElement.classList.contains("sheet-open")) return;
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape") {
      if (typing) event.target.blur();
      else root.dataset.view = "queue";
      return;
    }
    if (typing) return;
    const key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
    } else if (key === "/") {
      event.preventDefault();
      filters.elements.type.focus();
    } else if (key === "Enter" && selected !== null) {
      root.dataset.view = "item";
    } else if (key === "c") {
      claim();
    } else if (KEYS[key]) {
      event.preventDefault();
      decide(KEYS[key]);
    }
  });

  // --- live updates ---------------------------------------------------------------------------

  function changed(state) {
    if (state.gone) {
      dropRow(state.id);
      return;
    }
    const row = rows.get(state.id);
    const isOpen = detail && detail.id === state.id;
    if (!row) {
      // Something new (or newly matching): fetch the page again, in queue order.
      if (state.status !== "resolved") {
        clearTimeout(refetchTimer);
        refetchTimer = setTimeout(() => loadQueue(), 300);
      }
      return;
    }
    const merged = { ...row.item, ...state };
    if (!matchesFilters(merged) && !isOpen) {
      dropRow(state.id);
      return;
    }
    upsertRow(state);
    if (isOpen && state.version !== detail.version && !busy) {
      const other = state.claimed_by && state.claimed_by !== me;
      if (state.status === "resolved") flash("这条内容已被其他管理员处理。", "error");
      else if (other) flash(`@${state.claimed_by} 认领了这条内容。`, "error");
      loadItem(state.id);
    }
  }

  if (realtime) {
    realtime.subscribe("moderation.queue");
    realtime.onEvent((event) => {
      if (event.type === "moderation.item.changed" && event.data) changed(event.data);
      else if (event.type === "realtime.subscribed" && event.topic === "moderation.queue") {
        // Subscribed (again, after a reconnect): catch up on what the socket may have missed.
        root.dataset.live = "1";
        if (listEl.dataset.loaded) loadQueue();
      }
    });
  }

  // --- watched words --------------------------------------------------------------------------

  const wordsEl = root.querySelector("[data-words]");
  const wordsEmpty = root.querySelector("[data-words-empty]");
  const wordForm = root.querySelector("[data-word-form]");

  function wordRow(word) {
    return h(
      "li",
      { dataWordId: String(word.id), dataTestid: "word" },
      h("strong", { class: "grow", text: word.word }),
      h("span", { class: `tag w-${word.action}`, text: label("word_actions", word.action) }),
      h("button", { type: "button", class: "link small", dataDeleteWord: String(word.id), ariaLabel: `删除 ${word.word}`, text: "删除" }),
    );
  }

  async function loadWords() {
    const items = [];
    let url = "/api/v1/moderation/watched-words/";
    while (url && items.length < 1000) {
      const page = await api(url);
      items.push(...page.results);
      url = page.next;
    }
    wordsEl.replaceChildren(...items.map(wordRow));
    wordsEmpty.hidden = items.length > 0;
  }

  wordForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errorEl = wordForm.querySelector("[data-word-error]");
    errorEl.textContent = "";
    const word = wordForm.elements.word.value.trim();
    if (!word) {
      errorEl.textContent = "请输入词语。";
      return;
    }
    try {
      await api("/api/v1/moderation/watched-words/", { method: "POST", body: { word, action: wordForm.elements.action.value } });
      wordForm.elements.word.value = "";
      await loadWords();
    } catch (error) {
      const fields = Object.values(error.fields || {}).flat().join(" ");
      errorEl.textContent = error.status === 409 || /exist|unique/i.test(fields) ? "这个词已经在列表里了。" : fields || error.message;
    }
  });
  wordsEl.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-delete-word]");
    if (!button) return;
    try {
      await api(`/api/v1/moderation/watched-words/${button.dataset.deleteWord}/`, { method: "DELETE" });
      button.closest("li").remove();
      wordsEmpty.hidden = wordsEl.children.length > 0;
    } catch (error) {
      flash(error.message, "error");
    }
  });

  // --- tabs -----------------------------------------------------------------------------------

  root.querySelectorAll("[data-tab]").forEach((tab) =>
    tab.addEventListener("click", () => {
      const name = tab.dataset.tab;
      root.querySelectorAll("[data-tab]").forEach((t) => {
        t.classList.toggle("active", t === tab);
        t.setAttribute("aria-selected", String(t === tab));
      });
      root.querySelectorAll("[data-panel]").forEach((p) => (p.hidden = p.dataset.panel !== name));
      if (name === "words") loadWords().catch((error) => flash(error.message, "error"));
    }),
  );

  loadQueue({ keep: false }).then(() => {
    listEl.dataset.loaded = "1";
  });
})();

// 我的处理记录 (/me/moderation/): one appeal per decision, sent to /api/v1/appeals/.
(function () {
  "use strict";
  const ERRORS = {
    already_appealed: "这条处理已经申诉过了。",
    appeal_window_closed: "已超过申诉期限。",
    not_appealable: "这条处理不能申诉。",
    forbidden: "只能申诉关于你自己内容的处理。",
  };
  document.querySelectorAll("form[data-appeal-form]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const errorEl = form.querySelector("[data-form-error]");
      const button = form.querySelector('button[type="submit"]');
      const body = form.elements.body.value.trim();
      errorEl.textContent = "";
      if (!body) {
        errorEl.textContent = "请写下申诉理由。";
        return;
      }
      button.disabled = true;
      try {
        await window.tuanjuApi.api("/api/v1/appeals/", {
          method: "POST",
          body: { decision: Number(form.dataset.appealForm), body },
        });
        const state = document.createElement("span");
        state.className = "appeal-state pending";
        state.setAttribute("data-testid", "appeal-status");
        state.textContent = "申诉审核中";
        const note = document.createElement("p");
        note.className = "small muted";
        note.textContent = `你的申诉：${body}`;
        form.closest("details").replaceWith(state, note);
      } catch (error) {
        errorEl.textContent = ERRORS[error.code] || error.message;
        button.disabled = false;
      }
    });
  });
})();

// 处理公示 (/moderation/log/): the first page is rendered; 更多 follows the API's cursor.
(function () {
  "use strict";
  const list = document.querySelector("[data-log]");
  const more = document.querySelector("[data-log-more]");
  if (!list || !more) return;
  const labels = JSON.parse(document.getElementById("moderation-labels").textContent);
  const size = Number(list.dataset.pageSize || 20);
  let next = null;
  let started = false;

  const stamp = (iso) => {
    const d = new Date(iso);
    const two = (n) => String(n).padStart(2, "0");
    return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  };

  function row(entry) {
    const li = document.createElement("li");
    li.dataset.logId = String(entry.id);
    li.setAttribute("data-testid", "log-entry");
    const badge = document.createElement("span");
    badge.className = `action-badge a-${entry.action}`;
    badge.textContent = labels.actions[entry.action] || entry.action;
    const what = document.createElement("span");
    what.className = "what";
    const category = entry.category ? labels.categories[entry.category] || entry.category : "—";
    what.textContent = `${labels.types[entry.target_type] || entry.target_type} · ${category}`;
    const time = document.createElement("time");
    time.dateTime = entry.at;
    time.textContent = stamp(entry.at);
    const reason = document.createElement("p");
    reason.className = "reason";
    reason.textContent = entry.reason || "—";
    li.append(badge, what, time, reason);
    return li;
  }

  async function page(url) {
    const data = await window.tuanjuApi.api(url);
    next = data.next;
    for (const entry of data.results) {
      if (!list.querySelector(`[data-log-id="${entry.id}"]`)) list.appendChild(row(entry));
    }
  }

  more.addEventListener("click", async () => {
    const errorEl = document.querySelector("[data-log-error]");
    more.disabled = true;
    try {
      if (!started) {
        // The page rendered the first page; walk the API's cursor from the same place.
        started = true;
        await page(`/api/v1/moderation/log/?page_size=${size}`);
      }
      if (next) await page(next);
      more.hidden = !next;
    } catch (error) {
      errorEl.textContent = error.message;
    } finally {
      more.disabled = false;
    }
  });
})();
