// The timeline's filter by kind, in the page: a checkbox shows or hides the events of its kind at once
// (the server does the same for ?kind=, so the form works without this script). In the static mirror,
// where no server reads ?kind=, the boxes are set from the address on load.
"use strict";
(function () {
  var form = document.querySelector("form[data-timeline-filter]");
  if (!form) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=kind]"));
  var marks = Array.prototype.slice.call(document.querySelectorAll("[data-kinds]"));

  function apply() {
    var shown = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    marks.forEach(function (mark) {
      var kinds = mark.dataset.kinds.split(" ");
      mark.classList.toggle("off", !kinds.some(function (kind) { return shown.indexOf(kind) >= 0; }));
    });
    var address = new URL(window.location.href);
    address.searchParams.delete("kind");
    if (shown.length < boxes.length) shown.forEach(function (kind) { address.searchParams.append("kind", kind); });
    window.history.replaceState(null, "", address.href);
  }

  var wanted = new URLSearchParams(window.location.search).getAll("kind");
  var known = boxes.map(function (box) { return box.value; });
  if (wanted.some(function (kind) { return known.indexOf(kind) >= 0; })) {
    boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
  }
  form.querySelector("button[type=submit]").hidden = true;  // each box acts at once
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  apply();
})();
