"""Signature facts of dotted paths, read from the Griffe tree: what examples are built from and
checked against.

`lookup_for(collection)` answers `Symbol | None` for a dotted path: the verifier and the
example builder never see a Griffe object, only these facts.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

import griffe

from mkdocs_howto.analyze.classes import (
    abstract_or_special,
    constructor_params,
    enum_member,
    is_enum,
    is_open,
)
from mkdocs_howto.analyze.code import function_shape, parse_object
from mkdocs_howto.analyze.params import context_decorator, params_of
from mkdocs_howto.facts import Param
from mkdocs_howto.guards import (
    broken_import,
    definition_guard,
    type_checking_only,
    under_main_guard,
)

Kind = Literal["module", "class", "function", "attribute", "external"]
Binding = Literal["instance", "class", "static", "property"]


@dataclass(frozen=True)
class Symbol:
    """What a call site needs to know about a dotted path."""

    path: str
    """The canonical path (where the object is defined)."""
    kind: Kind
    params: tuple[Param, ...] | None = None
    """How it is called (without `self` / `cls`); None when unknown (external bases)."""
    binding: Binding = "instance"
    """For methods: how they are bound."""
    is_async: bool = False
    is_generator: bool = False
    context: Literal["with", "async with"] | None = None
    """For `@contextmanager` functions: how their result is entered."""
    open: bool = False
    """Members Griffe cannot see may exist (external bases, module `__getattr__`)."""
    is_enum: bool = False
    enum_member: str | None = None
    """For an enumeration: its first member, the one examples pick."""
    import_path: str = ""
    """The public path an example imports it from."""
    value: str | None = None
    """For attributes: the value's source, when it has one."""
    runtime: bool = True
    """False for a name imported only under `if TYPE_CHECKING:`: importing it fails."""
    buildable: bool = False
    """For classes: `params` build one (not abstract, not a protocol, not an exception)."""
    broken: str | None = None
    """For modules: why importing it fails for everyone (`file:line: …`), if it does."""


Lookup = Callable[[str], "Symbol | None"]


def lookup_for(
    collection: griffe.ModulesCollection, import_paths: Mapping[str, str] | None = None
) -> Lookup:
    """A cached `Lookup` over the loaded packages; `import_paths` maps canonical → public."""
    known = dict(import_paths or {})

    @cache
    def lookup(path: str) -> Symbol | None:
        try:
            obj = collection.get_member(path)
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            found = _inherited(collection, path)
            if found is None:
                return None
            obj = found
        symbol = symbol_of(obj, known)
        lazy = obj.parent is not None and "__getattr__" in obj.parent.members  # PEP 562
        if obj.is_alias and not lazy and not _importable(obj):
            symbol = replace(symbol, runtime=False)
        return symbol

    return lookup


def _inherited(
    collection: griffe.ModulesCollection, path: str
) -> griffe.Object | griffe.Alias | None:
    """A member a class inherits (`Prompt.ask` from `PromptBase[str]`, `DiGraph.nodes` from
    `Graph`): Griffe's `get_member` sees only the class's own members."""
    owner_path, _, name = path.rpartition(".")
    if not owner_path:
        return None
    try:
        owner = collection.get_member(owner_path)
        owner = owner.final_target if isinstance(owner, griffe.Alias) else owner
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    if not isinstance(owner, griffe.Class):
        return None
    try:
        return owner.all_members.get(name)
    except (griffe.AliasResolutionError, griffe.CyclicAliasError, ValueError, KeyError):
        return None


def symbol_of(obj: griffe.Object | griffe.Alias, import_paths: Mapping[str, str]) -> Symbol:
    try:
        target = obj.final_target if isinstance(obj, griffe.Alias) else obj
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return Symbol(obj.path, "external", open=True)
    public = import_paths.get(target.path) or _public_path(target)
    if isinstance(target, griffe.Module):
        return Symbol(
            target.path,
            "module",
            open="__getattr__" in target.members,
            import_path=public,
            broken=broken_import(target),
        )
    if isinstance(target, griffe.Class):
        params = constructor_params(target)
        return Symbol(
            target.path,
            "class",
            params,
            open=is_open(target),
            is_enum=is_enum(target),
            enum_member=enum_member(target),
            import_path=public,
            buildable=params is not None and _exists_as_written(target),
            runtime=_exists_at_run_time(target),
        )
    if isinstance(target, griffe.Function):
        return _function_symbol(target, public)
    raw = getattr(target, "value", None)
    value = str(raw) if raw is not None else None
    return Symbol(target.path, "attribute", open=True, import_path=public, value=value)


def _exists_at_run_time(cls: griffe.Class) -> bool:
    home = cls.parent
    return not (isinstance(home, griffe.Module) and type_checking_only(home, cls))


def _exists_as_written(cls: griffe.Class) -> bool:
    """Whether calling the class as its constructor reads builds one, everywhere: not
    abstract or special, defined unconditionally, not remade by a decorator or metaclass."""
    home = cls.parent
    guarded = isinstance(home, griffe.Module) and definition_guard(home, cls) is not None
    remade = any(
        d.callable_path.rsplit(".", 1)[-1] not in _PLAIN_CLASS_DECORATORS for d in cls.decorators
    )
    metaclass = "metaclass" in cls.keywords
    return not (
        abstract_or_special(cls) or guarded or remade or metaclass or not _exists_at_run_time(cls)
    )


#: Class decorators that keep `Class(...)` building an instance from the constructor shown.
_PLAIN_CLASS_DECORATORS = frozenset(
    {
        "dataclass",
        "total_ordering",
        "final",
        "runtime_checkable",
        "s",
        "attrs",
        "define",
        "frozen",
        "mutable",
    }
)


def _function_symbol(func: griffe.Function, public: str) -> Symbol:
    parsed = parse_object(func)
    node = parsed.node if parsed else None
    shape = (
        function_shape(node) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None
    )
    binding: Binding = (
        "property"
        if "property" in func.labels or "cached_property" in func.labels
        else "class"
        if "classmethod" in func.labels
        else "static"
        if "staticmethod" in func.labels
        else "instance"
    )
    return Symbol(
        func.path,
        "function",
        params_of(func),
        binding,
        is_async=shape.is_async if shape else "async" in func.labels,
        is_generator=shape.is_generator if shape else False,
        context=context_decorator(func),
        import_path=public,
    )


def _public_path(obj: griffe.Object) -> str:
    paths = [obj.path, *(alias.path for alias in obj.aliases.values() if _importable(alias))]
    public = [p for p in paths if not any(part.startswith("_") for part in p.split("."))]
    return min(public or paths, key=lambda path: (path.count("."), path != obj.path, path))


def _importable(alias: griffe.Alias) -> bool:
    """Whether `from <module> import <name>` works: not a type-checking or script-only import."""
    module = alias.parent
    if not isinstance(module, griffe.Module):
        return alias.runtime
    return not (type_checking_only(module, alias) or under_main_guard(module, alias))
