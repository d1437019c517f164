"""The per-object cache: what invalidates a page, the on-disk file, and `--dirty` builds."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import Package, build_site
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.cache import CACHE_FILE, CachedPage, PageCache, Recorder
from mkdocs_howto.generate import GeneratedSite, SiteOptions, _canonical, generate_site
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.render import RenderOptions

CODE = {
    "pkg/__init__.py": '''
        """A package."""

        def first(x: int) -> int:
            """Double `x`."""
            return x * 2


        def second(name: str) -> str:
            """Greet `name`."""
            return "hi " + name
        ''',
}


def options(src: Path, show_source: bool = True) -> SiteOptions:
    return SiteOptions(
        load=LoadOptions(packages=("pkg",), paths=(src,)),
        analyze=AnalyzeOptions(packages=frozenset({"pkg"})),
        render=RenderOptions(show_source=show_source),
    )


def run(src: Path, cache: PageCache, **kwargs: bool) -> GeneratedSite:
    return generate_site(options(src, **kwargs), cache=cache)


def test_an_unchanged_package_comes_from_the_cache_with_identical_pages(package: Package) -> None:
    src = package(CODE)
    cache = PageCache()
    first, again = run(src, cache), run(src, cache)
    assert (first.analyzed, first.reused) == (2, 0)
    assert (again.analyzed, again.reused) == (0, 2)
    assert again.pages == first.pages == generate_site(options(src)).pages


def test_editing_a_body_re_analyzes_that_object_only(package: Package) -> None:
    src = package(CODE)
    cache = PageCache()
    run(src, cache)
    init = src / "pkg/__init__.py"
    init.write_text(init.read_text().replace('"hi " + name', '"hello " + name'))
    site = run(src, cache)
    assert (site.analyzed, site.reused) == (1, 1)
    assert "hello" in site.pages["howto/pkg/second.md"]


def test_moving_an_object_down_a_line_re_analyzes_it(package: Package) -> None:
    src = package(CODE)
    cache = PageCache()
    run(src, cache)
    init = src / "pkg/__init__.py"
    init.write_text(init.read_text().replace("return x * 2", "y = x\n    return y * 2"))
    site = run(src, cache)
    assert site.analyzed == 2  # `second`'s line links moved


@pytest.mark.parametrize(
    "change",
    [
        ("def second", "def third() -> None:\n    pass\n\n\ndef second"),  # a new name
        ('"""A package."""', '"""A package."""\n__all__ = ["first"]'),  # public API
    ],
)
def test_a_change_to_the_api_surface_re_analyzes_everything(
    package: Package, change: tuple[str, str]
) -> None:
    src = package(CODE)
    cache = PageCache()
    run(src, cache)
    init = src / "pkg/__init__.py"
    init.write_text(init.read_text().replace(*change))
    site = run(src, cache)
    assert site.reused == 0


def test_changing_an_option_re_analyzes_everything(package: Package) -> None:
    src = package(CODE)
    cache = PageCache()
    run(src, cache)
    site = run(src, cache, show_source=False)
    assert (site.analyzed, site.reused) == (2, 0)


def test_a_page_is_reused_only_while_what_it_looked_up_is_unchanged() -> None:
    identities = {"pkg.first": "v1"}
    looked_up = []
    recorder = Recorder(looked_up.append, lambda path: identities.get(path, "missing"))
    recorder("pkg.first")
    recorder("pkg.missing")
    page = CachedPage(howto=None, markdown="", lookups=recorder.take())  # type: ignore[arg-type]
    assert looked_up == ["pkg.first", "pkg.missing"]
    assert page.lookups == (("pkg.first", "v1"), ("pkg.missing", "missing"))
    assert recorder.still_valid(page)
    identities["pkg.first"] = "v2"  # the function an example calls was edited
    assert not recorder.still_valid(page)
    identities["pkg.first"], identities["pkg.missing"] = "v1", "now exists"
    assert not recorder.still_valid(page)


def test_editing_a_function_re_checks_the_examples_that_call_it(package: Package) -> None:
    src = package(
        {
            **CODE,
            "pkg/user.py": '''
                def third() -> int:
                    """Use `first`.

                    Examples:
                        ```python
                        from pkg import first
                        first(2)
                        ```
                    """
                    return 1
                ''',
        }
    )
    cache = PageCache()
    run(src, cache)
    init = src / "pkg/__init__.py"
    init.write_text(init.read_text().replace("return x * 2", "return x * 3"))
    site = run(src, cache)
    # `first` (edited) and `third` (its example imports `first`); not `second`.
    assert (site.analyzed, site.reused) == (2, 1)


def test_the_disk_cache_survives_a_restart_and_is_written_atomically(
    package: Package, tmp_path: Path
) -> None:
    src = package(CODE)
    folder = tmp_path / "cache"
    cache = PageCache()
    first = run(src, cache)
    cache.save(folder)
    assert [p.name for p in folder.iterdir()] == [CACHE_FILE]  # no temporary file left
    restarted = PageCache()
    assert restarted.load(folder) is None
    site = run(src, restarted)
    assert (site.analyzed, site.reused, site.pages) == (0, 2, first.pages)


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_a_corrupted_disk_cache_is_a_warning_and_is_rebuilt(
    package: Package, tmp_path: Path, garbage: bytes
) -> None:
    src = package(CODE)
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / CACHE_FILE).write_bytes(garbage)
    cache = PageCache()
    warning = cache.load(folder)
    assert warning is not None
    assert "cache file is unreadable" in warning
    assert str(folder / CACHE_FILE) in warning
    assert run(src, cache).analyzed == 2
    cache.save(folder)
    assert PageCache().load(folder) is None


def test_the_plugin_warns_about_a_corrupted_cache_dir_and_rewrites_it(
    package: Package, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    package(CODE)
    (tmp_path / ".howto-cache").mkdir()
    (tmp_path / ".howto-cache" / CACHE_FILE).write_bytes(b"garbage")
    with caplog.at_level(logging.WARNING):
        build_site(tmp_path, {"packages": ["pkg"], "cache_dir": ".howto-cache"}, strict=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("cache file is unreadable" in message for message in warnings), warnings
    assert PageCache().load(tmp_path / ".howto-cache") is None


def _mtimes(site: Path) -> dict[str, int]:
    return {
        path.relative_to(site).as_posix(): path.stat().st_mtime_ns
        for path in (site / "howto").rglob("index.html")
    }


def _rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {page for page, mtime in after.items() if before.get(page) != mtime}


def test_dirty_builds_rewrite_only_the_pages_whose_content_or_nav_changed(
    demo_copy: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    config_file = str(demo_copy / "mkdocs.yml")
    build(load_config(config_file, site_dir=str(site)))
    before = _mtimes(site)
    units = demo_copy / "src/skyfeed/units.py"
    text = units.read_text()
    units.write_text(text.replace("Convert a temperature between", "Convert a reading between"))
    build(load_config(config_file, site_dir=str(site)), dirty=True)
    after = _mtimes(site)
    # The page, and the index pages that show its summary (its module, and the package that
    # re-exports it): nothing else.
    assert _rewritten(before, after) == {
        "howto/skyfeed/units/convert_temperature/index.html",
        "howto/skyfeed/units/index.html",
        "howto/skyfeed/index.html",
    }
    assert "Convert a reading" in (site / "howto/skyfeed/index.html").read_text()

    units.write_text(units.read_text() + "\n\ndef extra() -> None:\n    pass\n")
    build(load_config(config_file, site_dir=str(site)), dirty=True)
    # A new page changes the nav that every page shows: every generated page is rewritten.
    assert _rewritten(after, _mtimes(site)) >= set(after)


def test_griffe_warnings_are_replayed_for_pages_served_from_the_cache(
    package: Package,
) -> None:
    """A rebuild from the cache fails `--strict` exactly like the first build."""
    src = package(
        {
            "pkg/__init__.py": '''
                def f(a: int) -> int:
                    """Add one.

                    Args:
                        b: Not a parameter of f.
                    """
                    return a + 1
                ''',
        }
    )
    cache = PageCache()
    first = run(src, cache)
    second = run(src, cache)
    assert first.analyzed == 1 and second.reused == 1
    assert [message.split(": ", 1)[1] for message in second.replayed] == [
        "No type or annotation for parameter 'b'",
        "Parameter 'b' does not appear in the function signature",
    ]


def test_cache_keys_do_not_depend_on_set_order() -> None:
    """A frozenset's order changes with each process's hash seed; the disk cache must not."""
    first = AnalyzeOptions(packages=frozenset({"alpha", "beta", "gamma"}))
    second = AnalyzeOptions(packages=frozenset({"gamma", "beta", "alpha"}))
    assert _canonical(first) == _canonical(second)
    assert "['alpha', 'beta', 'gamma']" in _canonical(first)


def test_a_template_kept_in_the_project_root_does_not_defeat_the_cache(
    package: Package, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Only `*.jinja` files of the template folders are in the key, not the site or the cache."""
    caplog.set_level(logging.INFO)
    package({"pkg/__init__.py": "def f() -> int:\n    return 1\n"})
    builtin = Path(__file__).parent.parent / "mkdocs_howto/templates/howto.md.jinja"
    (tmp_path / "page.md.jinja").write_text(builtin.read_text(), encoding="utf-8")
    options = {"packages": ["pkg"], "template": "page.md.jinja", "cache_dir": ".cache"}
    build_site(tmp_path, options)
    caplog.clear()
    build_site(tmp_path, options)  # the site/ and .cache/ written by the first build changed
    summaries = [r.getMessage() for r in caplog.records if "from cache" in r.getMessage()]
    assert len(summaries) == 1
    assert "0 analyzed, 1 from cache" in summaries[0]


