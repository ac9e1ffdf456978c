"""The RDFS entailments of the ontology over the data, materialised at load time in their own graph.

A naive query such as `?x a mg:Instrument` should find every treaty, protocol and report, not only
the resources typed mg:Instrument by hand. So loading adds, in the graph ENTAILMENTS_GRAPH:

- rdf:type through rdfs:subClassOf, transitively (a mg:Protocol is a mg:Treaty and a mg:Instrument);
- every triple's super-properties through rdfs:subPropertyOf, transitively;
- the inverse of every triple of a property with an owl:inverseOf, and of an owl:SymmetricProperty;
- the transitive closure of rdfs:subClassOf and rdfs:subPropertyOf themselves.

It covers the graph's resources, not its blank nodes (evidence, figures): a remote engine loads
each graph as its own document, where a blank node sent twice is two nodes, so only triples
without blank nodes mean the same on every store, embedded or remote.

Only triples that no file asserts are added, so leaving the graph out of a query (FROM the other
graphs, or `GRAPH ?g { ... } FILTER(?g != <.../graph/entailments>)`) gives the asserted answer.
Validation and reasoning read the files, never this graph.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from mgkg.namespaces import GRAPH, OWL, RDF_TYPE, RDFS

#: The named graph that holds the entailments (never a file's graph: those live under data/ and ontology/).
ENTAILMENTS_GRAPH = GRAPH + "entailments"

_RDF_TYPE = RDF_TYPE
_SUBCLASS = RDFS.subClassOf
_SUBPROPERTY = RDFS.subPropertyOf
_INVERSE = OWL.inverseOf
_SYMMETRIC = OWL.SymmetricProperty

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, Term]


def add_entailments(store: ox.Store) -> int:
    """Compute the entailments of everything `store` holds and add them to ENTAILMENTS_GRAPH;
    returns how many. Works alike on a store in memory and on disk: it reads the schema, then
    only the triples of properties and classes that have something to entail."""
    graph = ox.NamedNode(ENTAILMENTS_GRAPH)
    if store.contains_named_graph(graph):  # a reload recomputes, never piles up
        store.remove_graph(graph)
    found = entailments(store)
    store.extend(ox.Quad(s, p, o, graph) for s, p, o in sorted(found, key=_sort_key))
    return len(found)


def entailments(store: ox.Store) -> set[Triple]:
    """The triples RDFS (and owl:inverseOf, owl:SymmetricProperty) entail from `store`, less those it holds."""
    superclasses = _closure(_edges(store, _SUBCLASS))
    superproperties = _closure(_edges(store, _SUBPROPERTY))
    inverses = _inverses(store)

    def asserted(triple: Triple) -> bool:
        return next(store.quads_for_pattern(*triple), None) is not None

    derived: set[Triple] = set()
    pending: list[Triple] = [
        (q.subject, q.predicate, q.object)
        for predicate in {*superproperties, *inverses} for q in store.quads_for_pattern(None, predicate, None)
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode | ox.Literal)]
    while pending:  # a derived triple may have super-properties or an inverse of its own
        subject, predicate, value = pending.pop()
        found: list[Triple] = [(subject, parent, value) for parent in superproperties.get(predicate, ())]
        if not isinstance(value, ox.Literal):
            found += [(value, inverse, subject) for inverse in inverses.get(predicate, ())]
        for triple in found:
            if triple not in derived and not asserted(triple):
                derived.add(triple)
                pending.append(triple)

    rdf_type = ox.NamedNode(_RDF_TYPE)
    typed = {(q.subject, q.object) for cls in superclasses for q in store.quads_for_pattern(None, rdf_type, cls)
             if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)}
    typed |= {(s, o) for s, p, o in derived if p == rdf_type and isinstance(s, ox.NamedNode)
              and isinstance(o, ox.NamedNode)}
    for subject, cls in typed:
        derived.update((subject, rdf_type, parent) for parent in superclasses.get(cls, ()))
    for schema, closure in ((_SUBCLASS, superclasses), (_SUBPROPERTY, superproperties)):
        predicate = ox.NamedNode(schema)
        derived.update((child, predicate, parent) for child, parents in closure.items() for parent in parents)
    return {triple for triple in derived if not asserted(triple)}


def _edges(store: ox.Store, predicate: str) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """child -> direct parents along `predicate`, between IRIs only (OWL restrictions are blank nodes)."""
    edges: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode) and q.subject != q.object:
            edges[q.subject].add(q.object)
    return edges


def _closure(edges: dict[ox.NamedNode, set[ox.NamedNode]]) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """child -> every ancestor (a cycle is allowed: a node is never its own ancestor here)."""
    closure: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for start in edges:
        seen: set[ox.NamedNode] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node not in seen and node != start:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        closure[start] = seen
    return closure


def _inverses(store: ox.Store) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """property -> the properties whose triples its triples entail reversed (inverseOf holds both ways)."""
    inverses: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    for q in store.quads_for_pattern(None, ox.NamedNode(_INVERSE), None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            inverses[q.subject].add(q.object)
            inverses[q.object].add(q.subject)
    for q in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_SYMMETRIC)):
        if isinstance(q.subject, ox.NamedNode):
            inverses[q.subject].add(q.subject)
    return inverses


def _sort_key(triple: Triple) -> tuple[str, str, str]:
    return str(triple[0]), str(triple[1]), str(triple[2])
