"""The app-level import graph of xuncha/: cycles, mutual pairs, imports hidden inside functions.

    .venv/bin/python scripts/import_graph.py [-v]

import-linter (make lint) enforces the layers; this script gives the figures behind them (issue 15).
Tests, migrations and imports under ``if TYPE_CHECKING:`` are left out: they do not run in production
or cannot form a cycle at run time. ``synth`` (development tooling) is left out of the cycle count.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "xuncha"


def _sources(app: str) -> list[Path]:
    return [f for f in sorted((ROOT / app).rglob("*.py")) if "/tests/" not in str(f) and "/migrations/" not in str(f)]


def _imports(tree: ast.AST, in_function: bool = False) -> list[tuple[str, bool]]:
    """(module, inside a function?) for every ``from xuncha.… import`` / ``import xuncha.…``."""
    found: list[tuple[str, bool]] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, in_function))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, in_function) for alias in node.names)
        nested = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        found.extend(_imports(node, nested))
    return found


def graph() -> tuple[list[str], dict[str, set[str]], int, int]:
    apps = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists())
    edges: dict[str, set[str]] = defaultdict(set)
    top = inner = 0
    for app in apps:
        for path in _sources(app):
            for module, in_function in _imports(ast.parse(path.read_text(encoding="utf-8"))):
                parts = module.split(".")
                if len(parts) < 2 or parts[0] != "xuncha" or parts[1] not in apps or parts[1] == app:
                    continue
                edges[app].add(parts[1])
                if app != "synth":
                    inner += in_function
                    top += not in_function
    return apps, edges, top, inner


def strongly_connected(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of apps that import each other, directly or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v] & set(nodes):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            groups.append(sorted(group))

    for v in nodes:
        if v not in index:
            visit(v)
    return [g for g in groups if len(g) > 1]


def main(verbose: bool) -> None:
    apps, edges, top, inner = graph()
    nodes = [a for a in apps if a != "synth"]
    mutual = sorted({tuple(sorted((a, b))) for a in nodes for b in edges[a] if b in nodes and a in edges[b]})
    print(f"apps: {len(nodes)} (+ synth)")
    print(f"import cycles (groups of apps): {strongly_connected(nodes, edges)}")
    print(f"pairs importing each other: {len(mutual)} {mutual}")
    print(f"cross-app imports: {top} at module level, {inner} inside functions")
    if verbose:
        for app in nodes:
            print(f"  {app} -> {', '.join(sorted(edges[app])) or '—'}")


if __name__ == "__main__":
    main("-v" in sys.argv)
