"""Data extension: the property values of reconciled resources, as the Reconciliation API 0.2 writes them.

Resources come as {id, name}; dates as ISO date-times at midnight UTC (a year 1951 as
1951-01-01T00:00:00Z, the spec has no coarser precision); numbers as int or float; text, and
booleans (0.2 has no boolean value), as str. Wikidata links point to Wikidata's own
reconciliation service, whose identifier space their QIDs belong to.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from mgkg.linking.reconciliation import ReconciliationIndex
from mgkg.namespaces import OWL, WD, XSD, compact
from mgkg.pages.addresses import slug_of

SAME_AS = OWL.sameAs
WIKIDATA_ENTITY = WD
#: The reconciliation service whose identifier space holds Wikidata's QIDs (as OpenRefine ships it).
WIKIDATA_SERVICE = "https://wikidata.reconci.link/en/api"
INTEGERS = {XSD + name for name in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger")}

JsonValue = dict[str, str | int | float]


def propose_properties(index: ReconciliationIndex, type_iri: str, limit: int) -> list[dict[str, str]]:
    """The properties that resources of the class (or its subclasses) have, most used first."""
    allowed = set(index.vocab.descendants(type_iri))
    counts: Counter[str] = Counter()
    for entity in index.entities.values():
        if allowed & set(entity.types):
            counts.update(list(entity.values))
    ranked = sorted(counts, key=lambda iri: (-counts[iri], index.vocab.label(iri)))
    return [property_entry(index, iri) for iri in ranked[:limit]]


def property_entry(index: ReconciliationIndex, iri: str) -> dict[str, str]:
    """A property as suggest and extension name it: {id, name, description when the ontology has one}."""
    entry = {"id": compact(iri), "name": "Wikidata item" if iri == SAME_AS else index.vocab.label(iri)}
    term = index.vocab.terms.get(iri)
    if term is not None and term.definition:
        entry["description"] = term.definition
    return entry


def extend(index: ReconciliationIndex, ids: list[str], property_iris: list[str]) -> dict[str, object]:
    """The data extension response: `meta` for each property, `rows` with each id's values."""
    meta: list[dict[str, object]] = []
    for iri in property_iris:
        column: dict[str, object] = {**property_entry(index, iri)}
        column.pop("description", None)
        if iri == SAME_AS:
            column["service"] = WIKIDATA_SERVICE
        meta.append(column)
    rows: dict[str, dict[str, list[JsonValue]]] = {}
    for entity_id in ids:
        entity = index.entities.get(entity_id)
        rows[entity_id] = {compact(iri): [value_json(index, value, entity.name) for value in entity.values.get(iri, [])]
                           if entity else [] for iri in property_iris}
    return {"meta": meta, "rows": rows}


def value_json(index: ReconciliationIndex, value: ox.NamedNode | ox.Literal, owner_name: str) -> JsonValue:
    """One property value in the 0.2 response's shapes; a Wikidata item is named as its MGKG owner."""
    if isinstance(value, ox.NamedNode):
        if value.value.startswith(WIKIDATA_ENTITY):
            return {"id": value.value[len(WIKIDATA_ENTITY):], "name": owner_name}
        target = index.entities.get(slug_of(value.value) or "")
        if target is not None:
            return {"id": target.id, "name": target.name}
        if index.vocab.terms.get(value.value):
            return {"id": compact(value.value), "name": index.vocab.label(value.value)}
        return {"str": value.value}
    return _literal_json(value)


def _literal_json(literal: ox.Literal) -> JsonValue:
    datatype, text = literal.datatype.value, literal.value
    if datatype in (XSD + "date", XSD + "gYear", XSD + "gYearMonth", XSD + "dateTime"):
        date = _iso_datetime(text)
        if date:
            return {"date": date}
    if datatype == XSD + "decimal" or datatype == XSD + "double" or datatype == XSD + "float":
        return {"float": float(text)}
    if datatype in INTEGERS and text.lstrip("-").isdigit():
        return {"int": int(text)}
    return {"str": text}


def _iso_datetime(text: str) -> str | None:
    """A year, year-month, date or date-time as the spec's date-time (midnight UTC when no time is given)."""
    if "T" in text:
        return text if text.endswith("Z") or "+" in text[10:] else text + "Z"
    parts = text.split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3 or len(parts[0]) != 4:
        return None
    year, month, day = [*parts, "01", "01"][:3]
    return f"{year}-{month}-{day}T00:00:00Z"
