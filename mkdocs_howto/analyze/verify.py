"""Check a usage example against the loaded API: it parses and its imports resolve."""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Callable

#: Answers whether a dotted path names a module or object of the documented packages.
Resolver = Callable[[str], bool]


def check_example(code: str, packages: frozenset[str], resolves: Resolver) -> tuple[str, ...]:
    """Problems found in `code`; empty when every check passed."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        return (f"does not parse: {error.msg} (line {error.lineno})",)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                problems.extend(_check_import(node.module, alias.name, packages, resolves))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                problems.extend(_check_import(alias.name, None, packages, resolves))
    return tuple(problems)


def _check_import(
    module: str, name: str | None, packages: frozenset[str], resolves: Resolver
) -> list[str]:
    top = module.split(".", 1)[0]
    if top in packages:
        path = f"{module}.{name}" if name and name != "*" else module
        return [] if resolves(path) else [f"imports `{path}`, which does not exist"]
    if top in sys.stdlib_module_names or _installed(top):
        return []
    return [f"imports `{module}`, which is neither documented here nor installed"]


def _installed(top: str) -> bool:
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False
