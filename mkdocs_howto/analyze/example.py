"""The Usage Example generated from a signature: a snippet that is right by construction.

Snippets import from the public path, build classes with their required arguments (models
from their fields), call class and static methods on the class and instance methods on an
instance, await coroutines inside `asyncio.run`, consume generators with `for` / `async for`,
enter context managers with `with` / `async with`, and catch exceptions. Argument values come
from class attributes that name defaults (`default_station`), `Literal[...]` choices, enum
members, else a plain value of the annotated type; `...` marks one the reader must fill in.
"""

from __future__ import annotations

import ast
import builtins
import json
import keyword
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from mkdocs_howto.analyze.code import FunctionShape
from mkdocs_howto.analyze.values import MAPPINGS, SEQUENCES, SETS, TUPLES, is_empty_container
from mkdocs_howto.facts import Param
from mkdocs_howto.guards import Guard

Binding = Literal["instance", "class", "static", "property", "attribute"]
Context = Literal["with", "async with"]

#: Plain values of annotated types; `{sample}` is a string chosen by the parameter's name.
_SIMPLE_VALUES = {
    "str": "{sample}",
    "int": "1",
    "float": "1.0",
    "complex": "1j",
    "bool": "True",
    "bytes": 'b"Hello!"',
    "bytearray": 'bytearray(b"Hello!")',
    "list": "[]",
    "dict": "{{}}",
    "set": "set()",
    "frozenset": "frozenset()",
    "tuple": "()",
    "None": "None",
    "Any": "{sample}",
    "object": "{sample}",
    # called with arguments the signature does not say: any number, nothing returned
    "Callable": "lambda *args: None",
}
#: Values that need an import: type → (import, value).
_IMPORTED_VALUES = {
    "Path": ("from pathlib import Path", 'Path("{name}.txt")'),
    "PurePath": ("from pathlib import PurePath", 'PurePath("{name}.txt")'),
    "PathLike": ("from pathlib import Path", 'Path("{name}.txt")'),
    "datetime": ("from datetime import datetime", "datetime(2024, 1, 1, 12, 0)"),
    "date": ("from datetime import date", "date(2024, 1, 1)"),
    "timedelta": ("from datetime import timedelta", "timedelta(seconds=30)"),
    "Decimal": ("from decimal import Decimal", 'Decimal("1.5")'),
    "UUID": ("import uuid", "uuid.uuid4()"),
    # streams: an in-memory one with a line to read (what a test of the code would pass)
    "BinaryIO": ("import io", 'io.BytesIO(b"Hello, World!\\n")'),
    "BytesIO": ("import io", 'io.BytesIO(b"Hello, World!\\n")'),
    "BufferedIOBase": ("import io", 'io.BytesIO(b"Hello, World!\\n")'),
    "RawIOBase": ("import io", 'io.BytesIO(b"Hello, World!\\n")'),
    "TextIO": ("import io", 'io.StringIO("Hello, World!\\n")'),
    "StringIO": ("import io", 'io.StringIO("Hello, World!\\n")'),
    "TextIOBase": ("import io", 'io.StringIO("Hello, World!\\n")'),
}
#: Strings that read better than the parameter's name, by name.
_NAMED_STRINGS = {
    "url": '"https://example.org"',
    "uri": '"https://example.org/path"',
    "base_url": '"https://example.org"',
    "endpoint": '"https://example.org/api"',
    "host": '"example.org"',
    "email": '"user@example.org"',
}
#: The file name a path parameter gets: the example writes the file first (`sample_files`).
_SAMPLE_FILE = '"example.txt"'
#: Strings a reader would write, by a word of the parameter's name (never the name itself:
#: `parse(color="color")` fails where `parse(color="red")` works). A sentence only for names
#: that hold prose; `s`, `string`, `label`, `data` are often parsed as one token (a DNS
#: label, a requirement): they get `"example"`.
_WORD_STRINGS = {
    **dict.fromkeys(
        (
            "text",
            "message",
            "msg",
            "content",
            "markup",
            "prompt",
            "body",
            "title",
            "description",
            "caption",
        ),
        '"Hello, World!"',
    ),
    **dict.fromkeys(("path", "file", "filename", "fname", "filepath"), _SAMPLE_FILE),
    **dict.fromkeys(("dir", "directory", "folder"), '"."'),
    **dict.fromkeys(("color", "colour", "fg", "bg"), '"red"'),
    **dict.fromkeys(("char", "character", "ch"), '"x"'),
    **dict.fromkeys(("sep", "separator", "delimiter"), '", "'),
    **dict.fromkeys(("encoding", "charset"), '"utf-8"'),
    **dict.fromkeys(("lang", "language", "locale"), '"en"'),
    "method": '"GET"',
    "prefix": '"> "',
    "suffix": '"."',
    "pattern": r'"\w+"',
    "user": '"alice"',
    "username": '"alice"',
    "password": '"s3cret"',
    "token": '"my-token"',
    "model": '"my-model"',
}
_SAMPLE_STRING = '"example"'


