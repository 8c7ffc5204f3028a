"""The product's modules form no import loop, and the layers only import downwards.

The graph is read from the source (every ``import`` / ``from … import`` at any depth,
``TYPE_CHECKING`` blocks excepted), so a loop that only shows on some import order is
still caught.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src"
ROOT = "szca_unlock"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in (SRC / ROOT).rglob("*.py")
            if "migrations" not in p.parts}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _imports_in(child))
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    elif not (isinstance(node, ast.If) and _is_type_checking(node)):
        yield from _imports(node)


def _targets(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # ``from pkg import mod`` imports the module; ``from mod import name`` the module.
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                     for a in node.names]
        found |= {n for n in names if n in known and n != module}
    return found


def import_graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _targets(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
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
    return found


def test_no_import_loop_in_the_product() -> None:
    assert cycles(import_graph()) == []


def test_a_loop_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# (importer prefix, imported prefix): a lower layer never reaches up.
FORBIDDEN = [
    ("szca_unlock.domain", "szca_unlock.service"),
    ("szca_unlock.domain", "szca_unlock.store"),
    ("szca_unlock.api", "szca_unlock.service"),
    ("szca_unlock.api", "szca_unlock.store"),
    # The logic takes domain requests (VerificationRequest, ApplicationDraft), never the
    # wire models: the routers build them.
    ("szca_unlock.service.logic", "szca_unlock.api"),
    ("szca_unlock.store", "szca_unlock.api"),
    ("szca_unlock.service.logic", "szca_unlock.service.views"),
    ("szca_unlock.service.logic", "szca_unlock.service.routers"),
    ("szca_unlock.service.views", "szca_unlock.service.routers"),
    ("szca_unlock.store", "szca_unlock.service"),
]


@pytest.mark.parametrize(("importer", "imported"), FORBIDDEN)
def test_layers_import_downwards_only(importer: str, imported: str) -> None:
    graph = import_graph()
    offenders = sorted(f"{m} -> {t}" for m, targets in graph.items()
                       if m.startswith(importer) for t in targets if t.startswith(imported))
    assert offenders == []
