"""The pipeline without MkDocs: load → analyze → plan pages → render Markdown."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import griffe

from mkdocs_howto.analyze import AnalyzeOptions, Analyzer, link_anchors
from mkdocs_howto.analyze.code import forget_load
from mkdocs_howto.analyze.description import parse_docstring
from mkdocs_howto.analyze.lint import DEFAULT_VAGUE_TERMS, find_vague_terms, vague_pattern
from mkdocs_howto.analyze.members import parse_kwargs_docstrings
from mkdocs_howto.analyze.running import run_example
from mkdocs_howto.analyze.symbols import Lookup, Symbol, lookup_for
from mkdocs_howto.analyze.values import CALL_SITES, call_sites_identity, take_sources_read
from mkdocs_howto.cache import (
    CachedPage,
    PageCache,
    Recorder,
    api_surface,
    digest,
    files_fingerprint,
    identifier,
    object_key,
    plugin_fingerprint,
)
from mkdocs_howto.docstrings import rest_to_markdown
from mkdocs_howto.errors import HowToError, Problem, display_path
from mkdocs_howto.facts import HowTo, IndexEntry, ModuleIndex
from mkdocs_howto.inventory import cross_ref_targets
from mkdocs_howto.load import LoadedApi, LoadOptions, PublicModule, PublicObject, load_api
from mkdocs_howto.pages import (
    PageLinks,
    SitePlan,
    page_links,
    plan_site,
    rebase_links,
    relative_link,
)
from mkdocs_howto.reload import TreeKeeper
from mkdocs_howto.render import Renderer, RenderOptions, do_text
from mkdocs_howto.worker import Send
from mkdocs_howto.writer import Grounding, LlmOptions, Subject


@dataclass(frozen=True)
class SiteOptions:
    load: LoadOptions
    analyze: AnalyzeOptions
    render: RenderOptions
    output_dir: str = "howto"
    nav_depth: str = "auto"
    lint_docstrings: bool = False
    vague_terms: tuple[str, ...] = DEFAULT_VAGUE_TERMS
    writer: LlmOptions | None = None
    """`writer: llm`: the model writer's options (None: the static text only)."""


@dataclass
class GeneratedSite:
    """Markdown per page URI, the nav section, and what happened on the way."""

    pages: dict[str, str]
    plan: SitePlan
    problems: list[Problem]
    source_dirs: list[Path]
    timings: dict[str, float] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)
    lint: list[Problem] = field(default_factory=list)
    """Vague terms found in docstrings (when `lint_docstrings` is on)."""
    analyzed: int = 0
    """Objects analyzed and rendered by this build."""
    replayed: list[str] = field(default_factory=list)
    """Warnings of objects served from the cache, to log again (see `CachedPage.warnings`)."""
    reused: int = 0
    """Objects whose page came from the cache."""
    notes: list[str] = field(default_factory=list)
    """What the build says at INFO level (the sibling packages loaded)."""
    warnings: list[str] = field(default_factory=list)
    """Warnings without a place in the code (the model's server did not answer)."""
    fatal: str | None = None
    """An error the frontend must stop the build with, after the warnings (no API key)."""


def _example_problems(howto: HowTo) -> Iterator[Problem]:
    """Warnings about the page's example, at the object's file and line."""
    where = howto.source.display_path if howto.source else howto.public_path
    line = howto.source.lineno if howto.source else 1
    example = howto.example
    for problem in example.problems:
        if example.ran:  # the page shows it: the reader meets the same failure
            yield Problem(
                where,
                line,
                f"usage example on the page of '{howto.public_path}' {problem}"
                + ("" if example.needs_network else " (the page shows it failed)"),
            )
            continue
        yield Problem(
            where, line, f"usage example of '{howto.public_path}' failed its check: {problem}"
        )
    for problem in howto.example.docstring_problems:
        yield Problem(
            where,
            line,
            f"docstring example of '{howto.public_path}' is not shown, it does not parse: "
            f"{problem}",
        )


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class Outline:
    """What MkDocs needs before it reads any page: each page's URI (in the order they are
    written), the nav section and the docstring lint."""

    plan: SitePlan
    uris: list[str]
    lint: list[Problem]


