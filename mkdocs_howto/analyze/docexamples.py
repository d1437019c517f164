"""Docstring examples completed and checked like generated ones: the names they use.

Doctests are often written inside the module they document and call its functions the way
its own code does: `decimal(30000)` or, after `import units` in a doctest setup the page does
not show, `units.decimal(30000)`. A reader who pastes them gets a `NameError`. The module's
own names get the import they need (shown in the example); any other name used but never
defined, imported or built in is a problem that names it (a pyflakes-style check).
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs_howto.analyze.code import bound_names
from mkdocs_howto.analyze.symbols import Lookup

#: The aliases doctests conventionally import modules under (`import networkx as nx` in a
#: doctest setup the page does not show).
CONVENTIONAL_ALIASES = {
    "np": "numpy",
    "pd": "pandas",
    "nx": "networkx",
    "plt": "matplotlib.pyplot",
    "mpl": "matplotlib",
    "sp": "scipy",
    "sa": "sqlalchemy",
    "pl": "polars",
    "tf": "tensorflow",
    "dt": "datetime",
}
#: Names a doctest session or script always has.
_ALWAYS_BOUND = {"__file__", "__name__", "_", "__builtins__"}


@dataclass(frozen=True)
class Completed:
    """A docstring example with the imports it lacked, and the names nothing defines."""

    code: str
    imports: tuple[str, ...]
    undefined: tuple[str, ...]


def free_names(tree: ast.AST) -> list[str]:
    """Names read but never bound in the snippet nor built in, in order of first use."""
    bound = bound_names(tree) | _ALWAYS_BOUND
    found: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and node.id not in bound
            and not hasattr(builtins, node.id)
            and node.id not in found
        ):
            found.append(node.id)
    return found


def module_of(path: str, lookup: Lookup) -> str | None:
    """The module defining a canonical path (`units.decimal` → `units`)."""
    parts = path.split(".")
    for end in range(len(parts) - 1, 0, -1):
        symbol = lookup(".".join(parts[:end]))
        if symbol is not None and symbol.kind == "module":
            return symbol.path
    return None


def complete(
    source: str,
    code: str,
    *,
    doctest: bool,
    module: str,
    lookup: Lookup,
    installed: Callable[[str], bool] = lambda top: False,
) -> Completed:
    """`code` as shown (a doctest or a script) with an import for each name of `module` it
    uses bare (`decimal`) or by the module's own name (`units.decimal`), and for a
    conventional alias (`np`) of a package `installed` finds; `source` is its Python (the
    doctest's statements). Other undefined names are reported."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return Completed(code, (), ())
    imports: list[str] = []
    undefined: list[str] = []
    for name in free_names(tree):
        line = _import_for(name, module, lookup) or _conventional(name, module, installed)
        if line is None:
            undefined.append(name)
        else:
            imports.append(line)
    if not imports:
        return Completed(code, (), tuple(undefined))
    if doctest:
        indent = code[: len(code) - len(code.lstrip())]
        head = "".join(f"{indent}>>> {line}\n" for line in imports)
        return Completed(head + code.lstrip(), tuple(imports), tuple(undefined))
    return Completed("\n".join(imports) + "\n\n" + code, tuple(imports), tuple(undefined))


def _import_for(name: str, module: str, lookup: Lookup) -> str | None:
    """`import units` / `from pkg import units` for a module's own name; `from pkg import
    decimal` (its public path) for a name the module defines."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if parts[end - 1] != name:
            continue
        if end == 1:
            return f"import {name}"
        return f"from {'.'.join(parts[: end - 1])} import {name}"
    symbol = lookup(f"{module}.{name}")
    if symbol is not None and not symbol.runtime and symbol.path != f"{module}.{name}":
        # imported for type checkers only (`if TYPE_CHECKING: from .specifiers import
        # SpecifierSet`): the doctest means the class itself, imported where it is defined
        symbol = lookup(symbol.path)
    if symbol is None or symbol.kind == "module" or not symbol.runtime:
        return None
    public = symbol.import_path or symbol.path
    home, _, last = public.rpartition(".")
    if last != name or not home:
        return f"from {module} import {name}"
    return f"from {home} import {name}"


def _conventional(name: str, module: str, installed: Callable[[str], bool]) -> str | None:
    """`import numpy as np` for a conventional alias of the documented package or of an
    installed one."""
    target = CONVENTIONAL_ALIASES.get(name)
    if target is None:
        return None
    top = target.split(".", 1)[0]
    if top != module.split(".", 1)[0] and not installed(top):
        return None
    return f"import {target} as {name}"
