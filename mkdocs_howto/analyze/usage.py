"""Usage examples mined from the project itself: its tests, example scripts and docs.

A candidate snippet is a function body (a test, an example's `main`) or the statements of a
script (a module of `examples/`, a fenced Python block of a Markdown page). It is kept when it
is self-contained: every name it uses is bound in it, imported by its file, or a builtin. Its
code is the imports it needs followed by its statements, as the author wrote them. Which
documented object a snippet calls is decided later, with the API lookup (`best_snippets`).
"""

from __future__ import annotations

import ast
import builtins
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mkdocs_howto.analyze.code import bound_names
from mkdocs_howto.analyze.example import import_block
from mkdocs_howto.analyze.symbols import Lookup
from mkdocs_howto.sources import python_lines

_FENCE = re.compile(
    r"^([ \t]*)(```+|~~~+)[ \t]*(?:python|py|python3)\b[^\n]*\n(.*?)^\1\2[ \t]*$", re.M | re.S
)


@dataclass(frozen=True)
class Snippet:
    """A self-contained piece of the project's own code and what it calls."""

    code: str
    calls: tuple[str, ...]
    """Dotted paths called, as the file's imports name them (`pkg.Feed.readings`)."""
    where: str
    """File and line, as shown on the page: `tests/test_feed.py:12`."""
    lines: int


@dataclass(frozen=True)
class UsageIndex:
    """Every candidate snippet of the usage folders (its repr changes when they change)."""

    snippets: tuple[Snippet, ...] = ()


def collect_usage(folders: Iterable[Path], root: Path) -> UsageIndex:
    """Read the `.py` and `.md` files below `folders`; `root` is what `where` is relative to."""
    snippets: list[Snippet] = []
    for folder in folders:
        files = sorted(folder.rglob("*")) if folder.is_dir() else []
        for path in files:
            if path.suffix not in (".py", ".md") or "__pycache__" in path.parts:
                continue
            try:
                text = path.read_text(encoding="utf-8-sig")  # a BOM would not parse
            except (OSError, UnicodeDecodeError):
                continue
            shown = _relative(path, root)
            if path.suffix == ".py":
                script = not path.name.startswith(("test_", "conftest"))
                snippets += snippets_in(text, shown, script=script)
            else:
                snippets += snippets_in_markdown(text, shown)
    return UsageIndex(tuple(snippets))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def snippets_in_markdown(text: str, where: str) -> list[Snippet]:
    """Each fenced Python block of a page, as a script."""
    found = []
    for match in _FENCE.finditer(text):
        line = text.count("\n", 0, match.start(3)) + 1
        code = textwrap.dedent(match.group(3))
        found += snippets_in(code, where, script=True, first_line=line, bodies=False)
    return found


def snippets_in(
    source: str, where: str, *, script: bool, first_line: int = 1, bodies: bool = True
) -> list[Snippet]:
    """Candidate snippets of one module: function bodies and, for a script, its statements."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    lines = python_lines(source)  # numbered as `ast` numbers them
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    blocks: list[tuple[list[ast.stmt], bool]] = []
    if bodies:
        blocks += [
            (_without_docstring(node.body), isinstance(node, ast.AsyncFunctionDef))
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
    if script:
        blocks.append((list(_script_statements(tree.body)), False))
    found = []
    for body, is_async in blocks:
        snippet = _snippet(body, is_async, imports, lines, f"{where}:{{line}}", first_line)
        if snippet is not None:
            found.append(snippet)
    return found


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return body[1:]
    return body


def _script_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """A script's own statements: not imports or definitions; a `__main__` guard unwrapped."""
    for node in body:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            yield from node.body
        elif not isinstance(
            node,
            ast.Import | ast.ImportFrom | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
        ):
            yield node


