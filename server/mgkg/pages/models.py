"""Turning a resource's description (RDF triples) into what its HTML page shows.

Nothing here queries the store: `resource_view` works on the triples of describe.describe and
the cached vocabulary, so rendering a page costs one SPARQL query.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from mgkg.namespaces import DCTERMS, MG, OWL, RDF_TYPE, RDFS, SCHEMA, SKOS, XSD
from mgkg.pages.addresses import class_path, href, slug_of
from mgkg.pages.vocabulary import Vocabulary

SKOS_ALT = SKOS.altLabel
DESCRIPTION = DCTERMS.description
SAME_AS = OWL.sameAs
#: Shown in their own sections, not as plain links or facts.
SPECIAL = {RDF_TYPE, RDFS + "label", SKOS_ALT, DESCRIPTION, SAME_AS, MG + "evidence", MG + "figure"}
#: schema.org terms for the embedded JSON-LD.
SCHEMA_DATES = {MG + "foundingDate": "foundingDate", MG + "dissolutionDate": "dissolutionDate",
                MG + "startDate": "startDate", MG + "endDate": "endDate", MG + "adoptionDate": "dateCreated",
                MG + "publicationDate": "datePublished", MG + "entryIntoForce": "legislationDate"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
PAGE_SIZE = 50

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Link:
    """A link to another resource, named by its label."""

    href: str
    label: str
    iri: str


@dataclass
class Group:
    """The links of one property, e.g. every instrument a resource administers."""

    property: Link
    links: list[Link]


@dataclass
class Cited:
    """One quote: evidence for a fact, a dated figure, or (on a source's page) a use of the source."""

    quote: str
    source: Link | None
    about: str = ""
    value: str = ""
    owner: Link | None = None
    kind: str = ""


@dataclass
class ResourceView:
    """Everything a resource page shows."""

    iri: str
    slug: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    types: list[Link] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    facts: list[tuple[Link, str]] = field(default_factory=list)
    outgoing: list[Group] = field(default_factory=list)
    incoming: list[Group] = field(default_factory=list)
    figures: list[Cited] = field(default_factory=list)
    evidence: list[Cited] = field(default_factory=list)
    citations: list[Cited] = field(default_factory=list)
    same_as: list[Link] = field(default_factory=list)
    pages: int = 1


def readable(term: Term) -> str:
    """A literal as a person reads it: dates spelled out, booleans as yes/no, the rest verbatim."""
    if not isinstance(term, ox.Literal):
        return term.value if isinstance(term, ox.NamedNode) else ""
    kind, text = term.datatype.value, term.value
    try:
        if kind == XSD + "date":
            day = date.fromisoformat(text[:10])
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if kind == XSD + "gYearMonth":
            year, month = text[:7].split("-")
            return f"{MONTHS[int(month) - 1]} {int(year)}"
    except (ValueError, IndexError):
        return text  # a malformed date is shown as written rather than hidden
    if kind == XSD + "boolean":
        return "yes" if text in ("true", "1") else "no"
    return text


class _Index:
    """The description's triples by subject, with labels for naming neighbours."""

    def __init__(self, triples: list[ox.Triple], vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.by_subject: dict[Term, list[ox.Triple]] = defaultdict(list)
        self.by_object: dict[Term, list[ox.Triple]] = defaultdict(list)
        for triple in triples:
            subject, value = triple.subject, triple.object
            if isinstance(subject, ox.Triple) or isinstance(value, ox.Triple):
                continue  # quoted triples (RDF-star) are not part of MGKG's data
            self.by_subject[subject].append(triple)
            self.by_object[value].append(triple)

    def values(self, subject: Term, predicate: str) -> list[Term]:
        found = [t.object for t in self.by_subject.get(subject, []) if t.predicate.value == predicate]
        return [value for value in found if not isinstance(value, ox.Triple)]

    def label(self, node: Term) -> str:
        labels = self.values(node, RDFS + "label")
        if labels:
            return labels[0].value
        return self.vocab.label(node.value) if isinstance(node, ox.NamedNode) else node.value

    def link(self, node: Term) -> Link:
        return Link(href(node.value), self.label(node), node.value)

    def prop(self, iri: str) -> Link:
        return Link(href(iri), self.vocab.label(iri), iri)

    def display(self, node: Term) -> str:
        return self.label(node) if isinstance(node, ox.NamedNode) else readable(node)

    def first_link(self, subject: Term, predicate: str) -> Link | None:
        found = self.values(subject, predicate)
        return self.link(found[0]) if found else None


def resource_view(iri: str, triples: list[ox.Triple], vocab: Vocabulary, page: int = 1) -> ResourceView:
    """The page model of `iri` from its description; `page` slices long link lists."""
    index = _Index(triples, vocab)
    node = ox.NamedNode(iri)
    view = ResourceView(iri, slug_of(iri) or iri, index.label(node))
    view.alt_labels = [t.value for t in index.values(node, SKOS_ALT)]
    view.types = sorted((_class_link(index, t) for t in index.values(node, RDF_TYPE)), key=lambda link: link.label)
    view.descriptions = [t.value for t in index.values(node, DESCRIPTION)]
    view.same_as = [Link(t.value, t.value.rsplit("/", 1)[-1], t.value) for t in index.values(node, SAME_AS)]
    view.figures = [_figure(index, f) for f in index.values(node, MG + "figure")]
    view.figures.sort(key=lambda cited: (cited.kind, cited.about))
    view.evidence = [_evidence(index, e) for e in index.values(node, MG + "evidence")]
    outgoing: dict[str, list[Link]] = defaultdict(list)
    for triple in index.by_subject[node]:
        predicate = triple.predicate.value
        if predicate in SPECIAL:
            continue
        if isinstance(triple.object, ox.Literal):
            view.facts.append((index.prop(predicate), readable(triple.object)))
        elif isinstance(triple.object, ox.NamedNode):
            outgoing[predicate].append(index.link(triple.object))
    incoming: dict[str, list[Link]] = defaultdict(list)
    for triple in index.by_object[node]:
        if isinstance(triple.subject, ox.BlankNode):
            view.citations.extend(_citations(index, triple.subject))
        elif isinstance(triple.subject, ox.NamedNode):
            incoming[triple.predicate.value].append(index.link(triple.subject))
    view.facts.sort(key=lambda fact: fact[0].label)
    view.citations.sort(key=lambda cited: (cited.owner.label if cited.owner else "", cited.about))
    longest = max([len(v) for v in (*outgoing.values(), *incoming.values())] + [len(view.citations), 1])
    view.pages = -(-longest // PAGE_SIZE)
    window = slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    view.outgoing = _groups(index, outgoing, window)
    view.incoming = _groups(index, incoming, window)
    view.citations = view.citations[window]
    return view


def _class_link(index: _Index, node: Term) -> Link:
    """A type links to the index of its instances when it is one of our classes."""
    link = index.link(node)
    if node.value.startswith(MG):
        return Link(class_path(node.value[len(MG):]), link.label, link.iri)
    return link


def _groups(index: _Index, links: dict[str, list[Link]], window: slice) -> list[Group]:
    by_label = {p: sorted(set(ls), key=lambda link: link.label.lower()) for p, ls in links.items()}
    groups = [Group(index.prop(p), ls[window]) for p, ls in by_label.items()]
    return sorted((g for g in groups if g.links), key=lambda g: g.property.label)


def _figure(index: _Index, node: Term) -> Cited:
    kinds = [index.vocab.label(t.value) for t in index.values(node, RDF_TYPE)]
    values, as_of = index.values(node, MG + "value"), index.values(node, MG + "asOf")
    quotes = index.values(node, MG + "quote")
    return Cited(quote=quotes[0].value if quotes else "", source=index.first_link(node, MG + "source"),
                 kind=", ".join(sorted(kinds)), value=values[0].value if values else "",
                 about=readable(as_of[0]) if as_of else "")


def _evidence(index: _Index, node: Term) -> Cited:
    stated = index.values(node, MG + "statesProperty")
    values = index.values(node, MG + "statesValue")
    quotes = index.values(node, MG + "quote")
    return Cited(quote=quotes[0].value if quotes else "", source=index.first_link(node, MG + "source"),
                 about=index.vocab.label(stated[0].value) if stated else "",
                 value=index.display(values[0]) if values else "")


def _citations(index: _Index, node: Term) -> list[Cited]:
    """How a blank node (evidence or figure) that points here is used by the resources owning it."""
    cited = _evidence(index, node) if index.values(node, MG + "statesProperty") else _figure(index, node)
    owners = [t.subject for t in index.by_object.get(node, []) if isinstance(t.subject, ox.NamedNode)]
    if not owners:
        return [cited]
    return [Cited(cited.quote, cited.source, cited.about, cited.value, index.link(owner), cited.kind)
            for owner in owners]


def _json_ld_types(view: ResourceView, vocab: Vocabulary) -> list[str]:
    """schema.org types where the ontology aligns with one, then the mg: types themselves."""
    schema = [s for t in view.types for s in vocab.schema_types(t.iri)]
    mg = [t.iri.replace(MG, "mg:") for t in view.types]
    return list(dict.fromkeys([s.removeprefix(SCHEMA) for s in schema] + mg))


def json_ld(view: ResourceView, triples: list[ox.Triple], vocab: Vocabulary) -> str:
    """The page's data as schema.org JSON-LD, safe to embed in a <script> element."""
    index = _Index(triples, vocab)
    node = ox.NamedNode(view.iri)
    data: dict[str, object] = {
        "@context": {"@vocab": SCHEMA, "mg": MG},
        "@id": view.iri,
        "@type": _json_ld_types(view, vocab),
        "name": view.label,
        "url": view.iri,
    }
    if view.alt_labels:
        data["alternateName"] = view.alt_labels
    if view.descriptions:
        data["description"] = view.descriptions[0]
    if view.same_as:
        data["sameAs"] = [link.iri for link in view.same_as]
    for predicate, schema_term in SCHEMA_DATES.items():
        found = index.values(node, predicate)
        if found:
            data[schema_term] = found[0].value
    citations = sorted({c.source.iri for c in (*view.evidence, *view.figures) if c.source})
    if citations:
        data["citation"] = [{"@id": iri} for iri in citations]
    # A "<" could end the <script> element early (or open a comment); JSON allows the escape.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
