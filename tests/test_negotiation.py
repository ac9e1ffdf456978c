"""Choosing a representation from an Accept header, q-values and wildcards included."""

from __future__ import annotations

import pytest

from mgkg.web.negotiation import negotiate, parse_accept

OFFERS = ["text/html", "text/turtle", "application/ld+json"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("text/html;q=0.5, application/ld+json", "application/ld+json"),
        ("text/*;q=0.9, application/ld+json;q=0.8", "text/html"),
        ("application/ld+json;q=0.8, text/turtle;q=0.9, */*;q=0.1", "text/turtle"),
        ("text/html;q=0, */*", "text/turtle"),
        ("image/png", None),
        ("TEXT/Turtle", "text/turtle"),
    ],
)
def test_negotiate_picks_the_highest_quality(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, OFFERS) == expected


def test_the_most_specific_range_sets_the_quality() -> None:
    assert negotiate("text/*;q=1, text/html;q=0.1, text/turtle;q=0.5", OFFERS) == "text/turtle"


def test_malformed_entries_are_ignored() -> None:
    assert [r.subtype for r in parse_accept("garbage, text/turtle;q=abc, application/ld+json")] == ["turtle", "ld+json"]
    assert negotiate("text/turtle;q=abc, application/ld+json", OFFERS) == "application/ld+json"
