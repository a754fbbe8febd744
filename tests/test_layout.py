"""The package reads like a map: no import cycles, no module reaching into another's private
names, small folders, modules of one job, and shells (CLI, web, reports) that hold no SQL."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsparallax"
ROOT = "newsparallax"

#: Modules over MAX_LINES that are each one thing, with why.
LONG_ON_PURPOSE: dict[str, str] = {}
MAX_LINES = 600
MAX_MODULES_PER_FOLDER = 15
#: The shells: they call the library and hold no SQL of their own.
SHELLS = ("newsparallax.cli", "newsparallax.web", "newsparallax.report")
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b[^\"']*\b(FROM|INTO|SET|WHERE)\b")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, str, int, str]]:
    """``(imported module, imported name or "", line, name bound)`` for every import of a package
    module, top-level or inside a function, outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if not (base == ROOT or base.startswith(ROOT + ".")):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                bound = alias.asname or alias.name
                if full in MODULES:
                    yield full, "", node.lineno, bound
                else:
                    yield base, alias.name, node.lineno, bound
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(ROOT):
                    yield alias.name, "", node.lineno, alias.asname or alias.name


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for target, _, _, _ in _imports(name, path):
            while target not in MODULES and "." in target:
                target = target.rsplit(".", 1)[0]
            # importing a package runs its __init__; importing a submodule of one's own package
            # is not a cycle through that package's __init__
            if target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
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


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_attributes(name: str, path: Path) -> Iterator[str]:
    """``module._name`` uses, where ``module`` is a package module this one imported."""
    modules = {bound for _, imported, _, bound in _imports(name, path) if not imported}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            yield f"{name}:{node.lineno} uses {node.value.id}.{node.attr}"


def test_no_module_imports_another_modules_private_names() -> None:
    private = [
        f"{name}:{line} imports {target}.{imported}"
        for name, path in MODULES.items()
        for target, imported, line, _ in _imports(name, path)
        if _private(imported) and target != name
    ]
    private += [use for name, path in MODULES.items() for use in _private_attributes(name, path)]
    assert private == []


def test_folders_are_small() -> None:
    folders: dict[Path, int] = {}
    for path in MODULES.values():
        if path.name != "__init__.py":
            folders[path.parent] = folders.get(path.parent, 0) + 1
    big = {str(f.relative_to(PACKAGE)): n for f, n in folders.items() if n > MAX_MODULES_PER_FOLDER}
    assert big == {}


def test_modules_are_short_unless_one_thing() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and name not in LONG_ON_PURPOSE
    }
    assert long == {}


@pytest.mark.parametrize("shell", SHELLS)
def test_shells_hold_no_sql(shell: str) -> None:
    with_sql = [
        f"{name}:{node.lineno}"
        for name, path in MODULES.items()
        if name == shell or name.startswith(shell + ".")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _SQL.search(node.value)
    ]
    assert with_sql == []