@dataclass
class PlannedSite:
    """The loaded API and where its pages go: everything MkDocs needs before any page is read.

    Its load problems (`api.problems`) and docstring lint are known here; the pages are
    written by `write_pages`, here or in a worker process (see `worker`).
    """

    api: LoadedApi
    plan: SitePlan
    lint: list[Problem]
    timings: dict[str, float]

    @property
    def outline(self) -> Outline:
        objects = (self.plan.object_pages[item.public_path] for item in self.api.objects)
        indexes = (self.plan.index_pages[module.path] for module in self.api.modules)
        return Outline(self.plan, [*objects, *indexes], self.lint)


def plan_pages(
    options: SiteOptions, *, keep_trees: bool = True, keeper: TreeKeeper | None = None
) -> PlannedSite:
    """Load the packages and place their pages: the part of a build MkDocs has to wait for
    (`keep_trees`: see `sources.SourceLoader`; `keeper`: the last load, brought up to date
    by re-reading only the changed files)."""
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        if keeper is None:
            api = load_api(options.load, keep_trees=keep_trees)
        else:
            api = keeper.load(options.load, keep_trees=keep_trees)
        parse_kwargs_docstrings(item.obj for item in api.objects)
        plan = _plan(api, options)
    lint = lint_docstrings(api, options.vague_terms) if options.lint_docstrings else []
    return PlannedSite(api, plan, lint, timings)


def _plan(api: LoadedApi, options: SiteOptions) -> SitePlan:
    """Where the pages go and what links can name: kept with the API (`LoadedApi.derived`)."""
    key = ("plan", options.output_dir, options.nav_depth)
    plan: SitePlan | None = api.derived.get(key)
    if plan is None:
        plan = api.derived[key] = plan_site(api, options.output_dir, options.nav_depth)
        plan.targets = cross_ref_targets(api, plan)
    return plan


def _links(api: LoadedApi, plan: SitePlan) -> PageLinks:
    """Every documented path's page (and method anchor): kept with the API and its plan."""
    key = ("links", id(plan))
    links: PageLinks | None = api.derived.get(key)
    if links is None:
        links = api.derived[key] = page_links(api, plan, link_anchors)
    return links


def generate_site(
    options: SiteOptions, renderer: Renderer | None = None, cache: PageCache | None = None
) -> GeneratedSite:
    """Build every page's Markdown; `renderer` is reused when given (templates compile once).

    Objects found in `cache` (kept by the caller across serve rebuilds) are not re-analyzed.
    """
    return write_pages(options, plan_pages(options), renderer, cache)


