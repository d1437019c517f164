"""The site settings generated pages need (what the MkDocs plugin sets itself in `on_config`),
written as a snippet for `mkdocs.yml` / `properdocs.yml` or for `zensical.toml`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from mkdocs_howto.engine import EXTENSIONS
from mkdocs_howto.pages import NavItem


@dataclass(frozen=True)
class Snippet:
    """Paths in it are as the site's config file reads them."""

    extra_css: str
    """The stylesheet, relative to `docs_dir`."""
    custom_dir: str
    """The folder holding the page template (`howto.html`), relative to the config file."""
    watch: list[str]
    """The packages' source folders, relative to the config file."""
    nav_title: str
    nav: list[NavItem]

    def settings(self) -> dict[str, Any]:
        return {
            "markdown_extensions": [
                {name: dict(settings)} if settings else name
                for name, settings in EXTENSIONS.items()
            ],
            "extra_css": [self.extra_css],
            "theme": {"custom_dir": self.custom_dir},
            "watch": list(self.watch),
            "nav": [{self.nav_title: self.nav}],
        }

    def yaml(self) -> str:
        """For `mkdocs.yml` or `properdocs.yml` (merge with the keys you have)."""
        text = yaml.safe_dump(self.settings(), sort_keys=False, allow_unicode=True, width=100)
        return f"# Settings the mkdocs-howto pages need: merge them into your config.\n{text}"

    def toml(self) -> str:
        """For `zensical.toml` (`[project]` keys; merge with the tables you have)."""
        settings = self.settings()
        lines = [
            "# Settings the mkdocs-howto pages need: merge them into your zensical.toml.",
            "[project]",
            f"extra_css = {_toml(settings['extra_css'])}",
            f"watch = {_toml(settings['watch'])}",
            f"nav = {_toml(settings['nav'])}",
            "",
            "[project.theme]",
            f"custom_dir = {_toml(self.custom_dir)}",
        ]
        for name, options in EXTENSIONS.items():
            lines += ["", f"[project.markdown_extensions.{_toml(name)}]"]
            lines += [f"{key} = {_toml(value)}" for key, value in options.items()]
        return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    """A TOML value: strings, booleans, lists and (inline) tables of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml(str(key))} = {_toml(item)}" for key, item in value.items())
        return "{ " + inner + " }"
    raise TypeError(f"no TOML form for {value!r}")
