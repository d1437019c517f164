"""The frontends' options turned into the pipeline's: the validated `howto` options (read by
MkDocs, the command line or the Markdown extension) and what the engine needs of the site
around them (`SiteSettings`) make one `SiteOptions`. No MkDocs here either."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.analyze.lint import find_vague_terms, vague_pattern
from mkdocs_howto.analyze.usage import UsageIndex, collect_usage
from mkdocs_howto.errors import HowToError
from mkdocs_howto.generate import SiteOptions
from mkdocs_howto.labels import DEFAULT_LANGUAGE, labels_for, language_for
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.render import RenderOptions
from mkdocs_howto.writer import LlmOptions

_DEFAULT_PATHS = ["src", "."]

Log = logging.Logger | logging.LoggerAdapter[Any]
"""Where the engine's warnings and its summary line go (the frontend's logger)."""


class HowToOptions(Protocol):
    """The validated `howto` options (`config.HowToConfig`, whichever frontend read them)."""

    @property
    def packages(self) -> list[str]: ...
    @property
    def paths(self) -> list[str]: ...
    @property
    def output_dir(self) -> str: ...
    @property
    def include(self) -> list[str]: ...
    @property
    def exclude(self) -> list[str]: ...
    @property
    def docstring_style(self) -> str: ...
    @property
    def nav_title(self) -> str | None: ...
    @property
    def nav_depth(self) -> str: ...
    @property
    def parallel(self) -> bool: ...
    @property
    def show_source(self) -> bool: ...
    @property
    def search_source(self) -> bool: ...
    @property
    def template(self) -> str | None: ...
    @property
    def vague_terms(self) -> list[str]: ...
    @property
    def lint_docstrings(self) -> str: ...
    @property
    def lexicon(self) -> dict[str, str]: ...
    @property
    def examples_from(self) -> list[str]: ...
    @property
    def usage_paths(self) -> list[str]: ...
    @property
    def verify_examples(self) -> str: ...
    @property
    def run_timeout(self) -> float: ...
    @property
    def cache_dir(self) -> str | None: ...
    @property
    def griffe_warnings(self) -> str: ...
    @property
    def sibling_packages(self) -> str: ...
    @property
    def labels(self) -> dict[str, str]: ...
    @property
    def writer(self) -> str: ...
    @property
    def llm(self) -> Any: ...


@dataclass(frozen=True)
class SiteSettings:
    """What the engine needs of the site around the pages (not of the `howto` options)."""

    root: Path
    """The folder of the config file: relative option paths start here."""
    repo_url: str | None = None
    custom_dir: Path | None = None
    """The theme's override folder: its templates are the user's too."""
    line_anchors: str | None = None
    """The id prefix `pymdownx.highlight` gives source lines, if any."""
    language: str | None = None
    """The theme's language (`theme.language`): the pages' fixed texts follow it."""


def line_anchors(highlight: dict[str, Any]) -> str | None:
    """The id prefix of source lines under these `pymdownx.highlight` settings."""
    if highlight.get("line_anchors"):
        return str(highlight["line_anchors"])
    return "__codelineno" if highlight.get("anchor_linenums") else None


def site_options(howto: HowToOptions, settings: SiteSettings, log: Log) -> SiteOptions:
    """The pipeline's options from the `howto` options and the site around them."""
    root = settings.root
    template = Path(howto.template).resolve() if howto.template else None
    user_dirs = tuple(p for p in (template.parent if template else None, settings.custom_dir) if p)
    paths = search_paths(howto.paths, root, log)
    return SiteOptions(
        load=LoadOptions(
            packages=tuple(howto.packages),
            paths=paths,
            include=tuple(howto.include),
            exclude=tuple(howto.exclude),
            docstring_style=howto.docstring_style,
            sibling_packages=howto.sibling_packages,
        ),
        analyze=AnalyzeOptions(
            packages=frozenset(name.split(".")[0] for name in howto.packages),
            extra_calls=dict(howto.lexicon),
            repo_url=blob_url(settings.repo_url),
            repo_root=checkout_root(root),
            examples_from=tuple(howto.examples_from),
            usage=_usage(howto.examples_from, howto.usage_paths, root),
            verify_examples=howto.verify_examples,
            run_paths=paths,
            run_timeout=float(howto.run_timeout),
        ),
        render=RenderOptions(
            labels=_labels(settings.language, howto.labels, log),
            show_source=howto.show_source,
            line_anchors=settings.line_anchors,
            howto_template=template.name if template else "howto.md.jinja",
            user_dirs=tuple(Path(p) for p in user_dirs),
        ),
        output_dir=howto.output_dir,
        nav_depth=howto.nav_depth,
        lint_docstrings=howto.lint_docstrings != "off",
        vague_terms=tuple(howto.vague_terms),
        writer=llm_options(howto, root) if howto.writer == "llm" else None,
    )