def write_pages(
    options: SiteOptions,
    planned: PlannedSite,
    renderer: Renderer | None = None,
    cache: PageCache | None = None,
    sink: Send | None = None,
) -> GeneratedSite:
    """Analyze and render the planned pages, in `planned.uris` order.

    Objects found in `cache` are not analyzed again, and the pages written go into it;
    without one, nothing is kept. With a `sink`, each page goes there as soon as it exists
    and is not kept either: the site comes back without pages (a worker has sent them).
    """
    api, plan = planned.api, planned.plan
    timings = dict(planned.timings)
    lookups = Recorder(_resolver(api), _with_value_sources(api))
    # names re-exported from sibling packages are the packages' API too (`attrs` → `attr`)
    siblings = frozenset(module.name for module in api.siblings)
    analyze = replace(options.analyze, packages=options.analyze.packages | siblings)
    analyzer = Analyzer(analyze, lookups, _links(api, plan))
    renderer = renderer or Renderer(options.render)
    if cache is not None:
        cache.start_build()
    with _timed(timings, "cache"):
        context = _context(options, api) if cache is not None else ""
    pages: dict[str, str] = {}
    emit = sink or pages.__setitem__
    listed: dict[str, _Listed] = {}
    problems = list(api.problems)
    reused = 0
    replayed: list[str] = []
    held: list[tuple[PublicObject, CachedPage]] = []
    for item in api.objects:
        with _timed(timings, "cache"):
            key, page = _cached(cache, lookups, item, context)
        if page is None:
            # `writer: llm` renders each page once, when its prose is known
            page = _recorded(
                lookups, item, analyzer, renderer, timings, render=options.writer is None
            )
            if cache is not None:
                cache.put(key, replace(page, lookups=lookups.take()))
        else:
            reused += 1
            replayed.extend(page.warnings)
        if options.writer is None:
            emit(plan.object_pages[item.public_path], page.markdown)
        else:  # written once the model's prose is known
            held.append((item, page))
        # the facts are let go: the index pages and the stats need only these
        listed[item.public_path] = _Listed.of(page.howto)
        problems += _example_problems(page.howto)
    if options.writer is not None:
        written = _with_prose(options.writer, api, held, renderer, analyze=analyze, timings=timings)
        for item, markdown in written.pages:
            emit(plan.object_pages[item.public_path], markdown)
    with _timed(timings, "render"):
        for module in api.modules:
            uri = plan.index_pages[module.path]
            markdown = _index_page(
                module, uri, plan=plan, listed=listed, analyzer=analyzer, renderer=renderer,
                cache=cache, context=context,
            )  # fmt: skip
            emit(uri, markdown)
    if cache is not None:
        cache.finish_build()
    forget_load()
    site = GeneratedSite(
        pages, plan, problems, api.source_dirs(), timings, _stats(listed), planned.lint
    )
    site.reused, site.analyzed = reused, len(listed) - reused
    site.replayed, site.notes = replayed, list(api.notes)
    if options.writer is not None:
        written.add_to(site)
    return site


def _cached(
    cache: PageCache | None, lookups: Recorder[Any], item: PublicObject, context: str
) -> tuple[str, CachedPage | None]:
    """The object's cache key and its cached page, if still valid."""
    if cache is None:
        return "", None
    key = object_key(item, context)
    page = cache.get(key)
    return key, page if page is not None and lookups.still_valid(page) else None


@dataclass(frozen=True)
class _Written:
    pages: list[tuple[PublicObject, str]]
    problems: list[Problem]
    warnings: list[str]
    summary: str
    fatal: str | None

    def add_to(self, site: GeneratedSite) -> None:
        site.problems += self.problems
        site.warnings += self.warnings
        site.notes.append(self.summary)
        site.fatal = self.fatal


def _with_prose(
    options: LlmOptions,
    api: LoadedApi,
    held: list[tuple[PublicObject, CachedPage]],
    renderer: Renderer,
    *,
    analyze: AnalyzeOptions,
    timings: dict[str, float],
) -> _Written:
    """The held pages with the model's checked prose where it has some (`writer: llm`), the
    warnings of the pages kept static and the run's summary line."""
    subjects = [Subject(page.howto, _import_line(item.import_path)) for item, page in held]
    grounding = Grounding(
        analyze.packages, _resolver(api), _api_paths(api), _example_runner(analyze)
    )
    # (the model's client and asyncio: imported by the sites that ask for prose only)
    from mkdocs_howto.writer.run import ProseWriter  # noqa: PLC0415

    with _timed(timings, "writer"):
        result = ProseWriter(options).write(subjects, grounding)
    pages = []
    for item, page in held:
        prose, markdown = result.prose.get(item.public_path), page.markdown
        if prose is not None or not markdown:
            with _timed(timings, "render"):
                markdown = renderer.render_howto(replace(page.howto, prose=prose))
        pages.append((item, markdown))
    where = {item.public_path: page.howto.source for item, page in held}
    problems, warnings = [], []
    for rejection in result.rejected:
        source = where.get(rejection.public_path)
        problems.append(
            Problem(
                source.display_path if source else rejection.public_path,
                source.lineno if source else 1,
                f"the prose {options.model} wrote for '{rejection.public_path}' failed its "
                f"check: {rejection.reason}; the page keeps the static text",
            )
        )
    if result.unreachable is not None:
        left = sorted(result.skipped)
        static = f": {len(left)} page(s) keep the static text: {', '.join(left)}" if left else ""
        warnings.append(
            f"no answer from {options.model} at {options.base_url or 'the default URL'} "
            f"({result.unreachable}){static}"
        )
    return _Written(pages, problems, warnings, result.summary(options.model), result.fatal)


