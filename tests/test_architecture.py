"""The shape of the code: which folder may import which, and no import cycles.

Read from the source with ``ast`` (every import, at module level or inside a
function), so the rules hold however a module is loaded. The rules are those
of the design (``../shared/DESIGN.md`` §2):

* ``core`` is the ground floor: it imports nothing else of ours;
* ``retrieval`` and ``valuation`` import only ``core`` (and themselves);
* ``pages`` import only ``desk``: every page goes through the one ``Desk``;
* only ``desk/app.py`` and ``desk/appstate.py`` (and the pages) import Streamlit;
* no two modules import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

OURS = ("core", "desk", "retrieval", "valuation", "pages")
ALLOWED = {
    "core": {"core"},
    "retrieval": {"core", "retrieval"},
    "valuation": {"core", "valuation"},
    "desk": {"core", "retrieval", "valuation", "desk"},
    "pages": {"desk"},
}
STREAMLIT_ALLOWED = {"desk.app", "desk.appstate"}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files() -> dict[str, Path]:
    return {module_name(p): p for top in OURS for p in sorted((REPO / top).rglob("*.py"))}


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """Every module ``name`` imports: our modules resolved to files, others by their top-level name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # `from desk import appstate` imports the module desk.appstate
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    files = source_files()
    modules = set(files)
    return {name: imports_of(name, path, modules) for name, path in files.items()}


def top(module: str) -> str:
    return module.split(".")[0]


def test_every_folder_imports_only_what_the_design_allows(graph):
    wrong = sorted(
        f"{name} imports {imported}"
        for name, imported_set in graph.items()
        for imported in imported_set
        if top(imported) in OURS and top(imported) not in ALLOWED[top(name)]
    )
    assert not wrong, "\n".join(wrong)


def test_only_the_app_layer_and_the_pages_import_streamlit(graph):
    users = sorted(n for n, imported in graph.items() if any(top(i) == "streamlit" for i in imported) and top(n) != "pages")
    assert set(users) == STREAMLIT_ALLOWED, users


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components: every component of more than one module is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycles(graph):
    ours = {n: {i for i in imported if i in graph and i != n} for n, imported in graph.items()}
    assert not find_cycles(ours)


def test_the_rules_catch_what_they_forbid(tmp_path):
    """The checker itself: a retrieval module importing desk, and a two-module loop, are both seen."""
    modules = {"retrieval.a", "desk.b", "desk.c"}
    (tmp_path / "a.py").write_text("from desk.b import thing\n")
    (tmp_path / "c.py").write_text("def f():\n    from desk import b\n")
    assert imports_of("retrieval.a", tmp_path / "a.py", modules) == {"desk.b"}
    assert imports_of("desk.c", tmp_path / "c.py", modules) == {"desk.b"}
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_locates_the_repository_by_itself():
    """Shipped data is named once, in core/paths.py; a moved module cannot silently read elsewhere."""
    offenders = [
        name for name, path in source_files().items()
        if name != "core.paths" and "Path(__file__)" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders
