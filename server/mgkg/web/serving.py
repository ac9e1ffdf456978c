"""How the app is served: uvicorn with httptools (and uvloop where it installs), and a 414 past its limit.

httptools parses HTTP in C, at about half the CPU per request of uvicorn's pure-Python h11 parser,
which was the largest cost of a small query (docs/performance.md). Its URL parser counts offsets in
16 bits, so it cannot read a request target longer than MAX_TARGET_BYTES; uvicorn would answer such
a request with a bare "Invalid HTTP request received." 400. This protocol answers 414 instead,
naming the limit and the way around it (POST), as the SPARQL protocol advises for long queries.
"""

from __future__ import annotations

from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

#: The longest request target (path and query string) httptools can parse, in bytes.
MAX_TARGET_BYTES = 65_535
TOO_LONG = (f"the request target is longer than {MAX_TARGET_BYTES} bytes, this server's limit; "
            "send a long query by POST, in the body, instead of in the URL\n")


class _TargetTooLong(Exception):
    """Raised inside the parser's callback to stop it; answered as 414."""


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with 414 for a request target it cannot parse."""

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
