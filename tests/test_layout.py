"""The package keeps its shape: wiring at the root, a package per concern, one-way imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "consult"
ROOT_MODULES = {"__init__.py", "config.py", "extensions.py", "cli.py"}
BLUEPRINTS = {"public", "console", "auth", "api"}
#: What the JSON API may read: the public readers, never the console or a session.
API_READS = {"api", "models", "extensions", "published", "public", "outcome", "reports", "web",
             "flask.request"}  # fmt: skip
OPERATIONS = {
    "content",
    "responding",
    "reviewing",
    "maintenance",
    "systematising",
    "outcome",
    "importing",
}
#: Modules of ``reports`` that are views; the rest are pure report code.
REPORT_VIEWS = {"blueprint", "views", "downloads"}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts)


def imports_of(path: Path) -> set[str]:
    """Every consult package a module imports (``web``, ``models``, …), and ``flask.request``."""
    found: set[str] = set()
    package = list(path.relative_to(PACKAGE.parent).parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            parts = name.split(".")
            if parts[0] == "consult":
                found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
            if name == "flask" and any(alias.name == "request" for alias in node.names):
                found.add("flask.request")
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("consult.")}
    return found


def test_the_root_holds_only_the_wiring_beside_packages():
    loose = {p.name for p in PACKAGE.glob("*.py")} - ROOT_MODULES
    assert not loose, f"put {sorted(loose)} in a package named for what it holds"


def test_every_package_says_what_lives_there_and_what_it_may_import():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(PACKAGE)} has no docstring"
        top = init.relative_to(PACKAGE).parts
        if len(top) == 2:  # a package directly under consult/
            assert "import" in doc.lower(), f"{init.relative_to(PACKAGE)}: say what it may import"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_dependencies_point_one_way(path: Path):
    parts = path.relative_to(PACKAGE).parts
    concern = parts[0] if len(parts) > 1 else None
    used = imports_of(path)
    if concern == "insight":
        used -= {"insight"}  # its own modules (``text`` for the copy and theme finders)
        assert not used, f"insight/ holds pure analyses; it must not import {sorted(used)}"
    elif concern == "models":
        assert used <= {"models", "extensions"}, used
    elif concern in OPERATIONS:
        forbidden = used & (BLUEPRINTS | {"web", "reports", "flask.request"})
        assert not forbidden, f"operations must not import {sorted(forbidden)}"
    elif concern == "web":
        forbidden = used & (BLUEPRINTS | {"reports"})
        assert not forbidden, f"web/ is plumbing; it must not import {sorted(forbidden)}"
    elif concern == "published":
        forbidden = used & (BLUEPRINTS | {"flask.request", "opendata"})
        assert not forbidden, f"published/ holds plain reads, not {sorted(forbidden)}"
    elif concern == "api":
        assert used <= API_READS, f"api/ reads what is public; not {sorted(used - API_READS)}"
    elif concern == "opendata":
        forbidden = used & (BLUEPRINTS | {"flask.request", "web"})
        assert not forbidden, f"opendata/ writes files from public reads, not {sorted(forbidden)}"
    elif concern == "reports" and path.stem not in REPORT_VIEWS:
        forbidden = used & (BLUEPRINTS | {"web", "flask.request"})
        assert not forbidden, f"report code must not import {sorted(forbidden)}"
