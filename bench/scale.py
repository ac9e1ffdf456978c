"""MGKG at 100 thousand, 1 million and 10 million triples, beside rdflib-endpoint in the same run.

    make bench-scale            # or: python bench/scale.py --sizes 100000 1000000 10000000

For each size: generate the graph (bench/generate.py, seed 1), then for each server measure load
time, store size on disk, peak memory (load and serve), start-up time, and the query mix's
latency (sequential) and throughput (concurrent clients). Our server is `mgkg load` + `mgkg serve
--store`; rdflib-endpoint parses the files when it starts, so its load time is its start-up time.
A peer that cannot load within --peer-timeout (10 minutes) or --peer-memory is stopped, reported
as such, and not tried at larger sizes. Writes bench/results/scale.{md,json,png}.

The query mix is what the linked-data pages and competency questions do: look a resource up,
its evidence, its figures, a regime's instruments, a forum's participants, a two-hop path; each
about a random resource, the same ones for both servers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from generate import generate, resource_counts

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
PREFIXES = "PREFIX mg: <https://w3id.org/mgkg/ontology#>\nPREFIX mgid: <https://w3id.org/mgkg/id/>\n" \
           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
MIX: dict[str, str] = {
    "resource": "SELECT ?p ?o WHERE {{ mgid:instrument-{instrument} ?p ?o }}",
    "evidence": "SELECT ?property ?value ?quote ?source WHERE {{ mgid:forum-{forum} mg:evidence ?e . "
                "?e mg:statesProperty ?property ; mg:statesValue ?value ; mg:quote ?quote ; mg:source ?source }}",
    "figures": "SELECT ?value ?asOf WHERE {{ mgid:instrument-{instrument} mg:figure ?f . "
               "?f mg:value ?value ; mg:asOf ?asOf }} ORDER BY DESC(?asOf)",
    "regime": "SELECT ?i ?label ?date WHERE {{ ?i mg:partOfRegime mgid:regime-{regime} ; rdfs:label ?label . "
              "OPTIONAL {{ ?i mg:adoptionDate ?date }} }} ORDER BY ?date LIMIT 100",
    "participants": "SELECT (COUNT(?x) AS ?n) WHERE {{ ?x mg:participantIn mgid:forum-{forum} }}",
    "two-hop": "SELECT ?person ?post WHERE {{ ?post mg:postIn ?org . ?org mg:memberOf mgid:organisation-{org} . "
               "?person mg:holdsPost ?post }} LIMIT 100",
    "sources": "SELECT ?doc (COUNT(?e) AS ?n) WHERE {{ mgid:organisation-{org} mg:evidence ?e . ?e mg:source ?doc }} "
               "GROUP BY ?doc",
}
JSON = "application/sparql-results+json"


@dataclass
class Run:
    """One server at one size: what was measured, or why it stopped."""

    server: str
    triples: int
    load_s: float | None = None
    disk_mb: float | None = None
    load_rss_mb: float | None = None
    startup_s: float | None = None
    serve_rss_mb: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    qps: float | None = None
    per_query_p50_ms: dict[str, float] = field(default_factory=dict)
    note: str = ""


def mix(triples: int, count: int, seed: int) -> list[tuple[str, str]]:
    """`count` queries of the mix in turn, each about a random resource (the same for every server)."""
    sizes = resource_counts(triples)
    chooser = random.Random(seed)
    names = list(MIX)
    queries = []
    for i in range(count):
        name = names[i % len(names)]
        params = {"instrument": sizes["instrument"], "forum": sizes["forum"], "regime": sizes["regime"],
                  "org": sizes["organisation"]}
        chosen = {key: chooser.randrange(n) for key, n in params.items()}
        queries.append((name, PREFIXES + MIX[name].format(**chosen)))
    return queries


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_rss_peak_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float, memory_mb: float) -> str | None:
    """None once `url` answers a query; else why not (exited, timed out, too much memory)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return f"exited with status {server.returncode}"
        if tree_rss_peak_mb(server.pid) > memory_mb:
            return f"stopped above {memory_mb / 1000:.0f} GB of memory"
        try:
            answer = httpx.get(url, params={"query": "ASK {}"}, headers={"Accept": JSON}, timeout=5)
        except httpx.TransportError:  # not listening yet: still loading
            time.sleep(0.05)
            continue
        return None if answer.is_success else f"answered ASK with HTTP {answer.status_code}"
    return f"could not load in {timeout / 60:.0f} minutes"


def measure_queries(run: Run, url: str, queries: list[tuple[str, str]], clients: int, seconds: float) -> None:
    """Latency of the mix run one query at a time, then throughput with `clients` concurrent clients."""
    with httpx.Client(timeout=120, headers={"Accept": JSON}) as client:
        for _, query in queries[:10]:  # warm caches and lazily opened files
            client.get(url, params={"query": query}).raise_for_status()
        timings: dict[str, list[float]] = {}
        for name, query in queries:
            started = time.perf_counter()
            client.get(url, params={"query": query}).raise_for_status()
            timings.setdefault(name, []).append(time.perf_counter() - started)
    every = [t for ts in timings.values() for t in ts]
    run.p50_ms = 1000 * statistics.median(every)
    run.p95_ms = 1000 * statistics.quantiles(every, n=20)[-1]
    run.per_query_p50_ms = {name: round(1000 * statistics.median(ts), 2) for name, ts in timings.items()}
    run.qps = throughput(url, queries, clients, seconds)


