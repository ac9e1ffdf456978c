"""The Reconciliation Service API at /reconcile, replayed as OpenRefine uses it, every answer checked
against the spec's own JSON schemas (tests/schemas/reconciliation-0.2, vendored with their licence)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from conftest import FIXTURES
from mgkg.store import EmbeddedStore
from mgkg.web.app import create_app

SCHEMAS = Path(__file__).parent / "schemas" / "reconciliation-0.2"
_SCHEMA_FILES = {path.stem: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
# The schemas refer to each other by relative $ref ("type.json"), resolved against their $id.
REGISTRY = Registry().with_resources(
    (schema["$id"], DRAFT7.create_resource(schema)) for schema in _SCHEMA_FILES.values() if "$id" in schema)
ORIGIN = "http://127.0.0.1:3333"  # where OpenRefine's web interface runs


def valid(schema: str, instance: Any) -> Any:
    """`instance`, after checking it against one of the spec's schemas (every error listed)."""
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in Draft7Validator(_SCHEMA_FILES[schema], registry=REGISTRY).iter_errors(instance)]
    assert not errors, f"not a valid {schema}: {errors}"
    return instance


@pytest.fixture(scope="module")
def client(settings, graph_store) -> TestClient:
    return TestClient(create_app(settings, store=graph_store), headers={"Origin": ORIGIN})


@pytest.fixture(scope="module")
def namesakes(settings) -> TestClient:
    store = EmbeddedStore.in_memory([settings.ontology_dir, FIXTURES / "reconcile"], settings.root)
    return TestClient(create_app(settings, store=store))


def reconcile(client: TestClient, queries: dict[str, Any], method: str = "POST") -> dict[str, Any]:
    payload = json.dumps(valid("reconciliation-query-batch", queries))
    response = (client.post("/reconcile", data={"queries": payload}) if method == "POST"
                else client.get("/reconcile", params={"queries": payload}))
    assert response.status_code == 200, response.text
    return valid("reconciliation-result-batch", response.json())


def top(results: dict[str, Any], key: str) -> dict[str, Any]:
    return results[key]["result"][0]


def test_an_openrefine_session(client):
    """Manifest, an untyped sample for type guessing, a typed batch with a property, suggest,
    preview and data extension: the steps OpenRefine takes, in its order."""
    manifest = valid("manifest", client.get("/reconcile").json())
    assert manifest["versions"] == ["0.1", "0.2"]
    default_types = {t["id"] for t in manifest["defaultTypes"]}
    assert {"mg:Actor", "mg:Instrument", "mg:Forum"} <= default_types

    # OpenRefine sends the column's first rows without a type and tallies the candidates' types.
    sample = {f"q{n}": {"query": name, "limit": 3} for n, name in enumerate(
        ["UNHCR", "International Organization for Migration", "International Labour Organization", "OHCHR"])}
    guessed: Counter[str] = Counter()
    for answer in reconcile(client, sample).values():
        for candidate in answer["result"]:
            guessed.update({t["id"]: candidate["score"] for t in candidate["type"]})
    assert guessed.most_common(1)[0][0] in ("mg:Organisation", "mg:Actor", "mg:IntergovernmentalOrganisation")

    typed = {"q0": {"query": "Refugee Convention", "type": "mg:Treaty",
                    "properties": [{"pid": "mg:adoptionDate", "v": "1951"}]},
             "q1": {"query": "convention on migrant workers", "type": ["mg:Treaty"],
                    "properties": [{"pid": "mg:adoptionDate", "v": 1990}]}}
    results = reconcile(client, typed)
    assert top(results, "q0")["id"] == "refugee-convention-1951" and top(results, "q0")["match"]
    assert top(results, "q1")["id"] == "migrant-workers-convention-1990" and top(results, "q1")["match"]
    features = {f["id"]: f["value"] for f in top(results, "q0")["features"]}
    assert features["type"] is True and features["property:mg:adoptionDate"] == 100

    entities = valid("suggest-entities-response", client.get("/reconcile/suggest/entity?prefix=unh").json())
    assert "unhcr" in [e["id"] for e in entities["result"]]
    types = valid("suggest-types-response", client.get("/reconcile/suggest/type?prefix=trea").json())
    assert types["result"][0]["id"] == "mg:Treaty"
    properties = valid("suggest-properties-response", client.get("/reconcile/suggest/property?prefix=adopt").json())
    assert "mg:adoptionDate" in [p["id"] for p in properties["result"]]

    preview = client.get(manifest["preview"]["url"].replace("{{id}}", "unhcr").replace("http://testserver", ""))
    assert preview.status_code == 200 and preview.headers["content-type"].startswith("text/html")
    assert "UN refugee agency" in preview.text and "frame-ancestors *" in preview.headers["content-security-policy"]

    proposal = valid("data-extension-property-proposal", client.get("/reconcile/properties?type=mg:Treaty").json())
    proposed = [p["id"] for p in proposal["properties"]]
    assert "mg:adoptionDate" in proposed
    query = valid("data-extension-query", {"ids": ["refugee-convention-1951", "unhcr"],
                                           "properties": [{"id": "mg:adoptionDate"}, {"id": "mg:partOfRegime"}]})
    extended = client.post("/reconcile", data={"extend": json.dumps(query)})
    rows = valid("data-extension-response", extended.json())["rows"]
    assert rows["refugee-convention-1951"]["mg:adoptionDate"][0]["date"].startswith("1951-")
    # the reconciled Convention and UNHCR come back as parts of one regime, named
    regimes = [rows[entity]["mg:partOfRegime"] for entity in ("refugee-convention-1951", "unhcr")]
    assert regimes[0] == regimes[1] == [{"id": "refugee-regime", "name": "Refugee regime"}]


