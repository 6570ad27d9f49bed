// The picture's change form in the media library: one click on the picture sets its focal point (the two number
// fields below it, which also work without this file). A marker shows where it is.
(function () {
  "use strict";

  const picker = document.querySelector("[data-focal-picker]");
  const x = document.getElementById("id_focal_x");
  const y = document.getElementById("id_focal_y");
  if (!picker || !x || !y) return;
  const image = picker.querySelector("img");
  const marker = picker.querySelector("[data-focal-marker]");

  function place() {
    marker.hidden = false;
    marker.style.left = (Number(x.value) * 100) + "%";
    marker.style.top = (Number(y.value) * 100) + "%";
  }

  image.addEventListener("click", function (event) {
    const box = image.getBoundingClientRect();
    x.value = ((event.clientX - box.left) / box.width).toFixed(3);
    y.value = ((event.clientY - box.top) / box.height).toFixed(3);
    place();
  });
  image.style.cursor = "crosshair";
  x.addEventListener("input", place);
  y.addEventListener("input", place);
  place();
})();
