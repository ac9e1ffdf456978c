"""How to cite the graph, or one of its resources, in the version a page shows: text, BibTeX and CSL-JSON.

Every page carries one: the home page and lists cite the dataset, a resource page cites the resource
as part of the dataset. The version and its date are the release's (pages/release.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from mgkg import __version__
from mgkg.pages.dataset import CREATOR, DATASET_IRI, TITLE
from mgkg.pages.release import RELEASE_DATE

_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_^~]")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


@dataclass(frozen=True)
class Citation:
    """A citable thing: the dataset itself, or a resource inside it (`part_of` names the dataset)."""

    title: str
    url: str
    key: str
    part_of: str | None = None
    version: str = __version__
    date: str = RELEASE_DATE

    @property
    def year(self) -> str:
        return self.date[:4]

    def text(self) -> str:
        """The reference as a person writes it."""
        within = f" In {self.part_of}" if self.part_of else ""
        return f"{CREATOR} ({self.year}). {self.title}.{within} (version {self.version}, {self.date}). {self.url}"

    def bibtex(self) -> str:
        """A BibTeX @misc entry (special characters escaped)."""
        fields = {"author": "{" + CREATOR + "}", "title": self.title, "year": self.year, "date": self.date,
                  "version": self.version, "url": self.url, "note": f"Version {self.version}, {self.date}"}
        if self.part_of:
            fields["howpublished"] = self.part_of
        lines = [f"  {name} = {{{value if name == 'author' else _bibtex_escape(value)}}}"
                 for name, value in fields.items()]
        return f"@misc{{{self.key},\n" + ",\n".join(lines) + "\n}"

    def csl(self) -> dict[str, object]:
        """The CSL-JSON item (the format Zotero and citeproc read)."""
        year, month, day = (int(part) for part in self.date.split("-"))
        item: dict[str, object] = {"id": self.key, "type": "dataset", "title": self.title,
                                   "author": [{"literal": CREATOR}], "issued": {"date-parts": [[year, month, day]]},
                                   "version": self.version, "URL": self.url, "publisher": CREATOR}
        if self.part_of:
            item["container-title"] = self.part_of
        return item

    def csl_json(self) -> str:
        return json.dumps([self.csl()], ensure_ascii=False, indent=1)


def _bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(0), "\\" + m.group(0)), text)


def dataset_citation() -> Citation:
    """The citation of the whole graph in this version."""
    return Citation(TITLE, DATASET_IRI, f"mgkg-{__version__}")


def resource_citation(label: str, iri: str, slug: str) -> Citation:
    """The citation of one resource, as described in this version of the graph."""
    return Citation(label, iri, f"mgkg-{__version__}-{slug}", part_of=f"{TITLE}")
