"""The text side of a quote: the normal form that forgives the seeds' PDF damage, and the dates and numbers a
text states, at the precision and in the spellings the seeds write them.

Seed 003 lost its ligatures ("traicking", "ratiied", "oten", "efort", "his" for "This"), so both a quote and a
name are compared with the letters a lost ligature takes with it dropped (f before f, i, l or t; T before h; the
first of tt).
"""

from __future__ import annotations

import re
import unicodedata


def lose_ligatures(text: str) -> str:
    """`text` spelled as the damaged seeds spell it, case kept: the letters a lost ligature takes are dropped."""
    return re.sub(r"[fF](?=[fFiIlLtT])|[tT](?=[hHtT])", "", text)


_TIDY = str.maketrans({"‘": "'", "’": "'", "“": "", "”": "", '"': "", "–": "-", "—": "-", "\u00ad": None})


def tidy(text: str) -> str:
    """Compatibility characters composed, one apostrophe and one dash, no quotation marks, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TIDY)
    return " ".join(text.split())


def normal_form(text: str) -> str:
    """What a plain and a damaged spelling of one text share: `tidy`, then `lose_ligatures`."""
    return lose_ligatures(tidy(text))


def damaged_pattern(pattern: str) -> re.Pattern[str]:
    """A pattern written in plain English, compiled to match text in normal form (where "the" is "he")."""
    return re.compile(lose_ligatures(pattern))


MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|and|to)\s*"
_YEAR = r"((?:1[6-9]|20)\d\d)(?!\d)"
# each pattern with the group numbers of its (year, month, first day, last day); a day range states both days
DATE_PATTERNS = [(re.compile(pattern), groups) for pattern, groups in (
    (rf"(?<!\d){_DAY}(?:{_TO}{_DAY})?(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}", (4, 3, 1, 2)),  # 2-3 July 2003
    (rf"\b{_MONTH}\s+{_DAY}(?:{_TO}{_DAY})?,?\s+{_YEAR}", (4, 1, 2, 3)),  # October 3 and 4, 2013
    (rf"(?<!\d){_YEAR}-(\d\d)-(\d\d)(?!\d)", (1, 2, 3, 0)),  # 2003-07-01
    (rf"(?<![\d/]){_DAY}/(\d{{1,2}})/{_YEAR}", (3, 2, 1, 0)),  # 12/04/2012, day first as in the seeds
    (rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}", (2, 1, 0, 0)),  # December 2003
    (rf"(?<!\d){_YEAR}", (1, 0, 0, 0)),
)]

_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_ORDINALS = (
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
    "nineteenth",
)
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


def _number_words(n: int) -> list[str]:
    if n < 20:
        return [_UNITS[n], *_ORDINALS[n : n + 1]] + (["none", "no"] if n == 0 else [])
    if n < 100:
        tens, unit = divmod(n, 10)
        head = _TENS[tens - 2]
        return [head] if unit == 0 else [f"{head}-{_UNITS[unit]}", f"{head} {_UNITS[unit]}"]
    return []


def number_spellings(value: float) -> list[str]:
    """The ways the seeds write a number: 49, forty-nine, 7,800, 1.2 million, a million, half a million."""
    if value != int(value):
        return [f"{value:g}"]
    n = int(value)
    spellings = [str(n), f"{n:,}", *_number_words(n)]
    for word, scale in _SCALES.items():
        count = n / scale
        if n >= scale // 2 and n % (scale // 10) == 0:
            spellings.append(f"{count:g} {word}")
            if count == int(count):
                spellings += [f"{w} {word}" for w in _number_words(int(count))]
            spellings += {1: [f"a {word}"], 0.5: [f"half a {word}"]}.get(count, [])
    return spellings


# "5+5": a sum written as its terms, as the seeds name a dialogue by its two sides
_SUM = re.compile(r"(?<![\w.,+])(\d+)\+(\d+)(?![\w+]|[.,]\d)")
# "included the IOM, ILO, OHCHR, UNCTAD, UNHCR, and UNODC": a verb of membership, then the members, to the sentence end
_LISTING = damaged_pattern(r"\b(?:included|includes|include|comprised|comprises|consists of|consisted of)\s+([^.;:]+)")
_LISTED_NAME = damaged_pattern(r"(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")
# A longer list is seldom counted by hand, and the seeds write a larger count in figures.
MAX_LISTED_COUNT = 12


def _listed(quote: str) -> list[int]:
    """The lengths of the lists of names `quote` gives as members: each item a name, capitalised."""
    lengths = []
    for listing in _LISTING.finditer(quote):
        items = [item for item in re.split(r",\s*(?:and\s+)?|\s+and\s+", listing[1].strip()) if item]
        if all(_LISTED_NAME.fullmatch(item) for item in items):
            lengths.append(len(items))
    return lengths


def names_number(quote: str, value: float) -> bool:
    """Whether `quote` (in normal form) writes the number `value` in one of its spellings, as a sum of its terms
    ("5+5" for 10), or, for a small count, as a list of that many names ("included the IOM, ILO and UNHCR")."""
    if any(re.search(rf"(?<![\w.,]){re.escape(normal_form(s))}(?![\d]|[.,]\d)", quote, re.IGNORECASE)
           for s in number_spellings(value)):
        return True
    if any(int(first) + int(second) == value for first, second in _SUM.findall(quote)):
        return True
    return value == int(value) and 1 < value <= MAX_LISTED_COUNT and int(value) in _listed(quote)


def dates_stated(quote: str) -> set[str]:
    """Every date `quote` (tidied) states, at the precision it is written with: "2003", "2003-12", "2003-07-01".
    A stated day also states its month and its year."""
    text = quote.casefold()
    found: set[str] = set()
    for pattern, (year, month, first, last) in DATE_PATTERNS:
        for match in pattern.finditer(text):
            found.add(match[year])
            if month:
                number = MONTHS.get(match[month]) or int(match[month])
                found.add(f"{match[year]}-{number:02d}")
                found |= {f"{match[year]}-{number:02d}-{int(match[d]):02d}" for d in (first, last) if d and match[d]}
    return found
