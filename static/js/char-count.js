// Live character counts under the headline and the standfirst (fields with data-count-limit): "48 / 60", and past
// the limit a warning with the advice the field carries. Counting never blocks typing; the server decides what a
// save refuses (the standfirst, at publication) and what it only warns about (a long headline).
(function () {
  "use strict";

  function attach(field) {
    const limit = Number(field.dataset.countLimit);
    const count = document.createElement("p");
    count.className = "char-count";
    count.id = `${field.id}_count`;
    count.setAttribute("aria-live", "polite");
    field.setAttribute("aria-describedby", [field.getAttribute("aria-describedby"), count.id].filter(Boolean).join(" "));
    (field.closest(".flex-container") || field).after(count); // under the field, not squeezed beside it

    function update() {
      const length = Array.from(field.value.trim()).length; // characters as readers count them, not UTF-16 units
      const over = length > limit;
      count.textContent = over ? `${length} / ${limit} characters. ${field.dataset.countAdvice}` : `${length} / ${limit} characters`;
      count.classList.toggle("char-count--over", over);
    }
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("[data-count-limit]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
