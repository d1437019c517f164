"""Argument values a reader would pass, read from the package's code without running it.

Sources, most trusted first: the package's own calls of the object with literal arguments
(`spinner("dots")` elsewhere in the package), an example in the parameter's docstring text
("e.g. `'dots'`"), comparisons and membership tests in the body (`if name not in SPINNERS`
gives a key of `SPINNERS`, `if mode == "fast"` gives `"fast"`), the keys the body reads from a
parameter's items (`for message in messages: message["role"]` gives
`[{"role": "user", "content": "Hello!"}]`), and a small `lambda` for a parameter the body
calls. Nothing is executed; a literal longer than `MAX_LITERAL` characters is not copied, and
a value whose type contradicts the parameter's annotation is dropped.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Container, Iterator, Mapping, Set
from dataclasses import replace
from pathlib import Path
from typing import Any

import griffe

from mkdocs_howto.analyze.classes import constructor_params
from mkdocs_howto.analyze.code import load_memo, own_node_list, parse_object
from mkdocs_howto.analyze.params import params_of
from mkdocs_howto.facts import Param
from mkdocs_howto.sources import PARSED_TREES

#: Longest literal copied from the package's code, in characters (one short line).
MAX_LITERAL = 60
#: Strings for dictionary keys the body reads, by key: what a reader would write there.
_KEY_VALUES = {
    "role": '"user"',
    "content": '"Hello!"',
    "text": '"Hello!"',
    "message": '"Hello!"',
    "name": '"example"',
    "id": "1",
    "type": '"text"',
    "url": '"https://example.org"',
    "host": '"example.org"',
    "port": "8080",
    "path": '"example.txt"',
    "model": '"my-model"',
}
#: Docstring phrases introducing an example value: "e.g. `'dots'`", "such as "bold"".
#: The value of a key no source says more about.
_SAMPLE = '"example"'
_DOC_EXAMPLE = re.compile(
    r"(?:e\.g\.|eg\.|for example|for instance|such as|like)[,:]?\s*"
    r"(?:``?([^`\n]{1,60})``?|((?:\"[^\"\n]{1,60}\")|(?:'[^'\n]{1,60}')))",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LITERAL_TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool, "bytes": bytes}


def reader_values(
    owner: griffe.Object, func: griffe.Function | None, params: tuple[Param, ...]
) -> tuple[tuple[str, str], ...]:
    """Parameter name -> a value's source, for the parameters some source gives a value.
    `owner` is what callers call (a function, a method, a class for its constructor; its
    docstring documents the parameters too), `func` the function whose body receives them
    (None for generated constructors).

    Asked again for the same constructor by every page that builds the class (rich: 1,008
    asks, `Theme`'s 78 times, `Console`'s 74): kept for the build with what reading them
    read, replayed into `SOURCES_READ`. A callee's values (`_passed_on`) are
    kept by `_callee_values`, which also knows how deep the reading is."""
    if _READING:
        return _reader_values_now(owner, func, params)
    memo = load_memo(owner)
    by_params: dict[tuple[Param, ...], _Read] = memo.setdefault(
        ("reader values", f"{owner.path} {func.path if func is not None else ''}"), {}
    )
    known = by_params.get(params)
    if known is None:
        known = by_params[params] = _read_apart(lambda: _reader_values_now(owner, func, params))
    SOURCES_READ.update(known[1])
    return known[0]


_Read = tuple[tuple[tuple[str, str], ...], frozenset[str]]
"""Values, and the sources reading them read."""


def _read_apart(read: Callable[[], tuple[tuple[str, str], ...]]) -> _Read:
    """`read()`'s values and the sources it read (added to `SOURCES_READ` too)."""
    outer = set(SOURCES_READ)
    SOURCES_READ.clear()
    try:
        values = read()
    finally:
        sources = frozenset(SOURCES_READ)
        SOURCES_READ.update(outer)
    return values, sources


def _reader_values_now(
    owner: griffe.Object, func: griffe.Function | None, params: tuple[Param, ...]
) -> tuple[tuple[str, str], ...]:
    node = _function_node(func)
    found: dict[str, str] = {}
    sources = (
        _call_site_values(owner, params, callee_keys(owner)),
        _docstring_values(params, _descriptions(owner, func)),
        _body_values(func, node, params) if node is not None else {},
    )
    read = {p.name for p in params if p.read_as}
    for source in sources:
        for name, value in source.items():
            if name not in read or not is_empty_container(value):
                found.setdefault(name, value)
    return tuple(found.items())


def is_empty_container(value: str) -> bool:
    """Whether `value` is the source of an empty list, tuple, dict or set (`[]`, `set()`)."""
    return value.replace(" ", "") in ("[]", "()", "{}", "set()", "frozenset()", "dict()", "list()")


