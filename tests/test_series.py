"""A series' page (a forum with meetings, as the GFMD) has a table of its meetings, in order."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from mgkg.pages.series import series
from mgkg.settings import Settings
from mgkg.web.app import create_app


def test_meetings_run_in_order_with_number_host_city_and_chair(settings, site_store) -> None:
    meetings = series(site_store)["https://w3id.org/mgkg/id/gfmd"]
    # the file lists 2014 first
    assert [m.entry.slug for m in meetings] == ["gfmd-2007-brussels", "gfmd-2014-stockholm"]
    stockholm = meetings[1]
    assert (stockholm.number, stockholm.start, stockholm.end) == (7, "2014-05-14", "2014-05-16")
    named = [e.label for e in (*stockholm.hosts, *stockholm.cities, *stockholm.chairs)]
    assert named == ["Sweden", "Stockholm", "Sweden"]


def test_the_series_page_shows_the_meetings_table(settings, site_store) -> None:
    client = TestClient(create_app(Settings(root=settings.root), store=site_store))
    table = client.get("/page/gfmd").text.split('<table class="meetings">')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table)[1:]
    assert len(rows) == 2 and '<td class="num">1</td>' in rows[0] and '<a href="/page/belgium">Belgium</a>' in rows[0]
    assert "2014-05-14–2014-05-16" in rows[1] and '<a href="/page/stockholm">Stockholm</a>' in rows[1]
    assert '<table class="meetings">' not in client.get("/page/unhcr").text  # no meetings, no table
