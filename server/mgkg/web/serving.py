"""How the app is served: uvicorn with httptools (and uvloop where it installs), and a 414 past its limit.

httptools parses HTTP in C, at about half the CPU per request of uvicorn's pure-Python h11 parser,
which was the largest cost of a small query (docs/performance.md). Its URL parser counts offsets in
16 bits, so it cannot read a request target longer than MAX_TARGET_BYTES; uvicorn would answer such
a request with a bare "Invalid HTTP request received." 400. This protocol answers 414 instead,
naming the limit and the way around it (POST), as the SPARQL protocol advises for long queries.

uvicorn also writes a response's head and its body in two system calls; on this loopback each
cost about as much as evaluating a lookup. The protocol holds a write until the next one and sends
both at once, so a head goes out with its body; a write nothing follows goes out at the event
loop's next turn. (Holding every write until that turn cost more than it saved: the answer then
waited for uvicorn's bookkeeping after it, which the client could otherwise overlap.)
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

#: The longest request target (path and query string) httptools can parse, in bytes.
MAX_TARGET_BYTES = 65_535
TOO_LONG = (f"the request target is longer than {MAX_TARGET_BYTES} bytes, this server's limit; "
            "send a long query by POST, in the body, instead of in the URL\n")


#: A write this large is not held: a streamed answer's chunks go out as they come.
COALESCE_BYTES = 64 * 1024


class _TargetTooLong(Exception):
    """Raised inside the parser's callback to stop it; answered as 414."""


class CoalescingTransport:
    """A transport that holds a write until the next one, and then sends both in one system call: a
    response's head goes out with its body, at once. A write nothing follows goes out at the event
    loop's next turn, and one of COALESCE_BYTES or more is not held, so a stream is never held back."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._held is None and len(data) < COALESCE_BYTES:
            self._held = data
            asyncio.get_running_loop().call_soon(self.flush)
            return
        held, self._held = self._held, None
        self._send(held + data if held else data)

    def flush(self) -> None:
        """Write what is held now."""
        held, self._held = self._held, None
        if held:
            self._send(held)

    def _send(self, data: bytes) -> None:
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # everything else is the transport's own
        return getattr(self._transport, name)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with 414 for a request target it cannot parse and a response's
    writes coalesced."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport))  # type: ignore[arg-type]

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_TARGET_BYTES:
            raise _TargetTooLong

    def send_400_response(self, msg: str) -> None:
        if len(self.url) <= MAX_TARGET_BYTES:
            super().send_400_response(msg)
            return
        body = TOO_LONG.encode("ascii")
        head = [STATUS_LINE[414]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [b"content-type: text/plain; charset=utf-8\r\n",
                 b"content-length: " + str(len(body)).encode("ascii") + b"\r\n", b"connection: close\r\n\r\n"]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def server_config(app: Any, host: str, port: int, log_level: str = "info") -> uvicorn.Config:
    """uvicorn's configuration for `app`, as `mgkg serve`, the benchmark and the tests' live server use it."""
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, http=HttpProtocol, loop="auto")
