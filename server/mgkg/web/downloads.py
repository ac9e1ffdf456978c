"""The dataset as files over HTTP: the release's dumps, and its DCAT description.

    /downloads/{file}   a dump, manifest.json or SHA256SUMS of the release built from the served store
    /dataset            303 See Other to the home page (browsers) or to /dataset.{ext} (RDF), by Accept
    /dataset.{ext}      the DCAT 3 description in Turtle, N-Triples, JSON-LD or RDF/XML
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mgkg.errors import NotFoundError
from mgkg.pages import addresses
from mgkg.pages.addresses import HOME, dataset_path
from mgkg.pages.dataset import DATASET_IRI, dcat_document
from mgkg.pages.describe import RDF_FORMS
from mgkg.pages.release import CHECKSUMS, MANIFEST, build_release
from mgkg.store.base import SparqlStore
from mgkg.web.dependencies import get_store
from mgkg.web.linked_data import chosen_extension, respond, see_other
from mgkg.web.signposting import link_header

router = APIRouter()

_OTHER_FILES = {MANIFEST: "application/json", CHECKSUMS: "text/plain"}


@router.api_route(addresses.DOWNLOAD, methods=["GET", "HEAD"], include_in_schema=False)
def download(name: str, request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """One file of the release: built from the store once per data version, byte for byte what `mgkg release` writes."""
    release = build_release(store)
    files = release.files()
    if name not in files:
        raise NotFoundError(f"the release's files are {', '.join(files)}; not {name!r}")
    dumps = {dump.name: dump for dump in release.dumps}
    media_type = dumps[name].media_type if name in dumps else _OTHER_FILES[name]
    headers = {"Content-Disposition": f'attachment; filename="{name}"',
               "Link": link_header([(DATASET_IRI, "collection", None)])}
    return respond(request, store, lambda: files[name], media_type, extra=headers)


@router.api_route(addresses.DATASET, methods=["GET", "HEAD"], include_in_schema=False)
def dataset(request: Request) -> Response:
    """303 See Other from the dataset's IRI to its landing page or its DCAT description."""
    ext = chosen_extension(request)
    return see_other(HOME if ext == "html" else dataset_path(ext))


@router.api_route(addresses.DATASET_FORM, methods=["GET", "HEAD"], include_in_schema=False)
def dataset_description(ext: str, request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """The DCAT 3 description of the dataset in one RDF form."""
    if ext not in RDF_FORMS:
        raise NotFoundError(f"the dataset's description comes as {', '.join('.' + e for e in RDF_FORMS)}")
    return respond(request, store, lambda: dcat_document(store, ext), RDF_FORMS[ext].media_type)
