"""Read the syntax tree of one object's source, at its real line numbers."""

from __future__ import annotations

import ast
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import griffe

from mkdocs_howto.analyze.sentences import unparse
from mkdocs_howto.analyze.steps import blank_lines, comment_lines, numbered_lines
from mkdocs_howto.sources import PARSED_TREES, read_python

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass(frozen=True)
class ParsedSource:
    """The definition node of an object and the comments around it."""

    node: Definition
    comments: dict[int, str]
    blank_lines: frozenset[int] = frozenset()
    lines: dict[int, str] = field(default_factory=dict)
    """The object's source lines by line number (comments are checked against them)."""


def parse_object(obj: griffe.Object) -> ParsedSource | None:
    """Parse the object's own source; None when Griffe has none (stubs, C extensions).

    The node comes from its file's tree, parsed once per loaded file and shared by every
    object of that file (and every caller): nodes and comments are never modified. The
    result is kept for the load: a method is read by its page, its class's page and lookups.
    """
    if obj.lineno is None:
        return None
    if not isinstance(obj.filepath, Path):
        return _parse_object(obj)
    load = _FILES.of(obj.lines_collection)
    objects = load.objects.setdefault(obj.filepath, {})
    key = (obj.lineno, obj.endlineno)
    if key not in objects:
        objects[key] = _parse_object(obj)
    elif obj.filepath in load.files:  # a use: keep its file among the last used
        load.files.move_to_end(obj.filepath)
    return objects[key]


def _parse_object(obj: griffe.Object) -> ParsedSource | None:
    assert obj.lineno is not None
    node = _definitions(obj).get(obj.lineno)
    if node is not None and node.end_lineno == obj.endlineno:
        try:
            return _parsed(node, obj.source, obj.lineno)
        except (ValueError, OSError):
            return None
    try:  # not found in its file (e.g. the file has a syntax error): parse the object alone
        source = obj.source
        tree = ast.parse(source)
    except (SyntaxError, ValueError, OSError, RecursionError):
        return None
    if not tree.body or not isinstance(tree.body[0], Definition):
        return None
    ast.increment_lineno(tree, obj.lineno - 1)
    return _parsed(tree.body[0], source, obj.lineno)


def _parsed(node: Definition, source: str, first_lineno: int) -> ParsedSource:
    return ParsedSource(
        node,
        comment_lines(source, first_lineno),
        blank_lines(source, first_lineno),
        numbered_lines(source, first_lineno),
    )


#: Files whose definitions are kept at once: pages come module by module, so a file is rarely
#: needed again once left, and a package's trees together weigh more than its loaded tree
#: (rich: pages identical with 4, 16 or all files kept; 16 saves 13 MB at no cost in time).
FILES_KEPT = 16


@dataclass
class _Load:
    """What is read from one load's files, kept while it is the latest load."""

    files: OrderedDict[Path, dict[int, Definition]] = field(default_factory=OrderedDict)
    """The `FILES_KEPT` files used last; one left out is parsed again when it is needed."""
    objects: dict[Path, dict[tuple[int, int | None], ParsedSource | None]] = field(
        default_factory=dict
    )
    """File -> (first line, last line) -> the object's parsed source, for the kept files."""
    shapes: WeakKeyDictionary[ast.AST, FunctionShape] = field(default_factory=WeakKeyDictionary)
    """Function node -> its shape, for as long as its file's tree is kept."""
    memo: dict[tuple[str, str], Any] = field(default_factory=dict)
    """(question, dotted path) -> answer, for facts asked about the same object many times."""

    def keep(self, filepath: Path, definitions: dict[int, Definition]) -> None:
        self.files[filepath] = definitions
        while len(self.files) > FILES_KEPT:
            left, _ = self.files.popitem(last=False)
            self.objects.pop(left, None)


class _ParsedFiles:
    """The definitions of every file of the current load (one Griffe loader's lines).

    The trees are the ones Griffe parsed (kept by `SourceLoader`), so a file is parsed once
    per build. Only the latest loader's files are kept: a new build (or `serve` rebuild) loads
    anew, and the previous trees are released then.
    """

    def __init__(self) -> None:
        self.collection: object = None
        self.load = _Load()

    def of(self, collection: object) -> _Load:
        if collection is not self.collection:
            self.collection, self.load = collection, _Load()
        return self.load

    def get(self, obj: griffe.Object) -> dict[int, Definition]:
        filepath = obj.filepath
        if not isinstance(filepath, Path):
            return {}
        collection = obj.lines_collection
        load = self.of(collection)
        found = load.files.get(filepath)
        if found is None:
            tree = PARSED_TREES.get(collection, {}).pop(filepath, None)
            found = _definitions_in(tree) if tree is not None else _parse_file(collection, filepath)
            load.keep(filepath, found)
        else:
            load.files.move_to_end(filepath)
        return found


def _parse_file(collection: griffe.LinesCollection, filepath: Path) -> dict[int, Definition]:
    """The definitions of a file whose tree was not kept, parsed from the lines Griffe loaded
    (numbered as Python numbers them, `SourceLoader`): the file on disk may have changed
    since. Read from disk only when the load kept no lines of it."""
    try:
        text = "\n".join(collection[filepath])
    except KeyError:  # a LinesCollection has no `.get`
        try:
            text = read_python(filepath)
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
            return {}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return {}
    return _definitions_in(tree)


