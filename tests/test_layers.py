"""The rooms of server/mgkg hold: imports go one way (web -> pages -> checks/store -> base), read from the AST.

Each rule is a function over a package folder, so the tests below also run it on a copy of the
package with one throwaway module added (in the test's tmp folder, never in the code), to show
that the rule fails when a change breaks it.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "server" / "mgkg"
ROOMS = ("store", "checks", "pages", "web")
#: Room -> the rooms it may import from. Base modules (errors, settings, namespaces, formats, guard,
#: rdf_files, queries) import only each other; cli may import anything.
ALLOWED = {
    "base": {"base"},
    "store": {"base", "store"},
    "checks": {"base", "store", "checks"},
    "pages": {"base", "store", "checks", "pages"},
    "web": {"base", "store", "checks", "pages", "web"},
}
#: What pages may use of the store: the interface and the per-store cache, never an implementation.
PAGES_MAY_USE = {"mgkg.store", "mgkg.store.base", "mgkg.store.cache"}
#: Inside the store, the worker processes know only the interface and the engine (the cut cycle).
WORKERS_MAY_USE = {"mgkg.store", "mgkg.store.base", "mgkg.store.engine"}
HTTP_PACKAGES = ("fastapi", "starlette", "uvicorn")
MAX_LINES = 400
#: The first segment of every address the site answers (pages/addresses.py owns them all).
ADDRESS = re.compile(r"^/(?:id|page|data|class|ontology|search|timeline|sparql|static|api|\.well-known)\b")
ADDRESS_ATTRIBUTE = re.compile(r"""\b(?:href|src|action)=["']/[A-Za-z.]""")
JS_ADDRESS = re.compile(r"""["']/[A-Za-z.][^"']*["']""")


def modules(package: Path) -> Iterator[tuple[str, Path, ast.Module]]:
    """(dotted name, file, syntax tree) of every module of the package at `package`."""
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(package: Path, tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, module) of every mgkg module `tree` imports; `from mgkg.x import y` names mgkg.x.y if y is one."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "mgkg")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "mgkg":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                folder = package.parent.joinpath(*candidate.split("."))
                is_module = folder.with_suffix(".py").is_file() or (folder / "__init__.py").is_file()
                yield node.lineno, candidate if is_module else node.module


def room_of(module: str) -> str:
    parts = module.split(".")[1:]
    if parts and parts[0] in ROOMS:
        return parts[0]
    return "cli" if parts == ["cli"] else "base"


def layer_violations(package: Path) -> list[str]:
    """Every import that goes up (or sideways where it may not), as 'file:line: a imports b'."""
    found = []
    for name, path, tree in modules(package):
        room = room_of(name)
        if room == "cli":
            continue
        for line, target in imports(package, tree):
            where = f"{path.relative_to(package.parent)}:{line}: {name} imports {target}"
            target_room = room_of(target)
            if target_room not in ALLOWED[room]:
                found.append(f"{where} ({room} may not import {target_room})")
            elif room == "pages" and target_room == "store" and target not in PAGES_MAY_USE:
                found.append(f"{where} (pages use the store interface, not an implementation)")
            elif name == "mgkg.store.workers" and target_room == "store" and target not in WORKERS_MAY_USE:
                found.append(f"{where} (workers would close the store<->workers cycle)")
    return found


def cycles(package: Path) -> list[str]:
    """Import cycles between modules, each as 'a -> b -> a'."""
    graph = {name: {target for _, target in imports(package, tree)} for name, _, tree in modules(package)}
    found: list[str] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target == node or target not in graph:
                continue
            if state.get(target) == 1:
                found.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return found


def http_outside_web(package: Path) -> list[str]:
    """Modules outside web/ and the CLI that import an HTTP framework."""
    found = []
    for name, path, tree in modules(package):
        if room_of(name) in ("web", "cli"):
            continue
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            found += [f"{path.name}:{node.lineno}: {n}" for n in names if n.split(".")[0] in HTTP_PACKAGES]
    return found


