"""Write queries/expected/NAME.srj (SELECT, ASK) or NAME.ttl (CONSTRUCT, DESCRIBE) for every query,
and the table of queries in queries/README.md.

Run once after changing a query or the data, then REVIEW the diff against the data and the seeds
before committing: `make expected` (or `python scripts/regenerate_expected.py [NAME ...]`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from mgkg.namespaces import PREFIXES
from mgkg.queries import examples_markdown, load_examples
from mgkg.rdf_files import graph_sources
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore

TABLE_START, TABLE_END = "<!-- queries:start -->\n", "<!-- queries:end -->"


def main(names: list[str]) -> int:
    settings = Settings(root=Path(__file__).resolve().parents[1])
    store = EmbeddedStore.in_memory(graph_sources(settings), settings.root)
    out = settings.queries_dir / "expected"
    examples = load_examples(settings.queries_dir)
    write_table(settings.queries_dir / "README.md", examples_markdown(examples))
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


def write_table(readme: Path, table: str) -> None:
    """Replace the generated table between the markers of `readme`."""
    text = readme.read_text(encoding="utf-8")
    before, _, rest = text.partition(TABLE_START)
    _, _, after = rest.partition(TABLE_END)
    readme.write_text(before + TABLE_START + table + TABLE_END + after, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
