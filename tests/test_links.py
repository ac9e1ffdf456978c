"""No link is executable: a page links an IRI only when its scheme is http, https or mailto, and shows
any other as text, on the live pages and in the static mirror (which carries its CSP in a <meta>)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURES
from mgkg.pages.addresses import href, is_safe_to_link
from mgkg.pages.mirror import export_site
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore
from mgkg.web.app import create_app

HOSTILE = FIXTURES / "links" / "resource-with-executable-links.ttl"
#: Every IRI of the fixture that must not become a link, and the ones that must.
EXECUTABLE = ["javascript:alert(1)", "javascript:alert(2)", "JaVaScRiPt:alert(3)", "vbscript:msgbox(4)",
              "data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==", "DATA:text/html,alert(6)",
              "javascript:alert(7)", "javascript:alert(9)", "urn:isbn:0451450523"]
LINKED = ["https://example.org/a?b=1&c=2", "mailto:someone@example.org"]


class _Targets(HTMLParser):
    """Every URL a page would make the browser follow, as the browser reads it (references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.csp: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.urls += [value or "" for name, value in attrs if name in ("href", "src", "action", "formaction")]
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(attributes.get("content") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def targets(page: str) -> _Targets:
    parsed = _Targets()
    parsed.feed(page)
    return parsed


def followed_scheme(url: str) -> str | None:
    """The scheme a browser would act on (tabs and line breaks dropped, ends trimmed), None if relative."""
    seen = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", seen)
    return match.group(1).lower() if match else None


def assert_nothing_executable(page: str) -> _Targets:
    parsed = targets(page)
    schemes = {followed_scheme(url) for url in parsed.urls}
    assert schemes <= {None, "http", "https", "mailto"}, sorted(u for u in parsed.urls if followed_scheme(u))
    return parsed


@pytest.fixture(scope="module")
def hostile_store(settings: Settings) -> EmbeddedStore:
    return EmbeddedStore.in_memory([settings.ontology_dir, FIXTURES / "site", HOSTILE], settings.root)


@pytest.fixture(scope="module")
def client(settings: Settings, hostile_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(settings, store=hostile_store))


@pytest.mark.parametrize("iri", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "\x01\x02javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)", "javascript:alert(1)\x00 ",
    "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "javascript&colon;alert(1)", "javascript&#58;alert(1)",
    "vbscript:msgbox(1)", "VBScript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "\tdata:text/html,x",
    "file:///etc/passwd", "urn:isbn:0451450523", "relative/path", "",
])
def test_iris_with_any_other_scheme_are_no_link(iri: str) -> None:
    assert not is_safe_to_link(iri)
    assert href(iri) is None


@pytest.mark.parametrize("iri", ["http://example.org/", "HTTPS://example.org/a?b=1&c=2", "mailto:a@example.org",
                                 "https://www.wikidata.org/entity/Q1"])
def test_http_https_and_mailto_iris_link_to_themselves(iri: str) -> None:
    assert href(iri) == iri


def test_a_resource_page_shows_executable_iris_as_text(client: TestClient) -> None:
    page = client.get("/page/test-hostile")
    assert page.status_code == 200
    parsed = assert_nothing_executable(page.text)
    text = "".join(parsed.text)
    for iri in EXECUTABLE:
        assert iri in text, iri
    assert set(LINKED) <= set(parsed.urls)


@pytest.mark.parametrize("path", ["/page/test-hostile", "/", "/ontology.html", "/class/Forum", "/search?q=test",
                                  "/timeline", "/sparql"])
def test_no_live_page_links_an_executable_iri(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert_nothing_executable(response.text)


def test_the_mirror_links_nothing_executable_and_carries_its_csp_in_a_meta(tmp_path: Path,
                                                                           hostile_store: EmbeddedStore) -> None:
    export_site(hostile_store, tmp_path)
    pages = sorted(tmp_path.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        page = path.read_text(encoding="utf-8")
        parsed = assert_nothing_executable(page)
        assert len(parsed.csp) == 1, path
        assert "default-src 'none'" in parsed.csp[0] and "script-src 'self'" in parsed.csp[0], path
        # before anything is loaded: a <meta> policy holds only for what comes after it
        loads = [found for found in (page.find("<link"), page.find("<script")) if found >= 0]
        assert page.index("Content-Security-Policy") < min(loads, default=len(page)), path
    hostile = (tmp_path / "page" / "test-hostile" / "index.html").read_text(encoding="utf-8")
    assert all(iri in "".join(targets(hostile).text) for iri in EXECUTABLE)


def test_the_live_header_and_the_meta_state_one_policy(client: TestClient) -> None:
    response = client.get("/page/test-hostile")
    header = response.headers["content-security-policy"]
    (meta,) = targets(response.text).csp
    assert header.startswith(meta) and "frame-ancestors 'none'" in header and "frame-ancestors" not in meta
