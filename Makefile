# Every CI step is a target here; `.ci/run` only calls `make test` and `make test-integration`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help install install-test run test test-integration lint expected docs-examples reason validate bench bench-pages bench-validate bench-scale export-site editor clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/mgkg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

install: $(BIN)/mgkg  ## create .venv and install mgkg

$(VENV)/.test-deps: $(BIN)/mgkg
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install-test: $(VENV)/.test-deps  ## install what the tests need

run: install  ## load the graph into memory and serve it on http://127.0.0.1:8000
	$(BIN)/mgkg serve --host $(HOST) --port $(PORT)

lint: install-test  ## ruff and mypy (strict, as configured in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/mypy

expected: install  ## rewrite queries/expected/ and the table in queries/README.md (review the diff)
	$(BIN)/python scripts/regenerate_expected.py

docs-examples: install  ## rewrite the output of every console example in README.md and docs/ (review the diff)
	$(BIN)/python scripts/doc_examples.py --write

reason: install  ## OWL consistency of ontology + data with HermiT
	$(BIN)/mgkg reason

validate: install  ## SHACL validation of data/
	$(BIN)/mgkg validate

bench-validate: install  ## time `mgkg validate` against the pyshacl command line on the same files
	$(BIN)/python bench/validate.py

test: install-test  ## install test dependencies and run the suite (without the integration tests)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -m "not integration"

test-integration: install-test  ## the tests against a real Virtuoso (needs virtuoso-t: apt-get install virtuoso-opensource)
	$(BIN)/python -m pytest -m integration

$(VENV)/.bench-deps: $(BIN)/mgkg
	$(BIN)/pip install --quiet -e '.[bench]'
	@touch $@

bench-scale: $(VENV)/.bench-deps  ## load, start-up, memory and query mix at 100k, 1M, 10M triples vs rdflib-endpoint (long)
	$(BIN)/python bench/scale.py

bench: install-test  ## throughput and latency beside rdflib-endpoint and a bare pyoxigraph server (uses wrk if installed)
	$(BIN)/pip install --quiet -e '.[bench]'
	PYTHONPATH=server $(BIN)/python bench/bench.py

bench-pages: install-test  ## resource pages rendered per second, ours beside rdflib
	PYTHONPATH=server $(BIN)/python bench/pages.py

editor:  ## rebuild the query page's editor bundle (CodeMirror 6, pinned in editor/package-lock.json) with npm
	npm ci --prefix editor
	npm run build --prefix editor

export-site: install  ## write the whole site as static files into site/ (SITE=folder to change)
	$(BIN)/mgkg export-site $(or $(SITE),site)

clean:  ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
