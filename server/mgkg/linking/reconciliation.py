"""Matching names to MGKG resources: the index behind the Reconciliation Service API, and its scores.

The index is built once per store version (the public store never changes, so in practice once)
from the catalog (labels, acronyms, types) and one query for descriptions, Wikidata links and
property values. Names are compared after folding accents and case and dropping punctuation, with
rapidfuzz's WRatio, which forgives word order and small typos. No HTTP here: web/reconcile.py serves it.

A candidate's score (0-100) is its best name similarity; property constraints weigh 30 % of it
when given. The features say how the score came about: `name` (similarity), `name_exact`,
`identifier` (the query was the entity's id, IRI or Wikidata QID), `type` (the candidate has a
queried type) and `property:{pid}` (best similarity of the candidate's values to the query's).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from mgkg.errors import ReconciliationError
from mgkg.namespaces import DCTERMS, MG, MGID, OWL, RDF_TYPE, RDFS, WD, compact, expand
from mgkg.pages.addresses import RECONCILE_SUGGEST, slug_of
from mgkg.pages.catalog import catalog
from mgkg.pages.vocabulary import Vocabulary, vocabulary
from mgkg.store.base import SparqlStore, select
from mgkg.store.cache import per_store

#: Properties whose values are not facts a table would want (provenance nodes are blank anyway).
SKIPPED = {RDFS.label, RDF_TYPE, MG.evidence, MG.figure}
#: A winner is clear when it scores at least this, and this much more than the runner-up.
MATCH_SCORE, MATCH_MARGIN = 90.0, 10.0
PROPERTY_WEIGHT = 0.3
#: A property value "matches" a query value at this similarity.
VALUE_MATCH = 85.0
QID = re.compile(r"(?:.*[/:])?(Q[1-9][0-9]*)")

_VALUES = f"""SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "{MGID}") && !isBlank(?o))
}}"""


def normalise(text: str) -> str:
    """`text` as names are compared: accents folded, case folded, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


@dataclass
class Entity:
    """One resource as reconciliation sees it."""

    id: str
    name: str
    names: list[str]
    types: list[str]
    description: str = ""
    qids: list[str] = field(default_factory=list)
    values: dict[str, list[ox.NamedNode | ox.Literal]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True)
class Constraint:
    """A property constraint of a query: `pid` (an IRI) with values to compare (text or entity ids)."""

    pid: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """One reconciliation query, checked: the text, wanted type IRIs, constraints and limit."""

    text: str = ""
    types: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    limit: int = 5


@dataclass
class Candidate:
    """An entity proposed for a query, with its score, the features behind it and the decision."""

    entity: Entity
    score: float
    features: dict[str, float | bool]
    match: bool = False