def _function_node(
    func: griffe.Function | None,
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    if func is None:
        return None
    parsed = parse_object(func)
    node = parsed.node if parsed is not None else None
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


def fits(value: str, annotation: str | None) -> bool:
    """Whether a literal can be passed for `annotation` (unknown types accept any literal)."""
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return True  # a lambda or a name: built for the parameter, not copied
    if annotation is None:
        return parsed is not None
    parts = re.split(r"[\s|\[\],]+", annotation.replace("typing.", "").replace("Optional", ""))
    wanted = [_LITERAL_TYPES[p] for p in parts if p in _LITERAL_TYPES]
    if not wanted:
        return not isinstance(parsed, str | int | float | bytes) or "Literal" in annotation
    return any(isinstance(parsed, kind) for kind in wanted)  # type: ignore[arg-type]


# -- the package's own calls -------------------------------------------------------------


def callee_keys(owner: griffe.Object) -> set[str]:
    """How calls of `owner` are written, as the call index keys them: `f`, `module.f`;
    `Cls`, `module.Cls`; a method `m` of `Cls` as `Cls.m`, `cls_var.m`, `self.m`, `cls.m`
    (a method of another class with the same name is not `Cls.m`: `Style.parse` is no
    `Color.parse`)."""
    name, parent = owner.name, owner.parent
    if isinstance(parent, griffe.Class):
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", parent.name).lower()
        return {f"{parent.name}.{name}", f"{snake}.{name}", f"self.{name}", f"cls.{name}"}
    modules = owner.path.split(".")[:-1]
    return {name, *(f"{module}.{name}" for module in modules)}


def _call_site_values(
    owner: griffe.Object, params: tuple[Param, ...], callees: set[str]
) -> dict[str, str]:
    """The literal arguments the package's own code passes most often, by parameter."""
    index = _call_index(owner)
    seen: dict[int | str, Counter[str]] = {}
    SOURCES_READ.update(f"{CALL_SITES}{callee}" for callee in callees)
    for callee in sorted(callees):  # a set: its order changes with the hash seed
        for key, counts in index.get(callee, {}).items():
            seen.setdefault(key, Counter()).update(counts)
    by_name = {p.name: p for p in params}
    positional = [p for p in params if p.kind in ("positional-only", "positional or keyword")]
    found: dict[str, str] = {}
    for key, values in seen.items():
        param = (
            positional[key] if isinstance(key, int) and key < len(positional) else None
        ) or by_name.get(str(key))
        if param is None or param.name in found:
            continue
        for value, _ in values.most_common():
            if fits(value, param.annotation) and not _is_own_name(value, param.name):
                found[param.name] = value
                break
    return found


CallIndex = dict[str, dict[int | str, Counter[str]]]

#: What value mining read outside the object since `take_sources_read()`: dotted paths of
#: objects (module constants, functions a parameter is passed on to) and `calls:<callee>`
#: for the package's call sites of a callee. The cache keeps them with the page and
#: re-checks them (`sources_identity`), so editing a call site re-analyzes the page.
SOURCES_READ: set[str] = set()
CALL_SITES = "calls:"


def take_sources_read() -> set[str]:
    read = set(SOURCES_READ)
    SOURCES_READ.clear()
    return read


def call_sites_identity(obj: griffe.Object, callee: str) -> str:
    """A digest of the literal arguments of every call of `callee` in the load of `obj`.

    Kept with the merged index it was taken from: a `serve` rebuild whose edit changed no
    call's literal arguments reuses the merge (`_merged`), and with it every digest (13,000
    on sqlalchemy, asked by the cache check of every page that mined values)."""
    index = _call_index(obj)
    if _CALL_DIGESTS[0] is not index:
        _CALL_DIGESTS[:] = [index, {}]
    digests: dict[str, str] = _CALL_DIGESTS[1]
    known = digests.get(callee)
    if known is None:
        entries = index.get(callee, {})
        text = repr(sorted((repr(k), sorted(counts.items())) for k, counts in entries.items()))
        known = digests[callee] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return known


#: The merged call index the digests were taken from, and the digests by callee.
_CALL_DIGESTS: list[Any] = [None, {}]


def _call_index(func: griffe.Object) -> CallIndex:
    """Callee's short name -> argument (position or keyword) -> literal sources, over every
    file of the load (built once per load; the trees are not kept)."""
    memo = load_memo(func)
    key = ("call-sites", "")
    if key not in memo:
        collection = func.lines_collection
        kept = PARSED_TREES.get(collection, {})
        paths = list(collection.keys())
        files = [(path, _file_calls(path, collection[path], kept.get(path))) for path in paths]
        memo[key] = _merged(files)
    return memo[key]  # type: ignore[no-any-return]


def _merged(files: list[tuple[Path, CallIndex]]) -> CallIndex:
    """The files' indexes merged in file order; the last merge again when every file's index
    is the same object as then (an edit that changes no call's literal arguments)."""
    identity = tuple((path, id(index)) for path, index in files)
    if identity in _LAST_MERGE:
        return _LAST_MERGE[identity]
    merged: CallIndex = {}
    for _, index in files:
        for name, arguments in index.items():
            into = merged.setdefault(name, {})
            for argument, counts in arguments.items():
                into.setdefault(argument, Counter()).update(counts)
    _LAST_MERGE.clear()
    _LAST_MERGE[identity] = merged
    return merged


#: Each file's own call index, by its path, with the hash of the text it was built from: a
#: `serve` rebuild indexes again only the files an edit changed (networkx: 2.9 s -> 0.1 s).
_FILE_CALLS: dict[Path, tuple[str, CallIndex]] = {}


def _file_calls(path: Path, lines: list[str], tree: ast.Module | None) -> CallIndex:
    """The call index of one file (`tree`: the one the load parsed, if it is still kept)."""
    text = "\n".join(lines)
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    known = _FILE_CALLS.get(path)
    if known is not None and known[0] == digest:
        return known[1]
    index: CallIndex = {}
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            tree = ast.Module(body=[], type_ignores=[])  # no call sites to learn from
    _index_calls(tree, index)
    if known is not None and known[1] == index:
        index = known[1]  # the same calls: the same object, so the last merge still holds
    _FILE_CALLS[path] = (digest, index)
    return index


#: The last merge of the files' indexes, by the (file, index object) pairs it was made of.
_LAST_MERGE: dict[tuple[tuple[Path, int], ...], CallIndex] = {}


def _index_calls(tree: ast.AST, index: CallIndex) -> None:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _callee_name(node.func)
        if name is None:
            continue
        args = index.setdefault(name, {})
        for position, arg in enumerate(node.args):
            if isinstance(arg, ast.Starred):
                break
            value = _short_literal(arg)
            if value is not None:
                args.setdefault(position, Counter())[value] += 1
        for keyword in node.keywords:
            value = _short_literal(keyword.value) if keyword.arg else None
            if value is not None and keyword.arg is not None:
                args.setdefault(keyword.arg, Counter())[value] += 1


def _callee_name(node: ast.expr) -> str | None:
    """`f`, `receiver.f` for a named receiver; calls on other expressions are not kept."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _short_literal(node: ast.expr) -> str | None:
    """A literal's source if it is short and not empty (`[]` teaches nothing), else None."""
    if not _looks_literal(node) or (node.end_lineno or node.lineno) > node.lineno + 2:
        return None  # a literal written over more than three lines is no argument to copy
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if value is None or value == "" or (isinstance(value, list | dict | tuple | set) and not value):
        return None
    if isinstance(value, str) and _CONTROL.search(value):
        return None  # `"\x00"` is a sentinel the code tests for, no value a reader passes
    text = ast.unparse(node)
    if len(text) > MAX_LITERAL or "\n" in text:
        return None
    return _double_quoted(text, value)


def _looks_literal(node: ast.expr) -> bool:
    """A cheap test before `literal_eval`: most arguments are names and calls."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.operand, ast.Constant)
    return isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict)


def _double_quoted(text: str, value: object) -> str:
    """Strings in double quotes, as the house style writes them."""
    if isinstance(value, str):
        return '"' + repr(value)[1:-1].replace('"', '\\"').replace("\\'", "'") + '"'
    return text


def _is_own_name(value: str, name: str) -> bool:
    return value.strip("\"'") == name


# -- the parameter's docstring text ------------------------------------------------------


def _descriptions(*objects: griffe.Object | None) -> dict[str, str]:
    """Each parameter's docstring text, from Griffe's parsed sections (parsed once)."""
    found: dict[str, str] = {}
    for obj in objects:
        if obj is None or obj.docstring is None:
            continue
        for section in obj.docstring.parsed:
            if section.kind is griffe.DocstringSectionKind.parameters:
                for item in section.value:
                    found.setdefault(item.name, item.description or "")
    return found


def _docstring_values(params: tuple[Param, ...], descriptions: Mapping[str, str]) -> dict[str, str]:
    found = {}
    for param in params:
        for match in _DOC_EXAMPLE.finditer(descriptions.get(param.name) or param.description):
            text = (match.group(1) or match.group(2) or "").strip()
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
            if value is None or value == "":
                continue
            written = _double_quoted(text, value)
            if fits(written, param.annotation) and not _is_own_name(written, param.name):
                found[param.name] = written
                break
    return found


# -- what the body does with a parameter ---------------------------------------------------


def _body_values(
    func: griffe.Function | None,
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    params: tuple[Param, ...],
) -> dict[str, str]:
    names = {p.name: p for p in params}
    found: dict[str, str] = {}
    constants = _ModuleConstants(func)
    nodes = own_node_list(node)
    forbidden = _tested_positively(nodes)
    for child in nodes:
        matched = () if id(child) in forbidden else _matched(child, names, constants)
        for name, value in (*_compared(child, names, constants), *matched):
            if name not in found and fits(value, names[name].annotation):
                found[name] = value
    for name, value in _passed_on(func, nodes, names).items():
        if name not in found and fits(value, names[name].annotation):
            found[name] = value
    loops = _loop_items(nodes)
    read = _names_read(nodes)
    uses: _Uses | None = None
    for name in names:
        if name in found or name not in read:
            continue
        uses = uses or _Uses(nodes)
        built = _items_value(name, nodes, loops, uses) or _callback(name, nodes, uses)
        if built is not None:
            found[name] = built
    return found


#: Functions whose values are being read: a call passing a parameter on to a function that
#: passes it back (or to itself) stops there.
_READING: set[str] = set()
#: How many calls deep a parameter is followed to where it is used.
MAX_PASSED_ON = 2


def _passed_on(
    func: griffe.Function | None, nodes: list[ast.AST], names: Mapping[str, Param]
) -> dict[str, str]:
    """A parameter the body passes unchanged to a function or class of the package
    (`Spinner(spinner_name)`): the value that one's own sources give its parameter."""
    if func is None or len(_READING) >= MAX_PASSED_ON or func.path in _READING:
        return {}
    found: dict[str, str] = {}
    _READING.add(func.path)
    try:
        for node in nodes:
            if not isinstance(node, ast.Call):
                continue
            passed = _passed_names(node, names)
            if not passed or set(passed.values()) <= set(found):
                continue
            callee = _callee(func, node.func)
            if callee is None:
                continue
            SOURCES_READ.add(callee.path)
            values = dict(_callee_values(callee))
            targets = _callee_params(callee)
            for where, name in passed.items():
                param = targets.get(where)
                if param is not None and param in values and name not in found:
                    found[name] = values[param]
    finally:
        _READING.discard(func.path)
    return found


def _passed_names(call: ast.Call, names: Container[str]) -> dict[int | str, str]:
    """Position or keyword -> the parameter passed there as a bare name."""
    passed: dict[int | str, str] = {}
    for position, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            break
        if isinstance(arg, ast.Name) and arg.id in names:
            passed[position] = arg.id
    for keyword in call.keywords:
        value = keyword.value
        if keyword.arg and isinstance(value, ast.Name) and value.id in names:
            passed[keyword.arg] = value.id
    return passed


def _callee(func: griffe.Function, node: ast.expr) -> griffe.Object | None:
    """The package's function or class a call names: a module-level name of the function's
    module, or `self.method` of its class."""
    member: object = None
    if isinstance(node, ast.Name):
        member = func.module.members.get(node.id)
    elif (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
        and isinstance(func.parent, griffe.Class)
    ):
        member = func.parent.all_members.get(node.attr)
    try:
        target = member.final_target if isinstance(member, griffe.Alias) else member
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    return target if isinstance(target, griffe.Function | griffe.Class) else None


def _callee_values(callee: griffe.Object) -> tuple[tuple[str, str], ...]:
    """The values the callee's own sources give its parameters, kept for the load with what
    reading them read (replayed into `SOURCES_READ`: the page's dependencies are the same).

    Every caller of a helper asks for these (httpx: 1,533 reads of 387 bodies). What they
    are depends on the callee, on how deep the reading already is and on whether the callee
    is being read already (`_passed_on` stops there); with `MAX_PASSED_ON` at 2 nothing
    else, so those three make the key."""
    depth = len(_READING)
    key = ("callee values", f"{callee.path} {depth} {callee.path in _READING}")
    memo = load_memo(callee)
    known: _Read | None = memo.get(key)
    if known is None:
        known = memo[key] = _read_apart(lambda: _callee_values_now(callee))
    SOURCES_READ.update(known[1])
    return known[0]


def _callee_values_now(callee: griffe.Object) -> tuple[tuple[str, str], ...]:
    if isinstance(callee, griffe.Function):
        return reader_values(callee, callee, params_of(callee))
    assert isinstance(callee, griffe.Class)
    return reader_values(callee, body_of(callee), constructor_params(callee) or ())


def _callee_params(callee: griffe.Object) -> dict[int | str, str]:
    """Position (for positional parameters) and keyword -> the callee's parameter name."""
    if isinstance(callee, griffe.Function):
        params = params_of(callee)  # `self` / `cls` left out
    else:
        assert isinstance(callee, griffe.Class)
        params = constructor_params(callee) or ()
    found: dict[int | str, str] = {p.name: p.name for p in params}
    positional = [p for p in params if p.kind in ("positional-only", "positional or keyword")]
    found.update(enumerate(p.name for p in positional))
    return found


def _names_read(nodes: list[ast.AST]) -> set[str]:
    """Names read by the body, and the names they are iterated into."""
    return {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


class _ModuleConstants:
    """Module-level literal collections of the function's module, by name (keys for dicts)."""

    def __init__(self, func: griffe.Function | None) -> None:
        self.module = func.module if func is not None else None

    def _value_tree(self, name: str) -> ast.expr | None:
        """The expression a module-level name is assigned, parsed (not evaluated)."""
        if self.module is None:
            return None
        member = self.module.members.get(name)
        try:  # `from ._spinners import SPINNERS`: the dictionary where it is defined
            member = member.final_target if isinstance(member, griffe.Alias) else member
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
        if not isinstance(member, griffe.Attribute) or member.value is None:
            return None
        SOURCES_READ.add(member.path)
        try:
            return ast.parse(str(member.value), mode="eval").body
        except (SyntaxError, ValueError, RecursionError):
            return None

    def first(self, name: str) -> str | None:
        tree = self._value_tree(name)
        if tree is None:
            return None
        items = tree.keys if isinstance(tree, ast.Dict) else getattr(tree, "elts", None)
        if isinstance(tree, ast.Call) and tree.args:  # `frozenset({...})`, `set([...])`
            items = getattr(tree.args[0], "elts", None) or getattr(tree.args[0], "keys", None)
        for item in items or ():
            if item is not None:
                value = _short_literal(item)
                if value is not None:
                    return value
        return None

    def pattern(self, name: str) -> tuple[str | None, int]:
        """`NAME = re.compile(r"…")` (flags `re.I`… kept): its pattern and flags."""
        tree = self._value_tree(name)
        if not (
            isinstance(tree, ast.Call)
            and isinstance(tree.func, ast.Attribute)
            and tree.func.attr == "compile"
            and tree.args
        ):
            return None, 0
        flags = 0
        for flag in (*tree.args[1:2], *(k.value for k in tree.keywords if k.arg == "flags")):
            for part in ast.walk(flag):
                if isinstance(part, ast.Attribute) and hasattr(re, part.attr):
                    value = getattr(re, part.attr)
                    flags |= value if isinstance(value, re.RegexFlag) else 0
        return _string(tree.args[0]), flags


def _compared(
    node: ast.AST, names: Mapping[str, Param], constants: _ModuleConstants
) -> Iterator[tuple[str, str]]:
    """`name == "x"`, `name in ("a", "b")`, `name not in STYLES`, `STYLES[name]`,
    `STYLES.get(name)`: a value the body accepts."""
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name):
        name = node.left.id
        if name not in names:
            return
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.Eq):
                value = _short_literal(right)
            elif isinstance(op, ast.In | ast.NotIn):
                value = _first_of(right, constants)
            else:
                continue
            if value is not None:
                yield name, value
    elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if isinstance(node.slice, ast.Name) and node.slice.id in names:
            value = constants.first(node.value.id)
            if value is not None:
                yield node.slice.id, value
    elif (got := _get_call(node)) is not None:
        owner, key = got
        if isinstance(key, ast.Name) and key.id in names:
            value = constants.first(owner)
            if value is not None:
                yield key.id, value


