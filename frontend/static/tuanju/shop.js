// Shop and storefront pages: every write goes through the REST API (window.tuanjuApi).
(function () {
  "use strict";
  const { api } = window.tuanjuApi;

  function showError(root, error) {
    const box = root.querySelector("[data-form-error]") || document.querySelector("[data-form-error]");
    if (!box) return;
    const fields = Object.entries(error.fields || {})
      .map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`)
      .join(" ");
    box.textContent = fields || error.message;
    box.dataset.errorCode = error.code || "";
  }

  function done(element) {
    const next = element.dataset.next;
    if (next) window.location.assign(next);
    else window.location.reload();
  }

  // <form data-shop-form="/api/v1/..." data-method="POST" data-booleans="a,b" data-numbers="c">
  document.querySelectorAll("form[data-shop-form]").forEach((form) => {
    const booleans = (form.dataset.booleans || "").split(",").filter(Boolean);
    const numbers = (form.dataset.numbers || "").split(",").filter(Boolean);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const payload = {};
      new FormData(form).forEach((value, key) => {
        if (booleans.includes(key)) return;
        if (numbers.includes(key)) payload[key] = Number(value);
        else payload[key] = value;
      });
      booleans.forEach((name) => {
        const box = form.querySelector(`input[name="${name}"]`);
        if (box) payload[name] = box.checked;
      });
      const button = form.querySelector('button[type="submit"]');
      const box = form.querySelector("[data-form-error]");
      if (box) box.textContent = "";
      if (button) button.disabled = true;
      try {
        await api(form.dataset.shopForm, { method: form.dataset.method || "POST", body: payload });
        done(form);
      } catch (error) {
        showError(form, error);
        if (button) button.disabled = false;
      }
    });
  });

  // <form data-shop-upload="/api/v1/.../banner/"> sends its file inputs as multipart.
  document.querySelectorAll("form[data-shop-upload]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type="submit"]');
      if (button) button.disabled = true;
      try {
        await api(form.dataset.shopUpload, { method: "POST", body: new FormData(form) });
        done(form);
      } catch (error) {
        showError(form, error);
        if (button) button.disabled = false;
      }
    });
  });

  // <button data-shop-action="/api/v1/..." data-method="DELETE" data-confirm="Sure?">
  document.querySelectorAll("[data-shop-action]").forEach((button) => {
    button.addEventListener("click", async () => {
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      button.disabled = true;
      try {
        await api(button.dataset.shopAction, { method: button.dataset.method || "POST" });
        done(button);
      } catch (error) {
        showError(button.closest("section") || document, error);
        button.disabled = false;
      }
    });
  });

  // The product picker of the creator console: search the catalog, add a result with a note.
  document.querySelectorAll("[data-product-picker]").forEach((picker) => {
    const query = picker.querySelector("[data-picker-query]");
    const note = picker.querySelector("[data-picker-note]");
    const results = picker.querySelector("[data-picker-results]");
    let timer = null;
    let latest = 0;

    function render(products) {
      results.replaceChildren();
      products.forEach((product) => {
        const row = document.createElement("li");
        row.dataset.testid = "picker-result";
        const title = document.createElement("span");
        title.className = "grow";
        title.textContent = `${product.title} · ¥${product.price}`;
        const add = document.createElement("button");
        add.type = "button";
        add.className = "button small";
        add.textContent = "Add";
        add.dataset.testid = "picker-add";
        add.addEventListener("click", async () => {
          add.disabled = true;
          try {
            await api(picker.dataset.productPicker, {
              method: "POST",
              body: { product: product.id, note: note.value },
            });
            window.location.reload();
          } catch (error) {
            showError(picker, error);
            add.disabled = false;
          }
        });
        row.append(title, add);
        results.append(row);
      });
      if (!products.length && query.value.trim()) {
        const empty = document.createElement("li");
        empty.className = "muted small";
        empty.textContent = "No products match.";
        results.append(empty);
      }
    }

    query.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = query.value.trim();
        const ticket = ++latest;
        if (!text) { render([]); return; }
        try {
          const page = await api(`/api/v1/products/?page_size=10&q=${encodeURIComponent(text)}`);
          if (ticket === latest) render(page.results);
        } catch (error) {
          showError(picker, error);
        }
      }, 250);
    });
  });

  // "Copy link" on a storefront: the clipboard when allowed, a prompt otherwise.
  document.querySelectorAll("[data-copy-link]").forEach((button) => {
    button.addEventListener("click", async () => {
      const link = button.dataset.copyLink;
      try {
        await navigator.clipboard.writeText(link);
        button.textContent = "Link copied ✓";
      } catch (error) {
        window.prompt("Copy this link", link);
      }
    });
  });
})();
