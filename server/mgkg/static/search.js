// Search in the static mirror, where no server reads ?q=: filter /search-index.json in the page.
// On the live server the results are already on the page and this script does nothing.
"use strict";
(function () {
  var results = document.getElementById("results");
  var wanted = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (!results || !wanted || results.dataset.q === wanted) return;
  document.getElementById("q").value = wanted;
  fetch("/search-index.json").then(function (r) { return r.json(); }).then(function (entries) {
    var needle = wanted.toLowerCase();
    var found = entries.filter(function (e) {
      return [e.label].concat(e.alt_labels).some(function (name) { return name.toLowerCase().indexOf(needle) >= 0; });
    });
    var heading = document.createElement("h2");
    heading.textContent = found.length + " result" + (found.length === 1 ? "" : "s") + " for “" + wanted + "”";
    var list = document.createElement("ul");
    list.className = "index";
    found.forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "/page/" + e.slug;
      link.textContent = e.label;
      item.appendChild(link);
      list.appendChild(item);
    });
    results.replaceChildren(heading, list);
  });
})();
