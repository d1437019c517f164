"""Module-level guards around a definition or an import, read from the module's lines.

`if __name__ == "__main__":` (demo code, not API), `if TYPE_CHECKING:` in any spelling (names
for type checkers only) and any other top-level `if` (a definition that exists only on some
platforms or set-ups), so that pages and examples never import what does not exist at run
time. Pure: Griffe objects in, answers out.
"""

from __future__ import annotations

import ast
import builtins
import re
import weakref
from dataclasses import dataclass

import griffe

Documentable = griffe.Class | griffe.Function


# `if __name__ == "__main__":`, also as one clause of a longer condition
# (`if sys.platform != "win32" and __name__ == "__main__":`).
_MAIN_GUARD = re.compile(r"""^if\b.*\b__name__\s*==\s*['"]__main__['"]""")
# `if TYPE_CHECKING:`, however `typing` was imported (`t.TYPE_CHECKING`, `typing.TYPE_CHECKING`);
# Griffe itself only recognises the first and the last spelling.
_TYPE_CHECKING_GUARD = re.compile(r"^if\s+(\w+\.)*TYPE_CHECKING\s*:")


def under_main_guard(module: griffe.Module, obj: Documentable | griffe.Alias) -> bool:
    """Demo code under `if __name__ == "__main__":` is not API, whatever its names, and its
    imports are not import paths (they run only when the module is a script)."""
    return _MAIN_GUARD.match(_top_level_line(module, obj)) is not None


def type_checking_only(module: griffe.Module, obj: Documentable | griffe.Alias) -> bool:
    """Whether `obj` is defined or imported under `if TYPE_CHECKING:`: it does not exist when
    the module runs, so `from <module> import <name>` fails."""
    lineno = getattr(obj, "alias_lineno", None) if isinstance(obj, griffe.Alias) else obj.lineno
    test = _branch_test(module, lineno) if lineno else None
    if test is None:
        # Griffe's own flag, where the module's lines cannot say; it also marks the `else:`
        # of `if TYPE_CHECKING:` as type-checking only, so the chain decides when it can
        return (
            not obj.runtime and _TYPE_CHECKING_GUARD.match(_top_level_line(module, obj)) is not None
        )
    return _TYPE_CHECKING_GUARD.match(f"if {test}:") is not None


#: Modules a platform condition may test (`sys.platform`, `os.name`, `platform.system()`).
PLATFORM_MODULES = frozenset({"sys", "os", "platform"})


@dataclass(frozen=True)
class Guard:
    """The condition a module-level `if` puts on a definition, as an example can test it."""

    test: str
    """`sys.platform == "win32"`, or `hasattr(pkg.mod, "name")` when the condition itself
    names things only the module has (`if not has_refcount_gc:`)."""
    imports: tuple[str, ...]
    """What `test` needs imported: `import sys`, `import pkg.mod`."""
    written: str
    """The condition as the module writes it, for the reader."""


def definition_guard(module: griffe.Module, obj: Documentable) -> Guard | None:
    """The guard on `obj` when a top-level `if` / `elif` / `else` defines it, so it exists
    only on some platforms, interpreters or set-ups; None when it is always defined."""
    test = _enclosing_test(module, obj)
    if not test or _TYPE_CHECKING_GUARD.match(f"if {test}:") or "__name__" in test:
        return None
    try:
        tree = ast.parse(test, mode="eval")
    except SyntaxError:
        return None
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    modules = names & PLATFORM_MODULES
    if modules and names - modules <= {"hasattr", "getattr"} and _stdlib_names(module, modules):
        return Guard(test, tuple(f"import {m}" for m in sorted(modules)), test)
    # anything else names the module's own globals (`HAVE_C`): read them through the module
    return Guard(_qualified(test, tree, module.path), (f"import {module.path}",), test)


def _qualified(test: str, tree: ast.Expression, module: str) -> str:
    """`not HAVE_C` → `not pkg.mod.HAVE_C`, edited in the text so the condition keeps its
    quotes and spacing; builtins (`hasattr`, `len`) stay as they are."""
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and not hasattr(builtins, n.id)]
    for name in sorted(names, key=lambda n: n.col_offset, reverse=True):
        test = f"{test[: name.col_offset]}{module}.{test[name.col_offset :]}"
    return test


