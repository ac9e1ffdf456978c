"""Running a query from the command line and printing its answer as a table or any format."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from mgkg.errors import ConfigurationError
from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS, format_by_name
from mgkg.queries import examples_listing, load_examples
from mgkg.store.embedded import QueryResult


def read_query(text_or_path: str) -> str:
    """The SPARQL text itself, or the contents of the .rq file it names."""
    if text_or_path.endswith((".rq", ".sparql")):
        return Path(text_or_path).read_text(encoding="utf-8")
    return text_or_path


def print_examples(queries_dir: Path, out: TextIO) -> None:
    """Write the name and question of every competency query in `queries_dir`."""
    examples = load_examples(queries_dir)
    if not examples:
        raise ConfigurationError(f"no .rq queries in {queries_dir}")
    out.write(examples_listing(examples))


def print_result(result: QueryResult, format_name: str, out: TextIO) -> None:
    """Write `result` to `out` in `format_name`; "table" gives an aligned text table."""
    if isinstance(result, ox.QueryBoolean) and format_name == "table":
        out.write(("true" if bool(result) else "false") + "\n")
        return
    if isinstance(result, ox.QuerySolutions) and format_name == "table":
        out.write(solutions_table(result))
        return
    graph = isinstance(result, ox.QueryTriples)
    chosen = format_by_name("ttl" if graph and format_name == "table" else format_name,
                            GRAPH_FORMATS if graph else SOLUTION_FORMATS)
    if chosen is None:
        kinds = ", ".join(f.name for f in (GRAPH_FORMATS if graph else SOLUTION_FORMATS))
        raise ConfigurationError(f"--format {format_name!r} does not fit this query; use one of: table, {kinds}")
    out.write(result.serialize(format=chosen.oxigraph).decode("utf-8"))


def solutions_table(solutions: ox.QuerySolutions) -> str:
    """An aligned plain-text table of SELECT results, one row per solution."""
    names = [v.value for v in solutions.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    lines = [" | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)), "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    return str(term) if isinstance(term, ox.BlankNode) else term.value
