"""Every page a reader can reach, in real Chromium: it loads, logs no console error and asks nothing of another host.

The other browser tests check what a page does; this one checks that no page is left out of "no console error,
no external request", on the live server and on the static mirror under a sub-path.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

# Files a page links to for download rather than for reading: fetched by other tests, not opened as pages.
DOWNLOADS = (".ttl", ".nt", ".jsonld", ".rdf", ".csv", ".gz", ".nq", ".trig", ".json", ".txt", ".svg", ".wasm")
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
DATA_FOLDERS = ("/downloads/", "/data/", "/.well-known/")


def _pages_reachable_from(tab, start: str, limit: int = 300) -> list[str]:
    """Open `start`, then every same-site page it links to, breadth first; fail on a page that does not load.

    A path is opened once, by the first link found to it: the sort orders, kind filters and query permalinks
    of one page are the same page, and each is tested where it is made."""
    base = tab.base.rstrip("/") + "/"
    queue, seen, paths = [start], {start}, {urlsplit(start).path}
    while queue:
        url = queue.pop(0)
        forward = REFRESH.search(tab.page.request.get(url).text())
        if forward:  # the mirror's /id/ pages forward to /page/, as the server's 303 does: open the target
            url = urljoin(url, forward.group(1))
        response = tab.page.goto(url)
        assert response is not None and response.ok, f"{url} answered {response and response.status}"
        assert tab.errors == [], f"console errors on {url}: {tab.errors}"
        for href in tab.page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            target = urldefrag(urljoin(url, href)).url
            path = urlsplit(target).path
            if target.startswith(base) and path not in paths and not path.endswith(DOWNLOADS) \
                    and not any(folder in path for folder in DATA_FOLDERS):
                seen.add(target)
                paths.add(path)
                queue.append(target)
        assert len(seen) <= limit, f"more than {limit} pages: the crawl is following a loop"
    return sorted(seen)


def test_every_page_of_the_server_loads_cleanly(tab, live_server) -> None:
    pages = _pages_reachable_from(tab, live_server + "/")
    paths = {urlsplit(page).path for page in pages}
    # the crawl really reaches each kind of page, not only the home page
    for kind in ("/page/unhcr", "/class/Forum", "/ontology", "/timeline", "/search", "/sparql"):
        assert any(path.startswith(kind) for path in paths), kind


def test_every_page_of_the_mirror_loads_cleanly(mirror_tab, mirror) -> None:
    pages = _pages_reachable_from(mirror_tab, mirror + "/index.html")
    assert any("/page/unhcr" in page for page in pages)
    assert any("/class/Forum" in page for page in pages)
