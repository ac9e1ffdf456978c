// Search in the static mirror, where no server reads ?q=: filter the search index in the page.
// It follows Catalog.search (pages/catalog.py) and search.html, so the mirror lists what the server would.
// On the live server the results are already on the page and this script does nothing.
"use strict";
(function () {
  var LIMIT = 100;
  var results = document.getElementById("results");
  var wanted = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (!results || !wanted || results.dataset.q === wanted) return;
  document.getElementById("q").value = wanted;
  document.title = "“" + wanted + "”: search · MGKG";
  var needle = wanted.toLowerCase().split(/\s+/).join(" ");

  // The index is sorted by label; a stable sort then ranks exact names first, then label prefixes.
  function search(entries) {
    var ranked = [];
    entries.forEach(function (e) {
      var names = [e.label].concat(e.alt_labels).map(function (name) { return name.toLowerCase(); });
      if (!names.some(function (name) { return name.indexOf(needle) >= 0; })) return;
      var exact = names.indexOf(needle) >= 0;
      ranked.push({ entry: e, rank: (exact ? 0 : 2) + (names[0].indexOf(needle) === 0 ? 0 : 1) });
    });
    ranked.sort(function (a, b) { return a.rank - b.rank; });
    return ranked.slice(0, LIMIT).map(function (r) { return r.entry; });
  }

  function item(e) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = e.href;  // the index carries every address: this script builds none
    link.textContent = e.label;
    li.appendChild(link);
    if (e.alt_labels.length) {
      var alt = document.createElement("span");
      alt.className = "alt";
      alt.textContent = "(" + e.alt_labels.join(", ") + ")";
      li.append(" ", alt);
    }
    return li;
  }

  function show(found) {
    var heading = document.createElement("h2");
    heading.textContent = found.length + " result" + (found.length === 1 ? "" : "s") + " for “" + wanted + "”";
    var list = document.createElement("ul");
    list.className = "index";
    list.replaceChildren.apply(list, found.map(item));
    results.replaceChildren(heading, list);
  }

  function fail() {
    var note = document.createElement("p");
    note.textContent = "Search is unavailable: the index " + results.dataset.index + " could not be read.";
    results.replaceChildren(note);
  }

  fetch(results.dataset.index)
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (entries) { show(search(entries)); }, fail);
})();
