"""The plugin's options, validated by MkDocs before any build work starts, and the same
options read from a config file for the other frontends (the command line)."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from mkdocs_howto.analyze.lint import DEFAULT_VAGUE_TERMS
from mkdocs_howto.errors import HowToError
from mkdocs_howto.labels import LabelsError, check_overrides
from mkdocs_howto.load import DEFAULT_EXCLUDE
from mkdocs_howto.pages import NAV_DEPTHS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python 3.10)
    import tomli as tomllib

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


class Labels(c.DictOfItems[str]):
    """Texts of the pages by key (`description: Beschreibung`): each names a text of the
    English table and keeps its `{placeholders}`."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default={})

    def run_validation(self, value: object) -> dict[str, str]:
        labels = super().run_validation(value)
        try:
            check_overrides(labels)
        except LabelsError as error:
            raise base.ValidationError(str(error)) from error
        return labels


class Bounded(c.Type[float]):
    """A number at least `low` (and at most `high`): `int` keeps whole numbers only."""

    def __init__(self, kind: type, default: float, low: float, high: float | None = None) -> None:
        super().__init__(kind, default=default)
        self.kind, self.low, self.high = kind, low, high

    def run_validation(self, value: object) -> float:
        given = value
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # `timeout: 60` is a float too
        number = super().run_validation(value)
        if isinstance(number, bool) or number < self.low or (self.high and number > self.high):
            upper = f" and at most {self.high:g}" if self.high else ""
            raise base.ValidationError(f"must be at least {self.low:g}{upper}, not {given!r}")
        return number


class LlmConfig(base.Config):  # type: ignore[no-untyped-call]
    """The `llm:` options of `writer: llm` (docs/llm.md)."""

    base_url = c.Optional(c.Type(str))
    """The OpenAI-compatible endpoint (`http://127.0.0.1:11434/v1` for Ollama); default
    OpenAI's."""
    model = c.Optional(c.Type(str))
    """The model name the server knows (required with `writer: llm`)."""
    api_key_env = c.Type(str, default="OPENAI_API_KEY")
    """The environment variable holding the key: the key itself is never in a file."""
    concurrency = Bounded(int, 4, 1, 64)
    timeout = Bounded(float, 60.0, 0.1)
    """Seconds one request may take."""
    max_retries = Bounded(int, 3, 1, 10)
    """Attempts per object; all of one object's calls end within timeout x max_retries."""
    temperature = Bounded(float, 0.2, 0.0, 2.0)
    language = c.Type(str, default="en")
    """The language of the model's prose (`ru`, `de`…); names of code stay as written."""
    objects = c.ListOfItems(c.Type(str), default=["*"])
    """Glob patterns on public paths: the objects that get model prose."""
    cache_dir = c.Type(str, default="howto-llm")
    """Folder (relative to `mkdocs.yml`) of the answers, one JSON file per object: commit it,
    and builds that find every answer call no model."""
    vague_terms = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Vague terms per language (`ru: [делает, обрабатывает]`); English uses `vague_terms`."""


class LlmOptionsConfig(c.SubConfig[LlmConfig]):
    """`llm:`, whose `model` is required once `writer: llm` asks for it."""

    def post_validation(self, config: base.Config, key_name: str) -> None:
        if config.get("writer") == "llm" and not config[key_name].model:
            raise base.ValidationError(
                "writer: llm needs `llm: {model: ...}`, the model name your server knows "
                "(e.g. gpt-4o-mini, or llama3.1 on Ollama)"
            )


class HowToConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of `plugins: - howto:` in `mkdocs.yml`."""

    packages = PackageList()
    """Import names of the packages to document (required)."""
    paths = c.ListOfItems(c.Type(str), default=["src", "."])
    """Folders searched for the packages, relative to `mkdocs.yml`."""
    output_dir = RelativeFolder(default="howto")
    """Folder of the generated pages inside the site."""
    sibling_packages = c.Choice(("paths", "installed", "off"), default="paths")
    """Other top-level packages the packages re-export from (`attrs` re-exports `attr`): names
    they export from such a package get pages at the public path. `paths`: the package is
    loaded from `paths` (from an environment's site-packages only when the same distribution
    ships it); `installed`: also from any installed package; `off`: never."""
    include = c.ListOfItems(c.Type(str), default=["*"])
    """Glob patterns on dotted public paths: only matching objects get a page."""
    exclude = c.ListOfItems(c.Type(str), default=list(DEFAULT_EXCLUDE))
    """Glob patterns on dotted paths left out: by default private names and test packages."""
    docstring_style = c.Choice(("auto", "google", "numpy", "sphinx"), default="auto")
    """How docstrings are parsed; `auto` detects the style per docstring."""
    nav_title = c.Optional(c.Type(str))
    """Title of the nav section holding the generated pages (default: the `nav_title` label,
    "How-to guides" in English)."""
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
    """`static`: check every example against the API; `run`: also run each example that passes
    (docstring, mined or generated) in a subprocess, show its output and warn when it fails
    (this imports your code); `off`: no checks."""
    run_timeout = c.Type((int, float), default=10)
    """Seconds one example may run under `verify_examples: run` before it is stopped."""
    griffe_warnings = c.Choice(("warn", "info"), default="warn")
    """How Griffe's docstring-parsing warnings (`Confusing indentation`, a parameter missing
    from the signature) are logged: `warn` (they count for `mkdocs build --strict`) or `info`
    (shown, not counted). The plugin's own warnings are always warnings."""
    labels = Labels()
    """Any fixed text of the pages, by key, over the theme language's table."""
    cache_dir = c.Optional(c.Type(str))
    """Folder (relative to `mkdocs.yml`) for an on-disk cache of analyzed pages, so the first
    build after a restart is fast too; off by default, safe to delete."""
    writer = c.Choice(("static", "llm"), default="static")
    """Who writes the Description and Execution Steps: `static` (the analyzer, offline) or
    `llm` (a model, from the static facts, checked against the code; the `llm` extra)."""
    llm = LlmOptionsConfig(LlmConfig)
    """The model writer's options (`writer: llm`)."""