class ReconciliationIndex:
    """Every resource by id, their names for fuzzy matching, and the ontology's terms."""

    def __init__(self, entities: dict[str, Entity], vocab: Vocabulary) -> None:
        self.entities = entities
        self.vocab = vocab
        self.by_qid = {qid: entity for entity in entities.values() for qid in entity.qids}
        self._names: dict[frozenset[str], tuple[list[str], list[Entity]]] = {}

    def type_iri(self, type_id: str) -> str:
        """The IRI of a class named by a type id; ReconciliationError for ids that name no class."""
        iri = expand(type_id)
        term = self.vocab.terms.get(iri)
        if term is None or not term.is_class:
            raise ReconciliationError(f"type {type_id!r} is not one of MGKG's classes "
                                      f"(try {RECONCILE_SUGGEST.format(kind='type')})")
        return iri

    def property_iri(self, pid: str) -> str:
        """The IRI of a property named by a pid; ReconciliationError for pids MGKG does not use."""
        iri = expand(pid)
        if iri not in self.properties():
            raise ReconciliationError(f"property {pid!r} is not one MGKG uses "
                                      f"(try {RECONCILE_SUGGEST.format(kind='property')})")
        return iri

    def properties(self) -> dict[str, str]:
        """Every property with values on some resource, by IRI, with its label."""
        used = {p for entity in self.entities.values() for p in entity.values}
        return {iri: self.vocab.label(iri) for iri in sorted(used)}

    def reconcile(self, query: Query) -> list[Candidate]:
        """The best candidates for `query`, highest score first, the first marked a match if it clearly wins."""
        allowed = self._descendants(query.types)
        candidates = [c for c in self._by_identifier(query.text) if not allowed or allowed & set(c.entity.types)]
        if not candidates:
            pool = self._name_candidates(query.text, allowed, query.limit) if query.text else [
                (entity, 0.0) for entity in self.entities.values() if not allowed or allowed & set(entity.types)]
            candidates = [self._scored(entity, similarity, query) for entity, similarity in pool]
        if allowed:
            for candidate in candidates:
                candidate.features["type"] = bool(allowed & set(candidate.entity.types))
        candidates.sort(key=lambda c: (-c.score, c.entity.name.lower()))
        candidates = candidates[:query.limit]
        if candidates and _clear_winner(candidates):
            candidates[0].match = True
        return candidates

    def suggest_entities(self, prefix: str) -> list[Entity]:
        """Entities whose id, QID, or a word of a name, starts with `prefix`; whole-name prefixes first."""
        needle = normalise(prefix)
        if not needle:
            return []
        ranked = []
        for entity in self.entities.values():
            if needle in entity.qids or entity.id.startswith(prefix):
                ranked.append((0, entity))
            elif any(name.startswith(needle) for name in entity.names):
                ranked.append((1, entity))
            elif any(f" {needle}" in f" {name}" for name in entity.names):
                ranked.append((2, entity))
        return [entity for _, entity in sorted(ranked, key=lambda r: (r[0], r[1].name.lower()))]

    def suggest_terms(self, prefix: str, iris: list[str]) -> list[str]:
        """The terms among `iris` whose label or local name starts with `prefix` (case and accents aside)."""
        needle = normalise(prefix.partition(":")[2] if prefix.startswith("mg:") else prefix)
        found = []
        for iri in iris:
            names = [normalise(self.vocab.label(iri)), normalise(iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1])]
            if any(name.startswith(needle) or f" {needle}" in f" {name}" for name in names):
                found.append(iri)
        return sorted(found, key=lambda iri: (not normalise(self.vocab.label(iri)).startswith(needle),
                                              self.vocab.label(iri).lower()))

    def _descendants(self, types: tuple[str, ...]) -> set[str]:
        return {iri for type_iri in types for iri in self.vocab.descendants(type_iri)}

    def _by_identifier(self, text: str) -> list[Candidate]:
        """The entity a query names by id, IRI, mgid: CURIE or Wikidata QID (or IRI), as a sure match."""
        text = text.strip()
        slug = slug_of(text) or (text[5:] if text.startswith("mgid:") else text)
        qid = QID.fullmatch(text)
        entity = self.entities.get(slug) or (self.by_qid.get(qid.group(1)) if qid else None)
        if entity is None:
            return []
        return [Candidate(entity, 100.0, {"identifier": True, "name": 100.0})]

    def _name_candidates(self, text: str, allowed: set[str], limit: int) -> list[tuple[Entity, float]]:
        names, owners = self._names_of(frozenset(allowed))
        best: dict[str, tuple[Entity, float]] = {}
        for _, similarity, index in process.extract(normalise(text), names, scorer=fuzz.WRatio, processor=None,
                                                    limit=limit * 4 + 10, score_cutoff=40):
            entity = owners[index]
            if entity.id not in best or best[entity.id][1] < similarity:
                best[entity.id] = (entity, similarity)
        return list(best.values())

    def _names_of(self, allowed: frozenset[str]) -> tuple[list[str], list[Entity]]:
        """Every name of the entities of the allowed classes (all when none), kept per class set."""
        if allowed not in self._names:
            pairs = [(name, entity) for entity in self.entities.values()
                     if not allowed or allowed & set(entity.types) for name in entity.names]
            self._names[allowed] = ([name for name, _ in pairs], [entity for _, entity in pairs])
        return self._names[allowed]

    def _scored(self, entity: Entity, similarity: float, query: Query) -> Candidate:
        features: dict[str, float | bool] = {}
        score = similarity
        if query.text:
            features["name"] = round(similarity, 1)
            features["name_exact"] = normalise(query.text) in entity.names
        if query.constraints:
            shares = []
            for constraint in query.constraints:
                value_score = self._value_similarity(entity, constraint)
                features[f"property:{compact(constraint.pid)}"] = round(value_score, 1)
                shares.append(value_score >= VALUE_MATCH)
            share = 100.0 * sum(shares) / len(shares)
            score = (1 - PROPERTY_WEIGHT) * similarity + PROPERTY_WEIGHT * share if query.text else share
        return Candidate(entity, round(score, 1), features)

    def _value_similarity(self, entity: Entity, constraint: Constraint) -> float:
        """How well the entity's values of one property match any of the query's values (0-100)."""
        best = 0.0
        for value in entity.values.get(constraint.pid, []):
            names = self._value_names(value)
            for wanted in constraint.values:
                if isinstance(value, ox.NamedNode) and wanted in (slug_of(value.value), value.value):
                    return 100.0
                wanted_name = normalise(wanted)
                for name in names:
                    if _dates_agree(wanted, name):
                        return 100.0
                    best = max(best, fuzz.WRatio(wanted_name, name, processor=None))
        return best

    def _value_names(self, value: ox.NamedNode | ox.Literal) -> list[str]:
        """The texts a query value may give for `value`: a resource's names and QIDs, a literal's lexical form."""
        if isinstance(value, ox.Literal):
            return [normalise(value.value)]
        target = self.entities.get(slug_of(value.value) or "")
        return [*target.names, *(qid.lower() for qid in target.qids)] if target else [normalise(value.value)]


