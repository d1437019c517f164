"""The MkDocs shell: translates MkDocs events into calls on the `engine`. Nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from jinja2 import Environment
from markdown import Markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from mkdocs_howto.cache import digest, files_fingerprint
from mkdocs_howto.compiled import CompiledTemplates, Warmer
from mkdocs_howto.config import HowToConfig
from mkdocs_howto.crossrefs import register_in_site, write_site_inventory
from mkdocs_howto.engine import (
    CSS_URI,
    EXTENSIONS,
    THEME,
    HowToEngine,
    Pages,
)
from mkdocs_howto.errors import HowToError
from mkdocs_howto.highlights import DeferredHighlights, safe_extensions
from mkdocs_howto.hosts import host_api
from mkdocs_howto.pages import merge_nav, nav_uris
from mkdocs_howto.render import PAGE_TEMPLATE, Renderer
from mkdocs_howto.settings import SiteSettings, line_anchors

if TYPE_CHECKING:  # a type only: importing the server costs every build ~20 ms
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)

#: Commands whose process ends with the build: what it leaves in memory can stay till exit.
ONE_SHOT_COMMANDS = ("build", "gh-deploy")
#: Of `on_page_content`, where the source listing is set aside from the search index.
LISTING_PRIORITY = -100
__all__ = ["CSS_URI", "EXTENSIONS", "THEME", "HowToPlugin"]


@contextmanager
def _as_plugin_errors() -> Iterator[None]:
    """The user's errors (no package, a broken template) as one line MkDocs prints."""
    try:
        yield
    except HowToError as error:
        raise PluginError(f"howto: {error}") from error


class _HowToFile(File):
    """A generated page that tells `--dirty` builds whether it changed since the last build,
    and whose Markdown may still be being written by the worker (`fetch_markdown`).

    MkDocs' in-memory files always report modified (mkdocs/structure/files.py, `is_modified`),
    so `--dirty` would re-render every generated page on every rebuild.
    """

    changed = True
    fetch_markdown: Callable[[], str] | None = None
    """Waits for the page's Markdown; MkDocs asks for it only when it reads the page."""

    def is_modified(self) -> bool:
        return self.changed or not Path(self.abs_dest_path).is_file()

    @property
    def content_string(self) -> str:
        if self.fetch_markdown is not None:
            self._content, self.fetch_markdown = self.fetch_markdown(), None
        return super().content_string

    @content_string.setter
    def content_string(self, value: str) -> None:
        self._content, self.fetch_markdown, self.abs_src_path = value, None, None

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode()

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self._content, self.fetch_markdown, self.abs_src_path = value, None, None

    def __getstate__(self) -> dict[str, Any]:
        """Copies (`copy.deepcopy` by other plugins) hold the Markdown, not the worker."""
        self.content_string  # noqa: B018 (fetched)
        return self.__dict__


