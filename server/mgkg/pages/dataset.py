"""The graph described as a dataset, where assessors look: schema.org Dataset JSON-LD and DCAT 3.

Both come from one model: the fixed facts below (title, creator, licence, keywords), the version and
its date (pages/release.py), the five source documents the store holds, and the release's dumps with
their sizes and checksums. Addresses are the public ones (https://w3id.org/mgkg/...), as every IRI of
the graph is, so the live site, the static mirror and the dumps describe the dataset alike.

    https://w3id.org/mgkg/                    the landing page, and the DCAT catalog
    https://w3id.org/mgkg/dataset             the graph, all versions (dcat:hasVersion)
    https://w3id.org/mgkg/dataset/{version}   one version, with its distributions (the dumps)
    https://w3id.org/mgkg/downloads/{file}    a dump (dcat:downloadURL, schema:contentUrl)
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from mgkg.namespaces import BASE_IRI, DCAT, DCTERMS, FOAF, ONTOLOGY_IRI, PROV, RDF, RDFS, SPDX, XSD, prologue
from mgkg.pages.addresses import download_path
from mgkg.pages.describe import serialize
from mgkg.pages.release import FIRST_RELEASE_DATE, Dump, Release, build_release
from mgkg.store.base import SparqlStore, select

TITLE = "MGKG: the Migration Governance Knowledge Graph"
DESCRIPTION = (
    "A knowledge graph of how the world governs international migration: the regimes, instruments, forums "
    "and actors involved, how they relate, and when things happened, drawn from five source documents. "
    "Every fact carries a verbatim quote from the source it comes from. Published as RDF (N-Quads, TriG, "
    "JSON-LD), with an OWL ontology, SHACL shapes and a SPARQL endpoint.")
KEYWORDS = ("migration governance", "international migration", "refugees", "labour migration",
            "global governance", "international organisations", "knowledge graph", "linked data")
CREATOR = "The MGKG contributors"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "Creative Commons Attribution 4.0 International"
LANGUAGE = "en"

CATALOG_IRI = BASE_IRI
DATASET_IRI = BASE_IRI + "dataset"
AGENT_IRI = BASE_IRI + "#contributors"
SPARQL_URL = BASE_IRI + "sparql"
SERVICE_IRI = SPARQL_URL + "#service"
#: The EU's language authority, which the DCAT-AP shapes expect for dct:language.
LANGUAGE_IRI = "http://publications.europa.eu/resource/authority/language/ENG"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"

_SOURCES = prologue("mg", "rdfs", "dcterms") + """
SELECT ?s (SAMPLE(?label) AS ?name) (SAMPLE(?title) AS ?t) (SAMPLE(?doi) AS ?d) (SAMPLE(STR(?date)) AS ?when)
WHERE {
  ?s a mg:SourceDocument ; rdfs:label ?label .
  OPTIONAL { ?s dcterms:title ?title } OPTIONAL { ?s mg:doi ?doi } OPTIONAL { ?s mg:publicationDate ?date }
} GROUP BY ?s ORDER BY ?s"""


def version_iri(version: str) -> str:
    """The IRI of one version of the dataset."""
    return f"{DATASET_IRI}/{version}"


def download_url(dump: Dump) -> str:
    """The public address of a dump."""
    return BASE_IRI + download_path(dump.name).lstrip("/")


@dataclass(frozen=True)
class Source:
    """One source document the graph's facts quote."""

    iri: str
    title: str
    doi: str | None
    date: str | None


def sources(store: SparqlStore) -> list[Source]:
    """The source documents, by IRI."""
    found = []
    for row in select(store, _SOURCES):
        title = row["t"] or row["name"]
        found.append(Source(row["s"].value, title.value, row["d"].value if row["d"] else None,
                            row["when"].value if row["when"] else None))
    return found


