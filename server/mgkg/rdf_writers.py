"""Writing RDF the way the data files are written: prefixes, one subject a block, blank nodes nested.

A blank node used once as an object (an evidence or figure node) is written inside its owner's block,
as `[ … ]` in Turtle and TriG and as an embedded object in JSON-LD, so the description of a resource
reads like its source file. Blocks and values are sorted (a nested node by its text, never by its
label), so the same graph gives the same bytes whatever the store named its blank nodes.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

Subject = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_MG = "https://w3id.org/mgkg/ontology#"
#: Predicates that open a block, in this order (as STYLE.md lays out a resource, and an evidence node
#: says what it states first); the rest follow sorted.
FIRST = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel", RDF_TYPE,
         _MG + "statesProperty", _MG + "statesValue")
#: Predicates that close a block: provenance comes last, as in the data files.
LAST = (_MG + "quote", _MG + "source", _MG + "figure", _MG + "evidence")
INDENT = "    "

#: The local part of a prefixed name we are sure every Turtle parser reads (ASCII PN_LOCAL).
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


@dataclass
class _Blocks:
    """The triples of one graph by subject, which blank nodes nest, and the order of the top blocks."""

    by_subject: dict[Subject, list[ox.Triple]]
    nested: set[ox.BlankNode]
    top: list[Subject]


def _blocks(triples: Iterable[ox.Triple], first: Subject | None = None,
            shared: frozenset[ox.BlankNode] = frozenset()) -> _Blocks:
    """Group `triples`; blank nodes used exactly once as an object (and not in `shared`) nest."""
    by_subject: dict[Subject, list[ox.Triple]] = defaultdict(list)
    uses: Counter[ox.BlankNode] = Counter()
    for triple in triples:
        by_subject[triple.subject].append(triple)  # type: ignore[index]
        if isinstance(triple.object, ox.BlankNode):
            uses[triple.object] += 1
    nested = {node for node, count in uses.items() if count == 1 and node not in shared}
    top = [s for s in by_subject if s not in nested]
    # A cycle of blank nodes each used once would have no block to be written in: free one of them.
    while True:
        reached = _reachable(top, by_subject, nested)
        unreached = sorted((s for s in by_subject if s not in reached), key=str)
        if not unreached:
            break
        nested.discard(unreached[0])
        top.append(unreached[0])
    top.sort(key=lambda s: (s != first, isinstance(s, ox.BlankNode), s.value))
    return _Blocks(by_subject, nested, top)


def _reachable(top: list[Subject], by_subject: dict[Subject, list[ox.Triple]],
               nested: set[ox.BlankNode]) -> set[Subject]:
    seen: set[Subject] = set(top)
    stack = list(top)
    while stack:
        for triple in by_subject.get(stack.pop(), []):
            value = triple.object
            if isinstance(value, ox.BlankNode) and value in nested and value not in seen:
                seen.add(value)
                stack.append(value)
    return seen


def _predicate_key(predicate: str) -> tuple[int, int, str]:
    if predicate in FIRST:
        return (0, FIRST.index(predicate), "")
    if predicate in LAST:
        return (2, LAST.index(predicate), "")
    return (1, 0, predicate)


class _Turtle:
    """Turtle text of terms and blocks under one prefix map."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so mgid: wins over a shorter namespace that also matches.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        #: The prefixes written so far: only these are declared.
        self.used: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
                self.used[prefix] = namespace
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"

    def term(self, term: Term, blocks: _Blocks, depth: int) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            return self.nested(term, blocks, depth) if term in blocks.nested else f"_:{term.value}"
        if term.language or term.datatype.value == XSD_STRING:
            return str(term)  # N-Triples escapes are valid Turtle
        return f'{str(term).rsplit("^^", 1)[0]}^^{self.iri(term.datatype.value)}'

    def nested(self, node: ox.BlankNode, blocks: _Blocks, depth: int) -> str:
        lines = self.statements(blocks.by_subject.get(node, []), blocks, depth + 1)
        if not lines:
            return "[]"
        return "[\n" + " ;\n".join(lines) + "\n" + INDENT * depth + "]"

    def statements(self, triples: list[ox.Triple], blocks: _Blocks, depth: int) -> list[str]:
        """One line per predicate (values joined by commas); each nested value gets its own line."""
        values: dict[str, list[str]] = defaultdict(list)
        for triple in triples:
            value = triple.object
            assert not isinstance(value, ox.Triple), "MGKG's data has no RDF-star quoted triples"
            values[triple.predicate.value].append(self.term(value, blocks, depth))
        lines = []
        for predicate in sorted(values, key=_predicate_key):
            verb = "a" if predicate == RDF_TYPE else self.iri(predicate)
            written = sorted(values[predicate])
            simple = [text for text in written if not text.startswith("[\n")]
            if simple:
                lines.append(f"{INDENT * depth}{verb} {' , '.join(simple)}")
            lines += [f"{INDENT * depth}{verb} {text}" for text in written if text.startswith("[\n")]
        return lines

    def document(self, blocks: _Blocks) -> str:
        parts = []
        for subject in blocks.top:
            name = self.iri(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
            lines = self.statements(blocks.by_subject[subject], blocks, 1)
            parts.append(name + "\n" + " ;\n".join(lines) + " .\n")
        return "\n".join(parts)

    def prologue(self) -> str:
        """The @prefix lines of the prefixes written so far (call it after the body)."""
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(self.used.items())) + "\n"


