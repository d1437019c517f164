"""What a reader sees: a generated page of the demo in Debian's chromium, driven by Playwright.

No browser download: Playwright drives `/usr/bin/chromium` (`.ci/run` installs it with apt).
The built demo is served by `python -m http.server` on 127.0.0.1 (search needs HTTP).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, build_site, write_package
from mkdocs.commands.build import build
from mkdocs.config import load_config
from test_serve import free_port, wait_for
from test_skim import BIG

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE = "howto/skyfeed/units/convert_temperature/"
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 15_000

# CI sets HOWTO_REQUIRE_BROWSER=1: there a missing browser fails instead of skipping.
_REQUIRED = os.environ.get("HOWTO_REQUIRE_BROWSER") == "1"
try:
    import playwright.sync_api as playwright_api
except ImportError:
    if _REQUIRED:
        raise
    pytest.skip("playwright is not installed (pip install playwright)", allow_module_level=True)
if not CHROMIUM.is_file() and shutil.which("chromium") is None:
    assert not _REQUIRED, "HOWTO_REQUIRE_BROWSER=1 but chromium is not installed"
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo, built once, served over loopback HTTP."""
    site = tmp_path_factory.mktemp("browser") / "site"
    build(load_config(str(ROOT / "site_example/mkdocs.yml"), site_dir=str(site)))
    yield from _served(site)


def _served(site: Path) -> Iterator[str]:
    """`site` over loopback HTTP while the caller runs."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: _responds(url), 15, "http.server")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _responds(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = CHROMIUM if CHROMIUM.is_file() else Path(str(shutil.which("chromium")))
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(executable), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, site_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    # Loopback only: Material asks Google for its fonts; the page must work without them.
    tab.route("**/*", _loopback_only)
    tab.set_default_timeout(TIMEOUT_MS)
    tab.goto(site_url + PAGE)
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    tab.close()


def _loopback_only(route: Any) -> None:
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


def test_the_page_shows_its_title_and_three_sections(page: Any) -> None:
    assert page.title().startswith("convert_temperature")
    # the permalink (¶) is part of the heading's text
    assert page.locator("h1").inner_text().strip().rstrip("¶") == "convert_temperature"
    for section in ("description", "execution-steps", "usage-example"):
        assert page.locator(f"h2#{section}").is_visible(), section


def test_a_step_links_to_its_source_line(page: Any) -> None:
    link = page.locator("a.howto-line").first
    target = link.get_attribute("href")
    assert target and target.startswith("#__codelineno")
    link.click()
    page.wait_for_function(f"location.hash === {target!r}")
    assert page.evaluate(f"document.getElementById({target[1:]!r}) !== null")


def test_the_usage_example_has_a_copy_button(page: Any) -> None:
    # Material 9.8 draws `button.md-code__button[data-md-type=copy]` (`md-clipboard` before).
    copy = "button.md-code__button[data-md-type='copy'], button.md-clipboard"
    button = page.locator(f"h2#usage-example ~ div.highlight >> {copy}").first
    button.wait_for(state="attached")
    assert "#__code_" in str(button.get_attribute("data-clipboard-target"))


def test_the_nav_lists_the_page(page: Any) -> None:
    # The current page's entry is the active link (its href is "./"), inside its module.
    entry = page.locator(".md-nav--primary a.md-nav__link--active", has_text="convert_temperature")
    assert entry.count() >= 1
    section = page.locator(
        ".md-nav--primary .md-nav__item--active > label, "
        ".md-nav--primary .md-nav__item--active > div > a"
    )
    assert "units" in " ".join(section.all_inner_texts())


def test_search_finds_the_object_by_name(page: Any) -> None:
    search = page.locator("input.md-search__input")  # in the header at desktop width
    search.click()
    search.press_sequentially("convert_temperature")  # Material listens to key events
    result = page.locator(".md-search-result__item a", has_text="convert_temperature").first
    result.wait_for(state="visible")
    assert PAGE in str(result.get_attribute("href"))


# ------------------------------------------------- the demo built by ProperDocs and Zensical


@pytest.fixture(scope="module")
def engine_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo built by ProperDocs (the plugin) and by Zensical (generated pages), each
    served over loopback HTTP: engine name -> URL of the site."""
    from engines import (  # noqa: PLC0415 (after the module's browser checks)
        PROPERDOCS_REQUIREMENTS,
        ZENSICAL_REQUIREMENTS,
        build_with_properdocs,
        build_with_zensical,
        engine,
    )

    folder = tmp_path_factory.mktemp("engines")
    sites = {
        "ProperDocs": build_with_properdocs(
            engine("ProperDocs", "properdocs", PROPERDOCS_REQUIREMENTS), folder / "properdocs"
        ),
        "Zensical": build_with_zensical(
            engine("Zensical", "zensical", ZENSICAL_REQUIREMENTS),
            folder / "zensical",
            extension=False,
        ),
    }
    servers, urls = [], {}
    try:
        for name, site in sites.items():
            port = free_port()
            servers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                    cwd=site,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls[name] = f"http://127.0.0.1:{port}/"
            wait_for(lambda url=urls[name]: _responds(url), 15, "http.server")  # type: ignore[misc]
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


