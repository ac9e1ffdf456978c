"""A clone anywhere: `make test` sets up what the suite needs, and where a tool cannot be had, its
tests are skipped with one line naming what is missing and the command that installs it."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from conftest import ROOT


def pytest_run(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """pytest in a fresh process over `args`, with `environ` overriding the environment."""
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, env={**os.environ, **environ}, capture_output=True, text=True, timeout=300)


def skip_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]


def test_without_java_the_reasoner_tests_skip_in_one_line() -> None:
    done = pytest_run("tests/test_reasoning.py", "tests/test_cli.py", "-k", "reason or consistent or contradiction",
                      PATH="/nonexistent")
    assert done.returncode == 0, done.stdout[-3000:]
    lines = skip_lines(done)
    assert len(lines) == 1, lines
    assert re.search(r"SKIPPED \[[6-9]\] .*Java.*apt-get install default-jre-headless", lines[0]), lines


def test_without_node_the_comunica_tests_skip_in_one_line() -> None:
    done = pytest_run("tests/test_clients.py", "-k", "comunica", PATH="/nonexistent")
    assert done.returncode == 0, done.stdout[-3000:]
    lines = skip_lines(done)
    assert len(lines) == 1 and "SKIPPED [2]" in lines[0] and "node" in lines[0], lines


def test_without_the_source_texts_the_quote_tests_skip_saying_where_to_put_them(tmp_path) -> None:
    absent = tmp_path / "seeds"
    done = pytest_run("tests/test_data.py", MGKG_SOURCES=str(absent))
    assert done.returncode == 0, done.stdout[-3000:]
    lines = skip_lines(done)
    assert len(lines) == 1 and "SKIPPED [2]" in lines[0], lines
    assert str(absent) in lines[0] and "MGKG_SOURCES" in lines[0]


def system_packages(bin_dir: Path, uid: int) -> tuple[str, str]:
    """`make system-packages` on a PATH of stubs only (so java is missing): `id -u` says `uid`, and
    apt-get records what it is asked. Returns make's output and apt-get's record."""
    bin_dir.mkdir()
    record = bin_dir / "apt-get.log"
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {record}\n')
    for stub in ("id", "apt-get"):
        (bin_dir / stub).chmod(0o755)
    done = subprocess.run([shutil.which("make") or "make", "-s", "system-packages"], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": str(bin_dir)}, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout, record.read_text() if record.exists() else ""


@pytest.mark.parametrize(("uid", "installs"), [(0, True), (1000, False)])
def test_make_installs_missing_java_with_apt_get_only_as_root(tmp_path, uid: int, installs: bool) -> None:
    out, apt = system_packages(tmp_path / "bin", uid)
    if installs:
        assert "update -qq" in apt and "install -y -qq --no-install-recommends default-jre-headless" in apt, apt
    else:
        assert apt == ""
        assert "install as root: apt-get install default-jre-headless" in out, out


def test_make_test_installs_comunica_java_and_chromium_itself() -> None:
    plan = subprocess.run(["make", "-n", "-B", "test"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "npm ci --prefix tests/clients" in plan
    assert "apt-get install" in plan
    assert "default-jre-headless" in (ROOT / "Makefile").read_text() and "chromium" in (ROOT / "Makefile").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "npm" not in ci and "default-jre-headless" not in ci and "chromium" not in ci  # make does those
    assert "make test\n" in ci and "make test-integration" in ci


#: Test dependencies the tests use through a library, not by an import of their own: module using it.
INDIRECT = {"httpx2": "starlette.testclient"}


def test_every_test_dependency_is_imported_by_the_tests_or_a_library_of_theirs_or_run_by_make() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    names = {re.split(r"[<>=\[ ]", requirement, maxsplit=1)[0].lower() for requirement in extras}
    modules: dict[str, set[str]] = {}
    for module, dists in packages_distributions().items():
        for dist in dists:
            modules.setdefault(dist.lower(), set()).add(module)
    code = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("*.py"))
    imported = set(re.findall(r"^\s*(?:import|from) (\w+)", code, re.MULTILINE))
    makefile = (ROOT / "Makefile").read_text()
    for name, user in INDIRECT.items():  # each indirect use is real: the library imports it
        spec = importlib.util.find_spec(user)
        assert spec is not None and spec.origin is not None, user
        assert re.search(rf"^\s*import {name}\b", Path(spec.origin).read_text(), re.MULTILINE), (name, user)
    unused = [name for name in sorted(names) if not modules.get(name, set()) & imported
              and name not in INDIRECT and not re.search(rf"\$\(BIN\)/{re.escape(name)}\b", makefile)]
    assert unused == []
