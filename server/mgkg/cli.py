"""The `mgkg` command: serve the graph, check it (validate, reason), query it, and load stores."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mgkg import __version__
from mgkg.errors import InvalidDataError, MgkgError
from mgkg.loading import graph_sources
from mgkg.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mgkg",
        description="The Migration Governance Knowledge Graph: serve, query and check it.",
        epilog="Start with `mgkg serve` and open http://127.0.0.1:8000/ in a browser.",
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

    reason = commands.add_parser("reason", help="check the ontology and data for contradictions with HermiT")
    reason.add_argument("paths", nargs="*", type=Path, help="RDF files or folders (default: ontology/ and data/)")

    validate = commands.add_parser("validate", help="validate data against the SHACL shapes")
    validate.add_argument("paths", nargs="*", type=Path, help="RDF files or folders (default: data/)")
    validate.add_argument("--stored", action="store_true",
                          help="validate what the store holds (--store DIR, or the MGKG_STORE engine) instead of files")
    validate.add_argument("--store", type=Path, dest="store_path", help="an on-disk store from `mgkg load`")

    load = commands.add_parser("load", help="build an on-disk store from RDF files")
    load.add_argument("--store", type=Path, dest="store_path",
                      help="store folder to create or replace (or set MGKG_STORE to load a remote engine)")
    load.add_argument("paths", nargs="*", type=Path, help="RDF files or folders (default: ontology/ and data/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mgkg` console script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env().with_overrides(root=args.root)
        return _COMMANDS[args.command](args, settings)
    except InvalidDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except MgkgError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from mgkg.app import create_app

    settings = settings.with_overrides(
        host=args.host, port=args.port, store_path=args.store_path,
        query_timeout=args.query_timeout, workers=args.workers,
    )
    app = create_app(settings)
    print(f"MGKG serving {len(app.state.store)} quads on http://{settings.host}:{settings.port}/", file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level)
    return EXIT_OK


def _query(args: argparse.Namespace, settings: Settings) -> int:
    from mgkg.app import open_store
    from mgkg.querying import print_result, read_query

    if args.query is None:
        print("error: give a SPARQL query or the path of a .rq file", file=sys.stderr)
        return EXIT_ERROR
    store = open_store(settings.with_overrides(store_path=args.store_path))
    result = store.query(read_query(args.query))
    print_result(result, args.format, sys.stdout)
    return EXIT_OK


def _reason(args: argparse.Namespace, settings: Settings) -> int:
    from mgkg.reasoning import check_consistency

    paths = args.paths or graph_sources(settings)
    if args.paths:  # the ontology is always part of the check
        paths = [settings.ontology_dir, *paths]
    report = check_consistency(paths, settings.root)
    print(report.as_text())
    return EXIT_OK if report.ok else EXIT_FAILED


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    from mgkg.validation import validate_paths, validate_store

    if args.stored or args.store_path:
        from mgkg.app import open_store

        report = validate_store(open_store(settings.with_overrides(store_path=args.store_path)), settings)
    else:
        report = validate_paths(args.paths or [settings.data_dir], settings)
    print(report.as_text())
    return EXIT_OK if report.conforms else EXIT_FAILED


def _load(args: argparse.Namespace, settings: Settings) -> int:
    from mgkg.persistence import build_store

    paths = args.paths or graph_sources(settings)
    if args.store_path is None:
        return _load_remote(paths, settings)
    manifest = build_store(args.store_path, paths, settings.root)
    print(f"loaded {manifest.quads} quads into {args.store_path} (version {manifest.version})", file=sys.stderr)
    return EXIT_OK


def _load_remote(paths: list[Path], settings: Settings) -> int:
    from mgkg.remote import RemoteStore

    if settings.store_url is None:
        print("error: give --store DIR, or set MGKG_STORE to a remote engine", file=sys.stderr)
        return EXIT_ERROR
    count = RemoteStore.from_settings(settings).load(paths, settings.root)
    print(f"loaded {count} triples into {settings.store_url}", file=sys.stderr)
    return EXIT_OK


_COMMANDS = {"serve": _serve, "query": _query, "reason": _reason, "validate": _validate, "load": _load}


if __name__ == "__main__":
    raise SystemExit(main())
