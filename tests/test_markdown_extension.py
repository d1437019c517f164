"""The Python-Markdown extension `mkdocs_howto.markdown` (issue 16, item 3): real
Python-Markdown conversions and real MkDocs builds of pages holding `::: howto TARGET`."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Package, generate
from markdown import Markdown
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_howto import markdown as extension
from mkdocs_howto.engine import EXTENSIONS

SOURCE = {
    "pkg/__init__.py": '''
        """A package."""
        from pkg._client import Client, fetch

        __all__ = ["Client", "fetch"]
        ''',
    "pkg/_client.py": '''
        import json


        class Client:
            """Talks to the server."""

            def get(self, path: str) -> dict:
                """Read one resource."""
                return json.loads(path)


        def fetch(url: str) -> str:
            """Fetch a URL."""
            return url.upper()
        ''',
}
LOGGER = "mkdocs.plugins.mkdocs_howto.markdown"


def _extensions(src: Path, **options: Any) -> list[Any]:
    """The extension with its options, then those the pages need (as the snippet lists)."""
    howto = extension.makeExtension(packages=["pkg"], paths=[src.name], base_dir=str(src.parent),
                                    **options)  # fmt: skip
    return [howto, *_page_extensions()]


def _page_extensions() -> list[Any]:
    return [name for name in EXTENSIONS if name != "toc"]


def _convert(src: Path, text: str, **options: Any) -> str:
    configs = {name: dict(settings) for name, settings in EXTENSIONS.items() if settings}
    configs.pop("toc", None)
    return Markdown(extensions=_extensions(src, **options), extension_configs=configs).convert(text)


@pytest.fixture(autouse=True)
def _fresh_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own process-wide registry (as each build process has)."""
    monkeypatch.setattr(extension, "SITES", extension._Sites())


def test_an_object_and_a_module_render_the_plugins_page_body(package: Package) -> None:
    src = package(SOURCE)
    site = generate(src, "pkg")
    configs = {name: dict(settings) for name, settings in EXTENSIONS.items() if settings}
    configs.pop("toc", None)
    for target, uri in (("pkg.Client", "howto/pkg/Client.md"), ("pkg", "howto/pkg/index.md")):
        page = re.sub(r"\A---\n.*?\n---\n", "", site.pages[uri], count=1, flags=re.S)
        plugin_html = Markdown(extensions=_page_extensions(), extension_configs=configs).convert(
            page
        )
        assert _convert(src, f"::: howto {target}\n") == plugin_html
    html = _convert(src, "::: howto pkg.Client\n")
    assert '<h2 id="execution-steps">Execution Steps</h2>' in html


def test_the_packages_are_loaded_once_per_process_and_again_when_a_file_changes(
    package: Package, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = package(SOURCE)
    caplog.set_level(logging.INFO, LOGGER)
    for target in ("pkg.Client", "pkg.fetch", "pkg"):  # a Markdown instance per page
        assert "Execution Steps" in _convert(src, f"::: howto {target}\n") or target == "pkg"
    summaries = [r.getMessage() for r in caplog.records if "object pages" in r.getMessage()]
    assert len(summaries) == 1 and "2 analyzed, 0 from cache" in summaries[0]
    monkeypatch.setattr(extension, "RECHECK_SECONDS", 0.0)
    client = src / "pkg/_client.py"
    client.write_text(client.read_text().replace("Fetch a URL.", "Fetch one URL."))
    assert "Fetch one URL." in _convert(src, "::: howto pkg.fetch\n")
    summaries = [r.getMessage() for r in caplog.records if "object pages" in r.getMessage()]
    assert len(summaries) == 2 and "1 analyzed, 1 from cache" in summaries[1]


def test_an_unknown_target_is_a_warning_with_a_close_match_and_the_page_builds(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(SOURCE)
    caplog.set_level(logging.WARNING, LOGGER)
    html = _convert(src, "# Page\n\nText.\n\n::: howto pkg.Clinet\n\nMore text.\n")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "<markdown>:5: '::: howto pkg.Clinet': no documented object or module is named "
        "'pkg.Clinet'; did you mean 'pkg.Client'?"
    ]
    assert "<p>More text.</p>" in html and "No how-to here" in html


def test_a_block_inside_a_code_fence_is_left_as_written(package: Package) -> None:
    src = package(SOURCE)
    html = _convert(src, "```text\n::: howto pkg.Client\n```\n\n~~~~\n::: howto pkg\n~~~~\n")
    assert html.count("::: howto") == 2 and "Execution Steps" not in html


def test_bad_options_are_the_plugins_messages_once_and_pages_still_build(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(SOURCE)
    caplog.set_level(logging.WARNING, LOGGER)
    for _ in range(2):
        html = _convert(src, "::: howto pkg.Client\n", nav_depth="deep")
        assert "No how-to here" in html
    messages = [r.getMessage() for r in caplog.records if "nav_depth" in r.getMessage()]
    assert len(messages) == 3  # the option, once; the two pages naming the block
    assert messages[0].startswith("mkdocs_howto.markdown: option 'nav_depth': Expected one of")


def _mkdocs_site(root: Path, docs: dict[str, str]) -> Path:
    for name, text in docs.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text)
    howto = {"packages": ["pkg"], "paths": ["src"], "base_dir": str(root)}
    extensions: list[Any] = [{"mkdocs_howto.markdown": howto}]
    extensions += [{name: settings} if settings else name for name, settings in EXTENSIONS.items()]
    config = {"site_name": "t", "theme": {"name": "material"}, "markdown_extensions": extensions}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root / "mkdocs.yml"


def test_mkdocs_builds_strict_with_the_extension_and_names_page_and_line(
    package: Package, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    package(SOURCE)
    good = {"howto/pkg/Client.md": "---\ntitle: Client\n---\n\n::: howto pkg.Client\n",
            "howto/pkg/index.md": "::: howto pkg\n",
            "howto/pkg/fetch.md": "::: howto pkg.fetch\n", "index.md": "# Home\n"}  # fmt: skip
    config_file = _mkdocs_site(tmp_path, good)
    build(load_config(str(config_file), strict=True))
    html = (tmp_path / "site/howto/pkg/Client/index.html").read_text()
    assert "Execution Steps" in html and 'href="#__codelineno-src-' in html
    _mkdocs_site(
        tmp_path, {"index.md": "---\ntitle: Home\n---\n\n# Home\n\n::: howto pkg.fetchh\n"}
    )
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build(load_config(str(config_file), strict=True))
    assert any(
        "index.md:7: '::: howto pkg.fetchh'" in r.getMessage() and "'pkg.fetch'?" in r.getMessage()
        for r in caplog.records
    )
