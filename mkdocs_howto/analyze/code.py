"""Read the syntax tree of one object's source, at its real line numbers."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

import griffe

from mkdocs_howto.analyze.sentences import unparse
from mkdocs_howto.analyze.steps import comment_lines

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass(frozen=True)
class ParsedSource:
    """The definition node of an object and the comments around it."""

    node: Definition
    comments: dict[int, str]


def parse_object(obj: griffe.Object) -> ParsedSource | None:
    """Parse the object's own source; None when Griffe has none (stubs, C extensions)."""
    if obj.lineno is None:
        return None
    try:
        source = obj.source
        tree = ast.parse(source)
    except (SyntaxError, ValueError, OSError, RecursionError):
        return None
    if not tree.body or not isinstance(tree.body[0], Definition):
        return None
    ast.increment_lineno(tree, obj.lineno - 1)
    return ParsedSource(tree.body[0], comment_lines(source, obj.lineno))


def own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Walk a function body without entering nested functions, classes or lambdas.

    Iterative, not recursive: a 1,000-term `a + a + …` is valid Python and must not hit the
    recursion limit here.
    """
    stack = list(reversed(list(ast.iter_child_nodes(node))))
    while stack:
        child = stack.pop()
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        yield child
        stack.extend(reversed(list(ast.iter_child_nodes(child))))


@dataclass(frozen=True)
class FunctionShape:
    """What a function's code shows about how it must be called and what it produces."""

    is_async: bool
    is_generator: bool
    returns: tuple[str, ...]
    yields: tuple[str, ...]
    raises: tuple[str, ...]

    @property
    def kind(self) -> str:
        if self.is_generator:
            return "async generator" if self.is_async else "generator"
        return "async function" if self.is_async else "function"


def function_shape(node: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionShape:
    returns: list[str] = []
    yields: list[str] = []
    raises: list[str] = []
    for child in own_nodes(node):
        if isinstance(child, ast.Return) and child.value is not None:
            _add(returns, unparse(child.value, 50))
        elif isinstance(child, ast.Yield | ast.YieldFrom):
            _add(yields, unparse(child.value, 50) if child.value is not None else "None")
        elif isinstance(child, ast.Raise) and child.exc is not None:
            exc = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
            _add(raises, unparse(exc, 40))
    return FunctionShape(
        is_async=isinstance(node, ast.AsyncFunctionDef),
        is_generator=bool(yields),
        returns=tuple(returns),
        yields=tuple(yields),
        raises=tuple(raises),
    )


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
