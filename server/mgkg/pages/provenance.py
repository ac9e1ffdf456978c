"""Provenance beside each statement: the quotes behind a fact, a link or a figure, folded and cited.

Every statement on a page carries its References: the distinct quotes behind it (a quote given by
several evidence nodes is shown once, with every source), each source cited by author
(dcterms:creator or schema:author) and year ("Martin 2015"), linked to its page, its
dcterms:bibliographicCitation on hover. How a source is cited comes from one query per store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mgkg.namespaces import prologue
from mgkg.pages.addresses import href
from mgkg.store.base import SparqlStore, select
from mgkg.store.cache import per_store

#: foaf:Person, as bibliographic records often type their authors.
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"


_SOURCES = f"""{prologue("mg", "rdfs", "dcterms", "skos", "schema")}SELECT ?s ?label ?cite ?alt ?creator ?person
  ?date WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{ {{ ?s a mg:SourceDocument }} UNION {{ [] mg:source ?s }} }} }}
  OPTIONAL {{ ?s rdfs:label ?label }}
  OPTIONAL {{ ?s dcterms:bibliographicCitation ?cite }}
  OPTIONAL {{ ?s skos:altLabel ?alt }}
  OPTIONAL {{ ?s mg:publicationDate|dcterms:issued|dcterms:date ?date }}
  OPTIONAL {{ ?s dcterms:creator|schema:author ?c . OPTIONAL {{ ?c rdfs:label ?cl }}
             FILTER(isLiteral(?c) || BOUND(?cl))  # an author known only by IRI cannot be named
             BIND(COALESCE(?cl, ?c) AS ?creator)
             BIND(isLiteral(?c) || EXISTS {{ ?c a mg:Person }} || EXISTS {{ ?c a <{FOAF_PERSON}> }} AS ?person) }}
}}"""


@dataclass(frozen=True)
class Citation:
    """How a page cites a source: "Martin 2015", linking to the source's page, its full citation on hover."""

    iri: str
    #: None when the source's IRI may not be a link (see addresses.href).
    href: str | None
    #: The source's dcterms:bibliographicCitation, else its title.
    label: str
    short: str


@dataclass
class Quote:
    """One verbatim quote and every source that gives it."""

    text: str
    sources: list[Citation] = field(default_factory=list)


@dataclass
class References:
    """The distinct quotes behind one statement."""

    quotes: list[Quote] = field(default_factory=list)

    def add(self, text: str, source: Citation | None) -> None:
        """Add a quote; the same words again (from another evidence node) fold into the first."""
        if not text:
            return
        quote = next((q for q in self.quotes if q.text == text), None)
        if quote is None:
            quote = Quote(text)
            self.quotes.append(quote)
        if source is not None and source not in quote.sources:
            quote.sources.append(source)
            quote.sources.sort(key=lambda cited: cited.short)
        # The store gives evidence nodes in no set order: sort, so a page reads (and hashes) the same each time.
        self.quotes.sort(key=lambda q: (q.sources[0].short if q.sources else "", q.text))

    @property
    def sources(self) -> list[Citation]:
        """Every source cited, in the order of the quotes."""
        return list(dict.fromkeys(s for q in self.quotes for s in q.sources))

    @property
    def summary(self) -> str:
        """What the collapsed references say: "2 quotes · Martin 2015, Thesis 2011"."""
        count = len(self.quotes)
        cited = ", ".join(source.short for source in self.sources)
        return f"{count} quote{'s' if count != 1 else ''}" + (f" · {cited}" if cited else "")


def short_citation(label: str, creators: list[tuple[str, bool]], year: str, alt_labels: list[str]) -> str:
    """ "Martin 2015", "Martin and Betts 2015", "Martin et al. 2015"; without authors, a short title.

    `creators` are (name, is a person): a person is cited by surname ("Martin, S." or "Susan F. Martin"),
    an organisation by its whole name; a source without creators by its first alternative label, else
    its title shortened to four words."""
    # One author given twice (a dcterms:creator literal and a schema:author resource) is named once.
    names = list(dict.fromkeys(_surname(name) if person else name for name, person in creators))
    if len(names) > 2:
        who = f"{names[0]} et al."
    elif names:
        who = " and ".join(names)
    elif alt_labels:
        who = alt_labels[0]
    else:
        words = label.split()
        who = " ".join(words[:4]) + ("…" if len(words) > 4 else "")
    return f"{who} {year}".strip()


def _surname(name: str) -> str:
    return name.split(",")[0].strip() if "," in name else name.split()[-1] if name.split() else name


@dataclass
class _Record:
    label: str = ""
    cite: str = ""
    alt_labels: set[str] = field(default_factory=set)
    creators: set[tuple[str, bool]] = field(default_factory=set)
    year: str = ""


@per_store
def citations(store: SparqlStore) -> dict[str, Citation]:
    """How every source of the graph is cited, by IRI (one query, then kept beside the store)."""
    records: dict[str, _Record] = {}
    for row in select(store, _SOURCES):
        record = records.setdefault(row["s"].value, _Record())
        if row["label"] is not None:
            record.label = record.label or row["label"].value
        if row["cite"] is not None:
            record.cite = record.cite or row["cite"].value
        if row["alt"] is not None:
            record.alt_labels.add(row["alt"].value)
        if row["creator"] is not None:
            record.creators.add((row["creator"].value, row["person"] is not None and row["person"].value == "true"))
        if row["date"] is not None and row["date"].value[:4].isdigit():
            record.year = record.year or row["date"].value[:4]
    return {iri: Citation(iri, href(iri), r.cite or r.label or iri,
                          short_citation(r.label or iri, sorted(r.creators), r.year, sorted(r.alt_labels)))
            for iri, r in records.items()}