#: Words that change what the next word holds: a `hex_color` is no color name.
_FORMAT_WORDS = {"hex", "rgb", "raw", "encoded", "json", "html", "xml", "base64", "regex", "re"}


def sample_string(name: str) -> str:
    """A string for a parameter no source gives a value: by its name's last word when that
    says what it holds (`markup` → a sentence, `file_path` → a file name), else `"example"`."""
    words = [w for w in name.lower().split("_") if w]
    if not words or words[-1] not in _WORD_STRINGS or _FORMAT_WORDS & set(words):
        return _SAMPLE_STRING
    return _WORD_STRINGS[words[-1]]


#: Values of unannotated parameters whose name says their type.
_NAMED_NUMBERS = {
    **dict.fromkeys(("n", "count", "size", "limit", "retries", "times", "index", "port"), "1"),
    **dict.fromkeys(("timeout", "delay", "interval", "ratio", "rate", "scale"), "1.0"),
}


@dataclass(frozen=True)
class Hint:
    """A value for annotations that name a type of the documented package (an enum member)."""

    value: str
    import_line: str
    alias: bool = False
    """A type alias: `value` is the type it stands for, built like any annotation."""
    params: tuple[Param, ...] | None = None
    """A class of the packages: `value` is its name, called with arguments for these."""
    values: tuple[tuple[str, str], ...] = ()
    """For such a class: constructor parameter name -> a value read from the package."""


@dataclass(frozen=True)
class DecoratorRole:
    """How a decorator is written above what it decorates."""

    form: Literal["plain", "factory", "either"]
    """`@name`, `@name(...)`, or both (the example shows the bare form)."""
    decorates: Literal["function", "class"]


@dataclass(frozen=True)
class Callable_:
    """A function or method as the example builder needs it."""

    name: str
    params: tuple[Param, ...]
    shape: FunctionShape
    returns_annotation: str | None = None
    binding: Binding = "instance"
    context: Context | None = None
    """For `@contextmanager` / `@asynccontextmanager` functions: how their result is entered."""
    decorator: DecoratorRole | None = None
    """For decorators: the example decorates a function or class instead of calling."""
    guard: Guard | None = None
    """For a function defined only under a module-level `if`: tested by the example."""
    replaced_by: str | None = None
    """A decorator of the package that turns the function into something else (its own
    call signature): the example cannot call it by the `def` line."""
    values: tuple[tuple[str, str], ...] = ()
    """Parameter name -> a value a reader would pass, read from the package (`values.py`)."""


@dataclass(frozen=True)
class ClassTarget:
    """A class as the example builder needs it."""

    init_params: tuple[Param, ...] | None
    """How the class is called; None when unknown (its `__init__` is outside the package)."""
    context: Context | None = None
    method: Callable_ | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    """Class attributes named `default_<param>` and the value an example passes for them."""
    enum_member: str | None = None
    """For an `Enum`: the member the example picks (enums are not instantiated)."""
    is_exception: bool = False
    call: Callable_ | None = None
    """`__call__`, when the instance itself is the thing to call."""
    implement: tuple[Callable_, ...] = ()
    """Abstract methods left to subclasses: the example subclasses the class and writes them."""
    protocol: bool = False
    """A `typing.Protocol`: the example writes a class that has its methods (no subclassing)."""
    type_only: bool = False
    """Defined under `if TYPE_CHECKING:`: it exists for annotations only, never at run time."""
    opaque: bool = False
    """How to build one is unknown (a stub hides the constructor): the reader supplies one."""
    guard: Guard | None = None
    """For a class defined only under a module-level `if`: tested by the example."""
    empty_enum: str | None = None
    """For an enumeration without members (made to be subclassed): a member value to show."""
    raised_with_a_message: bool = True
    """For exceptions of unknown constructor: whether `Cls("message")` builds one (only
    builtin exceptions outside the packages), else the example only catches it."""
    init_values: tuple[tuple[str, str], ...] = ()
    """Constructor parameter name -> a value a reader would pass (`values.py`)."""
    factory: Factory | None = None
    """A function of the package returning this class: where readers get one from."""
    alternatives: tuple[Callable_, ...] = ()
    """Other public methods, most wanted first: called instead of `method` when that needs
    a value no source gives (the example then runs as written)."""


