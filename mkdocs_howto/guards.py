"""Module-level guards around a definition or an import, read from the module's lines.

`if __name__ == "__main__":` (demo code, not API), `if TYPE_CHECKING:` in any spelling (names
for type checkers only), any other top-level `if` (a definition that exists only on some
platforms or set-ups) and top-level `try:` / `except` (a definition that exists only when an
optional dependency imports, or only where a builtin is missing), so that pages say when a
name exists and examples never import what does not exist at run time. Pure: Griffe objects
in, answers out.
"""

from __future__ import annotations

import ast
import builtins
import re
import weakref
from dataclasses import dataclass

import griffe

from mkdocs_howto.errors import display_path

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
    """The condition as the module writes it, for the reader (for a `try:`, in words, code
    in backticks: "`browser_cookie3` can be imported")."""
    wording: tuple[tuple[bool, str], ...] = ()
    """When the name exists, as the page says it: (is code, text) pieces of one sentence
    (`(False, "Defined only when "), (True, "browser_cookie3"), (False, " can be imported.")`);
    empty for an `if`: see `sentence_of`."""
    lineno: int | None = None
    """For a guard that cannot be tested (`test` is empty): the `try:` line."""


def definition_guard(module: griffe.Module, obj: Documentable) -> Guard | None:
    """The guard on `obj` when a top-level `if` / `elif` / `else` defines it, so it exists
    only on some platforms, interpreters or set-ups; None when it is always defined."""
    test = _enclosing_test(module, obj)
    if test is None:
        return try_guard(module, obj)
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


#: A line as Python counts them (`ast._splitlines_no_ff`: not split at form feeds).
_SOURCE_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _source_lines(text: str) -> list[str]:
    return _SOURCE_LINE.findall(text)


