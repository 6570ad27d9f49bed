// Picture fields in the admin (articles/library_admin.py: PictureChooser): when the library's popup sets the chosen
// picture's id, show its thumbnail, alt text and caption at once. Without this file the id shows, and the thumbnail
// after saving.
(function () {
  "use strict";

  function show(chooser, card) {
    const preview = chooser.querySelector("[data-picture-preview]");
    preview.replaceChildren();
    if (card.thumb) {
      const img = document.createElement("img");
      img.src = card.thumb;
      img.alt = "";
      img.className = "picture-chooser__thumb";
      preview.append(img);
    } else {
      const pending = document.createElement("span");
      pending.className = "picture-chooser__pending";
      pending.textContent = card.ready ? "" : "Being processed";
      preview.append(pending);
    }
    const words = document.createElement("span");
    words.className = "picture-chooser__words";
    const alt = document.createElement("strong");
    alt.textContent = card.alt || "(no alt text yet)";
    words.append(alt);
    if (card.caption) words.append(document.createElement("br"), card.caption);
    preview.append(words);
  }

  async function changed(input) {
    const chooser = input.closest && input.closest("[data-picture-chooser]");
    if (!chooser || !/^[0-9]+$/.test(input.value)) return;
    const url = chooser.dataset.cardUrl.replace(/\/0\/card\/$/, "/" + input.value + "/card/");
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok) show(chooser, await response.json());
    } catch (error) {
      // The id stays in the field; the thumbnail shows after saving.
    }
  }

  // The admin's popups announce the choice with jQuery's trigger, which native listeners do not hear; the admin's
  // jQuery is ready once the page is parsed.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change", "[data-picture-chooser] input", function () { changed(this); });
    } else {
      document.addEventListener("change", function (event) { changed(event.target); });
    }
  });
})();
