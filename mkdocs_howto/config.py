"""The plugin's options, validated by MkDocs before any build work starts."""

from __future__ import annotations

import re

from mkdocs.config import base
from mkdocs.config import config_options as c

from mkdocs_howto.analyze.lint import DEFAULT_VAGUE_TERMS
from mkdocs_howto.load import DEFAULT_EXCLUDE
from mkdocs_howto.pages import NAV_DEPTHS

_DOTTED_NAME = re.compile(r"^[^\W\d]\w*(\.[^\W\d]\w*)*$")


class PackageName(c.Type[str]):
    """An importable dotted name, such as `mypkg` or `mypkg.sub`."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        name = super().run_validation(value)
        if not _DOTTED_NAME.match(name):
            raise base.ValidationError(
                f"'{name}' is not an import name: give the package as you would import it, "
                f"e.g. `packages: [mypkg]` (not a path like 'src/mypkg')"
            )
        return name


class PackageList(c.ListOfItems[str]):
    """A non-empty list of package names."""

    def __init__(self) -> None:
        super().__init__(PackageName())

    def run_validation(self, value: object) -> list[str]:
        names = super().run_validation(value)
        if not names:
            raise base.ValidationError("name at least one package to document, e.g. [mypkg]")
        return names


class RelativeFolder(c.Type[str]):
    """A folder inside `docs_dir`, written with forward slashes."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        folder = super().run_validation(value).strip().strip("/")
        parts = folder.split("/")
        if not folder or "\\" in folder or ".." in parts or ":" in folder:
            raise base.ValidationError(
                f"'{value}' must be a relative folder inside docs_dir, such as 'howto' or "
                f"'reference/howto'"
            )
        return folder


class HowToConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of `plugins: - howto:` in `mkdocs.yml`."""

    packages = PackageList()
    """Import names of the packages to document (required)."""
    paths = c.ListOfItems(c.Type(str), default=["src", "."])
    """Folders searched for the packages, relative to `mkdocs.yml`."""
    output_dir = RelativeFolder(default="howto")
    """Folder of the generated pages inside the site."""
    include = c.ListOfItems(c.Type(str), default=["*"])
    """Glob patterns on dotted public paths: only matching objects get a page."""
    exclude = c.ListOfItems(c.Type(str), default=list(DEFAULT_EXCLUDE))
    """Glob patterns on dotted paths left out: by default private names and test packages."""
    docstring_style = c.Choice(("auto", "google", "numpy", "sphinx"), default="auto")
    """How docstrings are parsed; `auto` detects the style per docstring."""
    nav_title = c.Type(str, default="How-to guides")
    """Title of the nav section holding the generated pages."""
    nav_depth = c.Choice(NAV_DEPTHS, default="auto")
    """`objects`: every object page in the sidebar; `modules`: only the modules, whose index
    pages link to their objects (faster builds for large APIs); `auto`: `objects` up to 150
    objects, `modules` above."""
    parallel = c.Type(bool, default=True)
    """Analyze and render the pages in a second process while MkDocs renders the ones it
    has (`mkdocs build` and `gh-deploy` on Linux); `false`, `serve`, `--dirty` and other
    systems do it in the MkDocs process."""
    show_source = c.Type(bool, default=True)
    """Show each object's source in a collapsible block, with line links from the steps."""
    search_source = c.Type(bool, default=False)
    """Index the source blocks for search too: off, they are left out of the search index
    (most of each page's HTML; matches in code drown those in descriptions and examples)."""
    template = c.Optional(c.File(exists=True))
    """A Jinja2 Markdown template replacing the built-in `howto.md.jinja`."""
    vague_terms = c.ListOfItems(c.Type(str), default=list(DEFAULT_VAGUE_TERMS))
    """Words that name no action: the narrator never writes them and the lint finds them."""
    lint_docstrings = c.Choice(("warn", "strict", "off"), default="off")
    """Check docstrings for `vague_terms`: `warn` logs warnings, `strict` fails the build."""
    lexicon = c.DictOfItems(c.Type(str), default={})
    """Extra verb-lexicon entries: call name -> sentence template (`{arg0}`, `{call}`…)."""
    examples_from = c.ListOfItems(
        c.Choice(("docstring", "usage", "signature")), default=["docstring", "signature"]
    )
    """Where usage examples come from, tried in the order docstring, usage (call sites mined
    from `usage_paths`), signature (generated)."""
    usage_paths = c.ListOfItems(c.Type(str), default=["tests", "examples", "docs"])
    """Folders (relative to `mkdocs.yml`) mined for call sites when `examples_from` has `usage`."""
    verify_examples = c.Choice(("static", "run", "off"), default="static")
    """`static`: check every example against the API; `run`: also run docstring examples and
    doctests in a subprocess (this imports your code); `off`: no checks."""
    cache_dir = c.Optional(c.Type(str))
    """Folder (relative to `mkdocs.yml`) for an on-disk cache of analyzed pages, so the first
    build after a restart is fast too; off by default, safe to delete."""
