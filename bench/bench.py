"""`make bench`: the same query mix against MGKG, rdflib-endpoint and a bare pyoxigraph server.

Each server runs alone in its own process on 127.0.0.1, loaded with the same files (ontology/
and data/, one named graph per file, union default graph), while a bounded load generator
(`wrk` with a fixed number of keep-alive connections if installed, else as many Python threads
with httpx) sends the query mix for DURATION seconds. Prints throughput and p50/p99 latency
side by side, with ratios to the peers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MG = "https://w3id.org/mgkg/ontology#"
JSON, CSV = "application/sparql-results+json", "text/csv"
#: What researchers send: lookups, listings, counts, text search, paths, OPTIONALs, graphs.
MIX: list[tuple[str, str]] = [  # (query, Accept)
    (f"SELECT ?label WHERE {{ <{MG}Regime> <{RDFS}label> ?label }}", JSON),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON),
    ("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)", JSON),
    (f"SELECT ?s ?label WHERE {{ ?s a ?c ; <{RDFS}label> ?label }} ORDER BY ?label LIMIT 50", JSON),
    (f'SELECT ?s ?label WHERE {{ ?s <{RDFS}label> ?label FILTER(CONTAINS(LCASE(STR(?label)), "migra")) }}', JSON),
    (f"SELECT ?c ?super WHERE {{ ?c <{RDFS}subClassOf>+ ?super }}", CSV),
    (f"SELECT ?s ?label ?definition WHERE {{ ?s a ?type OPTIONAL {{ ?s <{RDFS}label> ?label }} "
     f"OPTIONAL {{ ?s <{SKOS}definition> ?definition }} }} LIMIT 100", CSV),
    ("ASK { ?s a <http://www.w3.org/2002/07/owl#Class> }", JSON),
    ("CONSTRUCT WHERE { <https://w3id.org/mgkg/id/source-001> ?p ?o }", "text/turtle"),
    (f"DESCRIBE <{MG}Regime>", "application/n-triples"),
]


def _sources() -> list[Path]:
    from mgkg.rdf_files import graph_sources, rdf_files
    from mgkg.settings import Settings

    return rdf_files(graph_sources(Settings(root=ROOT)))


def mgkg_app() -> Any:
    """Our server, as `mgkg serve` builds it (MGKG_* variables apply, e.g. MGKG_WORKERS)."""
    from mgkg.settings import Settings
    from mgkg.web.app import create_app

    return create_app(Settings.from_env().with_overrides(root=ROOT))


def rdflib_app() -> Any:
    """rdflib-endpoint over an rdflib Dataset with the same named graphs and a union default graph."""
    import rdflib
    from rdflib_endpoint import SparqlEndpoint

    from mgkg.rdf_files import graph_iri_for

    dataset = rdflib.Dataset(default_union=True)
    for path in _sources():
        dataset.graph(rdflib.URIRef(graph_iri_for(path, ROOT).value)).parse(path, format="turtle")
    return SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)


def bare_app() -> Any:
    """The practical limit: pyoxigraph behind a raw ASGI callable, no framework, no checks."""
    import pyoxigraph as ox

    from mgkg.rdf_files import load_graph

    store = ox.Store()
    load_graph(store, _sources(), ROOT)

    async def app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            return
        query = parse_qs(scope["query_string"].decode())["query"][0]
        result = store.query(query, use_default_graph_as_union=True)
        graph = isinstance(result, ox.QueryTriples)
        body = result.serialize(format=ox.RdfFormat.TURTLE if graph else ox.QueryResultsFormat.JSON)
        media_type = b"text/turtle" if graph else b"application/sparql-results+json"
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return app


SERVERS: dict[str, Callable[[], Any]] = {"mgkg": mgkg_app, "rdflib-endpoint": rdflib_app, "bare pyoxigraph": bare_app}


def _serve(name: str, port: int) -> None:
    import uvicorn

    uvicorn.run(SERVERS[name](), host="127.0.0.1", port=port, log_level="warning", access_log=False)


@dataclass
class Figures:
    throughput: float
    p50_ms: float
    p99_ms: float
    errors: int


def load(url: str, duration: float, concurrency: int) -> Figures:
    """Send the mix round-robin over `concurrency` keep-alive connections for `duration` seconds."""
    return (load_wrk if shutil.which("wrk") else load_threads)(url, duration, concurrency)


_WRK_SCRIPT = """
local paths = {%s}
local accepts = {%s}
local turn = 0
request = function()
  turn = turn + 1
  local k = (turn %% #paths) + 1
  return wrk.format("GET", paths[k], {["Accept"] = accepts[k], ["Accept-Encoding"] = "identity"})
end
"""


def load_wrk(url: str, duration: float, concurrency: int) -> Figures:
    """wrk: one C thread, `concurrency` connections; its own latency percentiles."""
    paths = ", ".join(f'"/sparql?{urlencode({"query": query})}"' for query, _ in MIX)
    accepts = ", ".join(f'"{accept}"' for _, accept in MIX)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_WRK_SCRIPT % (paths, accepts))
        script.flush()
        out = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{duration:g}s", "--latency", "-s", script.name,
                              url.removesuffix("/sparql")], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Figures(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
                   _wrk_ms(out, "50%"), _wrk_ms(out, "99%"), int(errors.group(1)) if errors else 0)


def _wrk_ms(out: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load_threads(url: str, duration: float, concurrency: int) -> Figures:
    """The fallback: Python threads, each with a keep-alive httpx client."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    stop = time.monotonic() + duration

    def client(index: int) -> None:
        with httpx.Client(headers={"accept-encoding": "identity"}, timeout=60) as http:
            turn = index
            while time.monotonic() < stop:
                query, accept = MIX[turn % len(MIX)]
                turn += 1
                started = time.perf_counter()
                response = http.get(url, params={"query": query}, headers={"accept": accept})
                latencies[index].append(time.perf_counter() - started)
                errors[index] += response.status_code != 200

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = [x for per in latencies for x in per]
    cuts = statistics.quantiles(flat, n=100)
    return Figures(len(flat) / (time.monotonic() - started), cuts[49] * 1000, cuts[98] * 1000, sum(errors))


def measure(duration: float, concurrency: int, rounds: int) -> dict[str, Figures]:
    """Start every server, then load them in turn, `rounds` times over (so a burst of load from
    elsewhere on the machine hits all of them alike); each server's median round counts."""
    spawn = multiprocessing.get_context("spawn")
    urls, processes = {}, []
    for name in SERVERS:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        processes.append(spawn.Process(target=_serve, args=(name, port)))
        processes[-1].start()
        urls[name] = f"http://127.0.0.1:{port}/sparql"
    try:
        for name, url in urls.items():
            _wait_until_up(url)
            check = [httpx.get(url, params={"query": q}, headers={"accept": a}).status_code for q, a in MIX]
            assert check == [200] * len(MIX), f"{name} cannot answer the mix: {check}"
            load(url, min(duration, 2.0), concurrency)  # warm-up
        runs: dict[str, list[Figures]] = {name: [] for name in urls}
        for _ in range(rounds):
            for name, url in urls.items():
                runs[name].append(load(url, duration, concurrency))
        return {name: sorted(figures, key=lambda f: f.throughput)[len(figures) // 2] for name, figures in runs.items()}
    finally:
        for process in processes:
            process.terminate()
            process.join(timeout=10)


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def report(results: dict[str, Figures]) -> str:
    ours, rdflib, bare = (results[name] for name in SERVERS)
    lines = [f"{'server':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}",
             *(f"{name:<18}{f.throughput:>9.0f}{f.p50_ms:>9.1f}{f.p99_ms:>9.1f}{f.errors:>8}"
               for name, f in results.items()),
             "",
             f"mgkg / rdflib-endpoint throughput: {ours.throughput / rdflib.throughput:.1f}x (goal >= 10x)",
             f"mgkg / bare pyoxigraph throughput: {ours.throughput / bare.throughput:.2f}x (goal >= 0.8x)"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per server (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="keep-alive connections (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median counts (default 3)")
    args = parser.parse_args()
    generator = "wrk" if shutil.which("wrk") else "Python threads (install wrk for a lighter load generator)"
    print(f"{len(MIX)} queries round-robin, {args.concurrency} keep-alive connections, "
          f"{args.duration:g} s per server and round, median of {args.rounds} rounds, load from {generator}")
    results = measure(args.duration, args.concurrency, args.rounds)
    print(report(results))


if __name__ == "__main__":
    main()
