"""Every example in the README and docs that shows output still prints that output, so no figure goes stale."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import doc_examples  # scripts/ is not a package: its folder goes on the path first


def test_the_documents_have_examples_with_output() -> None:
    examples = list(doc_examples.examples())
    assert len(examples) >= 10
    assert all(any(output.strip() for output in example.outputs) for example in examples), \
        [e.where for e in examples if not any(o.strip() for o in e.outputs)]


def test_every_example_prints_what_the_documents_say() -> None:
    assert doc_examples.stale() == [], "run `make docs-examples` and review the diff"