def store_outside_store(package: Path) -> list[str]:
    """Uses of pyoxigraph's Store class (or a store's `.oxigraph`) outside store/."""
    found = []
    for name, path, tree in modules(package):
        if room_of(name) == "store":
            continue
        for node in ast.walk(tree):
            is_class = isinstance(node, ast.Attribute) and node.attr == "Store" and isinstance(node.value, ast.Name) \
                and node.value.id in ("ox", "pyoxigraph")
            if is_class or (isinstance(node, ast.Attribute) and node.attr == "oxigraph"):
                found.append(f"{path.relative_to(package)}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "pyoxigraph":
                found += [f"{path.name}:{node.lineno}: Store" for a in node.names if a.name == "Store"]
    return found


def function_level_imports(package: Path) -> list[str]:
    """Imports inside functions: they hide a module's dependencies (and cycles) from readers and tools."""
    found = []
    for _, path, tree in modules(package):
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [f"{path.relative_to(package)}:{node.lineno}" for node in ast.walk(function)
                          if isinstance(node, ast.Import | ast.ImportFrom)]
    return found


def literal_addresses(package: Path) -> list[str]:
    """Page and data addresses written outside pages/addresses.py: Python strings, template attributes, JS."""
    found = []
    for _, path, tree in modules(package):
        if path.name == "addresses.py":
            continue
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and ADDRESS.match(node.value):
                found.append(f"{path.relative_to(package)}:{node.lineno}: {node.value!r}")
    for template in sorted(package.rglob("templates/*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            found += [f"{template.relative_to(package)}:{number}: {m.group()}"
                      for m in ADDRESS_ATTRIBUTE.finditer(line)]
    for script in sorted(package.rglob("static/*.js")):
        for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("//", 1)[0]
            found += [f"{script.relative_to(package)}:{number}: {m.group()}" for m in JS_ADDRESS.finditer(code)]
    return found


def long_modules(package: Path) -> list[str]:
    return [f"{path.relative_to(package)}: {lines} lines" for _, path, _ in modules(package)
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]


RULES = [layer_violations, cycles, http_outside_web, store_outside_store, function_level_imports,
         literal_addresses, long_modules]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_the_package_keeps_the_rule(rule) -> None:
    assert rule(PACKAGE) == []


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of server/mgkg in the test's own folder, to add throwaway modules to."""
    copy = tmp_path / "mgkg"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


# A throwaway module per rule, each breaking it once: (file, text, rule, what the report names).
BREAKERS = [
    ("store/leak.py", "from mgkg.web.app import create_app\n", layer_violations, "store may not import web"),
    ("checks/leak.py", "from mgkg.pages import render\n", layer_violations, "checks may not import pages"),
    ("leak.py", "import mgkg.store.embedded\n", layer_violations, "base may not import store"),
    ("pages/leak.py", "from mgkg.store.embedded import EmbeddedStore\n", layer_violations, "not an implementation"),
    ("store/loop_a.py", "from mgkg.store import loop_b\n", cycles, "mgkg.store.loop_a -> mgkg.store.loop_b"),
    ("store/loop_b.py", "from mgkg.store import loop_a\n", cycles, "mgkg.store.loop_b -> mgkg.store.loop_a"),
    ("pages/leak.py", "from fastapi import Request\n", http_outside_web, "fastapi"),
    ("pages/leak.py", "import pyoxigraph as ox\nSTORE = ox.Store()\n", store_outside_store, ".Store"),
    ("web/leak.py", "def f(store):\n    return store.oxigraph\n", store_outside_store, ".oxigraph"),
    ("web/leak.py", "def f():\n    import json\n    return json\n", function_level_imports, "web/leak.py:2"),
    ("web/leak.py", 'PATH = "/page/unhcr"\n', literal_addresses, "'/page/unhcr'"),
    ("pages/templates/leak.html", '<a href="/class/Forum">forums</a>\n', literal_addresses, 'href="/c'),
    ("pages/static/leak.js", 'fetch("/search-index.json");\n', literal_addresses, '"/search-index.json"'),
    ("web/leak.py", "\n" * (MAX_LINES + 1), long_modules, f"{MAX_LINES + 1} lines"),
]


@pytest.mark.parametrize(("file", "text", "rule", "named"), BREAKERS,
                         ids=[f"{rule.__name__}-{file}" for file, _, rule, _ in BREAKERS])
def test_the_rule_fails_when_a_module_breaks_it(package_copy: Path, file: str, text: str, rule, named: str) -> None:
    assert rule(package_copy) == []
    (package_copy / file).write_text(text, encoding="utf-8")
    if rule is cycles:  # a cycle needs both halves
        other = "store/loop_b.py" if file.endswith("loop_a.py") else "store/loop_a.py"
        (package_copy / other).write_text(f"from mgkg.store import {Path(file).stem}\n", encoding="utf-8")
    report = rule(package_copy)
    assert report, f"{rule.__name__} did not notice {file}"
    assert any(named in line for line in report), report
