// 收货地址: add, edit, delete, set the default; in pick mode (from checkout) a tap picks the
// address for the order and goes back.
(function () {
  "use strict";
  const book = document.querySelector("[data-address-book]");
  if (!book || !window.tuanjuApi) return;
  const { api } = window.tuanjuApi;
  const BASE = "/api/v1/me/addresses/";
  const PICKED_KEY = "tuanju.checkout.address";
  const sheet = document.querySelector("[data-address-sheet]");
  const form = sheet.querySelector("[data-address-form]");
  const errorEl = form.querySelector("[data-address-error]");
  let editing = null;

  const MESSAGES = {
    invalid_phone: "请填写有效的 11 位手机号",
    too_many_addresses: "地址簿已满（最多 20 个），请先删除不用的地址",
  };
  const FIELD_NAMES = { name: "收货人", phone: "手机号", region: "所在地区", detail: "详细地址" };

  function explain(error) {
    if (MESSAGES[error.code]) return MESSAGES[error.code];
    const fields = Object.keys(error.fields || {}).map((f) => FIELD_NAMES[f] || f);
    return fields.length ? `请填写${fields.join("、")}` : error.message;
  }

  function open(address) {
    editing = address ? address.id : null;
    form.reset();
    errorEl.textContent = "";
    sheet.querySelector("[data-address-title]").textContent = address ? "编辑收货地址" : "新增收货地址";
    if (address) {
      for (const field of ["name", "phone", "region", "detail"]) form.elements[field].value = address[field];
      form.elements.is_default.checked = address.is_default;
    }
    sheet.hidden = false;
    requestAnimationFrame(() => sheet.classList.add("shown"));
    document.documentElement.classList.add("sheet-open");
    form.elements.name.focus();
  }

  function close() {
    sheet.classList.remove("shown");
    sheet.hidden = true;
    document.documentElement.classList.remove("sheet-open");
  }

  function fromRow(row) {
    const text = (field) => row.querySelector(`[data-field=${field}]`).textContent;
    return {
      id: Number(row.dataset.address),
      name: text("name"), phone: text("phone"), region: text("region"), detail: text("detail"),
      is_default: row.classList.contains("default"),
    };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      name: form.elements.name.value.trim(),
      phone: form.elements.phone.value.trim(),
      region: form.elements.region.value.trim(),
      detail: form.elements.detail.value.trim(),
      is_default: form.elements.is_default.checked,
    };
    try {
      const saved = await api(editing ? `${BASE}${editing}/` : BASE, {
        method: editing ? "PATCH" : "POST", body,
      });
      if (book.dataset.pick === "1") return pick(saved);
      window.location.reload();
    } catch (error) {
      errorEl.textContent = explain(error);
    }
  });

  function pick(address) {
    sessionStorage.setItem(PICKED_KEY, JSON.stringify(address));
    window.location.assign(book.dataset.back || "/cart/");
  }

  book.addEventListener("click", async (event) => {
    const row = event.target.closest("[data-address]");
    if (event.target.closest("[data-address-new]")) return open(null);
    if (!row) return;
    const address = fromRow(row);
    if (event.target.closest("[data-address-edit]")) return open(address);
    try {
      if (event.target.closest("[data-address-delete]")) {
        if (!window.confirm("删除这个地址？")) return;
        await api(`${BASE}${address.id}/`, { method: "DELETE" });
        window.location.reload();
      } else if (event.target.closest("[data-address-default]")) {
        await api(`${BASE}${address.id}/`, { method: "PATCH", body: { is_default: true } });
        window.location.reload();
      } else if (event.target.closest("[data-address-pick]") && book.dataset.pick === "1") {
        pick(address);
      }
    } catch (error) {
      window.alert(explain(error));
    }
  });

  sheet.addEventListener("click", (event) => {
    if (event.target === sheet || event.target.closest("[data-address-close]")) close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !sheet.hidden) close();
  });
})();
