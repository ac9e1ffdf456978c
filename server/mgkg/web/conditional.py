"""Conditional GET, once: entity tags, If-None-Match and the cache lifetime of every cacheable answer.

Every answer depends on the data version and on what was asked (path, query, format), so its
tag is a digest of those; a client that sends the tag back gets 304 Not Modified.
"""

from __future__ import annotations

import hashlib

from fastapi import Request
from fastapi.responses import Response

#: How long a GET answer may be reused without asking again (seconds); the ETag changes with the data anyway.
CACHE_SECONDS = 300


def cache_headers(version: str, *parts: str, weak: bool = False) -> dict[str, str]:
    """ETag and Cache-Control for an answer built from data `version` and the request's `parts`.

    `weak` for answers whose bytes may vary while meaning the same (SPARQL results, gzip)."""
    digest = hashlib.sha256("\0".join((version, *parts)).encode()).hexdigest()[:20]
    return {"ETag": f'{"W/" if weak else ""}"{digest}"', "Cache-Control": f"public, max-age={CACHE_SECONDS}"}


def not_modified(request: Request, headers: dict[str, str]) -> Response | None:
    """304 Not Modified (with `headers`) when If-None-Match names headers["ETag"] or is `*`; else None."""
    if tag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return None


def tag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` or is `*`.

    If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" and "x" are the same tag."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags
