"""Option values are checked before any build work, with one clear line naming the option.

MkDocs logs each configuration error as `Config value 'plugins': Plugin 'howto' option '<name>':
<message>` and then aborts; problems found while loading the packages are raised by the plugin
as a `PluginError` that `mkdocs build` prints as one line and turns into an abort.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import build_site, nav_labels, write_config
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import Files

PKG = {"pkg/__init__.py": "def hello() -> str:\n    return 'hi'\n"}


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("options", "option", "explains"),
    [
        ({"packages": []}, "packages", "name at least one package"),
        ({"packages": ["src/pkg"]}, "packages", "'src/pkg' is not an import name"),
        ({"packages": ["pkg"], "docstring_style": "foo"}, "docstring_style", "'foo'"),
        ({"packages": ["pkg"], "output_dir": "../x"}, "output_dir", "'../x' must be a relative"),
        ({"packages": ["pkg"], "output_dir": "a\\b"}, "output_dir", "relative folder"),
        ({}, "packages", "Required configuration not provided"),
    ],
    ids=["empty-packages", "path-not-name", "unknown-style", "parent-dir", "backslash", "missing"],
)
def test_bad_option_value_aborts_with_one_line_naming_the_option(
    package: Callable[[dict[str, str]], Path],
    caplog: pytest.LogCaptureFixture,
    options: dict[str, Any],
    option: str,
    explains: str,
) -> None:
    src = package(PKG)
    with pytest.raises(Abort, match="configuration error"):
        build_site(src.parent, options)
    [message] = _errors(caplog)
    assert "\n" not in message
    assert f"Plugin 'howto' option '{option}': " in message
    assert explains in message


def test_choices_of_docstring_style_are_listed(
    package: Callable[[dict[str, str]], Path], caplog: pytest.LogCaptureFixture
) -> None:
    src = package(PKG)
    with pytest.raises(Abort):
        build_site(src.parent, {"packages": ["pkg"], "docstring_style": "foo"})
    [message] = _errors(caplog)
    for style in ("auto", "google", "numpy", "sphinx"):
        assert style in message


def _files_event(root: Path, options: dict[str, Any]) -> None:
    """Run MkDocs' config loading and the plugin's `on_config` and `on_files` events."""
    (root / "docs").mkdir(exist_ok=True)
    config = load_config(str(write_config(root, options)), strict=True)
    config = config.plugins.on_config(config)
    config.plugins.on_files(Files([]), config=config)


def test_unknown_package_raises_plugin_error_naming_it(
    package: Callable[[dict[str, str]], Path],
) -> None:
    src = package(PKG)
    with pytest.raises(PluginError) as caught:
        _files_event(src.parent, {"packages": ["nosuchpkg"]})
    message = str(caught.value)
    assert "\n" not in message
    assert "'nosuchpkg' was not found" in message
    assert str(src) in message  # where it was looked for


def test_unknown_package_aborts_the_build_with_that_line(
    package: Callable[[dict[str, str]], Path], caplog: pytest.LogCaptureFixture
) -> None:
    src = package(PKG)
    with pytest.raises(Abort):
        build_site(src.parent, {"packages": ["nosuchpkg"]})
    [message] = _errors(caplog)
    assert message.startswith("howto: package 'nosuchpkg' was not found")
    assert "\n" not in message


def test_package_without_public_api_is_a_clear_error(
    package: Callable[[dict[str, str]], Path],
) -> None:
    src = package({"pkg/__init__.py": "_hidden = 1\n\n\ndef _private():\n    pass\n"})
    with pytest.raises(PluginError) as caught:
        _files_event(src.parent, {"packages": ["pkg"]})
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("howto: no public classes or functions found in pkg")


def test_paths_are_relative_to_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "lib" / "pkg").mkdir(parents=True)
    (tmp_path / "lib" / "pkg" / "__init__.py").write_text("def hello():\n    pass\n")
    site = build_site(tmp_path, {"packages": ["pkg"], "paths": ["lib"]})
    assert site.pages() == ["howto/pkg/hello/index.html", "howto/pkg/index.html"]


def test_output_dir_and_nav_title_are_used(package: Callable[[dict[str, str]], Path]) -> None:
    src = package(PKG)
    site = build_site(
        src.parent,
        {"packages": ["pkg"], "output_dir": "reference/guides", "nav_title": "Recipes"},
    )
    assert site.pages("reference") == [
        "reference/guides/pkg/hello/index.html",
        "reference/guides/pkg/index.html",
    ]
    assert "Recipes" in nav_labels(site.html("index.html"))


def test_show_source_false_drops_the_source_section(
    package: Callable[[dict[str, str]], Path],
) -> None:
    src = package(PKG)
    html = build_site(src.parent, {"packages": ["pkg"], "show_source": False}).html(
        "howto/pkg/hello/index.html"
    )
    assert 'id="usage-example"' in html
    assert 'id="source"' not in html
    assert "__codelineno-src-" not in html


def test_paths_that_do_not_exist_stop_the_build_instead_of_searching_sys_path(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Griffe falls back to `sys.path`: an installed copy would be documented silently."""
    (tmp_path / "src" / "markupsafe").mkdir(parents=True)
    with pytest.raises(Abort):
        build_site(tmp_path, {"packages": ["markupsafe"], "paths": ["srcc"]})
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert errors[0].startswith("howto: none of the `paths` exist (srcc, relative to ")
