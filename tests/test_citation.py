"""Citing MGKG: CITATION.cff (valid CFF 1.2), the changelog and the code name one version and date, and
every page carries a "cite this" block in BibTeX and CSL-JSON."""

from __future__ import annotations

import html
import json
import re
import tomllib

import jsonschema
import pytest
import yaml
from fastapi.testclient import TestClient

from conftest import ROOT
from mgkg import __version__
from mgkg.pages.citation import Citation
from mgkg.pages.dataset import version_iri
from mgkg.pages.release import FIRST_RELEASE_DATE, RELEASE_DATE
from mgkg.web.app import create_app

CFF_SCHEMA = ROOT / "tests" / "vendor" / "cff-1.2.0" / "schema.json"


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_cff_1_2(cff) -> None:
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    # YAML reads an unquoted date as a date object; CFF's schema wants the text, which the file quotes.
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())
    assert cff["cff-version"] == "1.2.0"


def test_an_invalid_citation_file_is_caught(cff) -> None:
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError, match="authors"):
        jsonschema.validate({k: v for k, v in cff.items() if k != "authors"}, schema)


def test_one_version_and_date_everywhere(cff) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == __version__  # an installed copy older than pyproject fails here
    assert (cff["version"], cff["date-released"]) == (__version__, RELEASE_DATE)
    assert {i["value"] for i in cff["identifiers"]} == {version_iri(__version__)}
    headings = re.findall(r"^## (\S+) — (\d{4}-\d{2}-\d{2})$", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert headings[0] == (__version__, RELEASE_DATE)
    assert headings[-1][1] == FIRST_RELEASE_DATE
    assert [h[1] for h in headings] == sorted((h[1] for h in headings), reverse=True)


def test_cited_references_are_sources_of_the_graph(cff, graph_store) -> None:
    dois = {row["d"].value for row in graph_store.query(
        "SELECT ?d { ?s a <https://w3id.org/mgkg/ontology#SourceDocument> ; <https://w3id.org/mgkg/ontology#doi> ?d }")}
    assert {ref["doi"] for ref in cff["references"] if "doi" in ref} <= dois


@pytest.fixture(scope="module")
def client(settings, site_store) -> TestClient:
    return TestClient(create_app(settings, store=site_store))


def cite_block(page: str) -> tuple[str, str, list[dict]]:
    """The text, BibTeX and CSL-JSON of a page's cite block."""
    block = re.search(r'<details class="cite">(.*?)</details>', page, re.DOTALL)
    assert block, "no cite block"
    text = html.unescape(re.search(r'<p class="cite-text">(.*?)</p>', block[1], re.DOTALL)[1])
    bibtex = html.unescape(re.search(r'<pre class="bibtex">(.*?)</pre>', block[1], re.DOTALL)[1])
    csl = json.loads(html.unescape(re.search(r'<pre class="csl-json">(.*?)</pre>', block[1], re.DOTALL)[1]))
    return text, bibtex, csl


@pytest.mark.parametrize("path", ["/", "/page/unhcr", "/class/Organisation", "/ontology.html", "/search?q=UN",
                                  "/timeline", "/sparql", "/page/no-such-thing"])
def test_every_page_carries_a_cite_block_with_version_and_date(client, path) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    text, bibtex, csl = cite_block(response.text)
    assert __version__ in text and RELEASE_DATE in text
    assert re.match(r"@misc\{mgkg-[\w.-]+,\n", bibtex) and f"version = {{{__version__}}}" in bibtex
    assert bibtex.count("{") == bibtex.count("}")
    assert csl[0]["version"] == __version__ and csl[0]["type"] == "dataset"
    assert csl[0]["issued"] == {"date-parts": [[int(part) for part in RELEASE_DATE.split("-")]]}


def test_a_resource_page_cites_the_resource_within_the_dataset(client) -> None:
    text, bibtex, csl = cite_block(client.get("/page/unhcr").text)
    assert csl[0]["URL"] == "https://w3id.org/mgkg/id/unhcr" and csl[0]["container-title"].startswith("MGKG")
    assert "howpublished = {MGKG" in bibtex and "https://w3id.org/mgkg/id/unhcr" in text


def test_bibtex_escapes_what_latex_would_read_as_commands() -> None:
    entry = Citation("Fees & charges: 10% of {x}_1 #2", "https://w3id.org/mgkg/id/x", "k").bibtex()
    assert r"title = {Fees \& charges: 10\% of \{x\}\_1 \#2}" in entry
