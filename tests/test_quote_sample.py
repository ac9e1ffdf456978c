"""The hand-checked samples of quotes (data/review): drawn over all evidence, kept current, judged, and the latest
round good enough. Every round is checked against a re-draw; the 95 % share applies to the latest alone."""

from __future__ import annotations

import csv
import dataclasses
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import draw_quote_sample as sample_script  # scripts/ is not a package: its folder goes on the path first
from draw_quote_sample import COLUMNS, LATEST, ROUNDS, SAMPLE_SIZE, VERDICTS, Round, SampledClaim

SUPPORTED_SHARE = 0.95  # issue 14: at least 95 % of the sampled quotes state their fact


@pytest.fixture(scope="module")
def evidence(graph_store) -> list[SampledClaim]:
    return sample_script.read_evidence(graph_store)


@pytest.fixture(scope="module", params=ROUNDS, ids=lambda each: f"round {each.name}")
def round_(request) -> Round:
    return request.param


@pytest.fixture(scope="module")
def drawn(evidence, round_) -> list[SampledClaim]:
    return sample_script.draw(evidence, round_.seed)


@pytest.fixture(scope="module")
def kept(round_) -> list[dict[str, str]]:
    return sample_script.read_sample(round_.file)


def _names(nodes: list[SampledClaim]) -> list[str]:
    return [sample_script.describe(each) for each in nodes]


def _judged(nodes: list[SampledClaim]) -> list[dict[str, str]]:
    """Rows as a person would keep them for `nodes`, so the checks below do not depend on the kept file."""
    return [{**dataclasses.asdict(each), "verdict": "SUPPORTED", "reason": ""} for each in nodes]


def test_the_population_is_every_evidence_and_tenure_node(evidence, graph_store) -> None:
    counted = graph_store.query("""PREFIX mg: <https://w3id.org/mgkg/ontology#>
        SELECT (COUNT(?node) AS ?n) WHERE { GRAPH ?file { ?node a ?kind } VALUES ?kind { mg:Evidence mg:Tenure } }""")
    assert len(evidence) == int(next(iter(counted))["n"].value)
    assert {each.when != "" for each in evidence} == {True, False}  # both kinds are in it


def test_the_kept_sample_holds_exactly_the_drawn_claims(drawn, kept) -> None:
    changes = sample_script.compare(drawn, kept)
    assert len(kept) == SAMPLE_SIZE
    assert (_names(changes.drawn_new), _names(changes.no_longer_drawn)) == ([], []), (
        "the data changed the sample: run `python scripts/draw_quote_sample.py` and judge the blank rows")


def test_each_kept_quote_is_the_current_quote(drawn, kept) -> None:
    changed = sample_script.compare(drawn, kept).quote_changed
    assert _names(changed) == [], "re-cut quotes: run `python scripts/draw_quote_sample.py` and judge them again"


def test_verdicts_are_allowed_and_explained(kept) -> None:
    assert [row["verdict"] for row in kept if row["verdict"] not in VERDICTS] == []
    unexplained = [row["subject"] for row in kept if row["verdict"] != "SUPPORTED" and not row["reason"].strip()]
    assert unexplained == []
    assert [row["subject"] for row in kept if "\n" in row["reason"]] == []  # one line each


def test_rounds_have_their_own_seeds_and_files() -> None:
    assert len({each.seed for each in ROUNDS}) == len({each.file for each in ROUNDS}) == len(ROUNDS)


def test_at_least_95_percent_of_the_latest_round_is_supported() -> None:
    kept = sample_script.read_sample(LATEST.file)
    judged = [row for row in kept if row["verdict"]]
    assert len(judged) == SAMPLE_SIZE, f"round {LATEST.name}: {SAMPLE_SIZE - len(judged)} rows wait for a verdict"
    supported = sum(row["verdict"] == "SUPPORTED" for row in judged)
    assert supported >= SUPPORTED_SHARE * len(judged), (
        f"round {LATEST.name}: {supported} of {len(judged)} sampled quotes state their fact")


def test_a_fresh_seed_draws_another_sample(evidence) -> None:
    first, latest = (sample_script.draw(evidence, each.seed) for each in (ROUNDS[0], LATEST))
    assert len(set(first) & set(latest)) < SAMPLE_SIZE // 2  # independent draws overlap by chance only


def test_a_recut_quote_keeps_its_claim_in_the_sample_and_is_named(evidence, drawn, round_) -> None:
    recut = drawn[7]
    altered = [dataclasses.replace(each, quote="a re-cut quote") if each == recut else each for each in evidence]
    redrawn = sample_script.draw(altered, round_.seed)
    assert [sample_script.claim_of(each) for each in redrawn] == [sample_script.claim_of(each) for each in drawn]
    changes = sample_script.compare(redrawn, _judged(drawn))
    assert (changes.drawn_new, changes.no_longer_drawn) == ([], [])
    assert _names(changes.quote_changed) == [sample_script.describe(recut)]


def test_a_removed_fact_only_replaces_its_row(evidence, drawn, round_) -> None:
    removed = drawn[3]
    redrawn = sample_script.draw([each for each in evidence if each != removed], round_.seed)
    assert [each for each in drawn if each != removed] == redrawn[:-1]
    assert redrawn[-1] == sample_script.draw(evidence, round_.seed, SAMPLE_SIZE + 1)[-1]


def test_a_kept_file_with_an_altered_quote_is_caught(drawn, tmp_path: Path) -> None:
    kept = _judged(drawn)
    copy = tmp_path / "sample.csv"
    with copy.open("w", encoding="utf-8", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow({**kept[0], "quote": kept[0]["quote"] + " (altered)"})
        writer.writerows(kept[1:])
    changes = sample_script.compare(drawn, sample_script.read_sample(copy))
    assert _names(changes.quote_changed) == [sample_script.describe(drawn[0])]
    assert (changes.drawn_new, changes.no_longer_drawn) == ([], [])


def test_a_sample_file_with_other_columns_is_refused_naming_it(tmp_path: Path) -> None:
    old = tmp_path / "old-sample.csv"
    old.write_text("id,location,subject,property,value,seed,quote,verdict,reason\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"old-sample\.csv: the columns are"):
        sample_script.read_sample(old)
