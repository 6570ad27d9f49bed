// Progressive enhancement only: every flow works without this file (plain links and forms).
// With it: "Leave a comment" and "Reply" open the comment form in place (and Cancel closes it), the form is sent
// without leaving the article with errors back next to the fields; a reader's own waiting comment shows on the
// article in their browser only; "Copy link" copies a story's address.
(function () {
  "use strict";

  // ---- The comment form, in place ----------------------------------------------------------------------

  let openedBy = null; // the link whose form is open

  function formFrom(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const form = page.querySelector("form[data-comment-form-body]");
    return form ? document.importNode(form, true) : null;
  }

  function focusFirst(form) {
    const target = form.querySelector("[aria-invalid=true], .form-errors") ||
      form.querySelector("textarea, input:not([type=hidden]):not([tabindex='-1'])");
    if (target) {
      if (!target.matches("input, textarea")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  function closeForm() {
    document.querySelectorAll(".comment-form-slot").forEach(function (slot) { slot.remove(); });
    if (openedBy) {
      openedBy.setAttribute("aria-expanded", "false");
      openedBy.removeAttribute("aria-controls");
      openedBy.focus();
      openedBy = null;
    }
  }

  function install(form, slot) {
    slot.replaceChildren(form);
    const cancel = form.querySelector("[data-close-form]");
    if (cancel) {
      cancel.hidden = false;
      cancel.addEventListener("click", closeForm);
    }
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
        });
        if (response.redirected) {
          // Finish reading the answer first: leaving with the body unread makes the browser abort and
          // report the request as failed.
          await response.text();
          window.location.assign(response.url);
          return;
        }
        const next = formFrom(await response.text());
        if (!next) throw new Error("no form in response");
        install(next, slot);
        focusFirst(next);
      } catch (error) {
        form.submit(); // fall back to a normal page load
      }
    });
  }

  document.addEventListener("click", async function (event) {
    const link = event.target.closest("a[data-comment-form]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link === openedBy) { closeForm(); return; }
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const form = formFrom(await response.text());
      if (!form) throw new Error("no form in response");
      closeForm();
      const slot = document.createElement("div");
      slot.className = "comment-form-slot";
      slot.id = "comment-form-slot";
      link.closest("p").after(slot);
      install(form, slot);
      link.setAttribute("aria-controls", slot.id);
      link.setAttribute("aria-expanded", "true");
      openedBy = link;
      focusFirst(form);
    } catch (error) {
      window.location.assign(link.href);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && openedBy && document.activeElement.closest(".comment-form-slot")) closeForm();
  });

  // ---- The reader's own waiting comments: kept in this browser, shown only here --------------------------

  const OWN = "newsportal:own-comments";
  const KEEP_MS = 24 * 3600 * 1000;

  function ownComments() {
    try {
      const all = JSON.parse(window.sessionStorage.getItem(OWN) || "[]");
      return all.filter(function (item) { return Date.now() - Date.parse(item.at) < KEEP_MS; });
    } catch (error) {
      return [];
    }
  }

  function remember(item) {
    try {
      const kept = ownComments().filter(function (old) { return old.id !== item.id; });
      window.sessionStorage.setItem(OWN, JSON.stringify(kept.concat([item])));
    } catch (error) { /* storage full or off: the comment still waits for a moderator */ }
  }

  function showOwnComments(box) {
    const path = window.location.pathname;
    const mine = ownComments().filter(function (item) {
      return item.article === path && !document.getElementById("comment-" + item.id);
    });
    if (!mine.length) return;
    mine.forEach(function (item) {
      const article = document.createElement("article");
      article.className = "comment comment--own";
      const header = document.createElement("p");
      header.className = "comment__header";
      const author = document.createElement("span");
      author.className = "comment__author";
      author.textContent = item.author;
      header.append(author);
      const body = document.createElement("div");
      body.className = "comment__body";
      item.body.split(/\n\s*\n/).forEach(function (text) {
        const paragraph = document.createElement("p");
        paragraph.textContent = text; // the reader's words as text, never as markup
        body.append(paragraph);
      });
      const note = document.createElement("p");
      note.className = "comment__pending";
      note.textContent = "Your comment: only you can see this until a moderator approves it.";
      article.append(header, body, note);
      box.append(article);
    });
    box.hidden = false;
  }

  const posted = document.getElementById("own-comment");
  if (posted) remember(JSON.parse(posted.textContent));
  const ownBox = document.querySelector("[data-own-comments]");
  if (ownBox) showOwnComments(ownBox);

  // ---- Copy link ------------------------------------------------------------------------------------------

  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async function () {
      const status = button.parentElement.querySelector("[data-copy-status]");
      try {
        await navigator.clipboard.writeText(button.dataset.copyLink);
        if (status) status.textContent = "Link copied.";
      } catch (error) {
        if (status) status.textContent = "Could not copy; the address is in your browser's bar.";
      }
    });
  });
})();