@dataclass(frozen=True)
class Factory:
    """A function or classmethod of the packages whose result is an instance of the class."""

    function: Callable_
    import_line: str
    """`from pkg import get`; empty for a classmethod of the documented class itself."""
    written: str
    """How the example calls it: `get`, `Color.parse`."""


class ExampleBuilder:
    """Build a runnable snippet for one public class or function."""

    def __init__(self, import_path: str, hints: Mapping[str, Hint] | None = None) -> None:
        self.module, self.name = import_path.rsplit(".", 1)
        self.hints = dict(hints or {})
        self.imports = {f"from {self.module} import {self.name}"}
        self.needs_async = False
        self.placeholders: list[str] = []
        self._alias_depth = 0
        self.sample_files: set[str] = set()
        """Files a path argument names: the example writes each first, so reading works."""
        self.guard: Guard | None = None
        """Defined only when this holds (`sys.platform == "win32"`): the example tests it."""
        """Arguments given as `...`: no honest value could be built for them."""

    def for_function(self, function: Callable_) -> str:
        self.guard = function.guard
        if function.replaced_by is not None:
            # the name holds what the decorator returned, called its own way: not guessed
            self.placeholders.append("the call")
            note = f"# `@{function.replaced_by}` makes it: call it the way that decorator documents"
            return self._assemble([note, f"print({self.name})"])
        if function.decorator is not None:
            return self._decorating(function, function.decorator)
        call = f"{self.name}({self._args(function.params, {}, function.values)})"
        return self._assemble(self._use(call, function, "result"))

    def for_class(self, target: ClassTarget) -> str:
        self.guard = target.guard
        # `show_nodes = show_nodes(...)` would hide the class the next line may need
        var = _snake(self.name) if _snake(self.name) != self.name else f"my_{self.name}"
        kinds = (
            self._enum,
            self._empty_enum,
            self._type_only,
            self._protocol,
            self._opaque,
            self._exception,
        )
        for kind in kinds:
            code = kind(var, target)
            if code is not None:
                return code
        return self._built_and_used(var, target)

    def _enum(self, var: str, target: ClassTarget) -> str | None:
        if target.enum_member is None:
            return None
        member = f"{self.name}.{target.enum_member}"
        return self._assemble([f"{var} = {member}", f"print({var}.name, {var}.value)"])

    def _empty_enum(self, var: str, target: ClassTarget) -> str | None:
        """An enumeration without members is a base: the reader's subclass adds them."""
        if target.empty_enum is None:
            return None
        own = f"My{self.name}"
        stub = [f"class {own}({self.name}):", f"    FIRST = {target.empty_enum}"]
        return self._assemble([f"print(list({own}))"], prelude=stub)

    def _type_only(self, var: str, target: ClassTarget) -> str | None:
        return self._annotation_only(var) if target.type_only else None

    def _opaque(self, var: str, target: ClassTarget) -> str | None:
        """No honest constructor call: start from one the reader's code already has."""
        if not target.opaque or target.is_exception:
            return None
        method = target.method
        if method is not None and method.binding in ("class", "static"):
            # called on the class itself: no instance is needed, none is invented
            args = self._args(method.params, target.defaults, method.values)
            call = f"{self.name}.{method.name}({args})"
            return self._assemble(self._use(call, method, "result"))
        if target.factory is not None:
            return self._assemble(
                [f"{var} = {self._factory_call(target.factory)}", *self._on_instance(var, target)]
            )
        self.placeholders.append(var)
        article = "an" if self.name[:1].lower() in "aeiou" else "a"
        typed = f"{var}: {self.name} = ...  # {article} {self.name} your code already has"
        return self._assemble([typed, *self._on_instance(var, target)])

    def _exception(self, var: str, target: ClassTarget) -> str | None:
        if not target.is_exception:
            return None
        params = target.init_params
        if params is None and not target.raised_with_a_message:
            # how to build one is unknown: show what readers do with it, catch it
            self.placeholders.append("the code that may fail")
            attempt = "...  # code that may fail"
        elif params is None:
            attempt = f'raise {self.name}("{_words(self.name)}")'
        else:
            attempt = (
                f"raise {self.name}({self._args(params, target.defaults, target.init_values)})"
            )
        handler = [f"except {self.name} as error:", "    print(error)"]
        return self._assemble(["try:", f"    {attempt}", *handler])

    def _built_and_used(self, var: str, target: ClassTarget) -> str:
        """Built (an abstract class through the reader's subclass), then its method called."""
        subclass: list[str] = []
        owner = self.name
        if target.implement:
            owner = f"My{self.name}"
            subclass = self._class_stub(owner, self.name, target.implement)
        method = target.method
        if method is not None and method.binding != "instance":
            # called on the class itself: no instance is needed, none is invented ...
            on_class = replace(method, binding="instance")  # `owner.m(...)` as written
            fed = self._fed_call(owner, on_class, target)
            if fed is None and target.alternatives:
                # ... unless it needs a value no source gives and an instance method does not
                built = self._with_alternative(owner, var, target, subclass)
                if built is not None:
                    return built
            args = self._args(method.params, target.defaults, method.values)
            call = f"{owner}.{method.name}({args})"
            return self._assemble(self._use(call, method, "result"), prelude=subclass)
        instance = self._instance(owner, target)
        inner = self._on_instance(var, target)
        if target.context is not None:
            self.needs_async |= target.context == "async with"
            use = [f"{target.context} {instance} as {var}:", *_indent(inner)]
            return self._assemble(use, prelude=subclass)
        return self._assemble([f"{var} = {instance}", *inner], prelude=subclass)

    def _with_alternative(
        self, owner: str, var: str, target: ClassTarget, subclass: list[str]
    ) -> str | None:
        """The instance built and another public method called, when both need no `...`."""
        placeholders, imports = list(self.placeholders), set(self.imports)
        needs_async = self.needs_async
        instance = self._instance(owner, target)
        inner = next(
            (
                lines
                for candidate in target.alternatives
                if (lines := self._fed_call(var, candidate, target)) is not None
            ),
            None,
        )
        if inner is not None and len(self.placeholders) == len(placeholders):
            if target.context is not None:
                self.needs_async |= target.context == "async with"
                use = [f"{target.context} {instance} as {var}:", *_indent(inner)]
                return self._assemble(use, prelude=subclass)
            return self._assemble([f"{var} = {instance}", *inner], prelude=subclass)
        self.placeholders, self.imports, self.needs_async = placeholders, imports, needs_async
        return None

    def _decorating(self, function: Callable_, role: DecoratorRole) -> str:
        """A decorator is shown where it is used: above a function or class of the reader's."""
        if role.form == "factory":
            args = self._args(function.params, {}, function.values, one_item=False)
            first = function.params[0] if function.params else None
            if first is not None and first.kind == "variadic positional" and first.annotation:
                # `option(*param_decls: str)`: called with none, most such factories fail
                named = self._value(replace(first, name=first.name.rstrip("s")))
                args = ", ".join(filter(None, [named, args]))
            line = f"@{self.name}({args})"
        else:
            line = f"@{self.name}"
        if role.decorates == "class":
            # an explicit `__init__`: class decorators may wrap it (`deprecated_cls`) or keep it
            init = [
                '    def __init__(self, name: str = "example") -> None:',
                "        self.name = name",
            ]
            body = [line, "class Settings:", *init, "", "", "print(Settings)"]
        else:
            body = [line, "def greet(name):", '    return f"Hello, {name}"', "", "", "print(greet)"]
        return self._assemble(["", *body])

    def _annotation_only(self, var: str) -> str:
        """A name that exists for type checkers only is imported for them and annotates."""
        self.imports.discard(f"from {self.module} import {self.name}")
        lines = [
            "from __future__ import annotations",
            "",
            "from typing import TYPE_CHECKING",
            "",
            "if TYPE_CHECKING:",
            f"    from {self.module} import {self.name}",
            "",
            "",
            f"def use({var}: {self.name}) -> None:",
            f"    print({var})",
        ]
        return "\n".join(lines) + "\n"

    def _protocol(self, var: str, target: ClassTarget) -> str | None:
        """Protocols are satisfied by shape: any class with their methods is one."""
        if not target.protocol:
            return None
        own = f"My{self.name}"
        stub = self._class_stub(own, None, target.implement)
        return self._assemble([f"{var}: {self.name} = {own}()", f"print({var})"], prelude=stub)

    def _class_stub(self, name: str, base: str | None, methods: tuple[Callable_, ...]) -> list[str]:
        attributes = [m for m in methods if m.binding == "attribute"]
        blocks = [[f"    {a.name} = {self._value(a.params[0])}" for a in attributes]]
        blocks += [self._method_stub(m) for m in methods if m.binding != "attribute"]
        self.placeholders += [f"{name}.{m.name}" for m in methods]
        body = [
            line
            for i, block in enumerate(b for b in blocks if b)
            for line in ([""] if i else []) + block
        ]
        header = f"class {name}({base}):" if base else f"class {name}:"
        return [header, *(body or ["    ...  # the attributes the protocol declares"])]

    def _method_stub(self, method: Callable_) -> list[str]:
        decorator = {
            "class": "@classmethod",
            "static": "@staticmethod",
            "property": "@property",
        }.get(method.binding)
        first = {"class": ["cls"], "static": []}.get(method.binding, ["self"])
        define = "async def" if method.shape.is_async else "def"
        params = ", ".join([*first, *_written_params(method.params)])
        lines = [f"    {decorator}"] if decorator else []
        return [*lines, f"    {define} {method.name}({params}):", "        ...  # your code"]

    def _on_instance(self, var: str, target: ClassTarget) -> list[str]:
        method = target.method
        if method is not None:
            for candidate in (method, *target.alternatives):
                lines = self._fed_call(var, candidate, target)
                if lines is not None:
                    return lines
            owner = var if method.binding == "instance" else self.name
            args = self._args(method.params, target.defaults, method.values)
            return self._use(f"{owner}.{method.name}({args})", method, "result")
        if target.call is not None:
            call = f"{var}({self._args(target.call.params, target.defaults, target.call.values)})"
            return self._use(call, target.call, "result")
        return [f"print({var})"]

    def _fed_call(self, var: str, method: Callable_, target: ClassTarget) -> list[str] | None:
        """The lines calling `method` (on `var`, or on the class for a class or static
        method) when every argument got a value; else None, with nothing it added kept."""
        if method.binding not in ("instance", "class", "static"):
            return None
        placeholders, imports = list(self.placeholders), set(self.imports)
        needs_async = self.needs_async
        owner = var if method.binding == "instance" else self.name
        args = self._args(method.params, target.defaults, method.values)
        lines = self._use(f"{owner}.{method.name}({args})", method, "result")
        if len(self.placeholders) == len(placeholders):
            return lines
        self.placeholders, self.imports, self.needs_async = placeholders, imports, needs_async
        return None

    def _use(self, call: str, function: Callable_, var: str) -> list[str]:
        shape = function.shape
        if function.context is not None:
            self.needs_async |= function.context == "async with"
            return [f"{function.context} {call} as value:", "    print(value)"]
        if shape.is_generator or (shape.returns_iterator and not shape.is_async):
            self.needs_async |= shape.is_async
            loop = "async for" if shape.is_async else "for"
            return [f"{loop} item in {call}:", "    print(item)"]
        if shape.is_async:
            self.needs_async = True
            call = f"await {call}"
        if _returns_value(function):
            return [f"{var} = {call}", f"print({var})"]
        return [call]

    def _instance(self, owner: str, target: ClassTarget) -> str:
        """Where readers get one: a function of the package returning it (`get(url)`) when
        every argument it needs has a value read from the package, else the constructor,
        else the factory when the constructor needs values no source gives."""
        factory = None if target.implement else target.factory
        if factory is not None and factory.import_line and _fed(factory.function):
            return self._module_factory(owner, factory)
        placeholders, imports = list(self.placeholders), set(self.imports)
        args = self._args(
            target.init_params or (), target.defaults, target.init_values, one_item=False
        )
        if factory is not None and len(self.placeholders) > len(placeholders):
            self.placeholders, self.imports = placeholders, imports
            if factory.import_line:
                return self._module_factory(owner, factory)
            return self._factory_call(factory)
        return f"{owner}({args})"

    def _module_factory(self, owner: str, factory: Factory) -> str:
        if owner == self.name:  # the class itself is not named: its import goes
            self.imports.discard(f"from {self.module} import {self.name}")
        return self._factory_call(factory)

    def _factory_call(self, factory: Factory) -> str:
        if factory.import_line:
            self.imports.add(factory.import_line)
        function = factory.function
        call = f"{factory.written}({self._args(function.params, {}, function.values)})"
        if function.shape.is_async:
            self.needs_async = True
            return f"await {call}"
        return call

    def _args(
        self,
        params: tuple[Param, ...],
        defaults: Mapping[str, str],
        values: tuple[tuple[str, str], ...] = (),
        *,
        one_item: bool = True,
    ) -> str:
        """The arguments of a call: the required ones (values read from the package first),
        one item for an annotated `*args` when nothing else is passed (`one_item`), and a
        keyword-only option to teach the keyword."""
        args = []
        found = dict(values)
        for param in params:
            if param.kind in _VARIADIC or param.default is not None:
                continue
            value = (
                defaults.get(f"default_{param.name}") or found.get(param.name) or self._value(param)
            )
            if param.read_as and is_empty_container(value):
                value = self._items_placeholder(param, value)
            args.append(value if param.kind == "positional-only" else f"{param.name}={value}")
        variadic = next((p for p in params if p.kind == "variadic positional"), None)
        forwards = any(p.kind == "variadic keyword" for p in params)  # `f(*args, **kwargs)`
        if one_item and not args and variadic is not None and variadic.annotation and not forwards:
            # `*objects: Any` alone: called with none, it prints nothing, sums nothing
            args.append(self._value(variadic))
        option = _shown_option(params)
        if option is not None and option.default is not None and len(args) < 3:
            args.append(f"{option.name}={literal(option.default)}")
        return ", ".join(args)

    def _items_placeholder(self, param: Param, empty: str) -> str:
        """An empty container the body would read items from (`max([])` raises, `for` over
        `[]` does nothing): the container with an item for the reader to fill in."""
        self.placeholders.append(param.name)
        if param.read_as == "mapping" or empty.startswith(("{}", "dict")):
            return "{...: ...}"
        return "(...,)" if empty == "()" else "{...}" if "set" in empty else "[...]"

    def _value(self, param: Param) -> str:
        if param.annotation is None and param.name in _NAMED_NUMBERS:
            return _NAMED_NUMBERS[param.name]
        if param.annotation is None and param.read_as:  # no type, but read item by item
            return self._items_placeholder(param, "")
        if param.annotation is None and param.name not in _NAMED_STRINGS:
            # no type anywhere: a string stands in, and the badge says to replace it
            self.placeholders.append(param.name)
        annotation = (param.annotation or "str").replace("typing.", "").strip("\"'")
        value = self._value_for(annotation, param.name)
        if _has_ellipsis(value):  # `...`, `[...]`: the reader fills it in
            self.placeholders.append(param.name)
        return value

    def _value_for(self, annotation: str, name: str) -> str:
        annotation = annotation.strip().strip("\"'")
        # `t.Optional[...]`, `te.Literal[...]`: typing's forms under the module's alias
        annotation = _TYPING_PREFIX.sub("", annotation)
        optional = re.fullmatch(r"Optional\[(.+)\]", annotation)
        if optional:
            # `None` is a value the annotation accepts when nothing else can be built
            return _or_none(self._value_for(optional.group(1), name))
        union = re.fullmatch(r"Union\[(.+)\]", annotation)
        parts = _top_level_split(union.group(1) if union else annotation, "|" if not union else ",")
        choices = [part for part in parts if part != "None"]
        if len(choices) > 1 or (choices and choices[0] != annotation):
            # the first member a value can be built for: `URL | str` → a string
            values = (self._value_for(choice, name) for choice in choices)
            value = next((v for v in values if v != "..."), "...") if choices else "None"
            return _or_none(value) if "None" in parts else value
        choices_of = re.fullmatch(r"Literal\[(.+)\]", annotation)
        if choices_of:
            return literal(_top_level_split(choices_of.group(1), ",")[0])
        base = annotation.split("[", 1)[0]
        short = base.rsplit(".", 1)[-1]
        inner = annotation[len(base) + 1 : -1] if "[" in annotation else ""
        hint = self.hints.get(short)
        if hint is not None and hint.alias:
            if self._alias_depth > 5:  # aliases of aliases, even cyclic ones
                return "..."
            self._alias_depth += 1
            try:
                return self._value_for(hint.value, name)
            finally:
                self._alias_depth -= 1
        if hint is not None and hint.params is not None:
            # hints go by short name: `pathlib.Path` is not the package's `Path`, and a
            # second `Config` would shadow the one the example documents
            own = f"from {self.module} import {self.name}"
            if base != short or (hint.value == self.name and hint.import_line != own):
                return "..."
            return self._built(hint, hint.params)
        if hint is not None:
            self.imports.add(hint.import_line)
            return hint.value
        if short in ("IO", "IOBase"):  # `IO[bytes]` reads bytes, `IO[str]` / `IO` text
            short = "BinaryIO" if inner.strip() == "bytes" else "TextIO"
        if short in _IMPORTED_VALUES:
            import_line, template = _IMPORTED_VALUES[short]
            self.imports.add(import_line)
            if "Path" in short:
                self.sample_files.add(f"{name}.txt")
            return template.format(name=name)
        if short in SEQUENCES:
            return f"[{self._value_for(inner, name)}]" if inner else "[]"
        if short == "Annotated":
            return self._value_for(_top_level_split(inner, ",")[0], name)
        if short in MAPPINGS:
            return self._mapping(inner)
        if short in TUPLES and inner:
            return self._tuple(inner, name)
        if short in SETS and inner:
            item = self._value_for(inner, name)
            return f"frozenset({{{item}}})" if short.lower() == "frozenset" else f"{{{item}}}"
        if short == "Callable" and inner:
            return self._callable(inner)
        if short == "str" and name in _NAMED_STRINGS:
            return _NAMED_STRINGS[name]
        template = _SIMPLE_VALUES.get(short, "")
        if not template:
            return "..."  # an object we cannot build honestly: the reader fills it in
        value = template.format(name=name, sample=sample_string(name))
        if value == _SAMPLE_FILE:
            self.sample_files.add(_SAMPLE_FILE.strip('"'))
        return value

    def _callable(self, inner: str) -> str:
        """`Callable[[], float]` → `lambda: 1.0`: a function returning what callers expect
        (`lambda *args: None` when the return type has no plain value)."""
        parts = _top_level_split(inner, ",")
        returns = parts[-1] if len(parts) == 2 else "None"
        arguments = parts[0].strip()
        params = "" if arguments == "[]" else " *args"
        placeholders, imports = list(self.placeholders), set(self.imports)
        value = self._value_for(returns, "value") if returns not in ("None", "Any") else "None"
        if _has_ellipsis(value) or len(self.placeholders) > len(placeholders):
            self.placeholders, self.imports, value = placeholders, imports, "None"
        return f"lambda{params}: {value}"

    def _mapping(self, inner: str) -> str:
        """`dict[str, int]` → `{"example": 1}`: one entry, so code reading items gets one."""
        parts = _top_level_split(inner, ",")
        if len(parts) != 2:
            return "{}"
        key, value = self._value_for(parts[0], "key"), self._value_for(parts[1], "value")
        return f"{{{key}: {value}}}" if key != "..." else "{}"

    def _tuple(self, inner: str, name: str) -> str:
        """`tuple[int, str]` → `(1, "example")`; `tuple[str, ...]` → `("example",)`."""
        parts = _top_level_split(inner, ",")
        if len(parts) == 2 and parts[1] == "...":
            parts = parts[:1]
        if parts == ["()"]:
            return "()"
        items = [self._value_for(part, name) for part in parts]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    def _assemble_guarded(self, body: list[str], prelude: list[str], guard: Guard) -> str:
        """The whole example under the condition the object exists on, imports included:
        `if sys.platform == "win32":` then the import, the call."""
        self.guard = None
        if not guard.test:  # a guard that cannot be tested: the example says so
            code = self._assemble(body, prelude)
            return f"# `{self.name}` is {guard.written} of its module: it may not exist\n{code}"
        inner = self._assemble(body, prelude).rstrip("\n").split("\n")
        shown = guard.written if guard.wording else f"`{guard.written}`"
        why = f"  # defined only when {shown}" if guard.written != guard.test else ""
        head = import_block(set(guard.imports))
        return "\n".join([*head, "", f"if {guard.test}:{why}", *_indent(inner)]) + "\n"

    def _built(self, hint: Hint, params: tuple[Param, ...]) -> str:
        """An object of the packages built from its constructor, when every required argument
        gets an honest value; else `...` (no half-built objects)."""
        if self._alias_depth > 2:  # a `Node(parent: Node)` chain stops here
            return "..."
        placeholders, imports = list(self.placeholders), set(self.imports)
        self._alias_depth += 1
        try:
            value = f"{hint.value}({self._args(params, {}, hint.values, one_item=False)})"
        finally:
            self._alias_depth -= 1
        if _has_ellipsis(value) or len(self.placeholders) > len(placeholders):
            self.placeholders, self.imports = placeholders, imports
            return "..."
        self.imports.add(hint.import_line)
        return value

    def _entry_point(self) -> str:
        """`main`, unless the documented object is itself called `main`."""
        return "run_example" if self.name == "main" else "main"

    def _assemble(self, body: list[str], prelude: list[str] | None = None) -> str:
        if self.sample_files and any(f in line for line in body for f in self.sample_files):
            self.imports.add("from pathlib import Path")
            files = sorted(self.sample_files)
            body = [
                f'Path("{f}").write_text("Hello, World!\\n")  # a file to work on' for f in files
            ] + body
            self.sample_files = set()
        if self.guard is not None:
            return self._assemble_guarded(body, prelude or [], self.guard)
        imports = import_block({*self.imports, *(["import asyncio"] if self.needs_async else [])})
        head = [*imports, "", "", *prelude] if prelude else imports
        if self.needs_async:
            entry = self._entry_point()
            body = [
                f"async def {entry}() -> None:",
                *_indent(body),
                "",
                "",
                f"asyncio.run({entry}())",
            ]
            return "\n".join([*head, "", "", *body]) + "\n"
        return "\n".join([*head, *([""] if prelude else []), "", *body]) + "\n"


