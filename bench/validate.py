"""Benchmark: `mgkg validate` against the plain pySHACL command line on the same files and shapes.

    pyshacl -s shapes.ttl -e ontology/mgkg.ttl -i rdfs data/*.ttl      (the peer; shapes/ merged into one file)
    mgkg validate                                                      (ours)

Both run as fresh processes, so start-up and parsing count; the median of --runs runs is printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], runs: int) -> tuple[float, int]:
    """Median wall-clock seconds of `command` over `runs` runs, and its last exit code."""
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(command, cwd=ROOT, capture_output=True, check=False).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def merged_shapes(folder: Path) -> Path:
    """pySHACL's command line takes one shapes file: all of shapes/ as one Turtle file."""
    quads = [q for path in sorted((ROOT / "shapes").glob("*.ttl")) for q in ox.parse(path=str(path))]
    target = folder / "shapes.ttl"
    ox.serialize(quads, output=str(target), format=ox.RdfFormat.TURTLE)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "data").glob("*.ttl"))]
    with tempfile.TemporaryDirectory(prefix="mgkg-bench-") as folder:
        shapes = merged_shapes(Path(folder))
        peer = [str(BIN / "pyshacl"), "-s", str(shapes), "-e", "ontology/mgkg.ttl", "-i", "rdfs", *data]
        ours = [sys.executable, "-m", "mgkg.cli", "validate"]
        peer_time, peer_code = timed(peer, args.runs)
        our_time, our_code = timed(ours, args.runs)
    print(f"data: {len(data)} files; median of {args.runs} runs")
    print(f"pyshacl -i rdfs (peer): {peer_time:6.2f} s  exit {peer_code}")
    print(f"mgkg validate (ours):   {our_time:6.2f} s  exit {our_code}")
    print(f"speed-up: {peer_time / our_time:.1f}x")


if __name__ == "__main__":
    main()
