"""The public API as `import pkg` gives it (#15), in real MkDocs builds: quiet navs for big
APIs, Griffe's docstring warnings demoted on request, sibling-package facades, definitions
under `try:`, lazy `__getattr__` exports and imports that cannot work."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from tests.conftest import Package, build_site
from tests.test_serve import REBUILD_TIMEOUT, edit, start_server, stop, wait_for

NAV_LISTING = "exist in the docs directory, but are not included in the"


def text_of(html: str) -> str:
    """The page's text, tags removed and entities of quotes decoded."""
    text = re.sub(r"<[^>]+>", "", html)
    return text.replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")


def _infos(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What MkDocs counts for `--strict`: warnings on its own loggers."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith("mkdocs")
    ]


# ----------------------------------------------------------------- pages left out of the nav


def test_a_300_object_build_lists_no_page_left_out_of_the_nav(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    functions = "".join(
        f"def task_{n}(value: int) -> int:\n    return value + {n}\n\n\n" for n in range(100)
    )
    src = package({f"big/mod{m}.py": functions for m in range(3)} | {"big/__init__.py": ""})
    caplog.set_level(logging.INFO)
    site = build_site(src.parent, {"packages": ["big"], "show_source": False})
    # `nav_depth: auto` lists only the modules above 150 objects: the 300 object pages are
    # built, and MkDocs does not name each of them at INFO
    assert len(site.pages("howto/big/mod1")) == 101
    assert not [m for m in _infos(caplog) if NAV_LISTING in m]
    assert any("sidebar lists the modules" in m for m in _infos(caplog))


def test_serve_lists_no_page_left_out_of_the_nav(demo_copy: Path) -> None:
    config = demo_copy / "mkdocs.yml"
    edit(config, "      paths: [src]\n", "      paths: [src]\n      nav_depth: modules\n")
    server = start_server(demo_copy)
    try:
        page = "howto/skyfeed/units/convert_temperature/"
        wait_for(lambda: server.get(page)[0] == 200, 60.0, "the first build")
        edit(
            demo_copy / "src/skyfeed/units.py",
            "def ",
            "def _first_edit() -> None:\n    pass\n\n\ndef ",
        )
        wait_for(lambda: server.log().count("object pages (") >= 2, REBUILD_TIMEOUT, "a rebuild")
    finally:
        stop(server)
    log = server.log()
    assert "Building documentation" in log
    assert NAV_LISTING not in log, log


# ----------------------------------------------------------------- griffe_warnings

#: Google-style docstrings Griffe warns about, and nothing else wrong.
DOCSTYLE_ONLY = {
    "styled/__init__.py": '''
        def shift(a: int, b: int) -> int:
            """Add two numbers.

            Args:
                a: The first.
                c: Not a parameter of this function.
            """
            return a + b


        def scale(value: int) -> int:
            """Scale a value.

            Args:
                value: The value.
                    Confusing indentation of this continuation.
                  factor: indented oddly.
            """
            return value * 2
        ''',
}


def test_docstring_warnings_fail_strict_by_default(package: Package) -> None:
    src = package(DOCSTYLE_ONLY)
    with pytest.raises(Abort, match="warnings in strict mode"):
        build_site(src.parent, {"packages": ["styled"]})


def test_griffe_warnings_info_lets_strict_pass_and_still_shows_them(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(DOCSTYLE_ONLY)
    caplog.set_level(logging.INFO)
    site = build_site(src.parent, {"packages": ["styled"], "griffe_warnings": "info"})
    assert "Add two numbers." in site.html("howto/styled/shift/index.html")
    shown = [m for m in _infos(caplog) if "does not appear in the function signature" in m]
    assert shown and "styled/__init__.py:" in shown[0]
    assert not _warnings(caplog)


def test_griffe_warnings_info_still_counts_the_plugins_own_warnings(package: Package) -> None:
    src = package(
        {
            **DOCSTYLE_ONLY,
            "styled/broken.py": "def oops(:\n",
        }
    )
    with pytest.raises(Abort, match="warnings in strict mode"):
        build_site(src.parent, {"packages": ["styled"], "griffe_warnings": "info"})


def test_griffe_warnings_rejects_other_values(package: Package) -> None:
    src = package(DOCSTYLE_ONLY)
    with pytest.raises(Abort):
        build_site(src.parent, {"packages": ["styled"], "griffe_warnings": "ignore"})
