"""`mgkg wikidata compare` and `quickstatements`, against an answer written by hand in Wikidata's
SPARQL results format (tests/fixtures/wikidata), served on 127.0.0.1 or read from the file."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURES
from mgkg.cli import main
from mgkg.errors import WikidataError
from mgkg.linking.wikidata import (
    Fact,
    Statement,
    ask_wikidata,
    compare,
    compare_store,
    property_mappings,
    read_statements,
)
from mgkg.namespaces import MG
from mgkg.settings import Settings
from mgkg.web.app import create_app

ANSWER = FIXTURES / "wikidata" / "answer-written-by-hand.json"
ENTITY = "http://www.wikidata.org/entity/"
# QuickStatements V1: item, property, value, then source pairs, tab-separated.
V1_VALUE = r'(?:Q[1-9]\d*|"[^"\t]*"|[+-]\d{4,}-\d\d-\d\dT00:00:00Z/(?:9|10|11))'
V1_LINE = re.compile(rf"(Q[1-9]\d*)\t(P[1-9]\d*)\t({V1_VALUE})((?:\tS[1-9]\d*\t{V1_VALUE})*)")


@pytest.fixture
def wikidata_endpoint() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A stand-in for Wikidata's endpoint on 127.0.0.1 that answers every POST with the fixture."""
    received: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.append({"query": parse_qs(body)["query"][0], "user-agent": self.headers["User-Agent"]})
            answer = ANSWER.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", received
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def fixture_statements() -> set[tuple[str, str, str]]:
    rows = json.loads(ANSWER.read_text())["results"]["bindings"]
    return {(r["item"]["value"].removeprefix(ENTITY), r["property"]["value"].removeprefix(ENTITY),
             r["value"]["value"].removeprefix(ENTITY)) for r in rows}


def test_the_ontology_maps_properties_to_wikidata(graph_store):
    mappings = property_mappings(graph_store)
    assert mappings[MG + "foundingDate"] == "P571"
    assert mappings[MG + "memberOf"] == "P463"
    assert all(re.fullmatch(r"P[1-9]\d*", pid) for pid in mappings.values())


def test_compare_asks_the_endpoint_and_calls_each_fact(graph_store, wikidata_endpoint):
    endpoint, received = wikidata_endpoint
    comparisons = compare_store(graph_store, endpoint)
    status = {(c.fact.slug, c.fact.pid, c.fact.value): c.status for c in comparisons}
    assert status[("unhcr", "P571", "1950")] == "agrees"  # a year beside Wikidata's day
    assert status[("france", "P463", "Q458")] == "agrees"
    assert status[("spain", "P463", "Q458")] == "missing"
    assert "wd:Q132551" in received[0]["query"] and received[0]["user-agent"].startswith("MGKG/")


def test_quickstatements_are_v1_with_references_and_never_repeat_wikidata(tmp_path, capsys):
    output, review = tmp_path / "commands.txt", tmp_path / "review.csv"
    assert main(["wikidata", "quickstatements", "--answer", str(ANSWER), "--output", str(output),
                 "--review", str(review)]) == 0
    lines = output.read_text().splitlines()
    assert lines, "the fixture leaves facts out, so there must be commands"
    known = fixture_statements()
    known_pairs = {(item, prop) for item, prop, _ in known}
    for line in lines:
        parsed = V1_LINE.fullmatch(line)
        assert parsed, f"not QuickStatements V1: {line!r}"
        item, prop, value, sources = parsed.groups()
        assert (item, prop, value) not in known, f"Wikidata already has {line!r}"
        assert prop == "P463" or (item, prop) not in known_pairs, f"Wikidata has a value for {line!r}"
        assert "\tS854\t\"https://" in sources and re.search(r"\tS813\t\+\d{4}-\d\d-\d\dT00:00:00Z/11$", sources)
    reviewed = list(csv.DictReader(io.StringIO(review.read_text())))
    missing = [row for row in reviewed if row["status"] == "missing"]
    assert "sweden" in {row["slug"] for row in missing}  # missing, but its sources have no URL
    assert all("no quoted source has a DOI or URL" in row["reason"] for row in missing)
    assert all(row["status"] in ("conflict", "missing") and row["reason"] for row in reviewed)


