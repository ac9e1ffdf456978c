"""Quote checking: every mg:quote must occur verbatim in the source text its mg:source names.

The source texts are published work that the repository does not ship: they are read from the
folder `MGKG_SOURCES` names (default `../shared/seeds` beside the project folder), or `--sources`.
A quote matches when it occurs in its text with runs of whitespace (line breaks of the text)
read as one space; an elided quote ("... […] ...", `mgkg.checks.elision`) when its parts do, in order, with
short gaps. A source document names its text with mg:fileName; MGKG's own are in
data/sources.ttl, which is always read so that an extender's files can cite them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from mgkg.checks.elision import collapse, why_not_in
from mgkg.checks.reports import display_path
from mgkg.errors import ConfigurationError
from mgkg.namespaces import prologue
from mgkg.rdf_files import ParsedFile, SubjectLines, parse_files
from mgkg.settings import Settings
from mgkg.store.base import select
from mgkg.store.embedded import EmbeddedStore

#: Every quote with the graph (file) stating it and the text its source names (possibly in another graph).
_QUOTES = prologue("mg") + """
SELECT ?graph ?owner ?quote ?file WHERE {
  GRAPH ?graph { ?node mg:quote ?quote ; mg:source ?source . OPTIONAL { ?owner ?p ?node FILTER(isIRI(?owner)) } }
  ?source mg:fileName ?file .
}"""


@dataclass(frozen=True)
class MissingQuote:
    """A quote not found in its source text, and where the data file states it."""

    path: Path
    line: int
    text_file: str
    quote: str
    #: Why it is missing: not in the text, or the text itself is not in the sources folder.
    reason: str


@dataclass
class QuoteReport:
    """The outcome of one check: how many quotes were read, and those not found."""

    sources: Path
    checked: int = 0
    texts: int = 0
    missing: list[MissingQuote] = field(default_factory=list)

    def as_text(self) -> str:
        """One line per missing quote (file:line: why, the quote), then a summary line."""
        lines = [f"{display_path(m.path)}:{m.line}: {m.reason}: {json.dumps(m.quote, ensure_ascii=False)}"
                 for m in self.missing]
        lines.append(f"{self.checked} quotes checked against {self.texts} source texts in {self.sources}: "
                     f"{len(self.missing)} not found")
        return "\n".join(lines) + "\n"


def check_quotes(paths: Iterable[Path], settings: Settings) -> QuoteReport:
    """Check every quote in the RDF files under `paths` against the texts in `settings.sources_dir`.

    ConfigurationError when the sources folder does not exist; InvalidDataError for unreadable files.
    """
    sources = settings.sources_dir
    if not sources.is_dir():
        raise ConfigurationError(
            f"the source texts are not in {sources}: put them there, pass --sources DIR or set MGKG_SOURCES")
    checked = parse_files(paths, settings.root)
    catalogue = settings.data_dir / "sources.ttl"
    context = parse_files([catalogue], settings.root) if catalogue.is_file() else []
    store = EmbeddedStore.of_quads((q for parsed in (*checked, *context) for q in parsed.quads), version="quotes")
    files = {parsed.graph: parsed for parsed in checked}
    lines = {parsed.graph: _QuoteLines(parsed) for parsed in checked}
    texts: dict[str, str | None] = {}
    report = QuoteReport(sources)
    for row in select(store, _QUOTES):
        graph, quote, name = row["graph"], row["quote"].value, row["file"].value
        if graph not in files:
            continue  # a quote of the context (sources.ttl) when it is not among the files checked
        report.checked += 1
        if name not in texts:
            texts[name] = _read_collapsed(sources / name)
        text = texts[name]
        if text is None:
            reason = f"{name} is not in the sources folder"
        elif (why := why_not_in(quote, text)) is not None:
            reason = f"{why} {name}"
        else:
            continue
        report.missing.append(MissingQuote(files[graph].path, lines[graph].line_of(quote, row["owner"]), name,
                                           quote, reason))
    report.missing.sort(key=lambda m: (str(m.path), m.line))
    report.texts = sum(1 for text in texts.values() if text is not None)
    return report


class _QuoteLines:
    """Finds the line a quote is written on in its file; else the line of the resource stating it."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.text = parsed.path.read_text(encoding="utf-8", errors="replace")
        self.subjects = SubjectLines(self.text)

    def line_of(self, quote: str, owner: ox.NamedNode | None) -> int:
        owner_line = self.subjects.line_of(owner.value) if owner is not None else 1
        start = sum(len(line) for line in self.text.splitlines(keepends=True)[:owner_line - 1])
        # whole first, so that a quote that opens another (an elided one) is found on its own line
        written = json.dumps(quote, ensure_ascii=False)
        for spelling in (written, f'"{quote}"', written[1:-1], quote):
            found = self.text.find(spelling, start)
            if found >= 0:
                return self.text.count("\n", 0, found) + 1
        return owner_line


def _read_collapsed(path: Path) -> str | None:
    return collapse(path.read_text(encoding="utf-8")) if path.is_file() else None
