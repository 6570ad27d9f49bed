// The moderation workspace, enhanced: decisions are sent in place, the next card comes up, and keys do it all.
// Without this file every card's buttons are ordinary forms and the page reloads after each decision.
(function () {
  "use strict";

  const root = document.querySelector("[data-workspace]");
  if (!root) return;
  const box = root.querySelector("[data-cards]");
  const counter = root.querySelector("[data-count]");
  const empty = root.querySelector("[data-empty]");
  const help = root.querySelector("[data-help]");
  const KEYS = { a: "approve", r: "reject", s: "spam" };
  const decided = []; // cards this moderator decided, newest last: what z takes back
  let current = null;
  let loading = false;
  // One request at a time, in the order the moderator pressed the keys: the next card comes up at once,
  // and the server sees the decisions one after another.
  let pending = Promise.resolve();
  const inTurn = (work) => (pending = pending.then(work, work));

  const allCards = () => Array.from(box.querySelectorAll("[data-card]"));
  const openCards = () => allCards().filter((card) => !card.classList.contains("card--done"));

  function show(card) {
    if (!card) return;
    current = card;
    allCards().forEach((other) => other.classList.toggle("card--current", other === card));
    card.focus();
  }

  function neighbour(card, step) {
    const cards = openCards();
    if (!cards.length) return null;
    const list = allCards();
    let index = list.indexOf(card);
    do {
      index += step;
    } while (index >= 0 && index < list.length && list[index].classList.contains("card--done"));
    return list[index] || (step > 0 ? cards[cards.length - 1] : cards[0]);
  }

  function setCount(count) {
    if (typeof count === "number") counter.textContent = String(count);
    empty.hidden = openCards().length > 0;
  }

  function adjustViews(card, delta) {
    const targets = [root.querySelector(`[data-article-count="${card.dataset.article}"]`)];
    card.dataset.reasons.split(" ").filter(Boolean).forEach((code) => {
      targets.push(root.querySelector(`[data-reason-count="${code}"]`));
    });
    targets.filter(Boolean).forEach((target) => {
      target.textContent = String(Math.max(0, Number(target.textContent) + delta));
    });
  }

  async function post(card, url, body) {
    const token = card.querySelector("[name=csrfmiddlewaretoken]").value;
    const response = await fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    });
    if (!(response.headers.get("Content-Type") || "").includes("application/json")) {
      throw new Error("HTTP " + response.status);
    }
    return response.json();
  }

  function remember(card, answer) {
    card.querySelector("[data-outcome]").textContent = answer.message;
    card.querySelector("[name=seen]").value = answer.version;
  }

  function decide(card, decision) {
    if (!card || card.classList.contains("card--done")) return;
    const form = card.querySelector("form[data-decide]");
    const body = new FormData(form);
    body.set("decision", decision);
    card.classList.add("card--done", "card--sending");
    if (current === card) show(neighbour(card, 1));
    inTurn(async () => {
      try {
        const answer = await post(card, form.action, body);
        remember(card, answer);
        card.classList.add(answer.applied ? "card--" + decision : "card--skipped");
        if (answer.applied) {
          decided.push(card);
          adjustViews(card, -1);
        }
        setCount(answer.count);
      } catch (error) {
        card.classList.remove("card--done");
        card.querySelector("[data-outcome]").textContent = "Not sent (the connection failed): try again.";
      } finally {
        card.classList.remove("card--sending");
      }
      await loadMore();
    });
  }

  function undo() {
    inTurn(takeBack);
  }

  async function takeBack() {
    const card = decided.pop();
    if (!card) return;
    try {
      const answer = await post(card, card.dataset.undoUrl, new FormData());
      remember(card, answer);
      if (answer.applied) {
        card.className = "card";
        adjustViews(card, 1);
      }
      setCount(answer.count);
      show(card);
    } catch (error) {
      decided.push(card);
    }
  }

  async function loadMore() {
    if (loading || openCards().length > 5) return; // called in turn, after the decision before it
    loading = true;
    try {
      const url = new URL(root.dataset.moreUrl, window.location.href);
      url.searchParams.set("exclude", allCards().map((card) => card.id.replace("card-", "")).join(","));
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      page.querySelectorAll("[data-card]").forEach((card) => box.append(document.importNode(card, true)));
      if (!current || current.classList.contains("card--done")) show(openCards()[0]);
      setCount();
    } finally {
      loading = false;
    }
  }

  box.addEventListener("submit", (event) => {
    const card = event.target.closest("[data-card]");
    if (!card || !event.target.matches("[data-decide]") || !event.submitter) return;
    event.preventDefault();
    show(card);
    decide(card, event.submitter.value);
  });

  box.addEventListener("focusin", (event) => {
    const card = event.target.closest("[data-card]");
    if (card && card !== current) {
      current = card;
      allCards().forEach((other) => other.classList.toggle("card--current", other === card));
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "?") {
      event.preventDefault();
      if (help.open) help.close();
      else help.showModal();
      return;
    }
    if (help.open) return;
    if (event.key === "j") show(neighbour(current, 1));
    else if (event.key === "k") show(neighbour(current, -1));
    else if (KEYS[event.key]) decide(current, KEYS[event.key]);
    else if (event.key === "z") undo();
    else if (event.key === "b" && current) window.location.assign(current.querySelector("[data-block]").href);
    else return;
    event.preventDefault();
  });

  show(openCards()[0]);
})();