def import_block(lines: set[str]) -> list[str]:
    """Imports as isort writes them: standard library first, one `from` line per module."""
    plain: dict[bool, set[str]] = {True: set(), False: set()}
    names: dict[tuple[bool, str], set[str]] = {}
    for line in lines:
        words = line.split()
        stdlib = words[1].split(".", 1)[0] in sys.stdlib_module_names
        if words[0] == "import":
            plain[stdlib].add(line)
        else:
            names.setdefault((stdlib, words[1]), set()).add(" ".join(words[3:]))
    groups = []
    for stdlib in (True, False):
        group = sorted(plain[stdlib]) + [
            f"from {module} import {', '.join(sorted(found))}"
            for (is_stdlib, module), found in sorted(names.items())
            if is_stdlib == stdlib
        ]
        if group:
            groups.append("\n".join(group))
    return "\n\n".join(groups).split("\n") if groups else []


_VARIADIC = ("variadic positional", "variadic keyword")
_TYPING_PREFIX = re.compile(r"\b[A-Za-z_][\w.]*\.(?=(?:Optional|Union|Literal|Annotated)\[)")


def _or_none(value: str) -> str:
    """`None` for an optional parameter no value can be built for (the call runs), else the
    value."""
    return "None" if value == "..." else value


def _has_ellipsis(value: str) -> bool:
    try:
        tree = ast.parse(value, mode="eval")
    except SyntaxError:
        return "..." in value
    return any(isinstance(n, ast.Constant) and n.value is Ellipsis for n in ast.walk(tree))


