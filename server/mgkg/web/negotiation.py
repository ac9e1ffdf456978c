"""Content negotiation, once: pick the best representation for an Accept header (RFC 9110, q-values).

One matching rule serves plain media types (`negotiate`, for pages and redirects) and result
formats (`negotiate_format`, which also honours a format's aliases such as application/json);
`choose_format` adds the `format=` parameter and the 400 and 406 answers every RDF route gives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mgkg.errors import ProtocolError
from mgkg.formats import ResultFormat, format_by_name

T = TypeVar("T")
#: How much of an unreadable Accept header a 406 message repeats.
_SHOWN = 200


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header, e.g. `text/*;q=0.5`."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches `media_type`: 2 exact, 1 type/*, 0 */*, -1 no match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; an absent or empty header accepts anything."""
    ranges: list[MediaRange] = []
    for part in (header or "*/*").split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue  # a malformed entry is ignored rather than failing the whole request
        ranges.append(MediaRange(kind, sub, _quality(params)))
    return ranges or [MediaRange("*", "*", 1.0)]


def negotiate(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers most; ties go to the earlier offer; None if all have q=0."""
    return _best(header, offered, lambda media_type: (media_type,))


def negotiate_format(header: str | None, candidates: Sequence[ResultFormat]) -> ResultFormat | None:
    """The result format the client prefers most (its media type or one of its aliases), as `negotiate`."""
    return _best(header, candidates, lambda fmt: (fmt.media_type, *fmt.also))


def choose_format(candidates: tuple[ResultFormat, ...], accept: str | None, format_param: str | None,
                  *, holds: str) -> ResultFormat:
    """`format=` if given, else the best the Accept header allows; ProtocolError 400 or 406 naming the
    choices otherwise. `holds` says what the answer is, for the messages ("a SELECT result", "RDF")."""
    if format_param:
        chosen = format_by_name(format_param, candidates)
        if chosen is None:
            names = ", ".join(c.name for c in candidates)
            raise ProtocolError(f"format={format_param} does not fit {holds}; use one of {names}")
        return chosen
    chosen = negotiate_format(accept, candidates)
    if chosen is None:
        offered = ", ".join(c.media_type for c in candidates)
        shown = accept if accept is None or len(accept) <= _SHOWN else accept[:_SHOWN] + "…"
        raise ProtocolError(f"no media type in Accept: {shown} can hold {holds}; offered: {offered}", 406)
    return chosen


def _best(header: str | None, offers: Sequence[T], media_types: Callable[[T], tuple[str, ...]]) -> T | None:
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for offer in offers:
        quality = _quality_of(media_types(offer), ranges)
        if quality > best_q:  # strictly: ties go to the earlier offer, and q=0 is a refusal
            best, best_q = offer, quality
    return best


def _quality_of(media_types: tuple[str, ...], ranges: list[MediaRange]) -> float:
    """The q of the most specific range naming the offer (RFC 9110 §12.5.1): its own media type exactly,
    then one of its aliases exactly, then type/*, then */*; 0 if none does."""
    own, *aliases = media_types
    specificity, quality = -1, 0.0
    for media_range in ranges:
        match = media_range.matches(own)
        if match == 2:
            match = 3
        elif any(media_range.matches(alias) == 2 for alias in aliases):
            match = 2
        if match > specificity:
            specificity, quality = match, media_range.q
    return quality


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                return 0.0
            return min(max(quality, 0.0), 1.0) if math.isfinite(quality) else 0.0  # q=NaN compares false
    return 1.0