VALUES = {
    "pkg/__init__.py": '''
        """A package whose example values come from its own code."""

        from pkg._spinners import SPINNERS


        def spin(name: str) -> str:
            if name not in SPINNERS:
                raise KeyError(name)
            return SPINNERS[name]


        def greet(person: str) -> str:
            return "hi " + person
        ''',
    "pkg/_spinners.py": 'SPINNERS = {"dots": ".."}\n',
    "pkg/_main.py": """
        def greet_all() -> None:
            pass
        """,
}


def test_a_change_where_a_value_was_mined_re_analyzes_the_page(package: Package) -> None:
    """The values an example passes are part of its page's dependencies: a call site of the
    object (even in a function that did not call it before) and a constant it checks."""
    src = package(VALUES)
    cache = PageCache()
    site = run(src, cache)
    assert 'spin(name="dots")' in site.pages["howto/pkg/spin.md"]
    assert 'greet(person="example")' in site.pages["howto/pkg/greet.md"]

    main = src / "pkg/_main.py"
    main.write_text(main.read_text().replace("pass", 'greet("Ada")'))
    site = run(src, cache)
    assert 'greet(person="Ada")' in site.pages["howto/pkg/greet.md"]
    assert (site.analyzed, site.reused) == (1, 1)  # greet only: spin read no call of greet

    spinners = src / "pkg/_spinners.py"
    spinners.write_text('SPINNERS = {"line": "-"}\n')
    site = run(src, cache)
    assert 'spin(name="line")' in site.pages["howto/pkg/spin.md"]


