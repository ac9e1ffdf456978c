"""The `mgkg` command as a user runs it: exit codes and what it prints."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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


def test_reason_on_broken_fixture_exits_1(java) -> None:
    done = run("reason", str(FIXTURES / "person-who-is-also-an-organisation.ttl"))
    assert done.returncode == 1, done.stderr
    assert "consistent: NO" in done.stdout


def test_reason_on_shipped_graph_exits_0(java) -> None:
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


def test_query_list_names_every_query_with_its_question(capsys) -> None:
    assert main(["query", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 45
    assert any(line.startswith("who-chaired-gcim ") and "Global Commission" in line for line in lines)


def test_query_runs_a_competency_query_file(capsys) -> None:
    assert main(["query", str(ROOT / "queries" / "gfmd-emerged-from-hld-2006.rq")]) == 0
    assert capsys.readouterr().out == "true\n"


SHACL = FIXTURES / "shacl"


def test_validate_shipped_data_exits_0(capsys) -> None:
    assert main(["validate"]) == 0
    assert "0 violations" in capsys.readouterr().out


def test_validate_negative_fixture_exits_1_naming_file_and_line(capsys) -> None:
    fixture = SHACL / "entry-into-force-before-adoption.ttl"
    assert main(["validate", "--with-data", str(fixture)]) == 1
    out = capsys.readouterr().out
    line = _subject_line(fixture, "mgid:test-treaty")
    assert f"entry-into-force-before-adoption.ttl:{line}: mgid:test-treaty" in out
    assert "before it was adopted" in out


def test_warnings_fail_only_when_asked(capsys) -> None:
    fixture = str(SHACL / "description-missing.ttl")
    assert main(["validate", "--with-data", fixture]) == 0
    assert main(["validate", "--with-data", "--fail-on", "warning", fixture]) == 1


BROKEN = FIXTURES / "unterminated-string-on-line-7.ttl"


def test_validate_syntax_error_exits_2_naming_file_and_line() -> None:
    done = run("validate", str(BROKEN))
    assert done.returncode == 2
    assert "unterminated-string-on-line-7.ttl:7: error: " in done.stdout


def _junit_failures(out: str) -> list[tuple[str | None, str | None, str | None]]:
    from xml.etree import ElementTree

    suite = ElementTree.fromstring(out.encode()).find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    return [(case.get("file"), case.get("line"), (case.find("failure").get("message") or "")[:12])  # type: ignore[union-attr]
            for case in suite.iter("testcase") if case.find("failure") is not None]


@pytest.mark.parametrize(("fmt", "expected"), [
    ("text", lambda out: f"{BROKEN.relative_to(ROOT)}:7: error: Parser error" in out),
    ("github", lambda out: out.startswith(f"::error file={BROKEN.relative_to(ROOT)},line=7,")),
    ("junit", lambda out: _junit_failures(out) == [(str(BROKEN.relative_to(ROOT)), "7", "Parser error")]),
    ("json", lambda out: [(e["file"], e["line"]) for e in json.loads(out)["errors"]] == [
        (str(BROKEN.relative_to(ROOT)), 7)] and json.loads(out)["failed"]),
    ("turtle", lambda out: out.startswith(f"# error: {BROKEN.relative_to(ROOT)}:7: Parser error")),
])
def test_a_syntax_error_is_reported_with_file_and_line_in_every_format(fmt, expected) -> None:
    done = run("validate", "--format", fmt, str(BROKEN))
    assert done.returncode == 2
    assert expected(done.stdout), done.stdout


def test_every_unreadable_file_is_reported_not_only_the_first(capsys) -> None:
    assert main(["validate", "--format", "json", str(BROKEN), str(FIXTURES / "no-such-file.ttl")]) == 2
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["line"], e["message"][:12]) for e in errors] == [(7, "Parser error"), (None, "no such file")]


@pytest.mark.parametrize("command", [["validate"], ["query", "ASK {}"], ["reason"]])
def test_a_folder_that_is_no_project_says_pass_root_or_set_mgkg_root(tmp_path, capsys, command) -> None:
    assert main(["--root", str(tmp_path), *command]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "pass --root or set MGKG_ROOT" in err


def test_validate_junit_is_junit_xml(capsys) -> None:
    from xml.etree import ElementTree

    assert main(["validate", "--with-data", "--format", "junit", str(SHACL / "two-founding-dates.ttl")]) == 1
    root = ElementTree.fromstring(capsys.readouterr().out.encode())
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "1" and suite.get("tests") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("type") == "sh:MaxCountConstraintComponent"


def test_validate_github_annotations_carry_file_and_line(capsys) -> None:
    fixture = SHACL / "successor-older-than-its-predecessor.ttl"
    assert main(["validate", "--with-data", "--format", "github", str(fixture)]) == 1
    lines = capsys.readouterr().out.splitlines()
    line = _statement_line(fixture, "mg:successorOf mgid:test-predecessor")
    assert line > _subject_line(fixture, "mgid:test-successor")
    assert len(lines) == 1
    assert lines[0].startswith(f"::error file={fixture.relative_to(ROOT)},line={line},")


def test_validate_json_and_turtle_report(capsys) -> None:
    import rdflib

    fixture = str(SHACL / "wikidata-link-not-an-entity.ttl")
    assert main(["validate", "--with-data", "--format", "json", fixture]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["failed"] and body["counts"]["violation"] == 1
    assert body["results"][0]["resultPath"] == "http://www.w3.org/2002/07/owl#sameAs"
    assert main(["validate", "--with-data", "--format", "turtle", fixture]) == 1
    report = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    shacl = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, shacl.conforms, rdflib.Literal(False)) in report
    assert len(list(report.subjects(rdflib.RDF.type, shacl.ValidationResult))) == 1


def _statement_line(path, statement: str) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.strip().startswith(statement))


def _subject_line(path, subject: str) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(subject))


def test_load_without_a_store_says_how_to_name_one(capsys, monkeypatch) -> None:
    monkeypatch.delenv("MGKG_STORE", raising=False)
    assert main(["load"]) == 2
    assert "--store DIR, or set MGKG_STORE" in capsys.readouterr().err
