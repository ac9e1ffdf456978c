"""`make bench`: the same query mix against MGKG, rdflib-endpoint and a bare pyoxigraph server.

The graph is the shape of the real one at 100,000 triples (bench/generate.py, seed 1) plus
ontology/, built once into an on-disk store with `mgkg load`. MGKG serves that store as
`mgkg serve --store` does; the bare pyoxigraph server opens the same folder read-only behind a
raw ASGI callable; rdflib-endpoint parses the same files into an rdflib Dataset (it has no
on-disk store). All run under uvicorn in their own processes on 127.0.0.1, started once. A
bounded load generator (`wrk` with a fixed number of keep-alive connections if installed, else
as many Python threads with httpx) sends the mix for DURATION seconds, by GET and by POST, at
each concurrency, in interleaved rounds; each server's median round counts. Prints throughput
and p50/p99 latency side by side, with the ratios to the peers.
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
from urllib.parse import parse_qs, quote_plus, urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT / "bench"))

JSON, CSV = "application/sparql-results+json", "text/csv"
PREFIXES = ("PREFIX mg: <https://w3id.org/mgkg/ontology#> PREFIX mgid: <https://w3id.org/mgkg/id/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
#: What researchers and the pages send: lookups, evidence, listings, counts, text search, a
#: property path, OPTIONALs, CONSTRUCT, DESCRIBE; each takes 0.03-1 ms in pyoxigraph at 100k triples.
MIX: list[tuple[str, str]] = [  # (query, Accept)
    (PREFIXES + "SELECT ?p ?o WHERE { mgid:instrument-7 ?p ?o }", JSON),
    (PREFIXES + "SELECT ?property ?value ?quote ?source WHERE { mgid:forum-3 mg:evidence ?e . "
     "?e mg:statesProperty ?property ; mg:statesValue ?value ; mg:quote ?quote ; mg:source ?source }", JSON),
    (PREFIXES + "SELECT ?i ?label ?date WHERE { ?i mg:partOfRegime mgid:regime-2 ; rdfs:label ?label . "
     "OPTIONAL { ?i mg:adoptionDate ?date } } ORDER BY ?date LIMIT 100", JSON),
    (PREFIXES + "SELECT ?doc (COUNT(?e) AS ?n) WHERE { mgid:organisation-4 mg:evidence ?e . ?e mg:source ?doc } "
     "GROUP BY ?doc ORDER BY DESC(?n)", JSON),
    (PREFIXES + 'SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(CONTAINS(LCASE(STR(?label)), "migra")) } '
     "LIMIT 20", JSON),
    (PREFIXES + "SELECT ?c ?super WHERE { ?c rdfs:subClassOf+ ?super }", CSV),
    (PREFIXES + "SELECT ?s ?label ?definition WHERE { ?s a ?type OPTIONAL { ?s rdfs:label ?label } "
     "OPTIONAL { ?s skos:definition ?definition } } LIMIT 100", CSV),
    (PREFIXES + "ASK { ?s a mg:Treaty }", JSON),
    (PREFIXES + "CONSTRUCT WHERE { mgid:publication-1 ?p ?o }", "text/turtle"),
    (PREFIXES + "DESCRIBE mgid:regime-0", "application/n-triples"),
]
SEED = 1
METHODS = ("GET", "POST")


@dataclass(frozen=True)
class Graph:
    """The benchmark's data: its source files and the on-disk store `mgkg load` built from them."""

    files: list[Path]
    store: Path


def build_graph(folder: Path, triples: int) -> Graph:
    """Generate `triples` triples into `folder` and load them with ontology/ into an on-disk store."""
    from generate import generate
    from mgkg.rdf_files import rdf_files
    from mgkg.store.ondisk import build_store

    generate(triples, SEED, folder / "data")
    files = rdf_files([ROOT / "ontology", folder / "data"])
    build_store(folder / "store", files, ROOT)
    return Graph(files, folder / "store")


def mgkg_app(graph: Graph) -> Any:
    """Our server, as `mgkg serve --store` builds it (MGKG_* variables apply, e.g. MGKG_WORKERS)."""
    from mgkg.settings import Settings
    from mgkg.web.app import create_app

    return create_app(Settings.from_env().with_overrides(root=ROOT, store_path=graph.store))


