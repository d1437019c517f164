"""Check usage examples against the real, imported package: imports succeed, calls bind.

Runs with the Python of the environment where the documented packages are installed (not the
plugin's): `bench/realworld.py` writes the examples as JSON and calls this script with that
venv's interpreter. It never runs an example. It executes only the example's `import`
statements, then, for each call whose target it can resolve at run time, binds the call's
argument shape to `inspect.signature` of the real object, so the check is independent of the
plugin's own (Griffe-based) verifier:

- `Name(...)`, `module.attr(...)`: the imported object;
- `obj.method(...)` where `obj` was assigned from `Class(...)` or entered with
  `with Class(...) as obj`: the method looked up on the class (instance methods get `self`);
- `Class.method(...)` on a plain instance method: reported (called on the class);
- `Class(...)` on an abstract class or a `typing.Protocol`: reported (cannot be instantiated);
- decorators written as calls (`@click.option("--name")`) are calls like any other.

Input (argv[1]): JSON list of {"id", "code"}. Output (stdout): JSON list of
{"id", "parse", "imports": [errors], "calls": [errors], "checked": n, "unchecked": n}.
Stdlib only.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import json
import os
import platform
import sys
import warnings
from pathlib import Path
from typing import Any

_UNRESOLVED = object()


class Probe(ast.NodeVisitor):
    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self.instances: dict[str, Any] = {}  # variable -> class it holds an instance of
        self.errors: list[str] = []
        self.checked = 0
        self.unchecked = 0

    # -- bindings
    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        cls = self._constructed(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if cls is None:
                    self.instances.pop(target.id, None)  # rebound to something else
                else:
                    self.instances[target.id] = cls

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            cls = self._constructed(item.context_expr)
            if isinstance(item.optional_vars, ast.Name) and cls is not None:
                self.instances[item.optional_vars.id] = cls
        for statement in node.body:
            self.visit(statement)

    visit_AsyncWith = visit_With

    def _constructed(self, value: ast.expr) -> Any:
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Call):
            target = self._resolve(value.func)
            if inspect.isclass(target):
                return target
        return None

    # -- calls
    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        shown = ast.unparse(node.func)
        target, self_arg, problem = self._callee(node.func)
        if problem:
            self.errors.append(f"{shown}(): {problem}")
            return
        if target is _UNRESOLVED:
            self.unchecked += 1
            return
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            self.unchecked += 1
            return
        if inspect.isclass(target):
            if inspect.isabstract(target):
                self.errors.append(f"{shown}(): abstract class instantiated")
                return
            if getattr(target, "_is_protocol", False):
                self.errors.append(f"{shown}(): Protocol instantiated")
                return
        try:
            signature = inspect.signature(target)
        except (TypeError, ValueError):
            self.unchecked += 1
            return
        args = [None] * (len(node.args) + (1 if self_arg else 0))
        try:
            signature.bind(*args, **{k.arg: None for k in node.keywords if k.arg})
        except TypeError as error:
            self.errors.append(f"{shown}(): {error}")
            return
        self.checked += 1

    def _callee(self, func: ast.expr) -> tuple[Any, bool, str | None]:
        """(object, needs a `self` argument, problem)."""
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            cls = self.instances.get(func.value.id)
            if cls is not None:
                found = inspect.getattr_static(cls, func.attr, _UNRESOLVED)
                if found is _UNRESOLVED:
                    return _UNRESOLVED, False, f"{cls.__name__} has no attribute {func.attr!r}"
                if isinstance(found, staticmethod | classmethod):
                    return getattr(cls, func.attr), False, None
                if inspect.isfunction(found):
                    return found, True, None
                return _UNRESOLVED, False, None
            owner = self._resolve(func.value)
            if inspect.isclass(owner):
                found = inspect.getattr_static(owner, func.attr, _UNRESOLVED)
                if inspect.isfunction(found):
                    return _UNRESOLVED, False, "instance method called on the class"
        return self._resolve(func), False, None

    def _resolve(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Name):
            return self.namespace.get(node.id, _UNRESOLVED)
        if isinstance(node, ast.Attribute):
            owner = self._resolve(node.value)
            if owner is _UNRESOLVED:
                return _UNRESOLVED
            try:
                return getattr(owner, node.attr)
            except Exception:
                return _UNRESOLVED
        return _UNRESOLVED


def _run_imports(tree: ast.AST, namespace: dict[str, Any], errors: list[str]) -> None:
    """Run every import the example runs, in order: none under `if TYPE_CHECKING:`, and an
    `if` (`sys.platform == "win32"`, `hasattr(pkg.mod, "name")`) is tested first."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and not _holds(node.test, namespace):
            _run_imports(ast.Module(body=node.orelse, type_ignores=[]), namespace, errors)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            error = _execute(node, namespace)
            if error:
                errors.append(error)
        else:
            _run_imports(node, namespace, errors)


def _holds(test: ast.expr, namespace: dict[str, Any]) -> bool:
    """Whether an example's `if` runs its body here."""
    text = ast.unparse(test)
    if "TYPE_CHECKING" in text:
        return False
    try:
        return bool(eval(text, {"sys": sys, "os": os, "platform": platform, **namespace}))
    except Exception:
        return True  # anything else: visit it


def _fill_in(node: ast.ClassDef) -> bool:
    """A class whose decorators or bases hold `...`: the reader supplies it (badged)."""
    parts = [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]
    return any(
        isinstance(n, ast.Constant) and n.value is Ellipsis for p in parts for n in ast.walk(p)
    )


def _execute(node: ast.stmt, namespace: dict[str, Any]) -> str | None:
    statement = ast.unparse(node)
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(statement, namespace)
    except Exception as error:
        return f"{statement.splitlines()[0]}: {type(error).__name__}: {error}"
    return None


def probe(code: str) -> dict[str, Any]:
    result: dict[str, Any] = {"parse": None, "imports": [], "calls": [], "checked": 0}
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        result["parse"] = f"line {error.lineno}: {error.msg}"
        return result
    namespace: dict[str, Any] = {}
    _run_imports(tree, namespace, result["imports"])
    # the reader's own classes (subclasses of abstract classes, protocol implementations):
    # defining them runs no user code but class creation, and lets their calls be bound
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not _fill_in(node):
            error = _execute(node, namespace)
            if error:
                result["calls"].append(error)
    checker = Probe(namespace)
    checker.visit(tree)
    result["calls"] += checker.errors  # after the class-definition errors, not over them
    result["checked"] = checker.checked
    result["unchecked"] = checker.unchecked
    return result


def main() -> None:
    examples = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    out = []
    for example in examples:
        out.append({"id": example["id"], **probe(example["code"])})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
