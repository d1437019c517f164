"""Check a usage example against the loaded API, without running it.

It must compile; its imports and the dotted names it uses must exist (in the documented
packages, the standard library or an installed package); its calls of documented objects must
match their signatures, await coroutines and iterate generators the right way. The API is seen
through a `Lookup`: dotted path → `Symbol` (plain signature facts), so this module knows
nothing of Griffe or MkDocs.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import sys
from dataclasses import dataclass

from mkdocs_howto.analyze.code import bound_names
from mkdocs_howto.analyze.symbols import Lookup, Symbol
from mkdocs_howto.facts import Param

_POSITIONAL = ("positional-only", "positional or keyword")
_VARIADIC = ("variadic positional", "variadic keyword")
_AWAITED = ("await", "argument", "returned")


@dataclass(frozen=True)
class _Ref:
    """What a name in the example stands for: a dotted path, or an instance of a class."""

    path: str | None = None
    instance_of: Symbol | None = None


def check_example(
    code: str,
    packages: frozenset[str],
    lookup: Lookup,
    *,
    top_level_await: bool = False,
    self_contained: bool = True,
) -> tuple[str, ...]:
    """Problems found in `code`; empty when every check passed.

    `top_level_await` accepts `await` outside a function, as in an async REPL or a notebook.
    `self_contained=False` accepts names the snippet does not define: docstring examples
    often rely on names a project's doctest setup provides (`nx`, `np`).
    """
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if top_level_await else 0
    try:
        tree = ast.parse(code)
        compile(tree, "<example>", "exec", flags=flags, dont_inherit=True)
    except SyntaxError as error:
        return (f"does not compile: {error.msg} (line {error.lineno})",)
    checker = _Checker(packages, lookup, tree, self_contained)
    checker.visit(tree)
    return tuple(dict.fromkeys(checker.problems))


class _Checker(ast.NodeVisitor):
    def __init__(
        self, packages: frozenset[str], lookup: Lookup, tree: ast.Module, self_contained: bool
    ) -> None:
        self.packages = packages
        self.self_contained = self_contained
        self.lookup = lookup
        self.env: dict[str, _Ref] = {}
        self.problems: list[str] = []
        self.type_checking = False
        """Inside `if TYPE_CHECKING:`: imports there are for type checkers, never run."""
        self.uses = _uses(tree)
        self.bound = _bound_names(tree)
        self.awaited_names = {
            node.value.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Await) and isinstance(node.value, ast.Name)
        }

    # -- bindings -------------------------------------------------------------------------

    def visit_If(self, node: ast.If) -> None:
        if not ast.unparse(node.test).endswith("TYPE_CHECKING"):
            self.generic_visit(node)
            return
        self.visit(node.test)
        self.type_checking, outer = True, self.type_checking
        for statement in node.body:
            self.visit(statement)
        self.type_checking = outer
        for statement in node.orelse:
            self.visit(statement)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.problems.extend(self._check_import(alias.name, None))
            if alias.asname:
                self.env[alias.asname] = _Ref(alias.name)
            else:
                top = alias.name.split(".", 1)[0]
                self.env[top] = _Ref(top)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if not node.module or node.level:
            return
        for alias in node.names:
            self.problems.extend(self._check_import(node.module, alias.name))
            if alias.name != "*":
                self.env[alias.asname or alias.name] = _Ref(f"{node.module}.{alias.name}")

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        ref = self._result_of(node.value)
        for target in node.targets:
            self._bind(target, ref)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self._bind(node.target, self._result_of(node.value) if node.value else _Ref())

    def _bind(self, target: ast.expr, ref: _Ref) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = ref
        else:
            self.visit(target)
            for node in ast.walk(target):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    self.env[node.id] = _Ref()

    def _result_of(self, value: ast.expr) -> _Ref:
        """Instances of documented classes keep their class: their methods are checked too."""
        if isinstance(value, ast.Call):
            symbol = self._symbol(value.func)
            if symbol is not None and symbol.kind == "class" and not symbol.is_enum:
                return _Ref(instance_of=symbol)
        return _Ref()

    # -- uses -----------------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        known = node.id in self.bound or node.id in self.env or hasattr(builtins, node.id)
        if isinstance(node.ctx, ast.Load) and not known and self.self_contained:
            self.problems.append(f"uses `{node.id}`, which is neither defined nor imported")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            self._symbol(node, report=True)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        symbol = self._symbol(node.func)
        if symbol is None:
            return
        shown = ast.unparse(node.func)
        via = "function"
        if isinstance(node.func, ast.Attribute):
            owner = self._symbol(node.func.value)
            via = (
                "instance"
                if self._is_instance(node.func.value)
                else "class"
                if owner is not None and owner.kind == "class"
                else "function"
            )
        self.problems.extend(_call_problems(symbol, node, shown, via))
        self.problems.extend(self._use_problems(symbol, node, shown))

    def _use_problems(self, symbol: Symbol, node: ast.Call, shown: str) -> list[str]:
        if symbol.kind != "function" or symbol.context is not None:
            return []
        use = self.uses.get(id(node), "expression")
        if symbol.is_async and symbol.is_generator:
            if use in ("for", "await"):
                return [f"`{shown}(...)` is an async generator: consume it with `async for`"]
        elif symbol.is_generator:
            if use == "async for":
                return [f"`{shown}(...)` is a generator: consume it with `for`, not `async for`"]
        elif symbol.is_async and use not in _AWAITED:
            if use == "assigned" and self._assigned_name(node) in self.awaited_names:
                return []
            return [f"`{shown}(...)` is a coroutine function: the call needs `await`"]
        return []

    def _assigned_name(self, call: ast.Call) -> str | None:
        return next((name for name, ident in self.uses.assigned.items() if ident == id(call)), None)

    def _is_instance(self, node: ast.expr) -> bool:
        return self._instance(node) is not None

    def _instance(self, node: ast.expr) -> Symbol | None:
        """The class of `node` when it is an instance: `client`, `Client(...)`."""
        if isinstance(node, ast.Name):
            return self.env.get(node.id, _Ref()).instance_of
        if isinstance(node, ast.Call):
            return self._result_of(node).instance_of
        return None

    def _symbol(self, node: ast.expr, *, report: bool = False) -> Symbol | None:
        """The documented object `node` names (`Feed.readings`, `client.fetch`), if any."""
        if isinstance(node, ast.Name):
            ref = self.env.get(node.id)
            if ref is None or ref.path is None or not self._documented(ref.path):
                return None
            return self.lookup(ref.path)
        if not isinstance(node, ast.Attribute):
            return None
        instance = self._instance(node.value)
        if instance is not None:
            return self._member(instance, node, report, instance=True)
        owner = self._symbol(node.value)
        if owner is None or owner.kind not in ("module", "class"):
            return None
        return self._member(owner, node, report, instance=False)

    def _member(
        self, owner: Symbol, node: ast.Attribute, report: bool, *, instance: bool
    ) -> Symbol | None:
        symbol = self.lookup(f"{owner.path}.{node.attr}")
        if symbol is None and report and not owner.open and not node.attr.startswith("__"):
            what = (
                f"`{owner.path}` objects have"
                if instance
                else f"module `{owner.path}` has"
                if owner.kind == "module"
                else f"`{owner.path}` has"
            )
            self.problems.append(f"`{ast.unparse(node)}`: {what} no attribute `{node.attr}`")
        return symbol

    def _documented(self, path: str) -> bool:
        return path.split(".", 1)[0] in self.packages

    def _failing(self, module: str) -> str | None:
        return _failing_module(self.lookup, module)

    def _check_import(self, module: str, name: str | None) -> list[str]:
        top = module.split(".", 1)[0]
        if top in self.packages:
            failing = self._failing(module)
            if failing:
                return [failing]
            path = f"{module}.{name}" if name and name != "*" else module
            symbol = self.lookup(path)
            if symbol is None:
                return [f"imports `{path}`, which does not exist"]
            if not symbol.runtime and not self.type_checking:
                return [f"imports `{path}`, which exists only under `if TYPE_CHECKING:`"]
            return []
        if top in sys.stdlib_module_names or installed(top):
            return []
        return [f"imports `{module}`, which is neither documented here nor installed"]


def _failing_module(lookup: Lookup, module: str) -> str | None:
    """Importing `module` runs each package on its path first: the first that cannot be
    imported (`Symbol.broken`), said once."""
    parts = module.split(".")
    for cut in range(1, len(parts) + 1):
        symbol = lookup(".".join(parts[:cut]))
        if symbol is not None and symbol.kind == "module" and symbol.broken:
            path = ".".join(parts[:cut])
            via = "" if path == module else f" (importing it runs `{path}`)"
            return f"imports `{module}`, which cannot be imported{via}: {symbol.broken}"
    return None


def _call_problems(symbol: Symbol, call: ast.Call, shown: str, via: str) -> list[str]:
    """`via`: how the callee was reached — "instance" (`feed.run`), "class", "function"."""
    params = symbol.params
    if params is None or symbol.kind not in ("class", "function") or symbol.binding == "property":
        return []
    if symbol.kind == "function" and symbol.binding == "instance" and via == "class":
        params = (Param("self", "positional or keyword", None, None), *params)
    problems = bind_problems(params, call, shown)
    if problems and via == "instance" and symbol.binding == "class":
        owner = symbol.path.rsplit(".", 2)[-2]
        return [
            f"{problem} (`{symbol.path.rsplit('.', 1)[-1]}` is a class method: call it on the "
            f"class, `{owner}.{symbol.path.rsplit('.', 1)[-1]}(...)`)"
            for problem in problems
        ]
    return problems


def bind_problems(params: tuple[Param, ...], call: ast.Call, shown: str) -> list[str]:
    """How `call` fails to bind to `params`, as Python would complain (statically)."""
    starred = any(isinstance(arg, ast.Starred) for arg in call.args)
    double_star = any(keyword.arg is None for keyword in call.keywords)
    positional = [p for p in params if p.kind in _POSITIONAL]
    var_positional = any(p.kind == "variadic positional" for p in params)
    var_keyword = any(p.kind == "variadic keyword" for p in params)
    given = len([arg for arg in call.args if not isinstance(arg, ast.Starred)])
    problems = []
    if given > len(positional) and not var_positional:
        problems.append(
            f"`{shown}(...)` takes {_count(len(positional), 'positional argument')} "
            f"but {given} {'was' if given == 1 else 'were'} given"
        )
    filled = {p.name for p in positional[:given]}
    by_name = {p.name: p for p in params if p.kind not in _VARIADIC}
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        param = by_name.get(keyword.arg)
        if param is None or param.kind == "positional-only":
            if not var_keyword:
                problems.append(f"`{shown}(...)` has no parameter `{keyword.arg}`")
            continue
        if keyword.arg in filled:
            problems.append(f"`{shown}(...)` gets `{keyword.arg}` both by position and by keyword")
        filled.add(keyword.arg)
    if not (starred or double_star):
        missing = [
            p.name
            for p in params
            if p.default is None and p.kind not in _VARIADIC and p.name not in filled
        ]
        if missing:
            names = ", ".join(f"`{name}`" for name in missing)
            noun = "argument" if len(missing) == 1 else "arguments"
            problems.append(f"`{shown}(...)` is missing the required {noun} {names}")
    return problems


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class _Uses(dict[int, str]):
    """How each expression is used: awaited, iterated, entered, passed, assigned…"""

    def __init__(self) -> None:
        super().__init__()
        self.assigned: dict[str, int] = {}


def _uses(tree: ast.AST) -> _Uses:
    uses = _Uses()
    for node in ast.walk(tree):
        if isinstance(node, ast.Await):
            uses[id(node.value)] = "await"
        elif isinstance(node, ast.For):
            uses[id(node.iter)] = "for"
        elif isinstance(node, ast.AsyncFor):
            uses[id(node.iter)] = "async for"
        elif isinstance(node, ast.comprehension):
            uses[id(node.iter)] = "async for" if node.is_async else "for"
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                uses[id(item.context_expr)] = "with"
        elif isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                uses[id(arg.value if isinstance(arg, ast.Starred) else arg)] = "argument"
        elif isinstance(node, ast.Return | ast.Yield) and node.value is not None:
            uses[id(node.value)] = "returned"
        elif isinstance(node, ast.Assign):
            uses[id(node.value)] = "assigned"
            for target in node.targets:
                if isinstance(target, ast.Name):
                    uses.assigned[target.id] = id(node.value)
        elif isinstance(node, ast.Expr):
            uses[id(node.value)] = "statement"
    return uses


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name the example binds, and the ones a script always has."""
    return bound_names(tree) | {"__file__", "__name__", "_"}


def installed(top: str) -> bool:
    """Whether a top-level module can be imported here (found, not imported)."""
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False
