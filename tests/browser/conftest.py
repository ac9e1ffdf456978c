"""A live server on 127.0.0.1 and headless Debian Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from conftest import skip_without, static_server
from mgkg.pages.mirror import export_site
from mgkg.queries import load_examples
from mgkg.settings import Settings
from mgkg.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: The accessible name of the header's search box, the one search box of every page.
SEARCH_BOX = "Search names, acronyms, descriptions and quotes"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def live_server_root(tmp_path_factory) -> Path:
    """The live server's root: no data of its own (the store is the page fixtures), one example query."""
    root = tmp_path_factory.mktemp("root")
    (root / "queries").mkdir()
    (root / "queries" / "forums.rq").write_text(
        "# Question: Which forums does the graph know, by name?\n"
        "PREFIX mg: <https://w3id.org/mgkg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?forum ?name WHERE { ?forum a mg:Forum ; rdfs:label ?name } ORDER BY ?name\n"  # types entailed
    )
    return root


@pytest.fixture(scope="session")
def live_server(live_server_root, site_store) -> Iterator[str]:
    """The app over the page fixtures, with one example query, served by uvicorn in a thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(root=live_server_root), store=site_store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="package")  # Playwright holds an event loop open: close it after these tests
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).is_file():
        skip_without("Chromium, which the browser tests drive", "apt-get install chromium (make test does, as root)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A page that records console errors and any request leaving 127.0.0.1, and saves screenshots."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@contextmanager
def open_tab(browser, base: str) -> Iterator[Tab]:
    """A fresh tab on `base`; on leaving, fails on any console error or request that left 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    opened = Tab(context.new_page(), base)
    yield opened
    context.close()
    assert opened.errors == [], opened.errors
    assert opened.external == [], opened.external


@pytest.fixture
def tab(browser, live_server) -> Iterator[Tab]:
    with open_tab(browser, live_server) as opened:
        yield opened


@pytest.fixture(scope="session")
def mirror(tmp_path_factory, site_store, live_server_root) -> Iterator[str]:
    """The export of the page fixtures (with the live server's example), served under /sub/path/ by
    `python -m http.server` on 127.0.0.1."""
    host = tmp_path_factory.mktemp("mirror")
    export_site(site_store, host / "sub" / "path", load_examples(live_server_root / "queries"))
    with static_server(host) as base:
        yield base + "/sub/path"


@pytest.fixture
def mirror_tab(browser, mirror) -> Iterator[Tab]:
    with open_tab(browser, mirror) as opened:
        yield opened
