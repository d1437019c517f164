"""`mkdocs_howto.markdown`: a Python-Markdown extension expanding `::: howto mypkg.Obj` (an
object's page) and `::: howto mypkg` (a module's index) into the Markdown the MkDocs plugin
writes for that page, for sites whose engine runs no MkDocs plugins (Zensical) or anywhere
Python-Markdown runs.

Hosts create a `Markdown` instance (and this extension) per page: the packages are loaded
once per process and kept (`_Sites`), and loaded again only when their files change; the
pages come from the engine's cache then, so only changed objects are analyzed again.
"""

from __future__ import annotations

import difflib
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from mkdocs_howto.cache import files_fingerprint
from mkdocs_howto.config import EXTENSION_NAME, HowToConfig, validate_options
from mkdocs_howto.engine import HowToEngine
from mkdocs_howto.errors import HowToError
from mkdocs_howto.generate import GeneratedSite
from mkdocs_howto.hosts import host_api
from mkdocs_howto.settings import SiteSettings, line_anchors

#: Under `mkdocs.*`: MkDocs' `--strict` counts these warnings (no MkDocs import needed).
log = logging.getLogger("mkdocs.plugins.mkdocs_howto.markdown")
BLOCK = re.compile(r"^::: howto +(?P<target>[^\s]+) *$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
#: How often (seconds) a page may check whether the packages' files changed.
RECHECK_SECONDS = 0.25
#: Options of the extension that are not `howto` options.
BASE_DIR = "base_dir"


@dataclass
class _Loaded:
    """One configuration's generated site, kept for the process."""

    engine: HowToEngine
    targets: dict[str, str] = field(default_factory=dict)
    """Public path of an object or module -> its page's Markdown (without front matter)."""
    error: str | None = None
    """Why the packages did not load, told on every page that names them."""
    watched: list[Path] = field(default_factory=list)
    """The packages' folders and the user's templates: when they change, pages do."""
    fingerprint: str = ""
    checked: float = 0.0


class _Sites:
    """Generated sites by configuration: loaded on first use, again when files change."""

    def __init__(self) -> None:
        self.loaded: dict[str, _Loaded] = {}
        self.validated: dict[str, tuple[HowToConfig | None, str | None]] = {}

    def options(self, raw: dict[str, Any], base_dir: Path) -> tuple[HowToConfig | None, str | None]:
        """The validated options (or why they are not), their warnings logged once."""
        key = repr(sorted(raw.items(), key=repr)) + str(base_dir)
        if key not in self.validated:
            try:
                howto, warnings = validate_options(raw, base_dir / EXTENSION_NAME)
            except HowToError as error:
                log.warning("%s: %s", EXTENSION_NAME, error)
                self.validated[key] = None, f"{EXTENSION_NAME}: {error}"
            else:
                for warning in warnings:
                    log.warning("%s: %s", EXTENSION_NAME, warning)
                self.validated[key] = howto, None
        return self.validated[key]

    def get(self, howto: HowToConfig, settings: SiteSettings) -> _Loaded:
        """The site of these options, generated again if a watched file changed (checked at
        most every `RECHECK_SECONDS`: a site's pages are converted one after the other)."""
        key = repr(sorted(howto.items(), key=repr)) + repr(settings)
        loaded = self.loaded.get(key)
        if loaded is None:
            loaded = self.loaded[key] = _Loaded(HowToEngine(log))
        now = time.monotonic()
        if loaded.checked and now - loaded.checked < RECHECK_SECONDS:
            return loaded
        loaded.checked = now
        if not loaded.watched or files_fingerprint(loaded.watched) != loaded.fingerprint:
            _generate(loaded, howto, settings)
        return loaded


SITES = _Sites()


def _generate(loaded: _Loaded, howto: HowToConfig, settings: SiteSettings) -> None:
    engine = loaded.engine
    try:
        engine.configure(howto, settings)
        loaded.watched = engine.watched_paths(settings)
        loaded.fingerprint = files_fingerprint(loaded.watched)  # before: a save meanwhile counts
        site = engine.build()
    except HowToError as error:
        loaded.targets, loaded.error = {}, str(error)
        log.warning("howto: %s", error)
        return
    loaded.error = None
    loaded.targets = _targets(site)


def _targets(site: GeneratedSite) -> dict[str, str]:
    plan = site.plan
    places = {**plan.index_pages, **plan.object_pages}
    return {
        target: _FRONT_MATTER.sub("", site.pages[uri], count=1)
        for target, uri in places.items()
        if uri in site.pages
    }


class HowToPreprocessor(Preprocessor):
    """Replaces each `::: howto TARGET` line (outside code fences) by TARGET's page."""

    def __init__(self, md: Markdown, extension: HowToExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        if not any(line.startswith("::: howto") for line in lines):
            return lines
        loaded = self.extension.site(self.md)
        result: list[str] = []
        fence: str | None = None
        for number, line in enumerate(lines, 1):
            match = None if fence else BLOCK.match(line)
            fence = _next_fence(line, fence)
            if match is None:
                result.append(line)
                continue
            result += ["", *self._expand(loaded, match["target"], number, line), ""]
        return result

    def _expand(self, loaded: _Loaded, target: str, number: int, line: str) -> list[str]:
        markdown = loaded.targets.get(target)
        if markdown is not None:
            return markdown.split("\n")
        where = f"{_page_path(self.md)}:{_source_line(self.md, line, number)}"
        if loaded.error is not None:
            reason = f"the packages did not load ({loaded.error})"
        else:
            close = difflib.get_close_matches(target, loaded.targets, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            reason = f"no documented object or module is named '{target}'{hint}"
        log.warning("%s: '::: howto %s': %s", where, target, reason)
        return [
            '!!! failure "No how-to here"',
            "",
            f"    `::: howto {target}`: {_escape(reason)}",
        ]


def _next_fence(line: str, fence: str | None) -> str | None:
    """The code fence open after `line` (None: outside any)."""
    match = _FENCE.match(line)
    if match is None:
        return fence
    mark = match["fence"]
    if fence is None:
        return mark
    closes = mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip(mark[0] + " ")
    return None if closes else fence


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+!|])", r"\\\1", text)


def _page_path(md: Markdown) -> str:
    """The page being converted, as the host knows it: MkDocs' and ProperDocs' `relpath`
    tree processor holds its file, Zensical's `rendering_context` preprocessor its page."""
    file = _registered(md.treeprocessors, "relpath", "file")
    if file is not None:
        return str(getattr(file, "src_path", None) or getattr(file, "src_uri", "?"))
    page = _registered(md.preprocessors, "rendering_context", "page")
    path = getattr(page, "path", None)
    return str(path) if path else "<markdown>"


def _registered(registry: Any, name: str, attribute: str) -> Any:
    try:
        return getattr(registry[name], attribute, None)
    except (KeyError, IndexError, TypeError):
        return None


def _source_file(md: Markdown) -> Path | None:
    """The page's file: MkDocs' `relpath` file, or Zensical's page path inside its
    `docs_dir` (relative to the folder Zensical runs in, as its config resolves it)."""
    file = _registered(md.treeprocessors, "relpath", "file")
    if getattr(file, "abs_src_path", None):
        return Path(file.abs_src_path)
    context = _registered(md.preprocessors, "rendering_context", "config")
    page = _registered(md.preprocessors, "rendering_context", "page")
    docs_dir = context.get("docs_dir") if isinstance(context, dict) else None
    path = getattr(page, "path", None)
    return Path(docs_dir) / path if docs_dir and path else None


def _source_line(md: Markdown, line: str, number: int) -> int:
    """The line in the page's file (hosts strip the front matter before converting): the
    same occurrence of the same text, when the file can be read; else the converted line."""
    path = _source_file(md)
    try:
        source = path.read_text(encoding="utf-8-sig").split("\n") if path else []
    except OSError:
        source = []
    offset = len(source) - len(md.lines) if hasattr(md, "lines") else 0
    if offset >= 0 and 0 < number + offset <= len(source) and source[number + offset - 1] == line:
        return number + offset
    return number


class HowToExtension(Extension):
    """The extension; its settings are the plugin's `howto` options (`packages`, `paths`…)
    plus `base_dir`, where relative paths start (default: the current folder)."""

    def __init__(self, **kwargs: Any) -> None:
        # Every `howto` option is accepted: validated by the plugin's schema, not declared
        # one by one in Python-Markdown's `config` table.
        self.options = dict(kwargs)
        super().__init__()

    def extendMarkdown(self, md: Markdown) -> None:
        with host_api("Python-Markdown's extension API (preprocessors.register)"):
            md.preprocessors.register(HowToPreprocessor(md, self), "mkdocs_howto", 31.5)
            md.registerExtension(self)

    def site(self, md: Markdown) -> _Loaded:
        raw = dict(self.options)
        base_dir = Path(raw.pop(BASE_DIR, ".")).resolve()
        howto, error = SITES.options(raw, base_dir)
        if howto is None:
            return _Loaded(HowToEngine(log), error=error)
        settings = SiteSettings(root=base_dir, line_anchors=line_anchors(_highlight(md)))
        return SITES.get(howto, settings)


def _highlight(md: Markdown) -> dict[str, Any]:
    """The settings of `pymdownx.highlight` in this Markdown instance, if it is there."""
    for extension in md.registeredExtensions:
        if type(extension).__module__ == "pymdownx.highlight":
            return dict(extension.getConfigs())
    return {}


def makeExtension(**kwargs: Any) -> HowToExtension:
    return HowToExtension(**kwargs)
