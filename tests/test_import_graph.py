"""No import circles between newsgold's modules (architecture.md: data flows one way).

The graph: one node per module of ``newsgold/`` (``newsgold/a/b.py`` is ``newsgold.a.b``,
``newsgold/a/__init__.py`` is ``newsgold.a``), one edge per import that runs when the
module is imported: statements at module level, including those inside top-level
``if``/``try``/``with`` blocks and class bodies, but not inside functions (lazy imports
run on first use, after every module has loaded) and not inside ``if TYPE_CHECKING:``
(never run). ``from P import x`` is an edge to ``P.x`` when that is a module, else to
``P``. The parent packages Python initialises on the way to a submodule are not edges:
they are loaded before the submodule, so they cannot wait on it unless they import it by
name, which is an edge of their own.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "newsgold"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]):
    """Import statements that run at import time (see the module docstring)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _module_level_imports(block)
            for handler in node.handlers:
                yield from _module_level_imports(handler.body)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from _module_level_imports(node.body)


def imports_of(source: str, name: str, is_package: bool, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that module ``name`` imports at import time."""
    out: set[str] = set()
    for node in _module_level_imports(ast.parse(source).body):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            base = node.module or ""
            if node.level:  # relative: from the package the module is in
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for t in targets:
            # ``import a.b.c`` names the deepest module it reaches
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    modules = set(files)
    return {
        name: imports_of(p.read_text(encoding="utf-8"), name, p.name == "__init__.py", modules)
        for name, p in files.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as ``[a, b, ..., a]``, or None when it has none
    (iterative depth-first search; white/grey/black colouring)."""
    colour: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if colour.get(start):
            continue
        path = [start]
        stack = [iter(sorted(graph.get(start, ())))]
        colour[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = 2
                stack.pop()
            elif colour.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif not colour.get(nxt):
                colour[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return None


# -- the finder and the parser themselves, on small fake inputs, so the real test can fail --


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"a"}}) == ["a", "a"]
    # a diamond is no cycle; the cycle hidden behind it is found with its own nodes only
    assert find_cycle({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}) is None
    assert find_cycle({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": {"e"}, "e": {"d"}}) == [
        "d",
        "e",
        "d",
    ]
    assert find_cycle({}) is None
    assert find_cycle({"x": {"y"}}) is None  # an edge to a node with no entry


def test_only_import_time_imports_are_edges():
    modules = {"newsgold", "newsgold.a", "newsgold.b", "newsgold.c", "newsgold.d", "newsgold.pkg",
               "newsgold.pkg.e", "newsgold.pkg.f"}  # fmt: skip
    source = """
from typing import TYPE_CHECKING
import newsgold.a
if TYPE_CHECKING:
    from newsgold import b
else:
    from newsgold import c
def later():
    import newsgold.d
try:
    from .pkg import e
except ImportError:
    pass
class K:
    from newsgold.pkg import helper
"""
    got = imports_of(source, "newsgold.x", False, modules)
    assert got == {"newsgold.a", "newsgold.c", "newsgold.pkg.e", "newsgold.pkg"}
    # relative imports inside a package's __init__ and inside one of its modules
    assert imports_of("from . import f", "newsgold.pkg", True, modules) == {"newsgold.pkg.f"}
    assert imports_of("from .f import g", "newsgold.pkg.e", False, modules) == {"newsgold.pkg.f"}
    assert imports_of("from .. import a", "newsgold.pkg.e", False, modules) == {"newsgold.a"}


def test_a_cycle_in_a_fake_package_is_found(tmp_path):
    pkg = tmp_path / "newsgold"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "one.py").write_text("from newsgold.sub.two import f\n")
    (pkg / "sub" / "two.py").write_text("def f():\n    from newsgold import one\n")
    assert find_cycle(import_graph(pkg)) is None  # the import back is lazy
    (pkg / "sub" / "two.py").write_text("from newsgold import one\ndef f(): pass\n")
    assert find_cycle(import_graph(pkg)) == ["newsgold.one", "newsgold.sub.two", "newsgold.one"]


# -- the package --


def test_the_package_graph_is_read():
    graph = import_graph()
    assert len(graph) > 50
    # a known module-level import, so an empty or misparsed graph cannot pass
    assert "newsgold.model" in graph["newsgold.formats.textonly"]


def test_newsgold_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
