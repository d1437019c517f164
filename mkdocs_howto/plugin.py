"""The MkDocs shell: wires MkDocs events to the pipeline in `generate`. Nothing else."""

from __future__ import annotations

import gc
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.analyze.lint import find_vague_terms, vague_pattern
from mkdocs_howto.analyze.usage import UsageIndex, collect_usage
from mkdocs_howto.cache import PageCache, digest, files_fingerprint
from mkdocs_howto.config import HowToConfig
from mkdocs_howto.errors import HowToError, Problem
from mkdocs_howto.generate import (
    GeneratedSite,
    Outline,
    SiteOptions,
    fallback_site,
    package_dirs,
    plan_pages,
    write_pages,
)
from mkdocs_howto.listings import put_back, set_aside, unmark
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.pages import AUTO_NAV_OBJECTS, SitePlan, merge_nav
from mkdocs_howto.render import Renderer, RenderOptions
from mkdocs_howto.worker import Send, Worker, can_fork

if TYPE_CHECKING:  # a type only: importing the server costs every build ~20 ms
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)

#: Commands whose process ends with the build: what it leaves in memory can stay till exit.
ONE_SHOT_COMMANDS = ("build", "gh-deploy")
#: What the worker sends first: the `Outline` MkDocs needs before it reads any page.
OUTLINE = "outline"

#: The page template and stylesheet; MkDocs copies the theme folder's static files itself.
THEME = Path(__file__).parent / "theme"
CSS_URI = "assets/mkdocs-howto/howto.css"
#: Markdown extensions the pages need, with the settings used when the user has none.
EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.highlight": {
        "anchor_linenums": True,
        "line_spans": "__span",
        "pygments_lang_class": True,
    },
    "pymdownx.inlinehilite": {},
    "pymdownx.tabbed": {"alternate_style": True},
}


class _ToMkDocsLog(logging.Handler):
    """Re-emit Griffe's records under `mkdocs.plugins.*`, where `--strict` counts warnings."""

    def emit(self, record: logging.LogRecord) -> None:
        log.log(record.levelno, "%s", record.getMessage())


