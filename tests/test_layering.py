"""Imports run one way (docs/ARCHITECTURE.md): core ← ingest, vectorstore ← api; the UI speaks HTTP and reads only
core's shared models. Read from the source (every import, at the top, in a function or under TYPE_CHECKING), so a
lazy import cannot slip past; and once at run time, for the read side the API opens."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("core", "ingest", "vectorstore", "api", "ui", "scripts", "tests", "testing")

# What each package may import of ours, and the modules allowed beyond that with why.
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "vectorstore": {"core", "vectorstore"},
    "ingest": {"core", "ingest"},
    "api": {"core", "ingest", "vectorstore", "api"},
    "ui": {"core", "ui"},
}
EXCEPTIONS: dict[str, set[str]] = {
    # The writer extends the read side; the CLI writes through the one and lists through the other.
    "ingest/library.py": {"vectorstore"},
    "ingest/cli.py": {"vectorstore"},
    # Re-embedding rewrites the store the read side opens, under the writer's lock, before any Library can open it.
    "ingest/reembed.py": {"vectorstore"},
}


def imported_packages(path: Path) -> set[str]:
    """Our top-level packages a module imports, wherever in the module the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(OURS)


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_under_it(package: str) -> None:
    assert modules_of(package), f"no modules found under {package}/"
    wrong = {}
    for path in modules_of(package):
        name = path.relative_to(ROOT).as_posix()
        extra = imported_packages(path) - ALLOWED[package] - EXCEPTIONS.get(name, set())
        if extra:
            wrong[name] = sorted(extra)
    assert wrong == {}, f"imports against the layering: {wrong}"


def test_the_check_sees_a_lazy_import(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ingest.cli import app\n"
                      "def f():\n    import api.app\n    from ui import client\n", encoding="utf-8")
    assert imported_packages(module) == {"ingest", "api", "ui"}


def test_opening_the_read_side_loads_nothing_of_ingest() -> None:
    probe = ("import sys, vectorstore.library, core.library_reader, core.gazetteer; "
             "print(sorted(m for m in sys.modules if m == 'ingest' or m.startswith('ingest.')))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
