"""The module graph of `app/`, read with `ast`: no import cycles, and the worker entry imported by nobody."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKER_ENTRY = "app.workers.worker"  # the `celery -A` target (app/cli.py WORKER_APP)


def modules() -> dict[str, Path]:
    """Every module of the `app` package by dotted name (a package by its `__init__.py`)."""
    found: dict[str, Path] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_names(name: str, path: Path) -> Iterator[str]:
    """Every name an `import` or `from … import` in the module asks for, function-level ones included."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package, one level up per extra dot
                base = package[: len(package) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            # `from pkg import mod` imports the submodule; `from mod import name` the module itself.
            yield from (f"{source}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Module → the `app` modules it imports (a name resolves to the longest module it starts with)."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for imported in imported_names(name, path):
            target = imported
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_graph_is_read_from_the_code() -> None:
    graph = import_graph()
    assert "app.container" in graph["app.main"]
    assert "app.workers.bootstrap" in graph["app.workers.tasks"]
    assert "app.workers.celery_app" in graph["app.container"]  # function-level imports count too
    assert "app.adapters.task_queue" in graph["app.adapters.embedded_schedule"]


def test_the_cycle_finder_reports_each_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d", "f"}, "f": set()}
    assert cycles(graph) == [["a", "b", "c"], ["d", "e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_app() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles in app/:\n" + "\n".join(" → ".join(cycle) for cycle in found)


def test_the_worker_entry_module_is_imported_by_nothing_in_app() -> None:
    graph = import_graph()
    assert WORKER_ENTRY in graph  # the module exists: Celery imports it by name
    importers = sorted(name for name, targets in graph.items() if WORKER_ENTRY in targets)
    assert importers == [], f"{WORKER_ENTRY} is the `celery -A` target only; imported by {importers}"


def test_the_api_does_not_import_the_workers() -> None:
    graph = import_graph()
    assert not {t for t in graph["app.main"] if t.startswith("app.workers")}