def _route_griffe_logs() -> None:
    griffe_log = logging.getLogger("griffe")
    if not any(isinstance(handler, _ToMkDocsLog) for handler in griffe_log.handlers):
        griffe_log.addHandler(_ToMkDocsLog(logging.WARNING))
        griffe_log.propagate = False


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
        self.cache = PageCache()
        self.command = "build"
        self.dirty = False
        self.one_shot = False
        self.froze = False
        self.hashes: dict[str, str] = {}
        """Page URI -> content hash of the last build, for `--dirty`."""
        self.last_good: GeneratedSite | None = None
        self.cache_loaded_from: Path | None = None
        self.cache_dir: Path | None = None
        self.renderer: Renderer | None = None
        """Reused while its options and the user's templates are unchanged (see `_renderer`)."""
        self.templates: tuple[RenderOptions, str] | None = None
        # Per build, reset in `on_config`:
        self.site: GeneratedSite | None = None
        self.options: SiteOptions | None = None
        self.own_time = 0.0
        self.worker: Worker[GeneratedSite] | None = None
        """The worker writing this build's pages, until `on_post_build`."""
        self.listings: dict[str, tuple[int, str]] = {}
        """Page URI -> its source block (and key), set aside from the search index."""
        self.blocks_set_aside = 0
        """Source blocks set aside in this process: each page's key."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Ask MkDocs for one instance per process: the cache survives `serve` rebuilds."""
        self.command, self.dirty = command, dirty
        # a one-shot `mkdocs build` process (not `serve`, not a build inside someone else's
        # process, such as the tests'): what generation leaves can be frozen until exit, and
        # the process may fork a worker
        self.one_shot = command in ONE_SHOT_COMMANDS

    def on_shutdown(self) -> None:
        """Back to plain builds: later `load_config` calls in this process reuse the instance."""
        self.command, self.dirty = "build", False
        self.one_shot = False
        self.last_good = None
        self._stop_worker()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check options, register templates, CSS and Markdown extensions."""
        start = time.perf_counter()
        if self.froze:  # our last build's objects (`serve --clean`): collectable again
            gc.unfreeze()
            self.froze = False
        _route_griffe_logs()
        self._stop_worker()
        self.site = None
        self.listings = {}
        root = Path(config.config_file_path or ".").resolve().parent
        custom_dir = config.theme.custom_dir
        config.theme.dirs.insert(1 if custom_dir else 0, str(THEME))
        config.extra_css.append(CSS_URI)
        _add_extensions(config)
        _check_lexicon(self.config.lexicon, self.config.vague_terms)
        self.options = self._site_options(config, root)
        self.renderer = self._renderer(self.options.render)
        self.cache_dir = root / self.config.cache_dir if self.config.cache_dir else None
        self.own_time = time.perf_counter() - start
        return config

    def _renderer(self, options: RenderOptions) -> Renderer:
        """The last build's renderer when its options and the user's template files (names,
        sizes, times) are unchanged: `serve` rebuilds do not compile the templates again."""
        templates = (options, files_fingerprint(options.user_dirs, "*.jinja"))
        if self.renderer is None or templates != self.templates:
            try:
                self.renderer = Renderer(options)
            except HowToError as error:
                raise PluginError(f"howto: {error}") from error
            self.templates = templates
        return self.renderer

    def _site_options(self, config: MkDocsConfig, root: Path) -> SiteOptions:
        options = self.config
        template = Path(options.template).resolve() if options.template else None
        user_dirs = tuple(
            p for p in (template.parent if template else None, config.theme.custom_dir) if p
        )
        paths = _search_paths(options.paths, root)
        return SiteOptions(
            load=LoadOptions(
                packages=tuple(options.packages),
                paths=paths,
                include=tuple(options.include),
                exclude=tuple(options.exclude),
                docstring_style=options.docstring_style,
            ),
            analyze=AnalyzeOptions(
                packages=frozenset(name.split(".")[0] for name in options.packages),
                extra_calls=dict(options.lexicon),
                repo_url=_blob_url(config.repo_url),
                repo_root=_checkout_root(root),
                examples_from=tuple(options.examples_from),
                usage=_usage(options.examples_from, options.usage_paths, root),
                verify_examples=options.verify_examples,
                run_paths=paths,
            ),
            render=RenderOptions(
                show_source=options.show_source,
                line_anchors=_line_anchors(config),
                howto_template=template.name if template else "howto.md.jinja",
                user_dirs=tuple(Path(p) for p in user_dirs),
            ),
            output_dir=options.output_dir,
            nav_depth=options.nav_depth,
            lint_docstrings=options.lint_docstrings != "off",
            vague_terms=tuple(options.vague_terms),
        )

    @event_priority(50)  # before nav plugins, so they see the generated pages
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Generate the pages (or start a worker writing them) and their nav section."""
        assert self.options is not None
        start = time.perf_counter()
        with _collector_paused():  # the worker forked here keeps it paused
            plan, lint, pages = self._start_worker() if self._uses_worker() else self._write_here()
        if self.one_shot:
            # What survives stays until exit: keep it out of the collections during page
            # rendering and out of the collection at interpreter exit (rich: ~0.3 s).
            gc.freeze()
            self.froze = True
        _report_lint(lint, self.config.lint_docstrings)
        if self.config.nav_depth == "auto" and plan.nav_depth == "modules":
            log.info(
                "nav_depth auto: more than %d objects, the sidebar lists the modules (their "
                "index pages link to every object); set nav_depth: objects to list them all",
                AUTO_NAV_OBJECTS,
            )
        others = [f.src_uri for f in files.documentation_pages()]
        config.nav = merge_nav(
            config.nav,
            nest_paths(others),  # type: ignore[no-untyped-call]
            plan.nav,
            self.options.output_dir,
            self.config.nav_title,
        )
        self._add_pages(files, config, pages)
        # what this event waited for the worker is counted with the rest, in on_post_build
        waited = self.worker.waited if self.worker else 0.0
        self.own_time += time.perf_counter() - start - waited
        if self.worker is None:
            assert self.site is not None
            _log_summary(self.site, self.own_time)
        return files

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Collect the worker's result: its warnings are logged before `--strict` counts."""
        if self.worker is None:
            return
        worker, self.worker = self.worker, None
        try:
            site = self.site = worker.finish()
        except HowToError as error:
            raise PluginError(f"howto: {error}") from error
        start = time.perf_counter()
        if worker.failure:
            log.info(
                "howto: the worker process stopped (%s); its pages were written here instead",
                worker.failure.strip().splitlines()[-1],
            )
            log.debug("howto: the worker's failure: %s", worker.failure)
        _report_problems(site)
        # the time MkDocs waited for pages is ours too
        self.own_time += worker.waited + time.perf_counter() - start
        _log_summary(site, self.own_time, in_worker=worker.failure is None)

    def _uses_worker(self) -> bool:
        """Whether a worker process writes the pages: a one-shot build (`--dirty` compares
        every page's Markdown with the last build's, it would wait for all of them first)."""
        return self.config.parallel and self.one_shot and not self.dirty and can_fork()

    def _start_worker(self) -> tuple[SitePlan, list[Problem], dict[str, str | None]]:
        """Fork the worker, which loads the packages, sends the site's outline, then each
        page: this process never holds the loaded tree."""
        try:
            self.worker = Worker(self._worker_job, errors=(HowToError,), loggers=("mkdocs",))
        except OSError as error:  # no memory or no process left for a fork
            log.info("howto: no worker process (%s); the pages are written here", error)
            return self._write_here()
        outline = cast(Outline, self._from_worker(OUTLINE))
        return outline.plan, outline.lint, dict.fromkeys(outline.uris)

    def _write_here(self) -> tuple[SitePlan, list[Problem], dict[str, str | None]]:
        site = self.site = self._generate()
        _report_problems(site)
        pages: dict[str, str | None] = {**site.pages}
        return site.plan, site.lint, pages

    def _worker_job(self, send: Send) -> GeneratedSite:
        """The worker's job (done here instead if the worker fails): the outline, then every
        page by URI; the result comes back without the pages."""
        assert self.options is not None
        # Beside MkDocs, the worker's time is hidden but its memory adds up: files are parsed
        # again as they are analyzed instead of holding every tree of the load (rich: -20 MB).
        planned = plan_pages(self.options, keep_trees=False)
        send(OUTLINE, planned.outline)
        self._load_disk_cache()
        # one build in this process: pages are kept only to be saved for the next one
        cache = self.cache if self.cache_dir is not None else None
        site = write_pages(self.options, planned, self.renderer, cache, send)
        self._save_disk_cache()
        return site

    def _from_worker(self, key: str) -> Any:
        assert self.worker is not None
        try:
            return self.worker.get(key)
        except HowToError as error:  # the user's error (no package, a template), raised there
            raise PluginError(f"howto: {error}") from error

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def _generate(self) -> GeneratedSite:
        """The pages; under `serve`, a load error shows the last good pages instead of 404s."""
        assert self.options is not None
        self._load_disk_cache()
        try:
            site = write_pages(self.options, plan_pages(self.options), self.renderer, self.cache)
        except HowToError as error:
            if self.command != "serve":
                raise PluginError(f"howto: {error}") from error
            # MkDocs has already emptied the site folder: without pages every URL is a 404.
            shown = "the last good pages" if self.last_good else "a page explaining the error"
            log.warning("howto: %s (serving %s until it is fixed)", error, shown)
            return fallback_site(self.options, error, self.last_good)
        self._save_disk_cache()
        self.last_good = site
        return site

    def _save_disk_cache(self) -> None:
        if self.cache_dir is None or not self.cache.changed:
            return
        try:
            self.cache.save(self.cache_dir)
        except OSError as error:  # read-only, full, or a file where the folder should be
            log.warning(
                "howto: the cache could not be written to %s (%s); the site is built without it",
                self.cache_dir,
                error.strerror or error,
            )

    def _load_disk_cache(self) -> None:
        if self.cache_dir is None or self.cache_loaded_from == self.cache_dir:
            return
        self.cache_loaded_from = self.cache_dir
        problem = self.cache.load(self.cache_dir)
        if problem:
            log.warning("howto: %s", problem)

    def _add_pages(self, files: Files, config: MkDocsConfig, pages: dict[str, str | None]) -> None:
        """Add the pages; each knows whether its content (or the nav around it) changed.

        A page without content yet is being written by the worker: it is fetched when MkDocs
        reads it, and counts as changed (such builds are never `--dirty`)."""
        # Every page shows the nav: when it (or mkdocs.yml) changes, every page is stale.
        layout = digest(repr(config.nav), files_fingerprint(_config_file(config)))
        hashes = {"": layout}
        for uri, content in pages.items():
            if files.get_file_from_path(uri) is not None:
                log.info("docs/%s is your own page: it replaces the generated one", uri)
                continue
            # `generated` builds `cls(...)`, so this is a `_HowToFile`; its stub says `File`.
            page = cast(_HowToFile, _HowToFile.generated(config, uri, content=content or ""))
            page.edit_uri = None
            if content is None:
                page.fetch_markdown = partial(self._from_worker, uri)
            else:
                hashes[uri] = digest(content)
                page.changed = layout != self.hashes.get("") or hashes[uri] != self.hashes.get(uri)
            files.append(page)
        self.hashes = hashes

    @event_priority(-100)  # after the other plugins' `on_page_content`: they see the listing
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Set the source listing aside: the search plugin indexes the page without it."""
        if not isinstance(page.file, _HowToFile):
            return html
        if self.config.search_source:
            return unmark(html)
        key = self.blocks_set_aside = self.blocks_set_aside + 1
        html, block = set_aside(html, key)
        if block is not None:
            self.listings[page.file.src_uri] = key, block
        return html

    @event_priority(100)  # before the other plugins' `on_post_page`, such as minifiers
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Put the source block back into the finished page."""
        if page.file.src_uri not in self.listings:
            return output
        key, block = self.listings.pop(page.file.src_uri)
        whole = put_back(output, key, block)
        if whole is None:
            log.warning(
                "howto: the source block of %s was not put back: the page template or a "
                "plugin dropped the HTML comment marking its place (set search_source: true "
                "to keep the block in place)",
                page.file.src_uri,
            )
        return whole or output

    def on_build_error(self, error: Exception) -> None:
        """Forget the last build's page hashes: its HTML may not have been written."""
        self.hashes = {}
        self._stop_worker()

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when the documented packages' sources or the user's templates change."""
        assert self.options is not None
        # The `template`'s folder (its partials may live beside it), but only the file when
        # that folder is the project root: it holds the site and the cache, and watching it
        # would rebuild after every build.
        root = Path(config.config_file_path or ".").resolve().parent
        template = Path(self.config.template).resolve() if self.config.template else None
        if template is not None and template.parent != root:
            template = template.parent
        custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        watched = {*package_dirs(self.options.load), *(p for p in (template, custom_dir) if p)}
        if "usage" in self.config.examples_from:  # examples are mined from these folders
            usage = (root / path for path in self.config.usage_paths)
            watched.update(path for path in usage if path.exists())
        if self.site is not None:
            watched.update(self.site.source_dirs)
        for path in sorted(watched):
            server.watch(str(path), recursive=True)
        return server


def _check_lexicon(entries: dict[str, str], terms: list[str]) -> None:
    """User lexicon sentences obey the same rule as the built-in ones."""
    pattern = vague_pattern(terms)
    for call, template in entries.items():
        prose = re.sub(r"\{\w+\}", "", template)
        hit = next(find_vague_terms(prose, pattern), None)
        if hit is not None:
            raise PluginError(
                f"howto: lexicon entry '{call}: {template}' uses the vague term '{hit.term}': "
                f"name the action ({hit.suggestion})"
            )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Griffe's tree and the ASTs are ~150k long-lived objects: collecting them again and
    again while they are built is wasted work (rich: 0.3 s of 1.5 s own time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _report_problems(site: GeneratedSite) -> None:
    for message in site.replayed:
        log.warning("%s", message)
    for problem in site.problems:
        log.warning("%s", problem)


def _report_lint(lint: list[Problem], mode: str) -> None:
    for problem in lint:
        log.warning("%s", problem)
    if lint and mode == "strict":
        raise PluginError(
            f"howto: {len(lint)} docstrings use vague terms (lint_docstrings: strict)"
        )


def _add_extensions(config: MkDocsConfig) -> None:
    for name, settings in EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
            if settings and name not in config.mdx_configs:
                config.mdx_configs[name] = dict(settings)


def _line_anchors(config: MkDocsConfig) -> str | None:
    settings = config.mdx_configs.get("pymdownx.highlight", {})
    if settings.get("line_anchors"):
        return str(settings["line_anchors"])
    return "__codelineno" if settings.get("anchor_linenums") else None


_DEFAULT_PATHS = ["src", "."]


def _search_paths(paths: list[str], root: Path) -> tuple[Path, ...]:
    """The `paths` that exist. None existing is an error: Griffe would fall back to
    `sys.path` and silently document an installed copy instead of your source."""
    found = tuple(root / path for path in paths if (root / path).is_dir())
    missing = [path for path in paths if not (root / path).is_dir()]
    if not found:
        raise PluginError(
            f"howto: none of the `paths` exist ({', '.join(paths) or 'empty list'}, "
            f"relative to {root}): set `paths` to the folder holding your package"
        )
    if missing and paths != _DEFAULT_PATHS:
        log.warning("`paths` entries not found (relative to %s): %s", root, ", ".join(missing))
    return found


def _checkout_root(folder: Path) -> Path:
    """The enclosing git checkout (where repository paths start), else `folder` itself."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _blob_url(repo_url: str | None) -> str | None:
    """`https://github.com/o/r` → `https://github.com/o/r/blob/HEAD` (GitLab: `/-/blob/`)."""
    if not repo_url:
        return None
    base = repo_url.rstrip("/")
    return f"{base}/-/blob/HEAD" if "gitlab" in base else f"{base}/blob/HEAD"