def _snippet(  # noqa: PLR0917 - one call site, every argument named there
    body: list[ast.stmt],
    is_async: bool,
    imports: list[ast.Import | ast.ImportFrom],
    lines: list[str],
    where: str,
    first_line: int,
) -> Snippet | None:
    if not body or _leaves(body):
        return None
    module = ast.Module(body=body, type_ignores=[])
    bindings = _import_bindings(imports)
    free = _free_names(module)
    if free - bindings.keys():
        return None  # uses a fixture, a helper or a constant of its file: not self-contained
    calls = tuple(dict.fromkeys(_calls(module, bindings)))
    if not calls:
        return None
    start, end = body[0].lineno, body[-1].end_lineno or body[-1].lineno
    text = textwrap.dedent("\n".join(lines[start - 1 : end]))
    header = {line for line in (_import_line(node, free) for node in imports) if line}
    if is_async:
        body_text = textwrap.indent(text, "    ")
        text = f"async def main() -> None:\n{body_text}\n\n\nasyncio.run(main())"
        header.add("import asyncio")
    blank = ["", ""] if is_async else [""]
    code = "\n".join([*import_block(header), *blank, text]) if header else text
    return Snippet(
        code.rstrip() + "\n", calls, where.format(line=start + first_line - 1), end - start + 1
    )


def _leaves(body: list[ast.stmt]) -> bool:
    """Whether the body returns or yields: a fixture or a helper, not a usage example."""
    return any(
        isinstance(node, ast.Return | ast.Yield | ast.YieldFrom)
        for node in ast.walk(ast.Module(body=body, type_ignores=[]))
    )


def _import_bindings(imports: list[ast.Import | ast.ImportFrom]) -> dict[str, str]:
    """Local name → dotted path, for the file's absolute imports."""
    bound: dict[str, str] = {}
    for node in imports:
        if isinstance(node, ast.ImportFrom):
            if node.module and not node.level:
                for alias in node.names:
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        else:
            for alias in node.names:
                name = alias.asname or alias.name.split(".", 1)[0]
                bound[name] = alias.name if alias.asname else name
    return bound


def _import_line(node: ast.Import | ast.ImportFrom, used: set[str]) -> str:
    """The import statement reduced to the names the snippet uses; "" if none."""
    kept = [a for a in node.names if (a.asname or a.name.split(".", 1)[0]) in used]
    if not kept or (isinstance(node, ast.ImportFrom) and (node.level or not node.module)):
        return ""
    reduced = (
        ast.ImportFrom(module=node.module, names=kept, level=0)
        if isinstance(node, ast.ImportFrom)
        else ast.Import(names=kept)
    )
    return ast.unparse(reduced)


def _free_names(module: ast.Module) -> set[str]:
    loaded = {
        n.id for n in ast.walk(module) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    return {name for name in loaded - bound_names(module) if not hasattr(builtins, name)}


def _calls(module: ast.Module, bindings: dict[str, str]) -> Iterator[str]:
    """Dotted paths of the calls, through imports and variables holding instances."""
    names = dict(bindings)
    for node in ast.walk(module):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            path = _dotted(node.value.func, names)
            for target in node.targets:
                if path is not None and isinstance(target, ast.Name):
                    names[target.id] = path
        elif isinstance(node, ast.withitem) and isinstance(node.context_expr, ast.Call):
            path = _dotted(node.context_expr.func, names)
            if path is not None and isinstance(node.optional_vars, ast.Name):
                names[node.optional_vars.id] = path
    for node in ast.walk(module):
        if isinstance(node, ast.Call):
            path = _dotted(node.func, names)
            if path is not None:
                yield path


def _dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, names)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def best_snippets(index: UsageIndex, lookup: Lookup) -> dict[str, Snippet]:
    """The shortest snippet calling each documented object (a class: it or its methods),
    by canonical path."""
    best: dict[str, Snippet] = {}
    for snippet in index.snippets:
        for path in snippet.calls:
            symbol = lookup(path)
            if symbol is None or symbol.kind not in ("class", "function"):
                continue
            keys = [symbol.path]
            parent = lookup(symbol.path.rsplit(".", 1)[0]) if "." in symbol.path else None
            if symbol.kind == "function" and parent is not None and parent.kind == "class":
                keys.append(parent.path)
            for key in keys:
                current = best.get(key)
                if current is None or (snippet.lines, len(snippet.code)) < (
                    current.lines,
                    len(current.code),
                ):
                    best[key] = snippet
    return best