def schema_org(release: Release, cited: list[Source]) -> dict[str, object]:
    """The schema.org Dataset of Google's dataset guidelines, as a JSON-LD object."""
    agent = {"@type": "Organization", "@id": AGENT_IRI, "name": CREATOR, "url": BASE_IRI}
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": DATASET_IRI,
        "name": TITLE,
        "alternateName": "MGKG",
        "description": DESCRIPTION,
        "identifier": version_iri(release.version),
        "url": BASE_IRI,
        "creator": agent,
        "publisher": agent,
        "license": LICENSE,
        "version": release.version,
        "datePublished": FIRST_RELEASE_DATE,
        "dateModified": release.date,
        "keywords": list(KEYWORDS),
        "isAccessibleForFree": True,
        "inLanguage": LANGUAGE,
        "schemaVersion": ONTOLOGY_IRI,
        "isBasedOn": [_creative_work(source) for source in cited],
        "distribution": [
            {"@type": "DataDownload", "name": dump.name, "contentUrl": download_url(dump),
             "encodingFormat": dump.format.media_type, "contentSize": f"{dump.size} B", "sha256": dump.sha256}
            for dump in release.dumps],
        "potentialAction": {
            "@type": "SearchAction", "name": "Query the graph in SPARQL", "query-input": "required name=query",
            "target": {"@type": "EntryPoint", "urlTemplate": SPARQL_URL + "?query={query}",
                       "contentType": ["application/sparql-results+json", "text/turtle"]}},
    }


def _creative_work(source: Source) -> dict[str, object]:
    work: dict[str, object] = {"@type": "CreativeWork", "@id": source.iri, "name": source.title}
    if source.doi:
        work["identifier"] = f"https://doi.org/{source.doi}"
    if source.date:
        work["datePublished"] = source.date
    return work