def _config_file(config: MkDocsConfig) -> list[Path]:
    return [Path(config.config_file_path)] if config.config_file_path else []


def _usage(sources: list[str], paths: list[str], root: Path) -> UsageIndex | None:
    """Call sites mined from the project, when `examples_from` asks for them."""
    if "usage" not in sources:
        return None
    return collect_usage([root / path for path in paths], root)


def _log_summary(site: GeneratedSite, own_time: float, in_worker: bool = False) -> None:
    """One INFO line per build (and per `serve` rebuild); `own_time` is what MkDocs waited
    for, the worker's time (beside MkDocs' own work) is given apart."""
    stats, timings = site.stats, site.timings
    objects = sum(count for kind, count in stats.items() if not kind.startswith("example"))
    log.info(
        "%d object pages (%s) and %d index pages; examples: %d from docstrings, "
        "%d from usage, %d generated, %d verified, %d failed; %d analyzed, %d from cache, "
        "own time %.2f s%s",
        objects,
        ", ".join(
            f"{count} {kind}"
            for kind, count in sorted(stats.items())
            if not kind.startswith("example")
        ),
        len(site.plan.index_pages),
        stats["example from docstring"],
        stats["example from usage"],
        stats["example from signature"],
        stats["example verified"],
        stats["example failed"],
        site.analyzed,
        site.reused,
        own_time,
        f" + {_worker_time(timings):.2f} s in a worker process" if in_worker else "",
    )
    log.debug("own time: %s", ", ".join(f"{k} {v:.3f}s" for k, v in timings.items()))


def _worker_time(timings: dict[str, float]) -> float:
    return sum(seconds for stage, seconds in timings.items() if stage != "load")
