"""Where each page goes: source URIs, unique on case-insensitive file systems, and the nav.

Pure functions over the loaded API; the plugin turns the result into MkDocs files and nav.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import griffe

from mkdocs_howto.load import LoadedApi, PublicModule, PublicObject

if TYPE_CHECKING:  # `inventory` reads the plan: a type only
    from mkdocs_howto.inventory import Target

NavItem = Any  # str | dict[str, list[NavItem] | str], as in `mkdocs.yml`'s `nav:`
NAV_DEPTHS = ("auto", "objects", "modules")
"""`objects`: every object page in the sidebar; `modules`: only module index pages, which
link to their objects (a much smaller nav: Material renders it into every page); `auto`:
`objects` up to `AUTO_NAV_OBJECTS` objects, `modules` above."""
#: Above this many documented objects, `auto` lists only the modules. Measured (bench/run.py,
#: section e, generated package): with every object in the sidebar a full build takes 1.15x
#: the modules-only one at 100 objects, 1.29x at 200 and 1.74x at 400 (Material writes the
#: whole nav into every page: pages x nav entries); it passes 1.2x at about 150.
AUTO_NAV_OBJECTS = 150


def nav_depth_for(nav_depth: str, objects: int) -> str:
    """The depth `auto` stands for with this many objects; other values as they are."""
    if nav_depth != "auto":
        return nav_depth
    return "objects" if objects <= AUTO_NAV_OBJECTS else "modules"


@dataclass
class SitePlan:
    """The URI of every generated page and the nav section that lists them."""

    object_pages: dict[str, str] = field(default_factory=dict)
    """Public path -> src URI of its page."""
    index_pages: dict[str, str] = field(default_factory=dict)
    """Module path -> src URI of its index page."""
    nav: list[NavItem] = field(default_factory=list)
    nav_depth: str = "objects"
    """What the sidebar lists: `objects` or `modules` (what `auto` chose)."""
    targets: tuple[Target, ...] = ()
    """Every documented dotted path and where it leads, for cross-references
    (`inventory.cross_ref_targets`)."""


def plan_site(api: LoadedApi, output_dir: str, nav_depth: str = "auto") -> SitePlan:
    if nav_depth not in NAV_DEPTHS:
        raise ValueError(f"nav_depth must be one of {NAV_DEPTHS}, not {nav_depth!r}")
    objects = sum(len(module.objects) for module in api.modules)
    plan = SitePlan(nav_depth=nav_depth_for(nav_depth, objects))
    children: dict[str, list[PublicModule]] = defaultdict(list)
    folders = _module_folders(api, output_dir)
    for module in api.modules:
        plan.index_pages[module.path] = f"{folders[module.path]}/index.md"
        parent = module.path.rpartition(".")[0]
        children[parent].append(module)
    for module in api.modules:
        subfolders = (folders[sub] for sub in module.submodules if sub in folders)
        reserved = {"index"} | {posixpath.basename(sub).casefold() for sub in subfolders}
        folder = posixpath.dirname(plan.index_pages[module.path])
        for obj, slug in _unique_slugs(module.objects, reserved):
            plan.object_pages[obj.public_path] = f"{folder}/{slug}.md"
            _check_inside(plan.object_pages[obj.public_path], output_dir)
    roots = [
        module
        for module in api.modules
        if "." not in module.path or module.path.rpartition(".")[0] not in plan.index_pages
    ]
    with_objects = plan.nav_depth == "objects"
    plan.nav = [_nav_section(module, children, plan, with_objects) for module in roots]
    return plan


#: File names Windows refuses whatever the extension (`con.md`, `aux/`).
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)]
)
#: Bytes of a name kept in a file name: well under the 255 of common file systems, with room
#: for a suffix (`-function-2`), `.md` and MkDocs' `index.html`.
MAX_NAME_BYTES = 100
_NOT_FILENAME = re.compile(r"[^\w-]")


def safe_name(name: str) -> str:
    """`name` as one file-name component that is the same on every file system.

    Identifiers are kept as they are; a name made unsafe by its length, a character outside
    letters, digits, `_` and `-` (module names come from file names), or a Windows device name
    is shortened or changed and gets a stable hash of the original, so names stay distinct.
    """
    slug = _NOT_FILENAME.sub("_", name) or "_"
    if slug != name or len(slug.encode("utf-8")) > MAX_NAME_BYTES:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        keep = slug.encode("utf-8")[: MAX_NAME_BYTES - len(digest) - 1].decode("utf-8", "ignore")
        slug = f"{keep}-{digest}"
    return f"{slug}_" if slug.casefold() in _WINDOWS_RESERVED else slug


def _module_folders(api: LoadedApi, output_dir: str) -> dict[str, str]:
    """Module path -> its folder, distinct from its siblings when case is ignored (`Index`
    and `index` would share a folder on macOS and Windows)."""
    folders: dict[str, str] = {}
    taken: dict[str, set[str]] = defaultdict(set)
    for module in api.modules:  # parents come before their submodules
        parent, _, leaf = module.path.rpartition(".")
        base = folders.get(parent) or posixpath.join(
            output_dir, *(safe_name(part) for part in parent.split(".") if part)
        )
        folder = _unique(safe_name(leaf), taken[base])
        folders[module.path] = f"{base}/{folder}"
    for folder in folders.values():
        _check_inside(folder, output_dir)
    return folders


def _unique(slug: str, taken: set[str]) -> str:
    base, counter = slug, 2
    while slug.casefold() in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    taken.add(slug.casefold())
    return slug


def _check_inside(uri: str, output_dir: str) -> None:
    """No name can make a page leave `output_dir` (`safe_name` keeps only `\\w` and `-`)."""
    parts = uri.split("/")
    inside = uri.startswith(f"{output_dir}/") and not {"", ".", ".."} & set(parts)
    if not inside or "\\" in uri or ":" in uri:
        raise AssertionError(f"generated page path {uri!r} is not inside {output_dir!r}")


def _unique_slugs(
    objects: Iterable[PublicObject], reserved: set[str]
) -> list[tuple[PublicObject, str]]:
    """A file name per object, distinct from its siblings when case is ignored.

    `Option` and `option` in one module would overwrite each other on macOS and Windows, and an
    object named `index` would replace the module's index page: both get a kind suffix.
    """
    objects = list(objects)
    groups: dict[str, int] = defaultdict(int)
    for obj in objects:
        groups[obj.name.casefold()] += 1
    taken = set(reserved)
    result = []
    for obj in objects:
        slug = safe_name(obj.name)
        if groups[obj.name.casefold()] > 1 or slug.casefold() in reserved:
            kind = "class" if isinstance(obj.obj, griffe.Class) else "function"
            slug = f"{slug}-{kind}"
        result.append((obj, _unique(slug, taken)))
    return result


def _nav_section(
    module: PublicModule,
    children: dict[str, list[PublicModule]],
    plan: SitePlan,
    with_objects: bool,
) -> NavItem:
    items: list[NavItem] = [plan.index_pages[module.path]]
    if with_objects:
        items += [{obj.name: plan.object_pages[obj.public_path]} for obj in module.objects]
    items += [_nav_section(sub, children, plan, with_objects) for sub in children[module.path]]
    return {module.path: items}


def merge_nav(
    user_nav: list[NavItem] | None,
    others: list[NavItem],
    section: list[NavItem],
    output_dir: str,
    title: str,
) -> list[NavItem]:
    """The site's nav with the how-to section in it.

    Without a user nav: the other pages as MkDocs would lay them out, then the section. With
    one: an entry naming `output_dir` (`howto/` or `Guides: howto/`) is replaced by the section;
    a nav that already lists pages under `output_dir` is the user's choice and left alone;
    otherwise the section is appended.
    """
    if user_nav is None:
        return [*others, {title: section}]
    replaced, found = _replace_dir_entry(user_nav, output_dir, title, section)
    if found:
        return replaced
    if _mentions(user_nav, output_dir):
        return user_nav
    return [*user_nav, {title: section}]


def nav_uris(items: list[NavItem] | None) -> set[str]:
    """Every page a nav lists (`mkdocs.yml` shape): generated pages it leaves out are marked
    not-in-nav, so MkDocs does not list each of them at INFO on every build."""
    found: set[str] = set()
    for item in items or []:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, list):
                found |= nav_uris(value)
    return found


def _is_dir_entry(value: object, output_dir: str) -> bool:
    return isinstance(value, str) and value.strip("/") == output_dir.strip("/")


def _replace_dir_entry(
    items: list[NavItem], output_dir: str, title: str, section: list[NavItem]
) -> tuple[list[NavItem], bool]:
    result: list[NavItem] = []
    found = False
    for item in items:
        if _is_dir_entry(item, output_dir):
            result.append({title: section})
            found = True
        elif isinstance(item, dict):
            new = {}
            for key, value in item.items():
                if _is_dir_entry(value, output_dir):
                    new[key], found = section, True
                elif isinstance(value, list):
                    new[key], inner = _replace_dir_entry(value, output_dir, title, section)
                    found |= inner
                else:
                    new[key] = value
            result.append(new)
        else:
            result.append(item)
    return result, found


def _mentions(items: list[NavItem], output_dir: str) -> bool:
    prefix = output_dir.strip("/") + "/"
    for item in items:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, str) and value.startswith(prefix):
                return True
            if isinstance(value, list) and _mentions(value, output_dir):
                return True
    return False


def relative_link(from_uri: str, to_uri: str) -> str:
    """A Markdown link from one page source to another; MkDocs resolves and checks it."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri))


