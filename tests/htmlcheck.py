"""What every page must be: HTML5 that parses without error, accessible basics, only local links."""

from __future__ import annotations

from html.parser import HTMLParser

import html5lib


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.assets: list[str] = []
        self.inline_scripts = 0
        self._anchor_text: list[str] | None = None
        self.empty_anchors = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
            self._anchor_text = []
        if tag in ("link", "script", "img") and (attributes.get("href") or attributes.get("src")):
            self.assets.append(attributes.get("href") or attributes.get("src") or "")
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/ld+json":
            self.inline_scripts += 1

    def handle_data(self, data: str) -> None:
        if self._anchor_text is not None:
            self._anchor_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor_text is not None:
            if not "".join(self._anchor_text).strip():
                self.empty_anchors += 1
            self._anchor_text = None


def check_page(text: str) -> _Outline:
    """Assert the page is valid, accessible HTML5 without external requests; returns its outline."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
    outline = _Outline()
    outline.feed(text)
    assert text.startswith("<!DOCTYPE html>")
    assert outline.lang == "en"
    assert outline.headings[:1] == [1] and outline.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(outline.headings, outline.headings[1:], strict=False)), outline.headings
    assert len(outline.ids) == len(set(outline.ids)), "duplicate id"
    assert outline.empty_anchors == 0, "a link without text"
    assert outline.inline_scripts == 0
    # Assets are this site's own: root-absolute on the server, relative in the static mirror.
    local = [asset for asset in outline.assets if ":" not in asset.split("/")[0] and not asset.startswith("//")]
    assert local == outline.assets, outline.assets
    return outline
