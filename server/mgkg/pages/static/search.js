// Search in the browser: the header box's type-ahead on every page, and the results page of the static mirror
// (where no server reads ?q=). Both read the search index named by the header form's data-index; each
// entry carries its page's href, resolved against the index's own address, so this script builds none.
// rank() follows the rule documented in pages/search.py step for step: the server and the mirror list the
// same hits in the same order (tests/browser/test_search.py compares them).
"use strict";
(function () {
  var LIMIT = 100;
  var SUGGESTIONS = 8;
  var form = document.querySelector("form.site-search");
  if (!form) return;
  var box = form.querySelector("input[name=q]");
  var list = document.getElementById("site-suggestions");
  var indexUrl = new URL(form.dataset.index, document.baseURI);
  var loading = null;

  function load() {
    loading = loading || fetch(indexUrl).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
    return loading;
  }

  // What Python's str.split() takes for whitespace (JavaScript's \s lacks \x1c-\x1f and \x85, and adds \ufeff).
  var SPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var EDGES = new RegExp("^" + SPACE.source + "|" + SPACE.source + "$", "g");
  // The server reads at most this many characters (code points) of ?q= (MAX_QUERY in pages/search.py).
  var MAX_QUERY = 200;

  // 1. lower-cased, whitespace runs as one space, trimmed
  function normal(text) { return text.toLowerCase().split(SPACE).filter(Boolean).join(" "); }
  function strip(text) { return text.replace(EDGES, ""); }
  function hasAll(text, words) { return words.every(function (w) { return text.indexOf(w) >= 0; }); }

  // 2. the first tier an entry reaches: exact name, name prefix, words in names, description, a quote
  function match(e, needle, words) {
    var names = [e.label].concat(e.alt_labels).map(function (n) { return n.toLowerCase(); });
    if (names.indexOf(needle) >= 0) return { entry: e, tier: 0 };
    if (names.some(function (n) { return n.indexOf(needle) === 0; })) return { entry: e, tier: 1 };
    if (hasAll(names.join(" "), words)) return { entry: e, tier: 2 };
    if (hasAll(e.description.toLowerCase(), words)) return { entry: e, tier: 3 };
    var quote = e.quotes.find(function (q) { return hasAll(q.toLowerCase(), words); });
    return quote === undefined ? null : { entry: e, tier: 4, quote: quote };
  }

  // 3. the index is in catalogue order and the sort is stable: ties keep it
  function rank(entries, text, limit) {
    var needle = normal(text);
    if (!needle) return [];
    var words = needle.split(" ");
    var hits = entries.map(function (e) { return match(e, needle, words); }).filter(Boolean);
    hits.sort(function (a, b) { return a.tier - b.tier; });
    return hits.slice(0, limit);
  }

  function span(className, text) {
    var s = document.createElement("span");
    s.className = className;
    s.textContent = text;
    return s;
  }

  // One hit as search.html writes it: name, acronyms, type badge, a line of description, the quote it was found in.
  // A suggestion, kept short, names only the acronym the typed text was found in, if the label lacks it.
  function hitContent(hit, into, typed) {
    var e = hit.entry;
    var link = document.createElement("a");
    link.href = new URL(e.href, indexUrl).href;
    link.textContent = e.label;
    into.appendChild(link);
    var alts = typed === undefined ? e.alt_labels : e.label.toLowerCase().indexOf(typed) >= 0 ? [] :
      e.alt_labels.filter(function (alt) { return alt.toLowerCase().indexOf(typed) >= 0; }).slice(0, 1);
    if (alts.length) into.append(" ", span("alt", "(" + alts.join(", ") + ")"));
    into.append(" ", span("badge", e.type));
    if (e.description) into.appendChild(span("line", e.description));
    if (hit.quote) into.appendChild(span("line quote", "in a quote: “" + hit.quote + "”"));
    return link;
  }

  // ---- the type-ahead: an ARIA combobox over the header box ----
  var active = -1;

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var all = options();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
    box.setAttribute("aria-activedescendant", all[active].id);
  }

  function suggest() {
    var text = box.value;
    load().then(function (entries) {
      if (box.value !== text) return;  // the reader typed on meanwhile
      var hits = rank(entries, text, SUGGESTIONS);
      if (!hits.length) { close(); return; }
      list.replaceChildren.apply(list, hits.map(function (hit, i) {
        var li = document.createElement("li");
        li.id = "site-suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        hitContent(hit, li, normal(text)).tabIndex = -1;
        return li;
      }));
      active = -1;
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
    }, close);
  }

  box.addEventListener("input", suggest);
  box.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var down = event.key === "ArrowDown";
      highlight(active < 0 && !down ? -1 : active + (down ? 1 : -1));  // up from the box reaches the last one
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(options()[active].querySelector("a").href);
    } else if (event.key === "Escape") {
      event.preventDefault();  // the first Escape closes the list; only a second one clears the box
      close();
    }
  });
  // A click on a suggestion must land before the box's blur closes the list.
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  box.addEventListener("blur", close);

  // ---- the results page of the static mirror ----
  var results = document.getElementById("results");
  var asked = new URLSearchParams(window.location.search).get("q") || "";
  var wanted = strip(Array.from(asked).slice(0, MAX_QUERY).join(""));  // as the server cuts and strips it
  if (!results || !wanted || results.dataset.q === wanted) return;
  box.value = wanted;
  document.title = "“" + wanted + "”: search · MGKG";

  function show(hits) {
    var heading = document.createElement("h2");
    heading.textContent = hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + wanted + "”";
    var ol = document.createElement("ol");
    ol.className = "hits";
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      hitContent(hit, li);
      ol.appendChild(li);
    });
    if (hits.length) results.replaceChildren(heading, ol);
    else results.replaceChildren(heading, Object.assign(document.createElement("p"),
                                                        { className: "hint", textContent: results.dataset.noHit }));
  }

  function fail() {
    var note = document.createElement("p");
    note.textContent = "Search is unavailable: the index " + indexUrl.href + " could not be read.";
    results.replaceChildren(note);
  }

  load().then(function (entries) { show(rank(entries, wanted, LIMIT)); }, fail);
})();
