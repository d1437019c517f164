"""Load packages statically with Griffe and select the public API, each object once.

The public API is what users import: names listed in `__all__` when a module has one, else
names without a leading underscore. A class or function defined in a private module and
re-exported by a public one is documented at its public path; one defined in a public module
is documented under that module. Aliases that lead outside the documented packages are not
documented.
"""

from __future__ import annotations

import ast
import importlib.util
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any

import griffe

from mkdocs_howto.errors import LoadError, Problem, display_path
from mkdocs_howto.guards import type_checking_only, under_main_guard
from mkdocs_howto.sources import Failure, SourceLoader, explain, release_griffe_memos, shown

logger = logging.getLogger(__name__)

#: Private names and test modules. Patterns ending in `.*` drop a module with all it holds
#: (see `_module_excluded`) without dropping a public function that happens to be named
#: `test` or `test_connection`.
DEFAULT_EXCLUDE = (
    "*._*",
    "*.tests.*",
    "*.test.*",
    "*.test_*.*",
    "*.conftest.*",
)

Documentable = griffe.Class | griffe.Function


@dataclass(frozen=True)
class LoadOptions:
    """What to load and which objects to keep."""

    packages: tuple[str, ...]
    paths: tuple[Path, ...]
    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    docstring_style: str = "auto"
    sibling_packages: str = "paths"
    """Where other top-level packages that the packages re-export from are loaded from:
    `paths` (the search paths; in an environment's site-packages, the same distribution
    only), `installed` (also any installed package), `off`."""


@dataclass(frozen=True)
class PublicObject:
    """A class or function and the public path it is documented under."""

    public_path: str
    module_path: str
    import_path: str
    """The shortest public path: what a usage example imports."""
    obj: Documentable

    @property
    def name(self) -> str:
        return self.public_path.rsplit(".", 1)[-1]


@dataclass
class PublicModule:
    """A public package or module with the objects documented under it."""

    module: griffe.Module
    objects: list[PublicObject] = field(default_factory=list)
    reexports: list[tuple[str, PublicObject]] = field(default_factory=list)
    """Objects documented elsewhere that this module also exports: (name here, object)."""
    submodules: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.module.path


@dataclass
class LoadedApi:
    """The result of loading: public modules in walk order, and what went wrong."""

    modules: list[PublicModule]
    problems: list[Problem]
    roots: list[griffe.Module]
    siblings: list[griffe.Module] = field(default_factory=list)
    """Other top-level packages loaded because the packages re-export their objects."""
    notes: list[str] = field(default_factory=list)
    """What the build should say at INFO level (the sibling packages loaded)."""
    derived: dict[object, Any] = field(default_factory=dict)
    """What is computed from the selection and the tree's names alone (the site's plan, its
    link targets), by what it was computed with: a `serve` rebuild that selects the same API
    again (`reload`) keeps it."""

    @property
    def objects(self) -> Iterator[PublicObject]:
        for module in self.modules:
            yield from module.objects

    def source_dirs(self) -> list[Path]:
        """Folders (or single files) holding the packages' sources: what `serve` watches."""
        return source_dirs([*self.roots, *self.siblings])


def source_dirs(tops: Iterable[griffe.Module]) -> list[Path]:
    """Folders (or single files) holding the sources of top-level modules."""
    dirs = []
    for top in tops:
        path = top.filepath
        if isinstance(path, list):  # namespace package: several folders
            dirs.extend(path)
        elif path.name == "__init__.py":
            dirs.append(path.parent)
        else:
            dirs.append(path)
    return dirs


def load_api(options: LoadOptions, *, keep_trees: bool = True) -> LoadedApi:
    """Load every package in `options` and select its public classes and functions
    (`keep_trees`: see `SourceLoader`)."""
    return select_api(options, load_tree(options, keep_trees=keep_trees))


@dataclass
class LoadedTree:
    """What Griffe loaded, before the public API is chosen from it: kept by `reload` between
    `serve` rebuilds, so that an edit re-reads only the files it changed."""

    loader: SourceLoader
    roots: list[griffe.Module]
    siblings: dict[str, griffe.Module]
    problems: list[Problem]
    """Problems of the load itself (a package found twice, a sibling that failed)."""
    notes: list[str]

    def source_dirs(self) -> list[Path]:
        return source_dirs([*self.roots, *self.siblings.values()])