def _get_call(node: ast.AST) -> tuple[str, ast.expr] | None:
    """`owner.get(key, …)` on a bare name: the owner's name and the key's node."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and isinstance(node.func.value, ast.Name)
        and node.args
    ):
        return node.func.value.id, node.args[0]
    return None


_MATCHERS = ("match", "fullmatch", "search")


def _matched(
    node: ast.AST, names: Mapping[str, Param], constants: _ModuleConstants
) -> Iterator[tuple[str, str]]:
    """`LINE.match(text)` with `LINE = re.compile(r"…")` in the module, or
    `re.match(r"…", text)`: a string the pattern matches, built from the pattern."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _MATCHERS
        and isinstance(node.func.value, ast.Name)
    ):
        return
    receiver, args = node.func.value.id, node.args
    if receiver == "re" and len(args) >= 2:
        pattern = _string(args[0])
        flags = 0
        subject = args[1]
    elif receiver != "re" and args:
        pattern, flags = constants.pattern(receiver)
        subject = args[0]
    else:
        return
    name = _subject_name(subject)
    if pattern is None or name is None or name not in names:
        return
    sample = regex_sample(pattern, flags, node.func.attr)
    if sample is not None and not _CONTROL.search(sample):
        yield name, _double_quoted(repr(sample), sample)


