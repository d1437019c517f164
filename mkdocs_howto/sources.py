"""Reading the packages' files for Griffe, and saying why a file could not be read.

Griffe reads every file as UTF-8 (ignoring PEP 263 encoding declarations), drops a submodule it
cannot parse with only a DEBUG log, and lets a `RecursionError` (an expression nested too
deeply for Python's parser) or one of its own bugs escape from the whole load. `SourceLoader`
reads files the way Python does, turns any failure on one file into a skip of that file only,
and remembers why, with the line: `load` reports it as a warning.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import griffe

from mkdocs_howto.errors import display_path

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]")


@dataclass(frozen=True)
class Failure:
    """Why a file was not loaded: the line to look at and a one-line reason."""

    lineno: int
    reason: str


#: The syntax tree of each file a `SourceLoader` parsed, per loader (by its lines collection,
#: which every loaded object points to): Griffe drops its trees after visiting, and the
#: analysis reads them again (`analyze.code`). Released with the loaded API.
PARSED_TREES: WeakKeyDictionary[griffe.LinesCollection, dict[Path, ast.Module]] = (
    WeakKeyDictionary()
)


class _KeepTrees(griffe.Extension):
    """Keep the tree of each module Griffe parses, so no file is parsed twice per build."""

    def __init__(self, trees: dict[Path, ast.Module]) -> None:
        super().__init__()
        self.trees = trees

    def on_module_node(
        self,
        *,
        node: ast.AST | griffe.ObjectNode,
        agent: griffe.Visitor | griffe.Inspector,
        **kwargs: Any,
    ) -> None:
        if isinstance(node, ast.Module) and isinstance(agent, griffe.Visitor):
            self.trees[agent.filepath] = node


class SourceLoader(griffe.GriffeLoader):
    """A Griffe loader that reads files as Python does and records why a file failed."""

    def __init__(self, *args: object, keep_trees: bool = True, **kwargs: object) -> None:
        """`keep_trees`: keep each file's syntax tree for the analysis (`PARSED_TREES`),
        which then parses no file again, at the cost of holding every tree at once."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.failures: dict[Path, Failure] = {}
        if keep_trees:
            trees = PARSED_TREES.setdefault(self.lines_collection, {})
            self.extensions.add(_KeepTrees(trees))

    # Overrides a private method (griffe/_internal/loader.py, `GriffeLoader._visit_module`):
    # Griffe has no public hook between finding a file and parsing it. Errors raised here as
    # `SyntaxError` / `OSError` make Griffe skip this one file (`_load_submodule`), and fail the
    # load with a `LoadingError` for a package's own `__init__.py`.
    # tests/test_reliability.py fails if Griffe stops calling it.
    def _visit_module(
        self, module_name: str, module_path: Path, parent: griffe.Module | None = None
    ) -> griffe.Module:
        try:
            return self._visit_decoded(module_name, module_path, parent)
        except (SyntaxError, UnicodeDecodeError, ValueError) as error:
            failure = explain(module_path, error)
        except RecursionError as error:
            failure = Failure(
                _deepest_line(module_path),
                "nested too deeply for Python's parser (RecursionError): Python cannot "
                "import it either; split the expression",
            )
            self.failures[module_path] = failure
            raise SyntaxError(failure.reason, (str(module_path), failure.lineno, 0, "")) from error
        except OSError as error:
            self.failures[module_path] = Failure(
                1, f"the file cannot be read ({error.strerror or error})"
            )
            raise
        except Exception as error:  # a Griffe bug on odd code must cost one module, not the site
            failure = Failure(1, f"Griffe failed on it ({type(error).__name__}: {error})")
            self.failures[module_path] = failure
            raise SyntaxError(failure.reason, (str(module_path), 1, 0, "")) from error
        self.failures[module_path] = failure
        raise SyntaxError(failure.reason, (str(module_path), failure.lineno, 0, ""))

    def _visit_decoded(
        self, module_name: str, module_path: Path, parent: griffe.Module | None
    ) -> griffe.Module:
        """What `GriffeLoader._visit_module` does, but the file is decoded as Python decodes
        it (a `# -*- coding: latin-1 -*-` declaration, not always UTF-8) and its lines are
        numbered as Python numbers them (`python_lines`)."""
        code = read_python(module_path)
        if self.store_source:
            self.lines_collection[module_path] = python_lines(code)
        return griffe.visit(
            module_name,
            filepath=module_path,
            code=code,
            extensions=self.extensions,
            parent=parent,
            docstring_parser=self.docstring_parser,
            docstring_options=self.docstring_options,
            lines_collection=self.lines_collection,
            modules_collection=self.modules_collection,
        )


