// Completion for the MGKG query editor: SPARQL keywords, prefixes, mg: classes and properties, and
// resources by label or acronym ("UNHCR" -> mgid:unhcr). Picking a prefixed name the query has not
// declared also adds its PREFIX line, as the Wikidata Query Service and the QLever UI do.

const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "PREFIX", "OPTIONAL", "FILTER", "UNION", "MINUS", "GRAPH",
  "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE", "VALUES", "BIND",
  "COUNT", "SAMPLE", "GROUP_CONCAT", "STRSTARTS", "CONTAINS", "REGEX", "LANG", "STR", "YEAR", "EXISTS",
  "NOT EXISTS", "SERVICE", "rdfs:subClassOf*"];
const MAX_OPTIONS = 60;

function declared(doc, prefix) {
  return new RegExp("^\\s*PREFIX\\s+" + prefix + ":", "im").test(doc);
}

// Insert `name`; when its prefix is not declared yet, declare it after the last PREFIX line.
function withPrefix(name, prefixes) {
  return (view, completion, from, to) => {
    const prefix = name.slice(0, name.indexOf(":"));
    const doc = view.state.doc.toString();
    const changes = [{ from, to, insert: name }];
    if (prefixes[prefix] && !declared(doc, prefix)) {
      let at = 0;
      const pattern = /^\s*PREFIX\s+[^\n]*\n/gim;
      let match;
      while ((match = pattern.exec(doc)) !== null) at = match.index + match[0].length;
      changes.push({ from: at, insert: "PREFIX " + prefix + ": <" + prefixes[prefix] + ">\n" });
    }
    const changeSet = view.state.changes(changes);
    view.dispatch({ changes: changeSet, selection: { anchor: changeSet.mapPos(to, 1) } });
  };
}

function matches(text, needle) {
  return text.toLowerCase().indexOf(needle) >= 0;
}

// Exact names and acronyms first, then names starting with the text, then the rest (as the search page ranks).
function rank(names, needle) {
  const lowered = names.map((n) => n.toLowerCase());
  if (lowered.indexOf(needle) >= 0) return 0;
  return lowered.some((n) => n.indexOf(needle) === 0) ? 1 : 2;
}

export function completionSource(data) {
  const prefixes = data.prefixes;
  const terms = data.terms.map((t) => ({ ...t, local: t.name.slice(3) }));
  const resources = data.resources.map((r) => ({ ...r, slug: r.name.slice(5) }));

  function termOptions(needle) {
    return terms.filter((t) => matches(t.local, needle) || matches(t.label, needle))
      .sort((a, b) => rank([a.local, a.label], needle) - rank([b.local, b.label], needle))
      .map((t) => ({ label: t.name, detail: t.label, info: t.detail, type: t.kind === "class" ? "class" : "property",
                     apply: withPrefix(t.name, prefixes) }));
  }

  function resourceOptions(needle) {
    return resources.filter((r) => matches(r.slug, needle) || matches(r.label, needle) || r.alt.some((a) => matches(a, needle)))
      .sort((a, b) => rank([a.label, ...a.alt, a.slug], needle) - rank([b.label, ...b.alt, b.slug], needle))
      .map((r) => ({ label: r.name, detail: r.alt.length ? r.alt[0] + " · " + r.label : r.label, type: "constant",
                     apply: withPrefix(r.name, prefixes) }));
  }

  return (context) => {
    const word = context.matchBefore(/[A-Za-z][\w-]*:[\w.-]*|[\w*-]+/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = word.text;
    const colon = text.indexOf(":");
    let options;
    if (colon >= 0) {
      const prefix = text.slice(0, colon);
      const needle = text.slice(colon + 1).toLowerCase();
      if (prefix === "mg") options = termOptions(needle);
      else if (prefix === "mgid") options = resourceOptions(needle);
      else return null;
    } else {
      const needle = text.toLowerCase();
      const keywords = KEYWORDS.filter((k) => k.toLowerCase().indexOf(needle) === 0)
        .map((k) => ({ label: k, type: "keyword" }));
      const declarations = Object.keys(prefixes).filter((p) => p.indexOf(needle) === 0)
        .map((p) => ({ label: p + ":", detail: prefixes[p], type: "namespace", apply: withPrefix(p + ":", prefixes) }));
      const named = needle.length >= 2 ? [...resourceOptions(needle), ...termOptions(needle)] : [];
      options = [...keywords, ...declarations, ...named];
    }
    return { from: word.from, options: options.slice(0, MAX_OPTIONS), filter: false };
  };
}
