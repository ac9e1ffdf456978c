"""The W3C Reconciliation Service API 0.2 at /reconcile: what OpenRefine (3.3 and later) speaks.

    GET  /reconcile                        the manifest
    GET  /reconcile?queries=  POST queries=  a batch of reconciliation queries (JSON)
    GET  /reconcile?extend=   POST extend=   data extension (JSON)
    GET  /reconcile/suggest/{entity,type,property}?prefix=&cursor=   prefix search
    GET  /reconcile/preview?id=            an HTML card for OpenRefine's iframe
    GET  /reconcile/properties?type=&limit=  the properties proposed for extending a type

Entity ids are slugs (identifierSpace https://w3id.org/mgkg/id/), types and properties CURIEs
such as mg:Treaty (schemaSpace, the ontology). This module reads and writes the spec's JSON;
matching is linking/reconciliation.py's, values linking/extension.py's. CORS comes from the app, as on every route.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mgkg.errors import BatchTooLargeError, NotFoundError, ReconciliationError
from mgkg.linking.extension import extend, property_entry, propose_properties
from mgkg.linking.reconciliation import Candidate, Constraint, Entity, Query, ReconciliationIndex, reconciliation_index
from mgkg.namespaces import MG, MGID, compact
from mgkg.pages.addresses import (
    RECONCILE,
    RECONCILE_PREVIEW,
    RECONCILE_PROPERTIES,
    RECONCILE_SUGGEST,
    below_reconcile,
    page_path,
)
from mgkg.pages.render import render
from mgkg.settings import Settings
from mgkg.store.base import SparqlStore
from mgkg.web.dependencies import get_settings, get_store
from mgkg.web.forms import FORM, content_type, decode_body, parse_form, read_body

router = APIRouter()

BATCH_SIZE = 100
MAX_LIMIT = 100
SUGGEST_PAGE = 10
PREVIEW_WIDTH, PREVIEW_HEIGHT = 420, 180
QUERY_FIELDS = {"query", "type", "limit", "properties", "type_strict"}
#: OpenRefine shows previews in an iframe of its own page: framing is allowed, nothing else is loaded.
PREVIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors *",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _index(store: SparqlStore = Depends(get_store)) -> ReconciliationIndex:
    return reconciliation_index(store)


@router.api_route(RECONCILE, methods=["GET", "HEAD", "POST"])
async def service(request: Request, index: ReconciliationIndex = Depends(_index),
                  settings: Settings = Depends(get_settings)) -> Response:
    """The manifest, or the answer to the `queries` or `extend` parameter (URL or form body)."""
    params = await _parameters(request, settings.max_body_bytes)
    if "queries" in params:
        batch = parse_batch(params["queries"], index)
        return JSONResponse({key: {"result": [candidate_json(index, c) for c in index.reconcile(query)]}
                             for key, query in batch.items()})
    if "extend" in params:
        ids, properties = parse_extension(params["extend"], index)
        return JSONResponse(extend(index, ids, properties))
    return JSONResponse(manifest(str(request.base_url).rstrip("/"), index))


@router.get(RECONCILE_SUGGEST.format(kind="entity"))
def suggest_entity(prefix: str = "", cursor: int = 0, index: ReconciliationIndex = Depends(_index)) -> JSONResponse:
    """Entities whose name, acronym, id or QID starts with `prefix`."""
    found = index.suggest_entities(prefix)[_page(cursor)]
    return JSONResponse({"result": [{**_entity_json(index, e), "notable": _types_json(index, e)} for e in found]})


@router.get(RECONCILE_SUGGEST.format(kind="type"))
def suggest_type(prefix: str = "", cursor: int = 0, index: ReconciliationIndex = Depends(_index)) -> JSONResponse:
    """MGKG's classes by label or local name."""
    found = index.suggest_terms(prefix, [term.iri for term in index.vocab.classes()])[_page(cursor)]
    return JSONResponse({"result": [_type_json(index, iri) for iri in found]})


@router.get(RECONCILE_SUGGEST.format(kind="property"))
def suggest_property(prefix: str = "", cursor: int = 0, index: ReconciliationIndex = Depends(_index)) -> JSONResponse:
    """The properties MGKG's resources have, by label or local name."""
    found = index.suggest_terms(prefix, list(index.properties()))[_page(cursor)]
    return JSONResponse({"result": [property_entry(index, iri) for iri in found]})