#: What `str.splitlines` breaks at and Python's parser does not.
_OTHER_LINE_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def python_lines(code: str) -> list[str]:
    """The lines of `code` as Python numbers them (`\\n`, `\\r\\n` and `\\r` end a line).

    `str.splitlines` (what Griffe uses) also breaks at form feeds and other separators where
    Python's parser, and so every line number Griffe records, does not: each object's source
    would be cut from the wrong lines. It is used when there are none, being faster."""
    if not _OTHER_LINE_BREAKS.search(code):
        return code.splitlines()
    lines = re.split("\r\n|\r|\n", code)
    return lines[:-1] if lines and lines[-1] == "" else lines


def read_python(path: Path) -> str:
    """A Python file's text, decoded as Python decodes it: with the encoding it declares
    (PEP 263), else as UTF-8, without a BOM."""
    data = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def explain(path: Path, error: Exception) -> Failure:
    """A `Failure` for a parse or decode error of `path`, with the line to look at."""
    try:
        data = path.read_bytes()
    except OSError as inner:
        return Failure(1, f"the file cannot be read ({inner.strerror or inner})")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        return Failure(line, "contains a null byte: it is not a Python source file")
    if isinstance(error, UnicodeDecodeError):
        return _undecodable(data, error)
    message = str(getattr(error, "msg", "") or error)
    if message.startswith("unknown encoding"):
        name = message.rsplit(": ", 1)[-1]
        return Failure(
            _cookie_line(data), f"its encoding declaration names an unknown encoding '{name}'"
        )
    if message.startswith("invalid or missing encoding declaration"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            return _undecodable(data, decode_error)
    lineno = getattr(error, "lineno", None) or 1
    return Failure(lineno, message)


def _undecodable(data: bytes, error: UnicodeDecodeError) -> Failure:
    line = data[: error.start].count(b"\n") + 1
    byte = data[error.start : error.start + 1].hex()
    return Failure(
        line,
        f"byte 0x{byte} is not valid {error.encoding}: save the file as UTF-8 or declare its "
        f"encoding on line 1 (`# -*- coding: latin-1 -*-`)",
    )


def _cookie_line(data: bytes) -> int:
    for number, line in enumerate(data.splitlines()[:2], 1):
        if _COOKIE.match(line):
            return number
    return 1


def _deepest_line(path: Path) -> int:
    """Where an over-nested expression is (a guess): the most open brackets, else the longest
    line (`- - - 1` or `a + a + …` nest without brackets)."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return 1
    depth, deepest, where = 0, 0, 1
    for number, line in enumerate(lines, 1):
        for char in line:
            depth += (char in b"([{") - (char in b")]}")
            if depth > deepest:
                deepest, where = depth, number
    if deepest < 20 and lines:
        return max(range(len(lines)), key=lambda i: len(lines[i])) + 1
    return where


def shown(path: Path) -> str:
    """`path` as warnings show it, without following a symlink at the file itself."""
    folder = display_path(path.parent)
    return path.name if folder == "." else f"{folder}/{path.name}"


def release_griffe_memos() -> None:
    """Empty the memos Griffe keeps across loads, once a load is done.

    Griffe 2.x's built-in dataclasses extension memoizes `_dataclass_parameters(class_)` with
    `functools.cache`: the first dataclass of a load keeps that whole tree alive for the rest
    of the process (every `serve` rebuild's tree, and the tree a `mkdocs build` hands to its
    worker). The memo only serves the load itself. Guarded: if Griffe renames it, nothing
    breaks, and `tests/test_performance.py` sees the tree stay alive.
    """
    for name in ("griffe._internal.extensions.dataclasses", "_griffe.extensions.dataclasses"):
        module = sys.modules.get(name)  # Griffe 2.x, 1.x; imported when the extension ran
        memo = getattr(module, "_dataclass_parameters", None)
        cache_clear = getattr(memo, "cache_clear", None)
        if callable(cache_clear):
            cache_clear()
