"""Keep the loaded tree between `serve` rebuilds and re-read only the files an edit changed.

A full load visits every module of the packages with Griffe: on a large package that is most
of a rebuild's time, while an edit usually touches one function's body. `TreeKeeper` keeps the
last `LoadedTree`, finds the files whose content changed (size and time first, then a hash),
visits only those again and puts each new module in its old one's place. It falls back to a
full load whenever a splice could leave the tree different from a fresh load's:

- a file was added or removed, or an `__init__.py` changed (exports, lazy imports);
- a changed file does not parse, failed before, or is not a module of the packages;
- a module's shape changed: its names, imports, exports, bases, decorators, signatures or
  attribute values (other modules' aliases, wildcard imports, inherited members and the
  dataclass `__init__` of their subclasses are built from these).

What stays for a splice is a change to docstrings, comments and function bodies: the new
module's own objects are fresh, and every alias that pointed into the old module is resolved
again. Pages from a splice equal a fresh load's (`tests/test_reload.py` checks random edit
sequences against fresh builds).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import griffe

from mkdocs_howto.cache import attached, file_stats
from mkdocs_howto.guards import type_checking_only, under_main_guard
from mkdocs_howto.load import (
    DYNAMIC_EXPORTS,
    Documentable,
    LoadedApi,
    LoadedTree,
    LoadOptions,
    PublicModule,
    PublicObject,
    load_tree,
    redundant_alias,
    select_api,
    walk_modules,
)
from mkdocs_howto.sources import release_griffe_memos

#: A module of the kept tree: a class, function or attribute's shape, or an alias' target.
Shape = tuple[object, ...]


@dataclass(frozen=True)
class FileState:
    """What a file was when it was last read: its size and time, and its content's hash."""

    size: int
    mtime_ns: int
    digest: str


