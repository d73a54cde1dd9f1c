// The staff insights dashboard: reads the staff metrics endpoints for the chosen date range,
// draws the charts with Chart.js, and keeps the live panel fed from the insights.live topic.
(function () {
  "use strict";
  const root = document.querySelector("[data-insights]");
  if (!root) return;
  const { api } = window.tuanjuApi;
  const realtime = window.tuanjuRealtime;
  const charts = {};
  window.tuanjuInsightsCharts = charts; // for the browser test and the console

  const form = root.querySelector("[data-range]");
  const errorBox = root.querySelector("[data-error]");
  const funnelForm = root.querySelector("[data-funnel-form]");
  const intervalSelect = root.querySelector("[data-interval]");

  const RED = "#e4393c";
  const BLUE = "#3b82f6";
  const COLORS = { new: "#22c55e", returning: BLUE, resurrecting: "#f59e0b", dormant: "#9ca3af" };
  const LIFECYCLE_LABELS = { new: "新用户", returning: "回流", resurrecting: "唤醒", dormant: "沉睡" };
  const CHANNEL_LABELS = {
    organic: "自然注册",
    share: "分享链接",
    invite: "邀请码",
    unknown: "未知",
  };
  const ERROR_TEXT = {
    bad_range: "日期范围不正确（最长 366 天，开始日期不能晚于结束日期）。",
    bad_funnel: "漏斗步骤需要 2–8 个事件名（逗号分隔），窗口 1–2160 小时。",
    forbidden: "只有运营人员可以查看数据看板。",
  };

  function range() {
    const data = new FormData(form);
    return { from: data.get("from"), to: data.get("to") };
  }

  function query(extra) {
    const params = new URLSearchParams({ ...range(), ...(extra || {}) });
    return params.toString();
  }

  function funnelParams() {
    const data = new FormData(funnelForm);
    return { steps: String(data.get("steps") || "").replace(/\s+/g, ""), window_hours: data.get("window_hours") };
  }

  function endpoint(name) {
    const extra = name === "funnel" ? funnelParams() : name === "lifecycle" ? { interval: intervalSelect.value } : {};
    return `/api/v1/insights/${name}/?${query(extra)}`;
  }

  function showError(error) {
    errorBox.hidden = false;
    errorBox.textContent = ERROR_TEXT[error.code] || error.message || "加载失败，请稍后再试。";
  }

  function percent(value) {
    return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)}%`;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    const minutes = Math.floor(seconds / 60);
    return minutes ? `${minutes}分${Math.round(seconds % 60)}秒` : `${Math.round(seconds)}秒`;
  }

  function format(value, kind) {
    if (kind === "percent") return percent(value);
    if (kind === "duration") return duration(value);
    return value === null || value === undefined ? "–" : String(value);
  }

  function draw(id, config) {
    if (!window.Chart) return;
    if (charts[id]) charts[id].destroy();
    config.options = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      ...(config.options || {}),
    };
    charts[id] = new window.Chart(document.getElementById(id), config);
  }

  function updateCsvLinks() {
    root.querySelectorAll("[data-csv]").forEach((link) => {
      const url = new URL(endpoint(link.dataset.csv), window.location.origin);
      url.searchParams.set("format", "csv");
      link.href = url.pathname + url.search;
    });
  }

  // --- sections ------------------------------------------------------------------------------

  async function loadOverview() {
    const data = await api(endpoint("overview"));
    root.querySelectorAll("[data-metric]").forEach((cell) => {
      cell.textContent = format(data[cell.dataset.metric], cell.dataset.format);
    });
    draw("ins-trend", {
      type: "line",
      data: {
        labels: data.series.map((row) => row.date.slice(5)),
        datasets: [
          { label: "日活", data: data.series.map((row) => row.dau), borderColor: RED, backgroundColor: RED, tension: 0.25 },
          { label: "新用户", data: data.series.map((row) => row.new_users), borderColor: BLUE, backgroundColor: BLUE, tension: 0.25 },
          { label: "访问次数", data: data.series.map((row) => row.sessions), borderColor: "#9ca3af", backgroundColor: "#9ca3af", hidden: true },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  async function loadLifecycle() {
    const data = await api(endpoint("lifecycle"));
    const labels = data.periods.map((row) => row.period.slice(5));
    draw("ins-lifecycle", {
      type: "bar",
      data: {
        labels,
        datasets: ["new", "returning", "resurrecting", "dormant"].map((key) => ({
          label: LIFECYCLE_LABELS[key],
          // Dormant members are drawn below the axis: they are the ones who left.
          data: data.periods.map((row) => (key === "dormant" ? -row[key] : row[key])),
          backgroundColor: COLORS[key],
          stack: "lifecycle",
        })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } },
    });
  }

  async function loadFunnel() {
    const data = await api(endpoint("funnel"));
    const note = root.querySelector("[data-funnel-note]");
    note.textContent = data.open_windows
      ? `${data.open_windows} 人的转化窗口尚未结束，未计入。`
      : "";
    draw("ins-funnel", {
      type: "bar",
      data: {
        labels: data.steps.map((step) => step.name),
        datasets: [
          {
            label: "人数",
            data: data.steps.map((step) => step.users),
            backgroundColor: data.steps.map((_, index) => (index ? BLUE : RED)),
          },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              afterLabel: (item) => `转化率 ${percent(data.steps[item.dataIndex].conversion)}`,
            },
          },
        },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function heatCell(on, after) {
    const cell = document.createElement("td");
    if (on === null || on === undefined) {
      cell.textContent = "…";
      cell.className = "ins-pending";
      cell.title = "该批用户还不够久";
      return cell;
    }
    cell.textContent = `${percent(on)} (${percent(after)})`;
    // Heat: the share retained tints the cell, so strong cohorts stand out at a glance.
    cell.style.background = `rgb(228 57 60 / ${Math.min(0.85, 0.08 + on * 0.9).toFixed(2)})`;
    if (on > 0.45) cell.style.color = "#fff";
    return cell;
  }

  async function loadRetention() {
    const data = await api(endpoint("retention"));
    const body = root.querySelector("[data-retention]");
    body.replaceChildren();
    data.cohorts
      .slice()
      .reverse()
      .forEach((row) => {
        const tr = document.createElement("tr");
        const week = document.createElement("th");
        week.textContent = row.week;
        const size = document.createElement("td");
        size.textContent = row.size;
        tr.append(week, size);
        ["d1", "d7", "d30"].forEach((key) => tr.append(heatCell(row[key], row.on_or_after[key])));
        body.append(tr);
      });
  }

  async function loadBusiness() {
    const data = await api(endpoint("business"));
    const text = {
      repurchase: `${percent(data.repurchase.rate)}（${data.repurchase.repeat_payers}/${data.repurchase.payers}）`,
      group_buy: `${percent(data.group_buy.rate)}（${data.group_buy.succeeded}/${data.group_buy.opened}）`,
      share: data.share.k_factor === null ? "–" : `${data.share.k_factor}（${data.share.referred}/${data.share.sharers}）`,
      points: `${percent(data.points.rate)}（${data.points.spenders}/${data.points.active}）`,
      coupons: `${percent(data.coupons.rate)}（${data.coupons.redeemed}/${data.coupons.claimed}）`,
      support: data.support.average === null ? "–" : `${data.support.average} 分（${data.support.ratings} 条）`,
      churn: `${percent(data.churn.rate)}（${data.churn.churned}/${data.churn.base}）`,
    };
    root.querySelectorAll("[data-biz]").forEach((cell) => {
      cell.textContent = text[cell.dataset.biz];
    });
  }

  async function loadChannels() {
    const data = await api(endpoint("channels"));
    const body = root.querySelector("[data-channels]");
    body.replaceChildren();
    if (!data.channels.length) {
      const tr = document.createElement("tr");
      tr.innerHTML = '<td colspan="2" class="muted">这段时间没有新用户</td>';
      body.append(tr);
    }
    data.channels.forEach((row) => {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      name.textContent = CHANNEL_LABELS[row.channel] || row.channel;
      const users = document.createElement("td");
      users.textContent = row.users;
      tr.append(name, users);
      body.append(tr);
    });
  }

  async function guarded(load) {
    try {
      await load();
    } catch (error) {
      showError(error);
    }
  }

  async function loadAll() {
    errorBox.hidden = true;
    updateCsvLinks();
    root.dataset.loaded = "false";
    await Promise.all(
      [loadOverview, loadLifecycle, loadFunnel, loadRetention, loadBusiness, loadChannels].map(guarded)
    );
    root.dataset.loaded = "true";
  }

  // --- controls ------------------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    loadAll();
  });
  root.querySelectorAll("[data-days]").forEach((button) => {
    button.addEventListener("click", () => {
      const to = new Date(`${form.elements.to.value}T00:00:00`);
      const from = new Date(to);
      from.setDate(to.getDate() - Number(button.dataset.days) + 1);
      const pad = (n) => String(n).padStart(2, "0");
      form.elements.from.value = `${from.getFullYear()}-${pad(from.getMonth() + 1)}-${pad(from.getDate())}`;
      loadAll();
    });
  });
  funnelForm.addEventListener("submit", (event) => {
    event.preventDefault();
    updateCsvLinks();
    guarded(loadFunnel);
  });
  intervalSelect.addEventListener("change", () => {
    updateCsvLinks();
    guarded(loadLifecycle);
  });

  // --- live panel ----------------------------------------------------------------------------

  if (realtime) {
    const pulse = root.querySelector("[data-live-state]");
    realtime.subscribe("insights.live");
    realtime.onState((state) => {
      pulse.dataset.state = state;
    });
    realtime.onEvent((event) => {
      if (event.type !== "insights.live.updated") return;
      root.querySelectorAll("[data-live]").forEach((cell) => {
        cell.textContent = event.data[cell.dataset.live];
      });
    });
  }

  loadAll();
})();