class HowToPlugin(BasePlugin[HowToConfig]):  # type: ignore[no-untyped-call]
    """Generate a how-to page per public class and function of the configured packages."""

    def __init__(self) -> None:
        # Kept for the whole process (`on_startup` makes MkDocs reuse this instance):
        self.engine = HowToEngine(log)
        self.defer_highlighting = False
        """Generated pages' code blocks are highlighted after their conversion (this build)."""
        self.head_start: _HeadStart | None = None
        """What this build's MkDocs process does while it waits for the worker."""

    @property
    def renderer(self) -> Renderer | None:
        """The engine's renderer, reused across `serve` rebuilds."""
        return self.engine.renderer

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Ask MkDocs for one instance per process: the cache survives `serve` rebuilds."""
        # a one-shot `mkdocs build` process (not `serve`, not a build inside someone else's
        # process, such as the tests'): what generation leaves can be frozen until exit, and
        # the process may fork a worker
        self.engine.start_process(
            serving=command == "serve", one_shot=command in ONE_SHOT_COMMANDS, dirty=dirty
        )

    def on_shutdown(self) -> None:
        """Back to plain builds: later `load_config` calls in this process reuse the instance."""
        self.engine.end_process()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check options, register templates, CSS and Markdown extensions."""
        self.defer_highlighting, self.head_start = False, None
        with _as_plugin_errors():
            with host_api("its configuration (theme, extra_css, markdown_extensions)"):
                custom_dir = config.theme.custom_dir
                config.theme.dirs.insert(1 if custom_dir else 0, str(THEME))
                config.extra_css.append(CSS_URI)
                _add_extensions(config)
                if not any(isinstance(e, DeferredHighlights) for e in config.markdown_extensions):
                    # an instance, as mkdocstrings adds its own: Markdown takes both
                    extension = self.engine.markdown_extension
                    config.markdown_extensions.append(extension)  # type: ignore[arg-type]
                settings = _site_settings(config)
            self.engine.configure(self.config, settings)
        return config

    @event_priority(50)  # before nav plugins, so they see the generated pages
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Generate the pages (or start a worker writing them) and their nav section."""
        with _as_plugin_errors(), self.engine.timed():
            if self.engine.one_shot:
                self.head_start = _HeadStart(config, self.engine.theme_code)
                self.engine.meanwhile = self.head_start.step
            plan, _, pages = self.engine.generate()
            with host_api("its files and nav (Files, File.generated, nest_paths)"):
                others = [f.src_uri for f in files.documentation_pages()]
                config.nav = merge_nav(
                    config.nav,
                    nest_paths(others),  # type: ignore[no-untyped-call]
                    plan.nav,
                    self.config.output_dir,
                    self.engine.nav_title(),
                )
                self._add_pages(files, config, pages)
                self.defer_highlighting = self._may_defer_highlighting(config)
        return files

    def _may_defer_highlighting(self, config: MkDocsConfig) -> bool:
        """Whether generated pages' code blocks may be highlighted after the conversion (see
        highlights.py): the engine can, every Markdown extension is one known to leave a
        highlighted block as it is, and no other plugin reads a page's HTML before the
        listing is set aside (`on_page_content` after this one's sees it set aside anyway)."""
        readers = config.plugins.events["page_content"]
        return (
            self.engine.may_defer_highlighting()
            and safe_extensions(config.markdown_extensions)
            and all(
                getattr(reader, "__self__", None) is self
                or getattr(reader, "mkdocs_priority", 0) < LISTING_PRIORITY
                for reader in readers
            )
        )

    @event_priority(-1000)  # the last: right before MkDocs converts the page
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Let the conversion of a generated page defer its code blocks' highlighting."""
        deferred = self.defer_highlighting and isinstance(page.file, _HowToFile)
        self.engine.converting(markdown if deferred else None)
        return markdown

    def _collect_worker(self, *, config: MkDocsConfig) -> None:
        """Collect the worker's result: its warnings are logged before `--strict` counts."""
        with _as_plugin_errors():
            self.engine.finish()
        if self.head_start is not None and self.head_start.compiled:
            log.debug(
                "%d theme templates compiled while waiting for the worker%s; MkDocs loaded "
                "%d compiled templates",
                self.head_start.compiled,
                ", and a sample page converted" if self.head_start.converted else "",
                self.engine.theme_code.reused,
            )

    @event_priority(10)  # before the search plugin writes its index (0)
    def _merge_dirty_search_index(self, *, config: MkDocsConfig) -> None:
        """`--dirty`: Material's search index lists every page once (`_merge_search_index`)."""
        if self.engine.dirty:
            for plugin in config.plugins.values():
                _merge_search_index(plugin)

    on_post_build = CombinedEvent(_collect_worker, _merge_dirty_search_index)

    def _fetch(self, uri: str) -> str:
        with _as_plugin_errors():
            return cast(str, self.engine.fetch(uri))

    def _add_pages(self, files: Files, config: MkDocsConfig, pages: Pages) -> None:
        """Add the pages; each knows whether its content (or the nav around it) changed.

        A page without content yet is being written by the worker: it is fetched when MkDocs
        reads it, and counts as changed (such builds are never `--dirty`)."""
        for uri in list(pages):
            if files.get_file_from_path(uri) is not None:
                log.info("docs/%s is your own page: it replaces the generated one", uri)
                del pages[uri]
        # Every page shows the nav: when it (or mkdocs.yml) changes, every page is stale.
        layout = digest(repr(config.nav), files_fingerprint(_config_file(config)))
        changed = self.engine.changed_pages(layout, pages)
        listed = nav_uris(config.nav)
        for uri, content in pages.items():
            # `generated` builds `cls(...)`, so this is a `_HowToFile`; its stub says `File`.
            page = cast(_HowToFile, _HowToFile.generated(config, uri, content=content or ""))
            page.edit_uri = None
            if uri not in listed:  # (`nav_depth: modules`): no INFO line per page
                page.inclusion = InclusionLevel.NOT_IN_NAV
            if content is None:
                page.fetch_markdown = partial(self._fetch, uri)
            else:
                page.changed = changed[uri]
            files.append(page)

    @event_priority(LISTING_PRIORITY)  # after the other plugins' `on_page_content`: they see
    def on_page_content(  # the listing
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Set the source listing aside: the search plugin indexes the page without it."""
        self.engine.converting(None)
        if not isinstance(page.file, _HowToFile):
            return html
        return self.engine.set_aside(page.file.src_uri, html)

    @event_priority(100)  # before the other plugins' `on_post_page`, such as minifiers
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Put the source block back into the finished page."""
        return self.engine.put_back(page.file.src_uri, output)

    def on_build_error(self, error: Exception) -> None:
        """Forget the last build's page hashes: its HTML may not have been written."""
        self.engine.build_failed()

    @event_priority(100)  # before anything loads a template from this build's environment
    def _keep_compiled_templates(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> None:
        """While serving, compile the theme's templates once, not on every rebuild (MkDocs
        makes a new environment per build); in a one-shot build, use those compiled while
        waiting for the worker."""
        warmed = self.head_start is not None and self.head_start.compiled > 0
        if (self.engine.serving or warmed) and env.bytecode_cache is None:
            env.bytecode_cache = self.engine.theme_code

    @event_priority(0)  # after the pages are rendered, before autorefs' `on_env` (-50)
    def _register_cross_refs(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> None:
        """Let `[text][mypkg.Obj]` anywhere in the site lead to the how-to pages."""
        if self.engine.plan is not None:
            register_in_site(config.plugins, self.engine.plan.targets, files)

    @event_priority(-30)  # after mkdocstrings writes its own inventory (-20): it is kept
    def _write_inventory(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> None:
        """`objects.inv`, for intersphinx and mkdocstrings' `inventories` in other sites."""
        if self.engine.plan is not None:
            write_site_inventory(config, self.engine.plan.targets, files)

    @event_priority(90)  # every page is converted: start as early as possible
    def _start_highlighting(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> None:
        """Highlight the generated pages' deferred code blocks in a second process while
        MkDocs renders the pages."""
        self.engine.start_highlighting()

    on_env = CombinedEvent(
        _keep_compiled_templates, _start_highlighting, _register_cross_refs, _write_inventory
    )

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when the documented packages' sources or the user's templates change."""
        for path in self.engine.watched_paths(_site_settings(config)):
            server.watch(str(path), recursive=True)
        return server


class _HeadStart:
    """What MkDocs' process can do while it waits for the worker, one piece per `step`: the
    theme's page templates and static pages (`404.html`, `sitemap.xml`), and what they name,
    compiled in the environment MkDocs would make (`Warmer`); then one small page converted
    with the site's Markdown extensions, which imports them and Pygments' Python lexer,
    formatter and style (~45 ms the first page would pay)."""

    def __init__(self, config: MkDocsConfig, cache: CompiledTemplates) -> None:
        self.config, self.cache = config, cache
        self.warmer: Warmer | None = None
        self.converted = False

    @property
    def compiled(self) -> int:
        return self.warmer.compiled if self.warmer is not None else 0

    def step(self) -> bool:
        if self.warmer is None:  # made at the first wait: a build without one makes none
            theme = self.config.theme
            try:
                names = [PAGE_TEMPLATE, "main.html", *sorted(theme.static_templates)]
                environment = theme.get_env()
            except (AttributeError, TypeError, ImportError, OSError):
                # only a head start: MkDocs meets the same theme, and reports its errors
                environment, names = Environment(), []
            self.warmer = Warmer(environment, self.cache, names)
        if self.warmer.step():
            return True
        if not self.converted:
            self.converted = True
            _convert_sample(self.config)
            return True
        return False


#: A page with a Python block, converted once while waiting (`_HeadStart`).
_SAMPLE = "# Sample\n\n```python\nvalue = 1\n```\n"


def _convert_sample(config: MkDocsConfig) -> None:
    """Convert `_SAMPLE` with the extensions the site names (not those given as instances:
    they may keep state for the build, such as autorefs' anchors)."""
    named = [name for name in config.markdown_extensions if isinstance(name, str)]
    settings = {name: config.mdx_configs[name] for name in named if name in config.mdx_configs}
    # only a head start: MkDocs converts every page with the same extensions, and reports
    # what fails then
    with suppress(Exception):
        Markdown(extensions=named, extension_configs=settings).convert(_SAMPLE)


def _site_settings(config: MkDocsConfig) -> SiteSettings:
    custom_dir = config.theme.custom_dir
    return SiteSettings(
        root=Path(config.config_file_path or ".").resolve().parent,
        repo_url=config.repo_url,
        custom_dir=Path(custom_dir) if custom_dir else None,
        line_anchors=line_anchors(config.mdx_configs.get("pymdownx.highlight", {})),
        # Material's `language`, else MkDocs' own themes' `locale`
        language=str(config.theme.get("language", config.theme.locale)),
    )


def _add_extensions(config: MkDocsConfig) -> None:
    """Our settings apply to an extension the user gave none (MkDocs always lists `toc`)."""
    for name, settings in EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        if settings and name not in config.mdx_configs:
            config.mdx_configs[name] = dict(settings)


def _merge_search_index(search: Any) -> None:
    """Material's search plugin, under `--dirty`, writes the last build's index with the
    entries of the pages rebuilt now, after removing the last entries of the first rebuilt
    page and of every page whose URL starts with its URL (material/plugins/search/plugin.py,
    `generate_search_index`): built for one edited page. An edit here rebuilds several (the
    lines below it move, index pages show summaries): the others would be listed once more on
    every rebuild, and the pages under a rebuilt index page would be lost. The merge is done
    here instead, page by page; Material then writes it as it is."""
    last, now = getattr(search, "search_index_prev", None), getattr(search, "search_index", None)
    if last is None or now is None:  # not under `--dirty`, the first build, or another search
        return
    entries, kept = getattr(now, "entries", None), getattr(last, "entries", None)
    if not entries or not isinstance(entries, list) or not isinstance(kept, list):
        return  # no page rebuilt: Material writes the last index as it is
    rebuilt = {_page_of(entry) for entry in entries}
    now.entries = [entry for entry in kept if _page_of(entry) not in rebuilt] + entries
    search.search_index_prev = None


def _page_of(entry: Any) -> str:
    return str(entry.get("location", "")).partition("#")[0] if isinstance(entry, dict) else ""


def _config_file(config: MkDocsConfig) -> list[Path]:
    return [Path(config.config_file_path)] if config.config_file_path else []