def _default_written(default: str) -> str:
    """A literal default as written; `None` for one that names things the snippet lacks."""
    try:
        ast.literal_eval(default)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "None"
    return literal(default)


def _written_params(params: tuple[Param, ...]) -> list[str]:
    """Parameters as a `def` line writes them, so an override accepts what callers pass."""
    written: list[str] = []
    star = False
    for param in params:
        if param.kind == "variadic positional":
            written.append(f"*{param.name}")
            star = True
        elif param.kind == "variadic keyword":
            written.append(f"**{param.name}")
        else:
            if param.kind == "keyword-only" and not star:
                written.append("*")
                star = True
            default = "" if param.default is None else f"={_default_written(param.default)}"
            written.append(f"{param.name}{default}")
    if any(p.kind == "positional-only" for p in params):
        last = max(i for i, p in enumerate(params) if p.kind == "positional-only")
        written.insert(last + 1, "/")
    return written


def _shown_option(params: tuple[Param, ...]) -> Param | None:
    """The first keyword-only option with a string default: shown to teach the keyword."""
    for param in params:
        if param.kind == "keyword-only" and param.default is not None:
            try:
                value = ast.literal_eval(param.default)
            except (ValueError, SyntaxError):
                continue
            if isinstance(value, str) and value:
                return param
    return None


def literal(text: str) -> str:
    """A literal as the example shows it: strings in double quotes, as the house style has."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else text


def _words(name: str) -> str:
    """`FeedError` → `feed error`: a readable message for an exception example."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


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


def _fed(function: Callable_) -> bool:
    """Whether every required argument of `function` has a value read from the package (or
    a URL-like name): a factory called with made-up input (`parse(line="example")`) fails."""
    known = dict(function.values)
    return all(
        param.name in known or param.name in _NAMED_STRINGS
        for param in function.params
        if param.kind not in _VARIADIC and param.default is None
    )


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
