"""Griffe objects → what the example builder needs: `Callable_`, `ClassTarget`, `Hint`s."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace

import griffe

from mkdocs_howto.analyze.classes import (
    abstract_methods,
    abstract_property,
    ancestors,
    base_names,
    constructor_params,
    enum_member,
    is_enum,
    is_exception,
    is_protocol,
    protocol_members,
    raised_with_a_message,
    standard_abstract,
    typed_by_stub,
    unknown_constructor,
)
from mkdocs_howto.analyze.code import (
    FunctionShape,
    function_shape,
    load_memo,
    own_nodes,
    parse_object,
)
from mkdocs_howto.analyze.decorators import decorator_role, replacing_decorator
from mkdocs_howto.analyze.example import (
    Binding,
    Callable_,
    ClassTarget,
    Factory,
    Hint,
    literal,
)
from mkdocs_howto.analyze.params import context_decorator, params_of
from mkdocs_howto.analyze.symbols import Lookup
from mkdocs_howto.analyze.values import body_of, reader_values, with_items_read
from mkdocs_howto.facts import Param
from mkdocs_howto.guards import definition_guard, type_checking_only

_NO_SHAPE = FunctionShape(False, False, (), (), ())


def callable_of(func: griffe.Function, name: str | None = None) -> Callable_:
    parsed = parse_object(func)
    node = parsed.node if parsed else None
    shape = (
        function_shape(node)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        else _NO_SHAPE
    )
    binding: Binding = (
        "class"
        if "classmethod" in func.labels
        else "static"
        if "staticmethod" in func.labels
        else "instance"
    )
    params = params_of(func)
    home = func.parent
    if isinstance(home, griffe.Module) and type_checking_only(home, func):
        # the typed `def` is for checkers; what runs may name its parameters differently
        # (`iscoroutine(awaitable)` typed, `inspect.iscoroutine(object)` run): by position
        params = tuple(
            replace(p, kind="positional-only") if p.kind == "positional or keyword" else p
            for p in params
        )
    params = with_items_read(func, params)
    return Callable_(
        name or func.name,
        params,
        shape,
        str(func.returns) if func.returns is not None else None,
        binding,
        context_decorator(func),
        decorator=decorator_role(node) if isinstance(node, ast.FunctionDef) else None,
        replaced_by=replacing_decorator(func),
        guard=definition_guard(home, func) if isinstance(home, griffe.Module) else None,
        values=reader_values(func, func, params),
    )


#: Names of the methods users call first, most wanted first.
_PRIMARY_VERBS = (
    "run", "print", "render", "get", "send", "execute", "fetch", "request", "read", "write",
    "parse", "load", "dump", "open", "connect", "start", "search", "query", "add", "update",
    "process", "submit", "stream", "call", "apply",
)  # fmt: skip


def _verb_rank(name: str) -> int:
    """Rank of a primary action's method: `get`, `print`; then builders (`add_task`,
    `add_column`); -1 for the rest (`get_row_style` is a helper, not the point)."""
    if name in _PRIMARY_VERBS:
        return _PRIMARY_VERBS.index(name)
    return len(_PRIMARY_VERBS) if name.startswith("add_") else -1


#: Other methods an example may call instead of the central one when that one needs a value
#: no source gives (`render(task=...)`), most wanted first.
MAX_ALTERNATIVES = 6


def _alternatives(
    cls: griffe.Class, methods: dict[str, griffe.Function], central: griffe.Function | None
) -> list[griffe.Function]:
    """Public methods other than `central`: primary actions first, then in source order."""
    others = [m for m in _callable_public(methods) if m is not central]
    ranked = sorted(
        enumerate(others),
        key=lambda found: (
            _verb_rank(found[1].name) if _verb_rank(found[1].name) >= 0 else 99,
            found[0],
        ),
    )
    return [m for _, m in ranked][:MAX_ALTERNATIVES]


def _callable_public(methods: dict[str, griffe.Function]) -> list[griffe.Function]:
    return [
        m
        for name, m in methods.items()
        if not name.startswith("_")
        and not {"property", "cached_property"} & m.labels
        and not abstract_property(m)
        and m.runtime  # methods declared under `if TYPE_CHECKING:` do not exist when run
        and replacing_decorator(m) is None  # `@memoized_property`: not called by its `def`
        and (m.parameters or {"staticmethod", "classmethod"} & m.labels)  # `def helper():`
    ]


def _central_method(
    cls: griffe.Class, methods: dict[str, griffe.Function]
) -> griffe.Function | None:
    """The method a reader most likely came for: one named for a primary action (`get`,
    `print`, `render`: the earlier in `_PRIMARY_VERBS` wins; then `add_*`), else the one the
    class's own code calls most (`self.request(...)` from `get`, `post`…), else the first."""
    public = _callable_public(methods)
    if len(public) < 2:
        return public[0] if public else None
    primary = [(_verb_rank(m.name), i, m) for i, m in enumerate(public) if _verb_rank(m.name) >= 0]
    if primary:
        return min(primary, key=lambda found: found[:2])[2]
    parsed = parse_object(cls)
    if parsed is None:
        return public[0]
    calls = Counter(
        node.func.attr
        for node in ast.walk(parsed.node)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in ("self", "cls")
    )
    return max(public, key=lambda m: calls[m.name])  # first of equals: source order


