"""What a class is and how it is built: enum, protocol, abstract, exception, model; its
constructor's parameters, wherever they come from (its own `__init__`, a base, model fields,
a namedtuple or standard-library base)."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal

import griffe

from mkdocs_howto.analyze.code import load_memo, parse_object
from mkdocs_howto.analyze.params import params_of
from mkdocs_howto.facts import Param

#: Bases whose subclasses are built from their annotated fields, by keyword only.
_KEYWORD_MODELS = ("BaseModel", "BaseSettings", "SQLModel", "TypedDict")
#: Bases and decorators whose classes take their fields positionally or by keyword.
_FIELD_MODELS = ("NamedTuple", "Struct")
_ENUM_BASES = ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum")
_NEUTRAL_BASES = ("object", "Generic", "Protocol", "ABC", "abc.ABC")


def abstract_or_special(cls: griffe.Class) -> bool:
    return bool(
        is_enum(cls) or is_protocol(cls) or is_exception(cls) or abstract_methods(cls)
    ) or bool(standard_abstract(cls))


def base_names(cls: griffe.Class) -> Iterator[tuple[str, str]]:
    """(short name, canonical path) of each base, as written."""
    for base in cls.bases:
        text = str(base).split("[", 1)[0]
        canonical = getattr(base, "canonical_path", text).split("[", 1)[0]
        yield text.rsplit(".", 1)[-1], canonical


def ancestors(cls: griffe.Class) -> list[griffe.Class]:
    """The class and its loaded bases in MRO order; asked ~30 times per class, kept per load."""
    memo = load_memo(cls)
    key = ("mro", cls.path)
    if key not in memo:
        try:
            memo[key] = [cls, *cls.mro()]
        except (ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            memo[key] = [cls]
    return memo[key]  # type: ignore[no-any-return]


def is_enum(cls: griffe.Class) -> bool:
    return any(name in _ENUM_BASES for klass in ancestors(cls) for name, _ in base_names(klass))


def enum_member(cls: griffe.Class) -> str | None:
    """The first member of an enumeration class; None for other classes."""
    if not is_enum(cls):
        return None
    return next(
        (
            name
            for name, attr in cls.attributes.items()
            if not name.startswith("_") and "class-attribute" in attr.labels
        ),
        None,
    )


def is_protocol(cls: griffe.Class) -> bool:
    """A `typing.Protocol` (listed among its own bases, as a protocol must)."""
    return any(name == "Protocol" for name, _ in base_names(cls))


def abstract_methods(cls: griffe.Class) -> list[griffe.Function | griffe.Attribute]:
    """`@abstractmethod`s no class in the loaded hierarchy overrides: what a subclass writes."""
    found = []
    for member in cls.all_members.values():
        try:
            target = member.final_target if isinstance(member, griffe.Alias) else member
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        if isinstance(target, griffe.Function | griffe.Attribute) and (
            "abstractmethod" in target.labels or abstract_property(target)
        ):
            found.append(target)  # Griffe 2 models a property as an attribute
    return found


def abstract_property(member: griffe.Object) -> bool:
    """`@abc.abstractproperty` (deprecated, still common): Griffe labels it neither."""
    decorators = getattr(member, "decorators", ())
    return any(d.callable_path.rsplit(".", 1)[-1] == "abstractproperty" for d in decorators)


def protocol_members(cls: griffe.Class) -> list[griffe.Function | griffe.Attribute]:
    """The methods, properties and attributes a protocol declares itself: what a class must
    have to satisfy it."""
    return [
        member
        for name, member in cls.members.items()
        if isinstance(member, griffe.Function | griffe.Attribute)
        and name not in ("__init__", "__new__", "__class_getitem__", "__init_subclass__")
        and (not name.startswith("_") or (name.startswith("__") and name.endswith("__")))
        # `__slots__`, `__match_args__`: the class's machinery, not part of the protocol
        and not (isinstance(member, griffe.Attribute) and name.startswith("__"))
    ]


def is_exception(cls: griffe.Class) -> bool:
    # the class's own name counts too: its bases may be computed (`class E(*bases)`)
    return cls.name.endswith(("Error", "Exception")) or any(
        name.endswith(("Error", "Exception", "Warning")) or name == "BaseException"
        for klass in ancestors(cls)
        for name, _ in base_names(klass)
    )


def raised_with_a_message(cls: griffe.Class) -> bool:
    """Whether `Cls("message")` builds the exception: everything it inherits from outside the
    loaded packages is a builtin exception, which takes a message."""
    loaded = {klass.path for klass in ancestors(cls)}
    for klass in ancestors(cls):
        for name, canonical in base_names(klass):
            if canonical in loaded or name in _NEUTRAL_BASES:
                continue
            builtin = getattr(builtins, name, None)
            if not (isinstance(builtin, type) and issubclass(builtin, BaseException)):
                return False
    return True


#: Abstract methods of the standard ABCs a class may inherit from outside the packages.
_STANDARD_ABSTRACT = {
    "Sized": ("__len__",),
    "Iterable": ("__iter__",),
    "Container": ("__contains__",),
    "Hashable": ("__hash__",),
    "Iterator": ("__next__",),
    "Collection": ("__len__", "__iter__", "__contains__"),
    "Sequence": ("__getitem__", "__len__"),
    "MutableSequence": ("__getitem__", "__len__", "__setitem__", "__delitem__", "insert"),
    "Mapping": ("__getitem__", "__iter__", "__len__"),
    "MutableMapping": ("__getitem__", "__iter__", "__len__", "__setitem__", "__delitem__"),
    "Set": ("__contains__", "__iter__", "__len__"),
    "AbstractSet": ("__contains__", "__iter__", "__len__"),
    "MutableSet": ("__contains__", "__iter__", "__len__", "add", "discard"),
    "Awaitable": ("__await__",),
    "AsyncIterable": ("__aiter__",),
    "AsyncIterator": ("__anext__",),
    "ContextManager": ("__exit__",),
    "AbstractContextManager": ("__exit__",),
    "AsyncContextManager": ("__aexit__",),
    "AbstractAsyncContextManager": ("__aexit__",),
}


def standard_abstract(cls: griffe.Class) -> list[str]:
    """Methods a standard ABC among the external bases requires and no loaded class writes."""
    required: list[str] = []
    loaded = {klass.path for klass in ancestors(cls)}
    for klass in ancestors(cls):
        for base in klass.bases:
            standard = _standard_base(cls.modules_collection, base)
            canonical = getattr(base, "canonical_path", str(base)).split("[", 1)[0]
            if canonical in loaded or standard in _NEUTRAL_BASES:
                continue
            if standard not in _STANDARD_ABSTRACT:
                return []  # another external base may well supply them (`dict`, a mixin)
            for name in _STANDARD_ABSTRACT.get(standard, ()):
                if name not in required:
                    required.append(name)
    members = cls.all_members
    return [name for name in required if name not in members]


def _standard_base(collection: griffe.ModulesCollection, base: str | griffe.Expr) -> str:
    """`Iterable[str]` → `Iterable`; a module-level alias (`IterableBase = Iterable[X]`) is
    followed to its value."""
    name = str(base).split("[", 1)[0].rsplit(".", 1)[-1]
    if name in _STANDARD_ABSTRACT or not isinstance(base, griffe.ExprName):
        return name
    try:
        target = collection.get_member(base.canonical_path)
        if isinstance(target, griffe.Alias):
            target = target.final_target
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return name  # outside the loaded packages (`json.JSONDecodeError`)
    value = getattr(target, "value", None)
    return str(value).split("[", 1)[0].rsplit(".", 1)[-1] if value is not None else name


def is_open(cls: griffe.Class) -> bool:
    """Whether some base lies outside the loaded packages, so members may be hidden."""
    loaded = {klass.path for klass in ancestors(cls)}
    for klass in ancestors(cls):
        for name, canonical in base_names(klass):
            if name in _NEUTRAL_BASES or canonical in loaded:
                continue
            return True
    return "__getattr__" in cls.all_members


def constructor_params(cls: griffe.Class) -> tuple[Param, ...] | None:
    """How the class is called; None when that cannot be known statically."""
    if is_enum(cls):
        return None
    # `Sub(a=1)` calls the nearest `__new__` too, wherever it is: `__new__(cls, *args)`
    # refuses keywords, so the `__init__` arguments go by position then
    nearest_new = next(
        (k.members["__new__"] for k in ancestors(cls) if "__new__" in k.members), None
    )
    new_takes_keywords = not isinstance(nearest_new, griffe.Function) or _takes_keywords(
        nearest_new
    )
    for klass in ancestors(cls):
        init = klass.members.get("__init__")
        if isinstance(init, griffe.Function):
            params = params_of(init)
            if new_takes_keywords:
                return params
            # `__new__(cls, *args)` gets the same arguments: keywords would fail there, so a
            # required keyword-only parameter cannot be passed at all
            if any(p.kind == "keyword-only" and p.default is None for p in params):
                return None
            return tuple(
                replace(p, kind="positional-only") if p.kind == "positional or keyword" else p
                for p in params
                if p.kind != "keyword-only" or p.default is None
            )
        style = _model_style(klass)
        if style is not None:
            return _fields(cls, style)
        new = klass.members.get("__new__")
        if isinstance(new, griffe.Function):
            return params_of(new)
    if typed_by_stub(cls):
        return None
    if is_open(cls):
        return _external_constructor(cls)
    return ()


def _external_constructor(cls: griffe.Class) -> tuple[Param, ...] | None:
    """How the first base from outside the packages is called, when that can be known: a
    `namedtuple(...)` base lists its fields; a standard-library class has a signature."""
    loaded = {klass.path for klass in ancestors(cls)}
    for klass in ancestors(cls):
        for base in klass.bases:
            name = str(base).split("[", 1)[0]
            canonical = getattr(base, "canonical_path", name).split("[", 1)[0]
            if canonical in loaded or name.rsplit(".", 1)[-1] in _NEUTRAL_BASES:
                continue
            if isinstance(base, griffe.ExprCall):
                return _namedtuple_fields(base)
            return _stdlib_signature(cls, canonical)
    return None


def unknown_constructor(cls: griffe.Class) -> bool:
    """Whether the class is built by a base from outside the packages whose constructor is
    unknown (a third-party class, `datetime.date`): not a builtin such as `dict`, which
    builds from nothing."""
    if constructor_params(cls) is not None or not is_open(cls):
        return False
    loaded = {klass.path for klass in ancestors(cls)}
    for klass in ancestors(cls):
        for name, canonical in base_names(klass):
            if canonical in loaded or name in _NEUTRAL_BASES:
                continue
            return not isinstance(getattr(builtins, canonical, None), type)
    return False


def _namedtuple_fields(call: griffe.ExprCall) -> tuple[Param, ...] | None:
    """`namedtuple("Point", ["x", "y"])` / `namedtuple("Point", "x y")` → x, y."""
    if str(call.function).rsplit(".", 1)[-1] not in ("namedtuple", "NamedTuple"):
        return None
    if len(call.arguments) < 2:  # the type name, then the fields
        return None
    try:
        fields = ast.literal_eval(str(call.arguments[1]))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if isinstance(fields, str):
        fields = fields.replace(",", " ").split()
    names = [f[0] if isinstance(f, tuple) else f for f in fields]
    if not all(isinstance(n, str) and n.isidentifier() for n in names):
        return None
    return tuple(Param(n, "positional or keyword", None, None) for n in names)


# Standard-library modules never imported to read a signature: they act when imported.
_UNSAFE_STDLIB = frozenset({"antigravity", "this", "idlelib", "turtle", "turtledemo", "tkinter"})


def _stdlib_signature(cls: griffe.Class, path: str) -> tuple[Param, ...] | None:
    """The constructor of a standard-library class (`pickle.Pickler`), read at run time: the
    standard library is the one code a build may import, it ships with Python. Never a
    `__main__` module (it runs a program) nor a name the documented packages shadow."""
    memo = load_memo(cls)
    key = ("stdlib constructor", path)
    if key not in memo:
        memo[key] = None
        module_name, _, name = path.rpartition(".")
        top = module_name.split(".", 1)[0]
        safe = (
            module_name
            and top in sys.stdlib_module_names
            and top not in _UNSAFE_STDLIB
            and top not in cls.modules_collection.members
            and "__main__" not in module_name.split(".")
        )
        if safe:
            memo[key] = _signature_params(module_name, name)
    return memo[key]  # type: ignore[no-any-return]


def _signature_params(module_name: str, name: str) -> tuple[Param, ...] | None:
    try:
        klass = getattr(importlib.import_module(module_name), name)
        signature = inspect.signature(klass)
    except KeyboardInterrupt:
        raise
    except BaseException:  # an import may fail any way, even SystemExit: unknown
        return None
    if not isinstance(klass, type) or issubclass(klass, BaseException):
        return None
    return tuple(
        Param(
            p.name,
            _KINDS[p.kind],
            None,
            None if p.default is inspect.Parameter.empty else repr(p.default),
        )
        for p in signature.parameters.values()
    )


_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional-only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional or keyword",
    inspect.Parameter.VAR_POSITIONAL: "variadic positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword-only",
    inspect.Parameter.VAR_KEYWORD: "variadic keyword",
}


def _takes_keywords(func: griffe.Function) -> bool:
    return any(p.kind is not griffe.ParameterKind.var_positional for p in list(func.parameters)[1:])


def typed_by_stub(cls: griffe.Class) -> bool:
    """A class whose module ships a `.pyi` stub and that shows no constructor: Griffe merged
    the stub's view, which may omit `__init__` (attrs' `Attribute`), so the call is unknown."""
    filepath = cls.filepath
    if not isinstance(filepath, Path):
        return False
    memo = load_memo(cls)
    key = ("stub", str(filepath))
    if key not in memo:
        memo[key] = filepath.with_suffix(".pyi").is_file()
    return memo[key]  # type: ignore[no-any-return]


def _model_style(cls: griffe.Class) -> Literal["keyword", "fields"] | None:
    """How a class without `__init__` is built from its annotated fields, if it is."""
    if any(d.callable_path.split(".", 1)[0] in ("attr", "attrs") for d in cls.decorators):
        return "fields"
    for name, _ in base_names(cls):
        if name in _KEYWORD_MODELS:
            return "keyword"
        if name in _FIELD_MODELS:
            return "fields"
    return None


def _fields(cls: griffe.Class, style: Literal["keyword", "fields"]) -> tuple[Param, ...]:
    """Annotated class-level fields of the class and its loaded bases, base fields first."""
    found: dict[str, Param] = {}
    attrs_style = any(d.callable_path.split(".", 1)[0] in ("attr", "attrs") for d in cls.decorators)
    kind = "keyword-only" if style == "keyword" else "positional or keyword"
    for klass in reversed(ancestors(cls)):
        parsed = parse_object(klass)
        if parsed is None or not isinstance(parsed.node, ast.ClassDef):
            continue
        for statement in parsed.node.body:
            field = _field(statement, attrs_style)
            if field is not None:
                name, annotation, default = field
                found[name] = Param(name, kind, annotation, default)
    return tuple(found.values())


def _field(statement: ast.stmt, attrs_style: bool) -> tuple[str, str, str | None] | None:
    if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
        return None
    annotation = ast.unparse(statement.annotation)
    if annotation.split("[", 1)[0].rsplit(".", 1)[-1] in ("ClassVar", "InitVar"):
        return None
    name = statement.target.id
    if attrs_style:
        name = name.lstrip("_")
    value = statement.value
    if value is None:
        return name, annotation, None
    if not isinstance(value, ast.Call) or _call_name(value) not in (
        "field",
        "Field",
        "ib",
        "attrib",
    ):
        return name, annotation, ast.unparse(value)
    keywords = {k.arg: k.value for k in value.keywords if k.arg}
    init = keywords.get("init")
    if isinstance(init, ast.Constant) and init.value is False:
        return None
    alias = keywords.get("alias")
    if isinstance(alias, ast.Constant) and isinstance(alias.value, str):
        name = alias.value
    for key in ("default", "default_factory", "factory"):
        if key in keywords:
            return name, annotation, ast.unparse(keywords[key])
    first = value.args[0] if value.args else None
    if first is not None and not (isinstance(first, ast.Constant) and first.value is ...):
        return name, annotation, ast.unparse(first)
    return name, annotation, None


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
