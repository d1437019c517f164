"""The MkDocs shell: wires MkDocs events to the pipeline in `generate`. Nothing else."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import nest_paths

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.analyze.lint import find_vague_terms, vague_pattern
from mkdocs_howto.config import HowToConfig
from mkdocs_howto.errors import HowToError
from mkdocs_howto.generate import GeneratedSite, SiteOptions, generate_site
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.pages import merge_nav
from mkdocs_howto.render import Renderer, RenderOptions

log = get_plugin_logger(__name__)

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


class HowToPlugin(BasePlugin[HowToConfig]):  # type: ignore[no-untyped-call]
    """Generate a how-to page per public class and function of the configured packages."""

    def __init__(self) -> None:
        self.site: GeneratedSite | None = None
        self.options: SiteOptions | None = None
        self.renderer: Renderer | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check options, register templates, CSS and Markdown extensions."""
        _route_griffe_logs()
        self.site = None
        root = Path(config.config_file_path or ".").resolve().parent
        custom_dir = config.theme.custom_dir
        config.theme.dirs.insert(1 if custom_dir else 0, str(THEME))
        config.extra_css.append(CSS_URI)
        _add_extensions(config)
        _check_lexicon(self.config.lexicon, self.config.vague_terms)
        self.options = self._site_options(config, root)
        try:
            self.renderer = Renderer(self.options.render)
        except HowToError as error:
            raise PluginError(f"howto: {error}") from error
        return config

    def _site_options(self, config: MkDocsConfig, root: Path) -> SiteOptions:
        options = self.config
        template = Path(options.template).resolve() if options.template else None
        user_dirs = tuple(
            p for p in (template.parent if template else None, config.theme.custom_dir) if p
        )
        return SiteOptions(
            load=LoadOptions(
                packages=tuple(options.packages),
                paths=tuple(root / path for path in options.paths if (root / path).is_dir()),
                include=tuple(options.include),
                exclude=tuple(options.exclude),
                docstring_style=options.docstring_style,
            ),
            analyze=AnalyzeOptions(
                packages=frozenset(name.split(".")[0] for name in options.packages),
                extra_calls=dict(options.lexicon),
                repo_url=_blob_url(config.repo_url),
                repo_root=_checkout_root(root),
            ),
            render=RenderOptions(
                show_source=options.show_source,
                line_anchors=_line_anchors(config),
                howto_template=template.name if template else "howto.md.jinja",
                user_dirs=tuple(Path(p) for p in user_dirs),
            ),
            output_dir=options.output_dir,
            lint_docstrings=options.lint_docstrings != "off",
            vague_terms=tuple(options.vague_terms),
        )

    @event_priority(50)  # before nav plugins, so they see the generated pages
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Generate the pages and their nav section."""
        assert self.options is not None
        try:
            site = generate_site(self.options, self.renderer)
        except HowToError as error:
            raise PluginError(f"howto: {error}") from error
        self.site = site
        for problem in site.problems:
            log.warning("%s", problem)
        _report_lint(site, self.config.lint_docstrings)
        others = [f.src_uri for f in files.documentation_pages()]
        for uri, content in site.pages.items():
            if files.get_file_from_path(uri) is not None:
                log.info("docs/%s is your own page: it replaces the generated one", uri)
                continue
            page = File.generated(config, uri, content=content)
            page.edit_uri = None
            files.append(page)
        config.nav = merge_nav(
            config.nav,
            nest_paths(others),  # type: ignore[no-untyped-call]
            site.plan.nav,
            self.options.output_dir,
            self.config.nav_title,
        )
        _log_summary(site)
        return files

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when the documented packages' sources change."""
        if self.site is not None:
            for path in self.site.source_dirs:
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


def _report_lint(site: GeneratedSite, mode: str) -> None:
    for problem in site.lint:
        log.warning("%s", problem)
    if site.lint and mode == "strict":
        raise PluginError(
            f"howto: {len(site.lint)} docstrings use vague terms (lint_docstrings: strict)"
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


def _log_summary(site: GeneratedSite) -> None:
    stats, timings = site.stats, site.timings
    objects = sum(count for kind, count in stats.items() if not kind.startswith("example"))
    log.info(
        "%d object pages (%s) and %d index pages; examples: %d from docstrings, "
        "%d generated, %d verified, %d failed",
        objects,
        ", ".join(
            f"{count} {kind}"
            for kind, count in sorted(stats.items())
            if not kind.startswith("example")
        ),
        len(site.pages) - objects,
        stats["example from docstring"],
        stats["example from signature"],
        stats["example verified"],
        stats["example failed"],
    )
    log.debug("own time: %s", ", ".join(f"{k} {v:.3f}s" for k, v in timings.items()))
