"""Writing a validation report: readable text, JSON, JUnit XML, GitHub annotations, SHACL Turtle.

Every format carries the report's errors (files that could not be read) with file and line, so
a CI tool reading only one of them still shows why the run failed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from xml.etree import ElementTree

import rdflib
from rdflib.namespace import RDF, SH

from mgkg.checks.findings import SEVERITIES, Result, Term, ValidationReport
from mgkg.errors import InvalidDataError
from mgkg.namespaces import PREFIXES, curie

_GITHUB_LEVEL = {"violation": "error", "warning": "warning", "info": "notice"}


def short(term: Term | None) -> str:
    """A compact, readable name: mgid:unhcr, "1950"^^xsd:gYear, or the full IRI."""
    if term is None:
        return ""
    if isinstance(term, rdflib.Literal):
        text = json.dumps(str(term), ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^{short(term.datatype)}" if term.datatype else text
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    iri = str(term)
    compact = curie(iri)
    return compact if compact != iri else f"<{iri}>"


def display_path(path: Path) -> str:
    """The file as a user should see it: relative to the working folder when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def as_text(report: ValidationReport, fail_on: str) -> str:
    """Results grouped by resource, each group headed by the file and line defining it."""
    if report.errors:
        lines = [f"{_where(error)}: error: {error.reason}" for error in report.errors]
        return "\n".join([*lines, f"{len(report.errors)} file(s) could not be read; nothing was checked; fails"]) + "\n"
    lines = []
    for (resource, source), group in groupby(report.results, key=lambda r: (r.resource, r.source)):
        lines.append(f"{display_path(source.path)}:{source.line}: {short(resource)}")
        for result in group:
            what = " ".join(part for part in (short(result.path), _value_text(result)) if part)
            lines.append(f"  {result.severity} at line {result.line}: {result.message}")
            lines.append(f"    {what + '  ' if what else ''}[{short(result.shape)} {short(result.component)}]")
    counts = ", ".join(f"{report.count(s)} {s}{'s' if report.count(s) != 1 else ''}" for s in SEVERITIES)
    verdict = "fails" if report.fails(fail_on) else "passes"
    lines.append(f"{len(report.resources)} resources checked: {counts}; {verdict} (--fail-on {fail_on})")
    return "\n".join(lines) + "\n"


def as_json(report: ValidationReport, fail_on: str) -> str:
    """A JSON document: the verdict, the counts, and every result with its file and line."""
    body = {
        "conforms": report.conforms,
        "failed": report.fails(fail_on),
        "failOn": fail_on,
        "resourcesChecked": len(report.resources),
        "counts": {severity: report.count(severity) for severity in SEVERITIES},
        "results": [_result_json(r) for r in report.results],
        "errors": [{"file": display_path(e.path), "line": e.line, "message": e.reason} for e in report.errors],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def as_junit(report: ValidationReport, fail_on: str) -> str:
    """JUnit XML: one test case per resource checked; results at or above --fail-on are failures."""
    worst = SEVERITIES.index(fail_on)
    by_resource: dict[Term, list[Result]] = defaultdict(list)
    for result in report.results:
        by_resource[result.resource].append(result)
    suite = ElementTree.Element("testsuite", name="mgkg validate", tests=str(len(report.resources)))
    failures = 0
    for resource, source in sorted(report.resources.items(), key=lambda item: (str(item[1].path), item[1].line)):
        case = ElementTree.SubElement(
            suite, "testcase", classname=display_path(source.path), name=str(resource),
            file=display_path(source.path), line=str(source.line),
        )
        results = by_resource.get(resource, [])
        failing = [r for r in results if SEVERITIES.index(r.severity) <= worst]
        for result in failing:
            failure = ElementTree.SubElement(case, "failure", message=result.message, type=short(result.component))
            failure.text = _details(result)
        failures += bool(failing)
        if others := [r for r in results if r not in failing]:
            ElementTree.SubElement(case, "system-out").text = "\n".join(
                f"{r.severity}: {r.message}\n{_details(r)}" for r in others
            )
    for error in report.errors:  # an unreadable file is a failing test case of its own
        where = {"file": display_path(error.path)} | ({"line": str(error.line)} if error.line is not None else {})
        case = ElementTree.SubElement(suite, "testcase",
                                      {"classname": display_path(error.path), "name": "readable RDF", **where})
        ElementTree.SubElement(case, "failure", message=error.reason, type="unreadable file").text = str(error)
        failures += 1
    suite.set("tests", str(len(report.resources) + len(report.errors)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    root = ElementTree.Element("testsuites", name="mgkg", tests=suite.get("tests", "0"), failures=str(failures))
    root.append(suite)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def as_github(report: ValidationReport, fail_on: str) -> str:
    """GitHub Actions workflow commands: ::error / ::warning / ::notice with file and line."""
    lines = []
    for error in report.errors:
        where = f"file={_escape_property(display_path(error.path))}" + (
            f",line={error.line}" if error.line is not None else "")
        lines.append(f"::error {where},title=unreadable RDF::{_escape_data(error.reason)}")
    for r in report.results:
        title = _escape_property(f"{short(r.resource)} {short(r.path)}".strip())
        where = f"file={_escape_property(display_path(r.source.path))},line={r.line},title={title}"
        lines.append(f"::{_GITHUB_LEVEL[r.severity]} {where}::{_escape_data(r.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_turtle(report: ValidationReport, fail_on: str) -> str:
    """The standard SHACL validation report (sh:ValidationReport) in Turtle; unreadable files, which
    SHACL has no term for, as comments (with no report, as nothing was validated)."""
    if report.errors:
        return "".join(f"# error: {_where(error)}: {error.reason}\n" for error in report.errors)
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    node = rdflib.BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, rdflib.Literal(report.conforms)))
    severity = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
    for r in report.results:
        result = rdflib.BNode()
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, r.focus))
        graph.add((result, SH.resultSeverity, severity[r.severity]))
        graph.add((result, SH.sourceConstraintComponent, r.component))
        graph.add((result, SH.sourceShape, r.shape))
        graph.add((result, SH.resultMessage, rdflib.Literal(r.message, lang="en")))
        if r.path is not None:
            graph.add((result, SH.resultPath, r.path))
        if r.value is not None:
            graph.add((result, SH.value, r.value))
    return graph.serialize(format="turtle")


FORMATS: dict[str, Callable[[ValidationReport, str], str]] = {
    "text": as_text, "json": as_json, "junit": as_junit, "github": as_github, "turtle": as_turtle,
}


def _value_text(result: Result) -> str:
    return "" if result.value is None or result.value == result.focus else short(result.value)


def _details(result: Result) -> str:
    return "\n".join(
        f"{name}: {short(term)}" for name, term in (
            ("focus node", result.focus), ("path", result.path), ("value", result.value),
            ("shape", result.shape), ("constraint component", result.component),
        ) if term is not None
    )


def _result_json(result: Result) -> dict[str, object]:
    def text(term: Term | None) -> str | None:
        return None if term is None else (str(term) if not isinstance(term, rdflib.BNode) else f"_:{term}")

    return {
        "file": display_path(result.source.path),
        "line": result.line,
        "resourceLine": result.source.line,
        "resource": text(result.resource),
        "focusNode": text(result.focus),
        "resultPath": text(result.path),
        "value": text(result.value),
        "sourceConstraintComponent": text(result.component),
        "sourceShape": text(result.shape),
        "severity": result.severity,
        "message": result.message,
    }


def _where(error: InvalidDataError) -> str:
    return display_path(error.path) + (f":{error.line}" if error.line is not None else "")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