def _example_runner(options: AnalyzeOptions) -> Callable[[str], tuple[str, ...]] | None:
    """Under `verify_examples: run`, what runs a model's example as generated ones are run."""
    if options.verify_examples != "run":
        return None

    def run(code: str) -> tuple[str, ...]:
        ran = run_example(code, doctest=False, paths=options.run_paths, timeout=options.run_timeout)
        return ran.problems

    return run


def _import_line(import_path: str) -> str:
    module, _, name = import_path.rpartition(".")
    return f"from {module} import {name}" if module else f"import {name}"


def _api_paths(api: LoadedApi) -> frozenset[str]:
    """Every path a reader may meet: public, canonical, import and module paths, members."""
    paths: set[str] = {module.path for module in api.modules}
    for item in api.objects:
        paths.update((item.public_path, item.obj.path, item.import_path, item.module_path))
        for path in {item.public_path, item.import_path}:
            paths.update(f"{path}.{name}" for name in item.obj.members)
    return frozenset(paths)


@dataclass(frozen=True)
class _Listed:
    """What index pages and stats need of an analyzed object."""

    kind: str
    summary: str
    example_origin: str
    example_verified: bool

    @classmethod
    def of(cls, howto: HowTo) -> _Listed:
        # the whole first paragraph: an index row cut at the docstring's first line ended
        # mid-sentence (click: 104 of 174 rows); the `cell` filter joins its lines
        summary = howto.description.summary.partition("\n\n")[0]
        return cls(howto.kind, summary, howto.example.origin, howto.example.verified)


def _stats(listed: dict[str, _Listed]) -> Counter[str]:
    stats: Counter[str] = Counter()
    for item in listed.values():
        stats[item.kind] += 1
        stats[f"example from {item.example_origin}"] += 1
        stats["example verified" if item.example_verified else "example failed"] += 1
    return stats


def _context(options: SiteOptions, api: LoadedApi) -> str:
    """What every page depends on: options, plugin code, user templates, the API surface."""
    # Examples that are *run* depend on the whole package's behaviour, not only on what their
    # lookups name: then any saved source file re-analyzes every page.
    running = options.analyze.verify_examples == "run"
    return digest(
        _canonical(options),
        plugin_fingerprint(),
        # only what the Markdown templates read: a `template` kept in the project root must not
        # put the site, the virtualenv or the cache file itself into every key
        files_fingerprint(options.render.user_dirs, "*.jinja"),
        api_surface(api),
        files_fingerprint(api.source_dirs()) if running else "",
    )