def load_tree(options: LoadOptions, *, keep_trees: bool = True) -> LoadedTree:
    """Load the packages (and the siblings they re-export from) with Griffe, aliases
    resolved, nothing selected yet."""
    loader = SourceLoader(
        search_paths=[str(path) for path in options.paths],
        docstring_parser=_parser(options.docstring_style),
        allow_inspection=False,
        store_source=True,
        extensions=griffe.load_extensions(),
        keep_trees=keep_trees,
    )
    problems = [problem for name in options.packages for problem in _found_twice(loader, name)]
    try:
        roots = [_load_package(loader, name, options.paths) for name in options.packages]
        for root in roots:
            map_lazy_exports(root)
        loader.resolve_aliases(implicit=False, external=False)
        siblings = _Siblings(loader, roots, options, problems)
        siblings.load()
    finally:
        release_griffe_memos()
    return LoadedTree(loader, roots, dict(siblings.loaded), problems, siblings.notes())


def select_api(options: LoadOptions, tree: LoadedTree) -> LoadedApi:
    """The public modules and objects of a loaded tree (the tree is not changed)."""
    problems = list(tree.problems)
    selector = _Selector(options, problems, set(tree.siblings))
    for root in tree.roots:
        selector.dropped.update(_dropped_modules(tree.loader, root))
    modules = [module for root in tree.roots for module in selector.walk(root)]
    selector.report_dropped()
    selector.assign_paths()
    if not any(module.objects for module in modules):
        names = ", ".join(options.packages)
        raise LoadError(
            f"no public classes or functions found in {names}: check the `include` and "
            f"`exclude` options and the packages' `__all__`"
        )
    return LoadedApi(
        modules=modules,
        problems=problems,
        roots=tree.roots,
        siblings=list(tree.siblings.values()),
        notes=list(tree.notes),
    )


def _parser(style: str) -> griffe.Parser:
    return griffe.Parser(style)


def _load_package(loader: griffe.GriffeLoader, name: str, paths: Iterable[Path]) -> griffe.Module:
    for _ in range(_MAX_DEPENDENCIES):
        try:
            return _load_once(loader, name, paths)
        except griffe.AliasResolutionError as error:
            # Griffe needs the package this one re-exports from (`attrs` → `attr`) to expand
            # it; load that one too, for resolution only: its objects are not documented.
            _load_dependency(loader, name, error)
    raise LoadError(f"package '{name}' re-exports from too many other packages to resolve")


_MAX_DEPENDENCIES = 10


def _load_dependency(
    loader: griffe.GriffeLoader, name: str, error: griffe.AliasResolutionError
) -> None:
    target = str(getattr(getattr(error, "alias", None), "target_path", ""))
    top = target.split(".", 1)[0]
    if not top or top == name.split(".", 1)[0] or top in loader.modules_collection:
        raise LoadError(f"package '{name}' could not be loaded: {error}") from error
    try:
        loader.load(top)
    except (ModuleNotFoundError, griffe.GriffeError, SyntaxError) as inner:
        raise LoadError(
            f"package '{name}' re-exports '{target}' from '{top}', which could not be "
            f"loaded from the search paths: add its folder to `paths`"
        ) from inner


def _load_once(loader: griffe.GriffeLoader, name: str, paths: Iterable[Path]) -> griffe.Module:
    try:
        module = loader.load(name)
    except ModuleNotFoundError as error:
        searched = ", ".join(str(path) for path in paths) or "(none)"
        raise LoadError(
            f"package '{name}' was not found on the search paths ({searched}): "
            f"check the plugin's `packages` and `paths` options"
        ) from error
    except UnicodeDecodeError as error:  # Griffe's finder reads `__init__.py` before we can
        init = next((p / name / "__init__.py" for p in paths if (p / name).is_dir()), None)
        if init is None:
            raise LoadError(f"package '{name}' could not be loaded: {error}") from error
        why = explain(init, error)
        raise LoadError(
            f"{shown(init)}:{why.lineno}: package '{name}' could not be parsed: {why.reason}"
        ) from error
    except SyntaxError as error:
        raise LoadError(_syntax_message(error, name)) from error
    except griffe.AliasResolutionError:
        raise
    except griffe.LoadingError as error:
        failure = _own_failure(loader, name)
        if failure is not None:
            path, why = failure
            raise LoadError(
                f"{shown(path)}:{why.lineno}: package '{name}' could not be parsed: {why.reason}"
            ) from error
        if isinstance(error.__cause__, SyntaxError):  # Griffe wraps the parser's error
            raise LoadError(_syntax_message(error.__cause__, name)) from error
        raise LoadError(f"package '{name}' could not be loaded: {error}") from error
    except griffe.GriffeError as error:
        raise LoadError(f"package '{name}' could not be loaded: {error}") from error
    if not isinstance(module, griffe.Module):
        raise LoadError(f"'{name}' is not a package or module")
    return module