def schema_org_script(release: Release, cited: list[Source]) -> str:
    """The schema.org description as JSON, safe inside a <script> element."""
    text = json.dumps(schema_org(release, cited), ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c")  # a "<" could end the element early; JSON allows the escape


DCT = DCTERMS

Node = ox.NamedNode | ox.BlankNode


class _Triples:
    """A list of triples with terse adders for IRIs, English text and typed values."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, subject: Node | str, predicate: str, value: ox.NamedNode | ox.BlankNode | ox.Literal | str) -> None:
        node = ox.NamedNode(subject) if isinstance(subject, str) else subject
        term = ox.NamedNode(value) if isinstance(value, str) else value
        self.triples.append(ox.Triple(node, ox.NamedNode(predicate), term))

    def text(self, subject: Node | str, predicate: str, text: str) -> None:
        self.add(subject, predicate, ox.Literal(text, language=LANGUAGE))

    def typed(self, subject: Node | str, predicate: str, value: str, datatype: str) -> None:
        self.add(subject, predicate, ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)))


def dcat(release: Release, cited: list[Source]) -> list[ox.Triple]:
    """The DCAT 3 description: the catalog, the dataset and its version, their distributions, the endpoint."""
    g = _Triples()
    version = version_iri(release.version)
    g.add(CATALOG_IRI, RDF + "type", DCAT + "Catalog")
    g.text(CATALOG_IRI, DCT + "title", TITLE)
    g.text(CATALOG_IRI, DCT + "description", "The MGKG site: its dataset, in every version, and its SPARQL endpoint.")
    g.add(CATALOG_IRI, FOAF + "homepage", BASE_IRI)
    g.add(CATALOG_IRI, DCAT + "dataset", DATASET_IRI)
    g.add(CATALOG_IRI, DCAT + "service", SERVICE_IRI)
    g.typed(CATALOG_IRI, DCT + "issued", FIRST_RELEASE_DATE, "date")
    g.typed(CATALOG_IRI, DCT + "modified", release.date, "date")
    g.add(CATALOG_IRI, DCT + "language", LANGUAGE_IRI)
    for about in (CATALOG_IRI, DATASET_IRI, version, SERVICE_IRI):
        g.add(about, DCT + "publisher", AGENT_IRI)
        g.add(about, DCT + "license", LICENSE)
    for about in (DATASET_IRI, version):
        g.add(about, RDF + "type", DCAT + "Dataset")
        g.text(about, DCT + "description", DESCRIPTION)
        g.add(about, DCT + "creator", AGENT_IRI)
        g.add(about, DCT + "language", LANGUAGE_IRI)
        g.add(about, DCAT + "landingPage", BASE_IRI)
        g.add(about, DCT + "conformsTo", ONTOLOGY_IRI)
        for keyword in KEYWORDS:
            g.text(about, DCAT + "keyword", keyword)
        for source in cited:
            g.add(about, PROV + "wasDerivedFrom", source.iri)
        for dump in release.dumps:
            g.add(about, DCAT + "distribution", _distribution_iri(release, dump))
    g.text(DATASET_IRI, DCT + "title", TITLE)
    g.add(DATASET_IRI, DCT + "identifier", ox.Literal(DATASET_IRI))
    g.typed(DATASET_IRI, DCT + "issued", FIRST_RELEASE_DATE, "date")
    g.typed(DATASET_IRI, DCT + "modified", release.date, "date")
    g.add(DATASET_IRI, DCAT + "hasVersion", version)
    g.add(DATASET_IRI, DCAT + "hasCurrentVersion", version)
    g.text(version, DCT + "title", f"{TITLE}, version {release.version}")
    g.add(version, DCT + "identifier", ox.Literal(version))
    g.add(version, DCAT + "version", ox.Literal(release.version))
    g.add(version, DCT + "isVersionOf", DATASET_IRI)
    g.typed(version, DCT + "issued", release.date, "date")
    for dump in release.dumps:
        _add_distribution(g, release, dump)
    _add_service(g)
    _add_context(g)
    return list(dict.fromkeys(g.triples))  # the media types of several dumps are typed once


def _distribution_iri(release: Release, dump: Dump) -> str:
    return f"{version_iri(release.version)}#{dump.format.extension}"


def _add_distribution(g: _Triples, release: Release, dump: Dump) -> None:
    node, url = _distribution_iri(release, dump), download_url(dump)
    g.add(node, RDF + "type", DCAT + "Distribution")
    g.text(node, DCT + "title", f"The whole graph in {dump.format.name.upper()}" + (", gzip" if dump.gzipped else ""))
    g.add(node, DCAT + "accessURL", url)
    g.add(node, DCAT + "downloadURL", url)
    g.text(node, DCT + "description", f"Every statement of version {release.version}, {dump.statements:,} in all, "
           "one named graph per source file.")
    g.add(node, DCAT + "mediaType", IANA_MEDIA_TYPES + dump.format.media_type)
    g.add(node, DCT + "format", IANA_MEDIA_TYPES + dump.format.media_type)
    if dump.gzipped:
        g.add(node, DCAT + "compressFormat", IANA_MEDIA_TYPES + "application/gzip")
    g.typed(node, DCAT + "byteSize", str(dump.size), "nonNegativeInteger")
    g.add(node, DCT + "license", LICENSE)
    g.typed(node, DCT + "issued", release.date, "date")
    checksum = ox.BlankNode()
    g.add(node, SPDX + "checksum", checksum)
    g.add(checksum, RDF + "type", SPDX + "Checksum")
    g.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
    g.typed(checksum, SPDX + "checksumValue", dump.sha256, "hexBinary")
    g.add(IANA_MEDIA_TYPES + dump.format.media_type, RDF + "type", DCT + "MediaTypeOrExtent")
    for media_type in {dump.format.media_type, *(["application/gzip"] if dump.gzipped else [])}:
        g.add(IANA_MEDIA_TYPES + media_type, RDF + "type", DCT + "MediaType")


def _add_service(g: _Triples) -> None:
    g.add(SERVICE_IRI, RDF + "type", DCAT + "DataService")
    g.text(SERVICE_IRI, DCT + "title", "The MGKG SPARQL endpoint")
    g.add(SERVICE_IRI, DCAT + "endpointURL", SPARQL_URL)
    g.add(SERVICE_IRI, DCAT + "endpointDescription", SPARQL_URL)  # GET /sparql: the SPARQL Service Description
    g.add(SERVICE_IRI, DCAT + "servesDataset", DATASET_IRI)
    g.add(SERVICE_IRI, DCT + "conformsTo", SPARQL_PROTOCOL)
    for keyword in ("SPARQL", "linked data"):
        g.text(SERVICE_IRI, DCAT + "keyword", keyword)
    g.add(SPARQL_URL, RDF + "type", RDFS + "Resource")


def _add_context(g: _Triples) -> None:
    """What the description links to, typed as DCAT-AP's range constraints ask."""
    g.add(AGENT_IRI, RDF + "type", FOAF + "Agent")
    g.add(AGENT_IRI, FOAF + "name", ox.Literal(CREATOR))
    g.add(LICENSE, RDF + "type", DCT + "LicenseDocument")
    g.text(LICENSE, RDFS + "label", LICENSE_NAME)
    g.add(LANGUAGE_IRI, RDF + "type", DCT + "LinguisticSystem")
    g.add(BASE_IRI, RDF + "type", FOAF + "Document")
    for standard in (ONTOLOGY_IRI, SPARQL_PROTOCOL):
        g.add(standard, RDF + "type", DCT + "Standard")
    g.add(SPDX + "checksumAlgorithm_sha256", RDF + "type", SPDX + "ChecksumAlgorithm")


def dcat_document(store: SparqlStore, extension: str) -> bytes:
    """The DCAT description of what `store` holds, in the RDF form of `extension`."""
    triples = dcat(build_release(store), sources(store))
    return serialize(triples, extension, CATALOG_IRI)
