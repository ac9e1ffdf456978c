"""The `mgkg` command: serve the graph, check it (validate, reason), query it, and load stores.

Exit codes (as pySHACL documents its own): 0 the command did its work and the check passed,
1 the check (validate, reason) found a problem, 2 the input or the configuration is unusable.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
import uvicorn

from mgkg import __version__
from mgkg.checks.findings import SEVERITIES
from mgkg.checks.owl import check_consistency
from mgkg.checks.quotes import check_quotes
from mgkg.checks.reports import FORMATS
from mgkg.checks.shacl import validate_paths, validate_store
from mgkg.errors import ConfigurationError, MgkgError
from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS, format_by_name
from mgkg.linking import quickstatements, wikidata
from mgkg.pages.mirror import export_site
from mgkg.pages.release import build_release, write_release
from mgkg.queries import examples_listing, load_examples
from mgkg.rdf_files import graph_sources
from mgkg.settings import Settings
from mgkg.store import QueryResult, RemoteStore, open_store
from mgkg.store.ondisk import build_store
from mgkg.web.app import create_app
from mgkg.web.serving import server_config

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
EXIT_CODES = "Exit codes: 0 done (and the check passed), 1 the check failed, 2 unusable input or configuration."


def build_parser() -> argparse.ArgumentParser:
    """The `mgkg` command line: its subcommands and their flags (which override MGKG_* settings)."""
    parser = argparse.ArgumentParser(
        prog="mgkg",
        description="The Migration Governance Knowledge Graph: serve, query and check it.",
        epilog=f"Start with `mgkg serve` and open http://127.0.0.1:8000/ in a browser. {EXIT_CODES}",
    )
    parser.add_argument("--version", action="version", version=f"mgkg {__version__}")
    parser.add_argument(
        "--root", type=Path, help="project folder with ontology/ data/ shapes/ (default: this source tree)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="start the SPARQL endpoint and linked-data pages")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument("--store", type=Path, dest="store_path", help="serve an on-disk store from `mgkg load`")
    serve.add_argument("--timeout", type=float, dest="query_timeout", help="query timeout in seconds (default 30)")
    serve.add_argument("--workers", type=int, help="query worker processes (default 2)")

    query = commands.add_parser("query", help="run a SPARQL query (a string or a .rq file) on the graph")
    query.add_argument("query", nargs="?", help="SPARQL text, or the path of a .rq file")
    query.add_argument("--format", default="table", help="table (default), json, xml, csv, tsv, ttl, nt, jsonld, rdf")
    query.add_argument("--store", type=Path, dest="store_path", help="query an on-disk store, not the source tree")
    query.add_argument("--list", action="store_true", help="list the competency queries with their questions")

    reason = commands.add_parser("reason", help="check the ontology and data for contradictions with HermiT")
    reason.add_argument("paths", nargs="*", type=Path, help="RDF files or folders (default: ontology/ and data/)")

    validate = commands.add_parser(
        "validate", help="validate data against the SHACL shapes",
        description="Validate RDF files against MGKG's SHACL shapes, with the ontology's subclass axioms. "
        "Exit 0 when nothing at or above --fail-on is found, 1 when something is, 2 on unreadable input.",
    )
    validate.add_argument("paths", nargs="*", type=Path, help="RDF files or folders (default: data/)")
    validate.add_argument("--format", default="text", choices=sorted(FORMATS),
                          help="text (default), json, junit (JUnit XML), github (Actions annotations), "
                          "turtle (the SHACL validation report)")
    validate.add_argument("--fail-on", default="violation", choices=SEVERITIES,
                          help="least severe result that fails the run (default: violation)")
    validate.add_argument("--with-data", action="store_true",
                          help="load MGKG's own data/ as context, so links to its resources resolve; "
                          "only the given files are reported on")
    validate.add_argument("--shapes", type=Path, action="append", default=[], dest="extra_shapes",
                          help="more SHACL shapes to apply besides MGKG's (file or folder; repeatable)")
    validate.add_argument("--stored", action="store_true",
                          help="validate what the store holds (--store DIR, or the MGKG_STORE engine) instead of files")
    validate.add_argument("--store", type=Path, dest="store_path", help="an on-disk store from `mgkg load`")

    quotes = commands.add_parser(
        "check-quotes", help="check that every quote occurs verbatim in its source text",
        description="Check every mg:quote in RDF files against the source text its mg:source names. "
        "Exit 0 when every quote is found, 1 when one is not, 2 on unreadable input or a missing sources folder.",
    )
    quotes.add_argument("paths", nargs="*", type=Path, metavar="FILES", help="RDF files or folders (default: data/)")
    quotes.add_argument("--sources", type=Path, help="folder of the source texts "
                        "(default: MGKG_SOURCES, else ../shared/seeds beside the project folder)")

    load = commands.add_parser("load", help="build an on-disk store from RDF files")
    load.add_argument("--store", type=Path, dest="store_path",
                      help="store folder to create or replace (or set MGKG_STORE to load a remote engine)")
    load.add_argument("paths", nargs="*", type=Path, help="RDF files or folders (default: ontology/ and data/)")

    release = commands.add_parser(
        "release", help="build the whole-graph dumps of this version, with their sizes and SHA-256",
        description="Write N-Quads (gzip), TriG and JSON-LD dumps of the graph, manifest.json and SHA256SUMS "
        "into FOLDER/{version}/. The same data always gives the same bytes.")
    release.add_argument("folder", nargs="?", type=Path, default=Path("release"),
                         help="folder to write the version's folder into (default: release)")
    release.add_argument("--store", type=Path, dest="store_path", help="release an on-disk store, not the source tree")

    export = commands.add_parser("export-site", help="write every page and RDF file as a static site")
    export.add_argument("folder", type=Path, help="folder to write (new, empty, or an earlier export)")
    export.add_argument("--store", type=Path, dest="store_path", help="export an on-disk store, not the source tree")

    wikidata = commands.add_parser("wikidata", help="compare MGKG's facts with Wikidata's; propose the missing ones")
    actions = wikidata.add_subparsers(dest="wikidata_command", metavar="ACTION", required=True)
    compare = actions.add_parser("compare", help="report each fact about a linked item as agreeing, missing or in "
                                 "conflict on Wikidata")
    compare.add_argument("--record", action="store_true",
                         help="keep the comparison in data/wikidata-comparison.csv, which resource pages show")
    statements = actions.add_parser("quickstatements", help="write the facts Wikidata lacks as QuickStatements V1 "
                                    "commands with references; conflicts go to a review table")
    statements.add_argument("--output", type=Path, help="file for the commands (default: standard output)")
    statements.add_argument("--review", type=Path, help="CSV file for the facts to review (default: standard error)")
    for action in (compare, statements):
        action.add_argument("--endpoint", dest="wikidata_endpoint", help="Wikidata's SPARQL endpoint (default: "
                            "the public one, or MGKG_WIKIDATA_ENDPOINT)")
        action.add_argument("--answer", type=Path, help="read a saved answer of the endpoint (SPARQL results JSON) "
                            "instead of asking it")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mgkg` console script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env().with_overrides(root=args.root)
        return _COMMANDS[args.command](args, settings)
    except MgkgError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    settings = settings.with_overrides(
        host=args.host, port=args.port, store_path=args.store_path,
        query_timeout=args.query_timeout, workers=args.workers,
    )
    app = create_app(settings)
    print(f"MGKG serving {len(app.state.store)} quads on http://{settings.host}:{settings.port}/", file=sys.stderr)
    uvicorn.Server(server_config(app, settings.host, settings.port, settings.log_level)).run()
    return EXIT_OK


def _query(args: argparse.Namespace, settings: Settings) -> int:
    if args.list:
        print_examples(settings.queries_dir, sys.stdout)
        return EXIT_OK
    if args.query is None:
        print("error: give a SPARQL query or the path of a .rq file (see `mgkg query --list`)", file=sys.stderr)
        return EXIT_ERROR
    store = open_store(settings.with_overrides(store_path=args.store_path))
    result = store.query(read_query(args.query))
    print_result(result, args.format, sys.stdout)
    return EXIT_OK


def _reason(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or graph_sources(settings)
    if args.paths:  # the ontology is always part of the check
        paths = [settings.ontology_dir, *paths]
    report = check_consistency(paths, settings.root)
    print(report.as_text())
    return EXIT_OK if report.ok else EXIT_FAILED


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    if args.stored or args.store_path:
        report = validate_store(open_store(settings.with_overrides(store_path=args.store_path)), settings)
    else:
        context = [settings.data_dir] if args.with_data and args.paths else []
        paths = args.paths or [settings.data_dir]
        report = validate_paths(paths, settings, context=context, extra_shapes=args.extra_shapes)
    sys.stdout.write(FORMATS[args.format](report, args.fail_on))
    if report.errors:
        if args.format != "text":  # the log of a CI run that files the report away shows them too
            print("\n".join(f"error: {error}" for error in report.errors), file=sys.stderr)
        return EXIT_ERROR
    return EXIT_FAILED if report.fails(args.fail_on) else EXIT_OK


def _check_quotes(args: argparse.Namespace, settings: Settings) -> int:
    report = check_quotes(args.paths or [settings.data_dir], settings.with_overrides(sources=args.sources))
    sys.stdout.write(report.as_text())
    return EXIT_FAILED if report.missing else EXIT_OK


def _load(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or graph_sources(settings)
    if args.store_path is None:
        return _load_remote(paths, settings)
    manifest = build_store(args.store_path, paths, settings.root)
    print(f"loaded {manifest.quads} quads into {args.store_path} (version {manifest.version})", file=sys.stderr)
    return EXIT_OK


def _load_remote(paths: list[Path], settings: Settings) -> int:
    if settings.store_url is None:
        print("error: give --store DIR, or set MGKG_STORE to a remote engine", file=sys.stderr)
        return EXIT_ERROR
    count = RemoteStore.from_settings(settings).load(paths, settings.root)
    print(f"loaded {count} triples into {settings.store_url}", file=sys.stderr)
    return EXIT_OK


def _export_site(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings.with_overrides(store_path=args.store_path))
    count = export_site(store, args.folder, load_examples(settings.queries_dir))
    print(f"wrote {count} files to {args.folder}; serve them from any static host", file=sys.stderr)
    return EXIT_OK


def _wikidata(args: argparse.Namespace, settings: Settings) -> int:
    settings = settings.with_overrides(wikidata_endpoint=args.wikidata_endpoint)
    comparisons = wikidata.compare_store(open_store(settings), settings.wikidata_endpoint, args.answer)
    today = date.today()
    if args.wikidata_command == "compare":
        print(wikidata.summary(comparisons))
        if args.record:
            wikidata.write_comparison(comparisons, settings.wikidata_comparison, today)
            print(f"recorded in {settings.wikidata_comparison}", file=sys.stderr)
        return EXIT_OK
    commands = "".join(line + "\n" for line in quickstatements.commands(comparisons, today))
    review = quickstatements.review_table(comparisons)
    if args.output:
        args.output.write_text(commands, encoding="utf-8")
    else:
        sys.stdout.write(commands)
    if args.review:
        args.review.write_text(review, encoding="utf-8")
    else:
        sys.stderr.write(review)
    return EXIT_OK


def _release(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings.with_overrides(store_path=args.store_path))
    release = build_release(store)
    folder = write_release(release, args.folder)
    for dump in release.dumps:
        print(f"{dump.sha256}  {dump.size:>10,} bytes  {dump.statements:,} statements  {folder / dump.name}")
    return EXIT_OK


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
    out.write((chosen.write(result) or b"").decode("utf-8"))


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



_COMMANDS = {"serve": _serve, "query": _query, "reason": _reason, "validate": _validate,
             "check-quotes": _check_quotes, "load": _load, "release": _release, "export-site": _export_site,
             "wikidata": _wikidata}


if __name__ == "__main__":
    raise SystemExit(main())
