"""FAIR Signposting (signposting.org, level 1): typed links in the Link header, so a machine that lands on
a page finds what to cite, what describes it, its files, its licence and its type without parsing HTML.

    home page      cite-as the dataset; describedby its DCAT; item each dump; license; type Dataset, AboutPage
    resource page  cite-as the resource IRI; describedby its RDF; license; type AboutPage; collection the dataset
"""

from __future__ import annotations

from collections.abc import Iterable

from mgkg.namespaces import BASE_IRI, SCHEMA
from mgkg.pages.addresses import data_path, dataset_path, resource_iri
from mgkg.pages.dataset import DATASET_IRI, LICENSE, download_url
from mgkg.pages.describe import RDF_FORMS
from mgkg.pages.release import Release

#: The RDF forms a describedby link offers (the others are one negotiation away).
DESCRIBED_BY = ("ttl", "jsonld")


def link_header(links: Iterable[tuple[str, str, str | None]]) -> str:
    """A Link header value (RFC 8288) from (target, rel, media type or None)."""
    return ", ".join(f'<{target}>; rel="{rel}"' + (f'; type="{kind}"' if kind else "") for target, rel, kind in links)


def home_links(release: Release) -> str:
    """The landing page's links: the dataset's identifier, description, files, licence and type."""
    links: list[tuple[str, str, str | None]] = [(DATASET_IRI, "cite-as", None)]
    links += [(_public(dataset_path(ext)), "describedby", RDF_FORMS[ext].media_type) for ext in DESCRIBED_BY]
    links += [(download_url(dump), "item", dump.media_type) for dump in release.dumps]
    links += [(LICENSE, "license", None), (SCHEMA + "Dataset", "type", None), (SCHEMA + "AboutPage", "type", None)]
    return link_header(links)


def resource_links(slug: str) -> str:
    """A resource page's links: its IRI to cite, its RDF, the licence, its type and the dataset it belongs to."""
    links: list[tuple[str, str, str | None]] = [(resource_iri(slug), "cite-as", None)]
    links += [(_public(data_path(slug, ext)), "describedby", RDF_FORMS[ext].media_type) for ext in DESCRIBED_BY]
    links += [(LICENSE, "license", None), (SCHEMA + "AboutPage", "type", None), (DATASET_IRI, "collection", None)]
    return link_header(links)


def _public(path: str) -> str:
    return BASE_IRI + path.lstrip("/")
