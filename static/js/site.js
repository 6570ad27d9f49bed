// Progressive enhancement only: every flow works without this file (plain links and forms).
// With it, "Leave a comment" and "Reply" open the comment form in place, and the form is sent
// without leaving the article; errors come back next to the fields with everything typed kept.
(function () {
  "use strict";

  function formFrom(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const form = page.querySelector("form[data-comment-form-body]");
    return form ? document.importNode(form, true) : null;
  }

  function focusFirst(form) {
    const target = form.querySelector(".field--error textarea, .field--error input, .form-errors") ||
      form.querySelector("textarea, input:not([type=hidden]):not([tabindex='-1'])");
    if (target) {
      if (!target.matches("input, textarea")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  function install(form, slot) {
    slot.replaceChildren(form);
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
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const form = formFrom(await response.text());
      if (!form) throw new Error("no form in response");
      document.querySelectorAll(".comment-form-slot").forEach(function (old) { old.remove(); });
      const slot = document.createElement("div");
      slot.className = "comment-form-slot";
      link.closest("p").after(slot);
      install(form, slot);
      link.setAttribute("aria-expanded", "true");
      focusFirst(form);
    } catch (error) {
      window.location.assign(link.href);
    }
  });
})();
