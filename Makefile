# Every CI step is a target here; `.ci/run` only adds what make cannot do (Virtuoso) and calls
# `make test` and `make test-integration`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help install install-test system-packages run test test-integration lint expected docs-examples reason validate bench profile bench-pages bench-reconcile bench-validate bench-scale export-site editor release clean

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

# Comunica, the node SPARQL client of tests/test_clients.py, pinned by its lock file; without node
# its tests skip and say so. A failed install (offline) is reported and skipped the same way.
CLIENTS = tests/clients
$(CLIENTS)/node_modules/.package-lock.json: $(CLIENTS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	    npm ci --prefix $(CLIENTS) --no-audit --no-fund --loglevel=error \
	    || echo "make: npm ci --prefix $(CLIENTS) failed; the Comunica tests will be skipped"; \
	else echo "make: node is not installed; the Comunica tests will be skipped"; fi

# Java (HermiT) and Chromium (browser tests), installed with apt-get only when missing and only as
# root; otherwise the tests needing them skip, naming the package.
SYSTEM_PACKAGES = $(if $(shell command -v java),,default-jre-headless) $(if $(wildcard /usr/bin/chromium),,chromium)
system-packages:  ## apt-get install Java and Chromium when missing (as root; else their tests skip)
	@missing="$(strip $(SYSTEM_PACKAGES))"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	    || echo "make: apt-get install $$missing failed; the tests needing it will be skipped"; \
	else echo "make: $$missing missing (install as root: apt-get install $$missing); the tests needing it will be skipped"; fi

install-test: $(VENV)/.test-deps $(CLIENTS)/node_modules/.package-lock.json system-packages  ## install what the tests need

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

test: install-test  ## install everything the suite needs, then run it (without the integration tests)
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

profile: install-test  ## where a /sparql request's CPU goes at c=1 and c=8, mgkg beside the bare server (needs wrk; py-spy from the bench extra)
	$(BIN)/pip install --quiet -e '.[bench]'
	PYTHONPATH=server $(BIN)/python bench/profile_requests.py

bench-pages: install-test  ## resource pages rendered per second, ours beside rdflib
	PYTHONPATH=server $(BIN)/python bench/pages.py

bench-reconcile: install-test  ## a batch of 100 reconciliation queries, ours beside a naive difflib matcher
	PYTHONPATH=server $(BIN)/python bench/reconcile.py

editor:  ## rebuild the query page's editor (CodeMirror 6) and the mirror's in-browser engine (Oxigraph), pinned in editor/package-lock.json, with npm
	npm ci --prefix editor
	npm run build --prefix editor

export-site: install  ## write the whole site as static files into site/ (SITE=folder to change)
	$(BIN)/mgkg export-site $(or $(SITE),site)

release: install  ## build the dumps of this version into release/{version}/ (RELEASE=folder to change)
	$(BIN)/mgkg release $(or $(RELEASE),release)

clean:  ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
