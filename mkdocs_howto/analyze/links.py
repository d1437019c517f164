"""Steps that call a documented object link to its page.

A code span in a step that is a call (`request('get', url)`, `self.send(prepared)`, `await
session.post(url)`) or a plain reference (`FeedError` in "Raises `FeedError`") whose callee
resolves, through the module's imports or the class (`self.` / `cls.`), to a documented object
becomes a link to that object's page or method section. Only exact resolutions link: a local
variable that happens to share a documented name stays plain code.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

import griffe

from mkdocs_howto.analyze.code import nested_statements
from mkdocs_howto.facts import TYPE_NAME, Code, Link, Segment, Sentence, Step

#: Dotted name of a callee or reference -> the link to its page, or None.
Resolver = Callable[[str], str | None]


def link_steps(steps: tuple[Step, ...], resolve: Resolver) -> tuple[Step, ...]:
    """The steps with every resolvable call or reference in their sentences linked."""
    return tuple(
        replace(
            step,
            sentence=link_sentence(step.sentence, resolve),
            summary=link_sentence(step.summary, resolve),
            children=link_steps(step.children, resolve),
        )
        for step in steps
    )


def link_types(annotations: Iterable[str], resolve: Resolver) -> tuple[tuple[str, str], ...]:
    """Each dotted name in the type texts (`dict[str, Response] | None`) that `resolve`
    links, with its link, sorted by name."""
    found: dict[str, str] = {}
    for text in annotations:
        for name in set(TYPE_NAME.findall(text)) - set(found):
            href = resolve(name)
            if href:
                found[name] = href
    return tuple(sorted(found.items()))


def link_sentence(text: Sentence, resolve: Resolver) -> Sentence:
    return tuple(_linked(segment, resolve) for segment in text)


def _linked(segment: Segment, resolve: Resolver) -> Segment:
    if not isinstance(segment, Code):
        return segment
    name = callee(segment.value)
    href = resolve(name) if name else None
    return Link(segment.value, href) if href else segment


# the same spans recur on every page of a package (`self.send(request)`): parse each once
@functools.lru_cache(maxsize=8192)
def callee(code: str) -> str | None:
    """`pkg.get(url)` -> `pkg.get`; `await self.send(x)` -> `self.send`; `FeedError` ->
    `FeedError`; anything else (literals, operators, subscripts) -> None."""
    try:
        node = ast.parse(code, mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        # a long call is shown cut (`Request(method=m, url=url, …)`): its callee is whole
        cut = _CUT_CALL.match(code)
        return cut.group(1) if cut and _one_call(code[cut.end() :]) else None
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call):
        node = node.func
    return dotted(node)


_CUT_CALL = re.compile(r"(?:await\s+)?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\(")


def _one_call(arguments: str) -> bool:
    """True when `arguments` (after a callee's opening bracket) closes that call at its last
    character: `a, …)`, not `x).c(…)`, whose callee is another call's result."""
    if not arguments.endswith("…)"):
        return False
    depth = 1
    text = _STRINGS.sub("''", arguments)
    for char in text[:-1]:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return False  # closed before the end
    return depth == 1


_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def local_imports(node: ast.AST, module: griffe.Module) -> dict[str, str]:
    """Names a function imports in its own body (`from .markup import escape`) -> the dotted
    path they name, relative imports resolved against `module`."""
    found: dict[str, str] = {}
    for statement in nested_statements(node):
        if isinstance(statement, ast.ImportFrom):
            base = _absolute(statement, module)
            for alias in statement.names:
                if base and alias.name != "*":
                    found[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    first = alias.name.split(".", 1)[0]
                    found[first] = first
    return found


def _absolute(node: ast.ImportFrom, module: griffe.Module) -> str | None:
    if not node.level:
        return node.module
    parts = module.path.split(".")
    package = parts if module.is_init_module else parts[:-1]
    if node.level - 1 >= len(package):
        return None  # above the top package: Python raises ImportError
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)
