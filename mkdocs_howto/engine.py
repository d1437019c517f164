"""The build state shared by every frontend (the MkDocs plugin, the `mkdocs-howto` command,
the Markdown extension): options turned into a pipeline, the loaded site, the page cache kept
between rebuilds, the worker process, and what one build remembers for the next.

Nothing here imports MkDocs: a frontend translates its own events into these calls, passes
the logger its warnings go to (MkDocs' plugin logger, where `--strict` counts them) and
turns `HowToError` into its own kind of error.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, cast

from mkdocs_howto.cache import PageCache, digest, files_fingerprint
from mkdocs_howto.compiled import CompiledTemplates
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
from mkdocs_howto.highlights import Deferrals, DeferredHighlights, make_all
from mkdocs_howto.labels import DEFAULT_LANGUAGE, labels_for
from mkdocs_howto.listings import put_back, set_aside, unmark
from mkdocs_howto.pages import AUTO_NAV_OBJECTS, SitePlan
from mkdocs_howto.reload import TreeKeeper
from mkdocs_howto.render import Renderer, RenderOptions
from mkdocs_howto.settings import (
    HowToOptions,
    Log,
    SiteSettings,
    check_lexicon,
    site_options,
)
from mkdocs_howto.worker import Send, Worker, can_fork

#: What the worker sends first: the `Outline` the frontend needs before it reads any page.
OUTLINE = "outline"
#: The page template and stylesheet (MkDocs copies the theme folder's static files itself).
THEME = Path(__file__).parent / "theme"
CSS_URI = "assets/mkdocs-howto/howto.css"
#: Markdown extensions the pages need, with the settings used when the user has none.
EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},  # MkDocs always lists `toc`: see the plugin's `_add_extensions`
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

Pages = dict[str, str | None]
"""Page URI -> its Markdown, or None while a worker process is still writing it."""


class HowToEngine:
    """One instance per process: the page cache and the last good site survive rebuilds."""

    def __init__(self, log: Log) -> None:
        self.log = log
        # Kept for the whole process:
        self.cache = PageCache()
        self.serving = False
        """A live preview: a load error shows the last good pages instead of stopping."""
        self.dirty = False
        self.one_shot = False
        """The process ends with the build: what it leaves may be frozen, a worker forked."""
        self.froze = False
        self.hashes: dict[str, str] = {}
        """Page URI -> content hash of the last build, for `--dirty`."""
        self.last_good: GeneratedSite | None = None
        self.keeper = TreeKeeper()
        """While serving: the loaded tree, re-read only where an edit changed a file."""
        self.cache_loaded_from: Path | None = None
        self.cache_dir: Path | None = None
        self.renderer: Renderer | None = None
        """Reused while its options and the user's templates are unchanged (see `_renderer`)."""
        self.templates: tuple[RenderOptions, str] | None = None
        self.theme_code = CompiledTemplates()
        """The site theme's compiled templates: while serving, for the frontend's next build;
        in a one-shot build, those compiled while waiting for the worker (`meanwhile`)."""
        self.meanwhile: Callable[[], bool] | None = None
        """Other work for the frontend's process while it waits for the worker: one small
        piece per call, False once none is left (`Worker.get`)."""
        # Per build, reset in `configure`:
        self.howto: HowToOptions | None = None
        self.site: GeneratedSite | None = None
        self.plan: SitePlan | None = None
        """Where this build's pages go and what paths they document (cross-references)."""
        self.options: SiteOptions | None = None
        self.own_time = 0.0
        self.worker: Worker[GeneratedSite] | None = None
        """The worker writing this build's pages, until `finish`."""
        self.listings: dict[str, tuple[int, str]] = {}
        """Page URI -> its source block (and key), set aside from the search index."""
        self.blocks_set_aside = 0
        """Source blocks set aside in this process: each page's key."""
        self.deferrals = Deferrals()
        """Fenced blocks whose highlighting waits for `start_highlighting` (see highlights.py)."""
        self.highlighter: Worker[None] | None = None
        """The process highlighting them while the frontend renders the pages."""

    # ------------------------------------------------------------------ the process

    def start_process(self, *, serving: bool, one_shot: bool, dirty: bool) -> None:
        self.serving, self.one_shot, self.dirty = serving, one_shot, dirty

    def end_process(self) -> None:
        """Back to plain builds: later builds in this process reuse the instance."""
        self.serving = self.one_shot = self.dirty = False
        self.last_good = None
        self.keeper = TreeKeeper()
        self.theme_code = CompiledTemplates()
        self.stop_worker()

    # ------------------------------------------------------------------ one build

    def configure(self, howto: HowToOptions, settings: SiteSettings) -> SiteOptions:
        """Start a build: check the options, turn them into the pipeline's."""
        self.meanwhile = None
        start = time.perf_counter()
        if self.froze:  # our last build's objects (`serve --clean`): collectable again
            gc.unfreeze()
            self.froze = False
        self.stop_worker()
        self.deferrals.reset()
        self.howto = howto
        route_griffe_logs(self.log, docstring_level=self.docstring_level)
        self.site = self.plan = None
        self.listings = {}
        check_lexicon(howto.lexicon, howto.vague_terms)
        self.options = site_options(howto, settings, self.log)
        if self.serving and self.options.writer is not None:
            # the static pages now, the model's prose when its answers arrive
            writer = replace(self.options.writer, background=True)
            self.options = replace(self.options, writer=writer)
        self.renderer = self._renderer(self.options.render)
        self.cache_dir = settings.root / howto.cache_dir if howto.cache_dir else None
        self.own_time = time.perf_counter() - start
        return self.options

    def nav_title(self) -> str:
        """The nav section's title: the `nav_title` option, else the label in the site's
        language."""
        assert self.howto is not None and self.options is not None
        labels = labels_for(DEFAULT_LANGUAGE, dict(self.options.render.labels))
        return self.howto.nav_title or labels["nav_title"]

    def _renderer(self, options: RenderOptions) -> Renderer:
        """The last build's renderer when its options and the user's template files (names,
        sizes, times) are unchanged: `serve` rebuilds do not compile the templates again."""
        templates = (options, files_fingerprint(options.user_dirs, "*.jinja"))
        if self.renderer is None or templates != self.templates:
            self.renderer = Renderer(options)
            self.templates = templates
        return self.renderer

    def generate(self) -> tuple[SitePlan, list[Problem], Pages]:
        """Generate the pages (or start a worker writing them): the plan, the docstring lint
        and each page's Markdown (None: `fetch` it)."""
        assert self.howto is not None
        with collector_paused():  # the worker forked here keeps it paused
            plan, lint, pages = self._start_worker() if self._uses_worker() else self._write_here()
        self.plan = plan
        if self.one_shot:
            # What survives stays until exit: keep it out of the collections during page
            # rendering and out of the collection at interpreter exit (rich: ~0.3 s).
            gc.freeze()
            self.froze = True
        self._report_lint(lint)
        if self.howto.nav_depth == "auto" and plan.nav_depth == "modules":
            self.log.info(
                "nav_depth auto: more than %d objects, the sidebar lists the modules (their "
                "index pages link to every object); set nav_depth: objects to list them all",
                AUTO_NAV_OBJECTS,
            )
        return plan, lint, pages

    def build(self) -> GeneratedSite:
        """Generate every page here, in one go (the frontends other than MkDocs')."""
        with self.timed():
            self.generate()
        assert self.site is not None
        return self.site

    @contextmanager
    def timed(self) -> Iterator[None]:
        """Count the block as the engine's own time, except what it waited for the worker
        (counted with the rest in `finish`); log the summary when no worker is left."""
        start = time.perf_counter()
        waited = self.worker.waited if self.worker else 0.0
        yield
        waited = (self.worker.waited if self.worker else 0.0) - waited
        self.own_time += time.perf_counter() - start - waited
        if self.worker is None and self.site is not None:
            self.log_summary(self.site)

    def fetch(self, key: str) -> Any:
        """A value the worker sends (a page's Markdown by URI), waiting for it."""
        assert self.worker is not None
        return self.worker.get(key, self.meanwhile)

    def finish(self) -> None:
        """Collect the worker's result: its warnings are logged before the build ends."""
        highlighted = self._finish_highlighting()
        if self.worker is None:
            return
        worker, self.worker = self.worker, None
        site = self.site = worker.finish()
        start = time.perf_counter()
        self.own_time += highlighted
        if worker.failure:
            self.log.info(
                "howto: the worker process stopped (%s); its pages were written here instead",
                worker.failure.strip().splitlines()[-1],
            )
            self.log.debug("howto: the worker's failure: %s", worker.failure)
        self._report_problems(site)
        # the time MkDocs waited for pages is ours too
        self.own_time += worker.waited + time.perf_counter() - start
        self.log_summary(site, in_worker=worker.failure is None)

    def build_failed(self) -> None:
        """Forget the last build's page hashes: its HTML may not have been written."""
        self.hashes = {}
        self.stop_worker()

    def _uses_worker(self) -> bool:
        """Whether a worker process writes the pages: a one-shot build (`--dirty` compares
        every page's Markdown with the last build's, it would wait for all of them first)."""
        assert self.howto is not None
        return self.howto.parallel and self.one_shot and not self.dirty and can_fork()

    def _start_worker(self) -> tuple[SitePlan, list[Problem], Pages]:
        """Fork the worker, which loads the packages, sends the site's outline, then each
        page: this process never holds the loaded tree."""
        try:
            self.worker = Worker(self._worker_job, errors=(HowToError,), loggers=("mkdocs",))
        except OSError as error:  # no memory or no process left for a fork
            self.log.info("howto: no worker process (%s); the pages are written here", error)
            return self._write_here()
        outline = cast(Outline, self.fetch(OUTLINE))
        return outline.plan, outline.lint, dict.fromkeys(outline.uris)

    def _write_here(self) -> tuple[SitePlan, list[Problem], Pages]:
        site = self.site = self.generate_site()
        self._report_problems(site)
        pages: Pages = {**site.pages}
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

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if self.highlighter is not None:
            self.highlighter.stop()
            self.highlighter = None

    # ------------------------------------------------------------------ deferred highlighting

    @property
    def markdown_extension(self) -> DeferredHighlights:
        """For the frontend's Markdown instances: defers the blocks of the pages it names in
        `converting`."""
        return DeferredHighlights(self.deferrals)

    def may_defer_highlighting(self) -> bool:
        """Whether this build can highlight its listings later, in a second process: a worker
        writes the pages (a one-shot build on Linux) and the listings leave the pages for the
        search index. The frontend checks the rest (no other reader of the converted page)."""
        assert self.howto is not None
        return self.worker is not None and not self.howto.search_source

    def converting(self, markdown: str | None) -> None:
        """The next page converted is `markdown`, a generated page whose fenced blocks may be
        highlighted later (None: a page whose blocks are highlighted as usual)."""
        self.deferrals.expect(markdown)

    def start_highlighting(self) -> None:
        """Every page is converted: highlight the deferred blocks in a forked process while
        the frontend renders the pages (once the worker has ended: no thread may run during a
        fork). Without one they are highlighted here, as each page is finished."""
        if not self.deferrals.calls or self.highlighter is not None:
            return
        if self.worker is not None:
            self.worker.join()
        if not can_fork():
            return
        try:
            self.highlighter = Worker(partial(make_all, dict(self.deferrals.calls)))
        except OSError:  # no memory or no process left for a fork: made here
            return
        self.deferrals.results = self.highlighter.get

    def _finish_highlighting(self) -> float:
        """End the highlighting process; the seconds the frontend waited for it."""
        highlighter, self.highlighter = self.highlighter, None
        deferred = self.deferrals.deferred
        self.deferrals.reset()
        if highlighter is None:
            return 0.0
        highlighter.finish()
        if highlighter.failure:
            self.log.info(
                "howto: the highlighting process stopped (%s); its code blocks were "
                "highlighted here instead",
                highlighter.failure.strip().splitlines()[-1],
            )
        self.log.debug(
            "howto: %d code blocks highlighted in a second process (waited %.2f s)",
            deferred,
            highlighter.waited,
        )
        return highlighter.waited

    def generate_site(self) -> GeneratedSite:
        """The pages; while serving, a load error shows the last good pages instead of 404s."""
        assert self.options is not None
        self._load_disk_cache()
        try:
            keeper = self.keeper if self.serving else None
            planned = plan_pages(self.options, keeper=keeper)
            site = write_pages(self.options, planned, self.renderer, self.cache)
        except HowToError as error:
            if not self.serving:
                raise
            # MkDocs has already emptied the site folder: without pages every URL is a 404.
            shown = "the last good pages" if self.last_good else "a page explaining the error"
            self.log.warning("howto: %s (serving %s until it is fixed)", error, shown)
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
            self.log.warning(
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
            self.log.warning("howto: %s", problem)

    @property
    def docstring_level(self) -> int:
        """The level of Griffe's docstring-parsing warnings (`griffe_warnings`)."""
        demoted = self.howto is not None and self.howto.griffe_warnings == "info"
        return logging.INFO if demoted else logging.WARNING

    def _report_problems(self, site: GeneratedSite) -> None:
        for note in site.notes:
            self.log.info("%s", note)
        for message in site.replayed:  # Griffe's docstring warnings of pages from the cache
            self.log.log(self.docstring_level, "%s", message)
        for problem in site.problems:
            self.log.warning("%s", problem)
        for message in site.warnings:
            self.log.warning("%s", message)
        if site.fatal:
            raise HowToError(site.fatal)

    def _report_lint(self, lint: list[Problem]) -> None:
        assert self.howto is not None
        for problem in lint:
            self.log.warning("%s", problem)
        if lint and self.howto.lint_docstrings == "strict":
            raise HowToError(f"{len(lint)} docstrings use vague terms (lint_docstrings: strict)")

    # ------------------------------------------------------------------ bookkeeping

    def changed_pages(self, layout: str, pages: Pages) -> dict[str, bool]:
        """Whether each written page (not those still with the worker) changed since the
        last build, for `--dirty`; `layout` is what every page shows (the nav, the config)."""
        hashes = {"": layout}
        changed = {}
        for uri, content in pages.items():
            if content is not None:
                hashes[uri] = digest(content)
                changed[uri] = layout != self.hashes.get("") or hashes[uri] != self.hashes.get(uri)
        self.hashes = hashes
        return changed

    def set_aside(self, uri: str, html: str) -> str:
        """A page's HTML without its source listing (kept for `put_back`), for the search."""
        assert self.howto is not None
        if self.howto.search_source:
            return self.deferrals.fill(unmark(html), here=True)
        key = self.blocks_set_aside = self.blocks_set_aside + 1
        html, block = set_aside(html, key)
        if block is not None:
            self.listings[uri] = key, block
        # a block deferred outside the listing is seen by the search index: made now
        return self.deferrals.fill(html, here=True)

    def put_back(self, uri: str, output: str) -> str:
        """The finished page with its source listing back in place."""
        if uri not in self.listings:
            return output
        key, block = self.listings.pop(uri)
        whole = put_back(output, key, self.deferrals.fill(block))
        if whole is None:
            self.log.warning(
                "howto: the source block of %s was not put back: the page template or a "
                "plugin dropped the HTML comment marking its place (set search_source: true "
                "to keep the block in place)",
                uri,
            )
        return whole or output

    def watched_paths(self, settings: SiteSettings) -> list[Path]:
        """What a live preview watches: the packages' sources, the user's templates and the
        folders examples are mined from."""
        assert self.options is not None and self.howto is not None
        howto, root = self.howto, settings.root
        # The `template`'s folder (its partials may live beside it), but only the file when
        # that folder is the project root: it holds the site and the cache, and watching it
        # would rebuild after every build.
        template = Path(howto.template).resolve() if howto.template else None
        if template is not None and template.parent != root:
            template = template.parent
        custom_dir = settings.custom_dir
        watched = {*package_dirs(self.options.load), *(p for p in (template, custom_dir) if p)}
        if "usage" in howto.examples_from:  # examples are mined from these folders
            usage = (root / path for path in howto.usage_paths)
            watched.update(path for path in usage if path.exists())
        if self.site is not None:
            watched.update(self.site.source_dirs)
        if self.options.writer is not None:  # an answer arriving (`mkdocs serve`) rebuilds
            self.options.writer.cache_dir.mkdir(parents=True, exist_ok=True)
            watched.add(self.options.writer.cache_dir)
        return sorted(watched)

    def log_summary(self, site: GeneratedSite, in_worker: bool = False) -> None:
        """One INFO line per build (and per `serve` rebuild); `own_time` is what the frontend
        waited for, the worker's time (beside the frontend's own work) is given apart."""
        stats, timings = site.stats, site.timings
        objects = sum(count for kind, count in stats.items() if not kind.startswith("example"))
        self.log.info(
            "%d object pages (%s) and %d index pages; examples: %d from docstrings, "
            "%d from usage, %d generated, %d verified, %d failed; %s%d analyzed, %d from cache, "
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
            f"{self.keeper.note()}, " if self.serving and self.keeper.tree else "",
            site.analyzed,
            site.reused,
            self.own_time,
            f" + {_worker_time(timings):.2f} s in a worker process" if in_worker else "",
        )
        self.log.debug("own time: %s", ", ".join(f"{k} {v:.3f}s" for k, v in timings.items()))


class _ToFrontendLog(logging.Handler):
    """Re-emit Griffe's records on the frontend's logger (MkDocs: where `--strict` counts);
    its docstring-parsing warnings at `docstring_level` (`griffe_warnings: info`)."""

    def __init__(self, log: Log, docstring_level: int = logging.WARNING) -> None:
        super().__init__(logging.WARNING)
        self.log = log
        self.docstring_level = docstring_level

    def emit(self, record: logging.LogRecord) -> None:
        level = record.levelno
        if level == logging.WARNING and is_docstring_warning(record):
            level = self.docstring_level
        self.log.log(level, "%s", record.getMessage())


def is_docstring_warning(record: logging.LogRecord) -> bool:
    """Whether Griffe logged `record` while parsing a docstring: its docstring parsers live in
    `griffe/_internal/docstrings/` (Griffe 2.x) or `_griffe/docstrings/` (1.x)."""
    return "docstrings" in Path(record.pathname).parts


def route_griffe_logs(log: Log, *, docstring_level: int = logging.WARNING) -> None:
    griffe_log = logging.getLogger("griffe")
    for handler in griffe_log.handlers:
        if isinstance(handler, _ToFrontendLog):
            handler.log, handler.docstring_level = log, docstring_level
            return
    griffe_log.addHandler(_ToFrontendLog(log, docstring_level))
    griffe_log.propagate = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Griffe's tree and the ASTs are ~150k long-lived objects: collecting them again and
    again while they are built is wasted work (rich: 0.3 s of 1.5 s own time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _worker_time(timings: dict[str, float]) -> float:
    return sum(seconds for stage, seconds in timings.items() if stage != "load")
