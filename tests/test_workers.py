"""Worker processes: a runaway query is stopped at the timeout while others are answered, a crash
costs one query and never the server, answers stream, and the size limit holds."""

from __future__ import annotations

import os
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import live_server
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore
from mgkg.store.workers import FIRST_CHUNK_BYTES
from mgkg.web.app import create_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


@pytest.fixture
def pooled(settings, graph_store):
    """A live server with two query workers over the shipped graph, and its store."""
    store = EmbeddedStore(graph_store.oxigraph, graph_store.version)
    app = create_app(Settings(root=settings.root, workers=2, query_timeout=2.0, max_result_bytes=20_000_000,
                              max_query_nesting=100_000, max_query_chars=1_000_000), store=store)
    with live_server(app) as url:
        yield url, store
    store.close()


def _pids(store: EmbeddedStore) -> set[int]:
    assert store._pool is not None
    return {w.process.pid for w in store._pool._workers.values() if w.process.pid is not None}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_runaway_query_is_stopped_at_the_timeout_while_a_quick_one_answers(pooled) -> None:
    url, store = pooled
    before = _pids(store)
    outcome: dict[str, object] = {}

    def run_away() -> None:
        started = time.monotonic()
        outcome["response"] = httpx.get(f"{url}/sparql", params={"query": RUNAWAY}, timeout=30)
        outcome["seconds"] = time.monotonic() - started

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.3)
    started = time.monotonic()
    quick = httpx.get(f"{url}/sparql", params={"query": QUICK}, timeout=30)
    quick_seconds = time.monotonic() - started
    runaway.join(timeout=30)

    assert quick.status_code == 200 and quick_seconds < 1.0
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert "longer than 2 s" in response.text
    assert 2.0 <= float(outcome["seconds"]) < 4.0  # type: ignore[arg-type]
    killed = before - _pids(store)
    assert len(killed) == 1 and not any(_alive(pid) for pid in killed)  # its CPU is free again
    assert len(_pids(store)) == 2  # and a fresh worker took its place


def test_a_query_that_crashes_the_engine_costs_one_worker_not_the_server(pooled) -> None:
    url, store = pooled
    # The nesting limit is lifted for this server, so this reaches the engine and overflows its stack.
    deep = "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000
    crashed = httpx.post(f"{url}/sparql", content=deep, headers={"content-type": "application/sparql-query"})
    assert crashed.status_code == 500
    assert "restarted" in crashed.text
    assert httpx.get(f"{url}/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    assert len(_pids(store)) == 2


def test_large_answers_stream_in_chunks(pooled) -> None:
    url, _ = pooled
    copies = 4  # enough to pass the first chunk, well under the 20 MB limit as the graph grows
    query = f"CONSTRUCT {{ ?s ?p ?x }} WHERE {{ ?s ?p ?o VALUES ?x {{ {' '.join(map(str, range(copies)))} }} }}"
    response = httpx.get(f"{url}/sparql", params={"query": query, "format": "nt"},
                         headers={"accept-encoding": "identity"}, timeout=30)
    assert response.status_code == 200
    assert response.headers.get("transfer-encoding") == "chunked"
    assert len(response.content) > FIRST_CHUNK_BYTES
    pairs = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p { ?s ?p ?o } }"
    distinct = httpx.get(f"{url}/sparql", params={"query": pairs}).json()["results"]["bindings"][0]["n"]["value"]
    # set(): the engine drops repeated triples only when they come out one after the other
    assert len(set(response.text.splitlines())) == copies * int(distinct)


def test_answers_over_the_size_limit_are_refused(settings, graph_store) -> None:
    app = create_app(Settings(root=settings.root, workers=0, max_result_bytes=200_000), store=graph_store)
    response = TestClient(app).get("/sparql", params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f } LIMIT 100000"})
    assert response.status_code == 400
    assert "larger than 200000 bytes" in response.text
