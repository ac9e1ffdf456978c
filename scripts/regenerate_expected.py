"""Write queries/expected/NAME.srj (SELECT, ASK) or NAME.ttl (CONSTRUCT, DESCRIBE) for every query,
and the README's table of queries.

Run once after changing a query or the data, then REVIEW the diff against the data and the seeds
before committing: `PYTHONPATH=server python queries/regenerate_expected.py [NAME ...]`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from mgkg.queries import examples_markdown, load_examples
from mgkg.rdf_files import graph_sources
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore

README_START, README_END = "<!-- queries:start -->\n", "<!-- queries:end -->"
PREFIXES = {
    "mg": "https://w3id.org/mgkg/ontology#",
    "mgid": "https://w3id.org/mgkg/id/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def main(names: list[str]) -> int:
    settings = Settings(root=Path(__file__).resolve().parents[1])
    store = EmbeddedStore.in_memory(graph_sources(settings), settings.root)
    out = settings.queries_dir / "expected"
    examples = load_examples(settings.queries_dir)
    write_readme_table(settings.root / "README.md", examples_markdown(examples))
    for example in examples:
        if example.federated or (names and example.name not in names):
            continue
        result = store.query(example.text)
        if isinstance(result, ox.QueryTriples):
            body = ox.serialize(list(result), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            write_graph(out / f"{example.name}.ttl", body)
        else:
            answer = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
            (out / f"{example.name}.srj").write_text(json.dumps(answer, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {example.name}", file=sys.stderr)
    return 0


def write_graph(path: Path, body: bytes) -> None:
    """Write a graph answer unless the file already holds an isomorphic one (blank node ids churn)."""
    if path.is_file():
        old = rdflib.Graph().parse(path, format="turtle")
        if isomorphic(old, rdflib.Graph().parse(data=body.decode("utf-8"), format="turtle")):
            return
    path.write_bytes(body)


def write_readme_table(readme: Path, table: str) -> None:
    text = readme.read_text(encoding="utf-8")
    before, _, rest = text.partition(README_START)
    _, _, after = rest.partition(README_END)
    readme.write_text(before + README_START + table + README_END + after, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
