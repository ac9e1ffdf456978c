"""The competency queries in queries/*.rq: their headers, read for the CLI, the query page and the README.

Each .rq file starts with a header of `# Field: text` comment lines (Question, Shows, Features,
Keywords; a line `#   more text` continues the field above). web/examples.py publishes them as
linked data at /.well-known/sparql-examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mgkg.errors import ConfigurationError, QuerySyntaxError, ReadOnlyError
from mgkg.guard import query_shape

_HEADER = re.compile(r"#\s*([A-Z][a-z]+):\s*(.*)")
_CONTINUATION = re.compile(r"#\s{2,}(\S.*)")
_PREFIX = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """One competency query: its file name stem, header fields, text and query form."""

    name: str
    question: str
    shows: str
    features: tuple[str, ...]
    keywords: tuple[str, ...]
    text: str
    form: str
    federated: bool
    path: Path

    @property
    def prefixes(self) -> dict[str, str]:
        """The PREFIX declarations of the query, prefix -> namespace."""
        return dict(_PREFIX.findall(self.text))


def load_examples(queries_dir: Path) -> list[Example]:
    """Every .rq under `queries_dir` (federated ones in queries/federated/), sorted by name."""
    if not queries_dir.is_dir():
        return []
    paths = sorted(queries_dir.rglob("*.rq"), key=lambda p: p.stem)
    return [parse_example(path, federated=path.parent.name == "federated") for path in paths]


def parse_example(path: Path, *, federated: bool = False) -> Example:
    """Read one .rq file; raise ConfigurationError naming the file if it has no Question header."""
    text = path.read_text(encoding="utf-8")
    fields = _header_fields(text)
    if not fields.get("Question"):
        raise ConfigurationError(f"{path}: no '# Question: ...' header line")
    return Example(
        name=path.stem,
        question=fields["Question"],
        shows=fields.get("Shows", ""),
        features=_split(fields.get("Features", "")),
        keywords=_split(fields.get("Keywords", "")),
        text=text,
        form=query_form(text, path),
        federated=federated,
        path=path,
    )


def query_form(text: str, path: Path | str = "query") -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, as the guard reads it; ConfigurationError naming `path` otherwise."""
    try:
        return query_shape(text).form
    except (QuerySyntaxError, ReadOnlyError) as error:
        raise ConfigurationError(f"{path}: cannot tell the query form (SELECT, ASK, CONSTRUCT, DESCRIBE): "
                                 f"{error}") from None


def _header_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if current and (more := _CONTINUATION.match(line)):
            fields[current] += " " + more.group(1).strip()
        elif header := _HEADER.match(line):
            current = header.group(1)
            fields[current] = header.group(2).strip()
    return fields


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def examples_markdown(examples: list[Example]) -> str:
    """A Markdown table of the examples (name, form, question) for queries/README.md, linking each file."""
    lines = ["| query | form | question |", "|---|---|---|"]
    for example in examples:
        where = "federated/" if example.federated else ""
        question = example.question.replace("|", "\\|")
        lines.append(f"| [`{example.name}`]({where}{example.name}.rq) | {example.form} | {question} |")
    return "\n".join(lines) + "\n"


def examples_listing(examples: list[Example]) -> str:
    """Plain text for `mgkg query --list`: one line per example, name then question."""
    width = max((len(e.name) for e in examples), default=0)
    return "".join(f"{e.name.ljust(width)}  {e.question}\n" for e in examples)
