// Progressive enhancement only: every flow works without this file (plain links and forms).
// With it: "Leave a comment" and "Reply" open the comment form in place (and Cancel closes it), the form is sent
// without leaving the article with errors back next to the fields; a reader's own waiting comment shows on the
// article in their browser only; Recommend is sent in place and remembered in this browser; "Copy link" copies a
// story's address; a running live page offers new updates as they are posted ("N new updates"), keeping the
// reader's place.
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

  // ---- Polling a part of the page (live updates, new comments), and putting in what arrives -----------------

  function polling(url, every, take) {
    // Ask `url` every `every` ms, a little earlier or later each time (readers who opened the page together do not
    // ask together), and not while the tab is hidden. "no-cache": the browser revalidates with its ETag, so a poll
    // with nothing new is a 304. `take(html)` returns false to stop.
    async function poll() {
      let goOn = true;
      if (!document.hidden) {
        try {
          const response = await fetch(url, { cache: "no-cache", credentials: "omit" });
          if (response.ok) goOn = take(await response.text()) !== false;
        } catch (error) { /* offline for a moment: try again at the next poll */ }
      }
      if (goOn) window.setTimeout(poll, every * (0.9 + Math.random() * 0.2));
    }
    window.setTimeout(poll, every);
  }

  function keepingPlace(items, change) {
    // Whatever moves above the reader's eyes, the item they were reading (the first of `items` in view) stays put.
    const anchor = [...items].find(function (item) { return item.getBoundingClientRect().bottom > 0; });
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    if (anchor && anchor.isConnected) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
  }

  // ---- Live pages: ask for new updates every few seconds ---------------------------------------------------

  function followLivePage(live) {
    const every = Number(live.dataset.pollSeconds || 10) * 1000;
    const button = live.querySelector("[data-show-updates]");
    let waiting = [];

    function listOf(root) {
      let list = root.querySelector("[data-live-list]");
      if (!list && root === live) {
        list = document.createElement("ol");
        list.className = "live-updates";
        list.setAttribute("data-live-list", "");
        const empty = live.querySelector("[data-live-empty]");
        if (empty) empty.replaceWith(list); else button.parentElement.after(list);
      }
      return list;
    }

    function showWaiting() {
      if (!waiting.length) return;
      const list = listOf(live);
      keepingPlace(live.querySelectorAll("[data-update]"), function () {
        const firstUnpinned = list.querySelector("[data-update]:not(.live-update--pinned)");
        waiting.forEach(function (item) {
          item.classList.add("live-update--new");
          list.insertBefore(item, item.classList.contains("live-update--pinned") ? list.firstChild : firstUnpinned);
          item.dispatchEvent(new CustomEvent("live:updates", { bubbles: true }));
        });
      });
      waiting = [];
      button.hidden = true;
    }

    function consider(html) {
      const incoming = listOf(new DOMParser().parseFromString(html, "text/html"));
      if (!incoming) return false;
      const list = listOf(live);
      const fresh = [...incoming.children];
      const ids = new Set(fresh.map(function (item) { return item.dataset.update; }));
      const oldest = Math.min.apply(null, fresh.map(function (item) { return Number(item.dataset.update); }));
      keepingPlace(live.querySelectorAll("[data-update]"), function () {
        list.querySelectorAll("[data-update]").forEach(function (item) {
          if (!ids.has(item.dataset.update) && Number(item.dataset.update) > oldest) item.remove(); // withdrawn
        });
        fresh.forEach(function (item) {
          const shown = document.getElementById(item.id);
          if (shown && shown.dataset.version !== item.dataset.version) shown.replaceWith(document.importNode(item, true));
        });
      });
      const known = new Set(waiting.map(function (item) { return item.id; }));
      fresh.forEach(function (item) {
        if (!document.getElementById(item.id) && !known.has(item.id)) waiting.push(document.importNode(item, true));
      });
      if (waiting.length) {
        const atTop = list.getBoundingClientRect().top >= 0;
        if (atTop) {
          showWaiting();
        } else {
          button.textContent = waiting.length === 1 ? "1 new update" : waiting.length + " new updates";
          button.hidden = false;
        }
      }
      if (incoming.dataset.updated) restamp(incoming.dataset.updated);
      return incoming.dataset.coverage !== "ended";
    }

    function restamp(html) {
      // The header's "Updated …" follows the newest change ("<time datetime=…>…</time>", rendered by the server).
      const time = new DOMParser().parseFromString(html, "text/html").querySelector("time");
      const meta = document.querySelector(".story__meta");
      if (!time || !meta) return;
      let stamp = meta.querySelector(".updated");
      const shown = stamp && stamp.querySelector("time");
      if (shown && shown.dateTime >= time.dateTime) return;
      if (!stamp) {
        stamp = document.createElement("a");
        stamp.className = "updated";
        stamp.href = "#live";
        const published = meta.querySelector("time");
        if (published) published.parentElement.after(stamp); else meta.append(stamp);
      }
      stamp.replaceChildren("Updated ", document.importNode(time, true));
    }

    button.addEventListener("click", function () {
      const first = waiting[0];
      showWaiting();
      if (first) {
        first.setAttribute("tabindex", "-1");
        first.focus();
      }
    });
    polling(live.dataset.updatesUrl, every, consider);
  }

  const livePage = document.querySelector("[data-live-page]");
  if (livePage) followLivePage(livePage);

  // ---- New comments, offered without a reload (live pages, and stories whose editor asked) -------------------
  // The same polling as live updates: the newest threads, cached for everyone (a 304 when nothing is new), paused
  // while the tab is hidden, with jitter; what the reader lacks is offered ("3 new comments") and put in on a click
  // without moving what they are reading.

  function followComments(section) {
    const every = Number(section.dataset.pollSeconds || 10) * 1000;
    const button = section.querySelector("[data-show-comments]");
    let waiting = [];

    function listOf() {
      let list = section.querySelector("[data-comment-list]");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-list";
        list.setAttribute("data-comment-list", "");
        button.parentElement.after(list);
      }
      return list;
    }

    function offer(html) {
      const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-newest-comments]");
      if (!fresh) return;
      const known = new Set(waiting.map(function (item) { return item.node.querySelector(".comment").id; }));
      [...fresh.children].reverse().forEach(function (thread) { // oldest first, so the newest ends on top
        const top = thread.querySelector(":scope > .comment");
        if (!document.getElementById(top.id)) {
          if (!known.has(top.id)) waiting.push({ node: document.importNode(thread, true) });
          return;
        }
        thread.querySelectorAll(".comment-replies > li").forEach(function (reply) {
          const id = reply.querySelector(".comment").id;
          if (!document.getElementById(id) && !known.has(id)) {
            waiting.push({ node: document.importNode(reply, true), thread: top.id });
          }
        });
      });
      if (waiting.length) {
        button.textContent = waiting.length === 1 ? "1 new comment" : waiting.length + " new comments";
        button.hidden = false;
      }
    }

    function showWaiting() {
      const list = listOf();
      keepingPlace(section.querySelectorAll(".comment"), function () { waiting.forEach(putIn); });
      waiting.forEach(function (item) { showRecommends(item.node); });
      const first = waiting[0] && waiting[0].node.querySelector(".comment");
      waiting = [];
      button.hidden = true;
      if (first) {
        first.setAttribute("tabindex", "-1");
        first.focus({ preventScroll: true });
      }

      function putIn(item) {
        item.node.classList.add("comment-thread--new");
        if (item.thread) {
          const thread = document.getElementById(item.thread).parentElement;
          let replies = thread.querySelector(".comment-replies");
          if (!replies) {
            replies = document.createElement("ol");
            replies.className = "comment-replies";
            thread.append(replies);
          }
          replies.append(item.node);
        } else {
          list.prepend(item.node);
        }
      }
    }

    button.addEventListener("click", showWaiting);
    polling(section.dataset.commentStream, every, offer);
  }

  const commentStream = document.querySelector("[data-comment-stream]");
  if (commentStream) followComments(commentStream);

  // ---- Recommends: sent in place; the reader's own kept in this browser ------------------------------------
  // The page is one cached copy for everyone and its counts catch up within a minute, so this browser remembers
  // what its reader recommended (and the count they saw then) and shows it at once, on every visit.

  const RECOMMENDED = "newsportal:recommended";
  let csrfToken = null;

  function ownRecommends() {
    try { return JSON.parse(window.localStorage.getItem(RECOMMENDED) || "{}"); } catch (error) { return {}; }
  }

  function showRecommend(form, own) {
    const button = form.querySelector(".comment__recommend");
    const shown = Number(form.dataset.recommendCount || 0);
    const mine = own[form.dataset.recommend];
    const count = mine === undefined ? shown : Math.max(shown, mine + 1);
    button.setAttribute("aria-pressed", mine === undefined ? "false" : "true");
    button.querySelector("[data-recommend-label]").textContent = mine === undefined ? "Recommend" : "Recommended";
    form.querySelector("[data-recommends]").textContent = count ? " · " + count : "";
  }

  async function sendRecommend(form) {
    const own = ownRecommends();
    const undo = form.dataset.recommend in own;
    const headers = { Accept: "application/json" };
    csrfToken = csrfToken || await fetch(form.action, { headers: headers, credentials: "same-origin" }).then(
      function (r) { return r.json(); }
    ).then(function (given) { return given.csrf; }); // once per page: the browser's token and cookie
    const body = new URLSearchParams(undo ? { undo: "1" } : {});
    const answer = await fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: Object.assign({ "X-CSRFToken": csrfToken }, headers),
    });
    const said = await answer.json().catch(function () { return {}; }); // read whole: nothing left in flight
    if (!answer.ok) {
      window.alert(said.message || "Your recommend could not be sent. Please try again.");
      return;
    }
    if (undo) delete own[form.dataset.recommend];
    else own[form.dataset.recommend] = Number(form.dataset.recommendCount || 0);
    try { window.localStorage.setItem(RECOMMENDED, JSON.stringify(own)); } catch (error) { /* private mode */ }
    showRecommend(form, own);
  }

  function showRecommends(root) {
    const own = ownRecommends();
    root.querySelectorAll("form[data-recommend]").forEach(function (form) { showRecommend(form, own); });
  }

  showRecommends(document);
  document.addEventListener("submit", function (event) { // comments put in later too
    const form = event.target.closest("form[data-recommend]");
    if (!form) return;
    event.preventDefault();
    sendRecommend(form).catch(function () { form.submit(); }); // offline or refused: the page without script
  });

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
  // ---- Embeds: nothing reaches the provider until the reader asks --------------------------------------------

  function loadEmbed(figure) {
    const frame = document.createElement("iframe");
    frame.src = figure.dataset.embedSrc;
    frame.title = figure.dataset.embedTitle;
    frame.loading = "lazy";
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.allow = "encrypted-media; picture-in-picture; fullscreen";
    frame.className = "embed__frame";
    figure.querySelector(".embed__placeholder").replaceWith(frame);
    frame.focus();
  }

  function offerEmbeds(root) {
    root.querySelectorAll("[data-embed]").forEach(function (figure) {
      const button = figure.querySelector("[data-embed-load]");
      if (!button || !button.hidden) return;
      button.hidden = false;
      button.addEventListener("click", function () { loadEmbed(figure); });
    });
  }

  offerEmbeds(document);
  document.addEventListener("live:updates", function (event) { offerEmbeds(event.target); });
})();
