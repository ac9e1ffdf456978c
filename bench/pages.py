"""Page throughput: resource pages rendered per second from our store, beside rdflib as the peer.

Both sides run the same description query (describe.DESCRIPTION_QUERY) for the same resources and
render the same template; only the store answering the query differs: pyoxigraph (ours) or an
rdflib Graph holding the same files (the usual way to serve linked data in Python).

    PYTHONPATH=server python bench/pages.py [--peer-sample 25] [--rounds 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import pyoxigraph as ox
import rdflib

from mgkg.pages import render
from mgkg.pages.addresses import resource_iri
from mgkg.pages.describe import all_resources, describe, description_query
from mgkg.rdf_files import graph_sources, rdf_files
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore


def _to_ox(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, rdflib.Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def _rate(render: Callable[[str], str], slugs: list[str], rounds: int) -> float:
    """Pages per second over `rounds` passes through `slugs` (best pass, to skip warm-up noise)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for slug in slugs:
            assert "<h1>" in render(slug)
        best = min(best, time.perf_counter() - start)
    return len(slugs) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-sample", type=int, default=25, help="resources the (slow) peer renders")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = Settings.from_env()
    sources = graph_sources(settings)
    store = EmbeddedStore.in_memory(sources, settings.root)
    graph = rdflib.Graph()
    for path in rdf_files(sources):
        graph.parse(path, format="turtle" if path.suffix == ".ttl" else None)
    slugs = all_resources(store)
    sample = slugs[:: max(1, len(slugs) // args.peer_sample)][: args.peer_sample]
    render.resource(store, sample[0])  # fill the vocabulary cache both sides share

    def ours(slug: str) -> str:
        return render.resource(store, slug)

    def peer(slug: str) -> str:
        iri = resource_iri(slug)
        result = graph.query(description_query(iri))
        triples = [ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in result]  # type: ignore[misc]
        return render.resource_from(store, iri, triples, 1)[0]

    assert len(describe(store, resource_iri(sample[0]))) > 0
    ours_all = _rate(ours, slugs, args.rounds)
    ours_sample = _rate(ours, sample, args.rounds)
    peer_sample = _rate(peer, sample, 1)
    start = time.perf_counter()
    render.resource(store, "unhcr")
    one = (time.perf_counter() - start) * 1000
    print(f"graph: {len(store)} quads, {len(slugs)} resources; peer sample: {len(sample)} resources")
    print(f"mgkg (pyoxigraph), all resources : {ours_all:8.1f} pages/s  ({1000 / ours_all:.2f} ms/page)")
    print(f"mgkg (pyoxigraph), sample        : {ours_sample:8.1f} pages/s")
    print(f"rdflib {rdflib.__version__} Graph, sample     : {peer_sample:8.1f} pages/s")
    print(f"ratio mgkg/rdflib on the sample  : {ours_sample / peer_sample:8.1f}x")
    print(f"/page/unhcr once                 : {one:8.2f} ms")


if __name__ == "__main__":
    main()
