// The story's change form in the admin: presence and autosave (articles/presence.py).
// Every flow works without this file; with it, others see who has the story open, and a closed tab, a crash or a
// lost connection loses nothing typed: the form's state is kept on the server every few seconds and on leaving.
// A request that fails says so quietly and changes nothing in the form.
(function () {
  "use strict";

  const desk = document.getElementById("desk");
  const form = document.getElementById("article_form");
  if (!desk || !form) return;

  const AUTOSAVE_AFTER_MS = 4000; // quiet time after the last keystroke
  const banner = desk.querySelector("[data-presence]");
  const status = desk.querySelector("[data-autosave-status]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  let dirty = false;
  let submitting = false;
  let timer = null;
  let missedBeats = 0;
  let leaving = false; // the tab said "gone": a late answer must not bring it back

  function say(text) {
    if (status) status.textContent = text;
  }

  function formState() {
    const data = new FormData(form);
    for (const [name, value] of Array.from(data.entries())) {
      if (value instanceof File) data.delete(name); // pictures are uploaded by saving, not kept here
    }
    return data;
  }

  // ---- Autosave --------------------------------------------------------------------------------------------

  async function autosave() {
    timer = null;
    if (!dirty || submitting) return;
    dirty = false;
    try {
      const response = await fetch(desk.dataset.autosaveUrl, {
        method: "POST",
        body: formState(),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      say("Unsaved changes kept at " + answer.saved_at + ". Save to publish them to the story.");
    } catch (error) {
      dirty = true; // try again with the next change, or on leaving
      say("Could not keep a copy on the server just now (offline?). Your text is still here: keep this tab open.");
    }
  }

  function changed() {
    if (submitting) return;
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(autosave, AUTOSAVE_AFTER_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true; // the save itself keeps the text; an autosave after it would outlive the save
    if (timer) clearTimeout(timer);
  });

  // ---- Presence --------------------------------------------------------------------------------------------

  function showOthers(others) {
    if (!banner) return;
    banner.replaceChildren();
    others.forEach(function (person, index) {
      if (index) banner.append("; ");
      const name = document.createElement("strong");
      name.textContent = person.name;
      banner.append(name, " is editing this story — opened " + person.opened);
    });
    banner.hidden = others.length === 0;
  }

  async function heartbeat(opened) {
    const url = desk.dataset.presenceUrl;
    if (!url || document.visibilityState === "hidden" && !opened) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    if (opened) data.append("opened", "1");
    try {
      const response = await fetch(url, { method: "POST", body: data, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      if (answer.rejoin && !leaving) return heartbeat(true);
      showOthers(answer.others);
      if (missedBeats >= 2) say("Back in contact with the server.");
      missedBeats = 0;
    } catch (error) {
      // A missed beat changes nothing in the form; after two, say so once, quietly.
      missedBeats += 1;
      if (missedBeats === 2) say("Lost contact with the server. Your text is still here: keep this tab open.");
    }
  }

  if (desk.dataset.presenceUrl) {
    const seconds = Number(desk.dataset.heartbeatSeconds) || 15;
    heartbeat(true);
    setInterval(function () { heartbeat(false); }, seconds * 1000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") heartbeat(false);
    });
  }

  // ---- Leaving: the last copy of the form, and "gone" -------------------------------------------------------

  window.addEventListener("pagehide", function () {
    leaving = true;
    if (dirty && !submitting) {
      const data = formState();
      navigator.sendBeacon(desk.dataset.autosaveUrl, data);
    }
    if (desk.dataset.presenceUrl) {
      const gone = new FormData();
      gone.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
      gone.append("gone", "1");
      navigator.sendBeacon(desk.dataset.presenceUrl, gone);
    }
  });

  // Back from the browser's page cache (the back button after "gone"): open again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    leaving = false;
    if (desk.dataset.presenceUrl) heartbeat(true);
  });
})();