@dataclass(frozen=True)
class PageLinks:
    """Where a dotted path is documented: its page URI, with a method's anchor.

    Public, canonical and re-export paths of every documented object, its methods (their
    section on the class page) and other members (the class page), and modules (their index
    page). Used to link what docstrings and steps name; no MkDocs, no Markdown.
    """

    targets: dict[str, str]
    """Dotted path -> `uri` or `uri#anchor`."""
    by_name: dict[str, list[str]]
    """Last component -> the paths ending with it (for Sphinx-like suffix search)."""

    def find(self, candidates: Iterable[str]) -> str | None:
        """The target of the first candidate path that is documented; else of the only
        documented path ending with the first candidate (`Request` -> `pkg.models.Request`)."""
        candidates = list(candidates)
        for path in candidates:
            if path in self.targets:
                return self.targets[path]
        if not candidates:
            return None
        name = candidates[0]
        suffix = "." + name
        found = {
            self.targets[path]
            for path in self.by_name.get(name.rsplit(".", 1)[-1], ())
            if path.endswith(suffix)
        }
        return found.pop() if len(found) == 1 else None

    def link(self, from_uri: str, target: str) -> str:
        """A relative Markdown link from the page `from_uri` to `target` (`uri#anchor`)."""
        uri, _, anchor = target.partition("#")
        return relative_link(from_uri, uri) + (f"#{anchor}" if anchor else "")