#: Fields holding statements (and `except` / `case` clauses, which hold statements).
_STATEMENT_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def nested_statements(node: ast.AST) -> Iterator[ast.AST]:
    """Every statement in `node`'s blocks, nested ones too, in source order; expressions
    (most of a body's nodes) are never entered. Iterative: no recursion limit to hit."""
    stack = _blocks_of(node)
    while stack:
        child = stack.pop()
        yield child
        stack += _blocks_of(child)


def _blocks_of(node: ast.AST) -> list[ast.AST]:
    """The statements of `node`'s blocks, last first (popped from a stack in order)."""
    children: list[ast.AST] = []
    for name in _STATEMENT_FIELDS:
        block = getattr(node, name, None)
        if isinstance(block, list):
            children += block
    return children[::-1]


def _definitions_in(tree: ast.Module) -> dict[int, Definition]:
    """Every def and class of a tree by first line (the first decorator's, as in Griffe)."""
    return {
        node.decorator_list[0].lineno if node.decorator_list else node.lineno: node
        for node in nested_statements(tree)
        if isinstance(node, Definition)
    }


_FILES = _ParsedFiles()
_definitions = _FILES.get


def load_memo(obj: griffe.Object) -> dict[tuple[str, str], Any]:
    """Answers kept for the current load and released with it (a class's MRO, whether a
    decorator replaces a function): asked by many pages, computed once per build."""
    return _FILES.of(obj.lines_collection).memo


def forget_load() -> None:
    """Release the trees and results of the load analyzed last: MkDocs renders hundreds of
    pages after the analysis, and every object kept alive slows its garbage collections."""
    _FILES.of(None)


#: A function's own nodes by its node, while its tree lives: `values.reader_values` reads a
#: callee's body again for each caller that passes it a value (httpx: 1,533 walks of 387).
_OWN_NODES: WeakKeyDictionary[ast.AST, list[ast.AST]] = WeakKeyDictionary()


def own_node_list(node: ast.AST) -> list[ast.AST]:
    """`list(own_nodes(node))`, walked once per node while its tree lives (a new list)."""
    nodes = _OWN_NODES.get(node)
    if nodes is None:
        nodes = _OWN_NODES[node] = list(own_nodes(node))
    return list(nodes)


def own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Walk a function body without entering nested functions, classes or lambdas.

    Iterative, not recursive: a 1,000-term `a + a + …` is valid Python and must not hit the
    recursion limit here.
    """
    stack = list(reversed(list(ast.iter_child_nodes(node))))
    while stack:
        child = stack.pop()
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        yield child
        stack.extend(reversed(list(ast.iter_child_nodes(child))))


@dataclass(frozen=True)
class FunctionShape:
    """What a function's code shows about how it must be called and what it produces."""

    is_async: bool
    is_generator: bool
    returns: tuple[str, ...]
    yields: tuple[str, ...]
    raises: tuple[str, ...]
    returns_iterator: bool = False
    """Every `return` hands back a one-shot iterator (`(x for x in …)`, `iter(…)`): printed,
    it shows `<generator object …>`, so an example loops over it instead."""

    @property
    def kind(self) -> str:
        if self.is_generator:
            return "async generator" if self.is_async else "generator"
        return "async function" if self.is_async else "function"


def function_shape(node: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionShape:
    """What the function's body shows; computed once per node of the current load (its page,
    its class's page and lookups from other pages all ask)."""
    shapes = _FILES.load.shapes
    known = shapes.get(node)
    if known is None:
        known = shapes[node] = _function_shape(node)
    return known


def _function_shape(node: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionShape:
    returns: list[str] = []
    yields: list[str] = []
    raises: list[str] = []
    all_iterators = True
    for child in own_nodes(node):
        if isinstance(child, ast.Return) and child.value is not None:
            _add(returns, unparse(child.value, 50))
            all_iterators = all_iterators and _is_iterator(child.value)
        elif isinstance(child, ast.Yield | ast.YieldFrom):
            _add(yields, unparse(child.value, 50) if child.value is not None else "None")
        elif isinstance(child, ast.Raise) and child.exc is not None:
            exc = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
            _add(raises, unparse(exc, 40))
    return FunctionShape(
        is_async=isinstance(node, ast.AsyncFunctionDef),
        is_generator=bool(yields),
        returns=tuple(returns),
        yields=tuple(yields),
        raises=tuple(raises),
        returns_iterator=bool(returns) and all_iterators,
    )


def _is_iterator(value: ast.expr) -> bool:
    """`(x for x in items)`, `iter(items)`, `map(f, items)`: what a loop consumes once."""
    if isinstance(value, ast.GeneratorExp):
        return True
    func = value.func if isinstance(value, ast.Call) else None
    return isinstance(func, ast.Name) and func.id in ("iter", "map", "filter", "zip", "reversed")


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def bound_names(tree: ast.AST) -> set[str]:
    """Every name a piece of code binds anywhere: assignments, imports, defs, arguments,
    `except … as`, match captures, `global` / `nonlocal`."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".", 1)[0])
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names.update(node.names)
    return names