def llm_options(howto: HowToOptions, root: Path) -> LlmOptions:
    """The model writer's options; its vague terms are the language's list (`llm.vague_terms`)
    and the English one (`vague_terms`): a model may slip into English."""
    llm = howto.llm
    language = str(llm.language)
    english = language.split("-", maxsplit=1)[0].lower() == "en"
    own = [] if english else llm.vague_terms.get(language, [])
    return LlmOptions(
        model=str(llm.model),
        cache_dir=root / llm.cache_dir,
        base_url=llm.base_url,
        api_key_env=llm.api_key_env,
        concurrency=int(llm.concurrency),
        timeout=float(llm.timeout),
        max_retries=int(llm.max_retries),
        temperature=float(llm.temperature),
        language=language,
        objects=tuple(llm.objects),
        vague_terms=tuple(dict.fromkeys([*own, *howto.vague_terms])),
    )


def check_lexicon(entries: dict[str, str], terms: list[str]) -> None:
    """User lexicon sentences obey the same rule as the built-in ones."""
    pattern = vague_pattern(terms)
    for call, template in entries.items():
        prose = re.sub(r"\{\w+\}", "", template)
        hit = next(find_vague_terms(prose, pattern), None)
        if hit is not None:
            raise HowToError(
                f"lexicon entry '{call}: {template}' uses the vague term '{hit.term}': "
                f"name the action ({hit.suggestion})"
            )


def search_paths(paths: list[str], root: Path, log: Log) -> tuple[Path, ...]:
    """The `paths` that exist. None existing is an error: Griffe would fall back to
    `sys.path` and silently document an installed copy instead of your source."""
    found = tuple(root / path for path in paths if (root / path).is_dir())
    missing = [path for path in paths if not (root / path).is_dir()]
    if not found:
        raise HowToError(
            f"none of the `paths` exist ({', '.join(paths) or 'empty list'}, "
            f"relative to {root}): set `paths` to the folder holding your package"
        )
    if missing and paths != _DEFAULT_PATHS:
        log.warning("`paths` entries not found (relative to %s): %s", root, ", ".join(missing))
    return found


def checkout_root(folder: Path) -> Path:
    """The enclosing git checkout (where repository paths start), else `folder` itself."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def blob_url(repo_url: str | None) -> str | None:
    """`https://github.com/o/r` → `https://github.com/o/r/blob/HEAD` (GitLab: `/-/blob/`)."""
    if not repo_url:
        return None
    base = repo_url.rstrip("/")
    return f"{base}/-/blob/HEAD" if "gitlab" in base else f"{base}/blob/HEAD"


def _labels(
    theme_language: str | None, overrides: dict[str, str], log: Log
) -> tuple[tuple[str, str], ...]:
    """The fixed texts that differ from English: the theme language's, then `labels`."""
    language = language_for(theme_language)
    if language is None:
        log.info(
            "no texts in the theme's language '%s': the pages' titles and badges are "
            "in English (set `labels` to translate them)",
            theme_language,
        )
    english = labels_for(DEFAULT_LANGUAGE, {})
    labels = labels_for(language, overrides)
    return tuple((key, text) for key, text in labels.items() if english[key] != text)


def _usage(sources: list[str], paths: list[str], root: Path) -> UsageIndex | None:
    """Call sites mined from the project, when `examples_from` asks for them."""
    if "usage" not in sources:
        return None
    return collect_usage([root / path for path in paths], root)