def _tested_positively(nodes: list[ast.AST]) -> set[int]:
    """Calls that are an `if`'s test as such (`if BAD_CHARS.search(s): raise …`): a string
    they match is one the body refuses, not one it parses."""
    found: set[int] = set()
    for node in nodes:
        if isinstance(node, ast.If | ast.While | ast.IfExp | ast.Assert):
            test = node.test
            parts = test.values if isinstance(test, ast.BoolOp) else [test]
            found.update(id(part) for part in parts if isinstance(part, ast.Call))
    return found


def _subject_name(node: ast.expr) -> str | None:
    """`text`, or `text.strip()` / `text.lower()`: the parameter the pattern is matched on."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
        node = node.func.value
    return node.id if isinstance(node, ast.Name) else None


def _string(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def regex_sample(pattern: str, flags: int, how: str = "fullmatch") -> str | None:
    """A short string `pattern` matches (`how`: `match`, `fullmatch`, `search`), built from
    the parsed pattern, checked with `re` itself; None when no simple one is found."""
    try:
        parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
        compiled = re.compile(pattern, flags)
    except (re.error, RecursionError, ValueError, TypeError, OverflowError):
        return None
    for at_least_one in (False, True):
        try:
            sample = _sample_of(parsed, at_least_one, {})
        except (_NoSample, RecursionError):
            return None
        if len(sample) <= MAX_LITERAL and getattr(compiled, how)(sample) is not None:
            return sample
    return None


class _NoSample(Exception):
    """A pattern construct no plain sample is built for (lookarounds, conditionals)."""


_CATEGORY_SAMPLES = {
    "CATEGORY_DIGIT": "1",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
}


def _sample_of(items: object, at_least_one: bool, groups: dict[int, str]) -> str:
    text = ""
    for op, arg in items:  # type: ignore[attr-defined]
        kind = str(op)
        if kind == "LITERAL":
            text += chr(arg)
        elif kind == "NOT_LITERAL":
            text += "a" if chr(arg) != "a" else "b"
        elif kind == "ANY":
            text += "a"
        elif kind == "IN":
            text += _one_of(arg)
        elif kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, inner = arg
            times = max(low, 1) if at_least_one else low
            text += _sample_of(inner, at_least_one, groups) * min(times, 20)
        elif kind in ("SUBPATTERN", "ATOMIC_GROUP"):
            inner = arg[-1] if kind == "SUBPATTERN" else arg
            part = _sample_of(inner, at_least_one, groups)
            if kind == "SUBPATTERN" and arg[0] is not None:
                groups[arg[0]] = part
            text += part
        elif kind == "BRANCH":
            text += _sample_of(arg[1][0], at_least_one, groups)
        elif kind == "GROUPREF":
            text += groups.get(arg, "")
        elif kind == "CATEGORY":
            text += _CATEGORY_SAMPLES.get(str(arg), "a")
        elif kind != "AT":  # anchors match no character
            raise _NoSample(kind)
    return text


def _one_of(items: list[tuple[Any, Any]]) -> str:
    """A character of a class `[A-Z0-9_]`; for `[^…]` one outside it."""
    if items and str(items[0][0]) == "NEGATE":
        allowed = re.compile("[" + _class_source(items[1:]) + "]")
        outside = next((c for c in "a1 -_xZ" if not allowed.fullmatch(c)), None)
        if outside is None:
            raise _NoSample("NEGATE")
        return outside
    op, arg = items[0]
    kind = str(op)
    if kind == "LITERAL":
        return chr(arg)
    if kind == "RANGE":
        low, high = arg
        return "1" if low <= ord("1") <= high else chr(low)
    if kind == "CATEGORY":
        return _CATEGORY_SAMPLES.get(str(arg), "a")
    raise _NoSample(kind)


def _class_source(items: list[tuple[Any, Any]]) -> str:
    parts = []
    for op, arg in items:
        kind = str(op)
        if kind == "LITERAL":
            parts.append(re.escape(chr(arg)))
        elif kind == "RANGE":
            parts.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif kind == "CATEGORY":
            parts.append(
                {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}.get(
                    str(arg), ""
                )
            )
    return "".join(parts) or "\x00"


def _first_of(node: ast.expr, constants: _ModuleConstants) -> str | None:
    if isinstance(node, ast.Name):
        return constants.first(node.id)
    for item in getattr(node, "elts", None) or getattr(node, "keys", None) or ():
        if item is not None:
            value = _short_literal(item)
            if value is not None:
                return value
    return None


def _loop_items(nodes: list[ast.AST]) -> dict[str, set[str]]:
    """Iterated name -> the names its items are bound to (`for message in messages`)."""
    found: dict[str, set[str]] = {}
    for node in nodes:
        if (
            isinstance(node, ast.For | ast.AsyncFor | ast.comprehension)
            and isinstance(node.iter, ast.Name)
            and isinstance(node.target, ast.Name)
        ):
            found.setdefault(node.iter.id, set()).add(node.target.id)
    return found


class _Uses:
    """The keys a body reads from names and the calls it makes to names, in source order:
    one walk of the body for all its parameters (rich's Console has 30)."""

    def __init__(self, nodes: list[ast.AST]) -> None:
        self.keys: list[tuple[str, str]] = []
        """(name, key) for each `name["key"]` read and `name.get("key", …)`."""
        self.calls: dict[str, list[ast.Call]] = {}
        """Name -> the calls `name(…)`."""
        for node in nodes:
            key = None
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and isinstance(node.ctx, ast.Load)
            ):
                owner, key = node.value.id, node.slice
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                self.calls.setdefault(node.func.id, []).append(node)
            elif (got := _get_call(node)) is not None:
                owner, key = got
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self.keys.append((owner, key.value))

    def keys_read(self, owners: set[str]) -> list[str]:
        return list(dict.fromkeys(key for owner, key in self.keys if owner in owners))