def rdflib_app(graph: Graph) -> Any:
    """rdflib-endpoint over an rdflib Dataset with the same named graphs and a union default graph."""
    import rdflib
    from rdflib_endpoint import SparqlEndpoint

    from mgkg.rdf_files import graph_iri_for

    dataset = rdflib.Dataset(default_union=True)
    for path in graph.files:
        dataset.graph(rdflib.URIRef(graph_iri_for(path, ROOT).value)).parse(path)
    return SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)


def bare_app(graph: Graph) -> Any:
    """The practical limit: the same store read by pyoxigraph behind a raw ASGI callable, no framework,
    no checks, no timeout, no negotiation (JSON or Turtle whatever the Accept header asks)."""
    import pyoxigraph as ox

    from mgkg.store.ondisk import DATABASE

    store = ox.Store.read_only(str(graph.store.resolve() / DATABASE))

    async def app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            return
        form = scope["query_string"]
        if scope["method"] == "POST":
            form, more = b"", True
            while more:
                message = await receive()
                form, more = form + message.get("body", b""), message.get("more_body", False)
        query = parse_qs(form.decode())["query"][0]
        result = store.query(query, use_default_graph_as_union=True)
        is_graph = isinstance(result, ox.QueryTriples)
        body = result.serialize(format=ox.RdfFormat.TURTLE if is_graph else ox.QueryResultsFormat.JSON)
        media_type = b"text/turtle" if is_graph else b"application/sparql-results+json"
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return app


SERVERS: dict[str, Callable[[Graph], Any]] = {
    "mgkg": mgkg_app, "rdflib-endpoint": rdflib_app, "bare pyoxigraph": bare_app}


def _serve(name: str, graph: Graph, port: int) -> None:
    """One server under uvicorn: MGKG as `mgkg serve` runs it, the peers with uvicorn's defaults (which
    pick the same parser, httptools, and the same loop, uvloop, when installed, as they are with mgkg)."""
    import uvicorn

    from mgkg.web.serving import server_config

    app = SERVERS[name](graph)
    config = server_config(app, "127.0.0.1", port, "warning") if name == "mgkg" else uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning")
    config.access_log = False
    uvicorn.Server(config).run()


@dataclass
class Figures:
    throughput: float
    p50_ms: float
    p99_ms: float
    errors: int


def load(url: str, method: str, duration: float, concurrency: int, distinct: bool = False) -> Figures:
    """Send the mix round-robin over `concurrency` keep-alive connections for `duration` seconds; `distinct`
    ends every query with a comment of its own (DISTINCT_COMMENT), so that no two requests are alike."""
    return (load_wrk if shutil.which("wrk") else load_threads)(url, method, duration, concurrency, distinct)


#: What `distinct` appends to a query, with the request's number.
DISTINCT_COMMENT = "\n# request "


_WRK_SCRIPT = """
local queries = {%s}
local accepts = {%s}
local method = "%s"
local suffix = "%s"
local turn = 0
request = function()
  turn = turn + 1
  local k = (turn %% #queries) + 1
  local query = queries[k]
  if suffix ~= "" then
    query = query .. suffix .. turn
  end
  local headers = {["Accept"] = accepts[k], ["Accept-Encoding"] = "identity"}
  if method == "GET" then
    return wrk.format("GET", "/sparql?" .. query, headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/sparql", headers, query)
end
"""


def load_wrk(url: str, method: str, duration: float, concurrency: int, distinct: bool = False) -> Figures:
    """wrk: one C thread, `concurrency` connections; its own latency percentiles."""
    queries = ", ".join(f'"{urlencode({"query": query})}"' for query, _ in MIX)
    accepts = ", ".join(f'"{accept}"' for _, accept in MIX)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        suffix = quote_plus(DISTINCT_COMMENT) if distinct else ""
        script.write(_WRK_SCRIPT % (queries, accepts, method, suffix))
        script.flush()
        out = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{duration:g}s", "--timeout", "60s", "--latency",
                              "-s", script.name, url.removesuffix("/sparql")],
                             capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Figures(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
                   _wrk_ms(out, "50%"), _wrk_ms(out, "99%"), int(errors.group(1)) if errors else 0)


