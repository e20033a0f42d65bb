"""The import graph of the ``vanban`` package, checked against its layers.

Every ``import`` of a vanban module counts, at module level or inside a function (a lazy import
is still a dependency). The layers follow the pipeline, lowest first; a module may import only
from its own layer or a lower one, and the module graph must have no cycle:

    0 base      vanban (version), model, errors, settings, text, executors, outputs, schema
    1 ocr       vanban.ocr
    2 normalize vanban.normalize
    3 extract   vanban.extract
    4 pipeline  vanban.pipeline, vanban.pdfa, vanban.ocrmypdf_plugin
    5 corpus    vanban.corpus
    6 web       vanban.web
    7 evaluation vanban.evaluation (dataset runners of `vanban evaluate`)
    8 cli       vanban.cli

Usage (repository root):

    python scripts/import_graph.py            # the layers, each module's imports, then problems
    python scripts/import_graph.py --quiet    # problems only
    python scripts/import_graph.py --dot      # Graphviz of the package-level graph

Exit status: 0 when the graph is a DAG with no upward edge and every module is in a layer;
1 otherwise (each problem on one line).
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (layer name, module prefixes), lowest layer first. A module belongs to the layer of the
#: longest prefix naming it or a package above it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("vanban", "vanban.model", "vanban.errors", "vanban.settings", "vanban.text",
              "vanban.executors", "vanban.outputs", "vanban.folders", "vanban.schema")),
    ("ocr", ("vanban.ocr",)),
    ("normalize", ("vanban.normalize",)),
    ("extract", ("vanban.extract",)),
    ("pipeline", ("vanban.pipeline", "vanban.pdfa", "vanban.ocrmypdf_plugin")),
    ("corpus", ("vanban.corpus",)),
    ("web", ("vanban.web",)),
    ("evaluation", ("vanban.evaluation",)),
    ("cli", ("vanban.cli", "vanban.__main__")),
]


@dataclass
class Graph:
    """Modules (dotted names) with their source files and the vanban modules each imports."""
    files: dict[str, Path] = field(default_factory=dict)
    #: module -> {imported module: first line number of the import}
    edges: dict[str, dict[str, int]] = field(default_factory=dict)


def module_name(path: Path, package_dir: Path) -> str:
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    """Index in :data:`LAYERS` of ``module``'s layer, None when no layer names it."""
    best, best_len = None, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            exact = prefix == "vanban"  # the package itself: only its __init__, not below
            if (module == prefix or (not exact and module.startswith(prefix + "."))) \
                    and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` names (relative levels resolved)."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def build_graph(package_dir: Path) -> Graph:
    """The graph of every ``*.py`` under ``package_dir`` (imports anywhere in a file count)."""
    graph = Graph()
    top = package_dir.name
    for path in sorted(package_dir.rglob("*.py")):
        graph.files[module_name(path, package_dir)] = path
    for module, path in graph.files.items():
        is_package = path.name == "__init__.py"
        targets: dict[str, int] = {}
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, is_package, node)
                # `from pkg import name`: the submodule pkg.name when there is one, else pkg
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in graph.files else base
                         for a in node.names]
            for name in names:
                if name != top and not name.startswith(top + "."):
                    continue
                # `import vanban.ocr.engine` -> the longest known module of that name
                while name not in graph.files and "." in name:
                    name = name.rsplit(".", 1)[0]
                if name != module:  # the first line that imports it (ast.walk is breadth-first)
                    targets[name] = min(targets.get(name, node.lineno), node.lineno)
        graph.edges[module] = targets
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(start: str) -> None:  # iterative, so a long chain cannot hit the recursion limit
        work = [(start, iter(sorted(graph.edges.get(start, {}))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.edges.get(child, {})))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
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

    for module in sorted(graph.edges):
        if module not in index:
            visit(module)
    return sorted(found)


def cycle_path(graph: Graph, component: list[str]) -> list[str]:
    """One shortest closed path through a cycle's first module: a -> b -> ... -> a."""
    members, start = set(component), component[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:  # breadth-first inside the component, back to start
        following = []
        for node in frontier:
            for child in sorted(graph.edges.get(node, {})):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path)) + [start]
                if child in members and child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return component + [start]


def problems(graph: Graph) -> list[str]:
    """One line per problem: a module in no layer, an upward edge, a cycle."""
    lines = []
    for module in sorted(graph.files):
        if layer_of(module) is None:
            lines.append(f"no layer: {module} [{_where(graph, module, 1)}]; "
                         f"move it, or add it to LAYERS")
    for module in sorted(graph.edges):
        source = layer_of(module)
        for target, line in sorted(graph.edges[module].items()):
            dest = layer_of(target)
            if source is not None and dest is not None and dest > source:
                lines.append(f"upward: {module} ({LAYERS[source][0]}) -> {target} "
                             f"({LAYERS[dest][0]})  [{_where(graph, module, line)}]")
    for component in cycles(graph):
        lines.append(f"cycle among {len(component)} modules ({', '.join(component)}), e.g. "
                     + " -> ".join(cycle_path(graph, component)))
    return lines


def _where(graph: Graph, module: str, line: int) -> str:
    path = graph.files[module]
    try:
        path = path.relative_to(ROOT)
    except ValueError:
        pass
    return f"{path}:{line}"


def describe(graph: Graph) -> str:
    """The layers with their modules and each module's vanban imports."""
    out = []
    for index, (name, _) in enumerate(LAYERS):
        out.append(f"[{index} {name}]")
        for module in sorted(m for m in graph.files if layer_of(m) == index):
            targets = sorted(graph.edges.get(module, {}), key=lambda t: (layer_of(t) or 0, t))
            out.append(f"  {module}" + (f" -> {', '.join(targets)}" if targets else ""))
    return "\n".join(out)


def dot(graph: Graph) -> str:
    """Graphviz of the package-level graph (vanban.ocr.* as one node vanban.ocr)."""
    def node(module: str) -> str:
        return ".".join(module.split(".")[:2])
    pairs = sorted({(node(a), node(b)) for a, ts in graph.edges.items() for b in ts
                    if node(a) != node(b)})
    body = "\n".join(f'  "{a}" -> "{b}";' for a, b in pairs)
    return "digraph vanban {\n  rankdir=BT;\n" + body + "\n}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--package", type=Path, default=ROOT / "vanban", help="package folder")
    ap.add_argument("--quiet", action="store_true", help="print the problems only")
    ap.add_argument("--dot", action="store_true", help="print a Graphviz graph and exit")
    args = ap.parse_args(argv)
    graph = build_graph(args.package)
    if args.dot:
        print(dot(graph))
        return 0
    if not args.quiet:
        print(describe(graph))
        print()
    found = problems(graph)
    for line in found:
        print(line)
    edges = sum(len(t) for t in graph.edges.values())
    print(f"import_graph: {len(graph.files)} modules, {edges} edges, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