def _items_value(
    name: str, nodes: list[ast.AST], loops: Mapping[str, set[str]], uses: _Uses
) -> str | None:
    """`for message in messages: message["role"]` → `[{"role": "user", …}]`; a dictionary
    parameter read by key (`config["host"]`) → `{"host": …}`."""
    items = loops.get(name)
    if items:
        keys = uses.keys_read(items)
        return f"[{_dict_of(keys, nodes, items)}]" if keys else None
    keys = uses.keys_read({name})
    return _dict_of(keys, nodes, {name}) if keys else None


def _dict_of(keys: list[str], nodes: list[ast.AST], owners: set[str]) -> str:
    compared = _compared_keys(nodes, owners)
    entries = [f'"{key}": {compared.get(key) or _KEY_VALUES.get(key, _SAMPLE)}' for key in keys]
    return "{" + ", ".join(entries) + "}"


def _compared_keys(nodes: list[ast.AST], owners: set[str]) -> dict[str, str]:
    """`message["role"] == "user"`: the value a key is compared with."""
    found: dict[str, str] = {}
    for node in nodes:
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Subscript)):
            continue
        left = node.left
        if not (isinstance(left.value, ast.Name) and left.value.id in owners):
            continue
        if not (isinstance(left.slice, ast.Constant) and isinstance(left.slice.value, str)):
            continue
        if isinstance(node.ops[0], ast.Eq):
            value = _short_literal(node.comparators[0])
            if value is not None:
                found.setdefault(left.slice.value, value)
    return found