def test_a_change_in_the_code_reading_a_passed_on_container_re_analyzes_the_page(
    package: Package,
) -> None:
    """Whether a container's items are read may be decided three calls away, in a function
    it is passed on to: each function on the way is part of the page's dependencies."""
    src = package(
        {
            "pkg/__init__.py": """
                from pkg._cookies import _fill


                def add_cookies(jar: list, cookies: dict) -> list:
                    return _fill(jar, cookies)
                """,
            "pkg/_cookies.py": """
                from pkg._store import _write


                def _fill(jar: list, cookies: dict) -> list:
                    return _check(jar, cookies)


                def _check(jar: list, cookies: dict) -> list:
                    return _write(jar, cookies)
                """,
            "pkg/_store.py": """
                def _write(jar: list, cookies: dict) -> list:
                    for name in cookies:
                        jar.append(name)
                    return jar
                """,
        }
    )
    cache = PageCache()
    site = run(src, cache)
    assert "cookies={...: ...}" in site.pages["howto/pkg/add_cookies.md"]

    store = src / "pkg/_store.py"
    store.write_text("def _write(jar: list, cookies: dict) -> list:\n    return [*jar, cookies]\n")
    site = run(src, cache)
    assert "cookies={}" in site.pages["howto/pkg/add_cookies.md"]
    assert site.analyzed == 1


def test_every_page_reading_a_helper_depends_on_where_its_value_came_from(
    package: Package,
) -> None:
    """Two functions pass a parameter on to one helper whose body checks a constant: the
    helper's values are read once per load, and both pages still depend on the constant."""
    src = package(
        {
            "pkg/__init__.py": """
                from pkg._spinning import _spin


                def first(name: str) -> str:
                    return _spin(name)


                def second(name: str) -> str:
                    return _spin(name)
                """,
            "pkg/_spinning.py": """
                SPINNERS = {"dots": ".."}


                def _spin(name: str) -> str:
                    if name not in SPINNERS:
                        raise KeyError(name)
                    return SPINNERS[name]
                """,
        }
    )
    _both_pages_follow_the_spinners(src, "pkg/_spinning.py", '(name="{}")')


def test_every_page_building_a_class_depends_on_where_its_values_came_from(
    package: Package,
) -> None:
    """Two functions take a class of the package, built in their examples from its
    constructor, whose body checks a constant of another module: the constructor's values
    are read once per build, and every page building the class still depends on the
    constant."""
    src = package(
        {
            "pkg/__init__.py": """
                from pkg._spinner import Spinner


                def first(spinner: Spinner) -> str:
                    return spinner.name


                def second(spinner: Spinner) -> str:
                    return spinner.name
                """,
            "pkg/_spinner.py": """
                from pkg._names import SPINNERS


                class Spinner:
                    def __init__(self, name: str) -> None:
                        if name not in SPINNERS:
                            raise KeyError(name)
                        self.name = name
                """,
            "pkg/_names.py": """
                SPINNERS = {"dots": ".."}
                """,
        }
    )
    _both_pages_follow_the_spinners(src, "pkg/_names.py", 'Spinner(name="{}")')


def _both_pages_follow_the_spinners(src: Path, module: str, call: str) -> None:
    """`first` and `second` show `call` with the key of `SPINNERS` in `module`, before and
    after that key changes from "dots" to "line" (the page cache kept between the builds)."""
    cache = PageCache()
    site = run(src, cache)
    for page in ("howto/pkg/first.md", "howto/pkg/second.md"):
        assert call.format("dots") in site.pages[page]
    spinners = src / module
    spinners.write_text(spinners.read_text().replace('{"dots": ".."}', '{"line": "-"}'))
    site = run(src, cache)
    for page in ("howto/pkg/first.md", "howto/pkg/second.md"):
        assert call.format("line") in site.pages[page]
