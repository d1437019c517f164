"""Load packages statically with Griffe and select the public API, each object once.

The public API is what users import: names listed in `__all__` when a module has one, else
names without a leading underscore. A class or function defined in a private module and
re-exported by a public one is documented at its public path; one defined in a public module
is documented under that module. Aliases that lead outside the documented packages are not
documented.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

import griffe

from mkdocs_howto.errors import LoadError, Problem, display_path

logger = logging.getLogger(__name__)

DEFAULT_EXCLUDE = (
    "*._*",
    "*.tests",
    "*.tests.*",
    "*.test",
    "*.test.*",
    "*.test_*.*",
    "*.conftest",
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

    @property
    def objects(self) -> Iterator[PublicObject]:
        for module in self.modules:
            yield from module.objects

    def source_dirs(self) -> list[Path]:
        """Folders (or single files) holding the packages' sources: what `serve` watches."""
        dirs = []
        for root in self.roots:
            path = root.filepath
            if isinstance(path, list):  # namespace package: several folders
                dirs.extend(path)
            elif path.name == "__init__.py":
                dirs.append(path.parent)
            else:
                dirs.append(path)
        return dirs


def load_api(options: LoadOptions) -> LoadedApi:
    """Load every package in `options` and select its public classes and functions."""
    loader = griffe.GriffeLoader(
        search_paths=[str(path) for path in options.paths],
        docstring_parser=_parser(options.docstring_style),
        allow_inspection=False,
        store_source=True,
        extensions=griffe.load_extensions(),
    )
    roots = [_load_package(loader, name, options.paths) for name in options.packages]
    loader.resolve_aliases(implicit=False, external=False)
    problems = [problem for root in roots for problem in _dropped_modules(loader, root)]
    selector = _Selector(options, problems)
    modules = [module for root in roots for module in selector.walk(root)]
    selector.assign_paths()
    if not any(module.objects for module in modules):
        names = ", ".join(options.packages)
        raise LoadError(
            f"no public classes or functions found in {names}: check the `include` and "
            f"`exclude` options and the packages' `__all__`"
        )
    return LoadedApi(modules=modules, problems=problems, roots=roots)


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
    except SyntaxError as error:
        raise LoadError(_syntax_message(error, name)) from error
    except griffe.AliasResolutionError:
        raise
    except griffe.LoadingError as error:
        if isinstance(error.__cause__, SyntaxError):  # Griffe wraps the parser's error
            raise LoadError(_syntax_message(error.__cause__, name)) from error
        raise LoadError(f"package '{name}' could not be loaded: {error}") from error
    except griffe.GriffeError as error:
        raise LoadError(f"package '{name}' could not be loaded: {error}") from error
    if not isinstance(module, griffe.Module):
        raise LoadError(f"'{name}' is not a package or module")
    return module


def _syntax_message(error: SyntaxError, name: str) -> str:
    where = f"{display_path(error.filename)}:{error.lineno}" if error.filename else name
    return f"{where}: package '{name}' could not be parsed: {error.msg}"


def _dropped_modules(loader: griffe.GriffeLoader, root: griffe.Module) -> Iterator[Problem]:
    """Report source files Griffe skipped: it only logs them at debug level."""
    if not root.is_package:
        return
    for parts, filepath in loader.finder.submodules(root):
        path = ".".join((root.path, *parts))
        try:
            root.modules_collection.get_member(path)
        except KeyError:
            yield _why_dropped(filepath, path)


def _why_dropped(filepath: Path, module_path: str) -> Problem:
    try:
        source = filepath.read_bytes()
        compile(source, str(filepath), "exec", dont_inherit=True)
    except SyntaxError as error:  # also covers bad encodings and null bytes
        lineno = error.lineno or 1
        return Problem(
            display_path(filepath), lineno, f"module '{module_path}' skipped: {error.msg}"
        )
    except (OSError, ValueError) as error:
        return Problem(display_path(filepath), 1, f"module '{module_path}' skipped: {error}")
    return Problem(
        display_path(filepath), 1, f"module '{module_path}' skipped: its package failed to load"
    )


class _Selector:
    """Walk public modules, collect candidate public paths, then pick one per object."""

    def __init__(self, options: LoadOptions, problems: list[Problem]) -> None:
        self.options = options
        self.problems = problems
        self.packages = set(options.packages)
        # canonical path -> [(public path, owning module)], in walk order
        self.candidates: dict[str, list[tuple[str, PublicModule]]] = {}
        self.targets: dict[str, Documentable] = {}
        self.import_paths: dict[str, list[str]] = {}
        self.seen_modules: set[str] = set()

    def walk(self, module: griffe.Module) -> Iterator[PublicModule]:
        if module.path in self.seen_modules:
            return  # `packages: [pkg, pkg.sub]`: `pkg.sub` was walked as part of `pkg`
        self.seen_modules.add(module.path)
        public = PublicModule(module)
        yield public
        exports = _exports(module)
        submodules = []
        for name, member in module.members.items():
            if member.is_alias:
                self._consider_alias(public, name, member, exports)  # type: ignore[arg-type]
            elif member.is_module:
                if not self._module_excluded(member.path):
                    submodules.append(member)
            elif isinstance(member, Documentable) and self._exported(name, exports):
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
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            if exports is not None and name in exports:
                self.problems.append(
                    Problem(
                        display_path(str(public.module.filepath)),
                        getattr(alias, "alias_lineno", None) or 1,
                        f"'{name}' is exported by '{public.path}' but its target "
                        f"'{alias.target_path}' does not exist",
                    )
                )
            return
        if not isinstance(target, Documentable) or target.parent is None:
            return
        if not target.parent.is_module:
            return  # a nested class or a method: documented inside its class
        if exports is None and not self._excluded(target.parent.path):
            # A plain import of something documented at its own module: not a second page,
            # but `from pkg import Name` works, so it may shorten the examples' import.
            if not name.startswith("_"):
                self.import_paths.setdefault(target.path, []).append(f"{public.path}.{name}")
            return
        if self._exported(name, exports):
            self._add(public, name, target)

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
            by_length = sorted(places, key=_shortest)
            home = next((p for p in places if p[0] == canonical), by_length[0])
            path, module = home
            imports = [place[0] for place in places] + self.import_paths.get(canonical, [])
            documented = PublicObject(
                public_path=path,
                module_path=module.path,
                import_path=min(imports, key=lambda path: (path.count("."), path)),
                obj=self.targets[canonical],
            )
            module.objects.append(documented)
            for other_path, other in places:
                if other is not module:
                    other.reexports.append((other_path.rsplit(".", 1)[-1], documented))


def _shortest(place: tuple[str, PublicModule]) -> tuple[int, str]:
    return place[0].count("."), place[0]


def _exports(module: griffe.Module) -> set[str] | None:
    exports = module.exports
    if exports is None:
        return None
    return {str(getattr(item, "name", item)) for item in exports}