class TreeKeeper:
    """The last load of one set of options, brought up to date at each `load`."""

    def __init__(self) -> None:
        self.tree: LoadedTree | None = None
        self.options: LoadOptions | None = None
        self.keep_trees = True
        self.files: dict[Path, FileState] = {}
        self.modules: dict[Path, griffe.Module] = {}
        """File -> the module read from it (the packages' own modules, not siblings')."""
        self.reread = 0
        """Modules read by the last `load` (all of them on a full load)."""
        self.full_reason = ""
        """Why the last `load` read everything ("" after a splice)."""
        self.api: LoadedApi | None = None
        self.reselect = True
        """Whether the next `load` must select the public API again: after a full load, or
        when a re-read module's facts that the selection reads (guards, lines) changed."""

    def load(self, options: LoadOptions, *, keep_trees: bool = True) -> LoadedApi:
        """The public API of `options`' packages as they are on disk now."""
        tree = self._updated(options, keep_trees)
        if self.api is None or self.reselect:
            self.api = select_api(options, tree)
        else:  # the same selection: only a re-read module's objects are new
            self.api = _refreshed(self.api, tree.loader.modules_collection)
        self.reselect = False
        return self.api

    def note(self) -> str:
        """What the last `load` read, for the build's summary line."""
        if self.full_reason:
            return f"{self.reread} modules read ({self.full_reason})"
        return f"{self.reread} module{'' if self.reread == 1 else 's'} re-read"

    # -------------------------------------------------------------------------- internals

    def _updated(self, options: LoadOptions, keep_trees: bool) -> LoadedTree:
        if self.tree is None or options != self.options or keep_trees != self.keep_trees:
            first = "first load" if not self.reread else "the last load failed"
            return self._full(options, keep_trees, first if self.tree is None else "")
        now = _scan(self.tree.source_dirs())
        if now.keys() != self.files.keys():
            return self._full(options, keep_trees, "a file was added or removed")
        changed = [path for path in now if self._changed(path, now[path])]
        # a file Griffe never read (a folder without `__init__.py`, tests) changes nothing
        read = self.tree.loader.lines_collection
        changed = [path for path in changed if path in read or path in self.tree.loader.failures]
        for path in changed:
            reason = self._why_not_spliced(path)
            if reason:
                return self._full(options, keep_trees, reason)
        if changed and not self._splice(changed):
            return self._full(options, keep_trees, "a changed module's names or signatures")
        self.reread, self.full_reason = len(changed), ""
        return self.tree

    def _full(self, options: LoadOptions, keep_trees: bool, reason: str) -> LoadedTree:
        # a failed load leaves nothing kept: the next rebuild loads in full again
        self.tree, self.options, self.files, self.modules = None, None, {}, {}
        self.api, self.reselect = None, True
        tree = load_tree(options, keep_trees=keep_trees)
        self.tree, self.options, self.keep_trees = tree, options, keep_trees
        self.modules = {
            module.filepath: module
            for root in tree.roots
            for module in walk_modules(root)
            if isinstance(module.filepath, Path)
        }
        # hashes are taken when a file's size or time first changes: a full load reads none
        self.files = {
            path: FileState(stat.st_size, stat.st_mtime_ns, "")
            for path, stat in _scan(tree.source_dirs()).items()
        }
        self.reread = len(tree.loader.lines_collection.keys())
        self.full_reason = reason or "options changed"
        return tree

    def _changed(self, path: Path, stat: os.stat_result) -> bool:
        """True when the file's content changed (a save that rewrote the same bytes is not a
        change: its new size and time are kept). Unknown content (no hash taken yet) counts
        as changed: reading one module again costs little."""
        old = self.files[path]
        if (stat.st_size, stat.st_mtime_ns) == (old.size, old.mtime_ns):
            return False
        new = _state(path, stat)
        self.files[path] = new
        return not old.digest or new.digest != old.digest

    def _why_not_spliced(self, path: Path) -> str:
        assert self.tree is not None
        module = self.modules.get(path)
        if path.name == "__init__.py":
            return f"{path.name} of a package changed"
        if module is None or not isinstance(module.parent, griffe.Module):
            return "a changed file is no module of the packages"
        if path in self.tree.loader.failures:
            return "a module that failed to load changed"
        return ""

    def _splice(self, paths: Iterable[Path]) -> bool:
        """Read each file again and put its module in place of the old one; False (the tree
        is then discarded) when a module's shape changed or it no longer parses."""
        assert self.tree is not None
        loader = self.tree.loader
        spliced: list[str] = []
        try:
            for path in paths:
                old = self.modules[path]
                parent = old.parent
                assert isinstance(parent, griffe.Module)
                # read before the visit: the old module's lines are then the file's new ones
                old_facts = _selection_facts(old)
                try:
                    # Griffe has no public call to visit one module into a loaded tree
                    new = loader._visit_module(old.name, path, parent)
                except (SyntaxError, OSError, ValueError):
                    return False
                loader.expand_exports(new)
                loader.expand_wildcards(new, external=False)
                # what Griffe's load does for a package: the dataclass `__init__`, …
                loader.extensions.call("on_package", pkg=new, loader=loader)
                if _shape(new) != _shape(old):
                    return False
                self.reselect |= _selection_facts(new) != old_facts
                parent.set_member(old.name, new)
                self.modules[path] = new
                spliced.append(new.path)
            _forget_targets(self._all_modules(), tuple(spliced))
            loader.resolve_aliases(implicit=False, external=False)
        finally:
            release_griffe_memos()
        return True

    def _all_modules(self) -> Iterator[griffe.Module]:
        assert self.tree is not None
        for top in self.tree.loader.modules_collection.members.values():
            if isinstance(top, griffe.Module):
                yield from walk_modules(top)