@dataclass
class _Export:
    """A name a public module exports from another top-level package."""

    module: griffe.Module
    name: str
    alias: griffe.Alias
    listed: bool
    """Listed in `__all__` (a promise: a warning when it cannot be documented)."""


class _Siblings:
    """Load the other top-level packages the documented ones re-export from (`attrs` →
    `attr`), so that those names resolve and get pages at their public path.

    Found on `paths` they are loaded; in an environment's site-packages only those of the
    same distribution (`attrs` and `attr` ship in one wheel); any installed package only with
    `sibling_packages: installed`. A sibling that re-exports from a third is loaded too.
    """

    def __init__(
        self,
        loader: griffe.GriffeLoader,
        roots: list[griffe.Module],
        options: LoadOptions,
        problems: list[Problem],
    ) -> None:
        self.loader = loader
        self.roots = roots
        self.options = options
        self.problems = problems
        self.documented = {name.split(".", 1)[0] for name in options.packages}
        self.loaded: dict[str, griffe.Module] = {}
        self.counts: dict[str, int] = {}
        self.elsewhere: dict[str, int] = {}
        """Installed packages (another distribution) not loaded: names not documented."""
        self.tried: set[str] = set()

    def load(self) -> None:
        if self.options.sibling_packages == "off":
            return
        for _ in range(_MAX_DEPENDENCIES):
            wanted = self._wanted()
            if not wanted:
                return
            for top, exports in wanted.items():
                self.tried.add(top)
                self._load(top, exports)
            self.loader.resolve_aliases(implicit=False, external=False)

    def _wanted(self) -> dict[str, list[_Export]]:
        """Packages not loaded yet that exported names lead to, with those names."""
        wanted: dict[str, list[_Export]] = {}
        for export in self._exports():
            for top in self._tops_needed(export.alias):
                if top not in self.tried:
                    wanted.setdefault(top, []).append(export)
        return wanted

    def _exports(self) -> Iterator[_Export]:
        for root in self.roots:
            for module in walk_modules(root, self.options.exclude):
                names = _exports(module)
                for name, member in list(module.members.items()):
                    if not isinstance(member, griffe.Alias):
                        continue
                    listed = names is not None and name in names
                    plain = names is None and module.is_init_module and not name.startswith("_")
                    if (listed or plain) and not (
                        type_checking_only(module, member) or under_main_guard(module, member)
                    ):
                        yield _Export(module, name, member, listed)

    def _tops_needed(self, alias: griffe.Alias) -> list[str]:
        """The top-level package the alias chain stops at, when it is not loaded."""
        top = alias.target_path.split(".", 1)[0]
        if top in sys.stdlib_module_names or top in ("builtins", "__future__"):
            return []
        if top not in self.documented and top not in self.loaded:
            if top in self.loader.modules_collection:  # loaded to merge stubs (`_load_package`)
                self._adopt(top)
            return [] if top in self.loaded else [top]
        try:
            alias.final_target  # noqa: B018 (resolving)
        except griffe.CyclicAliasError:
            return []
        except griffe.AliasResolutionError as error:
            failed = str(getattr(getattr(error, "alias", None), "target_path", ""))
            further = failed.split(".", 1)[0]
            known = further in self.documented or further in self.loaded
            if further and not known and further not in sys.stdlib_module_names:
                return [further]
        return []

    def _adopt(self, top: str) -> None:
        module = self.loader.modules_collection.get_member(top)
        if isinstance(module, griffe.Module) and self._where(top)[0] == "paths":
            self.loaded[top] = module

    def _where(self, top: str) -> tuple[str, Path | None]:
        """`paths`, `installed` (another distribution, or off `paths`) or `missing`; and the
        folder to search when installed."""
        try:
            package = self.loader.finder.find_spec(top, try_relative_path=False)[1]
        except (ModuleNotFoundError, ValueError, OSError):
            package = None
        if isinstance(package, griffe.Package):
            folder = _search_folder(self.loader, package.path)
            shipped = {_shipped_with(folder, name) for name in self.documented}
            if folder is None or None in shipped or any(top in names for names in shipped if names):
                return "paths", None
            return "installed", folder
        try:
            spec = importlib.util.find_spec(top)  # finds, never imports, a top-level package
        except (ImportError, ValueError, AttributeError, OSError):
            spec = None
        origin = spec.origin if spec is not None else None
        if spec is None or not origin or not origin.endswith((".py", ".pyi")):
            return "missing", None
        path = Path(origin)
        return "installed", path.parent.parent if path.name == "__init__.py" else path.parent

    def _load(self, top: str, exports: list[_Export]) -> None:
        where, folder = self._where(top)
        if where == "installed" and self.options.sibling_packages == "installed":
            if folder is not None:
                self.loader.finder.append_search_path(folder)
            where = "paths"
        if where == "paths":
            try:
                module = self.loader.load(top)
            except (ModuleNotFoundError, griffe.GriffeError, SyntaxError, OSError) as error:
                self._lost(top, exports, f"could not be loaded ({type(error).__name__}: {error})")
                return
            if isinstance(module, griffe.Module):
                self.loaded[top] = module
            return
        if where == "installed":
            self.elsewhere[top] = len({(e.module.path, e.name) for e in exports})
            return
        self._lost(top, exports, "is not found on `paths` nor installed")

    def _lost(self, top: str, exports: list[_Export], why: str) -> None:
        """A warning per exporting module, for the names `__all__` promised."""
        by_module: dict[str, list[_Export]] = {}
        for export in exports:
            if export.listed:
                by_module.setdefault(export.module.path, []).append(export)
        for path, lost in by_module.items():
            module = lost[0].module
            lineno = min(getattr(e.alias, "alias_lineno", None) or 1 for e in lost)
            names = ", ".join(sorted({e.name for e in lost}))
            self.problems.append(
                Problem(
                    display_path(str(module.filepath)),
                    lineno,
                    f"package '{top}', which '{path}' re-exports from, {why}: add its folder "
                    f"to `paths` (or set `sibling_packages: installed`); not documented: {names}",
                )
            )

    def _count_exports(self) -> None:
        """How many exported names each loaded sibling defines (after resolution)."""
        names: dict[str, set[tuple[str, str]]] = {}
        for export in self._exports():
            try:
                target = export.alias.final_target
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                continue
            top = target.path.split(".", 1)[0]
            if top in self.loaded:
                names.setdefault(top, set()).add((export.module.path, export.name))
        self.counts = {top: len(found) for top, found in names.items()}

    def notes(self) -> list[str]:
        """One INFO line: the sibling packages loaded, and the installed ones left out."""
        if not self.loaded and not self.elsewhere:
            return []
        self._count_exports()
        documented = ", ".join(sorted(self.documented))
        parts = []
        if self.loaded:
            loaded = ", ".join(
                f"{top} ({self.counts[top]} names)" if top in self.counts else top
                for top in sorted(self.loaded)
            )
            parts.append(f"sibling packages loaded for the names {documented} re-exports: {loaded}")
        if self.elsewhere:
            others = ", ".join(f"{top} ({n} names)" for top, n in sorted(self.elsewhere.items()))
            parts.append(
                f"names re-exported from other installed distributions are not documented: "
                f"{others} (`sibling_packages: installed` documents them)"
            )
        return ["; ".join(parts)]


