"""Cross-reference targets of the generated pages, and the Sphinx inventory listing them.

Every page, method section and index entry is known by its dotted path: the path an object is
documented under is its *primary* name; its other names (where it is defined, the shortest
import path, the re-exports an index page lists) lead to the same place. Frontends register
these with mkdocs-autorefs (`crossrefs`) and write `objects.inv` (Sphinx inventory version 2)
with `inventory_bytes`, so that other sites can link in with intersphinx or mkdocstrings'
`inventories`. No MkDocs here.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import griffe

from mkdocs_howto.analyze import method_sections
from mkdocs_howto.load import LoadedApi, PublicObject
from mkdocs_howto.pages import SitePlan

#: The four plain lines every Sphinx inventory (version 2) starts with.
_HEADER = (
    "# Sphinx inventory version 2\n"
    "# Project: {project}\n"
    "# Version: {version}\n"
    "# The remainder of this file is compressed using zlib.\n"
)
_COMPRESSED_LINE = "# The remainder of this file is compressed using zlib."


@dataclass(frozen=True)
class Target:
    """Where a dotted path is documented on the generated pages."""

    identifier: str
    uri: str
    """The page's source URI (`howto/mypkg/Obj.md`)."""
    anchor: str | None
    """The id of a method's section; None for the page itself (its title)."""
    role: str
    """Sphinx role: `py:module`, `py:class`, `py:function`, `py:method` or `py:property`."""
    primary: bool
    """The path the object is documented under; False for its other names."""
    heading: str
    """The text of the page's title (`Obj`, or the module path): its id when the page has no
    table of contents to read it from."""


def cross_ref_targets(api: LoadedApi, plan: SitePlan) -> tuple[Target, ...]:
    """Every documented path, primary names first: an object's other name never takes the
    place of another object's own."""
    found: dict[str, Target] = {}

    def add(target: Target) -> None:
        found.setdefault(target.identifier, target)

    for module in api.modules:
        uri = plan.index_pages[module.path]
        add(Target(module.path, uri, None, "py:module", True, module.path))
    for item in api.objects:
        for target in _object_targets(item, item.public_path, plan, primary=True):
            add(target)
    for item in api.objects:
        for path in (item.import_path, item.obj.path):
            for target in _object_targets(item, path, plan, primary=False):
                add(target)
    for module in api.modules:
        for name, obj in module.reexports:
            for target in _object_targets(obj, f"{module.path}.{name}", plan, primary=False):
                add(target)
    return tuple(found.values())


def _object_targets(
    item: PublicObject, path: str, plan: SitePlan, *, primary: bool
) -> Iterable[Target]:
    uri = plan.object_pages[item.public_path]
    obj = item.obj
    if not isinstance(obj, griffe.Class):
        yield Target(path, uri, None, "py:function", primary, item.name)
        return
    yield Target(path, uri, None, "py:class", primary, item.name)
    for name, anchor in method_sections(obj).items():
        role = "py:property" if "property" in obj.members[name].labels else "py:method"
        yield Target(f"{path}.{name}", uri, anchor, role, primary, item.name)


def inventory_bytes(
    targets: Iterable[Target],
    url_of: Callable[[str], str],
    project: str,
    version: str = "",
    others: bytes | None = None,
) -> bytes:
    """`objects.inv` listing each target under its primary name, at `url_of(page URI)`
    (relative to the inventory's folder) and its section.

    `others` is an inventory written there before (mkdocstrings'): its entries are kept and
    come first; a name and role both list is theirs (their API reference)."""
    lines = inventory_lines(others) if others else []
    taken = {tuple(line.split(" ", 2)[:2]) for line in lines}
    for target in targets:
        if not target.primary or (target.identifier, target.role) in taken:
            continue
        url = url_of(target.uri) + (f"#{target.anchor}" if target.anchor else "")
        priority = 0 if target.role == "py:module" else 1
        lines.append(f"{target.identifier} {target.role} {priority} {url} -")
    header = _HEADER.format(project=_one_line(project), version=_one_line(version))
    body = "".join(f"{line}\n" for line in lines)
    return header.encode() + zlib.compress(body.encode(), 9)


def inventory_lines(data: bytes) -> list[str]:
    """The entry lines of a Sphinx inventory (version 2), decompressed."""
    header_end = 0
    for _ in range(4):
        header_end = data.index(b"\n", header_end) + 1
    head = data[:header_end].decode("utf-8", "replace")
    if not head.startswith("# Sphinx inventory version 2") or _COMPRESSED_LINE not in head:
        raise ValueError("not a Sphinx inventory, version 2")
    body = zlib.decompress(data[header_end:]).decode("utf-8")
    return [line for line in body.splitlines() if line.strip()]


def _one_line(text: str) -> str:
    return " ".join(text.split())
