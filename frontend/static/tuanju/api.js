// One fetch helper for every page: JSON in and out, the CSRF token, and API.md's error shape.
(function () {
  "use strict";

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.detail) || `Request failed (${status})`);
      this.status = status;
      this.code = (body && body.code) || "error";
      this.fields = (body && body.fields) || {};
    }
  }

  async function api(path, { method = "GET", body, headers = {} } = {}) {
    const init = {
      method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), ...headers },
    };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  // <form data-api-form="/api/v1/..." data-method="POST" data-next="/"> sends its fields as JSON.
  function bindApiForms(root) {
    root.querySelectorAll("form[data-api-form]").forEach((form) => {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const errorBox = form.querySelector("[data-form-error]");
        const button = form.querySelector('button[type="submit"]');
        const payload = {};
        new FormData(form).forEach((value, key) => {
          if (value !== "") payload[key] = value;
        });
        if (errorBox) errorBox.textContent = "";
        if (button) button.disabled = true;
        try {
          await api(form.dataset.apiForm, { method: form.dataset.method || "POST", body: payload });
          window.location.assign(form.dataset.next || "/");
        } catch (error) {
          const fieldMessages = Object.entries(error.fields || {})
            .map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`)
            .join(" ");
          if (errorBox) errorBox.textContent = fieldMessages || error.message;
          form.dataset.errorCode = error.code || "";
        } finally {
          if (button) button.disabled = false;
        }
      });
    });
  }

  window.tuanjuApi = { api, ApiError, bindApiForms, csrfToken };
})();