def walk_modules(module: griffe.Module, exclude: tuple[str, ...] = ()) -> Iterator[griffe.Module]:
    """The module and its submodules (not aliases to modules) that `exclude` leaves in."""
    yield module
    for member in module.members.values():
        if isinstance(member, griffe.Module) and not any(
            fnmatchcase(member.path, pattern) or fnmatchcase(f"{member.path}.\0", pattern)
            for pattern in exclude
        ):
            yield from walk_modules(member, exclude)


def _search_folder(loader: griffe.GriffeLoader, path: Path) -> Path | None:
    for folder in loader.finder.search_paths:
        if folder in path.parents:
            return folder
    return None


def _shipped_with(folder: Path | None, top: str) -> frozenset[str] | None:
    """The top-level names shipped by the distribution installed in `folder` that holds `top`;
    None when `folder` is not an environment's site-packages (a source tree)."""
    if folder is None:
        return None
    tops = _distributions(folder)
    if tops is None:
        return None
    return next((names for names in tops if top in names), frozenset({top}))


@lru_cache(maxsize=8)
def _distributions(folder: Path) -> tuple[frozenset[str], ...] | None:
    """Per installed distribution in `folder`, the top-level names its RECORD lists."""
    infos = sorted(folder.glob("*.dist-info"))
    if not infos:
        return None
    found = []
    for info in infos:
        try:
            lines = (info / "RECORD").read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        names = set()
        for line in lines:
            first = line.split(",", 1)[0].split("/", 1)[0]
            if first.endswith((".dist-info", ".data", ".pth")) or first in ("..", "__pycache__"):
                continue
            names.add(first.removesuffix(".py").removesuffix(".pyi"))
        found.append(frozenset(names))
    return tuple(found)


