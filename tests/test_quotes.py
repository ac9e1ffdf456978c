"""Quote checking (`mgkg check-quotes`): every quote must occur verbatim in the source text it cites.

These tests bring their own small source text (tests/fixtures/quotes/sources/), so they run in any
clone; the check of the shipped data against the real texts is in test_data.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from mgkg.checks.quotes import check_quotes
from mgkg.checks.reports import display_path
from mgkg.cli import main
from mgkg.errors import ConfigurationError
from mgkg.settings import Settings

QUOTES = FIXTURES / "quotes"
WRONG = QUOTES / "quote-not-in-its-source.ttl"


def line_containing(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_a_quote_missing_from_its_text_is_reported_with_file_and_line(settings) -> None:
    report = check_quotes([WRONG], Settings(root=settings.root, sources=QUOTES / "sources"))
    assert report.checked == 2  # the other quote matches across a line break of the text
    assert [(m.path, m.line, m.quote) for m in report.missing] == [
        (WRONG, line_containing(WRONG, "who is a migrant"), "It defines who is a migrant.")]


def test_check_quotes_exits_1_naming_file_line_and_quote(capsys) -> None:
    assert main(["check-quotes", "--sources", str(QUOTES / "sources"), str(WRONG)]) == 1
    out = capsys.readouterr().out
    assert f"{display_path(WRONG)}:{line_containing(WRONG, 'who is a migrant')}: not in convention-excerpt.txt" in out
    assert '"It defines who is a migrant."' in out
    assert "2 quotes checked against 1 source texts" in out and "1 not found" in out


def test_check_quotes_exits_0_when_every_quote_is_found(tmp_path: Path, capsys) -> None:
    fixed = tmp_path / "fixed.ttl"
    fixed.write_text(WRONG.read_text().replace("It defines who is a migrant.", "It defines who is a refugee."))
    assert main(["check-quotes", "--sources", str(QUOTES / "sources"), str(fixed)]) == 0
    assert "0 not found" in capsys.readouterr().out


def test_a_text_missing_from_the_sources_folder_fails_naming_it(tmp_path: Path, settings) -> None:
    report = check_quotes([WRONG], Settings(root=settings.root, sources=tmp_path))
    assert {m.reason for m in report.missing} == {"convention-excerpt.txt is not in the sources folder"}
    assert len(report.missing) == 2


def test_without_the_sources_folder_it_exits_2_saying_where_to_put_them(tmp_path: Path, capsys) -> None:
    absent = tmp_path / "nowhere"
    assert main(["check-quotes", "--sources", str(absent), str(WRONG)]) == 2
    err = capsys.readouterr().err
    assert str(absent) in err and "MGKG_SOURCES" in err


def test_sources_default_beside_the_project_folder_and_follow_mgkg_sources(tmp_path: Path) -> None:
    assert Settings(root=tmp_path / "mgkg").sources_dir == tmp_path / "shared" / "seeds"
    assert Settings.from_env({"MGKG_SOURCES": str(tmp_path / "texts")}).sources_dir == tmp_path / "texts"
    with pytest.raises(ConfigurationError, match="MGKG_SOURCES"):
        check_quotes([WRONG], Settings(root=tmp_path, sources=tmp_path / "none"))


ELIDED = QUOTES / "elided-quotes.ttl"


def test_an_elided_quote_is_found_part_by_part_and_each_near_miss_named(settings) -> None:
    report = check_quotes([ELIDED], Settings(root=settings.root, sources=QUOTES / "sources"))
    assert report.checked == 7  # the first two, with "[…]" and with "[...]", are found across a footnote block
    found = {(m.line, m.reason.removesuffix(" dialogue-with-footnotes.txt")) for m in report.missing}
    assert found == {
        (line_containing(ELIDED, "Brunei […] Dialogue"), "parts out of order: part 2 is not after part 1 in"),
        (line_containing(ELIDED, "met again"), "gap after part 1 is 3128 characters, more than 2000, in"),
        (line_containing(ELIDED, "Korea"), "part 2 not in"),
        (line_containing(ELIDED, "the seeds have them. […]"), "quote keeps 323 characters, more than 300, of"),
        (line_containing(ELIDED, 'states20 […]" ;'), "an elision mark must stand between two parts, in"),
    }


def test_check_quotes_names_the_file_and_line_of_an_elided_quote_out_of_order(capsys) -> None:
    assert main(["check-quotes", "--sources", str(QUOTES / "sources"), str(ELIDED)]) == 1
    line = line_containing(ELIDED, "Brunei […] Dialogue")
    assert (f"{display_path(ELIDED)}:{line}: parts out of order: part 2 is not after part 1 in "
            "dialogue-with-footnotes.txt") in capsys.readouterr().out
