// The MGKG query page: a CodeMirror 6 editor over the page's <textarea>, which stays the form's field
// (without script the form still sends the query to /sparql, which answers browsers with this page).
// Every address comes from the page (the server's address builder): the endpoint is the form's action.
import "./csp.js";
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { setDiagnostics } from "@codemirror/lint";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { completionSource } from "./complete.js";
import { element, namer, showSolutions } from "./results.js";

const SOLUTION_FORMATS = ["json", "xml", "csv", "tsv"];
const GRAPH_FORMATS = ["ttl", "nt", "jsonld", "rdf", "trig", "nq"];
const EMPTY = { prefixes: {}, terms: [], resources: [] };

const form = document.getElementById("sparql-form");
const textarea = document.getElementById("query");
const endpoint = form.getAttribute("action");
const status = document.getElementById("status");
const output = document.getElementById("output");
const downloads = document.getElementById("downloads");
const graph = document.getElementById("graph");
const picker = document.getElementById("example");
const examples = document.querySelectorAll("template.example-query");
let names = namer(EMPTY, form.dataset.resourceNs, form.dataset.idPrefix);
// The static mirror has no endpoint: its page loads an engine that answers in the browser (in-browser.js).
const engine = window.mgkgSparqlEngine;

// The server's messages say where a query is wrong: "at line 2, column 30" or "error at 2:30".
export function position(message) {
  const match = /line (\d+), column (\d+)/.exec(message) || /at (\d+):(\d+)/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

function permalink(text) {
  return endpoint + "?query=" + encodeURIComponent(text);
}

function remember(text) {
  const address = new URL(permalink(text), window.location.href).href;
  if (window.location.href !== address) history.pushState(null, "", address);
}

const completions = new Promise((resolve) => {
  fetch(form.dataset.completions).then((r) => (r.ok ? r.json() : EMPTY)).then(resolve, () => resolve(EMPTY));
});
let source = () => null;
// One completion source for the editor's life: CodeMirror tells sources apart by identity.
const COMPLETE = [{ autocomplete: (context) => source(context) }];
completions.then((data) => {
  source = completionSource(data);
  names = namer(data, form.dataset.resourceNs, form.dataset.idPrefix);
});

// In a shadow root CodeMirror's styles go into a constructed style sheet (CSSOM), which the page's
// CSP allows; in the document itself they would be a <style> element, which it refuses.
const host = element("div", undefined, "editor-host");
textarea.parentNode.insertBefore(host, textarea);
const shadow = host.attachShadow({ mode: "open" });
const theme = EditorView.theme({
  "&": { border: "1px solid #d8dde6", borderRadius: "4px", fontSize: "0.9rem", minHeight: "12rem", background: "#fff" },
  "&.cm-focused": { outline: "3px solid #f0a500" },
  ".cm-scroller": { fontFamily: "ui-monospace, Menlo, Consolas, monospace", minHeight: "12rem" },
});

const view = new EditorView({
  parent: shadow,
  root: shadow,
  state: EditorState.create({
    doc: textarea.value,
    extensions: [
      Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { submit(); return true; } }])),
      basicSetup,
      theme,
      StreamLanguage.define(sparql),
      EditorState.languageData.of(() => COMPLETE),
      // Chromium's own editing, replacing a selection of several lines, writes style attributes the CSP
      // refuses; the editor makes that change itself instead.
      EditorView.domEventHandlers({
        beforeinput(event, editor) {
          if (event.inputType !== "insertText" || !event.data || editor.state.selection.main.empty) return false;
          event.preventDefault();
          editor.dispatch(editor.state.replaceSelection(event.data));
          return true;
        },
      }),
      EditorView.contentAttributes.of({ "aria-label": "SPARQL query", "aria-describedby": "editor-help" }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
  }),
});
textarea.hidden = true;
document.querySelector("label[for=query]").addEventListener("click", () => view.focus());

function setQuery(text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

function markError(message) {
  const at = position(message);
  if (!at || at.line > view.state.doc.lines) return;
  const line = view.state.doc.line(at.line);
  const from = Math.min(line.from + Math.max(at.column - 1, 0), line.to);
  view.dispatch(setDiagnostics(view.state, [{ from, to: Math.min(from + 1, line.to) || from, severity: "error",
                                               message: message.split("\n")[0] }]));
}

function showDownloads(formats, text) {
  const links = formats.map((format) => {
    const link = element("a", format);
    link.href = permalink(text) + "&format=" + format;
    link.setAttribute("download", "results." + format);
    if (engine) link.addEventListener("click", (event) => saveFromEngine(event, link, text, format));
    return link;
  });
  const span = document.getElementById("download-links");
  span.replaceChildren();
  links.forEach((link, i) => { if (i > 0) span.append(" · "); span.appendChild(link); });
  downloads.hidden = false;
}

// The engine's answer in `format`, saved as a file: the link gets it as a blob the first time it is clicked.
function saveFromEngine(event, link, text, format) {
  if (link.href.indexOf("blob:") === 0) return;
  event.preventDefault();
  engine.query(text, format).then((response) => response.blob()).then((blob) => {
    link.href = URL.createObjectURL(blob);
    link.click();
  });
}

function ask(text) {
  if (engine) return engine.query(text);
  return fetch(permalink(text), { headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } });
}

function run() {
  const text = view.state.doc.toString();
  view.dispatch(setDiagnostics(view.state, []));
  status.textContent = "Running…";
  status.className = "";
  output.replaceChildren();
  graph.hidden = true;
  downloads.hidden = true;
  const started = performance.now();
  ask(text)
    .then((response) => response.text().then((body) => {
      if (!response.ok) throw new Error(body || response.statusText);
      const seconds = " in " + ((performance.now() - started) / 1000).toFixed(2) + " s";
      const type = response.headers.get("Content-Type") || "";
      return completions.then(() => {
        if (type.indexOf("sparql-results+json") >= 0) {
          showSolutions(JSON.parse(body), output, status, names);
          status.textContent += seconds;
          showDownloads(SOLUTION_FORMATS, text);
        } else {
          graph.textContent = body;
          graph.hidden = false;
          status.textContent = "Graph result" + seconds;
          showDownloads(GRAPH_FORMATS, text);
        }
      });
    }))
    .catch((error) => {
      status.textContent = error.message;
      status.className = "error";
      markError(error.message);
    });
}

function submit() {
  remember(view.state.doc.toString());
  run();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});

if (picker) {
  picker.addEventListener("change", () => {
    if (picker.value === "") return;
    setQuery(examples[Number(picker.value)].content.textContent.trim());
    remember(view.state.doc.toString());
  });
}

window.addEventListener("popstate", () => {
  const text = new URLSearchParams(window.location.search).get("query");
  if (text === null) return;
  setQuery(text);
  run();
});

// A permalink's query: the server writes it into the page, the static mirror's page reads it from its address.
const asked = new URLSearchParams(window.location.search).get("query");
if (asked !== null && asked !== textarea.value) {
  setQuery(asked);
  run();
} else if ("runAtOnce" in textarea.dataset) run();
