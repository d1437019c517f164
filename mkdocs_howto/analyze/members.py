"""Parameters and attributes as their authors document them.

Parameters: the docstring's description and type matched by name with or without stars,
keywords documented but taken through `**kwargs`, private ones set aside. Attributes: `#:`
comments above or beside the assignment, the docstring under it, the class docstring's
Attributes section; the annotation (or the documented type) for the type; a value that is an
expression marked as computed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

import griffe

from mkdocs_howto.analyze.description import (
    DocParam,
    ParsedDocstring,
    parse_docstring,
    quiet_unknown_params,
    takes_kwargs,
)
from mkdocs_howto.facts import Attribute, Param

_COMMENT_DOC = re.compile(r"^\s*#:\s?(?P<text>.*)$")
_TRAILING_DOC = re.compile(r"#:\s?(?P<text>[^'\"]*)$")


def is_private(name: str) -> bool:
    """`_environ` is private; `__x` (the old positional-only spelling) and dunders are not."""
    return name.startswith("_") and not name.startswith("__")


def documented_params(
    params: tuple[Param, ...],
    docstring: ParsedDocstring,
    attributes: tuple[Attribute, ...] = (),
) -> tuple[tuple[Param, ...], tuple[str, ...]]:
    """The table's parameters with their descriptions, and the private names left out.

    A field documented as an attribute (a dataclass field's `#:` comment) describes the
    parameter of the same name when the docstring does not.
    """
    fields = {attribute.name: attribute for attribute in attributes}
    rows, private = [], []
    for param in params:
        if is_private(param.name):
            private.append(param.name)
            continue
        doc = docstring.params.get(param.name)
        field = fields.get(param.name)
        description = doc.description if doc else (field.description if field else "")
        annotation = param.annotation or (doc.annotation if doc else None)
        rows.append(replace(param, description=description, annotation=annotation))
    rows += _through_kwargs(params, docstring)
    return tuple(rows), tuple(private)


def _through_kwargs(params: tuple[Param, ...], docstring: ParsedDocstring) -> list[Param]:
    """Keywords the docstring documents that only `**kwargs` can take."""
    kwargs = next((p.name for p in params if p.kind == "variadic keyword"), None)
    if kwargs is None:
        return []
    named = {param.name for param in params}
    return [
        Param(name, "keyword-only", doc.annotation, None, doc.description, through=kwargs)
        for name, doc in docstring.params.items()
        if name not in named and not is_private(name)
    ]


def attribute_rows(
    cls: griffe.Class, docstring: ParsedDocstring, convert: Callable[[str], str]
) -> tuple[Attribute, ...]:
    """Public attributes of the class, documented wherever their author wrote it."""
    rows = []
    for name, attr in cls.attributes.items():
        if is_private(name) or name.startswith("__") or attr.is_alias:
            continue
        listed = docstring.attributes.get(name, DocParam(""))
        own = _own_doc(attr, convert)
        description = own.description or listed.description
        annotation = (
            str(attr.annotation)
            if attr.annotation is not None
            else (listed.annotation or own.annotation)
        )
        value = str(attr.value) if attr.value is not None else None
        rows.append(Attribute(name, annotation, value, description, _computed(value)))
    known = {row.name for row in rows}
    rows += [
        Attribute(name, doc.annotation, None, doc.description)
        for name, doc in docstring.attributes.items()
        if name not in known and not is_private(name)
    ]
    return tuple(rows)


def _own_doc(attr: griffe.Attribute, convert: Callable[[str], str]) -> DocParam:
    """The docstring under the assignment (a property's: its text, else what its Returns
    section says), else its `#:` comments (above, then beside)."""
    if attr.docstring is not None and attr.docstring.value.strip():
        parsed = parse_docstring(attr, convert)
        text = "\n\n".join(part for part in (parsed.summary, *parsed.body) if part)
        returned = parsed.returns[0] if parsed.returns else None
        if returned is not None:
            return DocParam(text or returned.description, returned.annotation)
        return DocParam(text)
    comment = comment_doc(attr)
    return DocParam(convert(comment) if comment else "")


def comment_doc(attr: griffe.Attribute) -> str:
    """Sphinx's `#:` documentation comments of an assignment: the lines right above it, or
    the one at the end of its line."""
    lines = _file_lines(attr)
    if not lines or not attr.lineno or attr.lineno > len(lines):
        return ""
    above: list[str] = []
    index = attr.lineno - 2
    while index >= 0:
        match = _COMMENT_DOC.match(lines[index])
        if match is None:
            break
        above.insert(0, match.group("text"))
        index -= 1
    if above:
        return "\n".join(above).strip()
    beside = _TRAILING_DOC.search(lines[attr.lineno - 1])
    return beside.group("text").strip() if beside else ""


def _file_lines(attr: griffe.Attribute) -> list[str]:
    try:
        return list(attr.lines_collection[attr.filepath])  # type: ignore[index]
    except (KeyError, TypeError):
        return []


def _computed(value: str | None) -> bool:
    """True for an expression (`list(aliases.keys())`, a name); False for a literal."""
    if value is None:
        return False
    try:
        ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return True
    return False


def parse_kwargs_docstrings(objects: Iterable[griffe.Object | griffe.Alias]) -> None:
    """Parse (Griffe caches it) the docstrings of functions that take `**kwargs` without the
    warnings about documented parameters missing from their signature (`quiet_unknown_params`)."""
    with quiet_unknown_params():
        for obj in objects:
            for func in (obj, *(obj.members.values() if isinstance(obj, griffe.Class) else ())):
                if takes_kwargs(func) and func.docstring is not None:
                    _ = func.docstring.parsed