@pytest.mark.engines
@pytest.mark.parametrize("name", ["ProperDocs", "Zensical"])
def test_a_class_page_built_by_each_engine_reads_and_links_to_its_source(
    browser: Any, engine_sites: dict[str, str], name: str
) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.route("**/*", _loopback_only)
    tab.set_default_timeout(TIMEOUT_MS)
    try:
        tab.goto(engine_sites[name] + "howto/skyfeed/session/FeedSession/")
        assert tab.locator("article h1").first.inner_text().strip().startswith("FeedSession")
        for section, title in (
            ("description", "Description"),
            ("execution-steps", "Execution Steps"),
            ("usage-example", "Usage Example"),
        ):
            heading = tab.locator(f"h2#{section}")
            assert heading.is_visible(), section
            assert heading.inner_text().strip().startswith(title)
        assert tab.locator("h2#execution-steps ~ ol li").count() >= 3
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"engine-{name}-top.png"))
        link = tab.locator("a.howto-line").first
        target = str(link.get_attribute("href"))
        link.click()
        tab.wait_for_function(f"location.hash === {target!r}")
        assert tab.evaluate(f"document.getElementById({target[1:]!r}) !== null")
        # the page template's wrapper and the stylesheet both reached the page
        assert tab.evaluate(
            "getComputedStyle(document.querySelector('.howto-page')) !== null && "
            "[...document.styleSheets].some(s => (s.href || '').endsWith('howto.css'))"
        )
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"engine-{name}.png"), full_page=False)
        tab.close()


WIDE = '''
"""A module with one wide function."""

from collections.abc import Awaitable, Callable
from typing import TypedDict, Unpack


class ConnectionPoolKeywordArgumentsWithAVeryLongTypedDictName(TypedDict, total=False):
    """Keywords of the pool."""

    timeout: float


def configure_connection_pool_with_many_options(
    pool_connections_per_host_maximum: int = 10,
    pool_maxsize_for_every_connection_pool: int = 10,
    retry_strategy_for_idempotent_requests: Callable[[int, float], Awaitable[None]] | None = None,
    socket_options_applied_to_every_new_connection: list[tuple[int, int, int | bytes]] = [],
    **kwargs: Unpack[ConnectionPoolKeywordArgumentsWithAVeryLongTypedDictName],
) -> dict[str, list[tuple[str, int]]]:
    """Configure the pool.

    Args:
        pool_connections_per_host_maximum: How many connections each host keeps open, at
            most, between requests; the rest are closed once their response is read.
        pool_maxsize_for_every_connection_pool: The size of every pool, e.g.::

                configure_connection_pool_with_many_options(pool_maxsize_for_every_connection_pool=20)

        retry_strategy_for_idempotent_requests: Called before each retry.
        socket_options_applied_to_every_new_connection: `(level, option, value)` triples.
        **kwargs: Passed to the pool.
    """
    return {}
'''


