// Staff experiments and campaigns pages: create through the REST API, then draw each results
// panel from /results/ (verdict, interval, SRM warning). Also the checkout's coupon hint
// experiment (tuanjuExperiments.variant), used by checkout.js.
(function () {
  "use strict";
  const { api } = window.tuanjuApi;

  const VERDICTS = {
    collecting: ["收集中", "样本还没到计划量（或窗口未结束），暂不下结论。"],
    significant: ["显著", "差异在 α = 0.05 下显著。"],
    not_significant: ["不显著", "已到计划样本量，差异不显著。"],
    srm: ["样本比例失衡", "各组人数与配置的权重不符（SRM，p < 0.001）：分流可能有问题，结论已隐藏。"],
  };

  function el(tag, attrs = {}, text) {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([key, value]) => node.setAttribute(key, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function pct(value, digits = 1) {
    return value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;
  }

  function points(value) {
    if (value === null || value === undefined) return "–";
    const sign = value > 0 ? "+" : "";
    return `${sign}${(value * 100).toFixed(1)} 个百分点`;
  }

  function pValue(value) {
    if (value === null || value === undefined) return "–";
    return value < 0.0001 ? "< 0.0001" : value.toFixed(4);
  }

  function showError(box, error) {
    const fields = Object.entries(error.fields || {})
      .map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`)
      .join(" ");
    box.textContent = fields || error.message;
    box.dataset.errorCode = error.code || "";
  }

  function pText(value) {
    const text = pValue(value);
    return text.startsWith("<") ? `p ${text}` : `p = ${text}`;
  }

  function verdictBadge(badge, verdict) {
    const [label, help] = VERDICTS[verdict] || [verdict, ""];
    badge.textContent = label;
    badge.title = help;
    badge.dataset.verdict = verdict;
    badge.className = `badge xp-verdict xp-${verdict}`;
  }

  function table(headers, rows) {
    const wrap = el("div", { class: "table-scroll" });
    const grid = el("table", { class: "xp-table" });
    const head = el("tr");
    headers.forEach((h) => head.append(el("th", {}, h)));
    grid.append(head);
    rows.forEach((cells) => {
      const row = el("tr");
      cells.forEach((c) => row.append(el("td", {}, String(c))));
      grid.append(row);
    });
    wrap.append(grid);
    return wrap;
  }

  function summary(result, holdoutLabel) {
    const box = el("div", { class: "xp-summary small" });
    if (result.verdict === "srm") {
      box.append(
        el("p", { class: "xp-warn", "data-testid": "srm-warning", role: "alert" },
          `⚠ 样本比例失衡（SRM ${pText(result.srm_p_value)}）：各组人数与配置不符，结论已隐藏，请先检查分流。`),
      );
    }
    const difference = result.uplift !== undefined ? result.uplift : result.difference;
    const ci = result.ci;
    box.append(
      el("p", { "data-testid": "difference" },
        `${holdoutLabel}差值 ${points(difference)}` +
          (ci ? `（95% 置信区间 ${points(ci[0])} ~ ${points(ci[1])}）` : "")),
      el("p", { class: "muted" }, `p 值 ${pValue(result.p_value)} · SRM 检验 p 值 ${pValue(result.srm_p_value)}`),
    );
    const [, help] = VERDICTS[result.verdict] || ["", ""];
    box.append(el("p", { class: "muted", "data-testid": "verdict-help" }, help));
    return box;
  }

  // --- experiments page ---------------------------------------------------------------------

  async function loadExperiment(card) {
    const key = card.dataset.experiment;
    const panel = card.querySelector("[data-results]");
    try {
      const result = await api(`/api/v1/experiments/${encodeURIComponent(key)}/results/`);
      verdictBadge(card.querySelector("[data-verdict]"), result.verdict);
      panel.replaceChildren(
        table(
          ["分组", "权重", "已满窗口曝光", "转化", "转化率", "窗口未满"],
          result.variants.map((v) => [v.name, v.weight, v.exposed, v.converted, pct(v.rate), v.pending]),
        ),
        summary(result, "与第一组（对照）"),
      );
    } catch (error) {
      panel.replaceChildren(el("p", { class: "error" }, error.message));
    }
  }

  function bindExperimentForm(page) {
    const form = page.querySelector("[data-experiment-form]");
    const list = page.querySelector("[data-variants]");
    page.querySelector("[data-add-variant]").addEventListener("click", () => {
      const rows = list.querySelectorAll(".xp-variant");
      if (rows.length >= 10) return;
      const copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelector('[name="variant_name"]').value = `variant_${rows.length}`;
      list.append(copy);
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const box = form.querySelector("[data-form-error]");
      box.textContent = "";
      const names = [...form.querySelectorAll('[name="variant_name"]')].map((i) => i.value.trim());
      const weights = [...form.querySelectorAll('[name="variant_weight"]')].map((i) => Number(i.value));
      const body = {
        key: form.elements.key.value.trim(),
        variants: names.map((name, i) => ({ name, weight: weights[i] })),
        goal_event: form.elements.goal_event.value,
        window_hours: Number(form.elements.window_hours.value),
        planned_per_variant: Number(form.elements.planned_per_variant.value),
      };
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      try {
        await api("/api/v1/experiments/", { method: "POST", body });
        window.location.reload();
      } catch (error) {
        showError(box, error);
        button.disabled = false;
      }
    });
  }

  function bindPreview(page) {
    const form = page.querySelector("[data-assign-preview]");
    const source = document.getElementById("experiment-variants");
    if (!form || !source || !window.tuanjuAssign) return;
    const experiments = JSON.parse(source.textContent || "{}");
    const out = form.querySelector("[data-preview-out]");
    function draw() {
      const id = Number(form.elements.user_id.value);
      out.replaceChildren();
      if (!id) return;
      Object.entries(experiments).forEach(([key, variants]) => {
        const variant = window.tuanjuAssign.variantFor(key, `u:${id}`, variants);
        out.append(el("li", {}, `${key}: ${variant}`));
      });
    }
    form.addEventListener("input", draw);
    form.addEventListener("submit", (event) => event.preventDefault());
    draw();
  }

  const experimentsPage = document.querySelector("[data-experiments-page]");
  if (experimentsPage) {
    bindExperimentForm(experimentsPage);
    bindPreview(experimentsPage);
    experimentsPage.querySelectorAll("[data-experiment]").forEach(loadExperiment);
  }

  // --- campaigns page -----------------------------------------------------------------------

  async function loadCampaign(card) {
    const panel = card.querySelector("[data-results]");
    if (card.dataset.status === "draft") return;
    try {
      const r = await api(`/api/v1/insights/campaigns/${card.dataset.campaign}/results/`);
      const badge = el("span", { "data-testid": "campaign-verdict" });
      verdictBadge(badge, r.verdict);
      panel.replaceChildren(
        table(
          ["", "人数", "已通知", "超上限跳过", "转化", "转化率"],
          [
            ["实验组", r.treated.members, r.treated.notified, r.treated.skipped_cap, r.treated.converted, pct(r.treated.rate)],
            ["对照组", r.holdout.members, "–", "–", r.holdout.converted, pct(r.holdout.rate)],
          ],
        ),
        badge,
        summary(r, "相对对照组的提升："),
      );
    } catch (error) {
      panel.replaceChildren(el("p", { class: "error" }, error.message));
    }
  }

  async function loadRewards(form) {
    const select = form.querySelector("[data-reward-select]");
    try {
      const rewards = await api("/api/v1/insights/campaigns/rewards/");
      rewards.results.forEach((reward) => {
        reward.choices.forEach((choice) => {
          const option = el("option", { value: `${reward.kind}:${choice.ref}` }, `${reward.label}：${choice.label}`);
          select.append(option);
        });
      });
    } catch (error) {
      select.disabled = true;
    }
  }

  function bindCampaignForm(page) {
    const form = page.querySelector("[data-campaign-form]");
    loadRewards(form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const box = form.querySelector("[data-form-error]");
      box.textContent = "";
      const body = {
        name: form.elements.name.value.trim(),
        segment: form.elements.segment.value,
        title: form.elements.title.value.trim(),
        body: form.elements.body.value.trim(),
        holdout_percent: Number(form.elements.holdout_percent.value),
        window_hours: Number(form.elements.window_hours.value),
        goal_event: form.elements.goal_event.value,
      };
      const reward = form.elements.reward.value;
      if (reward) {
        const [kind, ref] = reward.split(":");
        body.reward_kind = kind;
        body.reward_ref = Number(ref);
      }
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      try {
        await api("/api/v1/insights/campaigns/", { method: "POST", body });
        window.location.reload();
      } catch (error) {
        showError(box, error);
        button.disabled = false;
      }
    });
    page.querySelectorAll("[data-send-campaign]").forEach((button) => {
      button.addEventListener("click", async () => {
        if (!window.confirm("确定发送？发送后不能撤回。")) return;
        button.disabled = true;
        try {
          await api(`/api/v1/insights/campaigns/${button.dataset.sendCampaign}/send/`, { method: "POST" });
          window.location.reload();
        } catch (error) {
          button.disabled = false;
          button.after(el("p", { class: "error" }, error.message));
        }
      });
    });
  }

  const campaignsPage = document.querySelector("[data-campaigns-page]");
  if (campaignsPage) {
    bindCampaignForm(campaignsPage);
    campaignsPage.querySelectorAll("[data-campaign]").forEach(loadCampaign);
  }
})();
