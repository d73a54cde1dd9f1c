"""Every domain app has the one shape of DESIGN.md: the same top-level entries, package
``__init__`` modules that only re-export, and no import circle inside the app."""

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["community", "groupbuy", "chat", "feeds"]
ALLOWED = {
    "__init__.py",
    "apps.py",
    "models",
    "services",
    "selectors",
    "api",
    "admin",
    "demo",
    "tasks.py",
    "exceptions.py",
    "events.py",
    "signals.py",
    "receivers.py",
    "realtime.py",
    "management",
    "migrations",
    "templates",
    "static",
}


@pytest.mark.parametrize("app", APPS)
def test_an_app_has_only_the_entries_of_the_one_shape(app):
    entries = {
        path.name
        for path in (ROOT / app).iterdir()
        if path.name != "__pycache__" and not path.name.startswith(".")
    }

    assert entries - ALLOWED == set()


def _code_in_init(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    offending = []
    for index, node in enumerate(tree.body):
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            "__all__"
        ]:
            continue
        offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return offending


@pytest.mark.parametrize("app", [*APPS, "frontend", "realtime"])
def test_package_inits_only_re_export(app):
    inits = [p for p in (ROOT / app).rglob("__init__.py") if "migrations" not in p.parts]

    assert [place for path in inits for place in _code_in_init(path)] == []


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), i.e. import circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(module: str) -> None:
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def import_graph() -> grimp.ImportGraph:
    return grimp.build_graph(*APPS, "frontend", "realtime")


@pytest.mark.parametrize("app", [*APPS, "frontend", "realtime"])
def test_no_import_circle_inside_an_app(import_graph, app):
    modules = {m for m in import_graph.modules if m == app or m.startswith(f"{app}.")}

    assert _cycles(import_graph, modules) == []


def test_the_cycle_finder_sees_a_circle():
    # The control: a graph with a circle must be reported, or the test above proves nothing.
    graph = grimp.ImportGraph()
    for module in ("app.a", "app.b", "app.c"):
        graph.add_module(module)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.c")
    graph.add_import(importer="app.c", imported="app.a")

    assert _cycles(graph, {"app.a", "app.b", "app.c"}) == [["app.a", "app.b", "app.c"]]
