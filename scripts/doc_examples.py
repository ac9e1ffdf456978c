"""Run every example in the README and docs that shows output, and check (or rewrite) that output.

An example is a ```console block: lines starting with `$ ` are commands, the lines after one are
what it prints. The commands of a block run in one bash shell at the repository root (so `echo $?`
reports the command before it), with the environment's `mgkg` first on PATH and no MGKG_* variable
set. If a block sends a request to http://127.0.0.1:8000, a server is started for the run on a
free port and the address is written back as 8000.

    python scripts/doc_examples.py            # check: exit 1 naming each example whose output changed
    python scripts/doc_examples.py --write    # rewrite the outputs in place (then review the diff)
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ("README.md", "CONTRIBUTING.md", "docs/*.md", "data/README.md", "queries/README.md")
DOCUMENTED_ADDRESS = "http://127.0.0.1:8000"
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_MARK = "@@mgkg-doc-example@@"


@dataclass(frozen=True)
class Example:
    """One console block: where it is, its commands, and the output written after each."""

    path: Path
    start: int
    end: int
    commands: list[str]
    outputs: list[str]

    @property
    def where(self) -> str:
        line = self.path.read_text(encoding="utf-8").count("\n", 0, self.start) + 1
        return f"{self.path.relative_to(ROOT)}:{line}"

    def text(self, outputs: list[str]) -> str:
        return "".join(f"$ {command}\n{output}" for command, output in zip(self.commands, outputs, strict=True))


def examples() -> Iterator[Example]:
    """Every console block of the documents, in file order."""
    for pattern in DOCUMENTS:
        for path in sorted(ROOT.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            for match in _BLOCK.finditer(text):
                commands, outputs = [], []
                for line in match.group(1).splitlines(keepends=True):
                    if line.startswith("$ "):
                        commands.append(line[2:].rstrip("\n"))
                        outputs.append("")
                    elif commands:
                        outputs[-1] += line
                if commands:
                    yield Example(path, match.start(1), match.end(1), commands, outputs)


def run(example: Example, address: str) -> list[str]:
    """What each command of `example` prints now (stdout and stderr), with the documented address."""
    script = "".join(f"{{ {command.replace(DOCUMENTED_ADDRESS, address)}\n}} 2>&1\n__status=$?\n"
                     f"printf '%s\\n' '{_MARK}'\n(exit $__status)\n" for command in example.commands)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MGKG_")}
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    environment["COLUMNS"] = "100"
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=600)
    parts = done.stdout.replace(address, DOCUMENTED_ADDRESS).split(_MARK + "\n")
    return parts[: len(example.commands)]


class Server:
    """`mgkg serve` on a free port, for examples that ask the server something."""

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MGKG_")}
        self.process = subprocess.Popen([sys.executable, "-m", "mgkg.cli", "serve", "--port", str(port)], cwd=ROOT,
                                        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("mgkg serve did not start within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def stale(write: bool = False) -> list[str]:
    """The examples whose output differs from what they print now (rewritten when `write`)."""
    found = list(examples())
    changed: list[str] = []
    rewrites: dict[Path, list[tuple[Example, list[str]]]] = {}
    needs_server = any(DOCUMENTED_ADDRESS in c for e in found for c in e.commands)
    with Server() if needs_server else _NoServer() as address:
        for example in found:
            now = run(example, address)
            if now != example.outputs:
                changed.append(f"{example.where}: output of `$ {example.commands[0]}` ... changed")
                rewrites.setdefault(example.path, []).append((example, now))
    if write:
        for path, edits in rewrites.items():
            text = path.read_text(encoding="utf-8")
            for example, now in sorted(edits, key=lambda edit: -edit[0].start):
                text = text[: example.start] + example.text(now) + text[example.end:]
            path.write_text(text, encoding="utf-8")
    return changed


class _NoServer:
    def __enter__(self) -> str:
        return DOCUMENTED_ADDRESS

    def __exit__(self, *exc: object) -> None:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the outputs instead of checking them")
    args = parser.parse_args()
    changed = stale(write=args.write)
    for line in changed:
        print(("rewrote " if args.write else "stale: ") + line)
    return 0 if args.write or not changed else 1


if __name__ == "__main__":
    raise SystemExit(main())