@pytest.fixture(scope="module")
def wide_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A package with a long signature and a wide parameter table, built and served."""
    root = tmp_path_factory.mktemp("wide")
    (root / "src" / "widepkg").mkdir(parents=True)
    (root / "src" / "widepkg" / "__init__.py").write_text(WIDE, encoding="utf-8")
    site = build_site(root, {"packages": ["widepkg"], "paths": ["src"]}).site_dir
    yield from _served(site)


def test_long_signature_and_wide_table_fit_1280_px(browser: Any, wide_url: str) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.route("**/*", _loopback_only)
    tab.set_default_timeout(TIMEOUT_MS)
    try:
        tab.goto(wide_url + "howto/widepkg/configure_connection_pool_with_many_options/")
        tab.locator(".howto-params table").wait_for()
        # nothing sticks out of the page, and no block hides part of itself behind a scrollbar
        assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
        overflowing = tab.evaluate(
            """() => [...document.querySelectorAll(
                   '.howto-signature pre, .howto-signature code, .howto-table table, '
                   + '.howto-table pre, .md-typeset__scrollwrap')]
                 .filter(e => e.scrollWidth > e.clientWidth + 1)
                 .map(e => e.tagName + '.' + e.className)"""
        )
        assert overflowing == []
        signature = tab.locator(".howto-signature pre").inner_text().replace("\n\n", "\n")
        assert signature.startswith("def configure_connection_pool_with_many_options(\n    ")
        # names are not broken inside: each name cell is one line high
        heights = tab.evaluate(
            """() => [...document.querySelectorAll('.howto-params td:first-child code')]
                 .map(e => e.getClientRects().length)"""
        )
        assert heights and set(heights) == {1}
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "wide_page.png"), full_page=True)
        tab.close()


# ------------------------------------------------- the demo in Hebrew: right to left


@pytest.fixture(scope="module")
def hebrew_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with `theme.language: he`, built once, served over loopback HTTP."""
    root = tmp_path_factory.mktemp("hebrew") / "site_example"
    shutil.copytree(ROOT / "site_example", root, ignore=shutil.ignore_patterns("site"))
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"]["language"] = "he"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build(load_config(str(config_file), site_dir=str(root / "site"), strict=True))
    yield from _served(root / "site")


#: The right edge of a heading's text, as a share of the article's width from its left edge.
_TEXT_RIGHT = """(selector) => {
    const heading = document.querySelector(selector), article = document.querySelector("article");
    const range = document.createRange();
    range.selectNodeContents(heading.firstChild);
    const text = range.getBoundingClientRect(), box = article.getBoundingClientRect();
    return [(text.left - box.left) / box.width, (text.right - box.left) / box.width];
}"""


def test_a_hebrew_page_reads_right_to_left(browser: Any, hebrew_url: str) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.route("**/*", _loopback_only)
    tab.set_default_timeout(TIMEOUT_MS)
    try:
        tab.goto(hebrew_url + "howto/skyfeed/StationFeed/")
        style = "(selector) => getComputedStyle(document.querySelector(selector)).direction"
        assert tab.evaluate(style, "article") == "rtl"
        assert tab.locator("h2#description").inner_text().strip().rstrip("¶") == "תיאור"
        assert tab.locator("h2#execution-steps").inner_text().strip().rstrip("¶") == "שלבי הביצוע"
        # the Hebrew title sits at the article's right edge, the English steps read left to right
        left, right = tab.evaluate(_TEXT_RIGHT, "h2#description")
        assert left > 0.5 and right > 0.9, (left, right)
        assert tab.evaluate(style, "#execution-steps ~ ol") == "ltr"
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "hebrew-rtl.png"), full_page=True)
        tab.close()


@pytest.fixture(scope="module")
def big_class_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A class with 24 long methods (tests/test_skim.py), built strict and served."""
    root = tmp_path_factory.mktemp("big")
    write_package(root / "src", BIG)
    yield from _served(build_site(root, {"packages": ["big"]}).site_dir)


def test_big_class_page_reads_summary_first(browser: Any, big_class_url: str) -> None:
    """Issue 12: the table of contents lists method names, the Usage Example is within two
    screen heights, a step's link leads to another page, a folded detail unfolds."""
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.route("**/*", _loopback_only)
    tab.set_default_timeout(TIMEOUT_MS)
    try:
        tab.goto(big_class_url + "howto/big/client/Client/")
        toc = tab.locator("nav.md-nav--secondary").first.inner_text()
        assert "method_00()" in toc and "method_23()" in toc and "items:" not in toc
        example = tab.locator("h2#usage-example").bounding_box()
        assert example is not None and example["y"] < 2 * 900, example
        folded = tab.locator("details", has=tab.locator("summary", has_text="All steps of")).first
        assert folded.get_attribute("open") is None
        folded.locator("summary").first.click()
        tab.wait_for_function("d => d.open", arg=folded.element_handle())
        inner = folded.locator("details", has=tab.locator("summary", has_text="Line by line"))
        inner.first.locator("summary").first.click()
        assert inner.first.locator("li").first.is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "big-class-page.png"))
        link = folded.locator("a", has_text="request('post'").first
        link.click()
        tab.wait_for_url("**/howto/big/client/request/")
        assert tab.locator("article h1").first.inner_text().strip().rstrip("¶") == "request"
    finally:
        tab.close()