def test_get_answers_a_batch_as_post_does(client):
    queries = {"a": {"query": "UNHCR"}, "b": {"query": "Mexico", "type": "mg:State"}}
    assert reconcile(client, queries, "GET") == reconcile(client, queries, "POST")


@pytest.mark.parametrize("query", ["unhcr", "mgid:unhcr", "https://w3id.org/mgkg/id/unhcr", "Q132551",
                                   "http://www.wikidata.org/entity/Q132551", "wd:Q132551"])
def test_an_identifier_as_query_finds_the_entity(client, query):
    best = top(reconcile(client, {"q": {"query": query}}), "q")
    assert best["id"] == "unhcr" and best["match"] and best["score"] == 100
    assert {"id": "identifier", "value": True} in best["features"]


def test_an_identifier_of_another_type_is_no_match(client):
    result = reconcile(client, {"q": {"query": "Q132551", "type": "mg:State"}})["q"]["result"]
    assert all(c["id"] != "unhcr" for c in result)


@pytest.mark.parametrize(("query", "expected"), [
    ("francois crepeau", "francois-crepeau"),                          # accents and case
    ("FRANÇOIS CRÉPEAU", "francois-crepeau"),
    ("Crépeau François", "francois-crepeau"),                          # word order
    ("Internatonal Organisation for Migraton", "iom"),                 # typos
    ("GFMD", "gfmd"),                                                  # an acronym (skos:altLabel)
])
def test_names_match_despite_accents_order_and_typos(client, query, expected):
    best = top(reconcile(client, {"q": {"query": query}}), "q")
    assert best["id"] == expected, best


def test_scores_run_from_0_to_100_highest_first(client):
    result = reconcile(client, {"q": {"query": "migration", "limit": 20}})["q"]["result"]
    scores = [c["score"] for c in result]
    assert len(scores) > 5 and scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)


def test_namesakes_are_no_match_until_a_property_tells_them_apart(namesakes):
    alone = reconcile(namesakes, {"q": {"query": "Convention on the Status of Namesakes"}})["q"]["result"]
    assert [c["score"] for c in alone[:2]] == [100, 100] and not any(c["match"] for c in alone)
    told = reconcile(namesakes, {"q": {"query": "Convention on the Status of Namesakes",
                                       "properties": [{"pid": "mg:adoptionDate", "v": "1967"}]}})
    assert top(told, "q")["id"] == "namesake-convention-1967" and top(told, "q")["match"]
    assert [c["match"] for c in told["q"]["result"]].count(True) == 1


