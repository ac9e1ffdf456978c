"""Reading a request's parameters and body strictly, for every endpoint that takes a form (the SPARQL
protocol, the reconciliation service): a malformed escape, a body that is not UTF-8 or one past the
size limit is a ProtocolError naming what is wrong, never a value read leniently.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import unquote_to_bytes

from fastapi import Request
from starlette.requests import ClientDisconnect

from mgkg.errors import ProtocolError

FORM = "application/x-www-form-urlencoded"
#: A % that does not start an escape (%ZZ, a trailing %): the request is malformed (RFC 3986, 2.1).
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, up to `limit` bytes (413 beyond it, before reading when Content-Length says so)."""
    return await collect_body(request.headers.get("content-length", ""), request.stream(), limit)


async def collect_body(declared: str, chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """`read_body` from the Content-Length header's value and the body's chunks (ClientDisconnect ends them early)."""
    if declared.isdigit() and int(declared) > limit:
        raise ProtocolError(f"the request body has {declared} bytes; this service accepts at most {limit}", 413)
    body = bytearray()
    try:
        async for chunk in chunks:
            body += chunk
            if len(body) > limit:
                raise ProtocolError(f"the request body is larger than {limit} bytes, this service's limit", 413)
    except ClientDisconnect:  # e.g. a Content-Length larger than the body sent: nobody is left to answer
        raise ProtocolError(f"the client left after sending {len(body)} bytes of the request body") from None
    return bytes(body)


def content_type(header: str) -> tuple[str, str]:
    """The media type (lower case) and charset (utf-8 when not given) of a Content-Type header."""
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = "utf-8"
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def decode_body(body: bytes, charset: str) -> str:
    """The body as text: it must be UTF-8 (415 for another charset, 400 for bytes that are not)."""
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(f"the body is declared as charset={charset}; SPARQL requests must be UTF-8", 415)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"the body is not valid UTF-8 (byte {error.start})") from None


def parse_form(text: str, where: str) -> list[tuple[str, str]]:
    """The name=value pairs of a query string or form body, strictly decoded: a malformed escape or
    bytes that are not UTF-8 are a 400 naming the parameter, never a value decoded leniently."""
    pairs = []
    for field in text.split("&"):
        if field:
            raw_name, _, raw_value = field.partition("=")
            name = _decode_component(raw_name, raw_name[:40], where)
            pairs.append((name, _decode_component(raw_value, name[:40], where)))
    return pairs


def _decode_component(raw: str, name: str, where: str) -> str:
    bad = _BAD_ESCAPE.search(raw)
    if bad:
        raise ProtocolError(f"the {name} parameter in the {where} is not percent-encoded correctly: "
                            f"{raw[bad.start():bad.start() + 3]!r} at character {bad.start() + 1} is not % and two "
                            "hexadecimal digits")
    try:
        return unquote_to_bytes(raw.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"the {name} parameter in the {where} is not UTF-8 once percent-decoded "
                            f"(byte {error.start + 1} of its value)") from None