def _wrk_ms(out: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s|m)\b", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def load_threads(url: str, method: str, duration: float, concurrency: int, distinct: bool = False) -> Figures:
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
                query += f"{DISTINCT_COMMENT}{index}-{turn}" if distinct else ""
                started = time.perf_counter()
                if method == "GET":
                    response = http.get(url, params={"query": query}, headers={"accept": accept})
                else:
                    response = http.post(url, data={"query": query}, headers={"accept": accept})
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


Results = dict[tuple[str, int], dict[str, Figures]]  # (method, concurrency) -> server -> its median round


def measure(graph: Graph, duration: float, concurrencies: list[int], rounds: int, distinct: bool = False) -> Results:
    """Start every server, then load them in turn, `rounds` times over for each method and
    concurrency (so a burst of load from elsewhere on the machine hits all of them alike)."""
    spawn = multiprocessing.get_context("spawn")
    urls, processes = {}, []
    for name in SERVERS:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        processes.append(spawn.Process(target=_serve, args=(name, graph, port)))
        processes[-1].start()
        urls[name] = f"http://127.0.0.1:{port}/sparql"
    try:
        for name, url in urls.items():
            _wait_until_up(url)
            check = [httpx.get(url, params={"query": q}, headers={"accept": a}, timeout=60).status_code for q, a in MIX]
            assert check == [200] * len(MIX), f"{name} cannot answer the mix: {check}"
            load(url, "GET", min(duration, 2.0), max(concurrencies))  # warm-up
        results: Results = {}
        for method in METHODS:
            for concurrency in concurrencies:
                runs: dict[str, list[Figures]] = {name: [] for name in urls}
                for _ in range(rounds):
                    for name, url in urls.items():
                        runs[name].append(load(url, method, duration, concurrency, distinct))
                results[method, concurrency] = {
                    name: sorted(figures, key=lambda f: f.throughput)[len(figures) // 2]
                    for name, figures in runs.items()}
        return results
    finally:
        for process in processes:
            process.terminate()
            process.join(timeout=10)


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def report(results: Results) -> str:
    lines = [f"{'':<12}{'server':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
             f"{'× bare':>9}{'× rdflib':>10}"]
    for (method, concurrency), figures in results.items():
        bare, rdflib = figures["bare pyoxigraph"], figures["rdflib-endpoint"]
        for name, f in figures.items():
            lines.append(f"{f'{method} c={concurrency}':<12}{name:<18}{f.throughput:>9.0f}{f.p50_ms:>9.2f}"
                         f"{f.p99_ms:>9.2f}{f.errors:>8}{_ratio(f, bare):>9}{_ratio(f, rdflib):>10}")
    worst = min(f["mgkg"].throughput / f["bare pyoxigraph"].throughput for f in results.values())
    lines += ["", f"mgkg / bare pyoxigraph throughput, lowest of all runs: {worst:.2f}x (goal >= 0.9x)"]
    return "\n".join(lines)


def _ratio(ours: Figures, peer: Figures) -> str:
    return f"{ours.throughput / peer.throughput:.2f}" if peer.throughput else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="size of the generated graph (default 100000)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per server and round (default 5)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8],
                        help="keep-alive connections, one run each (default 1 8)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median counts (default 3)")
    parser.add_argument("--distinct", action="store_true",
                        help="end every query with a comment of its own, so no two requests are alike: nothing a "
                             "server keeps from one request to the next helps (MGKG hands every query to a worker)")
    args = parser.parse_args()
    generator = "wrk" if shutil.which("wrk") else "Python threads (install wrk for a lighter load generator)"
    with tempfile.TemporaryDirectory(prefix="mgkg-bench-") as work:
        started = time.perf_counter()
        graph = build_graph(Path(work), args.triples)
        print(f"{args.triples} generated triples and ontology/ in an on-disk store, built in "
              f"{time.perf_counter() - started:.1f} s; {len(MIX)} queries round-robin by GET and POST; "
              f"{args.duration:g} s per server and round, median of {args.rounds} rounds; load from {generator}"
              + ("; every request distinct" if args.distinct else ""))
        print(report(measure(graph, args.duration, args.concurrency, args.rounds, args.distinct)))


if __name__ == "__main__":
    main()