def turtle(triples: Iterable[ox.Triple], prefixes: dict[str, str], first: Subject | None = None) -> str:
    """`triples` as Turtle, `first` (the resource described) opening the document."""
    writer = _Turtle(prefixes)
    body = writer.document(_blocks(triples, first))
    return writer.prologue() + body


def trig(quads: Iterable[ox.Quad], prefixes: dict[str, str]) -> str:
    """`quads` as TriG: one `<graph> { … }` per named graph, sorted, blocks as in `turtle`."""
    writer, graphs = _Turtle(prefixes), _by_graph(quads)
    shared = _shared_blank_nodes(graphs)
    parts = []
    for graph in sorted(graphs, key=str):
        body = writer.document(_blocks(graphs[graph], shared=shared))
        parts.append(body if isinstance(graph, ox.DefaultGraph) else f"{writer.iri(graph.value)} {{\n{body}}}\n\n")
    return writer.prologue() + "".join(parts)


def _by_graph(quads: Iterable[ox.Quad]) -> dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Triple]]:
    graphs: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Triple]] = defaultdict(list)
    for quad in quads:
        graphs[quad.graph_name].append(quad.triple)
    return graphs


def _shared_blank_nodes(graphs: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Triple]],
                        ) -> frozenset[ox.BlankNode]:
    """Blank nodes mentioned in more than one graph: nesting them in one graph would lose the other's."""
    seen: Counter[ox.BlankNode] = Counter()
    for triples in graphs.values():
        seen.update({t for triple in triples for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)})
    return frozenset(node for node, count in seen.items() if count > 1)


class _JsonLd:
    """Compacted JSON-LD node objects under a context of prefixes."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.turtle = _Turtle(prefixes)

    def iri(self, iri: str) -> str:
        compact = self.turtle.iri(iri)
        return iri if compact.startswith("<") else compact

    def value(self, term: Term, blocks: _Blocks) -> object:
        if isinstance(term, ox.NamedNode):
            return {"@id": self.iri(term.value)}
        if isinstance(term, ox.BlankNode):
            return self.node(term, blocks, embedded=True) if term in blocks.nested else {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": self.iri(term.datatype.value)}

    def node(self, subject: Subject, blocks: _Blocks, embedded: bool = False) -> dict[str, object]:
        data: dict[str, object] = {}
        if not embedded:
            data["@id"] = self.iri(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
        values: dict[str, list[object]] = defaultdict(list)
        for triple in blocks.by_subject.get(subject, []):
            values[triple.predicate.value].append(triple.object)
        for predicate in sorted(values, key=lambda p: (p != RDF_TYPE, _predicate_key(p))):  # @type after @id
            if predicate == RDF_TYPE and all(isinstance(t, ox.NamedNode) for t in values[predicate]):
                iris = sorted(self.iri(t.value) for t in values[predicate] if isinstance(t, ox.NamedNode))
                written: list[object] = [*iris]
                key = "@type"
            else:
                written = sorted((self.value(t, blocks) for t in values[predicate]),  # type: ignore[arg-type]
                                 key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
                key = self.iri(predicate)
            data[key] = written[0] if len(written) == 1 else written
        return data

    def nodes(self, blocks: _Blocks) -> list[dict[str, object]]:
        return [self.node(subject, blocks) for subject in blocks.top]

    def context(self) -> dict[str, str]:
        """The @context: every prefix given, so documents share one context whatever terms they use."""
        return dict(sorted(self.turtle.prefixes))


def json_ld(triples: Iterable[ox.Triple], prefixes: dict[str, str], first: Subject | None = None) -> str:
    """`triples` as compacted JSON-LD whose @context declares `prefixes`; `first` is the first node."""
    writer = _JsonLd(prefixes)
    nodes = writer.nodes(_blocks(triples, first))
    document: dict[str, object] = {"@context": writer.context()}
    if len(nodes) == 1:
        document.update(nodes[0])
    else:
        document["@graph"] = nodes
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def json_ld_dataset(quads: Iterable[ox.Quad], prefixes: dict[str, str]) -> str:
    """`quads` as compacted JSON-LD: one `{"@id": graph, "@graph": [...]}` object per named graph."""
    writer, graphs = _JsonLd(prefixes), _by_graph(quads)
    shared = _shared_blank_nodes(graphs)
    objects: list[object] = []
    for graph in sorted(graphs, key=str):
        nodes = writer.nodes(_blocks(graphs[graph], shared=shared))
        if isinstance(graph, ox.DefaultGraph):
            objects.extend(nodes)
        else:
            objects.append({"@id": writer.iri(graph.value), "@graph": nodes})
    document = {"@context": writer.context(), "@graph": objects}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
