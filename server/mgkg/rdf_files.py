"""Reading the graph's Turtle/TriG files, one named graph per file, with file:line on errors.

Every file is parsed completely before anything is added to a store, so a broken file never
leaves a store half-loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from mgkg.errors import InvalidDataError
from mgkg.formats import GRAPH_FORMATS
from mgkg.namespaces import GRAPH
from mgkg.settings import Settings

#: File extension -> parser: every RDF format the server writes can be read back, and .owl as RDF/XML.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    **{f".{fmt.extension}": fmt.native for fmt in GRAPH_FORMATS if isinstance(fmt.native, ox.RdfFormat)},
    ".owl": ox.RdfFormat.RDF_XML,
}

_LINE = re.compile(r"line (\d+)")
_DEFAULT = ox.DefaultGraph()


@dataclass(frozen=True)
class ParsedFile:
    """The quads of one file, already placed in that file's named graph."""

    path: Path
    graph: ox.NamedNode
    quads: list[ox.Quad]


def rdf_files(paths: Iterable[Path]) -> list[Path]:
    """The RDF files among `paths`, expanding folders recursively, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InvalidDataError(path, "no such file or folder")
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in RDF_FORMATS))
        elif path.suffix in RDF_FORMATS:
            found.append(path)
        else:
            raise InvalidDataError(path, f"not an RDF file (expected one of {', '.join(RDF_FORMATS)})")
    return found


def graph_iri_for(path: Path, root: Path) -> ox.NamedNode:
    """The named graph of a file: GRAPH + its path below the project root, without suffix."""
    resolved = path.resolve()
    try:
        relative = resolved.relative_to(root.resolve())
    except ValueError:
        relative = Path("external") / resolved.name
    return ox.NamedNode(GRAPH + relative.with_suffix("").as_posix())


def parse_file(path: Path, root: Path) -> ParsedFile:
    """Parse one RDF file into quads of its named graph; raise InvalidDataError naming file:line."""
    graph = graph_iri_for(path, root)
    fmt = RDF_FORMATS.get(path.suffix)
    if fmt is None:
        raise InvalidDataError(path, f"unknown RDF file extension {path.suffix!r}")
    try:
        parsed = ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        # Triples (and TriG's default graph) go into the file's graph; TriG named graphs stay.
        quads = [
            q if q.graph_name != _DEFAULT else ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in parsed
        ]
    except SyntaxError as error:
        raise InvalidDataError(path, str(error), line_of(error)) from None
    except OSError as error:
        raise InvalidDataError(path, error.strerror or str(error)) from None
    return ParsedFile(path, graph, quads)


def parse_files(paths: Iterable[Path], root: Path) -> list[ParsedFile]:
    """Parse every RDF file under `paths`; the first broken file raises InvalidDataError."""
    return [parse_file(path, root) for path in rdf_files(paths)]


def graph_sources(settings: Settings, *, with_shapes: bool = False) -> list[Path]:
    """The folders that make up the published graph: ontology and data (and shapes if asked)."""
    folders = [settings.ontology_dir, settings.data_dir]
    if with_shapes:
        folders.append(settings.shapes_dir)
    return [folder for folder in folders if folder.is_dir()]


def iter_quads(files: Iterable[ParsedFile]) -> Iterator[ox.Quad]:
    """The quads of every parsed file, file after file."""
    for parsed in files:
        yield from parsed.quads


def line_of(error: SyntaxError) -> int | None:
    """The line a parse error points at: its lineno, else "line N" in its message; None if neither."""
    if error.lineno:
        return int(error.lineno)
    match = _LINE.search(str(error))
    return int(match.group(1)) if match else None


class SubjectLines:
    """Finds the line where a subject first appears in a Turtle file, as <iri> or prefix:name."""

    _PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)

    def __init__(self, text: str) -> None:
        self.text = text
        self.prefixes = dict(self._PREFIX.findall(text))

    def line_of(self, term: str) -> int:
        """The line of `term` (an IRI; anything else is line 1) in the file, 1 if it is not found."""
        term = str(term)  # rdflib's URIRef.startswith does not take a tuple
        if not term.startswith(("http://", "https://", "urn:", "file:")):
            return 1  # blank-node subjects are reported at their owner; never looked up
        spellings = [re.escape(f"<{term}>")]
        for prefix, namespace in self.prefixes.items():
            if term.startswith(namespace) and namespace:
                spellings.append(re.escape(f"{prefix}:{term[len(namespace):]}") + r"(?=[\s;,.\[\]()]|$)")
        alternatives = "|".join(spellings)
        match = re.search(rf"^[ \t]*(?:{alternatives})", self.text, re.MULTILINE) or re.search(alternatives, self.text)
        return self.text.count("\n", 0, match.start()) + 1 if match else 1