def _dates_agree(wanted: str, lexical: str) -> bool:
    """A queried date or year ("1951", "1951-07-28") agrees with a value it is a prefix of, at its precision."""
    wanted = wanted.strip()
    return bool(re.fullmatch(r"\d{4}(-\d{2}){0,2}", wanted)) and lexical.replace(" ", "-").startswith(wanted)


def _clear_winner(candidates: list[Candidate]) -> bool:
    """The identifier named, or a high score with a margin; an exact name needs no margin over inexact ones."""
    top, rest = candidates[0], candidates[1:]
    if top.features.get("identifier"):
        return True
    if top.score < MATCH_SCORE:
        return False
    rivals = [c for c in rest if c.features.get("name_exact")] if top.features.get("name_exact") else rest
    return not rivals or top.score - rivals[0].score >= MATCH_MARGIN


@per_store
def reconciliation_index(store: SparqlStore) -> ReconciliationIndex:
    """Every resource's names, types, description, Wikidata links and values in `store`, read once
    per data version."""
    entities = {}
    for entry in catalog(store).entries.values():
        names = list(dict.fromkeys(normalise(name) for name in [entry.label, *entry.alt_labels] if normalise(name)))
        entities[entry.slug] = Entity(entry.slug, entry.label, names, entry.types)
    for row in select(store, _VALUES):
        entity = entities.get(slug_of(row["s"].value) or "")
        predicate, value = row["p"].value, row["o"]
        if entity is None or predicate in SKIPPED:
            continue
        if predicate == DCTERMS.description:
            entity.description = entity.description or value.value
        if predicate == OWL.sameAs and value.value.startswith(WD):
            entity.qids.append(value.value[len(WD):])
        entity.values[predicate].append(value)
    return ReconciliationIndex(entities, vocabulary(store))