def _callback(name: str, nodes: list[ast.AST], uses: _Uses) -> str | None:
    """A parameter the body calls: a `lambda` taking what the body passes, returning what it
    tests (`if predicate(item)` → a truth value), else its argument."""
    calls = uses.calls.get(name)
    if not calls:
        return None
    call = calls[0]
    arguments = _lambda_params(call)
    tested = any(_is_tested(node, call) for node in nodes)
    body = (
        f"bool({arguments[0]})" if tested and arguments else arguments[0] if arguments else "None"
    )
    return f"lambda {', '.join(arguments)}: {body}" if arguments else f"lambda: {body}"


def _lambda_params(call: ast.Call) -> list[str]:
    names: list[str] = []
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return [*names, "*args"]
        written = arg.id if isinstance(arg, ast.Name) else f"arg{i + 1}" if i else "value"
        names.append(written if written not in names and written != "self" else f"arg{i + 1}")
    names += [k.arg for k in call.keywords if k.arg is not None and k.arg not in names]
    return names


def _is_tested(node: ast.AST, call: ast.Call) -> bool:
    test = getattr(node, "test", None) if isinstance(node, ast.If | ast.While | ast.IfExp) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        test = node.operand
    if isinstance(node, ast.BoolOp):
        return call in node.values
    if isinstance(node, ast.comprehension):
        return call in node.ifs
    return test is call