@router.get(RECONCILE_PROPERTIES)
def proposed_properties(type: str, limit: int = 20, index: ReconciliationIndex = Depends(_index)) -> JSONResponse:
    """The properties worth fetching for resources of `type`, most used first."""
    chosen = propose_properties(index, index.type_iri(type), max(1, min(limit, MAX_LIMIT)))
    return JSONResponse({"type": type, "limit": limit, "properties": chosen})


@router.get(RECONCILE_PREVIEW, response_class=HTMLResponse)
def preview(request: Request, id: str, index: ReconciliationIndex = Depends(_index)) -> HTMLResponse:
    """A small HTML card of one resource, sized for OpenRefine's preview iframe."""
    entity = index.entities.get(id)
    if entity is None:
        raise NotFoundError(f"there is no resource with id {id!r} to preview")
    base = str(request.base_url).rstrip("/")
    body = render("reconcile_preview.html", entity=entity, types=_types_json(index, entity),
                  page=base + page_path(entity.id), base=base)
    return HTMLResponse(body, headers=PREVIEW_HEADERS)


def manifest(base: str, index: ReconciliationIndex) -> dict[str, Any]:
    """The service manifest; `base` is this server's address, for the services it points to."""
    service = base + RECONCILE
    return {
        "versions": ["0.1", "0.2"],
        "name": "Migration Governance Knowledge Graph (MGKG)",
        "identifierSpace": MGID,
        "schemaSpace": MG,
        "view": {"url": MGID + "{{id}}"},
        "batchSize": BATCH_SIZE,
        "defaultTypes": [_type_json(index, iri) for iri in default_types(index)],
        "preview": {"url": base + RECONCILE_PREVIEW + "?id={{id}}", "width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
        "suggest": {kind: {"service_url": service, "service_path": below_reconcile(RECONCILE_SUGGEST.format(kind=kind))}
                    for kind in ("entity", "type", "property")},
        "extend": {"propose_properties": {"service_url": service,
                                          "service_path": below_reconcile(RECONCILE_PROPERTIES)},
                   "property_settings": []},
    }


def default_types(index: ReconciliationIndex) -> list[str]:
    """MGKG's top classes that resources have: the types a user most likely reconciles against."""
    used = {t for entity in index.entities.values() for t in entity.types}
    tops = []
    for term in index.vocab.classes():
        if term.parents and any(parent.startswith(MG) for parent in term.parents):
            continue
        if used & set(index.vocab.descendants(term.iri)):
            tops.append(term.iri)
    return tops


def parse_batch(text: str, index: ReconciliationIndex) -> dict[str, Query]:
    """The queries of a batch, checked against the spec's query schema and MGKG's types and properties."""
    batch = _json(text, "queries")
    if not isinstance(batch, dict):
        raise ReconciliationError(f"queries must be a JSON object of queries by key, not {_kind(batch)}")
    if len(batch) > BATCH_SIZE:
        raise BatchTooLargeError(f"the batch has {len(batch)} queries; this service takes at most {BATCH_SIZE}")
    return {key: _query(f"queries[{key!r}]", value, index) for key, value in batch.items()}


def parse_extension(text: str, index: ReconciliationIndex) -> tuple[list[str], list[str]]:
    """The ids and property IRIs of a data extension query."""
    query = _json(text, "extend")
    ids = query.get("ids") if isinstance(query, dict) else None
    properties = query.get("properties") if isinstance(query, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ReconciliationError("extend needs `ids`, a list of entity ids (strings)")
    if not isinstance(properties, list) or not all(isinstance(p, dict) and isinstance(p.get("id"), str)
                                                   for p in properties):
        raise ReconciliationError("extend needs `properties`, a list of objects with an `id` (string)")
    if len(ids) > BATCH_SIZE * 10:
        raise BatchTooLargeError(f"extend names {len(ids)} ids; this service takes at most {BATCH_SIZE * 10}")
    return ids, [index.property_iri(p["id"]) for p in properties]


def candidate_json(index: ReconciliationIndex, candidate: Candidate) -> dict[str, Any]:
    """One candidate as the spec's result batch writes it."""
    return {**_entity_json(index, candidate.entity), "score": candidate.score, "match": candidate.match,
            "type": _types_json(index, candidate.entity),
            "features": [{"id": name, "value": value} for name, value in candidate.features.items()]}


def _query(where: str, value: Any, index: ReconciliationIndex) -> Query:
    if not isinstance(value, dict):
        raise ReconciliationError(f"{where} must be an object, not {_kind(value)}")
    unknown = sorted(set(value) - QUERY_FIELDS)
    if unknown:
        raise ReconciliationError(f"{where} has unknown field(s) {', '.join(unknown)}; "
                                  f"a query has {', '.join(sorted(QUERY_FIELDS))}")
    text = value.get("query", "")
    if not isinstance(text, str) or ("query" in value and not text.strip()):
        raise ReconciliationError(f"{where}.query must be a non-empty string")
    types = value.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise ReconciliationError(f"{where}.type must be a type id or a list of them")
    limit = value.get("limit", 5)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or limit < 1 or limit != int(limit):
        raise ReconciliationError(f"{where}.limit must be a positive integer, not {limit!r}")
    if value.get("type_strict", "any") not in ("any", "should", "all"):
        raise ReconciliationError(f"{where}.type_strict must be any, should or all")
    try:
        constraints = _constraints(where, value.get("properties", []), index)
        type_iris = tuple(index.type_iri(t) for t in types)
    except ReconciliationError as error:
        raise ReconciliationError(f"{where}: {error}") from None
    if not text.strip() and not constraints:
        raise ReconciliationError(f"{where} needs a `query` string or a non-empty `properties` list")
    return Query(text, type_iris, constraints, min(int(limit), MAX_LIMIT))


def _constraints(where: str, properties: Any, index: ReconciliationIndex) -> tuple[Constraint, ...]:
    if not isinstance(properties, list):
        raise ReconciliationError(f"{where}.properties must be a list of {{pid, v}} objects")
    constraints = []
    for number, item in enumerate(properties):
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str) or "v" not in item:
            raise ReconciliationError(f"{where}.properties[{number}] must be an object with `pid` and `v`")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        constraints.append(Constraint(index.property_iri(item["pid"]),
                                      tuple(text for v in values for text in _value_texts(where, number, v))))
    return tuple(constraints)


def _value_texts(where: str, number: int, value: Any) -> list[str]:
    """A query's property value as texts to compare: an entity's id (and name), or the literal as text."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int | float):
        return [str(int(value)) if value == int(value) else str(value)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return [value["id"], *([value["name"]] if isinstance(value.get("name"), str) else [])]
    raise ReconciliationError(f"{where}.properties[{number}].v must be a string, number, boolean or {{id}}")


def _entity_json(index: ReconciliationIndex, entity: Entity) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entity.id, "name": entity.name}
    if entity.description:
        entry["description"] = entity.description
    return entry


def _types_json(index: ReconciliationIndex, entity: Entity) -> list[dict[str, str]]:
    """The entity's own classes, then their MGKG superclasses (OpenRefine guesses column types from these)."""
    found: list[str] = []
    todo = list(entity.types)
    while todo:
        iri = todo.pop(0)
        if iri.startswith(MG) and iri not in found:
            found.append(iri)
            term = index.vocab.terms.get(iri)
            todo.extend(term.parents if term else [])
    return [{"id": compact(iri), "name": index.vocab.label(iri)} for iri in found]


def _type_json(index: ReconciliationIndex, iri: str) -> dict[str, Any]:
    term = index.vocab.terms.get(iri)
    entry: dict[str, Any] = {"id": compact(iri), "name": index.vocab.label(iri)}
    if term is not None and term.definition:
        entry["description"] = term.definition
    broader = [p for p in (term.parents if term else []) if p.startswith(MG)]
    if broader:
        entry["broader"] = [{"id": compact(p), "name": index.vocab.label(p)} for p in broader]
    return entry


async def _parameters(request: Request, limit: int) -> dict[str, str]:
    """The request's parameters from the URL and, for a form POST, the body (the body wins)."""
    params = dict(parse_form(request.url.query, "URL"))
    if request.method == "POST":
        media_type, charset = content_type(request.headers.get("content-type", ""))
        if media_type != FORM:
            raise ReconciliationError(f"POST needs Content-Type {FORM}, not {media_type or 'none'}")
        params.update(parse_form(decode_body(await read_body(request, limit), charset), "form body"))
    return params


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReconciliationError(f"{name} is not valid JSON: {error.msg} at line {error.lineno} "
                                  f"column {error.colno}") from None


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _page(cursor: int) -> slice:
    start = max(cursor, 0)
    return slice(start, start + SUGGEST_PAGE)