def page_links(
    api: LoadedApi, plan: SitePlan, anchors: Callable[[griffe.Class], dict[str, str]]
) -> PageLinks:
    """`anchors(cls)`: method name -> its anchor on the class page (the analyzer's choice)."""
    targets: dict[str, str] = {}
    for module in api.modules:
        targets.setdefault(module.path, plan.index_pages[module.path])
    for item in api.objects:
        uri = plan.object_pages[item.public_path]
        paths = dict.fromkeys((item.public_path, item.import_path, item.obj.path))
        for path in paths:
            targets.setdefault(path, uri)
        if isinstance(item.obj, griffe.Class):
            methods = anchors(item.obj)
            for name in item.obj.members:
                target = f"{uri}#{methods[name]}" if name in methods else uri
                for path in paths:
                    targets.setdefault(f"{path}.{name}", target)
    for module in api.modules:
        for name, obj in module.reexports:
            targets.setdefault(f"{module.path}.{name}", plan.object_pages[obj.public_path])
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in targets:
        by_name[path.rsplit(".", 1)[-1]].append(path)
    return PageLinks(targets, dict(by_name))


_LINK_TARGET = re.compile(r"\]\((?P<target>[^()\s]+)\)")


def rebase_links(markdown: str, from_uri: str, to_uri: str) -> str:
    """Markdown written for the page `from_uri`, its relative links made right for `to_uri`
    (an object's summary shown on a module's index page)."""
    if posixpath.dirname(from_uri) == posixpath.dirname(to_uri):
        return markdown

    def rebase(match: re.Match[str]) -> str:
        target = match.group("target")
        if ":" in target or target.startswith("/"):
            return match.group(0)
        path, _, anchor = target.partition("#")
        absolute = posixpath.normpath(
            posixpath.join(posixpath.dirname(from_uri), path or posixpath.basename(from_uri))
        )
        return f"]({relative_link(to_uri, absolute)}{'#' + anchor if anchor else ''})"

    return _LINK_TARGET.sub(rebase, markdown)