def _stdlib_names(module: griffe.Module, names: set[str]) -> bool:
    """`from sys import platform` makes `platform` a string: only the modules themselves."""
    for name in names:
        imported = module.members.get(name)
        if not (isinstance(imported, griffe.Alias) and imported.target_path == name):
            return False
    return True


def _enclosing_test(module: griffe.Module, obj: Documentable) -> str | None:
    return _branch_test(module, obj.lineno) if obj.lineno else None


def _branch_test(module: griffe.Module, lineno: int) -> str | None:
    """The condition under which the module-level `if` chain holding line `lineno` runs its
    branch: `t1`, `not (t1) and t2` for an `elif`, `not (t1) and not (t2)` for the `else`."""
    for first, last, chain in _if_chains(module):
        if first <= lineno <= last:
            for span, test in chain:
                if span[0] <= lineno <= span[1]:
                    return test
            return None
    return None


_Chains = list[tuple[int, int, list[tuple[tuple[int, int], str]]]]
#: Per module object, while it lives: asked for every definition of the module.
_CHAINS: weakref.WeakKeyDictionary[griffe.Module, _Chains] = weakref.WeakKeyDictionary()


def _if_chains(module: griffe.Module) -> _Chains:
    """Each module-level `if` statement: its lines, and each branch's lines and condition.
    Read once per module (the result is small; the tree is not kept)."""
    chains = _CHAINS.get(module)
    if chains is None:
        text = "\n".join(_module_lines(module))
        chains = _CHAINS[module] = _chains_of(text) if "if" in text else []
    return chains


def _chains_of(text: str) -> _Chains:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    chains = []
    for node in tree.body:
        if not isinstance(node, ast.If):
            continue
        branches: list[tuple[tuple[int, int], str]] = []
        earlier: list[str] = []
        current: ast.If | None = node
        while current is not None:
            # as written (quotes and all), on one line: it becomes the example's `if`
            test = " ".join((ast.get_source_segment(text, current.test) or "").split())
            condition = " and ".join([*earlier, test]) if earlier else test
            branches.append((_span(current.body), condition))
            if not _TYPE_CHECKING_GUARD.match(f"if {test}:"):  # `not TYPE_CHECKING`: always
                earlier.append(f"not ({test})")
            orelse = current.orelse
            if len(orelse) == 1 and isinstance(orelse[0], ast.If):
                current = orelse[0]
                continue
            if orelse:
                branches.append((_span(orelse), " and ".join(earlier)))
            current = None
        chains.append((node.lineno, node.end_lineno or node.lineno, branches))
    return chains


def _span(body: list[ast.stmt]) -> tuple[int, int]:
    first = body[0]
    start = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
    return start, body[-1].end_lineno or body[-1].lineno


def _module_lines(module: griffe.Module) -> list[str]:
    try:
        return module.lines  # Griffe keeps them: not copied
    except (OSError, ValueError):
        return []


def _top_level_index(module: griffe.Module, obj: Documentable | griffe.Alias) -> int | None:
    """Index in the module's lines of the module-level statement holding `obj`'s definition
    (or import)."""
    lineno = getattr(obj, "alias_lineno", None) if isinstance(obj, griffe.Alias) else obj.lineno
    lines = _module_lines(module)
    if not lineno or not lines:
        return None
    # from the statement's own line up: a top-level definition is its own holder
    for index in range(min(lineno, len(lines)) - 1, -1, -1):
        line = lines[index]
        if line and not line[0].isspace() and not line.startswith(("#", ")", "]", "}")):
            return index
    return None


def _top_level_line(module: griffe.Module, obj: Documentable | griffe.Alias) -> str:
    """The module-level statement line that holds `obj`'s definition (or import)."""
    index = _top_level_index(module, obj)
    return "" if index is None else _module_lines(module)[index]
