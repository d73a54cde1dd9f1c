// Cart, checkout and paying: the cart lives in localStorage (it survives reloads and needs no
// login), prices always come from the server's quote, and every write goes through the REST API.
(function () {
  "use strict";
  const { api } = window.tuanjuApi;
  const CART_KEY = "tuanju.cart";

  const cart = {
    read() {
      try {
        const lines = JSON.parse(window.localStorage.getItem(CART_KEY) || "[]");
        return Array.isArray(lines) ? lines.filter((l) => l.product > 0 && l.quantity > 0) : [];
      } catch (error) {
        return [];
      }
    },
    write(lines) {
      window.localStorage.setItem(CART_KEY, JSON.stringify(lines));
      document.dispatchEvent(new CustomEvent("tuanju:cart"));
    },
    add(product, quantity) {
      const lines = cart.read();
      const line = lines.find((l) => l.product === product);
      if (line) line.quantity = Math.min(99, line.quantity + quantity);
      else lines.push({ product, quantity });
      cart.write(lines);
    },
    set(product, quantity) {
      cart.write(
        cart.read()
          .map((l) => (l.product === product ? { product, quantity } : l))
          .filter((l) => l.quantity > 0),
      );
    },
    clear() {
      cart.write([]);
    },
  };
  window.tuanjuCart = cart;

  function money(value) {
    return `¥${value}`;
  }

  function showError(box, error) {
    if (!box) return;
    const fields = Object.entries(error.fields || {})
      .map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`)
      .join(" ");
    box.textContent = fields || error.message;
    box.dataset.errorCode = error.code || "";
  }

  // Product page: <button data-add-to-cart="12" data-buy-now>
  document.querySelectorAll("[data-add-to-cart]").forEach((button) => {
    button.addEventListener("click", () => {
      const quantityInput = document.querySelector("[data-cart-quantity]");
      const quantity = Math.max(1, Math.min(99, Number(quantityInput ? quantityInput.value : 1) || 1));
      cart.add(Number(button.dataset.addToCart), quantity);
      if (button.hasAttribute("data-buy-now")) window.location.assign("/cart/");
      else button.textContent = "Added ✓";
    });
  });

  // Order page: pay through the sandbox provider, which confirms by its signed webhook.
  document.querySelectorAll("[data-pay-order]").forEach((button) => {
    button.addEventListener("click", async () => {
      const box = document.querySelector("[data-form-error]");
      button.disabled = true;
      try {
        const payment = await api(`/api/v1/orders/${button.dataset.payOrder}/pay/`, { method: "POST" });
        await api(`/api/v1/payments/sandbox/${payment.payment_id}/complete/`, { method: "POST" });
        window.location.reload();
      } catch (error) {
        showError(box, error);
        button.disabled = false;
      }
    });
  });

  const root = document.querySelector("[data-checkout]");
  if (!root) return;
  const form = root.querySelector("[data-checkout-form]");
  const linesBox = root.querySelector("[data-cart-lines]");
  const empty = root.querySelector("[data-cart-empty]");
  const couponSelect = form.querySelector("[data-coupon-select]");
  const pointsInput = form.querySelector("[data-points-input]");
  const errorBox = form.querySelector("[data-form-error]");
  const products = new Map();
  let quoteTicket = 0;

  // Where the order goes: the address picked on 收货地址 (?pick=1), else the default one.
  const PICKED_KEY = "tuanju.checkout.address";
  let shipTo = null;
  async function loadShipTo() {
    let picked = null;
    try {
      picked = JSON.parse(sessionStorage.getItem(PICKED_KEY) || "null");
    } catch (e) {
      picked = null;
    }
    const book = (await api("/api/v1/me/addresses/")).results;
    shipTo = (picked && book.find((a) => a.id === picked.id)) || book.find((a) => a.is_default) || null;
    const text = form.querySelector("[data-ship-text]");
    text.textContent = shipTo
      ? `${shipTo.name} ${shipTo.phone} · ${shipTo.region} ${shipTo.detail}`
      : "添加收货地址 ›";
  }
  loadShipTo().catch(() => {});

  function payload() {
    const body = {
      items: cart.read().map((l) => ({ product: l.product, quantity: l.quantity })),
      points: Math.max(0, Number(pointsInput.value) || 0),
    };
    if (couponSelect.value) body.coupon = Number(couponSelect.value);
    if (shipTo) body.address = shipTo.id;
    const code = form.elements.creator_code.value.trim();
    if (code) body.creator_code = code;
    return body;
  }

  function renderLines() {
    const lines = cart.read();
    empty.hidden = lines.length > 0;
    form.hidden = lines.length === 0;
    linesBox.replaceChildren();
    lines.forEach((line) => {
      const product = products.get(line.product);
      const row = document.createElement("li");
      row.dataset.testid = "cart-line";
      const title = document.createElement("a");
      title.className = "grow";
      title.href = `/products/${line.product}/`;
      title.textContent = product ? product.title : `Product ${line.product}`;
      const price = document.createElement("span");
      price.textContent = product ? money(product.price) : "";
      const quantity = document.createElement("input");
      quantity.type = "number";
      quantity.min = "0";
      quantity.max = "99";
      quantity.value = String(line.quantity);
      quantity.setAttribute("aria-label", "Quantity");
      quantity.className = "qty";
      quantity.addEventListener("change", () => {
        cart.set(line.product, Math.max(0, Math.min(99, Number(quantity.value) || 0)));
      });
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button ghost small";
      remove.textContent = "Remove";
      remove.dataset.testid = "cart-remove";
      remove.setAttribute("aria-label", `Remove ${title.textContent}`);
      remove.addEventListener("click", () => cart.set(line.product, 0));
      row.append(title, price, quantity, remove);
      linesBox.append(row);
    });
  }

  async function loadProducts() {
    await Promise.all(
      cart.read()
        .filter((l) => !products.has(l.product))
        .map(async (l) => {
          try {
            products.set(l.product, await api(`/api/v1/products/${l.product}/`));
          } catch (error) {
            cart.set(l.product, 0); // gone from the catalog: drop it rather than fail checkout
          }
        }),
    );
  }

  async function loadCoupons() {
    const wallet = await api("/api/v1/coupons/mine/");
    wallet.results.forEach((entry) => {
      const option = document.createElement("option");
      option.value = entry.id;
      option.textContent = entry.coupon ? entry.coupon.title : `Coupon ${entry.id}`;
      couponSelect.append(option);
    });
    if (!cart.read().length) return;
    const best = await api("/api/v1/coupons/best/", { method: "POST", body: { items: payload().items } });
    const hint = root.querySelector("[data-best-coupon]");
    if (best.user_coupon) {
      couponSelect.value = String(best.user_coupon.id);
      hint.textContent = `Best coupon chosen for you: saves ¥${best.discount}.`;
    } else {
      hint.textContent = wallet.length ? "None of your coupons applies to this cart." : "";
    }
  }

  async function quote() {
    const ticket = ++quoteTicket;
    if (!cart.read().length) return;
    errorBox.textContent = "";
    try {
      const result = await api("/api/v1/orders/quote/", { method: "POST", body: payload() });
      if (ticket !== quoteTicket) return;
      ["subtotal", "coupon_discount", "creator_discount", "points_discount", "total"].forEach((name) => {
        const cell = form.querySelector(`[data-line="${name}"]`);
        const value = result[name];
        cell.textContent = name === "subtotal" || name === "total" ? money(value) : `−${money(value)}`;
      });
      pointsInput.max = String(result.max_points);
      root.querySelector("[data-points-limit]").textContent =
        `Up to ${result.max_points} points can be used on this order.`;
    } catch (error) {
      if (ticket === quoteTicket) showError(errorBox, error);
    }
  }

  let timer = null;
  function requote() {
    clearTimeout(timer);
    timer = setTimeout(quote, 200);
  }

  form.addEventListener("input", requote);
  form.addEventListener("change", requote);
  document.addEventListener("tuanju:cart", () => {
    renderLines();
    requote();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    errorBox.textContent = "";
    try {
      const order = await api("/api/v1/orders/", { method: "POST", body: payload() });
      cart.clear();
      window.location.assign(`/orders/${order.id}/`);
    } catch (error) {
      showError(errorBox, error);
      button.disabled = false;
    }
  });

  // Experiment "checkout_coupon_hint" (docs/insights.md): the "hint" arm sees a pointer to the
  // coupon centre. Asking records the exposure; no experiment (404) or any error shows nothing.
  async function couponHint() {
    const hint = root.querySelector("[data-coupon-hint]");
    if (!hint || !cart.read().length) return;
    try {
      const assignment = await api("/api/v1/experiments/checkout_coupon_hint/assignment/");
      hint.hidden = assignment.variant !== "hint";
      hint.dataset.variant = assignment.variant;
    } catch (error) {
      hint.hidden = true;
    }
  }

  (async () => {
    await loadProducts();
    renderLines();
    couponHint();
    try {
      await loadCoupons();
    } catch (error) {
      showError(errorBox, error);
    }
    await quote();
  })();
})();
