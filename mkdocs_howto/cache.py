"""A per-object cache of analysis and rendered Markdown, so `serve` rebuilds only what changed.

An object's page is reused when its key is unchanged. The key covers everything the page is
made of, as far as the analyzers read it:

- the object's own source text, docstring, file and line numbers (line links move when code
  above is edited), its public, module and import paths;
- for a class, the source of every class in its MRO that is loaded (inherited members,
  dataclass fields);
- the *context*: the plugin's options, the plugin's code and templates, the user's template
  folders, and the API surface (every loaded name and alias target, every public path):
  adding, removing or renaming any name anywhere re-analyzes every page. Correctness over
  speed: editing a body is cheap, renaming is not.

Examples are checked against the whole API through a lookup (dotted path → answer). A
`Recorder` notes the paths each page looked up and the identity of what they named (source,
lines, members); a cached page is reused only while those are unchanged, so editing a
function re-checks the examples that call it. Identities, not answers: re-checking is then a
few dictionary reads, however costly the lookup.
The values a generated example passes are read outside the object too (`analyze/values.py`):
the module constants and the functions they came from are recorded like lookups, and the
package's call sites of the object as `calls:<callee>` (identity: the literal arguments of
every such call in the load), so a new or edited call site re-analyzes the page.
An analyzer that starts reading something else outside the object must add it here.
Nothing here imports MkDocs; `generate` uses it and the plugin keeps one across rebuilds.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache, lru_cache
from pathlib import Path
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary, ref

import griffe

from mkdocs_howto import __version__
from mkdocs_howto.errors import display_path
from mkdocs_howto.facts import HowTo
from mkdocs_howto.load import LoadedApi, PublicObject

PACKAGE = Path(__file__).parent
CACHE_FILE = "mkdocs-howto.pickle"
_FORMAT = 1
T = TypeVar("T")
Dependencies = tuple[tuple[str, str], ...]
_GRIFFE_ERRORS = (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError)


@dataclass(frozen=True)
class CachedPage:
    """What one object contributes to the site: its facts (index pages, stats) and Markdown."""

    howto: HowTo
    markdown: str
    lookups: Dependencies = ()
    """The paths its analysis looked up, with the identity of what each named."""
    warnings: tuple[str, ...] = ()
    """Griffe's warnings while analyzing it (docstring sections…): replayed on a cache hit,
    so a rebuild served from the cache fails `--strict` exactly as the first build did."""


class Recorder(Generic[T]):
    """Wraps the analyzers' API lookup to note what one page looked up, and re-check it."""

    def __init__(self, lookup: Callable[[str], T], identify: Callable[[str], str]) -> None:
        self.lookup = lookup
        self.identify = identify
        self.seen: set[str] = set()

    def __call__(self, path: str) -> T:
        self.seen.add(path)
        return self.lookup(path)

    def take(self) -> Dependencies:
        """The lookups since the last call, with identities; then start afresh."""
        seen, self.seen = self.seen, set()
        return tuple((path, self.identify(path)) for path in sorted(seen))

    def still_valid(self, page: CachedPage) -> bool:
        """Whether everything the page looked up is still what it was."""
        return all(self.identify(path) == identity for path, identity in page.lookups)


def identifier(collection: griffe.ModulesCollection) -> Callable[[str], str]:
    """`identify(path)`: a digest of what `path` names in this build's tree (memoized).

    Across `serve` rebuilds of a kept tree, a path's identity is kept with the objects it
    was taken from, and holds while they are all still in the tree: the kept tree puts a
    re-read module in place of the old one (whose objects are then detached) only when its
    names, imports and bases are the same, so a path that led to an attached object still
    leads there."""
    kept = _KEPT_IDENTITIES.setdefault(collection, {})

    @cache
    def identify(path: str) -> str:
        known = kept.get(path)
        if known is not None and _all_attached(known[1]):
            return known[0]
        try:
            obj = collection.get_member(path)
            target = obj.final_target if obj.is_alias else obj
        except _GRIFFE_ERRORS:
            return "missing"
        if isinstance(target, griffe.Module):
            # What a module answers is its names, not its code: a body edit keeps it valid.
            identity = digest(target.path, *sorted(_member_kinds(target)))
            kept[path] = (identity, (ref(target),))
            return identity
        related = _mro(target) if isinstance(target, griffe.Class) else []
        identity = digest(*(_identity(each) for each in (target, *related)))
        kept[path] = (identity, tuple(ref(each) for each in (target, *related)))
        return identity

    return identify


#: Weak references: a kept object must not keep its tree (and through it this key) alive.
_KEPT_IDENTITIES: WeakKeyDictionary[
    griffe.ModulesCollection, dict[str, tuple[str, tuple[ref[griffe.Object], ...]]]
] = WeakKeyDictionary()