def test_a_type_restricts_the_candidates(namesakes):
    result = reconcile(namesakes, {"q": {"query": "CIME", "type": "mg:Treaty"}})["q"]["result"]
    assert all(c["id"] != "cime" for c in result)
    found = reconcile(namesakes, {"q": {"query": "comite intergouvernemental pour les migrations europeennes",
                                        "type": "mg:Organisation"}})
    assert top(found, "q")["id"] == "cime" and top(found, "q")["match"]


def test_properties_alone_can_reconcile(namesakes):
    result = reconcile(namesakes, {"q": {"properties": [{"pid": "mg:adoptionDate", "v": "1951"}]}})
    assert top(result, "q")["id"] == "namesake-convention-1951"


@pytest.mark.parametrize(("queries", "status", "message"), [
    ('{"q0": {"query": "UNHCR"', 400, "queries is not valid JSON"),
    ('["UNHCR"]', 400, "must be a JSON object"),
    ('{"q0": {"query": ""}}', 400, "queries['q0'].query must be a non-empty string"),
    ('{"q0": {"query": "x", "type": "mg:Nothing"}}', 400, "queries['q0']: type 'mg:Nothing'"),
    ('{"q0": {"query": "x", "properties": [{"pid": "mg:nothing", "v": "y"}]}}', 400, "property 'mg:nothing'"),
    ('{"q0": {"query": "x", "limit": 0}}', 400, "limit must be a positive integer"),
    ('{"q0": {"querry": "x"}}', 400, "unknown field(s) querry"),
    (json.dumps({f"q{n}": {"query": "x"} for n in range(101)}), 413, "at most 100"),
])
def test_bad_batches_are_4xx_with_a_message(client, queries, status, message):
    response = client.post("/reconcile", data={"queries": queries})
    assert response.status_code == status and message in response.text
    assert response.headers["access-control-allow-origin"] == "*"


def test_bad_extension_queries_are_400(client):
    assert client.get("/reconcile", params={"extend": "{"}).status_code == 400
    response = client.get("/reconcile", params={"extend": '{"ids": ["unhcr"], "properties": [{"id": "mg:x"}]}'})
    assert response.status_code == 400 and "mg:x" in response.text


@pytest.mark.parametrize("path", ["/reconcile", "/reconcile/suggest/entity?prefix=a",
                                  "/reconcile/suggest/type?prefix=a", "/reconcile/suggest/property?prefix=a",
                                  "/reconcile/preview?id=unhcr", "/reconcile/properties?type=mg:State",
                                  "/reconcile/preview?id=no-such-thing"])
def test_every_route_allows_cross_origin_reads(client, path):
    assert client.get(path).headers["access-control-allow-origin"] == "*"
    preflight = client.options(path, headers={"Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == "*"


def test_extension_writes_years_as_date_times_and_wikidata_links_with_their_service(client):
    query = {"ids": ["unhcr", "no-such-thing"], "properties": [{"id": "mg:foundingDate"}, {"id": "owl:sameAs"}]}
    answer = valid("data-extension-response", client.get("/reconcile", params={"extend": json.dumps(query)}).json())
    assert answer["rows"]["unhcr"]["mg:foundingDate"] == [{"date": "1950-01-01T00:00:00Z"}]
    assert answer["rows"]["unhcr"]["owl:sameAs"][0]["id"] == "Q132551"
    assert answer["rows"]["no-such-thing"] == {"mg:foundingDate": [], "owl:sameAs": []}
    assert answer["meta"][1]["service"].startswith("https://")


def test_the_preview_escapes_what_it_shows(settings, site_store):
    client = TestClient(create_app(settings, store=site_store))
    page = client.get("/reconcile/preview?id=tricky-forum")
    assert page.status_code == 200
    assert "<script>" not in page.text and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none' forbids scripts
    assert client.get("/reconcile/preview?id=no-such-thing").status_code == 404
