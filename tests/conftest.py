"""Shared fixtures: real packages written into `tmp_path`, real MkDocs builds of them."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_howto.analyze import AnalyzeOptions, Analyzer
from mkdocs_howto.analyze.sentences import plain
from mkdocs_howto.analyze.symbols import lookup_for
from mkdocs_howto.facts import HowTo, Step
from mkdocs_howto.generate import GeneratedSite, SiteOptions, generate_site
from mkdocs_howto.load import LoadedApi, LoadOptions, load_api
from mkdocs_howto.render import RenderOptions

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
ROOT = Path(__file__).resolve().parent.parent
Package = Callable[[dict[str, str]], Path]
"""The `package` fixture: writes files under `tmp_path/src` and returns that folder."""
SITE_EXAMPLE = ROOT / "site_example"
#: Projects used as test data (their own tests are mined for examples, never run).
collect_ignore = ["fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite the `steps:` of tests/golden/steps/*.yaml from the narrator's output",
    )


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


def analyze(
    src: Path, *packages: str, analyze_options: dict[str, Any] | None = None, **options: Any
) -> dict[str, HowTo]:
    """The facts of every documented object, by public path, as the pages would show them."""
    api = load(src, *packages, **options)
    import_paths = {item.obj.path: item.import_path for item in api.objects}
    lookup = lookup_for(api.roots[0].modules_collection, import_paths)
    analyzer = Analyzer(
        AnalyzeOptions(
            packages=frozenset(p.split(".")[0] for p in packages), **(analyze_options or {})
        ),
        lookup,
    )
    return {item.public_path: analyzer.analyze(item) for item in api.objects}


@dataclass(frozen=True)
class FlatStep:
    """A step flattened for assertions: nesting depth, lines, title and plain sentence."""

    depth: int
    lineno: int
    endlineno: int
    title: str | None
    text: str


def flatten(steps: Iterable[Step], depth: int = 0) -> list[FlatStep]:
    """Steps in reading order, children right after their parent."""
    flat = []
    for step in steps:
        flat.append(FlatStep(depth, step.lineno, step.endlineno, step.title, plain(step.sentence)))
        flat.extend(flatten(step.children, depth + 1))
    return flat


def line_of(src: Path, relative: str, needle: str) -> int:
    """The 1-based number of the only line of `src/relative` that contains `needle`."""
    lines = (src / relative).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found} of {relative}"
    return found[0]


def nav_labels(html: str) -> list[str]:
    """The text of every link and section label in the primary navigation, in order."""
    start = html.index('class="md-nav md-nav--primary"')
    end = html.index('class="md-sidebar md-sidebar--secondary"', start)
    labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', html[start:end], re.S)
    return [re.sub(r"<[^>]+>", "", label).strip() for label in labels]


def element_ids(html: str) -> list[str]:
    """Every `id` attribute of the page, in document order (duplicates kept)."""
    return re.findall(r'\bid="([^"]*)"', html)


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
    config_file = write_config(root, plugin_options, extra_config)
    site_dir = root / "site"
    build(load_config(str(config_file), site_dir=str(site_dir), strict=strict))
    return BuiltSite(root, site_dir)


def write_config(
    root: Path, plugin_options: dict[str, Any], extra_config: dict[str, Any] | None = None
) -> Path:
    """Write the `mkdocs.yml` used by `build_site` and return its path."""
    config: dict[str, Any] = {
        "site_name": "Test site",
        "theme": {"name": "material"},
        "plugins": ["search", {"howto": plugin_options}],
        **(extra_config or {}),
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


@pytest.fixture
def demo_copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of `site_example/` in `tmp_path`, without a previous build."""
    target = tmp_path / "site_example"
    shutil.copytree(SITE_EXAMPLE, target, ignore=shutil.ignore_patterns("site", "__pycache__"))
    yield target