def class_target(
    cls: griffe.Class,
    name: str,
    methods: dict[str, griffe.Function],
    lookup: Lookup | None = None,
) -> ClassTarget:
    """The class built with its constructor, and its central public method called."""
    factory = class_factory(cls, lookup) if lookup is not None else None
    init_params = constructor_params(cls)
    if init_params is not None:
        init_params = with_items_read(_init_body(cls), init_params)
    opaque = init_params is None and (typed_by_stub(cls) or unknown_constructor(cls))
    if factory is not None and not factory.import_line and opaque and len(methods) > 1:
        # no constructor to call: the classmethod that builds one is how the instance is
        # obtained, the example then shows what it does
        methods = {n: m for n, m in methods.items() if n != factory.function.name}
    method = _central_method(cls, methods)
    members = cls.all_members
    context = (
        "async with" if "__aenter__" in members else "with" if "__enter__" in members else None
    )
    call = members.get("__call__")
    protocol = is_protocol(cls)
    implement = [
        *(
            _implemented(member)
            for member in (protocol_members if protocol else abstract_methods)(cls)
        ),
        *(() if protocol else (_standard_method(name) for name in standard_abstract(cls))),
    ]
    home = cls.parent
    return ClassTarget(
        init_params,
        context,  # type: ignore[arg-type]
        callable_of(method) if method is not None else None,
        _defaults(cls, name),
        enum_member(cls),
        is_exception(cls),
        callable_of(call) if isinstance(call, griffe.Function) and method is None else None,
        implement=tuple(implement),
        protocol=protocol,
        type_only=isinstance(home, griffe.Module) and type_checking_only(home, cls),
        opaque=opaque,
        raised_with_a_message=raised_with_a_message(cls),
        empty_enum=_empty_enum_value(cls),
        guard=definition_guard(home, cls) if isinstance(home, griffe.Module) else None,
        init_values=_init_values(cls, init_params),
        factory=factory,
        alternatives=tuple(callable_of(m) for m in _alternatives(cls, methods, method)),
    )


def _init_values(
    cls: griffe.Class, params: tuple[Param, ...] | None
) -> tuple[tuple[str, str], ...]:
    """Values for the constructor's parameters: calls of the class, its `__init__`'s body."""
    if not params:
        return ()
    return reader_values(cls, _init_body(cls), params)


def _init_body(cls: griffe.Class) -> griffe.Function | None:
    """The `__init__` whose body receives the constructor's arguments, when its source was
    loaded with the class's."""
    func = body_of(cls)
    return func if func is not None and func.lines_collection is cls.lines_collection else None


def _empty_enum_value(cls: griffe.Class) -> str | None:
    """A member value for an enumeration with no members; None for anything else."""
    if not is_enum(cls) or enum_member(cls) is not None or _assigns_members(cls):
        return None
    bases = {name for klass in ancestors(cls) for name, _ in base_names(klass)}
    return '"first"' if bases & {"str", "StrEnum"} else "1"


