// Support pages: open a conversation, the member's and agent's actions, the agents' queue,
// product feedback. Every write goes through the REST API; the conversation itself is a chat
// room driven by chat.js.
(function () {
  "use strict";
  const { api } = window.tuanjuApi;
  const base = "/api/v1/support/conversations";

  const openForm = document.querySelector("[data-support-new]");
  if (openForm) {
    openForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = openForm.elements.body.value.trim();
      const order = Number(openForm.elements.order.value) || null;
      const error = document.querySelector("[data-support-error]");
      try {
        const conversation = await api(`${base}/`, {
          method: "POST",
          body: order ? { body, order } : { body },
        });
        window.location.assign(`/support/${conversation.id}/`);
      } catch (err) {
        error.textContent = err.message;
      }
    });
  }

  const feedback = document.querySelector("[data-feedback]");
  if (feedback) {
    feedback.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = feedback.querySelector("[data-feedback-status]");
      try {
        await api("/api/v1/feedback/", { method: "POST", body: { body: feedback.elements.body.value } });
        feedback.reset();
        status.textContent = "Thank you! Staff read every message.";
      } catch (err) {
        status.textContent = err.message;
      }
    });
  }

  const bar = document.querySelector("[data-support]");
  if (bar) {
    const id = bar.dataset.support;
    const error = bar.querySelector("[data-support-error]");
    const run = async (path, body) => {
      try {
        await api(`${base}/${id}/${path}/`, { method: "POST", body });
        window.location.reload();
      } catch (err) {
        error.textContent = err.message;
      }
    };
    bar.querySelectorAll("[data-support-action]").forEach((button) => {
      button.addEventListener("click", () => run(button.dataset.supportAction));
    });
    const transfer = bar.querySelector("[data-support-transfer]");
    if (transfer) {
      transfer.addEventListener("submit", (event) => {
        event.preventDefault();
        run("transfer", { agent: transfer.elements.agent.value.trim() });
      });
    }
    const rate = bar.querySelector("[data-support-rate]");
    if (rate) {
      rate.addEventListener("submit", (event) => {
        event.preventDefault();
        run("rate", { rating: Number(rate.elements.rating.value), feedback: rate.elements.feedback.value });
      });
    }
    // Claims, transfers and closes by the other side arrive on the room topic.
    document.addEventListener("tuanju:support", (event) => {
      if (event.detail.status !== bar.dataset.status) window.location.reload();
    });
  }

  const consoleRoot = document.querySelector("[data-agent-console]");
  if (consoleRoot) {
    consoleRoot.querySelectorAll("[data-claim]").forEach((button) => {
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await api(`${base}/${button.dataset.claim}/claim/`, { method: "POST" });
          window.location.assign(`/support/${button.dataset.claim}/`);
        } catch (err) {
          consoleRoot.querySelector("[data-support-error]").textContent =
            err.code === "already_claimed" ? "Another agent took it first." : err.message;
          button.closest("li").remove();
        }
      });
    });
  }
})();