def _all_attached(objects: Iterable[ref[griffe.Object]]) -> bool:
    for each in objects:
        obj = each()
        if obj is None or not attached(obj):
            return False
    return True


def attached(obj: griffe.Object) -> bool:
    """Whether `obj` is still in its tree: each parent still holds it under its name."""
    parent = obj.parent
    while parent is not None:
        if parent.members.get(obj.name) is not obj:
            return False
        obj, parent = parent, parent.parent
    return True


def _member_kinds(module: griffe.Module) -> Iterator[str]:
    for name, member in module.members.items():
        kind = f"-> {member.target_path}" if member.is_alias else member.kind.value  # type: ignore[union-attr]
        yield f"{name} {kind}"


def digest(*parts: object) -> str:
    """A stable hash of the parts' text forms."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(str(part).encode("utf-8", "surrogatepass"))
        sha.update(b"\0")
    return sha.hexdigest()


def files_fingerprint(folders: Iterable[Path], pattern: str = "*") -> str:
    """Name, size and modification time of every file below `folders` (cheap: no reads)."""
    entries = []
    for folder in folders:
        for path, stat in sorted(file_stats([folder], (pattern,)).items()):
            entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return digest(*entries)


def file_stats(folders: Iterable[Path], patterns: tuple[str, ...]) -> dict[Path, os.stat_result]:
    """Every file below `folders` whose name matches one of `patterns` (a folder that is a
    file: itself), with its `stat`; `__pycache__` folders are not entered."""
    found: dict[Path, os.stat_result] = {}
    for folder in folders:
        if folder.is_file():
            found[folder] = folder.stat()
            continue
        for directory, subdirs, files in os.walk(folder):
            subdirs[:] = [name for name in subdirs if name != "__pycache__"]
            for name in files:
                if any(fnmatchcase(name, pattern) for pattern in patterns):
                    path = Path(directory, name)
                    try:
                        found[path] = path.stat()
                    except OSError:  # removed while walking, or a broken link
                        continue
    return found


@lru_cache(maxsize=1)
def plugin_fingerprint() -> str:
    """The plugin's version and files: an on-disk cache never outlives a code change."""
    return digest(__version__, files_fingerprint([PACKAGE]))


def api_surface(api: LoadedApi) -> str:
    """Every loaded name (with alias targets and exports) and every public path."""
    names = sorted(_names(root) for root in [*api.roots, *api.siblings])
    public = sorted(
        (item.public_path, item.module_path, item.import_path, item.obj.path)
        for item in api.objects
    )
    return digest(*names, *public)


def _names(root: griffe.Module) -> str:
    """Every name below `root`, kept for as long as the root lives: `serve`'s kept tree
    (`reload`) replaces a module only by one of the same names, kinds, alias targets and
    exports, and loads everything anew (new roots) otherwise."""
    names = _NAMES.get(root)
    if names is None:
        names = _NAMES[root] = "\n".join(_walk(root))
    return names


_NAMES: WeakKeyDictionary[griffe.Module, str] = WeakKeyDictionary()


def _walk(obj: griffe.Object | griffe.Alias) -> Iterator[str]:
    if obj.is_alias:
        yield f"{obj.path} -> {obj.target_path}"  # type: ignore[union-attr]
        return
    exports = getattr(obj, "exports", None)
    yield f"{obj.path} {obj.kind.value} {sorted(map(str, exports or ()))}"
    for member in obj.members.values():
        yield from _walk(member)


def object_key(item: PublicObject, context: str) -> str:
    """The cache key of one object's page (see the module docstring for what it covers)."""
    obj = item.obj
    related = _mro(obj) if isinstance(obj, griffe.Class) else []
    return digest(
        context,
        item.public_path,
        item.module_path,
        item.import_path,
        *(_identity(each) for each in (obj, *related)),
    )


def _identity(obj: griffe.Object) -> str:
    # a string: `Path.cwd()` costs 8 µs, 0.25 s of a sqlalchemy rebuild's 30,000 identities
    cwd = os.getcwd()  # noqa: PTH109
    known = _IDENTITIES.get(obj)
    if known is not None and known[0] == cwd:
        return known[1]
    where = _where(str(obj.filepath), cwd)
    docstring = obj.docstring.value if obj.docstring else ""
    identity = digest(obj.path, where, obj.lineno, obj.endlineno, _source(obj), docstring)
    _IDENTITIES[obj] = (cwd, identity)
    return identity


#: Each loaded object's identity, for as long as the object lives: what it is made of never
#: changes once Griffe visited its file (an edit is visited into new objects), and `serve`
#: keeps the tree between rebuilds (`reload`), so unchanged objects are not digested again.
_IDENTITIES: WeakKeyDictionary[griffe.Object, tuple[str, str]] = WeakKeyDictionary()


