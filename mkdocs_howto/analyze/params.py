"""Parameters as callers pass them, read from a function's signature and docstring."""

from __future__ import annotations

import re
from typing import Literal

import griffe

from mkdocs_howto.facts import Param

_CONTEXT_DECORATORS = {"contextmanager": "with", "asynccontextmanager": "async with"}


def context_decorator(func: griffe.Function) -> Literal["with", "async with"] | None:
    """`with` for a `@contextmanager` function, `async with` for `@asynccontextmanager`."""
    for decorator in func.decorators:
        name = decorator.callable_path.rsplit(".", 1)[-1]
        if name in _CONTEXT_DECORATORS:
            return _CONTEXT_DECORATORS[name]  # type: ignore[return-value]
    return None


def params_of(func: griffe.Function) -> tuple[Param, ...]:
    """Parameters as callers pass them: `self` / `cls` of a method left out."""
    params = list(func.parameters)
    in_class = func.parent is not None and func.parent.is_class
    if params and in_class and "staticmethod" not in func.labels:
        # the bound first parameter, whatever it is called (`__pydantic_self__`, a class name)
        params = params[1:] if not _variadic(params[0]) else params
    documented = _documented_types(func) if any(p.annotation is None for p in params) else {}
    kinds = _kinds(params)
    return tuple(
        Param(
            name=param.name,
            kind=kind,
            annotation=(
                str(param.annotation)
                if param.annotation is not None
                else documented.get(param.name)
            ),
            default=None if param.required or _variadic(param) else str(param.default),
        )
        for param, kind in zip(params, kinds, strict=True)
    )


def _kinds(params: list[griffe.Parameter]) -> list[str]:
    """Each parameter's kind; `__context` is mangled to `_Class__context` when run, so it
    and every parameter before it go by position (PEP 484's positional-only convention)."""
    kinds = [p.kind.value if p.kind else "positional or keyword" for p in params]
    mangled = [
        i for i, p in enumerate(params) if p.name.startswith("__") and not p.name.endswith("__")
    ]
    for i in range(max(mangled) + 1 if mangled else 0):
        if kinds[i] == "positional or keyword":
            kinds[i] = "positional-only"
    return kinds


def _documented_types(func: griffe.Function) -> dict[str, str]:
    """Types the docstring gives parameters the signature leaves bare (`x : int`, `x (int)`).
    Griffe parses each docstring once (`parsed` is cached), for this and the description."""
    if func.docstring is None:
        return {}
    found = {}
    for section in func.docstring.parsed:
        if section.kind is not griffe.DocstringSectionKind.parameters:
            continue
        for item in section.value:
            annotation = item.annotation
            # a type, not prose or a numpydoc choice set (`{'left', 'right'}`)
            if isinstance(annotation, griffe.ExprName | griffe.ExprSubscript | griffe.ExprBinOp):
                found[item.name] = str(annotation)
                continue
            # reST prose naming its type: "A :py:class:`datetime.datetime` object"
            role = _CLASS_ROLE.match(item.description or "")
            if annotation is None and role is not None:
                found[item.name] = role.group(1)
    return found


_CLASS_ROLE = re.compile(r"^\W*(?:an?|the)?\s*:(?:py:)?class:`~?([A-Za-z_][\w.]*)`", re.I)


def _variadic(param: griffe.Parameter) -> bool:
    return param.kind in (griffe.ParameterKind.var_positional, griffe.ParameterKind.var_keyword)
