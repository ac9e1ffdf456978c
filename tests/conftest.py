"""Shared fixtures: the real graph loaded once, paths to the test data files, and the tools some
tests need beyond Python (each missing one skips its tests with one line saying how to install it)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
import uvicorn

from mgkg.rdf_files import graph_sources
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore
from mgkg.web.serving import server_config

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


_MISSING = "missing "


def skip_without(what: str, install: str) -> NoReturn:
    """Skip a test for want of a tool (or the source texts), saying what installs it."""
    pytest.skip(f"{_MISSING}{what}: {install}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Report every skip_without at this file, so `pytest -ra` sums up each missing tool in one line
    (pytest would name each test's own location, one line per test)."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].startswith("Skipped: " + _MISSING):
        report.longrepr = (__file__, None, report.longrepr[2])
    return report


@pytest.fixture(scope="session")
def java() -> None:
    """HermiT (the OWL reasoner) runs on Java."""
    if shutil.which("java") is None:
        skip_without("Java, which HermiT needs", "apt-get install default-jre-headless (make test does, as root)")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=ROOT, workers=0)  # in-process: tests needing workers start their own


@pytest.fixture(scope="session")
def graph_store(settings: Settings) -> EmbeddedStore:
    """The shipped ontology and data, loaded into memory once for the whole session."""
    return EmbeddedStore.in_memory(graph_sources(settings), settings.root)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port of 127.0.0.1 in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, "warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve `folder` with `python -m http.server` on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def site_store(settings: Settings) -> EmbeddedStore:
    """Ontology, sources and a small refugee-regime sample (with HTML in one label) for the page tests."""
    sources = [settings.ontology_dir, settings.data_dir / "sources.ttl", FIXTURES / "site"]
    return EmbeddedStore.in_memory(sources, settings.root)
