"""Tests for the layout of opportunities/: imports point down, with no cycle and no dodge.

The import graph is read from the source with ast, so these tests see every module, including
ones no other test imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests import paths

PACKAGE = "opportunities"
ROOT = paths.ROOT / PACKAGE
# The web layer: nothing below it may import it.
WEB = ("views", "urls", "feeds", "sitemaps", "templatetags", "forms", "admin")
AREAS = ("catalog", "ingest", "search", "matching", "alerts", "profiles", "posting")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(paths.ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = modules()


def imported(name: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement loads (a `from pkg import mod` names the mod)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith(PACKAGE)]
    base = node.module or ""
    if node.level:
        package = name.split(".")
        if MODULES[name].name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    if not base.startswith(PACKAGE):
        return []
    found = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        found.append(candidate if candidate in MODULES else base)
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        edges[name] = {
            target
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in imported(name, node)
            if target in MODULES and target != name
        }
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_areas():
    edges = graph()
    assert {f"{PACKAGE}.{area}" for area in AREAS} <= set(edges)
    assert f"{PACKAGE}.models.roles" in edges[f"{PACKAGE}.models"]


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_inside_a_function_and_no_import_error_guard():
    offenders = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                offenders += [
                    f"{name}:{inner.lineno} imports inside {node.name}()"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Import | ast.ImportFrom)
                ]
            if (
                isinstance(node, ast.ExceptHandler)
                and isinstance(node.type, ast.Name)
                and node.type.id in {"ImportError", "ModuleNotFoundError"}
            ):
                offenders.append(f"{name}:{node.lineno} catches {node.type.id}")
    assert offenders == []


@pytest.mark.parametrize("area", (*AREAS, "models"))
def test_areas_never_import_the_web_layer(area):
    edges = graph()
    web = tuple(f"{PACKAGE}.{part}" for part in WEB)
    offenders = {
        (source, target)
        for source, targets in edges.items()
        if source.startswith(f"{PACKAGE}.{area}") and not source.endswith(".admin")
        for target in targets
        if target.startswith(web)
    }
    assert offenders == set()


def test_only_tasks_and_admin_entry_points_import_task_modules():
    """Services hand work to Celery through opportunities.enqueue, by name."""
    edges = graph()
    offenders = {
        (source, target)
        for source, targets in edges.items()
        for target in targets
        if target.endswith(".tasks") and not source.endswith(".tasks")
    }
    assert offenders == set()


def test_models_import_nothing_above_them():
    edges = graph()
    allowed = (f"{PACKAGE}.models", f"{PACKAGE}.vocabulary")
    offenders = {
        (source, target)
        for source, targets in edges.items()
        if source.startswith(f"{PACKAGE}.models")
        for target in targets
        if not target.startswith(allowed)
    }
    assert offenders == set()
