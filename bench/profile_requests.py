"""`make profile`: where a /sparql request's CPU goes, at each concurrency, in MGKG and the bare server.

Builds the benchmark's store and starts the servers as bench.py does; while wrk sends the mix
(GET), every process of a server (its HTTP process and, for MGKG, each query worker) is sampled
by py-spy. The exact CPU time each process used (/proc/PID/stat) is split over stages in
proportion to py-spy's samples, each sample going to the stage of its innermost frame that names
one, and divided by the requests answered: microseconds of CPU per request, per stage. What
latency has beyond the CPU is waiting: for a process to be woken and scheduled, or for the load
generator.

    PYTHONPATH=server python bench/profile_requests.py [--concurrency 1 8] [--seconds 8]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import bench

#: Stage of a frame, by a piece of its "function (file:line)" text; the first rule that matches wins.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("evaluate + serialise", ("evaluate (mgkg/store/workers.py", "evaluate_whole (mgkg/store/workers.py",
                              "_serialise (mgkg/store/workers.py", "_ChunkWriter", "(mgkg/store/engine.py",
                              "ResultFormat.write", "app (bench.py", "app (bench/bench.py")),
    ("hand-off to a worker", ("multiprocessing/", "WorkerPool", "_worker_main", "_settle (mgkg/store/workers.py",
                              "(pickle", "copyreg")),
    ("HTTP parsing and writing", ("(mgkg/web/serving.py", "(uvicorn/", "(h11/", "(httptools", "selector_events.py",
                                  "transports.py")),
    ("query guard", ("(mgkg/guard.py",)),
    ("SPARQL protocol", ("(mgkg/", "(urllib/parse.py", "(hashlib", "(functools")),
    ("Starlette and FastAPI", ("(starlette/", "(fastapi/", "(anyio/")),
    ("event loop", ("(asyncio/", "(selectors.py", "(uvloop", "(contextvars")),
]
OTHER = "other"
PROFILED = ("mgkg", "bare pyoxigraph")


@dataclass
class Profile:
    """One server at one concurrency: requests answered, and CPU seconds per (process role, stage)."""

    requests: int
    p50_ms: float
    cpu: Counter[tuple[str, str]] = field(default_factory=Counter)

    def per_request_us(self, role: str, stage: str) -> float:
        return self.cpu[role, stage] / self.requests * 1e6

    def total_us(self, role: str) -> float:
        return sum(seconds for (r, _), seconds in self.cpu.items() if r == role) / self.requests * 1e6


def stage_of(stack: list[str]) -> str:
    """The stage of one sampled stack (outermost frame first)."""
    for frame in reversed(stack):
        for stage, pieces in STAGES:
            if any(piece in frame for piece in pieces):
                return stage
    return OTHER


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def profile(url: str, pid: int, concurrency: int, seconds: float, rate: int, folder: Path) -> Profile:
    """Load the server at `url` for `seconds` while py-spy samples its process `pid` and its children."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    roles = {pid: "HTTP process", **{child: "workers" for child in children(pid)}}
    outputs = {process: folder / f"{process}.txt" for process in roles}
    recorders = [subprocess.Popen([py_spy, "record", "--pid", str(process), "--rate", str(rate), "--format", "raw",
                                   "--output", str(outputs[process]), "--nonblocking"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for process in roles]
    time.sleep(1.0)  # py-spy attaches
    before = {process: cpu_seconds(process) for process in roles}
    figures = bench.load_wrk(url, "GET", seconds, concurrency)
    used = {process: cpu_seconds(process) - before[process] for process in roles}
    for recorder in recorders:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its samples when interrupted
        recorder.wait(timeout=30)
    result = Profile(round(figures.throughput * seconds), figures.p50_ms)
    for process, role in roles.items():
        samples = Counter[str]()
        for line in outputs[process].read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            samples[stage_of(stack.split(";"))] += int(count)
        total = sum(samples.values()) or 1
        for stage, count in samples.items():
            result.cpu[role, stage] += used[process] * count / total
    return result


def report(profiles: dict[tuple[str, int], Profile]) -> str:
    columns = [(name, concurrency, role) for (name, concurrency) in profiles
               for role in (("HTTP process", "workers") if name == "mgkg" else ("HTTP process",))]
    heads = [f"{'mgkg' if name == 'mgkg' else 'bare'} c={c} {'HTTP' if role == 'HTTP process' else 'work'}"
             for name, c, role in columns]
    lines = [f"{'µs of CPU per request':<26}" + "".join(f"{head:>16}" for head in heads)]
    for stage in [*(stage for stage, _ in STAGES), OTHER]:
        lines.append(f"{stage:<26}" + "".join(
            f"{profiles[name, c].per_request_us(role, stage):>16.0f}" for name, c, role in columns))
    lines.append(f"{'total':<26}" + "".join(f"{profiles[name, c].total_us(role):>16.0f}" for name, c, role in columns))
    lines.append(f"{'p50 latency (µs)':<26}" + "".join(
        f"{profiles[name, c].p50_ms * 1000:>16.0f}" if role == "HTTP process" else f"{'':>16}"
        for name, c, role in columns))
    lines.append(f"{'requests answered':<26}" + "".join(
        f"{profiles[name, c].requests:>16}" if role == "HTTP process" else f"{'':>16}" for name, c, role in columns))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds of load per profile (default 8)")
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second and process (default 250)")
    parser.add_argument("--triples", type=int, default=100_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("profile_requests.py needs wrk (Debian: apt-get install wrk)")
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="mgkg-profile-") as work:
        graph = bench.build_graph(Path(work), args.triples)
        profiles: dict[tuple[str, int], Profile] = {}
        for name in PROFILED:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            server = spawn.Process(target=bench._serve, args=(name, graph, port))
            server.start()
            url = f"http://127.0.0.1:{port}/sparql"
            try:
                bench._wait_until_up(url)
                bench.load(url, "GET", 2.0, max(args.concurrency))  # warm-up
                for concurrency in args.concurrency:
                    folder = Path(work) / f"{name}-{concurrency}".replace(" ", "-")
                    folder.mkdir()
                    assert server.pid is not None
                    profiles[name, concurrency] = profile(url, server.pid, concurrency, args.seconds, args.rate, folder)
            finally:
                server.terminate()
                server.join(timeout=10)
        print(report(profiles))


if __name__ == "__main__":
    main()