# ---------------------------------------------------------------- outside MkDocs' own loading


class OptionsError(HowToError):
    """The `howto` options (from a file or the command line) do not validate."""


def validate_options(
    raw: Mapping[str, Any], config_file: Path | None
) -> tuple[HowToConfig, list[str]]:
    """The options checked as MkDocs checks the plugin's (same schema, same messages): the
    validated options and the warnings (an unknown option name); `config_file` is where
    relative files (`template`) start, as in MkDocs."""
    options = HowToConfig(config_file_path=str(config_file) if config_file else None)
    options.load_dict(dict(raw))
    errors, warnings = options.validate()
    if errors:
        raise OptionsError("\n".join(f"option '{key}': {message}" for key, message in errors))
    return options, [f"option '{key}': {message}" for key, message in warnings]


@dataclass(frozen=True)
class ConfigFile:
    """What a site's config file says that mkdocs-howto needs: the `howto` options and the
    site settings around them."""

    path: Path
    options: dict[str, Any]
    repo_url: str | None = None
    custom_dir: str | None = None
    language: str | None = None
    """The theme's language (`theme.language`): the pages' fixed texts follow it."""
    docs_dir: str = "docs"
    highlight: dict[str, Any] = field(default_factory=dict)
    """The `pymdownx.highlight` settings, if the file sets them."""


#: The extension's name in `markdown_extensions` (its settings are `howto` options too).
EXTENSION_NAME = "mkdocs_howto.markdown"


def read_config_file(path: Path) -> ConfigFile:
    """The `howto` options of an `mkdocs.yml` (the `howto` plugin's, else the Markdown
    extension's), a `zensical.toml` (`[project.plugins.howto]` or the extension's) or a
    `pyproject.toml` (`[tool.mkdocs-howto]`)."""
    try:
        data = _toml(path) if path.suffix == ".toml" else _yaml(path)
    except (OSError, ValueError, yaml.YAMLError, ConfigurationError) as error:
        raise OptionsError(f"{path}: cannot be read: {error}") from error
    if path.name == "pyproject.toml":
        options = data.get("tool", {}).get("mkdocs-howto")
        return ConfigFile(path, _table(path, options, "[tool.mkdocs-howto]"))
    site = data.get("project", data) if path.suffix == ".toml" else data
    extensions = _extensions(site.get("markdown_extensions"))
    options = _plugin_options(site.get("plugins")) or extensions.get(EXTENSION_NAME)
    where = "[project.plugins.howto]" if path.suffix == ".toml" else "`plugins: - howto:`"
    theme = site.get("theme")
    theme = theme if isinstance(theme, dict) else {}
    return ConfigFile(
        path,
        _table(path, options, where),
        repo_url=site.get("repo_url"),
        custom_dir=theme.get("custom_dir"),
        language=theme.get("language"),
        docs_dir=str(site.get("docs_dir", "docs")),
        highlight=extensions.get("pymdownx.highlight") or {},
    )


def _table(path: Path, options: object, where: str) -> dict[str, Any]:
    if not isinstance(options, dict):
        raise OptionsError(
            f"{path}: no mkdocs-howto options found: add them under {where}, e.g. packages: [mypkg]"
        )
    return options


def _toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


class _SiteLoader(get_yaml_loader()):  # type: ignore[misc]
    """MkDocs' loader (`!ENV`, `!relative`), which also reads `!!python/...` tags (Material's
    emoji settings) as their text: they are not ours to import."""


_SiteLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: f"python/{suffix}"
)


def _yaml(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return yaml_load(file, loader=_SiteLoader) or {}


def _plugin_options(plugins: object) -> dict[str, Any] | None:
    """The `howto` entry of a plugin list (`- howto:` or `- howto`) or mapping."""
    entries = plugins.items() if isinstance(plugins, dict) else _entries(plugins)
    for name, options in entries:
        if name == "howto":
            return dict(options or {})
    return None


def _extensions(extensions: object) -> dict[str, Any]:
    """Markdown extension name -> its settings, from a list (MkDocs) or mapping (TOML)."""
    if isinstance(extensions, dict):
        return {name: settings or {} for name, settings in extensions.items()}
    return {name: settings or {} for name, settings in _entries(extensions)}


def _entries(items: object) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            found.append((item, None))
        elif isinstance(item, dict) and len(item) == 1:
            found.extend(item.items())
    return found


def option_kinds() -> dict[str, str]:
    """Each option's name and the shape a command line gives it: `list` (several values),
    `dict` (`KEY=VALUE` values), `bool` (`true`/`false`) or `text`."""
    kinds = {}
    for name, option in HowToConfig._schema:
        if isinstance(option, c.ListOfItems):
            kinds[name] = "list"
        elif isinstance(option, c.DictOfItems):
            kinds[name] = "dict"
        elif isinstance(option, c.Type) and option._type is bool:
            kinds[name] = "bool"
        else:
            kinds[name] = "text"
    return kinds
