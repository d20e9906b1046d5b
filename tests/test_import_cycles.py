"""No module of the package is in an import cycle, counting imports inside functions (TYPE_CHECKING ones excepted)."""

from __future__ import annotations


def _graph(package: str = "costcalc") -> dict[str, set[str]]:
    """Module → the package modules it imports anywhere (in functions too; TYPE_CHECKING blocks excluded)."""
    import grimp

    g = grimp.build_graph(package, exclude_type_checking_imports=True)
    return {m: set(g.find_modules_directly_imported_by(m)) for m in g.modules}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
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
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_check_sees_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_the_graph_holds_the_packages_own_imports():
    graph = _graph()
    assert (
        "costcalc.engine.api" in graph["costcalc.engine.self_hosted"]
        or "costcalc.engine.arrays" in (graph["costcalc.engine.self_hosted"])
    )
    assert "costcalc.report.result" in graph["costcalc.analysis.costing"]
