"""The package's shape at import time: no import cycle, layers that import only downward, a light query layer."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PACKAGES = ("incidents", "layers", "views")


def _modules() -> dict[str, str]:
    """Every module of the packages (and the dashboard), by dotted name, to its path under the root."""
    found = {"dashboard": "dashboard.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = str(path.relative_to(ROOT))
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in it: at the top, inside functions, for type checking only.

    ``from p import x`` is an edge to ``p.x`` when that is a module, else to ``p``. A module's
    own package is not counted as imported by it (Python runs it first, but that is no choice of
    the module's): a package that imports its own modules is the only way such an edge could close
    a loop, and it is one only when one of those modules imports the package's names back, which
    is an explicit edge and is counted.
    """
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        is_package = path.endswith("__init__.py")
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                subs = [f"{base}.{a.name}" for a in node.names]
                targets = [s for s in subs if s in modules] or [base]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_real_imports():
    """The graph is not vacuous: it finds edges of each kind the test relies on."""
    graph = import_graph()
    assert "incidents.query.index" in graph["incidents.query.filters"]  # a top-level import
    assert "incidents.query.sql" in graph["incidents.query.facets"]  # an import inside a method
    assert "incidents.readers._rows" in graph["incidents.loader"]
    assert "layers.protocol" in graph["views.map"] and "incidents.query.area" in graph["views.modes"]
    assert sum(len(v) for v in graph.values()) > 300


def test_cycles_are_found_when_there_are_some():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_anywhere():
    assert cycles(import_graph()) == []


#: The layers of ``incidents/``, lowest first. A module imports only from its own unit or a lower rank:
#: units of one rank (the query layer, the readers, the extractor) know nothing of each other.
RANKS = {
    "model": 0,
    "geo": 1,
    "query": 2,
    "readers": 2,
    "extract": 2,
    "acled_layout": 2,
    "loader": 3,
    "intake": 3,
    "writers": 3,
    "timeline": 3,
    "network": 3,
    "store": 4,
    "__main__": 5,
}


def _unit(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "incidents" and len(parts) > 1 else None


def test_every_incidents_module_belongs_to_a_layer():
    units = {_unit(m) for m in import_graph() if m.startswith("incidents.")}
    assert units == set(RANKS)


def test_the_layers_of_incidents_import_only_downward():
    graph = import_graph()
    wrong = []
    for module, targets in graph.items():
        unit = _unit(module)
        if unit is None:
            continue
        for target in targets:
            other = _unit(target)
            if target == "incidents":
                wrong.append(f"{module} imports the package incidents (import from the module that defines the name)")
            elif other is not None and other != unit and RANKS[other] >= RANKS[unit]:
                wrong.append(f"{module} ({unit}, rank {RANKS[unit]}) imports {target} ({other}, rank {RANKS[other]})")
    assert wrong == []


_LIGHT = """
import sys
import incidents.query.filters, incidents.query.registry, incidents.query.index
heavy = ("sqlalchemy", "incidents.extract", "incidents.store", "incidents.readers", "incidents.loader", "streamlit", "folium")
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(heavy))))
"""


def test_importing_the_query_layer_loads_neither_sqlalchemy_nor_the_extractor():
    done = subprocess.run([sys.executable, "-c", _LIGHT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("name", ["EventFilter", "load_all", "FACETS", "IncidentDataError", "GEO_PRECISIONS"])
def test_the_package_names_are_imported_on_first_use(name):
    import incidents

    assert name in incidents.__all__ and getattr(incidents, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = incidents.nothing_here
