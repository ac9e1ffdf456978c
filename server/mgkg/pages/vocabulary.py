"""The ontology as the pages need it: labels, definitions and hierarchy of every term, and counts.

The public server is read-only, so both are computed once per store and kept beside it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from mgkg.namespaces import MG, OWL, RDF_TYPE, RDFS, SCHEMA, SKOS, prologue
from mgkg.store.base import SparqlStore, asserted, select
from mgkg.store.cache import per_store

KINDS = {OWL + "Class": "class", OWL + "ObjectProperty": "object property",
         OWL + "DatatypeProperty": "datatype property", OWL + "AnnotationProperty": "annotation property",
         OWL + "NamedIndividual": "individual"}


@dataclass
class Term:
    """One class or property of the MGKG ontology."""

    iri: str
    label: str = ""
    definition: str = ""
    kind: str = ""
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    #: For an individual (a unit, a qualifier of figures): the mg: classes it belongs to.
    member_of: list[str] = field(default_factory=list)
    count: int = 0
    #: Instances without an IRI of their own (evidence nodes, figures): counted, but they have no page.
    unnamed: int = 0

    @property
    def name(self) -> str:
        """The local name, e.g. `Treaty` for mg:Treaty: the anchor in the ontology page."""
        return self.iri[len(MG):]

    @property
    def is_class(self) -> bool:
        return self.kind == "class"

    @property
    def alignments(self) -> list[str]:
        """Super-terms from other vocabularies (schema.org, PROV, FOAF, ORG, Dublin Core ...)."""
        return [p for p in self.parents if not p.startswith(MG)]


class Vocabulary:
    """Every mg: term by IRI, with instance or usage counts from the data."""

    def __init__(self, terms: dict[str, Term]) -> None:
        self.terms = terms

    def label(self, iri: str) -> str:
        """The term's label, or its local name for terms outside the ontology."""
        term = self.terms.get(iri)
        if term is not None and term.label:
            return term.label
        return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def roots(self) -> list[Term]:
        """The classes with no mg: superclass, by label: the tops of the class tree."""
        return [t for t in self.classes() if not any(p in self.terms for p in t.parents)]

    def classes(self) -> list[Term]:
        return sorted((t for t in self.terms.values() if t.is_class), key=lambda t: t.label.lower())

    def properties(self) -> list[Term]:
        return sorted((t for t in self.terms.values() if t.kind.endswith("property")), key=lambda t: t.label.lower())

    def individuals(self) -> list[Term]:
        """The ontology's named individuals (units, qualifiers), by class and label."""
        found = (t for t in self.terms.values() if t.kind == "individual")
        return sorted(found, key=lambda t: ([self.label(c) for c in t.member_of], t.label.lower()))

    def schema_types(self, iri: str) -> list[str]:
        """The nearest schema.org classes above class `iri` (for JSON-LD), e.g. Organization for UNEntity."""
        found: list[str] = []
        todo, seen = [iri], set()
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
            parents = self.terms[current].parents if current in self.terms else []
            schema = [p for p in parents if p.startswith(SCHEMA)]
            found.extend(s for s in schema if s not in found)
            if not schema:
                todo.extend(parents)
        return found

    def descendants(self, iri: str) -> list[str]:
        """`iri` and every class below it."""
        found, todo = [], [iri]
        while todo:
            current = todo.pop()
            if current not in found:
                found.append(current)
                todo.extend(self.terms[current].children if current in self.terms else [])
        return found


_TERMS_QUERY = f"""SELECT ?t ?p ?o WHERE {{ ?t ?p ?o . FILTER(STRSTARTS(STR(?t), "{MG}")) }}"""
_CLASS_COUNTS = f"""{prologue("rdfs")}
SELECT ?c (COUNT(DISTINCT ?named) AS ?n) (COUNT(DISTINCT ?blank) AS ?b) WHERE {{
  ?s a/rdfs:subClassOf* ?c . BIND(IF(isIRI(?s), ?s, 1/0) AS ?named) BIND(IF(isBlank(?s), ?s, 1/0) AS ?blank)
}} GROUP BY ?c"""
_PROPERTY_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"

@per_store
def vocabulary(store: SparqlStore) -> Vocabulary:
    """The vocabulary of `store`, read once per data version (three queries) and then served from memory."""
    terms: dict[str, Term] = defaultdict(lambda: Term(""))
    dataset = asserted(store)  # direct superclasses and asserted uses, as the ontology page shows them
    for row in select(store, _TERMS_QUERY, dataset):
        iri, predicate, value = row["t"].value, row["p"].value, row["o"]
        term = terms[iri]
        term.iri = iri
        _apply(term, predicate, value)
    for term in list(terms.values()):
        for parent in term.parents:
            if parent in terms:
                terms[parent].children.append(term.iri)
        for inverse in term.inverse:  # owl:inverseOf is stated once but holds both ways
            if inverse in terms and term.iri not in terms[inverse].inverse:
                terms[inverse].inverse.append(term.iri)
    for query, variable in ((_CLASS_COUNTS, "c"), (_PROPERTY_COUNTS, "p")):
        for row in select(store, query, dataset):
            if row[variable].value in terms:
                terms[row[variable].value].count = int(row["n"].value)
                if variable == "c":
                    terms[row["c"].value].unnamed = int(row["b"].value)
    return Vocabulary(dict(terms))


def _apply(term: Term, predicate: str, value: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
    """Record one ontology triple about `term`."""
    text = value.value if not isinstance(value, ox.BlankNode) else ""
    if predicate == RDFS + "label":
        term.label = text
    elif predicate == SKOS.definition:
        term.definition = text
    elif predicate == RDF_TYPE and text in KINDS:
        term.kind = term.kind or KINDS[text]
    elif predicate == RDF_TYPE and text.startswith(MG):
        term.member_of.append(text)
    elif predicate == RDF_TYPE and text.startswith(OWL) and text.endswith("Property"):
        term.characteristics.append(text[len(OWL):].removesuffix("Property").lower())
    elif predicate in (RDFS + "subClassOf", RDFS + "subPropertyOf") and text:
        term.parents.append(text)
    elif predicate == RDFS + "domain" and text:
        term.domain.append(text)
    elif predicate == RDFS + "range" and text:
        term.range.append(text)
    elif predicate == OWL + "inverseOf" and text:
        term.inverse.append(text)
