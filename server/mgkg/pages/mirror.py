"""The static mirror: every page, RDF form and download written as files under the paths the server uses.

A static host cannot negotiate or answer 303, so /id/{slug} and /ontology become small pages that
forward to the HTML, and pages are written as `{path}/index.html` (hosts serve /page/x from there).
Every address in a page is written relative to that page (`../../static/site.css`), so the mirror
works at any path (a GitHub Pages project site, a ~user folder, file://); each page carries the
site's Content Security Policy as a meta element (as the server's pages do), and the release's
dumps (N-Quads, TriG, JSON-LD) sit beside the pages under downloads/. In place of the endpoint,
/sparql is the server's editor with its queries answered in the browser, over the N-Quads dump
(render.in_browser_sparql): the DESCRIBE link of every page and the examples open it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from mgkg.errors import ConfigurationError
from mgkg.namespaces import BASE_IRI, ONTOLOGY_IRI
from mgkg.pages import addresses, render, search
from mgkg.pages.addresses import (
    class_csv_path,
    class_path,
    data_path,
    dataset_path,
    download_path,
    id_path,
    ontology_path,
    page_path,
    resource_iri,
    static_path,
)
from mgkg.pages.catalog import catalog
from mgkg.pages.dataset import dcat_document
from mgkg.pages.describe import RDF_FORMS, all_resources, describe, ontology_triples, serialize
from mgkg.pages.release import build_release
from mgkg.pages.render import STATIC_DIR, completions_json
from mgkg.pages.vocabulary import vocabulary
from mgkg.pages.void import void_triples
from mgkg.queries import Example
from mgkg.store.base import SparqlStore

#: Marks a folder as written by export_site, so a later export may replace it.
MARKER = ".mgkg-export"


class _Writer:
    """Writes files below one folder and counts them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def file(self, path: str, content: str | bytes) -> None:
        if path.endswith(".html") and isinstance(content, str):
            content = relative_page(content, path.lstrip("/"))
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        self.count += 1

    def write_page(self, path: str, render: Callable[[], str]) -> None:
        self.file(path.rstrip("/") + "/index.html", render())


def export_site(store: SparqlStore, folder: Path, examples: Sequence[Example] = ()) -> int:
    """Write the whole site for `store` into `folder`, with `examples` in the query page's picker; returns the
    number of files written.

    `folder` must be new, empty, or an earlier export (marked by MARKER), which is replaced.
    """
    _prepare(folder)
    out = _Writer(folder)
    out.file(MARKER, "This folder was written by `mgkg export-site`; the next export replaces it.\n")
    out.file(addresses.HOME + "index.html", render.home(store))
    for slug in all_resources(store):
        _resource(out, store, slug)
    for term in vocabulary(store).classes():
        out.write_page(class_path(term.name), partial(render.class_index, store, term.name))
        out.file(class_csv_path(term.name), render.class_csv(store, term.name))
    out.file(ontology_path(), render.ontology(store))
    out.write_page(addresses.ONTOLOGY, lambda: render.moved(ontology_path(), "The MGKG ontology"))
    triples = ontology_triples(store)
    for ext in RDF_FORMS:
        out.file(ontology_path(ext), serialize(triples, ext, ONTOLOGY_IRI))
    out.write_page(addresses.SEARCH, lambda: render.search(store, ""))
    # Every page's type-ahead reads the index, so its hrefs are relative to the index itself (search.js resolves them).
    out.file(addresses.SEARCH_INDEX, _relative_hrefs(search.index_json(store), addresses.SEARCH_INDEX.lstrip("/")))
    out.write_page(addresses.TIMELINE, lambda: render.timeline(store))
    release = build_release(store)
    for name, body in release.files().items():
        out.file(download_path(name), body)
    dump = download_path(release.dump("nq").name)
    out.write_page(addresses.SPARQL, partial(render.in_browser_sparql, dump, list(examples)))
    # Read by the query page, so its hrefs are relative to that page, as the search index's are.
    sparql_page = addresses.SPARQL.lstrip("/") + "/index.html"
    out.file(addresses.COMPLETIONS, _relative_hrefs(completions_json(store), sparql_page))
    # VoID where machines look for it (RFC 5785), with the public addresses the DCAT description uses; a
    # GitHub Pages site keeps a dot-folder only when Jekyll is off.
    out.file(addresses.VOID, serialize(void_triples(store, BASE_IRI), "ttl", BASE_IRI))
    out.file(".nojekyll", "")
    out.write_page(addresses.DATASET, lambda: render.moved(addresses.HOME, "The MGKG dataset"))
    for ext in RDF_FORMS:
        out.file(dataset_path(ext), dcat_document(store, ext))
    for asset in sorted(path for path in STATIC_DIR.rglob("*") if path.is_file()):
        out.file(static_path(asset.relative_to(STATIC_DIR).as_posix()), asset.read_bytes())
    return out.count


#: Attributes whose value is an address; a refresh's "url=" is one too.
_ADDRESS = re.compile(r'((?:href|src|action|data-index|data-id-prefix|data-completions|data-dump|data-engine)="|url=)'
                      r'(/[^"]*)')
_HREF_IN_JSON = re.compile(r'("href": ")(/[^"]*)')


def relative(target: str, page: str) -> str:
    """The root-absolute `target` ("/page/iom", "/sparql?query=…") seen from the file `page` ("page/x/index.html").

    A target without a file extension is a folder of the mirror (but for the release's files, such as
    SHA256SUMS, and VoID): it gets its trailing slash, so hosts that do not redirect (file://) find its index.html."""
    cut = min((at for at in (target.find("?"), target.find("#")) if at >= 0), default=len(target))
    path, tail = target[:cut], target[cut:]
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1] and not path.startswith(download_path("")) \
            and path != addresses.VOID:
        path += "/"
    return ("../" * page.count("/") + path.lstrip("/") or "./") + tail


def relative_page(html: str, page: str) -> str:
    """Every root-absolute address of `html` made relative to `page` (the CSP meta element is in every page
    already, see render.CONTENT_SECURITY_POLICY)."""
    return _ADDRESS.sub(lambda m: m.group(1) + relative(m.group(2), page), html)


def _relative_hrefs(index: str, page: str) -> str:
    return _HREF_IN_JSON.sub(lambda m: m.group(1) + relative(m.group(2), page), index)


def _prepare(folder: Path) -> None:
    """Empty an earlier export; refuse any other non-empty folder rather than delete someone's files."""
    if folder.exists() and not folder.is_dir():
        raise ConfigurationError(f"{folder} is a file; export-site needs a folder")
    if folder.is_dir() and any(folder.iterdir()):
        if not (folder / MARKER).is_file():
            raise ConfigurationError(f"{folder} is not empty and holds no earlier export; choose a new folder")
        for child in folder.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


def _resource(out: _Writer, store: SparqlStore, slug: str) -> None:
    """The pages, RDF forms and forwarding /id page of one resource."""
    for number, html in enumerate(render.resource_pages(store, slug), start=1):
        out.write_page(page_path(slug, number), partial(str, html))
    iri = resource_iri(slug)
    triples = describe(store, iri)
    for ext in RDF_FORMS:
        out.file(data_path(slug, ext), serialize(triples, ext, iri))
    entry = catalog(store).entries.get(slug)
    title = entry.label if entry and entry.label else slug  # the forwarding page names what it forwards to
    out.write_page(id_path(slug), lambda: render.moved(page_path(slug), title))
