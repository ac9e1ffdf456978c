"""The SPARQL 1.1 Protocol endpoint (query operation only: the public service is read-only)."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from mgkg.dependencies import get_store
from mgkg.errors import QuerySyntaxError
from mgkg.store import EmbeddedStore

router = APIRouter()


@router.get("/sparql")
def sparql_get(
    query: str = Query(..., description="A SPARQL 1.1 query"),
    store: EmbeddedStore = Depends(get_store),
) -> Response:
    """Answer a SPARQL query given in the `query` parameter."""
    try:
        result = store.query(query)
    except QuerySyntaxError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    if isinstance(result, ox.QueryTriples):
        body = result.serialize(format=ox.RdfFormat.TURTLE)
        return Response(body, media_type="text/turtle")
    body = result.serialize(format=ox.QueryResultsFormat.JSON)
    return Response(body, media_type="application/sparql-results+json")
