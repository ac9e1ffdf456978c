"""Elided quotes: a quote may leave out a stretch of its seed, as a scholar does, with the mark "[…]".

Some facts are stated only across a gap: a footnote marker and its footnote, a sentence cut by a page of
footnotes, a span a little over the length limit. A quote then keeps the parts that state the fact and marks
each gap with ELISION ("[...]" is read as the same mark). Each part is verbatim in the seed, in order, and a gap
is at most MAX_GAP_CHARS characters: enough for a footnote block or a page break, never another section. The
kept text (the parts, one space between them) is at most MAX_QUOTE_CHARS long, as a quote without a gap is.
"""

from __future__ import annotations

import re

ELISION = "[…]"
# the mark as written, and with three full stops; NFKC turns the ellipsis into three full stops too
_MARK = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*")
MAX_QUOTE_CHARS = 300
# a marker and its footnote at the foot of the page, or a page break full of footnotes: within 1,700 characters in
# the seeds (the Abu Dhabi Dialogue's footnote 19 is 1,652 away); a different section is farther
MAX_GAP_CHARS = 2000


def parts(quote: str) -> list[str]:
    """The verbatim parts of `quote`, split at its elision marks; one part when it has none."""
    return _MARK.split(quote)


def is_elided(quote: str) -> bool:
    return len(parts(quote)) > 1


def kept_text(quote: str) -> str:
    """The text the quote keeps from its seed: its parts, one space between them."""
    return " ".join(parts(quote))


def collapse(text: str) -> str:
    """`text` with each run of whitespace (a seed's line breaks) read as one space, as quotes are compared."""
    return " ".join(text.split())


def why_not_in(quote: str, text: str) -> str | None:
    """Why `quote` is not in `text` (both with runs of whitespace read as one space); None when it is.

    An elided quote is in the text when each part is, in order, each gap at most MAX_GAP_CHARS long."""
    pieces = [collapse(piece) for piece in parts(quote)]
    if len(kept := " ".join(pieces)) > MAX_QUOTE_CHARS:
        return f"quote keeps {len(kept)} characters, more than {MAX_QUOTE_CHARS}, of"
    if len(pieces) == 1:
        return None if pieces[0] in text else "not in"
    if not all(pieces):
        return "an elision mark must stand between two parts, in"
    first_missing = next((n for n, piece in enumerate(pieces, start=1) if piece not in text), None)
    if first_missing is not None:
        return f"part {first_missing} not in"
    starts = _occurrences(text, pieces[0])
    failures = [failure for start in starts if (failure := _first_gap_too_wide(text, pieces, start)) is not None]
    if len(failures) < len(starts):
        return None
    # the attempt that got furthest says most: a gap too wide rather than a part out of order, the narrowest gap
    part, width = min(failures, key=lambda failure: (-failure[0], failure[1] < 0, failure[1]))
    if width < 0:
        return f"parts out of order: part {part + 1} is not after part {part} in"
    return f"gap after part {part} is {width} characters, more than {MAX_GAP_CHARS}, in"


def _occurrences(text: str, piece: str) -> list[int]:
    found, at = [], text.find(piece)
    while at >= 0:
        found.append(at)
        at = text.find(piece, at + 1)
    return found


def _first_gap_too_wide(text: str, pieces: list[str], start: int) -> tuple[int, int] | None:
    """With the first part at `start`, None when each later part follows the one before within the bound (the
    nearest occurrence is the best one); else the part after which it does not, and the gap (-1: none follows)."""
    end = start + len(pieces[0])
    for n, piece in enumerate(pieces[1:], start=1):
        at = text.find(piece, end)
        if at < 0:
            return n, -1
        if at - end > MAX_GAP_CHARS:
            return n, at - end
        end = at + len(piece)
    return None