def map_lazy_exports(module: griffe.Module) -> None:
    """PEP 562: names of `__all__` that a module's `__getattr__` imports on first access, when
    it spells out the mapping (a dict literal of name → submodule, or `if name == "X": from .x
    import X`), become aliases, as if imported: documented at the module's path and importable
    in examples. A mapping computed at run time is left alone (`__all__` checks warn), and so
    are names `__all__` does not promise (click's deprecated names, kept importable)."""
    for member in list(module.members.values()):
        if isinstance(member, griffe.Module):
            map_lazy_exports(member)
    exports = _exports(module)
    if not exports or not isinstance(module.members.get("__getattr__"), griffe.Function):
        return
    try:
        tree = ast.parse("\n".join(module.lines))
    except (SyntaxError, ValueError, RecursionError, OSError):
        return
    hook = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "__getattr__"),
        None,
    )
    if hook is None:
        return
    for name, (target, lineno) in _lazy_mapping(tree, hook, module).items():
        if name in exports and name not in module.members:
            alias = griffe.Alias(name, target, lineno=lineno, endlineno=lineno, parent=module)
            module.set_member(name, alias)


def _lazy_mapping(
    tree: ast.Module, hook: ast.FunctionDef, module: griffe.Module
) -> dict[str, tuple[str, int]]:
    """Name → (target path, line) from the `if name == "X": from .x import X` branches of
    `__getattr__` and the module-level dict literals it reads."""
    found: dict[str, tuple[str, int]] = {}
    param = hook.args.args[0].arg if hook.args.args else "name"
    for node in ast.walk(hook):
        if isinstance(node, ast.If):
            compared = _compared_name(node.test, param)
            imports = [s for s in node.body if isinstance(s, ast.ImportFrom)]
            if compared and imports:
                target = _imported(imports, compared, module)
                if target:
                    found[compared] = (target, node.lineno)
    read = {n.id for n in ast.walk(hook) if isinstance(n, ast.Name)}
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else []
        if isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        value = getattr(statement, "value", None)
        if not isinstance(value, ast.Dict) or not any(
            isinstance(t, ast.Name) and t.id in read for t in targets
        ):
            continue
        for key, item in zip(value.keys, value.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                where = _mapped_module(item)
                if where is not None:
                    path = _absolute(where, module)
                    if path:
                        found.setdefault(key.value, (f"{path}.{key.value}", key.lineno))
    return found


def _compared_name(test: ast.expr, param: str) -> str | None:
    """`name == "X"` (either way round) → `X`."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    if not isinstance(test.ops[0], ast.Eq):
        return None
    sides = [test.left, test.comparators[0]]
    if any(isinstance(s, ast.Name) and s.id == param for s in sides):
        for side in sides:
            if isinstance(side, ast.Constant) and isinstance(side.value, str):
                return side.value
    return None


def _imported(imports: list[ast.ImportFrom], name: str, module: griffe.Module) -> str | None:
    for statement in imports:
        for alias in statement.names:
            if (alias.asname or alias.name) == name or len(imports[0].names) == 1:
                source = "." * statement.level + (statement.module or "")
                base = _absolute(source, module)
                if base:
                    return f"{base}.{alias.name}"
    return None


def _mapped_module(item: ast.expr | None) -> str | None:
    """A dict value naming a module: `".x"`, `"pkg.x"`, or a tuple whose last string is
    one (`(__spec__.parent, ".main")`, pydantic's)."""
    if isinstance(item, ast.Constant) and isinstance(item.value, str):
        return item.value
    if isinstance(item, ast.Tuple) and item.elts:
        last = item.elts[-1]
        if isinstance(last, ast.Constant) and isinstance(last.value, str):
            return last.value
    return None


def _absolute(where: str, module: griffe.Module) -> str | None:
    """`.x` relative to the module's package → `pkg.x`; absolute names as they are."""
    if not where.startswith("."):
        return where or None
    level = len(where) - len(where.lstrip("."))
    package = module.path if module.is_init_module else module.path.rsplit(".", 1)[0]
    parts = package.split(".")
    if level - 1 >= len(parts):
        return None
    base = ".".join(parts[: len(parts) - (level - 1)])
    rest = where[level:]
    return f"{base}.{rest}" if rest else base


def _own_failure(loader: griffe.GriffeLoader, name: str) -> tuple[Path, Failure] | None:
    """Why the package's own file (`pkg/__init__.py`, `mod.py`) failed, as `SourceLoader` saw."""
    leaf = name.rsplit(".", 1)[-1]
    for path, failure in getattr(loader, "failures", {}).items():
        if (path.name == "__init__.py" and path.parent.name == leaf) or path.stem == leaf:
            return path, failure
    return None


def _found_twice(loader: griffe.GriffeLoader, name: str) -> Iterator[Problem]:
    """Warn when several search paths hold the package: Python, like Griffe, takes the first."""
    top = name.split(".", 1)[0]
    found: list[Path] = []
    for folder in loader.finder.search_paths:
        for candidate in (folder / top / "__init__.py", folder / f"{top}.py"):
            if candidate.is_file() and candidate.resolve() not in {p.resolve() for p in found}:
                found.append(candidate)
                break
    if len(found) > 1:
        others = ", ".join(shown(path) for path in found[1:])
        yield Problem(
            shown(found[0]),
            1,
            f"package '{top}' is found on several search paths: this one is documented, not "
            f"{others} (the first of `paths` wins, as on `sys.path`)",
        )


def _syntax_message(error: SyntaxError, name: str) -> str:
    where = f"{display_path(error.filename)}:{error.lineno}" if error.filename else name
    return f"{where}: package '{name}' could not be parsed: {error.msg}"


@dataclass
class _Dropped:
    """A module Griffe skipped, why, and what it costs the site."""

    filepath: Path
    lineno: int
    reason: str
    inside: int = 0
    """Modules below it, skipped with it."""
    lost: list[str] = field(default_factory=list)
    """Public names that import from it: not documented."""


def _dropped_modules(loader: griffe.GriffeLoader, root: griffe.Module) -> dict[str, _Dropped]:
    """Source files Griffe skipped (it only logs them at debug level), by module path.

    A module inside a skipped package or inside a folder without `__init__.py` counts toward
    that package or folder: one warning says it all.
    """
    if not root.is_package:
        return {}
    dropped: dict[str, _Dropped] = {}
    for parts, filepath in loader.finder.submodules(root):
        if any("." in part for part in parts):
            continue  # `my.module.py`: Python cannot import it under any name either
        path = ".".join((root.path, *parts))
        if _loaded(root, path):
            continue
        ancestors = [".".join((root.path, *parts[: k + 1])) for k in range(len(parts) - 1)]
        held = next((a for a in ancestors if a in dropped), None)
        if held is not None:
            dropped[held].inside += 1
            continue
        missing = next((k for k, a in enumerate(ancestors) if not _loaded(root, a)), None)
        if missing is not None:  # a folder without `__init__.py` on the way
            offset = len(parts) - 1 - missing - (0 if filepath.name.startswith("__init__.") else 1)
            folder = filepath.parents[offset]
            dropped[ancestors[missing]] = _Dropped(
                filepath,
                1,
                f"folder {shown(folder)}/ has no __init__.py, so it is not a "
                "regular package: add one if it is part of the API",
                inside=1,
            )
            continue
        dropped[path] = _why_dropped(loader, filepath)
    return dropped


def _loaded(root: griffe.Module, path: str) -> bool:
    try:
        root.modules_collection.get_member(path)
    except KeyError:
        return False
    return True


def _why_dropped(loader: griffe.GriffeLoader, filepath: Path) -> _Dropped:
    failure = getattr(loader, "failures", {}).get(filepath)
    if failure is None and filepath.suffix not in (".py", ".pyi"):
        stub = filepath.name.split(".", 1)[0] + ".pyi"
        failure = Failure(
            1,
            f"it is a compiled extension module with no Python source; add a stub file "
            f"{stub} beside it to document it",
        )
    if failure is None:
        try:  # Griffe skipped it without going through `SourceLoader`: ask Python why
            compile(filepath.read_bytes(), str(filepath), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            failure = explain(filepath, error)
        except (OSError, RecursionError) as error:
            failure = Failure(1, f"it cannot be read or parsed ({type(error).__name__})")
        else:
            failure = Failure(1, "Griffe skipped it (its DEBUG log on `mkdocs build -v` says why)")
    return _Dropped(filepath, failure.lineno, failure.reason)


class _Selector:
    """Walk public modules, collect candidate public paths, then pick one per object."""

    def __init__(
        self, options: LoadOptions, problems: list[Problem], siblings: set[str] | None = None
    ) -> None:
        self.options = options
        self.problems = problems
        self.documented = {name.split(".", 1)[0] for name in options.packages}
        self.siblings = siblings or set()
        self.packages = set(options.packages) | self.siblings
        # canonical path -> [(public path, owning module)], in walk order
        self.candidates: dict[str, list[tuple[str, PublicModule]]] = {}
        self.targets: dict[str, Documentable] = {}
        self.import_paths: dict[str, list[str]] = {}
        self.seen_modules: set[str] = set()
        self.dropped: dict[str, _Dropped] = {}

    def walk(self, module: griffe.Module) -> Iterator[PublicModule]:
        if module.path in self.seen_modules:
            return  # `packages: [pkg, pkg.sub]`: `pkg.sub` was walked as part of `pkg`
        self.seen_modules.add(module.path)
        public = PublicModule(module)
        yield public
        exports = _exports(module)
        self._check_exports(module, exports)
        submodules = []
        for name, member in module.members.items():
            if member.is_alias:
                self._consider_alias(public, name, member, exports)  # type: ignore[arg-type]
            elif member.is_module:
                if not self._module_excluded(member.path):
                    submodules.append(member)
            elif (
                isinstance(member, Documentable)
                and self._exported(name, exports)
                and not under_main_guard(module, member)
            ):
                self._add(public, name, member)
        for submodule in sorted(submodules, key=lambda sub: sub.name):
            public.submodules.append(submodule.path)
            yield from self.walk(submodule)  # type: ignore[arg-type]

    def _consider_alias(
        self, public: PublicModule, name: str, alias: griffe.Alias, exports: set[str] | None
    ) -> None:
        if alias.target_path.split(".", 1)[0] not in self.packages:
            return  # imported from elsewhere: not ours to document
        try:
            target = alias.final_target
        except (griffe.AliasResolutionError, griffe.CyclicAliasError) as error:
            if self._exported(name, exports):
                self._unresolved(public, name, alias, error)
            return
        if not isinstance(target, Documentable) or target.parent is None:
            return
        if not target.parent.is_module:
            return  # a nested class or a method: documented inside its class
        if target.path.split(".", 1)[0] not in self.documented and (
            exports is None and not public.module.is_init_module
        ):
            return  # a plain import from a sibling package, outside an `__init__`
        if (
            exports is None
            and self._public_at_home(target)
            and not redundant_alias(public.module, alias, name)
        ):
            # A plain import of something documented at its own module: not a second page,
            # but `from pkg import Name` works, so it may shorten the examples' import, unless
            # it only runs for type checkers or when the module is run as a script.
            importable = not (
                type_checking_only(public.module, alias) or under_main_guard(public.module, alias)
            )
            if importable and not name.startswith("_"):
                self.import_paths.setdefault(target.path, []).append(f"{public.path}.{name}")
            return
        if self._exported(name, exports):
            self._add(public, name, target)

    def _public_at_home(self, target: Documentable) -> bool:
        """Whether the object gets a page where it is defined (its module is walked and
        lists it), so that an import of it elsewhere is only an import."""
        home = target.parent
        if home is None or not isinstance(home, griffe.Module):
            return False
        if home.path.split(".", 1)[0] not in self.documented:
            return False  # a sibling package's module: not walked, no page there
        if self._module_excluded(home.path):
            return False
        return self._exported(target.name, _exports(home))

    def _unresolved(
        self, public: PublicModule, name: str, alias: griffe.Alias, error: Exception
    ) -> None:
        """Say why a public name leads nowhere: a skipped module, an import cycle, a typo."""
        holder = self._dropped_holding(alias.target_path)
        if holder is not None:
            self.dropped[holder].lost.append(f"{public.path}.{name}")
            return
        failed = getattr(error, "alias", None)
        outside = str(getattr(failed, "target_path", "")).split(".", 1)[0] not in self.packages
        if public.module.exports is None or (failed is not None and outside):
            # A plain import (no `__all__`: no promise made), or one whose chain leaves the
            # packages (`from _asyncio import …`, a C module): not ours to document.
            return
        where = display_path(str(public.module.filepath))
        lineno = getattr(alias, "alias_lineno", None) or 1
        verb = "exported"
        if isinstance(error, griffe.CyclicAliasError):
            chain = " → ".join(dict.fromkeys(error.chain))
            why = f"its imports go round in a circle ({chain} → …)"
        else:
            why = f"its target '{alias.target_path}' does not exist"
        self.problems.append(
            Problem(where, lineno, f"'{name}' is {verb} by '{public.path}' but {why}")
        )

    def _dropped_holding(self, path: str) -> str | None:
        parts = path.split(".")
        return next(
            (
                ".".join(parts[:k])
                for k in range(len(parts), 0, -1)
                if ".".join(parts[:k]) in self.dropped
            ),
            None,
        )

    def _check_exports(self, module: griffe.Module, exports: set[str] | None) -> None:
        """`__all__` naming something the module neither defines nor imports."""
        if exports is None:
            return
        declared = module.members.get("__all__")
        lineno = (declared.lineno if declared is not None else None) or 1
        if any(marker in line for line in module.lines for marker in DYNAMIC_EXPORTS):
            # Made at run time (`globals().update(…)`, `@enum.global_enum`: re, enum), or
            # maybe brought by a star import Griffe could not expand (pydantic.v1's types).
            return
        for name in sorted(exports - set(module.members) - _MODULE_ATTRIBUTES):
            holder = self._dropped_holding(f"{module.path}.{name}")
            if holder is not None:
                self.dropped[holder].lost.append(f"{module.path}.{name}")
                continue
            lazy = (
                " (the module's `__getattr__` may make it at run time: import it under "
                "`if TYPE_CHECKING:` to document it)"
                if ("__getattr__" in module.members)
                else ""
            )
            self.problems.append(
                Problem(
                    display_path(str(module.filepath)),
                    lineno,
                    f"'{name}' is listed in `__all__` of '{module.path}' but is neither defined "
                    f"nor imported there{lazy}: it is not documented",
                )
            )

    def report_dropped(self) -> None:
        """Skipped modules the site would show, or that public names import from."""
        for path, dropped in self.dropped.items():
            if self._module_excluded(path) and not dropped.lost:
                continue  # private or test code nobody exports: nothing is lost
            message = f"module '{path}' skipped: {dropped.reason}"
            if dropped.inside:
                message += f" ({dropped.inside} module{'s' * (dropped.inside > 1)} in it)"
            if dropped.lost:
                message += f"; not documented: {', '.join(sorted(set(dropped.lost)))}"
            self.problems.append(Problem(shown(dropped.filepath), dropped.lineno, message))

    def _exported(self, name: str, exports: set[str] | None) -> bool:
        if exports is not None:
            return name in exports
        return not name.startswith("_")

    def _module_excluded(self, path: str) -> bool:
        """A module is left out when a pattern matches it or everything inside it.

        So `*.test_*.*` drops the module `pkg.test_io` without dropping a public function
        `pkg.db.test_connection`.
        """
        return self._excluded(path) or self._excluded(f"{path}.\0")  # \0: no name part

    def _excluded(self, path: str) -> bool:
        return any(fnmatchcase(path, pattern) for pattern in self.options.exclude)

    def _add(self, public: PublicModule, name: str, target: Documentable) -> None:
        path = f"{public.path}.{name}"
        if self._excluded(path) or not any(
            fnmatchcase(path, pattern) for pattern in self.options.include
        ):
            return
        self.targets[target.path] = target
        self.candidates.setdefault(target.path, []).append((path, public))

    def assign_paths(self) -> None:
        """Document each object once: at its own module if public there, else shortest path."""
        for canonical, places in self.candidates.items():
            own_name = canonical.rsplit(".", 1)[-1]
            # Exported under two names (`Thing`, `Alias = Thing`): the page is the own name's.
            by_length = sorted(
                places, key=lambda p: (p[0].rsplit(".", 1)[-1] != own_name, *_shortest(p))
            )
            home = next((p for p in places if p[0] == canonical), by_length[0])
            path, module = home
            imports = [place[0] for place in places] + self.import_paths.get(canonical, [])
            documented = PublicObject(
                public_path=path,
                module_path=module.path,
                # Shortest first; among equals, where it is defined (`rich.console.Console`,
                # not `rich.align.Console` which merely imports it).
                import_path=min(imports, key=lambda p: (p.count("."), p != canonical, p)),
                obj=self.targets[canonical],
            )
            module.objects.append(documented)
            for other_path, other in places:
                if other_path != path:  # another module, or another name in the same one
                    other.reexports.append((other_path.rsplit(".", 1)[-1], documented))


#: Marks of names a module makes at run time (`globals().update(…)`, `@enum.global_enum`), or
#: that a star import Griffe could not expand may bring: `__all__` may list them.
DYNAMIC_EXPORTS = ("globals()", "global_enum", "import *")
#: Attributes every module has at run time: listing them in `__all__` is no broken promise.
_MODULE_ATTRIBUTES = frozenset(
    {"__doc__", "__name__", "__file__", "__path__", "__loader__", "__spec__", "__package__"}
)


def redundant_alias(module: griffe.Module, alias: griffe.Alias, name: str) -> bool:
    """`from .core import Engine as Engine`: PEP 484's explicit re-export, even without
    `__all__`."""
    first = getattr(alias, "alias_lineno", None)
    if not first:
        return False
    last = getattr(alias, "alias_endlineno", None) or first
    try:
        statement = " ".join(module.lines[first - 1 : last])
    except (OSError, ValueError, TypeError):
        return False
    return _renames_to_itself(name).search(statement) is not None


@lru_cache(maxsize=4096)
def _renames_to_itself(name: str) -> re.Pattern[str]:
    # one pattern per name, compiled once: `re`'s own cache holds 512 and a big package
    # has thousands of names
    return re.compile(rf"\b{re.escape(name)}\s+as\s+{re.escape(name)}\b")


def _shortest(place: tuple[str, PublicModule]) -> tuple[int, str]:
    return place[0].count("."), place[0]


def _exports(module: griffe.Module) -> set[str] | None:
    exports = module.exports
    if exports is None:
        return None
    return {str(getattr(item, "name", item)) for item in exports}
