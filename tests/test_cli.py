"""The `mgkg` command as a user runs it: exit codes and what it prints."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import FIXTURES, ROOT
from mgkg import __version__
from mgkg.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mgkg.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_version(capsys) -> None:
    try:
        main(["--version"])
    except SystemExit as done:
        assert done.code == 0
    assert __version__ in capsys.readouterr().out


def test_query_counts_triples_as_json(capsys) -> None:
    assert main(["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert int(answer["results"]["bindings"][0]["n"]["value"]) > 500


def test_query_prints_a_table(capsys) -> None:
    query = (
        "SELECT ?label WHERE { <https://w3id.org/mgkg/ontology#Regime> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    )
    assert main(["query", query]) == 0
    out = capsys.readouterr().out
    assert "label" in out and "regime" in out and "(1 row)" in out


def test_query_syntax_error_exits_2(capsys) -> None:
    assert main(["query", "SELEC nothing"]) == 2
    assert "error:" in capsys.readouterr().err


def test_reason_on_broken_fixture_exits_1() -> None:
    done = run("reason", str(FIXTURES / "person-who-is-also-an-organisation.ttl"))
    assert done.returncode == 1, done.stderr
    assert "consistent: NO" in done.stdout


def test_reason_on_shipped_graph_exits_0() -> None:
    done = run("reason")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "unsatisfiable classes: 0" in done.stdout


def test_parse_error_exits_2_naming_file_and_line() -> None:
    done = run("reason", str(FIXTURES / "unterminated-string-on-line-7.ttl"))
    assert done.returncode == 2
    assert "unterminated-string-on-line-7.ttl:7:" in done.stderr


def test_help_lists_every_command() -> None:
    done = run("--help")
    for command in ("serve", "query", "reason", "validate", "load"):
        assert command in done.stdout


def test_load_without_a_store_says_how_to_name_one(capsys, monkeypatch) -> None:
    monkeypatch.delenv("MGKG_STORE", raising=False)
    assert main(["load"]) == 2
    assert "--store DIR, or set MGKG_STORE" in capsys.readouterr().err