def _segment(lines: list[str], node: ast.expr) -> str:
    """`ast.get_source_segment(text, node)` with the lines split once per module, not once
    per call (rich: 1 s of the analysis in cProfile)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    start, end = node.col_offset, node.end_col_offset
    if end is None:
        return ""
    if first == last:
        return lines[first].encode()[start:end].decode()
    middle = lines[first + 1 : last]
    return "".join(
        [lines[first].encode()[start:].decode(), *middle, lines[last].encode()[:end].decode()]
    )


def _chains_of(text: str) -> _Chains:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    chains = []
    lines = _source_lines(text)
    for node in tree.body:
        if not isinstance(node, ast.If):
            continue
        branches: list[tuple[tuple[int, int], str]] = []
        earlier: list[str] = []
        current: ast.If | None = node
        while current is not None:
            # as written (quotes and all), on one line: it becomes the example's `if`
            test = " ".join(_segment(lines, current.test).split())
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


# ----------------------------------------------------------------- `try:` / `except`

#: The Python version that added a builtin: `except NameError:` fallbacks name it.
BUILTIN_SINCE = {
    "anext": "3.10",
    "aiter": "3.10",
    "EncodingWarning": "3.10",
    "ExceptionGroup": "3.11",
    "BaseExceptionGroup": "3.11",
    "breakpoint": "3.7",
    "ModuleNotFoundError": "3.6",
}
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
_ONLY_WHEN = "Defined only when "


def sentence_of(guard: Guard) -> tuple[tuple[bool, str], ...]:
    """What the page says of a guarded definition: (is code, text) pieces of one sentence."""
    return guard.wording or ((False, _ONLY_WHEN), (True, guard.written), (False, "."))


@dataclass(frozen=True)
class _Region:
    """The lines of one way through a module-level `try:`: its body (and `else:`), or one
    `except` handler, with the names each binds."""

    first: int
    last: int
    handler: tuple[str, ...] | None
    """The exception names the handler catches; None for the body."""
    binds: frozenset[str]
    completes: bool
    """False for a handler that always raises: no name it binds survives."""


@dataclass(frozen=True)
class _TryBlock:
    lineno: int
    body: ast.Try | ast.TryStar
    regions: tuple[_Region, ...]


_TRIES: weakref.WeakKeyDictionary[griffe.Module, list[_TryBlock]] = weakref.WeakKeyDictionary()


def try_guard(module: griffe.Module, obj: Documentable) -> Guard | None:
    """The guard a module-level `try:` puts on `obj`: it exists only when the body's imports
    work (`except ImportError:`), only when they fail (defined in that handler), only where
    a builtin is missing (`except NameError:`); a guard that cannot be stated says where
    the `try:` is. None when every way through the `try:` defines the name."""
    lineno = obj.lineno
    if not lineno:
        return None
    for block in _try_blocks(module):
        region = next((r for r in block.regions if r.first <= lineno <= r.last), None)
        if region is None:
            continue
        ways = [r for r in block.regions if r.completes]
        if all(obj.name in r.binds for r in ways):
            return None  # defined whichever way: always there
        return _import_guard(block, region) or _builtin_guard(block, region) or _unstated(block)
    return None


def _unstated(block: _TryBlock) -> Guard:
    where = f"defined inside a `try:` block at line {block.lineno}"
    wording = (
        (False, "Defined inside a "),
        (True, "try:"),
        (False, f" block at line {block.lineno}."),
    )
    return Guard("", (), where, wording, block.lineno)


def _import_guard(block: _TryBlock, region: _Region) -> Guard | None:
    """`try: import x` / `except ImportError:`: the name needs `x` (or its absence)."""
    handlers = [r.handler for r in block.regions if r.handler is not None]
    if not any(set(h) & _IMPORT_ERRORS for h in handlers):
        return None
    if region.handler is not None and not set(region.handler) & _IMPORT_ERRORS:
        return None
    modules = _imported_modules(block.body)
    if len(modules) != 1:
        return None
    name = modules[0]
    found = f'importlib.util.find_spec("{name}")'
    if region.handler is None:
        return Guard(
            f"{found} is not None",
            ("import importlib.util",),
            f"`{name}` can be imported",
            ((False, _ONLY_WHEN), (True, name), (False, " can be imported.")),
        )
    return Guard(
        f"{found} is None",
        ("import importlib.util",),
        f"`{name}` cannot be imported",
        ((False, _ONLY_WHEN), (True, name), (False, " cannot be imported.")),
    )


def _builtin_guard(block: _TryBlock, region: _Region) -> Guard | None:
    """`try: anext` / `except NameError: def anext(...)`: a backport for older Pythons."""
    if region.handler is None or "NameError" not in region.handler:
        return None
    body = block.body.body
    if not (len(body) == 1 and isinstance(body[0], ast.Expr)):
        return None
    value = body[0].value
    if not isinstance(value, ast.Name):
        return None
    # (the interpreter running the plugin may lack the builtin too: the test is the same)
    name = value.id
    since = BUILTIN_SINCE.get(name)
    python = f" (Python < {since})" if since else ""
    return Guard(
        f'not hasattr(builtins, "{name}")',
        ("import builtins",),
        f"`{name}` is not a builtin{python}",
        ((False, _ONLY_WHEN), (True, name), (False, f" is not a builtin{python}.")),
    )


def _imported_modules(node: ast.Try | ast.TryStar) -> list[str]:
    """The modules the `try:` body imports (absolute names; a relative one as written)."""
    found = []
    for statement in node.body:
        if isinstance(statement, ast.Import):
            found += [alias.name for alias in statement.names]
        elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
            found.append(statement.module)
        elif isinstance(statement, ast.ImportFrom):
            found.append("." * statement.level + (statement.module or ""))
    return list(dict.fromkeys(name for name in found if not name.startswith(".")))


def _try_blocks(module: griffe.Module) -> list[_TryBlock]:
    blocks = _TRIES.get(module)
    if blocks is None:
        text = "\n".join(_module_lines(module))
        blocks = _TRIES[module] = _blocks_of(text) if "try" in text else []
    return blocks


def _blocks_of(text: str) -> list[_TryBlock]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    blocks = []
    for node in tree.body:
        if not isinstance(node, ast.Try | ast.TryStar):
            continue
        first, last = _span(node.body)
        body_binds = _binds(node.body) | _binds(node.orelse)
        if node.orelse:
            last = _span(node.orelse)[1]
        regions = [_Region(first, last, None, body_binds, True)]
        for handler in node.handlers:
            caught = tuple(_caught(handler.type))
            start, end = _span(handler.body)
            completes = not any(isinstance(s, ast.Raise) for s in handler.body)
            regions.append(_Region(start, end, caught, _binds(handler.body), completes))
        blocks.append(_TryBlock(node.lineno, node, tuple(regions)))
    return blocks


def _caught(node: ast.expr | None) -> list[str]:
    if node is None:
        return ["BaseException"]
    if isinstance(node, ast.Tuple):
        return [name for element in node.elts for name in _caught(element)]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    return [node.id] if isinstance(node, ast.Name) else []


def _binds(body: list[ast.stmt]) -> frozenset[str]:
    """Names the statements bind at their own level (definitions, imports, assignments)."""
    names: set[str] = set()
    for statement in body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".", 1)[0] for a in statement.names}
        elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(statement, ast.If | ast.Try):
            names |= _binds(statement.body) | _binds(getattr(statement, "orelse", []))
    return frozenset(names)


# ----------------------------------------------------------------- imports that cannot work

_BROKEN: weakref.WeakKeyDictionary[griffe.Module, str] = weakref.WeakKeyDictionary()


def broken_import(module: griffe.Module) -> str | None:
    """Why importing `module` fails for everyone, when it statically does: one of its
    module-level `from … import …` lines (or one of a module it imports that way) names a
    module of its own package that does not exist (`from ..typing import X`, no
    `pkg/typing.py`). `file:line: …`; None when every such import resolves."""
    return _broken(module, set())


def _broken(module: griffe.Module, seen: set[str]) -> str | None:
    known = _BROKEN.get(module)
    if known is not None:
        return known or None
    if module.path in seen:
        return None  # an import cycle: Python runs it, and so does this check
    seen.add(module.path)
    found = ""
    top = module.path.split(".", 1)[0]
    for alias in list(module.members.values()):
        if not isinstance(alias, griffe.Alias) or not alias.target_path.startswith(f"{top}."):
            continue
        line = _top_level_line(module, alias)
        if not line.startswith("from "):
            continue  # conditional (`if`, `try:`), or `import pkg.x` (binds `pkg`)
        home = alias.target_path.rsplit(".", 1)[0]
        target = _module_at(module, home)
        if target is None and not _file_for(module, home):
            lineno = getattr(alias, "alias_lineno", None) or 1
            where = _display(module)
            found = (
                f"{where}:{lineno}: `{line.strip()}` names module `{home}`, which does not exist"
            )
            break
        if target is not None:
            inner = _broken(target, seen)
            if inner:
                found = inner
                break
    _BROKEN[module] = found
    return found or None


def _module_at(module: griffe.Module, path: str) -> griffe.Module | None:
    try:
        found = module.modules_collection.get_member(path)
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    return found if isinstance(found, griffe.Module) else None


def _file_for(module: griffe.Module, path: str) -> bool:
    """Whether a file or folder could hold `path` (a module Griffe skipped: a syntax error,
    a compiled extension): not missing, and warned about elsewhere."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        holder = _module_at(module, ".".join(parts[:cut]))
        if holder is None:
            continue
        filepath = holder.filepath
        if isinstance(filepath, list) or filepath.name not in ("__init__.py", "__init__.pyi"):
            return False
        folder = filepath.parent.joinpath(*parts[cut:-1])
        name = parts[-1]
        return (folder / name).is_dir() or any(folder.glob(f"{name}.*"))
    return False


def _display(module: griffe.Module) -> str:
    filepath = module.filepath
    if isinstance(filepath, list):
        return module.path
    return display_path(str(filepath))
