"""Turning a resource's description (RDF triples) into what its HTML page shows.

Nothing here queries the store: `resource_view` works on the triples of describe.describe and
the cached vocabulary, so rendering a page costs one SPARQL query.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from mgkg.namespaces import DCTERMS, MG, OWL, RDF_TYPE, RDFS, SCHEMA, SKOS, XSD
from mgkg.pages.addresses import class_path, href, slug_of
from mgkg.pages.figures import Chart, Figure, charts, number_of
from mgkg.pages.provenance import Citation, References
from mgkg.pages.vocabulary import Vocabulary

SKOS_ALT = SKOS.altLabel
DESCRIPTION = DCTERMS.description
SAME_AS = OWL.sameAs
#: Shown in their own sections, not as plain links or facts.
SPECIAL = {RDF_TYPE, RDFS + "label", SKOS_ALT, DESCRIPTION, SAME_AS, MG + "evidence", MG + "figure", MG + "tenure"}
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

    #: None when the IRI must not be a link (see href): the label is shown as text.
    href: str | None
    label: str
    iri: str


@dataclass(frozen=True)
class Statement:
    """A link to another resource, with the quotes behind it and when it held, where a tenure dates it."""

    link: Link
    references: References
    when: str = ""


@dataclass
class Fact:
    """A property with a literal value (a date, a number, yes/no), with the quotes behind it and when it held."""

    property: Link
    value: str
    references: References
    when: str = ""


@dataclass
class Group:
    """The links of one property, e.g. every instrument a resource administers."""

    property: Link
    links: list[Statement]


@dataclass
class QuoteUse:
    """One distinct quote of the resource's evidence, and every statement it backs (the page's index)."""

    text: str
    source: Citation | None
    backs: list[str] = field(default_factory=list)


@dataclass
class Cited:
    """One quote: evidence for a fact, a dated figure, or (on a source's page) a use of the source."""

    quote: str
    source: Citation | None
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
    facts: list[Fact] = field(default_factory=list)
    outgoing: list[Group] = field(default_factory=list)
    incoming: list[Group] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    evidence: list[Cited] = field(default_factory=list)
    tenures: list[Cited] = field(default_factory=list)
    quotes: list[QuoteUse] = field(default_factory=list)
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

    def __init__(self, triples: list[ox.Triple], vocab: Vocabulary, names: Names | None = None) -> None:
        self.vocab = vocab
        self.names = names or Names()
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
        if not isinstance(node, ox.NamedNode):
            return node.value
        return self.names.labels.get(node.value) or self.vocab.label(node.value)

    def link(self, node: Term) -> Link:
        return _link_or_text(node.value, self.label(node))

    def prop(self, iri: str) -> Link:
        return _link_or_text(iri, self.vocab.label(iri))

    def display(self, node: Term) -> str:
        return self.label(node) if isinstance(node, ox.NamedNode) else readable(node)

    def source(self, node: Term) -> Citation | None:
        """How the evidence or figure `node` cites its source."""
        found = self.values(node, MG.source)
        if not found:
            return None
        iri = found[0].value
        return self.names.citations.get(iri) or Citation(iri, href(iri), self.label(found[0]), self.label(found[0]))

    def quote(self, node: Term) -> str:
        quotes = self.values(node, MG.quote)
        return quotes[0].value if quotes else ""


@dataclass(frozen=True)
class Names:
    """What the description alone cannot say: labels of resources it only names, and how sources are cited."""

    labels: Mapping[str, str] = field(default_factory=dict)
    citations: Mapping[str, Citation] = field(default_factory=dict)


def resource_view(iri: str, triples: list[ox.Triple], vocab: Vocabulary, page: int = 1,
                  names: Names | None = None) -> ResourceView:
    """The page model of `iri` from its description; `page` slices long link lists."""
    index = _Index(triples, vocab, names)
    node = ox.NamedNode(iri)
    view = ResourceView(iri, slug_of(iri) or iri, index.label(node))
    view.alt_labels = [t.value for t in index.values(node, SKOS_ALT)]
    view.types = sorted((_class_link(index, t) for t in index.values(node, RDF_TYPE)), key=lambda link: link.label)
    view.descriptions = [t.value for t in index.values(node, DESCRIPTION)]
    view.same_as = [Link(href(t.value), t.value.rsplit("/", 1)[-1], t.value) for t in index.values(node, SAME_AS)]
    view.figures = sorted((_figure(index, f) for f in index.values(node, MG.figure)), key=lambda f: (f.kind, f.year))
    view.charts = charts(view.figures)
    view.evidence = [_evidence(index, e) for e in index.values(node, MG.evidence)]
    view.quotes = _quote_index(view.evidence)
    view.tenures = sorted((_tenure(index, t) for t in index.values(node, MG.tenure)),
                          key=lambda cited: (cited.kind, cited.about, cited.value))
    held = _held(index, node)
    backing = _Backing(index, node)
    outgoing: dict[str, list[ox.NamedNode]] = defaultdict(list)
    for triple in index.by_subject[node]:
        predicate = triple.predicate.value
        if predicate in SPECIAL:
            continue
        if isinstance(triple.object, ox.Literal):
            view.facts.append(Fact(index.prop(predicate), readable(triple.object), backing.behind(triple),
                                   held.get((predicate, triple.object), "")))
        elif isinstance(triple.object, ox.NamedNode):
            outgoing[predicate].append(triple.object)
    incoming: dict[str, list[Link]] = defaultdict(list)
    for triple in index.by_object[node]:
        if isinstance(triple.subject, ox.BlankNode):
            view.citations.extend(_citations(index, triple.subject))
        elif isinstance(triple.subject, ox.NamedNode):
            incoming[triple.predicate.value].append(index.link(triple.subject))
    view.facts.sort(key=lambda fact: fact.property.label)
    view.citations.sort(key=lambda cited: (cited.owner.label if cited.owner else "", cited.about))
    longest = max([*map(len, outgoing.values()), *map(len, incoming.values()), len(view.citations), 1])
    view.pages = -(-longest // PAGE_SIZE)
    window = slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    view.outgoing = _groups(index, {p: [Statement(index.link(o), backing.behind(ox.Triple(node, ox.NamedNode(p), o)),
                                                  held.get((p, o), ""))
                                        for o in dict.fromkeys(objects)] for p, objects in outgoing.items()}, window)
    view.incoming = _groups(index, {p: [Statement(link, References()) for link in dict.fromkeys(links)]
                                    for p, links in incoming.items()}, window)
    view.citations = view.citations[window]
    return view


def _link_or_text(iri: str, label: str) -> Link:
    """A link named by `label`; an IRI that may not be a link is shown whole, as the text it is."""
    target = href(iri)
    return Link(target, label if target is not None else iri, iri)


class _Backing:
    """The resource's evidence by the statement it backs: (property, value), or the property alone.

    A quote whose stated value matches no statement exactly (another datatype, or no value given) backs
    every statement of its property that has no exact quote, rather than being lost."""

    def __init__(self, index: _Index, subject: ox.NamedNode) -> None:
        self.exact: dict[tuple[str, object], References] = defaultdict(References)
        self.loose: dict[str, References] = defaultdict(References)
        stated = {(t.predicate.value, t.object) for t in index.by_subject.get(subject, [])}
        for node in index.values(subject, MG.evidence):
            properties = index.values(node, MG.statesProperty)
            if not properties:
                continue
            values = index.values(node, MG.statesValue)
            key = (properties[0].value, values[0] if values else None)
            target = self.exact[key] if key in stated else self.loose[properties[0].value]
            target.add(index.quote(node), index.source(node))

    def behind(self, triple: ox.Triple) -> References:
        """The quotes behind one statement of the resource."""
        exact = self.exact.get((triple.predicate.value, triple.object))
        return exact if exact is not None and exact.quotes else self.loose.get(triple.predicate.value, References())


def _class_link(index: _Index, node: Term) -> Link:
    """A type links to the index of its instances when it is one of our classes."""
    link = index.link(node)
    if node.value.startswith(MG):
        return Link(class_path(node.value[len(MG):]), link.label, link.iri)
    return link


def _groups(index: _Index, links: dict[str, list[Statement]], window: slice) -> list[Group]:
    by_label = {p: sorted(ls, key=lambda s: s.link.label.lower()) for p, ls in links.items()}
    groups = [Group(index.prop(p), ls[window]) for p, ls in by_label.items()]
    return sorted((g for g in groups if g.links), key=lambda g: g.property.label)


def _figure(index: _Index, node: Term) -> Figure:
    """A figure as read: its kind and what it measures (with a unit other than a count), and its
    number with the source's qualifier ("more than 160")."""
    kinds = [index.vocab.label(t.value) for t in index.values(node, RDF_TYPE)]
    measures = [t.value for t in index.values(node, MG.measures)]
    units = [index.vocab.label(t.value) for t in index.values(node, MG.unit) if t.value != MG + "count"]
    kind = ": ".join(filter(None, [", ".join(sorted(kinds)), " ".join(measures + [f"({u})" for u in units])]))
    values, as_of = index.values(node, MG.value), index.values(node, MG.asOf)
    qualifiers = [index.vocab.label(t.value) for t in index.values(node, MG.approximation)]
    notes = index.values(node, RDFS.comment)
    value = values[0].value if values else ""
    references = References()
    references.add(index.quote(node), index.source(node))
    return Figure(kind=kind, value=value, number=number_of(value), qualifier=" ".join(qualifiers),
                  as_of=readable(as_of[0]) if as_of else "", year=as_of[0].value[:4] if as_of else "",
                  note=notes[0].value if notes else "", references=references)


def _evidence(index: _Index, node: Term) -> Cited:
    stated = index.values(node, MG.statesProperty)
    values = index.values(node, MG.statesValue)
    return Cited(quote=index.quote(node), source=index.source(node),
                 about=index.vocab.label(stated[0].value) if stated else "",
                 value=index.display(values[0]) if values else "")


def _tenure(index: _Index, node: Term) -> Cited:
    """A qualified statement: its fact as evidence names it, and when it held as `kind` ("2014", "2006 to 2010")."""
    cited = _evidence(index, node)
    point, start, end = (index.values(node, MG + name) for name in ("pointInTime", "startDate", "endDate"))
    if point:
        cited.kind = readable(point[0])
    elif start:
        cited.kind = f"{readable(start[0])} to {readable(end[0])}" if end else f"from {readable(start[0])}"
    elif end:
        cited.kind = f"until {readable(end[0])}"
    return cited


def _held(index: _Index, subject: ox.NamedNode) -> dict[tuple[str, Term], str]:
    """When each qualified statement of the resource held ("2014", "from 2013"), by (property, value), so a
    statement shows its years beside it; several tenures of one statement are listed in time order."""
    found: dict[tuple[str, Term], list[tuple[str, str]]] = defaultdict(list)
    for node in index.values(subject, MG.tenure):
        properties, values = index.values(node, MG.statesProperty), index.values(node, MG.statesValue)
        if properties and values:
            dates = [t.value for name in ("pointInTime", "startDate", "endDate") for t in index.values(node, MG + name)]
            found[(properties[0].value, values[0])].append((min(dates, default=""), _tenure(index, node).kind))
    return {key: ", ".join(kind for _, kind in sorted(whens) if kind) for key, whens in found.items()}


def _quote_index(evidence: list[Cited]) -> list[QuoteUse]:
    """Each distinct quote once (with its source), listing every statement it backs."""
    folded: dict[tuple[str, str], QuoteUse] = {}
    for cited in evidence:
        use = folded.setdefault((cited.quote, cited.source.iri if cited.source else ""),
                                QuoteUse(cited.quote, cited.source))
        backs = f"{cited.about}: {cited.value}" if cited.value else cited.about
        if backs and backs not in use.backs:
            use.backs.append(backs)
    return sorted(folded.values(), key=lambda use: (use.backs[:1], use.text))


def _citations(index: _Index, node: Term) -> list[Cited]:
    """How a blank node (evidence or figure) that points here is used by the resources owning it."""
    if index.values(node, MG.statesProperty):
        cited = _evidence(index, node)
    else:
        figure = _figure(index, node)
        cited = Cited(index.quote(node), index.source(node), figure.as_of, figure.shown, kind=figure.kind)
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
    cited = [c.source for c in view.evidence if c.source] + [s for f in view.figures for s in f.references.sources]
    citations = sorted({source.iri for source in cited})
    if citations:
        data["citation"] = [{"@id": iri} for iri in citations]
    # A "<" could end the <script> element early (or open a comment); JSON allows the escape.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
