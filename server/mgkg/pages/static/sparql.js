// The SPARQL query page: run the query with fetch(), show a table, offer every download format.
"use strict";
(function () {
  var SOLUTION_FORMATS = ["json", "xml", "csv", "tsv"];
  var GRAPH_FORMATS = ["ttl", "nt", "jsonld", "rdf"];
  var form = document.getElementById("sparql-form");
  // Addresses come from the page (the server's address builder), never from this script.
  var endpoint = form.getAttribute("action");
  var resourceNs = form.dataset.resourceNs;
  var idPrefix = form.dataset.idPrefix;
  var query = document.getElementById("query");
  var status = document.getElementById("status");
  var table = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var graph = document.getElementById("graph");
  var examples = document.querySelectorAll("template.example-query");
  var picker = document.getElementById("example");

  if (picker) {
    picker.addEventListener("change", function () {
      if (picker.value === "") return;
      query.value = examples[Number(picker.value)].content.textContent.trim();
      remember(query.value);
    });
  }

  // A query's address is its permalink: the endpoint answers a browser with this page, holding the query.
  function permalink(text) {
    return endpoint + "?query=" + encodeURIComponent(text);
  }

  function remember(text) {
    var address = permalink(text);
    if (window.location.pathname + window.location.search !== address) history.pushState(null, "", address);
  }

  window.addEventListener("popstate", function () {
    var text = new URLSearchParams(window.location.search).get("query");
    if (text === null) return;
    query.value = text;
    run();
  });

  function localHref(iri) {
    return iri.indexOf(resourceNs) === 0 ? idPrefix + iri.slice(resourceNs.length) : iri;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var link = document.createElement("a");
      link.href = localHref(term.value);
      link.textContent = term.value;
      td.appendChild(link);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.lang = term["xml:lang"];
    }
    return td;
  }

  function showTable(data) {
    table.replaceChildren();
    if (typeof data.boolean === "boolean") {
      status.textContent = "Answer: " + data.boolean;
      return;
    }
    var vars = data.head.vars;
    var head = table.createTHead().insertRow();
    vars.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.results.bindings.forEach(function (row) {
      var tr = body.insertRow();
      vars.forEach(function (name) { tr.appendChild(cell(row[name])); });
    });
    status.textContent = data.results.bindings.length + " row" + (data.results.bindings.length === 1 ? "" : "s");
  }

  function showDownloads(formats) {
    var span = document.getElementById("download-links");
    span.replaceChildren();
    formats.forEach(function (format, i) {
      var link = document.createElement("a");
      link.href = permalink(query.value) + "&format=" + format;
      link.textContent = format;
      link.setAttribute("download", "results." + format);
      if (i > 0) span.appendChild(document.createTextNode(" · "));
      span.appendChild(link);
    });
    downloads.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember(query.value);
    run();
  });

  function run() {
    status.textContent = "Running…";
    status.className = "";
    table.replaceChildren();
    graph.hidden = true;
    downloads.hidden = true;
    fetch(permalink(query.value), {
      headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (text) {
        if (!response.ok) throw new Error(text || response.statusText);
        if (type.indexOf("json") >= 0 && type.indexOf("ld+json") < 0) {
          showTable(JSON.parse(text));
          showDownloads(SOLUTION_FORMATS);
        } else {
          graph.textContent = text;
          graph.hidden = false;
          status.textContent = "Graph result";
          showDownloads(GRAPH_FORMATS);
        }
      });
    }).catch(function (error) {
      status.textContent = error.message;
      status.className = "error";
    });
  }

  if ("runAtOnce" in query.dataset) run();
})();
