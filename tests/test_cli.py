"""`mkdocs-howto generate` (issue 16, item 2): real runs of the console script's `main` on
packages in `tmp_path`, and of the installed script where the process boundary matters."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import Package, write_config
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_howto.cli import main
from mkdocs_howto.config import tomllib  # tomli on Python 3.10
from mkdocs_howto.output import MANIFEST

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


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["generate", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def project(package: Package, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the working folder) holding `src/pkg`."""
    package(SOURCE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_generate_writes_pages_stylesheet_template_manifest_and_prints_the_snippet(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "pkg", "--out", "docs/howto", "--paths", "src")
    assert code == 0, err
    folder = project / "docs/howto"
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == [
        ".mkdocs-howto-manifest.json",
        ".overrides/howto.html",
        "howto.css",
        "pkg/Client.md",
        "pkg/fetch.md",
        "pkg/index.md",
    ]
    page = (folder / "pkg/Client.md").read_text()
    assert "## Execution Steps" in page and "template: howto.html" in page
    manifest = json.loads((folder / MANIFEST).read_text())
    assert set(manifest["files"]) == set(written) - {MANIFEST}
    snippet = yaml.safe_load(out)
    assert snippet["extra_css"] == ["howto/howto.css"]
    assert snippet["theme"] == {"custom_dir": "docs/howto/.overrides"}
    assert snippet["watch"] == ["src/pkg"]
    highlight = {"anchor_linenums": True, "line_spans": "__span", "pygments_lang_class": True}
    assert {"pymdownx.highlight": highlight} in snippet["markdown_extensions"]
    assert snippet["nav"] == [
        {
            "How-to guides": [
                {
                    "pkg": [
                        "howto/pkg/index.md",
                        {"Client": "howto/pkg/Client.md"},
                        {"fetch": "howto/pkg/fetch.md"},
                    ]
                }
            ]
        }
    ]
    assert "2 object pages" in err and "2 analyzed, 0 from cache" in err


def test_the_pages_and_snippet_build_with_mkdocs_and_no_plugin_like_the_plugins_pages(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The generated Markdown, with the snippet as the whole config, renders the article the
    plugin renders (same body: the frontends share the engine)."""
    write_config(project, {"packages": ["pkg"], "paths": ["src"]})
    (project / "docs").mkdir()
    (project / "docs/index.md").write_text("# Home\n")
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "by-plugin")))
    code, out, err = _run(capsys, "pkg", "--out", "docs/howto", "--config", "mkdocs.yml")
    assert code == 0, err
    plain = {"site_name": "Test site", "theme": {"name": "material"}, **yaml.safe_load(out)}
    plain["theme"]["name"] = "material"
    (project / "plain.yml").write_text(yaml.safe_dump(plain))
    build(load_config(str(project / "plain.yml"), site_dir=str(project / "by-cli"), strict=True))
    for page in ("howto/pkg/Client/index.html", "howto/pkg/index.html"):
        assert _article(project / "by-cli" / page) == _article(project / "by-plugin" / page)


def _article(path: Path) -> str:
    """The page's article without heading permalinks (the snippet's `toc: {permalink: true}`
    takes effect, the plugin's did not: `toc` is always on, its settings were skipped) and
    without the comments marking the source block (the plugin takes them out of the HTML)."""
    html = path.read_text()
    article = html[html.index("<article") : html.index("</article>")]
    article = re.sub(r"<!-- /?howto:source -->", "", article)
    return re.sub(r'<a class="headerlink"[^>]*>[^<]*</a>', "", article)


def test_a_non_empty_folder_it_did_not_create_is_refused_unless_forced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project / "docs"
    folder.mkdir()
    (folder / "index.md").write_text("# Mine\n")
    code, _, err = _run(capsys, "pkg", "--out", "docs", "--paths", "src")
    assert code == 1
    assert "docs is not empty and was not written by mkdocs-howto generate" in err
    assert "--force" in err and "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["index.md"]
    code, _, err = _run(capsys, "pkg", "--out", "docs", "--paths", "src", "--force")
    assert code == 0, err
    assert (folder / "index.md").read_text() == "# Mine\n"
    assert (folder / "pkg/Client.md").is_file()


def test_a_rerun_removes_its_stale_pages_and_nothing_it_did_not_write(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "pkg", "--out", "out", "--paths", "src")[0] == 0
    folder = project / "out"
    (folder / "notes.md").write_text("mine\n")  # someone else's file
    (folder / "pkg/index.md").write_text("edited\n")  # a generated page, edited by hand
    init = project / "src/pkg/__init__.py"
    init.write_text(init.read_text().replace(', "fetch"]', "]").replace(", fetch", ""))
    (project / "src/pkg/_client.py").write_text("class Client:\n    pass\n")
    code, _, err = _run(capsys, "pkg", "--out", "out", "--paths", "src")
    assert code == 0, err
    assert not (folder / "pkg/fetch.md").exists()  # stale, unchanged since written: removed
    assert (folder / "notes.md").read_text() == "mine\n"
    assert (folder / "pkg/Client.md").is_file()
    assert "1 removed" in err


def test_a_changed_page_no_longer_generated_is_kept_with_a_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "pkg", "--out", "out", "--paths", "src")[0] == 0
    fetch_page = project / "out/pkg/fetch.md"
    fetch_page.write_text("my notes\n")
    code, _, err = _run(capsys, "pkg", "--out", "out", "--paths", "src", "--exclude", "*fetch")
    assert code == 0, err
    assert fetch_page.read_text() == "my notes\n"
    assert "was changed after mkdocs-howto wrote it: kept" in err


def _plugin_errors(
    root: Path, options: dict[str, object], caplog: pytest.LogCaptureFixture
) -> list[str]:
    config_file = write_config(root, options)
    (root / "docs").mkdir(exist_ok=True)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        load_config(str(config_file))
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("argv", "option", "value"),
    [
        (["--nav-depth", "deep"], "nav_depth", "deep"),
        (["--output-dir", "../up"], "output_dir", "../up"),
        (["--show-source", "maybe"], "show_source", "maybe"),
    ],
)
def test_option_errors_are_the_plugins_messages(  # noqa: PLR0917 (fixtures, parameters)
    project: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    argv: list[str],
    option: str,
    value: str,
) -> None:
    code, _, err = _run(capsys, "pkg", "--out", "out", "--paths", "src", *argv)
    assert code == 1 and "Traceback" not in err
    errors = _plugin_errors(project, {"packages": ["pkg"], option: value}, caplog)
    plugin_message = errors[0].split(f"Plugin 'howto' option '{option}': ", 1)[1]
    assert f"option '{option}': {plugin_message}" in err
    assert not (project / "out").exists()


def test_a_package_name_that_is_a_path_is_refused_as_by_the_plugin(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "src/pkg", "--out", "out")
    assert code == 1
    assert "'src/pkg' is not an import name" in err


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("mkdocs.yml", "site_name: x\nplugins:\n  - search\n  - howto:\n      packages: [pkg]\n"
                       "      paths: [src]\n      nav_title: Guides\n"),
        ("zensical.toml", '[project]\nsite_name = "x"\n[project.plugins.howto]\n'
                          'packages = ["pkg"]\npaths = ["src"]\nnav_title = "Guides"\n'),
        ("pyproject.toml", '[project]\nname = "x"\n[tool.mkdocs-howto]\npackages = ["pkg"]\n'
                           'paths = ["src"]\nnav_title = "Guides"\n'),
    ],
)  # fmt: skip
def test_config_reads_the_howto_options_of_each_kind_of_file(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    (project / name).write_text(text)
    code, out, err = _run(capsys, "--out", "docs/howto", "--config", name)
    assert code == 0, err
    assert (project / "docs/howto/pkg/Client.md").is_file()
    assert '"Guides"' in out if name.endswith(".toml") else "- Guides:" in out


def test_options_given_override_the_files_and_unknown_names_warn(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.mkdocs-howto]\npackages = ["pkg"]\npaths = ["src"]\nshow_sorce = false\n'
    )
    code, out, err = _run(
        capsys, "--out", "out", "--config", "pyproject.toml", "--nav-title", "API", "--strict"
    )
    assert code == 1  # --strict: the warning fails the run
    assert "option 'show_sorce': Unrecognised configuration name: show_sorce" in err
    assert "API" in out


def test_a_config_file_without_howto_options_names_where_they_go(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "zensical.toml").write_text('[project]\nsite_name = "x"\n')
    code, _, err = _run(capsys, "--out", "out", "--config", "zensical.toml")
    assert code == 1
    assert "no mkdocs-howto options found: add them under [project.plugins.howto]" in err


def test_a_package_that_does_not_load_is_one_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "nopkg", "--out", "out", "--paths", "src")
    assert code == 1
    assert "nopkg" in err and "Traceback" not in err


def test_watch_regenerates_only_what_changed(project: Path) -> None:
    """The installed script, `--watch`: a saved source file rewrites its page, from the
    engine's cache for the others."""
    script = Path(sys.executable).with_name("mkdocs-howto")
    process = subprocess.Popen(
        [str(script), "generate", "pkg", "--out", "out", "--paths", "src", "--watch"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        page = project / "out/pkg/fetch.md"
        _wait_for(page.is_file)
        client = project / "src/pkg/_client.py"
        time.sleep(1.0)  # the first fingerprint is taken after the first run
        client.write_text(client.read_text().replace("Fetch a URL.", "Fetch one URL."))
        _wait_for(lambda: "Fetch one URL." in page.read_text())
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    first, _, rest = err.partition("watching")
    assert "2 analyzed, 0 from cache" in first
    assert "1 analyzed, 1 from cache" in rest


def _wait_for(condition: object, timeout: float = 20.0) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_stubs_hold_the_front_matter_and_one_block_for_the_markdown_extension(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "pkg", "--out", "docs/howto", "--paths", "src", "--stubs")
    assert code == 0, err
    client = (project / "docs/howto/pkg/Client.md").read_text()
    assert client.startswith("---\ntemplate: howto.html\n")
    assert client.endswith('path: "pkg.Client"\n---\n\n::: howto pkg.Client\n')
    assert (project / "docs/howto/pkg/index.md").read_text().endswith("\n::: howto pkg\n")


def test_a_site_with_its_own_custom_dir_keeps_it_and_is_told_to_copy_the_template(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mkdocs.yml").write_text(
        "site_name: x\ntheme:\n  name: material\n  custom_dir: overrides\n"
        "plugins:\n  - howto:\n      packages: [pkg]\n      paths: [src]\n"
    )
    code, out, err = _run(capsys, "--out", "docs/howto", "--config", "mkdocs.yml")
    assert code == 0, err
    assert yaml.safe_load(out)["theme"] == {"custom_dir": "overrides"}
    assert "copy docs/howto/.overrides/howto.html into it" in err


def test_the_toml_snippet_says_what_the_yaml_snippet_says(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The TOML form is written by hand (`snippet._toml`): it must parse to the same settings,
    names with dots and non-ASCII titles included."""
    (project / "zensical.toml").write_text(
        '[project.plugins.howto]\npackages = ["pkg"]\npaths = ["src"]\n'
        'nav_title = "Guías \\"API\\""\n'
    )
    code, toml_text, err = _run(capsys, "--out", "docs/howto", "--config", "zensical.toml")
    assert code == 0, err
    code, yaml_text, err = _run(
        capsys, "--out", "docs/howto", "--config", "zensical.toml", "--snippet", "s.yml"
    )
    assert code == 0 and yaml_text == "", err
    from_toml = tomllib.loads(toml_text)["project"]
    from_yaml = yaml.safe_load((project / "s.yml").read_text())
    extensions = {
        next(iter(item)) if isinstance(item, dict) else item: (
            next(iter(item.values())) if isinstance(item, dict) else {}
        )
        for item in from_yaml.pop("markdown_extensions")
    }
    assert from_toml.pop("markdown_extensions") == extensions
    assert from_toml == from_yaml
    assert from_toml["nav"][0]['Guías "API"'][0]["pkg"][0] == "howto/pkg/index.md"