def test_a_conflict_goes_to_review_not_to_commands(graph_store, tmp_path, capsys):
    # Synthetic, not a public fact: Wikidata made to say UNHCR began in 1949, to see a conflict handled.
    answer = json.loads(ANSWER.read_text())
    answer["results"]["bindings"][0]["value"]["value"] = "1949-12-03T00:00:00Z"
    changed = tmp_path / "conflict.json"
    changed.write_text(json.dumps(answer))
    statuses = {c.fact.slug: c.status for c in compare_store(graph_store, "unused", changed) if c.fact.pid == "P571"}
    assert statuses["unhcr"] == "conflict"
    assert main(["wikidata", "quickstatements", "--answer", str(changed)]) == 0
    commands, review = capsys.readouterr()
    assert not any(line.startswith("Q132551\tP571") for line in commands.splitlines())
    assert "unhcr,Q132551,mg:foundingDate,P571,1950,1949-12-03,conflict" in review


@pytest.mark.parametrize(("mgkg", "precision", "wikidata", "wikidata_precision", "status"), [
    ("1950", 9, "1950-12-14T00:00:00Z", 11, "agrees"),
    ("1951-07-28", 11, "1951-01-01T00:00:00Z", 9, "agrees"),    # Wikidata knows only the year
    ("1951-07-28", 11, "1951-07-29T00:00:00Z", 11, "conflict"),
    ("1950", 9, "+1951-00-00T00:00:00Z", 9, "conflict"),
])
def test_dates_are_compared_at_the_coarser_precision(mgkg, precision, wikidata, wikidata_precision, status):
    fact = Fact("x", "Q1", MG + "foundingDate", "P571", "time", mgkg, precision)
    assert compare([fact], {("Q1", "P571"): [Statement(wikidata, wikidata_precision)]})[0].status == status


def test_a_second_membership_is_missing_but_a_second_headquarters_is_a_conflict():
    member = Fact("x", "Q1", MG + "memberOf", "P463", "item", "Q458")
    seat = Fact("x", "Q1", MG + "locatedIn", "P159", "item", "Q71")
    found = {("Q1", "P463"): [Statement("Q1065")], ("Q1", "P159"): [Statement("Q72")]}
    assert [c.status for c in compare([member, seat], found)] == ["missing", "conflict"]


def test_an_unreachable_endpoint_is_named(capsys):
    with pytest.raises(WikidataError, match=re.escape("could not reach http://127.0.0.1:9/sparql")):
        ask_wikidata("http://127.0.0.1:9/sparql", "ASK {}", timeout=2)
    assert main(["wikidata", "compare", "--endpoint", "http://127.0.0.1:9/sparql"]) == 2
    assert "127.0.0.1:9" in capsys.readouterr().err


def test_an_answer_that_is_not_sparql_json_is_named(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("<html>rate limited</html>")
    with pytest.raises(WikidataError, match=re.escape("broken.json is not a SPARQL JSON answer")):
        read_statements(broken.read_bytes(), str(broken))


def test_a_resource_page_shows_its_recorded_comparison(site_store, tmp_path: Path):
    settings = Settings(root=tmp_path, workers=0)
    client = TestClient(create_app(settings, store=site_store))
    assert "Compared with Wikidata" not in client.get("/page/unhcr").text
    settings.data_dir.mkdir()
    settings.wikidata_comparison.write_text(
        "slug,qid,property,pid,mgkg_value,wikidata_values,status,checked\n"
        "unhcr,Q131656,mg:foundingDate,P571,1950,1949-12-03,conflict,2026-12-01\n", encoding="utf-8")
    page = client.get("/page/unhcr").text
    assert "Compared with Wikidata on 2026-12-01" in page and "in conflict" in page and "1949-12-03" in page


def test_compare_records_what_pages_show(tmp_path, capsys):
    # A copy of the source tree (its files linked) to record into, so the real data/ stays untouched.
    source, root = Path(__file__).resolve().parents[1], tmp_path / "tree"
    (root / "data").mkdir(parents=True)
    (root / "ontology").symlink_to(source / "ontology")
    for path in (source / "data").iterdir():
        (root / "data" / path.name).symlink_to(path)
    assert main(["--root", str(root), "wikidata", "compare", "--answer", str(ANSWER), "--record"]) == 0
    report = capsys.readouterr().out
    assert re.search(r"\d+ facts compared with Wikidata: \d+ agrees, \d+ missing, 0 conflict", report)
    rows = list(csv.DictReader(io.StringIO((root / "data" / "wikidata-comparison.csv").read_text())))
    assert {"slug": "unhcr", "status": "agrees"}.items() <= next(r for r in rows if r["slug"] == "unhcr").items()