def throughput(url: str, queries: list[tuple[str, str]], clients: int, seconds: float) -> float:
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client_loop(index: int) -> None:
        with httpx.Client(timeout=120, headers={"Accept": JSON}) as client:
            position = index
            while time.monotonic() < stop:
                client.get(url, params={"query": queries[position % len(queries)][1]}).raise_for_status()
                done[index] += 1
                position += clients

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def run_ours(triples: int, files: list[Path], work: Path, args: argparse.Namespace, queries) -> Run:
    run = Run("mgkg (Oxigraph on disk)", triples)
    store = work / f"store-{triples}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    started = time.perf_counter()
    loader = subprocess.Popen([sys.executable, "-m", "mgkg.cli", "load", "--store", str(store), *map(str, files)],
                              env=env, cwd=ROOT)
    _, status, usage = os.wait4(loader.pid, 0)
    loader.returncode = os.waitstatus_to_exitcode(status)
    run.load_s = time.perf_counter() - started
    run.load_rss_mb = usage.ru_maxrss / 1024
    if loader.returncode != 0:
        run.note = f"mgkg load failed with status {loader.returncode}"
        return run
    run.disk_mb = folder_mb(store.resolve())
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "mgkg.cli", "serve", "--store", str(store), "--port", str(port)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return serve_and_measure(run, server, started, f"http://127.0.0.1:{port}/sparql", args, queries, startup=True)


def run_peer(triples: int, files: list[Path], args: argparse.Namespace, queries) -> Run:
    run = Run("rdflib-endpoint (rdflib in memory)", triples)
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port),
                               *map(str, files)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # rdflib-endpoint serves SPARQL at its root
    return serve_and_measure(run, server, started, f"http://127.0.0.1:{port}/", args, queries, startup=False)


def serve_and_measure(run: Run, server: subprocess.Popen[bytes], started: float, url: str,
                      args: argparse.Namespace, queries, *, startup: bool) -> Run:
    try:
        failure = wait_until_up(url, server, args.peer_timeout, args.peer_memory)
        elapsed = time.perf_counter() - started
        if failure:
            run.note = f"{failure} (after {elapsed:.0f} s, {tree_rss_peak_mb(server.pid):.0f} MB)"
            return run
        if startup:
            run.startup_s = elapsed
        else:  # parsing is its start-up: one figure, reported as both
            run.load_s = run.startup_s = elapsed
        measure_queries(run, url, queries, args.clients, args.seconds)
        run.serve_rss_mb = tree_rss_peak_mb(server.pid)
        if not startup:
            run.load_rss_mb = run.serve_rss_mb
        return run
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def dataset(triples: int, work: Path, seed: int) -> list[Path]:
    """The generated files for `triples`, made once and reused by later runs."""
    folder = work / f"graph-{triples}-seed{seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        written = generate(triples, seed, folder)
        done.write_text(json.dumps(written))
        print(f"generated {sum(written.values())} triples in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return sorted(folder.glob("*.nt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/mgkg-scale"), help="where graphs and stores go")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=140, help="queries in the latency pass")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients in the throughput pass")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the throughput pass")
    parser.add_argument("--peer-timeout", type=float, default=600.0, help="seconds a server may take to load")
    parser.add_argument("--peer-memory", type=float, default=12_000.0, help="MB a server may use while loading")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    peer_stopped = ""
    for triples in args.sizes:
        files = dataset(triples, args.work, args.seed)
        actual = sum(json.loads((files[0].parent / ".complete").read_text()).values())
        queries = mix(actual, args.queries, args.seed)
        runs.append(report(run_ours(actual, files, args.work, args, queries)))
        shutil.rmtree(args.work / f"store-{actual}.versions", ignore_errors=True)
        (args.work / f"store-{actual}").unlink(missing_ok=True)
        if peer_stopped:
            runs.append(report(Run("rdflib-endpoint (rdflib in memory)", actual, note=f"not tried: {peer_stopped}")))
            continue
        peer = report(run_peer(actual, files, args, queries))
        runs.append(peer)
        if peer.note:
            peer_stopped = f"{peer.note} at {actual:,} triples"
    method = (f"Latency: {args.queries} queries of the mix one at a time; throughput: {args.clients} concurrent "
              f"clients for {args.seconds:.0f} s. Peer stopped after {args.peer_timeout / 60:.0f} min or "
              f"{args.peer_memory / 1000:.0f} GB while loading.")
    write_results(runs, args.out, method)


def report(run: Run) -> Run:
    print(json.dumps(asdict(run)), file=sys.stderr, flush=True)
    return run


def write_results(runs: list[Run], out: Path, method: str) -> None:
    from scale_report import markdown, plot

    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps([asdict(r) for r in runs], indent=1) + "\n")
    (out / "scale.md").write_text(markdown(runs, machine(), method))
    plot(runs, out / "scale.png")


def machine() -> str:
    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpus} cores, {memory:.0f} GB RAM, Python {sys.version.split()[0]}"


if __name__ == "__main__":
    main()
