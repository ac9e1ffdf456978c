"""Reading a query's text before the engine does: its form, its dataset clauses, and safety limits.

The engine's parser recurses once per nesting level, and a query nested a few thousand levels
deep (or an `&&` chain of ~10000 terms) overflows its stack and kills the process; it also runs
SERVICE calls to any endpoint. So every query is tokenised here first (strings, IRIs and
comments are skipped, as the engine's lexer skips them) and refused with QuerySyntaxError when it
is too long, too deep, chains too many operators, updates data, or calls an endpoint that is
not on the allow-list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from mgkg.errors import QuerySyntaxError, ReadOnlyError, ServiceNotAllowedError

#: One expression may chain this many operators per allowed nesting level: the engine recurses
#: about once per operator but with smaller frames (measured: ~3x cheaper than a `{` level).
CHAIN_PER_NESTING = 5

_TOKEN = re.compile(
    r"""(?P<space>\s+|\#[^\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
      | (?P<var>[?$]\w+)
      | (?P<name>(?:[^\W\d][\w.\-]*)?:(?:[\w\-:%.]|\\.)*|_:[\w.\-]+|[^\W\d][\w\-]*)
      | (?P<open>[({\[])
      | (?P<close>[)}\]])
      | (?P<op>&&|\|\||\^\^|[!+\-*/|^])
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
#: The engine decodes these escapes inside IRIs (SPARQL 1.1 §19.2), so the guard must too.
_IRI_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_VERBS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class Limits:
    """The safety limits one query must respect."""

    max_chars: int
    max_nesting: int
    service_allowlist: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryShape:
    """What the text says before evaluation: its form and whether it names its own dataset."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE; "" when the text has no query form
    has_dataset_clause: bool
    services: tuple[str, ...]

    @property
    def is_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE answer with RDF; SELECT and ASK with solutions."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def inspect_query(text: str, limits: Limits) -> QueryShape:
    """Check `text` against `limits` and report its shape; raise QuerySyntaxError (or a
    subclass) naming the limit that was broken. Syntax proper is left to the engine."""
    if len(text) > limits.max_chars:
        raise QuerySyntaxError(f"the query has {len(text)} characters; this service accepts at most {limits.max_chars}")
    shape = _read(text, limits)
    for endpoint in shape.services:
        if endpoint not in limits.service_allowlist:
            allowed = ", ".join(limits.service_allowlist)
            raise ServiceNotAllowedError(f"SERVICE {endpoint} is not allowed: " + (
                f"this service only federates with {allowed} (the allow-list, MGKG_SERVICE_ALLOWLIST)" if allowed
                else "federation is off on this service (MGKG_SERVICE_ALLOWLIST lists the endpoints it may call)"))
    return shape


def has_dataset_clause(text: str) -> bool:
    """Whether the query has FROM / FROM NAMED (without limits: for the store's own queries)."""
    if "from" not in text.lower():  # the common case, decided without tokenising
        return False
    return _read(text, Limits(len(text), len(text) + 1)).has_dataset_clause


def query_shape(text: str) -> QueryShape:
    """The shape of a query the store runs for itself (no limits); QuerySyntaxError without a form."""
    shape = _read(text, Limits(len(text), len(text) + 1))
    if not shape.form:
        raise QuerySyntaxError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return shape


def _read(text: str, limits: Limits) -> QueryShape:
    reader = _Reader(limits)
    for match in _TOKEN.finditer(text):
        reader.feed(match.lastgroup or "other", match.group())
    if reader.previous[1] == ("", ""):
        raise QuerySyntaxError("the query is empty: it has nothing but whitespace and comments")
    return QueryShape(reader.form, reader.has_dataset_clause, tuple(reader.services))


class _Reader:
    """A one-pass state machine over the tokens: depth, operator chains, prologue, SERVICE targets."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.max_chain = limits.max_nesting * CHAIN_PER_NESTING
        self.chains = [0]  # operators seen in each open bracket, innermost last
        self.prefixes: dict[str, str] = {}
        self.base = ""
        self.form = ""
        self.has_dataset_clause = False
        self.services: list[str] = []
        self.previous: list[tuple[str, str]] = [("", ""), ("", "")]  # the last two significant tokens

    def feed(self, kind: str, token: str) -> None:
        if kind == "space":
            return
        if self.after_service() and kind not in ("iri", "var", "name"):
            # Fail closed: whatever the guard cannot read as an endpoint, it cannot allow.
            raise ServiceNotAllowedError(f"SERVICE {token} is not allowed: SERVICE must name an IRI or a variable")
        if kind == "open":
            self._open()
        elif kind == "close" and len(self.chains) > 1:
            self.chains.pop()
        elif kind == "op" and token != "^^":
            self._operator()
        elif kind == "name" and ":" not in token:
            self._keyword(token.upper())
        elif kind in ("iri", "var", "name"):
            self._term(kind, token)
        self.previous = [self.previous[1], (kind, token.upper() if kind == "name" and ":" not in token else token)]

    def after_service(self) -> bool:
        """Whether the last significant tokens are SERVICE or SERVICE SILENT: an endpoint comes next."""
        (_, token1), (kind2, token2) = self.previous
        return kind2 == "name" and (token2 == "SERVICE" or (token2 == "SILENT" and token1 == "SERVICE"))

    def _open(self) -> None:
        self.chains.append(0)
        if len(self.chains) - 1 > self.limits.max_nesting:
            raise QuerySyntaxError(
                f"the query nests brackets more than {self.limits.max_nesting} levels deep; "
                "this service refuses deeper queries"
            )

    def _operator(self) -> None:
        self.chains[-1] += 1
        if self.chains[-1] > self.max_chain:
            raise QuerySyntaxError(
                f"one expression or path chains more than {self.max_chain} operators; "
                "this service refuses longer chains"
            )

    def _keyword(self, word: str) -> None:
        if not self.form and word in _UPDATE_VERBS and len(self.chains) == 1:
            raise ReadOnlyError("this SPARQL service is read-only: updates are refused")
        if not self.form and word in _QUERY_FORMS:
            self.form = word
        elif word == "FROM":
            self.has_dataset_clause = True

    def _term(self, kind: str, token: str) -> None:
        (_, token1), (kind2, token2) = self.previous
        if kind == "iri" and token1 == "PREFIX" and kind2 == "name":
            self.prefixes[token2.rstrip(":")] = self._resolve(token[1:-1])
        elif kind == "iri" and token2 == "BASE":
            self.base = self._resolve(token[1:-1])
        elif self.after_service():
            self.services.append(self._endpoint(kind, token))

    def _endpoint(self, kind: str, token: str) -> str:
        if kind == "var":
            return token
        if kind == "iri":
            return self._resolve(token[1:-1])
        prefix, _, local = token.partition(":")
        # An undeclared prefix is left as written: the engine rejects the query anyway.
        return self.prefixes[prefix] + local if prefix in self.prefixes else token

    def _resolve(self, iri: str) -> str:
        iri = _IRI_ESCAPE.sub(_unescape, iri)
        return urljoin(self.base, iri) if self.base else iri


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    # Not a character (a surrogate or past U+10FFFF): the engine refuses it; the message must stay encodable.
    return "\ufffd" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else chr(code)


# The parser's message: "error at 2:30: expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | ...".
_PARSER_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_CHARACTER_CLASS = re.compile(r"\[[^\[\]]*\]")
_EXPECTED_TOKEN = re.compile(r'"[^"]*"|[A-Za-z][\w ]*[\w]')
_PREFIXED_NAME = re.compile(r"([A-Za-z][\w.-]*)?:")


def explain_syntax_error(message: str, query: str) -> str:
    """The parser's message as a person reads it: what is wrong, at which line and column.

    "unknown prefix mgx: at line 2, column 30" for an undeclared prefix; otherwise what the parser
    expected, with its lists of character ranges shortened to the tokens a person types."""
    found = _PARSER_ERROR.match(message.strip())
    if found is None:
        return message
    line, column, detail = int(found[1]), int(found[2]), " ".join(found[3].split())
    where = f"at line {line}, column {column}"
    if "Prefix not found" in detail:
        prefix = _prefix_before(query, line, column)
        name = f"{prefix}:" if prefix is not None else "a prefix"
        return f"unknown prefix {name} {where}: declare it with PREFIX {prefix or 'name'}: <namespace>"
    listed = _CHARACTER_CLASS.sub("", detail.removeprefix("expected one of").removeprefix("expected"))
    expected = _EXPECTED_TOKEN.findall(listed)
    return f"syntax error {where}" + (": expected " + ", ".join(expected[:12]) if expected else "")


def _prefix_before(query: str, line: int, column: int) -> str | None:
    """The prefix of the prefixed name that ends at (line, column), 1-based, if there is one."""
    lines = query.splitlines()
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1][: max(column - 1, 0)]
    names = list(_PREFIXED_NAME.finditer(text))
    return names[-1].group(1) if names and names[-1].group(1) else None
