"""The HermiT consistency check finds real contradictions and passes the shipped graph."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, ROOT
from mgkg.checks.owl import check_consistency

MGID = "https://w3id.org/mgkg/id/"
pytestmark = pytest.mark.usefixtures("java")


def test_shipped_ontology_and_data_are_consistent() -> None:
    report = check_consistency([ROOT / "ontology", ROOT / "data"], ROOT)
    assert report.consistent, report.as_text()
    assert report.unsatisfiable_classes == []


def test_consistent_fixture_passes() -> None:
    report = check_consistency([ROOT / "ontology", FIXTURES / "consistent-instance.ttl"], ROOT)
    assert report.ok


def test_breaking_a_disjointness_axiom_is_inconsistent() -> None:
    report = check_consistency([ROOT / "ontology", FIXTURES / "person-who-is-also-an-organisation.ttl"], ROOT)
    assert not report.consistent
    assert not report.ok
    assert report.culprits == [f"{FIXTURES / 'person-who-is-also-an-organisation.ttl'}:7 <{MGID}test-hybrid>"]


def test_a_domain_contradiction_is_traced_to_its_resource() -> None:
    fixture = FIXTURES / "forum-that-administers-a-treaty.ttl"
    report = check_consistency([ROOT / "ontology", fixture], ROOT)
    assert not report.consistent
    assert report.culprits == [f"{fixture}:10 <{MGID}test-forum>"]
    assert f"{fixture}:10" in report.as_text()
