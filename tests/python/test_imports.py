"""The backend's imports, read with ast: no circle, and the arrows between layers point one way
(protocol/ at the bottom, workloads/ apart from the backend, running a file apart from the cells).

Every `import` counts, also one inside a function: a deferred import still ties two modules
together (that is how the old `protocol.__getattr__` hid a circle through routes/).
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "python_backend" / "tt_lessons"


def module_files() -> dict[str, Path]:
    """Dotted name -> file, for every module and package of tt_lessons."""
    found: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The tt_lessons modules `name` imports. `from pkg import sub` depends on pkg.sub only."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    deps: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - max(node.level - 1, 0)]
            module = ".".join([*base, node.module] if node.module else base)
            if not node.level:
                module = node.module or ""
            subs = [f"{module}.{alias.name}" for alias in node.names]
            targets = [s for s in subs if s in known]
            if len(targets) < len(subs):
                targets.append(module)
        else:
            continue
        deps.update(t for t in targets if t in known and t != name)
    return deps


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    return {name: imported(name, path, set(files)) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for dep in sorted(graph[node]):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            group: list[str] = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_backend_has_no_import_circle() -> None:
    assert cycles(import_graph()) == []


def test_the_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_graph_reads_deferred_and_relative_imports() -> None:
    graph = import_graph()
    # routes/run_cell.py imports kernel.service inside its function.
    assert "tt_lessons.kernel.service" in graph["tt_lessons.routes.run_cell"]
    assert (
        "tt_lessons.protocol.names"
        in graph["tt_lessons.protocol.base"] | graph["tt_lessons.protocol"]
    )


def test_the_protocol_imports_only_itself_and_the_wheel_facts() -> None:
    graph = import_graph()
    for name, deps in graph.items():
        if name == "tt_lessons.protocol" or name.startswith("tt_lessons.protocol."):
            outside = {
                d
                for d in deps
                if not d.startswith("tt_lessons.protocol") and d != "tt_lessons.plugin"
            }
            assert not outside, f"{name} imports {outside}"


def test_workloads_import_nothing_of_the_backend() -> None:
    graph = import_graph()
    for name, deps in graph.items():
        if name.startswith("tt_lessons.workloads"):
            outside = {d for d in deps if not d.startswith("tt_lessons.workloads")}
            assert not outside, f"{name} imports {outside}"


def test_running_a_file_is_no_lesson_cell() -> None:
    """run_file.py runs a .py in the venv as the kernel would (kernel/target.py), nothing more of
    the cells: neither their protocol module nor any other part of kernel/."""
    graph = import_graph()
    for name in ("tt_lessons.run_file", "tt_lessons.routes.run_file"):
        assert "tt_lessons.protocol.cells" not in graph[name], name
        assert {d for d in graph[name] if d.startswith("tt_lessons.kernel")} <= {
            "tt_lessons.kernel.target"
        }, name
    assert not [n for n in graph if n.startswith("tt_lessons.kernel") and "file" in n]
