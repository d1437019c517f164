"""The demo built by ProperDocs and by Zensical (generated pages, and the Markdown extension),
each in its own environment, with the README's snippets (issue 16, item 6). One class page of
each build is checked: its section titles, its steps, and that each step's source link lands
on a line of the page's source block."""

from __future__ import annotations

import re
import subprocess
import urllib.request
from pathlib import Path

import pytest
from engines import (
    CLASS_PAGE,
    PROPERDOCS_REQUIREMENTS,
    ZENSICAL_REQUIREMENTS,
    Engine,
    build_with_properdocs,
    build_with_zensical,
    engine,
)
from test_serve import free_port, wait_for

pytestmark = pytest.mark.engines


@pytest.fixture(scope="session")
def properdocs() -> Engine:
    return engine("ProperDocs", "properdocs", PROPERDOCS_REQUIREMENTS)


@pytest.fixture(scope="session")
def zensical() -> Engine:
    return engine("Zensical", "zensical", ZENSICAL_REQUIREMENTS)


def check_class_page(site: Path) -> None:
    """The checks every engine's `FeedSession` page must pass."""
    html = (site / CLASS_PAGE).read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>FeedSession", html)
    titles = re.findall(r'<h2 id="([\w-]+)">([^<]+)', html)
    # a class page: its example comes before its methods' sections (issue 12)
    assert titles[:3] == [
        ("description", "Description"),
        ("usage-example", "Usage Example"),
        ("execution-steps", "Execution Steps"),
    ]
    steps = html[html.index('id="execution-steps"') : html.index('id="source"')]
    assert steps.count("<li>") >= 3, "the steps are a list"
    targets = re.findall(r'<a class="howto-line" href="#([^"]+)"', steps)
    assert targets, "the steps link to their source lines"
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert set(targets) <= ids, f"source links with no line: {set(targets) - ids}"
    assert 'class="howto-page"' in html, "the page template is used"
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]*howto\.css)"', html)
    assert stylesheets, "the stylesheet is linked"
    assert ((site / CLASS_PAGE).parent / stylesheets[0]).resolve().is_file()


def test_properdocs_builds_the_demo_with_the_plugin(properdocs: Engine, tmp_path: Path) -> None:
    site = build_with_properdocs(properdocs, tmp_path / "demo")
    check_class_page(site)
    # `properdocs build` is a one-shot build: the pages are written in a worker process
    assert "s in a worker process" in (site.parent / "build.log").read_text()


def test_zensical_builds_the_generated_pages(zensical: Engine, tmp_path: Path) -> None:
    check_class_page(build_with_zensical(zensical, tmp_path / "demo", extension=False))


def test_zensical_builds_the_pages_through_the_markdown_extension(
    zensical: Engine, tmp_path: Path
) -> None:
    site = build_with_zensical(zensical, tmp_path / "demo", extension=True)
    check_class_page(site)
    generated = build_with_zensical(zensical, tmp_path / "generated", extension=False)
    assert _article(site / CLASS_PAGE) == _article(generated / CLASS_PAGE)


def _article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def test_a_missing_target_under_zensical_is_a_warning_naming_page_and_line(
    zensical: Engine, tmp_path: Path
) -> None:
    """The line is the file's (Zensical converts the page without its front matter)."""
    site = build_with_zensical(zensical, tmp_path / "demo", extension=True)
    page = site.parent / "docs/notes.md"
    page.write_text("---\ntitle: Notes\n---\n\n# Notes\n\n::: howto skyfeed.StationFeeed\n")
    output = zensical.run(["zensical", "build", "--clean"], cwd=site.parent)
    assert (
        "notes.md:7: '::: howto skyfeed.StationFeeed': no documented object or module is "
        "named 'skyfeed.StationFeeed'; did you mean 'skyfeed.StationFeed'?"
    ) in output
    assert "No how-to here" in (site / "notes/index.html").read_text()


@pytest.mark.parametrize("name", ["properdocs", "zensical"])
def test_a_changed_host_api_is_an_error_naming_the_hosts_version(
    name: str, request: pytest.FixtureRequest
) -> None:
    """Inside each engine's process, a call into its API that fails (a removed attribute)
    becomes one line naming the engine and its installed version."""
    host: Engine = request.getfixturevalue(name)
    code = (
        f"import {name}\n"
        "from mkdocs_howto.hosts import HostApiError, host_api\n"
        "try:\n"
        "    with host_api('its Files API'):\n"
        "        object().documentation_pages()\n"
        "except HostApiError as error:\n"
        "    print(error)\n"
    )
    output = host.run(["python", "-c", code], cwd=Path.cwd())
    assert output.startswith(f"{host.name} {host.version()} changed its Files API, which ")
    assert "tested with MkDocs 1.6, ProperDocs 1.6.7 and Zensical 0.0.73" in output


def _serve(host: Engine, command: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(host.bin / command[0]), *command[1:]],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def _edit_and_see(url: str, source: Path) -> None:
    """The page is served; after an edit of its function's docstring it shows the new text."""
    wait_for(lambda: "Convert a temperature" in _page_text(url), 60, url)
    source.write_text(
        source.read_text().replace("Convert a temperature", "Convert one temperature")
    )
    wait_for(lambda: "Convert one temperature" in _page_text(url), 60, "the edited page")


@pytest.mark.parametrize("name", ["ProperDocs", "Zensical"])
def test_serve_shows_a_source_edit(
    name: str, properdocs: Engine, zensical: Engine, tmp_path: Path
) -> None:
    """`properdocs serve` (the plugin watches the package) and `zensical serve` with the
    Markdown extension and the README's `watch` setting both serve the edited code."""
    port = free_port()
    if name == "ProperDocs":
        site = build_with_properdocs(properdocs, tmp_path / "demo").parent
        server = _serve(properdocs, ["properdocs", "serve", "-a", f"127.0.0.1:{port}"], site)
    else:
        site = build_with_zensical(zensical, tmp_path / "demo", extension=True).parent
        server = _serve(zensical, ["zensical", "serve", "-a", f"127.0.0.1:{port}"], site)
    try:
        url = f"http://127.0.0.1:{port}/howto/skyfeed/units/convert_temperature/"
        _edit_and_see(url, site / "src/skyfeed/units.py")
    finally:
        server.terminate()
        server.wait(timeout=10)
