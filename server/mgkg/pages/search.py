"""Search that finds what researchers remember: a name, an acronym, words of a description or of a quote.

The ranking rule. static/search.js follows it step for step, so the static mirror and the header's
type-ahead list what the server lists (tests/browser/test_search.py compares them over many queries):

1. The text (its first MAX_QUERY characters) is lower-cased and each run of whitespace (as Python's
   str.split() sees it: search.js spells that set out) becomes one space; its words are what lies between.
2. A resource takes the first tier it reaches:
   0 exact        the text is its label or one of its acronyms
   1 prefix       its label or one of its acronyms starts with the text
   2 names        every word occurs in its label or acronyms
   3 description  every word occurs in its description
   4 quote        every word occurs in one of its quotes (the first such quote is shown)
3. Within a tier, resources keep the catalogue's order: label lower-cased, then slug.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from mgkg.namespaces import MG
from mgkg.pages.catalog import Entry, catalog
from mgkg.pages.vocabulary import Vocabulary, vocabulary
from mgkg.store.base import SparqlStore

#: How many hits a search page lists.
LIMIT = 100
#: How many characters of ?q= are read; static/search.js cuts the mirror's ?q= the same way.
MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    """A resource found, how well (its tier), and the quote it was found in, for tier 4."""

    entry: Entry
    tier: int
    quote: str = ""


def normal(text: str) -> str:
    """`text` as the rule compares it: lower-cased, whitespace runs as one space, trimmed."""
    return " ".join(text.lower().split())


def find(entries: list[Entry], text: str, limit: int = LIMIT) -> list[Hit]:
    """The entries (in catalogue order) that match `text`, ranked by the rule above; at most `limit`."""
    needle = normal(text)
    if not needle:
        return []
    words = needle.split(" ")
    hits = [hit for entry in entries if (hit := _match(entry, needle, words)) is not None]
    return sorted(hits, key=lambda hit: hit.tier)[:limit]  # a stable sort keeps the catalogue's order in a tier


def _match(entry: Entry, needle: str, words: list[str]) -> Hit | None:
    names = [name.lower() for name in (entry.label, *entry.alt_labels)]
    if needle in names:
        return Hit(entry, 0)
    if any(name.startswith(needle) for name in names):
        return Hit(entry, 1)
    if _has_all(" ".join(names), words):
        return Hit(entry, 2)
    if _has_all(entry.description.lower(), words):
        return Hit(entry, 3)
    quote = next((q for q in entry.quotes if _has_all(q.lower(), words)), None)
    return Hit(entry, 4, quote) if quote is not None else None


def _has_all(text: str, words: list[str]) -> bool:
    return all(word in text for word in words)


def badge(entry: Entry, vocab: Vocabulary) -> str:
    """The label of the entry's class for its type badge ("UN entity"); the first by label if it has several."""
    labels = sorted(vocab.label(t) for t in entry.types if t.startswith(MG))
    return labels[0] if labels else "resource"


def hits(store: SparqlStore, text: str) -> list[Hit]:
    """The resources of `store` that match `text`, ranked."""
    return find(catalog(store).by_label(), text)


def index_json(store: SparqlStore) -> str:
    """What the browser searches, in catalogue order: every resource's address, names, badge, description, quotes."""
    vocab = vocabulary(store)
    return json.dumps([{"slug": e.slug, "href": e.href, "label": e.label, "alt_labels": e.alt_labels,
                        "type": badge(e, vocab), "description": e.description, "quotes": e.quotes}
                       for e in catalog(store).by_label()], ensure_ascii=False)
