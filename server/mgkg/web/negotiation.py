"""Content negotiation: pick the best representation for an Accept header (RFC 9110, q-values)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


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
    ranges = parse_accept(header)
    best: tuple[float, int] | None = None
    chosen: str | None = None
    for position, media_type in enumerate(offered):
        quality = _quality_of(media_type, ranges)
        score = (quality, -position)
        if quality > 0 and (best is None or score > best):
            best, chosen = score, media_type
    return chosen


def _quality_of(media_type: str, ranges: list[MediaRange]) -> float:
    """The q of the most specific range that matches (RFC 9110 §12.5.1), 0 if none does."""
    specificity, quality = -1, 0.0
    for media_range in ranges:
        match = media_range.matches(media_type)
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
