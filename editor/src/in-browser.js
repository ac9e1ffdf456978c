// The static mirror's SPARQL engine: Oxigraph, the server's engine, compiled to WebAssembly, over the
// mirror's own N-Quads dump. The query page's editor (main.js) asks it instead of the network: it answers
// with a Response, as the server's endpoint would, so the editor shows both the same way. Read-only: it
// only ever calls the store's query(), and refuses an update before the engine sees it.
import init, { Store } from "oxigraph/web.js";

// The media type each answer is shown (or downloaded) in: the server's defaults and its format names.
const MEDIA_TYPES = {
  json: "application/sparql-results+json", xml: "application/sparql-results+xml", csv: "text/csv",
  tsv: "text/tab-separated-values", ttl: "text/turtle", nt: "application/n-triples", jsonld: "application/ld+json",
  rdf: "application/rdf+xml", trig: "application/trig", nq: "application/n-quads",
};
const QUERY_FORMS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"];
const UPDATE_VERBS = ["INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"];
// What may come before the query form: space, comments, BASE and PREFIX declarations.
const PROLOGUE = /^(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*/i;

const form = document.getElementById("sparql-form");

// The first keyword after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, an update verb, or "".
export function queryForm(text) {
  const word = /^[A-Za-z]+/.exec(text.slice(PROLOGUE.exec(text)[0].length));
  return word ? word[0].toUpperCase() : "";
}

// As the server's guard.explain_syntax_error: "unknown prefix mgx: at line 2, column 30".
export function explain(message, text) {
  const found = /^error at (\d+):(\d+): ([\s\S]*)$/.exec(message.trim());
  if (!found) return message;
  const [line, column] = [Number(found[1]), Number(found[2])];
  const where = "at line " + line + ", column " + column;
  if (found[3].indexOf("Prefix not found") >= 0) {
    const before = (text.split("\n")[line - 1] || "").slice(0, Math.max(column - 1, 0));
    const names = before.match(/([A-Za-z][\w.-]*)?:/g);
    const prefix = names ? names[names.length - 1].slice(0, -1) : "";
    return "unknown prefix " + (prefix ? prefix + ":" : "a prefix") + " " + where
      + ": declare it with PREFIX " + (prefix || "name") + ": <namespace>";
  }
  const expected = found[3].replace(/\[[^\[\]]*\]/g, "").replace(/^\s*expected( one of)?/, "")
    .match(/"[^"]*"|[A-Za-z][\w ]*\w/g);
  return "syntax error " + where + (expected ? ": expected " + expected.slice(0, 12).join(", ") : "");
}

async function dumpText(response) {
  if (!response.ok) throw new Error("the graph's dump " + response.url + " answered " + response.status);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A host may already have undone the gzip (Content-Encoding): decompress only what still is gzip.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
}

async function openStore() {
  await init({ module_or_path: form.dataset.engine });
  const store = new Store();
  store.load(await dumpText(await fetch(form.dataset.dump)), { format: MEDIA_TYPES.nq });
  return store;
}

const store = openStore();

function answer(status, body, type) {
  return new Response(body, { status, headers: { "Content-Type": type + "; charset=utf-8" } });
}

// The answer to `text` in `format` (a name of MEDIA_TYPES), or in JSON / Turtle by its form, as a Response.
async function query(text, format) {
  const kind = queryForm(text);
  if (UPDATE_VERBS.indexOf(kind) >= 0) {
    return answer(403, "this static copy of MGKG is read-only: " + kind + " and every other update is refused; "
                       + "it answers SELECT, ASK, CONSTRUCT and DESCRIBE", "text/plain");
  }
  if (QUERY_FORMS.indexOf(kind) < 0) {
    return answer(400, "not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE", "text/plain");
  }
  const type = MEDIA_TYPES[format || (kind === "CONSTRUCT" || kind === "DESCRIBE" ? "ttl" : "json")];
  let loaded;
  try {
    loaded = await store;
  } catch (error) {
    return answer(503, "the graph could not be loaded in this browser: " + error.message, "text/plain");
  }
  try {
    // The default graph is the union of the named graphs, as on the server.
    return answer(200, loaded.query(text, { results_format: type, use_default_graph_as_union: true }), type);
  } catch (error) {
    return answer(400, explain(String(error.message || error), text), "text/plain");
  }
}

window.mgkgSparqlEngine = { query, ready: store.then(() => true) };