def _assigns_members(cls: griffe.Class) -> bool:
    """Whether the class body assigns anything but `__dunder__` / `_sunder_` names: members
    Griffe does not list (`RED, GREEN = 1, 2`, `_HIDDEN = 1`) make it a full enumeration."""
    parsed = parse_object(cls)
    if parsed is None or not isinstance(parsed.node, ast.ClassDef):
        return True  # unknown: do not subclass it
    for stmt in parsed.node.body:
        targets = (
            stmt.targets
            if isinstance(stmt, ast.Assign)
            else [stmt.target]
            if isinstance(stmt, ast.AnnAssign) and stmt.value is not None
            else []
        )
        names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        if any(not (n.startswith("_") and n.endswith("_")) for n in names):
            return True
    return False


def _implemented(member: griffe.Function | griffe.Attribute) -> Callable_:
    """What a subclass writes for an abstract member; a property is a getter (Griffe 2 models
    it as an attribute)."""
    if isinstance(member, griffe.Function) and not abstract_property(member):
        return callable_of(member)
    if isinstance(member, griffe.Attribute) and "property" not in member.labels:
        annotation = str(member.annotation) if member.annotation is not None else None
        value = Param(member.name, "positional or keyword", annotation, None)
        return Callable_(member.name, (value,), _NO_SHAPE, binding="attribute")
    return Callable_(member.name, (), _NO_SHAPE, binding="property")


#: What a subclass writes for a standard ABC's abstract methods: parameters, async.
_STANDARD_SIGNATURES: dict[str, tuple[tuple[str, ...], bool]] = {
    "__contains__": (("item",), False),
    "__getitem__": (("key",), False),
    "__setitem__": (("key", "value"), False),
    "__delitem__": (("key",), False),
    "insert": (("index", "value"), False),
    "add": (("value",), False),
    "discard": (("value",), False),
    "__exit__": (("*exc_info",), False),
    "__aexit__": (("*exc_info",), True),
    "__anext__": ((), True),
}


def _standard_method(name: str) -> Callable_:
    names, is_async = _STANDARD_SIGNATURES.get(name, ((), False))
    params = tuple(
        Param(
            n.lstrip("*"),
            "variadic positional" if n.startswith("*") else "positional or keyword",
            None,
            None,
        )
        for n in names
    )
    shape = FunctionShape(is_async, False, (), (), ())
    return Callable_(name, params, shape)