# -- parameters whose items the body reads ------------------------------------------------

#: Builtins that read every item of an argument (`max([])` raises, `sum([])` is no sum).
_ITEM_READERS = frozenset(
    [
        "sum",
        "max",
        "min",
        "any",
        "all",
        "sorted",
        "reversed",
        "next",
        "iter",
        "enumerate",
        "zip",
        "map",
        "filter",
    ]
)
#: Methods that read a container's items (or entries).
_ITEM_METHODS = frozenset({"get", "items", "keys", "values", "pop", "index", "count", "join"})
_MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})


#: How many calls deep a container is followed to the code that reads its items: schema
#: builders hand a `model_name_map` down four levels before one indexes it.
MAX_ITEMS_PASSED_ON = 4


def with_items_read(func: griffe.Function | None, params: tuple[Param, ...]) -> tuple[Param, ...]:
    """`params`, each one whose items the body of `func` reads marked with how it reads them
    (`read_as`): directly, or through a function of the package it is passed on to (whose
    path then joins the page's dependencies)."""
    # only a container (or an untyped value) can be passed empty: others are not looked at
    names = frozenset(p.name for p in params if _may_be_a_container(p.annotation))
    if func is None or not names:
        return params
    read, callees = _items_read(func, names, depth=0)
    SOURCES_READ.update(callees)
    if not read:
        return params
    return tuple(replace(p, read_as=read[p.name]) if p.name in read else p for p in params)


#: Container types by kind, as annotations name them.
SEQUENCES = ("list", "List", "Sequence", "MutableSequence", "Iterable", "Collection")
MAPPINGS = ("dict", "Dict", "Mapping", "MutableMapping")
TUPLES = ("tuple", "Tuple")
SETS = ("set", "Set", "frozenset", "FrozenSet", "AbstractSet", "MutableSet")
_CONTAINERS = frozenset((*SEQUENCES, *MAPPINGS, *TUPLES, *SETS))