def _canonical(value: object) -> str:
    """`repr` with sets sorted: a frozenset's order changes with the hash seed of each run,
    and the on-disk cache must hit after a restart."""
    if is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(f"{f.name}={_canonical(getattr(value, f.name))}" for f in fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, set | frozenset):
        return repr(sorted(value, key=repr))
    if isinstance(value, dict):
        return repr(sorted((repr(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_canonical(item) for item in value) + "]"
    return repr(value)


def _analyze_and_render(
    item: PublicObject,
    analyzer: Analyzer,
    renderer: Renderer,
    timings: dict[str, float],
    render: bool = True,
) -> CachedPage:
    """The object's facts and (`render`) its page; without, the Markdown is left empty."""
    with _timed(timings, "analyze"), _GriffeWarnings() as warnings:
        howto = analyzer.analyze(item)
    with _timed(timings, "render"):
        markdown = renderer.render_howto(howto) if render else ""
        return CachedPage(howto, markdown, warnings=tuple(warnings.messages))


class _GriffeWarnings(logging.Handler):
    """Collect what Griffe warns about while one object is analyzed (it still logs as usual)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    #: Griffe's own logger, and where mkdocstrings moves it (`patch_loggers`) when both run.
    LOGGERS = ("griffe", "mkdocs.plugins.griffe")

    def __enter__(self) -> _GriffeWarnings:
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


def _defined_elsewhere(obj: PublicObject) -> str | None:
    """The module defining an object documented at a path of another top-level package
    (`attrs.define`, defined in `attr._next_gen`)."""
    home = obj.obj.parent
    if home is None or obj.obj.path.split(".", 1)[0] == obj.public_path.split(".", 1)[0]:
        return None
    return home.path


def _module_index(
    module: PublicModule,
    uri: str,
    plan: SitePlan,
    listed: dict[str, _Listed],
    analyzer: Analyzer,
) -> ModuleIndex:
    def entry(name: str, obj: PublicObject, reexport: bool) -> IndexEntry:
        item = listed[obj.public_path]
        return IndexEntry(
            name,
            item.kind,
            rebase_links(item.summary, plan.object_pages[obj.public_path], uri),
            relative_link(uri, plan.object_pages[obj.public_path]),
            documented_in=obj.module_path if reexport else None,
            alias_of=obj.name if reexport and name != obj.name else None,
            defined_in=_defined_elsewhere(obj),
        )

    objects = tuple(entry(obj.name, obj, reexport=False) for obj in module.objects) + tuple(
        entry(name, obj, reexport=True) for name, obj in module.reexports
    )
    submodules = tuple(
        IndexEntry(
            path,
            "module",
            _summary(path, module.module),
            relative_link(uri, plan.index_pages[path]),
        )
        for path in module.submodules
        if path in plan.index_pages
    )
    summary = parse_docstring(module.module, analyzer.converter(uri, module.module)).summary
    return ModuleIndex(module.path, summary, objects, submodules)


def _index_page(
    module: PublicModule,
    uri: str,
    *,
    plan: SitePlan,
    listed: dict[str, _Listed],
    analyzer: Analyzer,
    renderer: Renderer,
    cache: PageCache | None,
    context: str,
) -> str:
    """A module's index page, from `cache` when nothing it shows changed."""
    key = index_key(module, uri, plan, listed, context) if cache is not None else ""
    markdown = cache.get_index(key) if cache is not None else None
    if markdown is None:
        markdown = renderer.render_index(_module_index(module, uri, plan, listed, analyzer))
    if cache is not None:
        cache.put_index(key, markdown)
    return markdown


def index_key(
    module: PublicModule, uri: str, plan: SitePlan, listed: dict[str, _Listed], context: str
) -> str:
    """What a module's index page is made of: its docstring, each entry's name, kind,
    summary and page, and its submodules' docstrings (their summaries), in `context`."""
    entries = [
        (name, obj.public_path, obj.module_path, obj.obj.path, listed[obj.public_path], reexport)
        for name, obj, reexport in (
            *((obj.name, obj, False) for obj in module.objects),
            *((name, obj, True) for name, obj in module.reexports),
        )
    ]
    members = module.module.members
    submodules = [
        (path, _docstring(members.get(path.rsplit(".", 1)[-1]))) for path in module.submodules
    ]
    return digest(
        context, uri, module.path, _docstring(module.module), *entries, *submodules,
        *(plan.object_pages[entry[1]] for entry in entries),
        *(plan.index_pages.get(path) for path, _ in submodules),
    )  # fmt: skip


def _docstring(obj: object) -> str:
    docstring = getattr(obj, "docstring", None)
    return docstring.value if docstring is not None else ""


def _summary(path: str, parent: griffe.Module) -> str:
    """A submodule's summary in the parent's list (roles as code: the list is one line)."""
    sub = parent.members.get(path.rsplit(".", 1)[-1])
    return parse_docstring(sub, rest_to_markdown).summary if isinstance(sub, griffe.Module) else ""


def _recorded(
    lookups: Recorder[Symbol | None],
    item: PublicObject,
    analyzer: Analyzer,
    renderer: Renderer,
    timings: dict[str, float],
    *,
    render: bool,
) -> CachedPage:
    """The page analyzed (and rendered), with what it read noted in `lookups`: the paths it
    looked up and the sources of the values its example passes."""
    lookups.take()
    take_sources_read()
    page = _analyze_and_render(item, analyzer, renderer, timings, render)
    lookups.seen.update(take_sources_read())
    return page


def _with_value_sources(api: LoadedApi) -> Callable[[str], str]:
    """`identify(path)` of the cache, also for the call sites value mining read
    (`calls:<callee>`: the literal arguments of every call of it in the load)."""
    root = api.roots[0]
    identify = identifier(root.modules_collection)

    @cache  # a page's check asks for ~60 identities, most shared: once per build each
    def identify_with_values(path: str) -> str:
        if path.startswith(CALL_SITES):
            return call_sites_identity(root, path[len(CALL_SITES) :])
        return identify(path)

    return identify_with_values


def _resolver(api: LoadedApi) -> Lookup:
    """Signature facts of a dotted path of the loaded tree; None when it does not exist."""
    import_paths = {item.obj.path: item.import_path for item in api.objects}
    return lookup_for(api.roots[0].modules_collection, import_paths)


def lint_docstrings(api: LoadedApi, terms: tuple[str, ...]) -> list[Problem]:
    """Vague terms in the docstrings of documented objects and their public methods."""
    pattern = vague_pattern(terms)
    problems = []
    for item in api.objects:
        members = item.obj.members.values() if isinstance(item.obj, griffe.Class) else ()
        for obj in (item.obj, *members):
            if obj.is_alias or obj.docstring is None or obj.name.startswith("_"):
                continue
            where = display_path(obj.filepath) if isinstance(obj.filepath, Path) else item.name
            problems += [
                Problem(
                    where,
                    (obj.docstring.lineno or 1) + hit.line_offset,
                    f"docstring of '{obj.path}' says '{hit.term}', which names no action: "
                    f"say what it does ({hit.suggestion})",
                )
                for hit in find_vague_terms(obj.docstring.value, pattern)
            ]
    return problems


def package_dirs(options: LoadOptions) -> list[Path]:
    """Where the packages' sources would be: watched by `serve` even when loading failed."""
    found = []
    for name in options.packages:
        top = name.split(".")[0]
        for folder in options.paths:
            for candidate in (folder / top, folder / f"{top}.py"):
                if candidate.exists():
                    found.append(candidate)
    return found


_FRONT_MATTER_END = "\n---\n"


def fallback_site(
    options: SiteOptions, error: HowToError, last_good: GeneratedSite | None
) -> GeneratedSite:
    """What `serve` shows while the packages do not load: the last good pages with a banner
    naming the error, or (nothing loaded yet) one page explaining it. The reader sees why the
    pages did not change; fixing the file brings the real pages back."""
    banner = (
        '!!! failure "These pages are out of date"\n\n'
        f"    mkdocs-howto could not load the package: {do_text(error)}\n\n"
        "    Fix it and save: the pages are regenerated.\n\n"
    )
    if last_good is None:
        uri = f"{options.output_dir}/index.md"
        page = f"# How-to guides could not be generated\n\n{banner}"
        plan = SitePlan(nav=[uri])
        return GeneratedSite({uri: page}, plan, [], package_dirs(options.load))
    pages = {uri: _with_banner(text, banner) for uri, text in last_good.pages.items()}
    return GeneratedSite(pages, last_good.plan, [], last_good.source_dirs, stats=last_good.stats)


def _with_banner(page: str, banner: str) -> str:
    """The banner right after the front matter (which must stay first) and the page title."""
    head, body = "", page
    if page.startswith("---\n") and _FRONT_MATTER_END in page[3:]:
        end = page.index(_FRONT_MATTER_END, 3) + len(_FRONT_MATTER_END)
        head, body = page[:end], page[end:]
    title, _, rest = body.lstrip("\n").partition("\n")
    if title.startswith("# "):
        return f"{head}\n{title}\n\n{banner}{rest.lstrip(chr(10))}"
    return f"{head}{banner}{body}"
