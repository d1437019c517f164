"""Shared fixtures: real packages written into `tmp_path`, real MkDocs builds of them."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.generate import GeneratedSite, SiteOptions, generate_site
from mkdocs_howto.load import LoadedApi, LoadOptions, load_api
from mkdocs_howto.render import RenderOptions

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
ROOT = Path(__file__).resolve().parent.parent
SITE_EXAMPLE = ROOT / "site_example"


def write_package(root: Path, files: dict[str, str]) -> Path:
    """Write `{"pkg/__init__.py": code, ...}` under `root`, dedenting each file."""
    for relative, code in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(code).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def package(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a package into `tmp_path/src` and return that search path."""

    def make(files: dict[str, str]) -> Path:
        return write_package(tmp_path / "src", files)

    return make


def load(src: Path, *packages: str, **options: Any) -> LoadedApi:
    return load_api(LoadOptions(packages=packages, paths=(src,), **options))


def generate(src: Path, *packages: str, **options: Any) -> GeneratedSite:
    return generate_site(
        SiteOptions(
            load=LoadOptions(packages=packages, paths=(src,), **options),
            analyze=AnalyzeOptions(packages=frozenset(p.split(".")[0] for p in packages)),
            render=RenderOptions(),
        )
    )


@dataclass
class BuiltSite:
    """A site built by MkDocs' own `build` in a temporary folder."""

    root: Path
    site_dir: Path

    def html(self, relative: str) -> str:
        """The HTML of a built page, e.g. `howto/pkg/Client/index.html`."""
        return (self.site_dir / relative).read_text(encoding="utf-8")

    def pages(self, under: str = "howto") -> list[str]:
        """Every built page under `under`, as POSIX paths relative to the site."""
        return sorted(
            path.relative_to(self.site_dir).as_posix()
            for path in (self.site_dir / under).rglob("index.html")
        )


def build_site(
    root: Path,
    plugin_options: dict[str, Any],
    *,
    strict: bool = True,
    extra_config: dict[str, Any] | None = None,
    docs: dict[str, str] | None = None,
) -> BuiltSite:
    """Write `mkdocs.yml` + docs under `root` (which holds `src/`) and build it."""
    docs_dir = root / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    for name, text in (docs or {"index.md": "# Home\n"}).items():
        (docs_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (docs_dir / name).write_text(text, encoding="utf-8")
    config: dict[str, Any] = {
        "site_name": "Test site",
        "theme": {"name": "material"},
        "plugins": ["search", {"howto": plugin_options}],
        **(extra_config or {}),
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    site_dir = root / "site"
    build(load_config(str(config_file), site_dir=str(site_dir), strict=strict))
    return BuiltSite(root, site_dir)


@pytest.fixture
def demo_copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of `site_example/` in `tmp_path`, without a previous build."""
    target = tmp_path / "site_example"
    shutil.copytree(SITE_EXAMPLE, target, ignore=shutil.ignore_patterns("site", "__pycache__"))
    yield target
