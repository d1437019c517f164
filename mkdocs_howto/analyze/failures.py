"""What can go wrong when calling a function: the exceptions a caller must expect.

Read from the function's own code: each `raise X(...)` with the `if` test guarding it (its
negation in an `else`), each bare `raise` / `raise error` inside `except E as error:` (E is
re-raised), and, one level deep, the direct raises of the package's own functions it calls by
name. Exceptions of other libraries' calls are not listed: the code shows none of them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import griffe

from mkdocs_howto.analyze.code import parse_object
from mkdocs_howto.analyze.sentences import shorten
from mkdocs_howto.facts import Failure

#: Failures listed at most per page: the note stays short.
MAX_FAILURES = 6
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def failures_of(func: griffe.Function) -> tuple[Failure, ...]:
    node = _node(func)
    if node is None:
        return ()
    found = list(_direct(node))
    seen = {f.exception for f in found}
    for call, target in _package_calls(func, node):
        inner = _node(target)
        for failure in _direct(inner) if inner is not None else ():
            if failure.how == "raised" and failure.exception not in seen:
                seen.add(failure.exception)
                found.append(Failure(failure.exception, call.lineno, "through", call=target.name))
    unique = list({(f.exception, f.line, f.how): f for f in found}.values())
    return tuple(unique[:MAX_FAILURES])


def _node(func: griffe.Function) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    parsed = parse_object(func)
    node = parsed.node if parsed is not None else None
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


def _walk(node: ast.AST) -> Iterator[tuple[ast.AST, tuple[ast.AST, ...]]]:
    """Each node of the body with the chain of nodes enclosing it (nested defs skipped)."""
    stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [
        (child, (node,)) for child in ast.iter_child_nodes(node)
    ]
    while stack:
        child, parents = stack.pop()
        if isinstance(child, _NESTED):
            continue
        yield child, parents
        stack.extend((grand, (*parents, child)) for grand in ast.iter_child_nodes(child))


def _direct(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Failure]:
    raises = sorted(
        ((n, parents) for n, parents in _walk(node) if isinstance(n, ast.Raise)),
        key=lambda found: found[0].lineno,
    )
    for raise_, parents in raises:
        handler = next((p for p in reversed(parents) if isinstance(p, ast.ExceptHandler)), None)
        caught = _caught_name(raise_, handler)
        if caught is not None:
            yield Failure(caught, raise_.lineno, "re-raised")
            continue
        name = _exception_name(raise_.exc)
        if name is not None:
            yield Failure(name, raise_.lineno, "raised", condition=_condition(raise_, parents))


def _caught_name(raise_: ast.Raise, handler: ast.ExceptHandler | None) -> str | None:
    """`raise` or `raise error` inside `except E as error:`: E."""
    if handler is None or handler.type is None:
        return None
    bare = raise_.exc is None
    same = isinstance(raise_.exc, ast.Name) and raise_.exc.id == handler.name
    return ast.unparse(handler.type) if bare or same else None


def _exception_name(exc: ast.expr | None) -> str | None:
    target = exc.func if isinstance(exc, ast.Call) else exc
    if isinstance(target, ast.Name | ast.Attribute):
        return ast.unparse(target)
    return None


def _condition(raise_: ast.Raise, parents: tuple[ast.AST, ...]) -> str:
    """The test of the innermost `if` around the raise (negated in its `else`)."""
    inner: ast.AST = raise_
    for parent in reversed(parents):
        if isinstance(parent, ast.If):
            test = shorten(ast.unparse(parent.test))
            return test if _contains(parent.body, inner) else f"not ({test})"
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
            break
        inner = parent
    return ""


def _contains(body: list[ast.stmt], node: ast.AST) -> bool:
    return any(statement is node for statement in body)


def _package_calls(
    func: griffe.Function, node: ast.AST
) -> Iterator[tuple[ast.Call, griffe.Function]]:
    """Calls by plain name of functions of the same package (`_check(x)`, `validate(x)`)."""
    module = func.module
    done: set[str] = set()
    for child, _ in _walk(node):
        if not (isinstance(child, ast.Call) and isinstance(child.func, ast.Name)):
            continue
        name = child.func.id
        member = module.members.get(name)
        if name in done or member is None:
            continue
        done.add(name)
        try:
            target = member.final_target if isinstance(member, griffe.Alias) else member
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        if isinstance(target, griffe.Function) and target.package is func.package:
            yield child, target
