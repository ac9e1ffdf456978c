"""Proven-cheap queries skip the worker hand-off; a runaway query never runs in the server process."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

from conftest import live_server
from mgkg.errors import QueryTimeoutError
from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from mgkg.settings import Settings
from mgkg.store import Dataset, EmbeddedStore, inline
from mgkg.store.inline import (
    DEMOTE_SECONDS,
    HANDOFF_SECONDS,
    INLINE_MAX_BYTES,
    INLINE_MAX_CHARS,
    INLINE_SECONDS,
    CheapQueries,
    repeatable,
)
from mgkg.store.workers import Job, evaluate, evaluate_whole
from mgkg.web.app import create_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LOOKUP = "SELECT ?label { <https://w3id.org/mgkg/ontology#Regime> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
JSON = SOLUTION_FORMATS[0]


@pytest.fixture
def pooled_store(graph_store):
    store = EmbeddedStore(graph_store.oxigraph, graph_store.version)
    store.start_workers(2)
    yield store
    store.close()


def _run(store: EmbeddedStore, sparql: str, timeout: float = 2.0) -> bytes:
    async def answer() -> bytes:
        found = await store.run(sparql, Dataset(), JSON, timeout=timeout, max_bytes=10_000_000)
        return b"".join([chunk async for chunk in found.chunks])
    return asyncio.run(answer())


def _job(sparql: str) -> Job:
    return Job(sparql, Dataset(), JSON.name, False, 10_000_000)


def test_a_query_a_worker_answered_cheaply_is_answered_in_the_server_process_next_time(pooled_store) -> None:
    first = _run(pooled_store, LOOKUP)

    def no_worker(*_: object) -> None:
        raise AssertionError("a proven-cheap query went to a worker")

    pooled_store._pool.run = no_worker  # type: ignore[union-attr, method-assign]
    assert _run(pooled_store, LOOKUP) == first
    assert b'"value":"regime"' in first


def test_a_runaway_query_is_never_proven_cheap_so_never_runs_in_the_server_process(pooled_store) -> None:
    for _ in range(2):  # a second try still goes to a worker, and is stopped there again
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError):
            _run(pooled_store, RUNAWAY, timeout=1.0)
        assert time.monotonic() - started < 3.0
        assert pooled_store._cheap.cost(_job(RUNAWAY)) is None


def test_while_a_runaway_query_runs_again_the_server_still_answers_at_once(settings, graph_store) -> None:
    store = EmbeddedStore(graph_store.oxigraph, graph_store.version)
    app = create_app(Settings(root=settings.root, workers=2, query_timeout=2.0), store=store)
    with live_server(app) as url:
        assert httpx.get(f"{url}/sparql", params={"query": RUNAWAY}, timeout=30).status_code == 503
        outcome: dict[str, httpx.Response] = {}
        second = threading.Thread(
            target=lambda: outcome.update(runaway=httpx.get(f"{url}/sparql", params={"query": RUNAWAY}, timeout=30)))
        second.start()
        time.sleep(0.3)
        started = time.monotonic()
        quick = httpx.get(f"{url}/sparql", params={"query": LOOKUP}, timeout=30)
        assert quick.status_code == 200 and time.monotonic() - started < 1.0
        second.join(timeout=30)
        assert outcome["runaway"].status_code == 503
    store.close()


def test_a_job_over_the_cpu_or_size_budget_is_not_proven_and_one_that_gets_dearer_is_forgotten() -> None:
    cheap = CheapQueries()
    job = _job(LOOKUP)
    cheap.record(job, INLINE_SECONDS * 2, 100)
    assert cheap.cost(job) is None
    cheap.record(job, INLINE_SECONDS / 2, INLINE_MAX_BYTES + 1)
    assert cheap.cost(job) is None
    cheap.record(job, INLINE_SECONDS / 2, 100)
    assert cheap.cost(job) is not None
    cheap.record(job, INLINE_SECONDS * 2, 100)  # once proven, a slower run (preempted) is tolerated...
    assert cheap.cost(job) is not None
    cheap.record(job, DEMOTE_SECONDS * 2, 100)  # ...up to the demotion bound
    assert cheap.cost(job) is None
    cheap.record(job, INLINE_SECONDS * 2, 100)  # and to be proven again it must be cheap again
    assert cheap.cost(job) is None


@pytest.mark.parametrize(("cost", "to_workers"), [
    (HANDOFF_SECONDS / 2, 0),  # cheaper than the hand-off: both here
    ((HANDOFF_SECONDS + INLINE_SECONDS) / 2, 1),  # the first yields, sees the second come, hands off
])
def test_under_load_only_queries_cheaper_than_the_hand_off_stay_in_the_server_process(
        pooled_store, cost: float, to_workers: int) -> None:
    job = _job(LOOKUP)
    pooled_store._cheap.record(job, cost, 100)
    pool = pooled_store._pool
    handed: list[Job] = []
    run = pool.run

    async def counted(job: Job, timeout: float):  # type: ignore[no-untyped-def]
        handed.append(job)
        return await run(job, timeout)

    pool.run = counted  # type: ignore[method-assign]
    measured = pooled_store._cheap.record
    # Keep the cost under test: the first query's own measurement, by the wall clock of a busy
    # machine, could otherwise move the second one.
    pooled_store._cheap.record = lambda *_: None  # type: ignore[method-assign]

    async def two_at_once() -> None:
        await asyncio.gather(*(pooled_store.run(LOOKUP, Dataset(), JSON, timeout=5, max_bytes=10_000_000)
                               for _ in range(2)))

    asyncio.run(two_at_once())
    assert len(handed) == to_workers
    handed.clear()
    pooled_store._cheap.record = measured  # type: ignore[method-assign]
    pooled_store._cheap.record(job, cost, 100)  # (each evaluation records what it really cost)
    assert _run(pooled_store, LOOKUP) and not handed  # alone, it runs here either way


def test_a_cheap_job_whose_cost_may_change_is_never_proven() -> None:
    cheap = CheapQueries()
    job = _job("SELECT (RAND() AS ?r) {}")
    for _ in range(2):
        cheap.record(job, INLINE_SECONDS / 2, 100)
        assert cheap.cost(job) is None


def test_a_jobs_text_is_read_only_when_the_job_comes_again(monkeypatch) -> None:
    read: list[str] = []
    monkeypatch.setattr(inline, "repeatable", lambda sparql: read.append(sparql) or True)
    cheap = CheapQueries()
    new, again = _job("ASK { ?s ?p 1 }"), _job("ASK { ?s ?p 2 }")
    for job in (new, again):
        cheap.record(job, INLINE_SECONDS / 2, 100)
    assert read == []  # measured, not yet read
    assert cheap.cost(again) is not None and cheap.cost(again) is not None
    assert read == [again.sparql]  # read once, when it came again


def test_the_least_recently_used_job_is_forgotten_first() -> None:
    cheap = CheapQueries(capacity=2)
    a, b, c = (_job(f"ASK {{ ?s ?p {n} }}") for n in range(3))
    for job in (a, b):
        cheap.record(job, 0.0001, 10)
    assert cheap.cost(a) is not None  # a is now the most recently used
    cheap.record(c, 0.0001, 10)
    assert cheap.cost(a) and cheap.cost(c) and cheap.cost(b) is None


@pytest.mark.parametrize("sparql", [
    LOOKUP,
    "SELECT ?s { ?s a ?c } ORDER BY ?s LIMIT 10",
    "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p",  # aggregates, but nothing stops early
    "ASK { ?s a <https://w3id.org/mgkg/ontology#Regime> }",
    "SELECT ?c ?super { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?super }",
])
def test_queries_that_cost_the_same_every_time_are_repeatable(sparql: str) -> None:
    assert repeatable(sparql)


@pytest.mark.parametrize("sparql", [
    "SELECT ?x { BIND(RAND() AS ?x) }",
    "SELECT * { ?s ?p ?o FILTER(SECONDS(now()) = 0) }",
    "SELECT * { BIND(STRUUID() AS ?id) }",
    "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p LIMIT 1",  # groups come in hash order
    "SELECT DISTINCT ?s { ?s ?p ?o } LIMIT 1",
    "ASK { ?a <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?b }",
    "SELECT * { { SELECT ?s { ?s ?p ?o } } ?s ?q ?r } LIMIT 5",
    "SELECT * { ?s ?p ?o FILTER EXISTS { ?o (<p>|<q>)* ?z } }",
    "SELECT * { ?s ?p ?o } # " + "x" * INLINE_MAX_CHARS,
])
def test_queries_whose_cost_may_change_from_run_to_run_are_not(sparql: str) -> None:
    assert not repeatable(sparql)


@pytest.mark.parametrize(("sparql", "fmt", "max_bytes"), [
    (LOOKUP, JSON, 10_000_000),
    ("CONSTRUCT WHERE { ?s a ?type }", GRAPH_FORMATS[0], 10_000_000),
    (LOOKUP, JSON, 10),  # over the size limit
    ("SELECT * {", JSON, 10_000_000),  # the engine's syntax error
])
def test_a_job_answered_whole_in_the_server_says_what_a_worker_would(graph_store, sparql, fmt, max_bytes) -> None:
    job = Job(sparql, Dataset(), fmt.name, fmt.is_graph, max_bytes)
    messages: list[tuple[object, ...]] = []
    evaluate(graph_store.oxigraph, job, messages.append)
    whole = evaluate_whole(graph_store.oxigraph, job)
    if messages[-1][0] == "end":
        assert whole[0] == "end" and whole[1] == b"".join(message[1] for message in messages)  # type: ignore[misc]
        assert len(whole[1]) > 100
    else:
        assert whole == messages[-1] and whole[0] == "error"
