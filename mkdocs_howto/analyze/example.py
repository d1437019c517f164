"""The Usage Example: the docstring's own example, else a call built from the signature.

Generated snippets import from the public path, build classes with their required arguments,
call class and static methods on the class, await coroutines inside `asyncio.run`, and consume
generators with `for` / `async for`.
"""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass, field
from typing import Literal

from mkdocs_howto.analyze.code import FunctionShape
from mkdocs_howto.facts import Param

Binding = Literal["instance", "class", "static"]

_SIMPLE_VALUES = {
    "str": '"{name}"',
    "int": "1",
    "float": "1.0",
    "bool": "True",
    "bytes": 'b"{name}"',
    "list": "[]",
    "dict": "{{}}",
    "set": "set()",
    "tuple": "()",
    "None": "None",
    "Any": '"{name}"',
    "object": '"{name}"',
}
_PATH_TYPES = ("Path", "pathlib.Path", "PathLike", "os.PathLike")


@dataclass(frozen=True)
class Callable_:
    """A function or method as the example builder needs it."""

    name: str
    params: tuple[Param, ...]
    shape: FunctionShape
    returns_annotation: str | None = None
    binding: Binding = "instance"


@dataclass(frozen=True)
class ClassTarget:
    """A class as the example builder needs it."""

    init_params: tuple[Param, ...]
    context: Literal["with", "async with"] | None = None
    method: Callable_ | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    """Class attributes named `default_<param>` and their values."""
    enum_member: str | None = None
    """For an `Enum`: the member the example picks (enums are not instantiated)."""


class ExampleBuilder:
    """Build a runnable snippet for one public class or function."""

    def __init__(self, import_path: str) -> None:
        self.module, self.name = import_path.rsplit(".", 1)
        self.imports = {f"from {self.module} import {self.name}"}
        self.needs_async = False
        self.placeholders: list[str] = []
        """Arguments given as `...`: no honest value could be built for them."""

    def for_function(self, function: Callable_) -> str:
        body = self._use(f"{self.name}({self._args(function.params, {})})", function)
        return self._assemble(body)

    def for_class(self, target: ClassTarget) -> str:
        if target.enum_member is not None:
            var = _snake(self.name)
            return self._assemble(
                [f"{var} = {self.name}.{target.enum_member}", f"print({var}.name, {var}.value)"]
            )
        instance = f"{self.name}({self._args(target.init_params, target.defaults)})"
        var = _snake(self.name)
        method = target.method
        if method is not None and method.binding != "instance":
            call = f"{self.name}.{method.name}({self._args(method.params, target.defaults)})"
            return self._assemble(self._use(call, method))
        if target.context is not None:
            self.needs_async |= target.context == "async with"
            inner = (
                self._use(
                    f"{var}.{method.name}({self._args(method.params, target.defaults)})", method
                )
                if method
                else [f"print({var})"]
            )
            return self._assemble([f"{target.context} {instance} as {var}:", *_indent(inner)])
        body = [f"{var} = {instance}"]
        if method is None:
            body.append(f"print({var})")
        else:
            call = f"{var}.{method.name}({self._args(method.params, target.defaults)})"
            body.extend(self._use(call, method))
        return self._assemble(body)

    def _use(self, call: str, function: Callable_) -> list[str]:
        shape = function.shape
        if shape.is_generator:
            self.needs_async |= shape.is_async
            loop = "async for" if shape.is_async else "for"
            return [f"{loop} item in {call}:", "    print(item)"]
        if shape.is_async:
            self.needs_async = True
            call = f"await {call}"
        if _returns_value(function):
            return [f"result = {call}", "print(result)"]
        return [call]

    def _args(self, params: tuple[Param, ...], defaults: dict[str, str]) -> str:
        args = []
        for param in params:
            if param.name in ("self", "cls") or param.default is not None:
                continue
            if param.kind in ("variadic positional", "variadic keyword"):
                continue
            value = defaults.get(f"default_{param.name}") or self._value(param)
            args.append(value if param.kind == "positional-only" else f"{param.name}={value}")
        return ", ".join(args)

    def _value(self, param: Param) -> str:
        annotation = (param.annotation or "").replace("typing.", "")
        value = self._value_for(annotation, param.name)
        if value == "...":
            self.placeholders.append(param.name)
        return value

    def _value_for(self, annotation: str, name: str) -> str:
        annotation = annotation.strip()
        optional = re.fullmatch(r"Optional\[(.+)\]", annotation)
        if optional:
            return self._value_for(optional.group(1), name)
        choices = [part for part in _top_level_split(annotation, "|") if part != "None"]
        if len(choices) > 1 or (choices and choices[0] != annotation):
            return self._value_for(choices[0], name) if choices else "None"
        literal = re.fullmatch(r"Literal\[(.+?)(,.*)?\]", annotation)
        if literal:
            return literal.group(1).strip()
        base = annotation.split("[", 1)[0]
        if base in _PATH_TYPES:
            self.imports.add("from pathlib import Path")
            return f'Path("{name}.txt")'
        if base in ("list", "List", "Sequence", "Iterable"):
            inner = annotation[len(base) + 1 : -1] if "[" in annotation else ""
            return f"[{self._value_for(inner, name)}]" if inner else "[]"
        if base in ("dict", "Dict", "Mapping"):
            return "{}"
        template = _SIMPLE_VALUES.get(base or "str")
        if template is None:
            return "..."  # an object we cannot build honestly: the reader fills it in
        return template.format(name=name)

    def _entry_point(self) -> str:
        """`main`, unless the documented object is itself called `main`."""
        return "run_example" if self.name == "main" else "main"

    def _assemble(self, body: list[str]) -> str:
        imports = sorted(self.imports)
        if self.needs_async:
            lines = [
                "import asyncio",
                "",
                *imports,
                "",
                "",
                f"async def {self._entry_point()}() -> None:",
                *_indent(body),
                "",
                "",
                f"asyncio.run({self._entry_point()}())",
            ]
        else:
            lines = [*imports, "", *body]
        return "\n".join(lines) + "\n"


def _top_level_split(annotation: str, separator: str) -> list[str]:
    """Split on `separator` outside brackets: `list[str] | None` → `list[str]`, `None`."""
    parts, depth, current = [], 0, ""
    for char in annotation:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == separator and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [part for part in parts if part]


def _returns_value(function: Callable_) -> bool:
    annotation = function.returns_annotation
    if annotation is not None:
        return annotation not in ("None", "NoReturn", "Never")
    return bool(function.shape.returns)


def _indent(lines: list[str]) -> list[str]:
    return [f"    {line}" if line else line for line in lines]


def _snake(name: str) -> str:
    """`HTTPClient` → `http_client`; never a keyword or a builtin (`Lambda` → `lambda_`)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    snake = words.lower().strip("_") or "obj"
    if keyword.iskeyword(snake) or keyword.issoftkeyword(snake) or hasattr(builtins, snake):
        return f"{snake}_"
    return snake


def doctest_source(text: str) -> str | None:
    """The Python source of a doctest block (`>>>` / `...` lines), or None if there is none."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">>>") or (stripped.startswith("...") and lines):
            lines.append(stripped[4:] if len(stripped) > 3 else "")
    return "\n".join(lines) + "\n" if lines else None