def _defaults(cls: griffe.Class, name: str) -> dict[str, str]:
    """`default_<param>` class attributes: their literal value, else `Class.default_<param>`."""
    found = {}
    for attr_name, member in cls.all_members.items():
        try:
            attr = member.final_target if isinstance(member, griffe.Alias) else member
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        if not attr_name.startswith("default_") or not isinstance(attr, griffe.Attribute):
            continue
        if attr.value is None or "class-attribute" not in attr.labels:
            continue
        value = literal(str(attr.value))
        try:
            ast.literal_eval(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = f"{name}.{attr_name}"
        found[attr_name] = value
    return found


# The value of a type alias: names, subscripts, unions, no calls (`Union[str, bytes]`).
_TYPE_EXPRESSION = re.compile(r"^[\w.\[\], |'\"]+$")


def type_var_value(value: str | None) -> str | None:
    """What a `TypeVar("V", …)` accepts, as an annotation: its bound, its first constraint,
    or `Any` for an unbound one; what a `NewType("N", int)` is at run time; else None."""
    if not value:
        return None
    try:
        tree = ast.parse(value, mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return None
    called = ast.unparse(tree.func).split(".")[-1] if isinstance(tree, ast.Call) else ""
    if called == "NewType" and isinstance(tree, ast.Call) and len(tree.args) == 2:
        # `TaskID = NewType("TaskID", int)`: at run time a plain int
        runtime = ast.unparse(tree.args[1])
        return runtime if _TYPE_EXPRESSION.match(runtime) else None
    if called != "TypeVar" or not isinstance(tree, ast.Call):
        return None
    bound = next((k.value for k in tree.keywords if k.arg == "bound"), None)
    chosen = bound or (tree.args[1] if len(tree.args) > 1 else None)
    if chosen is None:
        return "Any"
    text = chosen.value if isinstance(chosen, ast.Constant) else ast.unparse(chosen)
    return text if isinstance(text, str) and _TYPE_EXPRESSION.match(text) else None


def hints_for(
    objects: Iterable[griffe.Object | griffe.Alias], lookup: Lookup, depth: int = 2
) -> dict[str, Hint]:
    """Values for annotations naming an enum of the documented packages (`Color.RED`), and
    the types their type aliases stand for; classes of the packages are built from their
    constructors, whose own annotations get hints too (`depth` levels: a click `Context`
    needs a `Command`)."""
    objects = list(objects)
    hints: dict[str, Hint] = {}
    nested: list[griffe.Object | griffe.Alias] = []
    for expr in _annotations(objects):
        for part in expr.iterate(flat=True):
            if not isinstance(part, griffe.ExprName) or part.name in hints:
                continue
            symbol = lookup(part.canonical_path)
            if symbol is None:
                continue
            if symbol.kind == "attribute" and symbol.value == part.name:
                continue  # `str = str` (a compat module's builtins): the builtin itself
            if symbol.kind == "attribute" and symbol.value and _TYPE_EXPRESSION.match(symbol.value):
                # a type alias (`UriType = str | bytes`): values are built for what it names
                hints[part.name] = Hint(symbol.value, "", alias=True)
                continue
            stands_for = type_var_value(symbol.value) if symbol.kind == "attribute" else None
            if stands_for is not None:
                # `V = TypeVar("V", bound=str)`: any value of its bound, constraint or type
                hints[part.name] = Hint(stands_for, "", alias=True)
                continue
            if symbol.kind == "class" and symbol.buildable and symbol.runtime:
                # a class of the packages: built from its own constructor where possible
                module, cls = symbol.import_path.rsplit(".", 1)
                home = lookup(module)
                if home is not None and home.kind == "module":  # not a nested class
                    # an annotation Griffe keeps without its scope still names a loaded class
                    found = _griffe_object(expr, part.canonical_path) or _loaded(
                        objects, part.canonical_path
                    )
                    target = _final(found)
                    values = (
                        _init_values(target, symbol.params)
                        if isinstance(target, griffe.Class)
                        else ()
                    )
                    hints[part.name] = Hint(
                        cls, f"from {module} import {cls}", params=symbol.params, values=values
                    )
                    if found is not None:
                        nested.append(found)
                continue
            if symbol.enum_member is None:
                continue
            module, cls = symbol.import_path.rsplit(".", 1)
            hints[part.name] = Hint(f"{cls}.{symbol.enum_member}", f"from {module} import {cls}")
    if depth > 0 and nested:
        for name, hint in hints_for(nested, lookup, depth - 1).items():
            hints.setdefault(name, hint)  # the documented object's own names come first
    return hints


def _loaded(
    objects: list[griffe.Object | griffe.Alias], path: str
) -> griffe.Object | griffe.Alias | None:
    for obj in objects[:1]:
        try:
            found = obj.modules_collection.get_member(path)
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
        return found if isinstance(found, griffe.Object | griffe.Alias) else None
    return None


def _final(found: griffe.Object | griffe.Alias | None) -> griffe.Object | None:
    try:
        return found.final_target if isinstance(found, griffe.Alias) else found
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _griffe_object(expr: griffe.Expr, path: str) -> griffe.Object | griffe.Alias | None:
    """The loaded object an annotation names, through the scope it was written in."""
    scope = getattr(expr, "parent", None)
    if not isinstance(scope, griffe.Object):
        return None
    try:
        found = scope.modules_collection.get_member(path)
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    return found if isinstance(found, griffe.Object | griffe.Alias) else None


def _annotations(objects: Iterable[griffe.Object | griffe.Alias]) -> Iterator[griffe.Expr]:
    for obj in objects:
        if isinstance(obj, griffe.Function):
            for param in obj.parameters:
                if isinstance(param.annotation, griffe.Expr):
                    yield param.annotation
                elif isinstance(param.annotation, str):
                    # a quoted name Griffe keeps as text (`task: "Task"`): resolved where
                    # the function is written
                    name = param.annotation.strip("\"'")
                    if name.isidentifier():
                        yield griffe.ExprName(name, parent=obj)
        elif isinstance(obj, griffe.Class):
            for each in obj.all_members.values():
                member = _final(each)  # an inherited member is an alias of the base's
                if isinstance(member, griffe.Attribute) and isinstance(
                    member.annotation, griffe.Expr
                ):
                    yield member.annotation
                elif isinstance(member, griffe.Function) and member.name == "__init__":
                    yield from _annotations([member])


def class_factory(cls: griffe.Class, lookup: Lookup) -> Factory | None:
    """Where readers get an instance: a public function of the packages annotated to return
    the class (`def get(url) -> Response`) or returning `Cls(...)` in the class's module;
    else a public classmethod of the class returning it (`-> Self`, `-> "Cls"`,
    `return cls(...)`). Functions first: that is how users obtain such objects."""
    functions: list[griffe.Function] = []
    methods: list[griffe.Function] = []
    for func in _factory_index(cls).get(cls.path, ()):
        if func.parent is cls:
            methods.append(func)
        elif isinstance(func.parent, griffe.Module):  # another class's method needs its owner
            functions.append(func)
    home = cls.parent
    if isinstance(home, griffe.Module):
        functions += [f for f in _public_functions(home) if _returns_built(f, cls.name)]
    methods += [
        m
        for m in _public_functions(cls)
        if {"classmethod", "staticmethod"} & m.labels and _returns_built(m, "cls", cls.name)
    ]
    for func in functions:
        symbol = lookup(func.path)
        if symbol is not None and symbol.runtime and symbol.import_path:
            module, name = symbol.import_path.rsplit(".", 1)
            return Factory(callable_of(func), f"from {module} import {name}", name)
    for func in methods:
        if "classmethod" in func.labels or "staticmethod" in func.labels:
            return Factory(callable_of(func), "", f"{cls.name}.{func.name}")
    return None


def _public_functions(owner: griffe.Object) -> Iterator[griffe.Function]:
    for name, member in owner.members.items():
        if not name.startswith("_") and isinstance(member, griffe.Function) and member.runtime:
            yield member


def _factory_index(obj: griffe.Object) -> dict[str, list[griffe.Function]]:
    """Class path -> public functions and classmethods annotated to return it, over every
    module of the packages (built once per load)."""
    memo = load_memo(obj)
    key = ("factories", obj.package.path)
    if key not in memo:
        index: dict[str, list[griffe.Function]] = {}
        stack: list[griffe.Object] = [obj.package]
        while stack:
            owner = stack.pop()
            for name, member in owner.members.items():
                if isinstance(member, griffe.Alias):
                    continue
                if isinstance(member, griffe.Module):  # private modules hold public API too
                    if name not in ("__main__", "tests", "conftest"):  # not imported by users
                        stack.append(member)
                elif name.startswith("_"):
                    continue
                elif isinstance(member, griffe.Class):
                    stack.append(member)
                elif isinstance(member, griffe.Function):
                    returned = _returned_class(member)
                    if returned is not None:
                        index.setdefault(returned, []).append(member)
        memo[key] = index
    return memo[key]  # type: ignore[no-any-return]


def _returned_class(func: griffe.Function) -> str | None:
    """The canonical path of the class a function is annotated to return (`-> Response`,
    a classmethod's `-> Self`)."""
    returns = func.returns
    if isinstance(returns, griffe.ExprName):
        if returns.name == "Self" and isinstance(func.parent, griffe.Class):
            return func.parent.path
        return returns.canonical_path
    if isinstance(returns, str) and isinstance(func.parent, griffe.Class):
        return func.parent.path if returns.strip("\"'") == func.parent.name else None
    return None


def _returns_built(func: griffe.Function, *names: str) -> bool:
    """Whether the function's own code ends in `return Cls(...)` (or `cls(...)`)."""
    parsed = parse_object(func)
    if parsed is None:
        return False
    return any(
        isinstance(node, ast.Return)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in names
        for node in own_nodes(parsed.node)
    )
