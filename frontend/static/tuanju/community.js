// Profile, settings and community pages: every write goes through the REST API (api.js).
(function () {
  "use strict";
  const { api } = window.tuanjuApi;

  function showError(root, error) {
    const box = root.querySelector("[data-form-error]") || document.querySelector("[data-page-error]");
    if (!box) return;
    const fields = Object.entries(error.fields || {})
      .map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`)
      .join(" ");
    box.textContent = fields || error.message;
    box.dataset.errorCode = error.code || "";
  }

  function afterSuccess(element, result) {
    const next = element.dataset.next;
    if (next) {
      window.location.assign(result && result.id !== undefined ? next.replace("{id}", result.id) : next);
    } else {
      window.location.reload();
    }
  }

  // <button data-api-action="/api/v1/..." data-method="POST" data-confirm="Sure?" data-next="/">
  document.querySelectorAll("[data-api-action]").forEach((button) => {
    button.addEventListener("click", async () => {
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      button.disabled = true;
      try {
        const result = await api(button.dataset.apiAction, { method: button.dataset.method || "POST" });
        afterSuccess(button, result);
      } catch (error) {
        showError(button.closest("section") || document, error);
        button.disabled = false;
      }
    });
  });

  // The follow button updates the counts in place from the profile endpoint.
  document.querySelectorAll("[data-follow-toggle]").forEach((button) => {
    const username = button.dataset.username;
    const render = (profile) => {
      button.dataset.following = String(profile.is_following);
      button.textContent = profile.is_following ? "Following ✓" : "Follow";
      button.classList.toggle("ghost", profile.is_following);
      const followers = document.querySelector('[data-testid="followers-count"]');
      if (followers) followers.textContent = profile.followers_count;
    };
    button.addEventListener("click", async () => {
      const following = button.dataset.following === "true";
      const path = `/api/v1/users/${encodeURIComponent(username)}/`;
      button.disabled = true;
      try {
        await api(`${path}follow/`, { method: following ? "DELETE" : "POST" });
        render(await api(`${path}profile/`));
      } catch (error) {
        showError(button.closest("section") || document, error);
      } finally {
        button.disabled = false;
      }
    });
  });

  // <form data-json-form="/api/v1/..." data-method="POST" data-list-fields="tags" data-next="/x/{id}/">
  document.querySelectorAll("form[data-json-form]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const lists = (form.dataset.listFields || "").split(",").filter(Boolean);
      const payload = {};
      new FormData(form).forEach((value, key) => {
        if (lists.includes(key)) {
          payload[key] = String(value).split(/[,，]/).map((v) => v.trim()).filter(Boolean);
        } else if (value !== "") {
          payload[key] = value;
        }
      });
      const button = form.querySelector('button[type="submit"]');
      const box = form.querySelector("[data-form-error]");
      if (box) box.textContent = "";
      if (button) button.disabled = true;
      try {
        const result = await api(form.dataset.jsonForm, { method: form.dataset.method || "POST", body: payload });
        afterSuccess(form, result);
      } catch (error) {
        showError(form, error);
      } finally {
        if (button) button.disabled = false;
      }
    });
  });

  // <form data-upload-form="/api/v1/me/avatar/"> sends its file inputs as multipart.
  document.querySelectorAll("form[data-upload-form]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type="submit"]');
      const box = form.querySelector("[data-form-error]");
      if (box) box.textContent = "";
      if (button) button.disabled = true;
      try {
        const result = await api(form.dataset.uploadForm, { method: "POST", body: new FormData(form) });
        afterSuccess(form, result);
      } catch (error) {
        showError(form, error);
      } finally {
        if (button) button.disabled = false;
      }
    });
  });
})();