def _may_be_a_container(annotation: str | None) -> bool:
    return annotation is None or not _CONTAINERS.isdisjoint(re.findall(r"\w+", annotation))


#: (parameter -> how its items are read, the functions read on the way)
_ItemsRead = tuple[dict[str, str], frozenset[str]]


def _items_read(func: griffe.Function, names: frozenset[str], depth: int) -> _ItemsRead:
    """Asked again for the same function by every page that calls it: kept for the load."""
    memo = load_memo(func)
    key = ("items read", f"{func.path} {depth} {' '.join(sorted(names))}")
    known: _ItemsRead | None = memo.get(key)
    if known is None:
        known = memo[key] = _items_read_now(func, names, depth)
    return known


def _items_read_now(func: griffe.Function, names: frozenset[str], depth: int) -> _ItemsRead:
    node = _function_node(func)
    if node is None:
        return {}, frozenset()
    nodes = own_node_list(node)
    found: dict[str, str] = {}
    for child in nodes:
        for name, how in _reads(child, names):
            if how == "mapping" or name not in found:
                found[name] = how
    callees: frozenset[str] = frozenset()
    if depth < MAX_ITEMS_PASSED_ON:
        passed, callees = _read_where_passed(func, nodes, names - set(found), depth)
        for name, how in passed.items():
            found.setdefault(name, how)
    return found, callees


def _reads(node: ast.AST, names: Set[str]) -> Iterator[tuple[str, str]]:
    """The parameters `node` reads items from, and how (`"mapping"` for keys and entries)."""
    if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
        iterated = node.iter
        if isinstance(iterated, ast.Call):  # `for a, b in pairwise(path)`
            yield from ((n, "sequence") for n in _bare_args(iterated, names))
        elif isinstance(iterated, ast.Name) and iterated.id in names:
            yield iterated.id, "sequence"
    elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        if isinstance(node.value, ast.Name) and node.value.id in names:
            key = node.slice
            keyed = isinstance(key, ast.Constant) and isinstance(key.value, str)
            yield node.value.id, "mapping" if keyed else "sequence"
    elif isinstance(node, ast.Call):
        yield from _reads_in_call(node, names)
    elif isinstance(node, ast.Compare):  # `key in choices`
        for op, right in zip(node.ops, node.comparators, strict=True):
            member = isinstance(op, ast.In | ast.NotIn)
            if member and isinstance(right, ast.Name) and right.id in names:
                yield right.id, "sequence"
    elif isinstance(node, ast.Starred) and isinstance(node.value, ast.Name):
        if node.value.id in names and isinstance(node.ctx, ast.Load):
            yield node.value.id, "sequence"
    elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
        unpacked = any(isinstance(t, ast.Tuple | ast.List) for t in node.targets)
        if unpacked and node.value.id in names:  # `first, second = pair`
            yield node.value.id, "sequence"


def _reads_in_call(node: ast.Call, names: Set[str]) -> Iterator[tuple[str, str]]:
    func = node.func
    if isinstance(func, ast.Name) and func.id in _ITEM_READERS:
        yield from ((n, "sequence") for n in _bare_args(node, names))
    elif isinstance(func, ast.Attribute) and func.attr in _ITEM_METHODS:
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id in names and func.attr != "join":
            yield owner.id, "mapping" if func.attr in _MAPPING_METHODS else "sequence"
        elif func.attr == "join":  # `", ".join(parts)`
            yield from ((n, "sequence") for n in _bare_args(node, names))


def _bare_args(call: ast.Call, names: Set[str]) -> list[str]:
    values = [*call.args, *(k.value for k in call.keywords)]
    return [a.id for a in values if isinstance(a, ast.Name) and a.id in names]


def _read_where_passed(
    func: griffe.Function, nodes: list[ast.AST], names: frozenset[str], depth: int
) -> _ItemsRead:
    """Parameters passed unchanged to a function or class of the package that reads their
    items (`cookiejar_from_dict(cookie_dict, cj)`)."""
    found: dict[str, str] = {}
    callees: set[str] = set()
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        passed = _passed_names(node, names)
        if not passed:
            continue
        callee = _callee(func, node.func)
        body = body_of(callee)
        if body is None or body.path == func.path:
            continue
        targets = _callee_params(callee) if callee is not None else {}
        wanted = {targets[where]: name for where, name in passed.items() if where in targets}
        read, further = _items_read(body, frozenset(wanted), depth + 1)
        callees |= {body.path, *further}
        for param, how in read.items():
            found.setdefault(wanted[param], how)
    return found, frozenset(callees)


def body_of(callee: griffe.Object | None) -> griffe.Function | None:
    """The function whose body receives a call's arguments: the function, or a class's
    `__init__`."""
    if isinstance(callee, griffe.Function):
        return callee
    if not isinstance(callee, griffe.Class):
        return None
    init = callee.all_members.get("__init__")
    try:
        body = init.final_target if isinstance(init, griffe.Alias) else init
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    return body if isinstance(body, griffe.Function) else None
