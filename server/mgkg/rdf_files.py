"""Reading the graph's Turtle/TriG files, one named graph per file, with file:line on errors.

A store loaded here also holds the RDFS entailments of what it loaded, in their own graph.

Every file is parsed completely before anything is added to a store, so a broken file never
leaves a store half-loaded.
"""

from __future__ import annotations

import json
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
    settings.require_project()
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
    """Finds where a subject first appears in a Turtle file, as <iri> or prefix:name, and the line of
    one of its statements: what a person should look at when a check fails."""

    _PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
    _RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    #: What a line inside a subject's block starts with (the block ends at the next line that does not).
    _INSIDE_BLOCK = ("", " ", "\t", "#", "]", ")")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines()
        self.prefixes = dict(self._PREFIX.findall(text))

    def line_of(self, term: str) -> int:
        """The line of `term` (an IRI; anything else is line 1) in the file, 1 if it is not found."""
        alternatives = self._spelled(str(term))  # str: rdflib's URIRef.startswith does not take a tuple
        if alternatives is None:
            return 1  # blank-node subjects are reported at their owner; never looked up
        match = re.search(rf"^[ \t]*(?:{alternatives})", self.text, re.MULTILINE) or re.search(alternatives, self.text)
        return self.text.count("\n", 0, match.start()) + 1 if match else 1

    def line_of_statement(self, subject: str, predicate: str, value: str | None, *, value_is_iri: bool) -> int:
        """The line stating `predicate` `value` (an IRI or a literal's text; None: any) about `subject`:
        the first that spells both, or that continues the statement's object list with the value;
        else the predicate's line; else the subject's."""
        start = self.line_of(subject)
        said = self._spelled(str(predicate), verb=True)
        if value is None:
            spelt = None
        else:
            spelt = self._spelled(value) if value_is_iri else re.escape(json.dumps(value, ensure_ascii=False)[1:-1])
        if said is None:
            return start
        block = [start]
        while block[-1] < len(self.lines) and self.lines[block[-1]][:1] in self._INSIDE_BLOCK:
            block.append(block[-1] + 1)
        stating = [n for n in block if re.search(said, self.lines[n - 1])]
        if spelt is not None and stating:
            with_value = [n for n in block if n >= stating[0] and re.search(spelt, self.lines[n - 1])]
            both = [n for n in with_value if n in stating]
            if both or with_value:
                return (both or with_value)[0]
        if spelt is not None:  # one statement a line (N-Triples): the line holding all three
            subject_at = rf"^[ \t]*(?:{self._spelled(str(subject))})"
            for number, line in enumerate(self.lines, start=1):
                if re.search(subject_at, line) and re.search(said, line) and re.search(spelt, line):
                    return number
        return stating[0] if stating else start

    def _spelled(self, iri: str, verb: bool = False) -> str | None:
        """A pattern matching `iri` as the file may write it; None for what is not an IRI."""
        if not iri.startswith(("http://", "https://", "urn:", "file:", "mailto:")):
            return None
        spellings = [re.escape(f"<{iri}>")]
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and namespace:
                spellings.append(re.escape(f"{prefix}:{iri[len(namespace):]}") + r"(?=[\s;,.\[\]()]|$)")
        if verb and iri == self._RDF_TYPE:
            spellings.append(r"(?<![\w:\"'])a(?=\s)")
        return "|".join(spellings)
