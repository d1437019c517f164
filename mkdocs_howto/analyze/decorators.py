"""How a function's decorators change the way an example uses it.

A decorator *is* shown decorating (`decorator_role`: `@option(...)`, `@define`), and a
decorator of the packages may *replace* the function it decorates with something called
differently (`replacing_decorator`: `@register.init`, pytest fixtures), so the example must
not call it by its `def` line. Both are read from the decorators' own code.
"""

from __future__ import annotations

import ast
import re
from typing import Literal

import griffe

from mkdocs_howto.analyze.code import load_memo, parse_object
from mkdocs_howto.analyze.example import DecoratorRole


def replacing_decorator(func: griffe.Function) -> str | None:
    """A decorator of the packages that replaces the function with something called
    differently (`@register.init` returning a `register` object): its name, else None.
    Decorators that use `functools.wraps` / `update_wrapper` or return the function
    unchanged keep its signature; decorators from elsewhere are taken to keep it."""
    memo = load_memo(func)
    key = ("replaced by", func.path)
    if key not in memo:
        memo[key] = None  # asked again while answering (`@length.expression` on `length`)
        memo[key] = next(filter(None, (_replacing(func, d) for d in func.decorators)), None)
    return memo[key]  # type: ignore[no-any-return]


def _replacing(func: griffe.Function, decorator: griffe.Decorator) -> str | None:
    path = decorator.callable_path
    if path.rsplit(".", 1)[-1] == "fixture":
        return str(decorator.value)  # pytest fixtures are requested, never called
    found = _resolved(func.modules_collection, path)
    if found is None:
        # `@generate_driver_url.for_db("mssql")`: an attribute of a function that a
        # decorator already replaced is the replacement's
        owner = _resolved(func.modules_collection, path.rsplit(".", 1)[0])
        if owner is func:  # `@length.setter` on `length`: a descriptor's part, not a method
            return str(decorator.value)
        replaced = isinstance(owner, griffe.Function) and replacing_decorator(owner)
        return str(decorator.value) if replaced else None
    if isinstance(found, griffe.Class):
        return str(decorator.value)
    applied_as_call = isinstance(decorator.value, griffe.ExprCall)
    if isinstance(found, griffe.Function) and not _keeps_signature(found, applied_as_call):
        return str(decorator.value)
    return None


def _resolved(collection: griffe.ModulesCollection, path: str) -> griffe.Object | None:
    try:
        found = collection.get_member(path)
        return found.final_target if isinstance(found, griffe.Alias) else found
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _keeps_signature(decorator: griffe.Function, applied_as_call: bool) -> bool:
    parsed = parse_object(decorator)
    if parsed is None or not isinstance(parsed.node, ast.FunctionDef | ast.AsyncFunctionDef):
        return True
    node: ast.FunctionDef | ast.AsyncFunctionDef = parsed.node
    if applied_as_call:  # `@route("/")`: the nested decorator the factory returns applies
        inner = _returned_nested(node)
        if inner is None:  # `return register(decorator).for_db("*")`: an object of ours
            return not _returns_package_object(decorator, node)
        node = inner
    args = [*node.args.posonlyargs, *node.args.args]
    if args and args[0].arg in ("self", "cls") and not applied_as_call:
        args = args[1:]
    wrapped = args[0].arg if args else None
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            callee = ast.unparse(child.func).rsplit(".", 1)[-1]
            if callee in ("wraps", "update_wrapper"):
                return True
    if wrapped is None:
        return True  # `def deco(*args)`: cannot tell, keep the plain call
    returned = _returned_nested(node)
    forwards = returned is not None and not returned.args.args and returned.args.vararg
    returns_it = any(
        isinstance(c, ast.Return) and isinstance(c.value, ast.Name) and c.value.id == wrapped
        for c in ast.walk(node)
    )
    return returns_it or bool(forwards)


def _returns_package_object(
    decorator: griffe.Function, node: ast.FunctionDef | ast.AsyncFunctionDef
) -> bool:
    """Whether a return builds an instance of a class of the packages (`register(...)`,
    `cls(...)`), whose call, not the decorated function's, is what callers then make."""
    module = decorator.module
    for child in ast.walk(node):
        if not isinstance(child, ast.Return) or child.value is None:
            continue
        root = child.value
        while isinstance(root, ast.Call | ast.Attribute):
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Name) and root.id == "cls":
            return True
        found = module.members.get(root.id) if isinstance(root, ast.Name) else None
        if isinstance(found, griffe.Class):
            return True
    return False


def _returned_nested(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The nested `def` a function returns by name, if it does."""
    nested = {
        stmt.name: stmt
        for stmt in node.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Return)
            and isinstance(child.value, ast.Name)
            and child.value.id in nested
        ):
            return nested[child.value.id]
    return None


# Names a decorator gives the function or class it wraps.
_WRAPPED = re.compile(r"^_?(maybe_)?(f|fn|func|function|wrapped|method|callback|cls|klass|c)$")
_CLASS_NAMES = ("cls", "klass", "c", "maybe_cls")


def decorator_role(node: ast.FunctionDef) -> DecoratorRole | None:
    """How a decorator is applied, read from its code: a factory returns a nested
    `def decorator(f)`; a plain decorator takes the function (`def deco(func)`) and builds a
    wrapper; `either` does both (`def define(maybe_cls=None, **options)`, attrs-style)."""
    nested = {
        stmt.name: stmt
        for stmt in node.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    if not nested:
        return None
    returned = {
        stmt.value.id
        for stmt in ast.walk(node)
        if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Name)
    }
    positional = [*node.args.posonlyargs, *node.args.args]
    first = positional[0] if positional else None
    required = len(positional) - len(node.args.defaults)
    inner = [nested[name] for name in returned if name in nested]
    takes_one = [f for f in inner if len(f.args.args) == 1 and _WRAPPED.match(f.args.args[0].arg)]
    if takes_one:
        applied = first is not None and _WRAPPED.match(first.arg) and required == 0
        kind: Literal["function", "class"] = (
            "class" if first is not None and first.arg in _CLASS_NAMES else "function"
        )
        inner_arg = takes_one[0].args.args[0].arg
        if inner_arg in _CLASS_NAMES:
            kind = "class"
        return DecoratorRole("either" if applied else "factory", kind)
    if first is not None and required == 1 and _WRAPPED.match(first.arg):
        return DecoratorRole("plain", "class" if first.arg in _CLASS_NAMES else "function")
    return None
