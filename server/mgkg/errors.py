"""The exceptions MGKG raises, rooted at one class so callers can catch them together.

    MgkgError                  anything MGKG reports to a user
    ├── ConfigurationError     a setting or command-line flag has a value we cannot use
    ├── InvalidDataError       a Turtle/TriG file cannot be read (carries file and line)
    ├── QuerySyntaxError       a SPARQL query does not parse or breaks a safety limit
    │   └── ServiceNotAllowedError   it calls a SERVICE endpoint that is not allow-listed
    ├── ReadOnlyError          an update was sent to the read-only public service
    ├── ProtocolError          an HTTP request breaks the SPARQL Protocol (carries its status)
    ├── ReconciliationError    a reconciliation request is malformed or names an unknown type or property
    │   └── BatchTooLargeError     it holds more queries than the manifest's batchSize
    ├── WikidataError          Wikidata's endpoint cannot be reached, or its answer cannot be read
    ├── QueryTimeoutError      a query ran longer than the configured timeout and was stopped
    ├── QueryCrashedError      the process evaluating a query died
    ├── ResultTooLargeError    a query's answer is larger than the configured limit
    ├── NotFoundError          a resource, class or file asked for does not exist
    └── StoreError             the store could not be read or written
"""

from __future__ import annotations

from pathlib import Path


class MgkgError(Exception):
    """Root of every error MGKG reports to a user."""


class ConfigurationError(MgkgError):
    """Raised when a setting or command-line flag has a value we cannot use."""


class InvalidDataError(MgkgError):
    """Raised when an RDF file cannot be parsed; names the file and, when known, the line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(MgkgError):
    """Raised when a SPARQL query does not parse, or exceeds the size or nesting limits."""


class QueryTimeoutError(MgkgError):
    """Raised when a query is stopped because it ran longer than the configured timeout."""


class ResultTooLargeError(MgkgError):
    """Raised when a query's serialised answer is larger than the configured limit."""


class NotFoundError(MgkgError):
    """Raised when a resource, term or file that was asked for does not exist."""


class StoreError(MgkgError):
    """Raised when the underlying store cannot be opened, read or written."""


class ServiceNotAllowedError(QuerySyntaxError):
    """Raised when a query calls a SERVICE endpoint that is not on the configured allow-list."""


class ReadOnlyError(MgkgError):
    """Raised when a client asks the public, read-only service to update data."""


class ProtocolError(MgkgError):
    """Raised when an HTTP request breaks the SPARQL 1.1 Protocol; carries the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class QueryCrashedError(MgkgError):
    """Raised when the process evaluating a query died; the query is not retried."""


class ReconciliationError(MgkgError):
    """Raised when a reconciliation, suggest or extension request is malformed, or names a type or
    property MGKG does not have; the message names the parameter and the query."""


class BatchTooLargeError(ReconciliationError):
    """Raised when a reconciliation batch holds more queries than the manifest's batchSize."""


class WikidataError(MgkgError):
    """Raised when Wikidata's SPARQL endpoint cannot be reached or answers with something unreadable;
    the message names the endpoint or the file."""
