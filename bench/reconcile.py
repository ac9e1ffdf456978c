"""Reconciliation batches: 100 queries through POST /reconcile, beside a naive difflib matcher.

The queries are MGKG's own names, a third of them as written, a third with a typo, a third with
their words reversed, in random order. Ours answers the whole HTTP request (parsing, matching,
JSON) through the ASGI app in process; the peer is what one writes without a fuzzy-matching
library: difflib's SequenceMatcher of the query against every label and acronym, best first.
Both are scored on whether their first candidate is the resource the query was made from.

    PYTHONPATH=server python bench/reconcile.py [--batch 100] [--rounds 5]
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from mgkg.linking.reconciliation import Entity, normalise, reconciliation_index
from mgkg.rdf_files import graph_sources
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore
from mgkg.web.app import create_app


def queries_from(entities: list[Entity], size: int, seed: int = 16) -> list[tuple[str, str]]:
    """`size` (query, expected id) pairs: names as written, with one letter dropped, and reversed."""
    rng = random.Random(seed)
    chosen = rng.sample(entities, size)
    made = []
    for number, entity in enumerate(chosen):
        name = entity.name
        if number % 3 == 1 and len(name) > 6:
            cut = rng.randrange(1, len(name) - 1)
            name = name[:cut] + name[cut + 1:]
        elif number % 3 == 2:
            name = " ".join(reversed(name.split()))
        made.append((name, entity.id))
    return made


def naive_matcher(entities: list[Entity]) -> Callable[[str], str]:
    """The peer: the id whose label or acronym difflib finds most similar to the query."""
    names = [(normalise(name), entity.id) for entity in entities for name in entity.names]

    def best(query: str) -> str:
        text = normalise(query)
        return max(names, key=lambda pair: difflib.SequenceMatcher(None, text, pair[0]).ratio())[1]

    return best


def timed(run: Callable[[], list[str]], rounds: int) -> tuple[float, list[str]]:
    """The best of `rounds` wall-clock times of `run`, and its answers."""
    best, answers = float("inf"), []
    for _ in range(rounds):
        start = time.perf_counter()
        answers = run()
        best = min(best, time.perf_counter() - start)
    return best, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    settings = Settings.from_env().with_overrides(workers=0)
    store = EmbeddedStore.in_memory(graph_sources(settings), settings.root)
    client = TestClient(create_app(settings, store=store))
    entities = sorted(reconciliation_index(store).entities.values(), key=lambda e: e.id)
    batch = queries_from(entities, args.batch)
    expected = [entity_id for _, entity_id in batch]
    form = {"queries": json.dumps({f"q{n}": {"query": text, "limit": 3} for n, (text, _) in enumerate(batch)})}

    def ours() -> list[str]:
        answer = client.post("/reconcile", data=form).json()
        return [answer[f"q{n}"]["result"][0]["id"] if answer[f"q{n}"]["result"] else "" for n in range(len(batch))]

    peer_match = naive_matcher(entities)
    ours_time, ours_answers = timed(ours, args.rounds)
    peer_time, peer_answers = timed(lambda: [peer_match(text) for text, _ in batch], max(1, args.rounds // 2))

    def right(answers: list[str]) -> str:
        return f"{sum(a == e for a, e in zip(answers, expected, strict=True))}/{len(expected)}"

    print(f"A batch of {len(batch)} queries over {len(entities)} resources (best of {args.rounds} runs)\n")
    print(f"{'matcher':<42} {'seconds':>8} {'top-1 right':>12}")
    print(f"{'MGKG POST /reconcile (rapidfuzz, HTTP)':<42} {ours_time:>8.3f} {right(ours_answers):>12}")
    print(f"{'naive difflib over the same names':<42} {peer_time:>8.3f} {right(peer_answers):>12}")
    print(f"\nMGKG is {peer_time / ours_time:.1f}x the peer's speed")


if __name__ == "__main__":
    main()