@lru_cache(maxsize=4096)
def _where(filepath: str, cwd: str) -> str:
    """The file as pages show it (relative to the working folder): resolving paths is slow."""
    return display_path(filepath)


def _source(obj: griffe.Object) -> str:
    try:
        return obj.source
    except (OSError, ValueError):
        return ""


def _mro(cls: griffe.Class) -> list[griffe.Object]:
    """The class's bases in resolution order, as objects of the current tree.

    Griffe computes the order anew on every call (C3 over every base: 1.5 s per rebuild on
    sqlalchemy's class hierarchy), so it is kept for as long as the class lives. A kept tree
    changes no class's bases (`reload` loads in full when bases change), so the paths stay
    right; they are looked up again when a base's module was replaced by an edit."""
    kept = _MROS.get(cls)
    if kept is not None and _all_attached(kept[1]):
        return [base for base in (each() for each in kept[1]) if base is not None]
    if kept is not None:  # a base's module was re-read: its new objects, by path
        collection = cls.modules_collection
        try:
            found = [collection.get_member(path) for path in kept[0]]
        except _GRIFFE_ERRORS:
            found = _mro_now(cls)
    else:
        found = _mro_now(cls)
    _MROS[cls] = (tuple(base.path for base in found), tuple(ref(base) for base in found))
    return found


def _mro_now(cls: griffe.Class) -> list[griffe.Object]:
    try:
        return list(cls.mro())
    except (ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return []  # bases outside the loaded packages: nothing of theirs is read


#: Paths and weak references: a base must not keep its tree (and this key) alive.
_MROS: WeakKeyDictionary[griffe.Class, tuple[tuple[str, ...], tuple[ref[griffe.Object], ...]]] = (
    WeakKeyDictionary()
)


@dataclass
class PageCache:
    """Pages by key. Only the entries used by the last build are kept (memory stays bounded)."""

    entries: dict[str, CachedPage] = field(default_factory=dict)
    used: dict[str, CachedPage] = field(default_factory=dict)
    changed: bool = False
    """Whether the entries differ from what was last loaded or saved."""
    indexes: dict[str, str] = field(default_factory=dict)
    """Module index pages' Markdown by `index_key`: kept in memory, across `serve` rebuilds
    (rendering them again costs more than a one-function edit's page on a big package)."""
    indexes_used: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> CachedPage | None:
        page = self.entries.get(key)
        if page is not None:
            self.used[key] = page
        return page

    def put(self, key: str, page: CachedPage) -> None:
        self.used[key] = page
        self.changed = True

    def get_index(self, key: str) -> str | None:
        return self.indexes.get(key)

    def put_index(self, key: str, markdown: str) -> None:
        self.indexes_used[key] = markdown

    def start_build(self) -> None:
        """Drop what a failed build marked as used: `finish_build` keeps only this build's."""
        self.used, self.indexes_used = {}, {}

    def finish_build(self) -> None:
        """Forget entries the build did not use (edited objects' old versions)."""
        self.changed = self.changed or len(self.entries) != len(self.used)
        self.entries, self.used = self.used, {}
        self.indexes, self.indexes_used = self.indexes_used, {}

    def load(self, folder: Path) -> str | None:
        """Read the on-disk cache; returns a warning when the file is unusable."""
        path = folder / CACHE_FILE
        if folder.is_dir():
            _remove_stale_temporaries(folder)
        if not path.is_file():
            return None
        try:
            with path.open("rb") as stream:
                data = pickle.load(stream)
            if data["format"] != _FORMAT or data["plugin"] != plugin_fingerprint():
                return None  # another plugin version wrote it: start afresh, silently
            entries = data["entries"]
            if not all(isinstance(page, CachedPage) for page in entries.values()):
                raise TypeError("unexpected entry type")
        except (OSError, EOFError, pickle.UnpicklingError, KeyError, TypeError, ValueError,
                AttributeError, ImportError, IndexError) as error:  # fmt: skip
            return f"{path}: cache file is unreadable ({error!r}); rebuilding it"
        self.entries.update(entries)
        return None

    def save(self, folder: Path) -> None:
        """Write the entries atomically: a temporary file in the same folder, then a rename."""
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(folder)
        data = {"format": _FORMAT, "plugin": plugin_fingerprint(), "entries": self.entries}
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".howto-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
            Path(temporary).replace(folder / CACHE_FILE)  # os.replace: atomic on one volume
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.changed = False


_STALE_SECONDS = 600


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of builds killed while saving; recent ones may be another build's."""
    now = time.time()
    for path in folder.glob(".howto-*.tmp"):
        try:
            if now - path.stat().st_mtime > _STALE_SECONDS:
                path.unlink()
        except OSError:
            pass  # removed meanwhile by another build: nothing to do
