"""Class pages as tables: sorted by any column on the server, and downloaded as CSV that a spreadsheet opens
safely (RFC 4180, UTF-8, formulas written as text)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from mgkg.settings import Settings
from mgkg.web.app import create_app


@pytest.fixture(scope="module")
def client(settings, site_store) -> TestClient:
    return TestClient(create_app(Settings(root=settings.root), store=site_store))


def column(page: str, index: int) -> list[str]:
    """The data-sort values of one column of the class table, top to bottom."""
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r'<td data-sort="([^"]*)"', row)[index] for row in body.split("</tr>")[:-1]]


def test_a_class_table_sorts_by_quotes_both_ways(client) -> None:
    ascending = column(client.get("/class/Forum", params={"sort": "quotes"}).text, 5)
    descending = column(client.get("/class/Forum", params={"sort": "-quotes"}).text, 5)
    assert [int(n) for n in ascending] == sorted(int(n) for n in ascending)
    assert [int(n) for n in descending] == sorted((int(n) for n in ascending), reverse=True)
    assert ascending[0] != descending[0]  # the fixtures' forums do not all have as many quotes


def test_rows_without_a_date_come_last_either_way(client) -> None:
    for sort in ("dates", "-dates"):
        dates = column(client.get("/class/Forum", params={"sort": sort}).text, 2)
        filled = [d for d in dates if d]
        assert filled == sorted(filled, reverse=sort.startswith("-")) and dates[len(filled):] == [""] * (
            len(dates) - len(filled))


def test_a_heading_links_to_its_sort_and_the_current_one_to_its_reverse(client) -> None:
    page = client.get("/class/Forum", params={"sort": "dates"}).text
    assert '<th scope="col" aria-sort="ascending"><a href="/class/Forum?sort=-dates" data-column="dates">' in page
    assert 'href="/class/Forum?sort=quotes" data-column="quotes"' in page
    assert '<a class="download" href="/class/Forum.csv" download>' in page


def test_an_unknown_sort_is_a_404_naming_the_columns(client) -> None:
    response = client.get("/class/Forum", params={"sort": "colour"}, headers={"Accept": "text/plain"})
    assert response.status_code == 404 and "'colour'" in response.text and "quotes" in response.text


def test_the_csv_has_iris_labels_and_every_row(client) -> None:
    response = client.get("/class/Forum.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="Forum.csv"' in response.headers["content-disposition"]
    assert response.content.count(b"\r\n") == response.content.count(b"\n")  # RFC 4180: CRLF line ends
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    gfmd = next(r for r in rows if r["iri"] == "https://w3id.org/mgkg/id/gfmd")
    assert gfmd["label"] == "Global Forum on Migration and Development" and gfmd["acronyms"] == "GFMD"
    assert gfmd["type"] == "global forum" and gfmd["type_iri"] == "https://w3id.org/mgkg/ontology#GlobalForum"
    assert gfmd["start"] == "2007" and gfmd["region_iri"] == "https://w3id.org/mgkg/id/world-region"
    page = client.get("/class/Forum").text
    assert len(rows) == int(re.search(r'<span class="count">(\d+)</span>', page).group(1))
    tricky = next(r for r in rows if r["iri"].endswith("/tricky-forum"))
    assert tricky["label"] == "Forum <script>alert('x')</script> & Co"  # CSV is data: no HTML escaping


def test_a_cell_that_would_be_a_formula_is_written_as_text(client) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/class/Region.csv").text)))
    region = next(r for r in rows if r["iri"].endswith("/world-region"))
    assert region["acronyms"] == "'=HYPERLINK(\"https://example.org/\",\"open\")"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


@pytest.mark.parametrize("path", ["/class/Nonsense.csv", "/class/a%0d%0aSet-Cookie:x.csv"])
def test_an_unknown_class_has_no_csv(client, path) -> None:
    assert client.get(path).status_code == 404