def _selection_facts(module: griffe.Module) -> tuple[object, ...]:
    """What `select_api` reads of a module besides its shape: which names are imported
    for type checkers only or defined under a `__main__` guard, the lines of its imports and
    of `__all__` (problems name them), `X as X` re-exports, names made at run time."""
    facts: list[object] = []
    for name, member in sorted(module.members.items()):
        if isinstance(member, griffe.Alias):
            facts.append(
                (
                    name,
                    member.alias_lineno,
                    member.alias_endlineno,
                    type_checking_only(module, member),
                    under_main_guard(module, member),
                    redundant_alias(module, member, name),
                )
            )
        elif isinstance(member, Documentable):
            facts.append((name, under_main_guard(module, member)))
    declared = module.members.get("__all__")
    dynamic = any(marker in line for line in module.lines for marker in DYNAMIC_EXPORTS)
    facts.append((declared.lineno if declared is not None else None, dynamic))
    return tuple(facts)


def _refreshed(api: LoadedApi, collection: griffe.ModulesCollection) -> LoadedApi:
    """The last selection again, with the objects now at its paths: those of a re-read
    module are new objects (the old ones are detached from the tree)."""
    items: dict[int, PublicObject] = {}

    def current(item: PublicObject) -> PublicObject:
        new = items.get(id(item))
        if new is None:
            obj = item.obj if attached(item.obj) else collection.get_member(item.obj.path)
            new = items[id(item)] = item if obj is item.obj else replace(item, obj=obj)
        return new

    modules = [
        PublicModule(
            module.module if attached(module.module) else collection.get_member(module.path),
            [current(item) for item in module.objects],
            [(name, current(item)) for name, item in module.reexports],
            list(module.submodules),
        )
        for module in api.modules
    ]
    return replace(api, modules=modules, problems=list(api.problems), derived=api.derived)


def _scan(folders: Iterable[Path]) -> dict[Path, os.stat_result]:
    """Every Python file under `folders` (or the file itself) with its `stat`."""
    return file_stats(folders, ("*.py", "*.pyi"))


def _state(path: Path, stat: os.stat_result) -> FileState:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = ""
    return FileState(stat.st_size, stat.st_mtime_ns, digest)


def _forget_targets(modules: Iterable[griffe.Module], prefixes: tuple[str, ...]) -> None:
    """Aliases that point into the spliced modules resolve again, to their new objects."""
    inside = tuple(f"{prefix}." for prefix in prefixes)
    for module in modules:
        for alias in _aliases(module):
            if alias.target_path in prefixes or alias.target_path.startswith(inside):
                alias._target = None  # resolved again on next use (Griffe: lazy `target`)


def _aliases(obj: griffe.Object) -> Iterator[griffe.Alias]:
    for member in obj.members.values():
        if isinstance(member, griffe.Alias):
            yield member
        elif isinstance(member, griffe.Class):
            yield from _aliases(member)


def _shape(obj: griffe.Object | griffe.Alias) -> Shape:
    """What other modules can see of `obj`: names, kinds, imports, exports, bases,
    decorators, signatures and values; not docstrings, comments, bodies or line numbers."""
    if isinstance(obj, griffe.Alias):
        return ("alias", obj.target_path)
    parts: list[object] = [obj.kind.value, tuple(sorted(obj.labels))]
    if isinstance(obj, griffe.Module):
        parts += [tuple(sorted(obj.imports.items())), _texts(obj.exports or ())]
    if isinstance(obj, griffe.Class):
        parts += [_texts(obj.bases), _texts(d.value for d in obj.decorators)]
    if isinstance(obj, griffe.Function):
        parts += [
            _texts(d.value for d in obj.decorators),
            _text(obj.returns),
            tuple(
                (p.name, p.kind.value, _text(p.annotation), _text(p.default))
                for p in obj.parameters
            ),
        ]
    if isinstance(obj, griffe.Attribute):
        parts += [_text(obj.annotation), _text(obj.value)]
    if not isinstance(obj, griffe.Function):  # a function's locals are not members
        parts.append(tuple(sorted((name, _shape(m)) for name, m in obj.members.items())))
    return tuple(parts)


def _text(value: object) -> str:
    return str(value) if value is not None else ""


def _texts(values: Iterable[object]) -> tuple[str, ...]:
    # each as its source text: a list's repr would show the nodes' parents and line numbers
    return tuple(_text(value) for value in values)
