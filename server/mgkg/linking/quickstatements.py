"""Facts Wikidata lacks, as QuickStatements V1 commands with references; the rest as a review table.

A command is one tab-separated line: item, property, value, then the reference as source
pairs: S854 (reference URL: the quoted source's DOI at doi.org, or its URL) and S813 (retrieved:
the day of the comparison). A fact with two citable sources gets a line for each, which
QuickStatements adds as two references. Conflicts, and missing facts whose sources have no
URL, never become commands: they go to the review table for a person to decide.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from mgkg.linking.wikidata import Comparison, Fact
from mgkg.namespaces import compact

REVIEW_FIELDS = ["slug", "qid", "property", "pid", "mgkg_value", "wikidata_values", "status", "reason"]


def commands(comparisons: list[Comparison], retrieved: date) -> list[str]:
    """The V1 commands that add each missing fact with its references."""
    lines = []
    for comparison in comparisons:
        fact = comparison.fact
        if comparison.status != "missing":
            continue
        for url in fact.references:
            lines.append("\t".join([fact.qid, fact.pid, value(fact), "S854", _quoted(url), "S813",
                                    f"+{retrieved.isoformat()}T00:00:00Z/11"]))
    return lines


def value(fact: Fact) -> str:
    """A fact's value in V1 syntax: a QID, a quoted string, or a time with its precision."""
    if fact.kind == "item":
        return fact.value
    if fact.kind == "time":
        year, month, day = ([*fact.value.split("-"), "00", "00"])[:3]
        return f"+{year}-{month}-{day}T00:00:00Z/{fact.precision}"
    text = fact.value.upper() if fact.pid == "P356" else fact.value  # Wikidata writes DOIs in capitals
    return _quoted(text)


def review_table(comparisons: list[Comparison]) -> str:
    """The facts a person must look at, as CSV: conflicts, and missing facts with no citable source."""
    out = io.StringIO()
    writer = csv.DictWriter(out, REVIEW_FIELDS, lineterminator="\n")
    writer.writeheader()
    for comparison in comparisons:
        fact = comparison.fact
        if comparison.status == "conflict":
            reason = "Wikidata states another value"
        elif comparison.status == "missing" and not fact.references:
            reason = "missing on Wikidata, but no quoted source has a DOI or URL to cite"
        else:
            continue
        writer.writerow({"slug": fact.slug, "qid": fact.qid, "property": compact(fact.property), "pid": fact.pid,
                         "mgkg_value": fact.value, "wikidata_values": "; ".join(comparison.wikidata),
                         "status": comparison.status, "reason": reason})
    return out.getvalue()


def _quoted(text: str) -> str:
    # V1 has no escapes: a URL's own quote would be %22 anyway, and tabs or line breaks would end the field.
    return '"' + text.replace('"', "%22").replace("\t", " ").replace("\n", " ") + '"'
