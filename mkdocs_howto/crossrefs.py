"""Cross-references into the generated pages: their targets registered with mkdocs-autorefs,
and the site's `objects.inv`.

The plugin hands over what MkDocs made (its autorefs plugin, each page's object); they are
only used through the few attributes named below, so nothing here imports MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, cast

from markdown.extensions.toc import slugify

from mkdocs_howto.inventory import Target, inventory_bytes

#: The inventory's name, at the root of the built site, where intersphinx looks for it.
INVENTORY = "objects.inv"


class Heading(Protocol):
    @property
    def id(self) -> str: ...


class PageLike(Protocol):
    """What is read of an MkDocs `Page`."""

    @property
    def url(self) -> str: ...
    @property
    def toc(self) -> Sequence[Heading]: ...


class Autorefs(Protocol):
    """What is used of mkdocs-autorefs' plugin (1.x)."""

    def register_anchor(
        self,
        page: Any,
        identifier: str,
        anchor: str | None = None,
        *,
        title: str | None = None,
        primary: bool = True,
    ) -> None: ...

    def get_item_url(self, identifier: str) -> tuple[str, str | None]: ...


class SiteFiles(Protocol):
    """What is used of MkDocs' `Files`."""

    def get_file_from_path(self, path: str) -> Any: ...
    @property
    def src_uris(self) -> Mapping[str, Any]: ...


class SiteConfig(Protocol):
    """What is used of MkDocs' config."""

    @property
    def plugins(self) -> Mapping[str, Any]: ...
    @property
    def site_dir(self) -> str: ...
    @property
    def site_name(self) -> str: ...


def register_in_site(
    plugins: Mapping[str, Any], targets: Iterable[Target], files: SiteFiles
) -> None:
    """Register the targets with the site's autorefs plugin, if it has one (listed, or
    brought by mkdocstrings); each on the MkDocs page of its URI."""
    if "autorefs" in plugins:
        page_of = lambda uri: getattr(files.get_file_from_path(uri), "page", None)  # noqa: E731
        register_targets(cast(Autorefs, plugins["autorefs"]), targets, page_of)


def write_site_inventory(config: SiteConfig, targets: Iterable[Target], files: SiteFiles) -> Path:
    """The site's `objects.inv`, with mkdocstrings' entries when it wrote one this build."""
    url_of = lambda uri: files.src_uris[uri].url  # noqa: E731
    merge = "mkdocstrings" in config.plugins
    return write_inventory(Path(config.site_dir), targets, url_of, config.site_name, merge=merge)


def register_targets(
    autorefs: Autorefs, targets: Iterable[Target], page_of: Callable[[str], PageLike | None]
) -> int:
    """Register every target on its page, after the pages are rendered (their titles have
    ids) and before autorefs fixes the links; the number registered.

    A path something else in the site documents already (an mkdocstrings API reference) keeps
    that target: the how-to page is its second one, used when nothing else is."""
    registered = 0
    for target in targets:
        page = page_of(target.uri)
        if page is None:  # a generated page replaced by the user's own
            continue
        primary = target.primary and not _documented(autorefs, target.identifier)
        anchor = target.anchor or _title_id(page, target.heading)
        autorefs.register_anchor(page, target.identifier, anchor, primary=primary)
        registered += 1
    return registered


def _documented(autorefs: Autorefs, identifier: str) -> bool:
    try:
        autorefs.get_item_url(identifier)
    except KeyError:
        return False
    return True


def _title_id(page: PageLike, heading: str) -> str:
    """The id of the page's title: read from the page (MkDocs made it with the site's
    `slugify`), else (a page `--dirty` did not render) made with the default one."""
    toc = list(page.toc)
    return toc[0].id if toc else slugify(heading, "-")


def write_inventory(
    site_dir: Path,
    targets: Iterable[Target],
    url_of: Callable[[str], str],
    project: str,
    *,
    merge: bool,
) -> Path:
    """Write `objects.inv` at the site's root; `merge`: keep the entries of the one already
    there (mkdocstrings writes its own there first)."""
    path = site_dir / INVENTORY
    others = path.read_bytes() if merge and path.is_file() else None
    data = inventory_bytes(targets, url_of, project, others=others)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
