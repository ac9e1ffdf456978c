// Run one SPARQL query through Comunica against an endpoint; print the answer as JSON on stdout:
// SELECT: a list of rows {var: term}; CONSTRUCT: a list of {s, p, o}; each term in the
// SPARQL 1.1 Query Results JSON shape, so tests/test_clients.py compares it with ours.
// Usage: node comunica.mjs ENDPOINT QUERY   (the source type is left to Comunica to detect)
import { QueryEngine } from "@comunica/query-sparql";

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
const LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

function term(t) {
  if (t.termType === "NamedNode") return { type: "uri", value: t.value };
  if (t.termType === "BlankNode") return { type: "bnode", value: t.value };
  const literal = { type: "literal", value: t.value };
  if (t.language) literal["xml:lang"] = t.language;
  else if (t.datatype.value !== XSD_STRING && t.datatype.value !== LANG_STRING) literal.datatype = t.datatype.value;
  return literal;
}

const [endpoint, query] = process.argv.slice(2);
const result = await new QueryEngine().query(query, { sources: [endpoint] });
const items = await (await result.execute()).toArray();
const rows = result.resultType === "bindings"
  ? items.map((b) => Object.fromEntries([...b].map(([v, t]) => [v.value, term(t)])))
  : items.map((q) => ({ s: term(q.subject), p: term(q.predicate), o: term(q.object) }));
process.stdout.write(JSON.stringify(rows));
