"""The walls between the wings, as a test (read from the source with ``ast``, nothing imported).

- ``agenda/`` is the product without Slack: it never imports ``bot``, ``slack_bolt``,
  ``slack_sdk`` or ``flask``, and ``python -m agenda`` works where they are not installed.
- The pure wings (``agenda/documents``, ``agenda/deadlines``) take plain values: no database,
  no feature wing.
- Slack listeners are thin adapters: they call services and never read tables themselves.
- The wings of ``agenda/`` import one way only: no circle between them.

Every import counts, including the ones inside functions and under ``TYPE_CHECKING``: a wall
with a door in it is not a wall. A failure names each offending ``file:line``.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Import:
    """One imported module, as written in one source file."""

    source: str  # the importing module, e.g. "agenda.documents.render"
    target: str  # the module imported, absolute, e.g. "agenda.db.engine" or "sqlalchemy.orm"
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    """Whether ``name`` is a module or package of this repository."""
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or base.is_dir()


def _absolute(node: ast.ImportFrom, source: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = source.split(".") if is_package else source.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports_of(path: Path) -> Iterator[Import]:
    source = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(source, alias.name, path, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, source, path.name == "__init__.py")
            for alias in node.names:
                # "from agenda.reminders import tables" imports the module agenda.reminders.tables.
                sub = f"{module}.{alias.name}"
                yield Import(source, sub if _is_module(sub) else module, path, node.lineno)


@cache
def imports_under(folder: str) -> tuple[Import, ...]:
    """Every import in every Python file under ``folder`` (relative to the repository)."""
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, f"no Python files under {folder}"
    return tuple(imp for path in files for imp in _imports_of(path))


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def breaches(imports: Iterable[Import], forbidden: Iterable[str]) -> list[str]:
    walls = tuple(forbidden)
    return [str(imp) for imp in imports if any(_within(imp.target, w) for w in walls)]


def _report(found: list[str], rule: str) -> str:
    return f"{rule}:\n  " + "\n  ".join(found)


# --- the walls ----------------------------------------------------------------------------------

SLACK_SIDE = ("bot", "slack_bolt", "slack_sdk", "flask")

# What sits above the pure wings: the database and every feature wing, and the front doors.
ABOVE_PURE = (
    "sqlalchemy",
    "alembic",
    "agenda.db",
    "agenda.schema",
    "agenda.board",
    "agenda.plan",
    "agenda.minutes",
    "agenda.pack",
    "agenda.reminders",
    "agenda.outbox",
    "agenda.jobs",
    "agenda.migrations",
    "agenda.cli",
    "agenda.demo",
    *SLACK_SIDE,
)


def test_the_core_never_imports_slack_flask_or_the_bot() -> None:
    found = breaches(imports_under("agenda"), SLACK_SIDE)
    assert not found, _report(found, "agenda/ must work without Slack; move this to bot/")


@pytest.mark.parametrize("wing", ["agenda/documents", "agenda/deadlines"])
def test_pure_wings_never_import_the_database_or_a_feature_wing(wing: str) -> None:
    found = breaches(imports_under(wing), ABOVE_PURE)
    assert not found, _report(found, f"{wing} takes plain values; pass them in instead")


def _table_modules(imports: Iterable[Import]) -> list[str]:
    return [
        str(imp)
        for imp in imports
        if _within(imp.target, "sqlalchemy")
        or _within(imp.target, "agenda.board.models")
        or _within(imp.target, "agenda.schema")
        or (imp.target.startswith("agenda.") and imp.target.split(".")[-1] == "tables")
    ]


def test_listeners_never_read_tables_directly() -> None:
    found = _table_modules(imports_under("bot/listeners"))
    assert not found, _report(found, "a listener calls an agenda service; it never reads tables")


def _wing(module: str) -> str | None:
    """The wing of an agenda module: ``agenda.plan.items`` -> ``agenda.plan``."""
    parts = module.split(".")
    if parts[0] != "agenda" or len(parts) < 2:
        return None
    return ".".join(parts[:2])


def wing_graph() -> dict[str, dict[str, Import]]:
    """Wing -> the wings it imports, each with one import as the witness."""
    graph: dict[str, dict[str, Import]] = {}
    for imp in imports_under("agenda"):
        src, dst = _wing(imp.source), _wing(imp.target)
        if src and dst and src != dst:
            graph.setdefault(src, {}).setdefault(dst, imp)
    return graph


def cycles(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """The strongly connected components with more than one wing (Tarjan), each a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_wings_of_agenda_import_one_way_only() -> None:
    graph = wing_graph()
    circles = cycles(graph)
    lines = [
        f"{' <-> '.join(c)}:\n    "
        + "\n    ".join(str(w) for a in c for b, w in graph[a].items() if b in c)
        for c in circles
    ]
    assert not circles, _report(lines, "imports between wings go one way (no circles)")


def test_the_cycle_finder_sees_a_circle() -> None:
    # The check above passing means nothing unless a circle would be caught.
    witness = Import("agenda.a", "agenda.b", ROOT / "x.py", 1)
    graph = {"a": {"b": witness}, "b": {"c": witness}, "c": {"a": witness}, "d": {"a": witness}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_scan_sees_modules_imported_by_name() -> None:
    # "from agenda.board import audit" must count as importing the module agenda.board.audit,
    # "from agenda.reminders.tables import Reminder" as importing agenda.reminders.tables.
    targets = {imp.target for imp in imports_under("agenda/outbox")}
    assert {"agenda.board.audit", "agenda.reminders.tables"} <= targets
    assert any(_within(t, "sqlalchemy") for t in targets)


# --- python -m agenda without Slack ----------------------------------------------------------------

_WITHOUT_SLACK = textwrap.dedent(
    """
    import importlib.abc, runpy, sys

    class NotInstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"slack_bolt", "slack_sdk", "flask"}:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NotInstalled())
    sys.argv = ["agenda", "--help"]
    runpy.run_module("agenda", run_name="__main__", alter_sys=True)
    """
)


@pytest.mark.slow
def test_python_m_agenda_works_without_slack_installed(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_SLACK],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout
    assert "demo" in done.stdout  # the core's commands are all there
