// Showing a SPARQL JSON answer: a paged table whose cells show labels or prefixed names (the full IRI
// one click away), and a bar chart when the answer is a label and a number.

const PAGE_SIZE = 100;
const CHART_ROWS = 40;
const SVG = "http://www.w3.org/2000/svg";
const NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/;
// As addresses.href on the server: only http, https and mailto IRIs become links (as the browser reads the
// scheme: tabs and line breaks dropped, controls and spaces trimmed, any case).
const LINK_SCHEME = /^(https?|mailto):/i;

function linkable(iri) {
  const seen = iri.replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "");
  return LINK_SCHEME.test(seen);
}

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// How results name things: labels for our resources, prefixed names for any IRI a prefix covers.
export function namer(data, resourceNs, idPrefix) {
  const labels = new Map(data.resources.map((r) => [r.name.slice(5), r.label]));
  const termPages = new Map(data.terms.map((t) => [data.prefixes.mg + t.name.slice(3), t.href]));
  const prefixes = Object.entries(data.prefixes).sort((a, b) => b[1].length - a[1].length);
  return {
    curie(iri) {
      const hit = prefixes.find(([, ns]) => iri.indexOf(ns) === 0 && iri.length > ns.length);
      return hit ? hit[0] + ":" + iri.slice(hit[1].length) : iri;
    },
    label(iri) {
      return iri.indexOf(resourceNs) === 0 ? labels.get(iri.slice(resourceNs.length)) : undefined;
    },
    // null: the IRI may not be a link (javascript:, data:, ...) and is shown as text.
    href(iri) {
      if (termPages.has(iri)) return termPages.get(iri);
      if (iri.indexOf(resourceNs) === 0) return idPrefix + iri.slice(resourceNs.length);
      return linkable(iri) ? iri : null;
    },
  };
}

function iriCell(td, iri, names) {
  const target = names.href(iri);
  if (target === null) {
    td.textContent = iri;
    return;
  }
  const label = names.label(iri);
  const link = element("a", label || names.curie(iri));
  link.href = target;
  td.appendChild(link);
  const curie = names.curie(iri);
  // One click shows the full IRI in place (and a second hides it again).
  const toggle = element("button", label ? curie : "IRI", "iri");
  toggle.type = "button";
  toggle.title = iri;
  toggle.addEventListener("click", () => {
    const full = toggle.textContent === iri;
    toggle.textContent = full ? (label ? curie : "IRI") : iri;
  });
  td.append(" ", toggle);
}

function cell(term, names) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    iriCell(td, term.value, names);
  } else {
    td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
    if (term["xml:lang"]) td.lang = term["xml:lang"];
    if (term.datatype && NUMERIC.test(term.datatype)) td.className = "num";
  }
  return td;
}

function display(term, names) {
  if (!term) return "";
  return term.type === "uri" ? names.label(term.value) || names.curie(term.value) : term.value;
}

// A label column and a numeric column: the answer can be drawn as bars.
function chartable(vars, rows) {
  if (rows.length < 2) return null;
  const numeric = vars.find((v) => rows.every((r) => r[v] && r[v].datatype && NUMERIC.test(r[v].datatype)));
  const label = vars.find((v) => v !== numeric && rows.every((r) => r[v]));
  return numeric && label ? { numeric, label } : null;
}

function chart(rows, columns, names) {
  const shown = rows.slice(0, CHART_ROWS);
  const values = shown.map((r) => Number(r[columns.numeric].value));
  const top = Math.max(...values, 1);
  const rowHeight = 22;
  const labelWidth = 260;
  const barWidth = 420;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 " + (labelWidth + barWidth + 80) + " " + (shown.length * rowHeight + 8));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", columns.numeric + " by " + columns.label);
  shown.forEach((row, i) => {
    const y = i * rowHeight + 4;
    const text = document.createElementNS(SVG, "text");
    const name = display(row[columns.label], names);
    text.textContent = name.length > 38 ? name.slice(0, 37) + "…" : name;
    text.setAttribute("x", labelWidth - 6);
    text.setAttribute("y", y + 15);
    text.setAttribute("text-anchor", "end");
    const bar = document.createElementNS(SVG, "rect");
    bar.setAttribute("x", labelWidth);
    bar.setAttribute("y", y + 3);
    bar.setAttribute("height", rowHeight - 6);
    bar.setAttribute("width", Math.max(1, Math.round(barWidth * values[i] / top)));
    const value = document.createElementNS(SVG, "text");
    value.textContent = values[i].toLocaleString("en");
    value.setAttribute("x", labelWidth + Math.round(barWidth * values[i] / top) + 4);
    value.setAttribute("y", y + 15);
    svg.append(text, bar, value);
  });
  return svg;
}

// Render `data` (SPARQL 1.1 JSON results) into `container`; `status` gets the row count.
export function showSolutions(data, container, status, names) {
  container.replaceChildren();
  if (typeof data.boolean === "boolean") {
    status.textContent = "Answer: " + data.boolean;
    return;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings;
  status.textContent = rows.length.toLocaleString("en") + " row" + (rows.length === 1 ? "" : "s");
  const table = element("table");
  table.id = "results";
  const head = table.createTHead().insertRow();
  vars.forEach((name) => {
    const th = element("th", name);
    th.scope = "col";
    head.appendChild(th);
  });
  const body = table.createTBody();
  const pager = element("p", undefined, "pager");
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  let page = 0;
  function draw() {
    body.replaceChildren(...rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).map((row) => {
      const tr = document.createElement("tr");
      vars.forEach((name) => tr.appendChild(cell(row[name], names)));
      return tr;
    }));
    pager.replaceChildren();
    if (pages === 1) return;
    const previous = element("button", "Previous rows");
    const next = element("button", "Next rows");
    previous.type = next.type = "button";
    previous.disabled = page === 0;
    next.disabled = page === pages - 1;
    previous.addEventListener("click", () => { page -= 1; draw(); });
    next.addEventListener("click", () => { page += 1; draw(); });
    pager.append(previous, " Rows " + (page * PAGE_SIZE + 1) + "–" + Math.min(rows.length, (page + 1) * PAGE_SIZE) +
                 " of " + rows.length + " ", next);
  }
  draw();
  const columns = chartable(vars, rows);
  if (columns) {
    const figure = element("figure", undefined, "result-chart");
    figure.appendChild(chart(rows, columns, names));
    const caption = element("figcaption", columns.numeric + " by " + columns.label +
                            (rows.length > CHART_ROWS ? " (first " + CHART_ROWS + " rows)" : ""));
    figure.appendChild(caption);
    container.appendChild(figure);
  }
  const scroll = element("div", undefined, "scroll");
  scroll.appendChild(table);
  container.append(scroll, pager);
}
