// Feeds pages: compose with photos and products, like/save/share, comments, for-you, Q&A.
// Every write goes through the REST API (window.tuanjuApi); the server renders the rest.
(function () {
  "use strict";
  const { api } = window.tuanjuApi;

  function text(el, value) {
    if (el) el.textContent = value;
  }

  function card(post) {
    // Built with DOM APIs: titles are text, never HTML.
    const article = document.createElement("article");
    article.className = "card post-card";
    article.dataset.testid = "post-card";
    article.setAttribute("data-testid", "post-card");
    const link = document.createElement("a");
    link.href = post.url;
    link.className = "post-link";
    const cover = post.images[0];
    if (cover) {
      const img = document.createElement("img");
      img.className = "post-cover";
      img.loading = "lazy";
      img.alt = "";
      img.src = (cover.thumbnails && cover.thumbnails["360"]) || cover.url;
      link.appendChild(img);
    }
    const title = document.createElement("h3");
    title.setAttribute("data-testid", "post-title");
    title.textContent = post.title;
    link.appendChild(title);
    const meta = document.createElement("p");
    meta.className = "muted small";
    meta.textContent = `${post.author.display_name || post.author.username} · ❤️ ${post.like_count} · 💬 ${post.comment_count}`;
    article.append(link, meta);
    return article;
  }

  async function loadForYou(box) {
    const data = await api(box.dataset.forYou);
    data.results.forEach((post) => box.appendChild(card(post)));
    if (!data.results.length) {
      const empty = document.createElement("p");
      empty.className = "muted";
      empty.textContent = "You have seen everything for now.";
      box.appendChild(empty);
    }
  }

  function bindCompose(form) {
    const files = form.querySelector('input[type="file"]');
    const previews = form.querySelector("[data-previews]");
    files.addEventListener("change", () => {
      previews.replaceChildren();
      Array.from(files.files).forEach((file) => {
        const img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        previews.appendChild(img);
      });
    });
    const filter = form.querySelector("[data-product-filter]");
    if (filter) {
      filter.addEventListener("input", () => {
        const q = filter.value.trim().toLowerCase();
        form.querySelectorAll("[data-product-option]").forEach((li) => {
          li.hidden = q && !li.textContent.toLowerCase().includes(q);
        });
      });
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const errorBox = form.querySelector("[data-form-error]");
      const button = form.querySelector('button[type="submit"]');
      const body = new FormData();
      body.append("title", form.title.value);
      body.append("body", form.body.value);
      Array.from(files.files).forEach((file) => body.append("images", file));
      form.topics.value.split(/[,，\s]+/).filter(Boolean).forEach((t) => body.append("topics", t));
      form.querySelectorAll('input[name="products"]:checked').forEach((box) => body.append("products", box.value));
      text(errorBox, "");
      button.disabled = true;
      try {
        const post = await api("/api/v1/posts/", { method: "POST", body });
        window.location.assign(post.url);
      } catch (error) {
        text(errorBox, error.message);
        form.dataset.errorCode = error.code || "";
        button.disabled = false;
      }
    });
  }

  function bindPost(article) {
    const id = article.dataset.postId;
    article.querySelectorAll("[data-toggle]").forEach((button) => {
      button.addEventListener("click", async () => {
        const active = button.dataset.active === "1";
        const result = await api(`/api/v1/posts/${id}/${button.dataset.toggle}/`, {
          method: active ? "DELETE" : "POST",
        });
        button.dataset.active = result.active ? "1" : "0";
        button.classList.toggle("active", result.active);
        text(button.querySelector("[data-count]"), result.count);
      });
    });
    article.querySelectorAll("[data-share]").forEach((button) => {
      button.addEventListener("click", async () => {
        const out = article.querySelector("[data-share-result]");
        try {
          const link = await api("/api/v1/share-links/", {
            method: "POST",
            body: { target_type: button.dataset.share, target_id: Number(button.dataset.targetId) },
          });
          out.hidden = false;
          text(out, link.url);
          out.dataset.code = link.code;
          if (navigator.clipboard) navigator.clipboard.writeText(link.url).catch(() => {});
        } catch (error) {
          out.hidden = false;
          text(out, error.message);
        }
      });
    });
  }

  function bindComments(form, postId) {
    const list = document.querySelector("[data-comment-list]");
    document.querySelectorAll("[data-reply-to]").forEach((button) => {
      button.addEventListener("click", () => {
        form.parent.value = button.dataset.replyTo;
        form.body.focus();
      });
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const errorBox = form.querySelector("[data-form-error]");
      text(errorBox, "");
      const body = { body: form.body.value };
      if (form.parent.value) body.parent = Number(form.parent.value);
      try {
        const comment = await api(`/api/v1/posts/${postId}/comments/`, { method: "POST", body });
        const item = document.createElement("li");
        item.setAttribute("data-testid", comment.parent ? "reply" : "comment");
        const who = document.createElement("strong");
        who.textContent = comment.author.display_name || comment.author.username;
        item.append(who, " ", comment.body);
        const empty = list.querySelector("[data-empty]");
        if (empty) empty.remove();
        list.appendChild(item);
        form.reset();
        form.parent.value = "";
      } catch (error) {
        text(errorBox, error.message);
      }
    });
  }

  function bindQuestion(form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api(`/api/v1/products/${form.dataset.questionForm}/questions/`, {
          method: "POST",
          body: { body: form.body.value },
        });
        window.location.reload();
      } catch (error) {
        text(form.querySelector("[data-form-error]"), error.message);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-for-you]").forEach((box) => loadForYou(box).catch(() => {}));
    document.querySelectorAll("form[data-compose]").forEach(bindCompose);
    document.querySelectorAll("article[data-post-id][data-testid='post']").forEach(bindPost);
    const post = document.querySelector("article[data-testid='post']");
    const commentForm = document.querySelector("form[data-comment-form]");
    if (post && commentForm) bindComments(commentForm, post.dataset.postId);
    document.querySelectorAll("form[data-question-form]").forEach(bindQuestion);
  });
})();
