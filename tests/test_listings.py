"""Source listings are left out of the search index (`listings`), and put back in the page."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from conftest import BuiltSite, Package, build_site

from mkdocs_howto.listings import END, START, hole, put_back, set_aside, unmark

SOURCE = {
    "pkg/__init__.py": '"""A package."""\n',
    "pkg/core.py": '''\
"""Core functions."""


def scale(value: float, factor: float = 2.0) -> float:
    """Multiply a value by a factor.

    Args:
        value: The number to scale.
        factor: The multiplier.
    """
    if factor < 0:
        raise ValueError("factor must not be negative")
    return value * factor  # xyzzy: only the listing shows this comment


def shift(value: float, by: float = 1.0) -> float:
    """Add an offset to a value. The page must not end early: <!-- /howto:source -->"""
    return value + by  # plugh: only this page's listing shows this comment
''',
}


def test_set_aside_and_put_back_give_the_page_back() -> None:
    html = f"{START}\n<h2>Source</h2>\n<details>code</details>\n{END}\n<p>after</p>"
    aside, block = set_aside(html, 7)
    assert aside == f"{hole(7)}\n<p>after</p>"
    assert block == "\n<h2>Source</h2>\n<details>code</details>\n"
    assert put_back(f"<html>{aside}</html>", 7, block) == f"<html>{unmark(html)}</html>"
    assert unmark(html) == "\n<h2>Source</h2>\n<details>code</details>\n\n<p>after</p>"


def test_a_block_goes_back_only_to_its_own_page() -> None:
    aside, block = set_aside(f"{START}mine{END}", 1)
    assert block is not None
    assert put_back(f"<p>{hole(2)}</p>", 1, block) is None  # another page's place
    assert put_back(f"<p>{aside}</p>", 1, block) == "<p>mine</p>"


@pytest.mark.parametrize("html", ["<p>no block</p>", f"{END} then {START}", f"{START} only"])
def test_a_page_without_a_whole_block_is_left_as_it_is(html: str) -> None:
    assert set_aside(html, 1) == (html, None)


def search_texts(site: BuiltSite) -> str:
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text())
    return "\n".join(doc["text"] for doc in index["docs"])


def titles(site: BuiltSite) -> set[str]:
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text())
    return {doc["title"] for doc in index["docs"]}


def pages(site: BuiltSite) -> dict[str, str]:
    return {page: site.html(page) for page in site.pages()}


@pytest.fixture
def sites(package: Package, tmp_path: Path) -> tuple[BuiltSite, BuiltSite]:
    root = package(SOURCE).parent
    build_site(root, {"packages": ["pkg"]})
    (tmp_path / "left-out").mkdir()
    (root / "site").rename(tmp_path / "left-out" / "site")
    indexed = build_site(root, {"packages": ["pkg"], "search_source": True})
    return BuiltSite(root, tmp_path / "left-out" / "site"), indexed


def test_the_search_index_leaves_the_listing_out_and_the_page_keeps_it(
    sites: tuple[BuiltSite, BuiltSite],
) -> None:
    left_out, indexed = sites
    scale, shift = (
        left_out.html(f"howto/pkg/core/{name}/index.html") for name in ("scale", "shift")
    )
    assert scale.count("xyzzy") == 1 and "plugh" not in scale  # its own block, in the page
    assert shift.count("plugh") == 1 and "xyzzy" not in shift
    for page in (scale, shift):
        assert "Source: " in page and 'id="src' in page
        assert START not in page and END not in page and "set aside" not in page
    assert "&lt;!-- /howto:source --&gt;" in shift  # the docstring's text, shown as text
    texts = search_texts(left_out)
    assert "Multiply a value by a factor." in texts and "Add an offset to a value." in texts
    assert "xyzzy" not in texts and "plugh" not in texts
    assert "Source" not in titles(left_out)  # the heading went with the block
    assert "xyzzy" in search_texts(indexed) and "plugh" in search_texts(indexed)
    assert "Source" in titles(indexed)


def test_the_pages_are_the_same_with_the_listing_indexed_or_not(
    sites: tuple[BuiltSite, BuiltSite],
) -> None:
    left_out, indexed = sites
    assert pages(left_out) == pages(indexed)


def test_a_place_dropped_by_another_plugin_is_a_warning_naming_the_page(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    root = package(SOURCE).parent
    hook = root / "drop_comments.py"
    hook.write_text(
        "import re\n\n\ndef on_page_context(context, page, config, nav):\n"
        "    page.content = re.sub('<!--.*?-->', '', page.content)\n"
        "    return context\n"
    )
    site = build_site(
        root, {"packages": ["pkg"]}, strict=False, extra_config={"hooks": [str(hook)]}
    )
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "the source block of howto/pkg/core/scale.md was not put back" in m for m in warnings
    ), warnings
    assert "xyzzy" not in site.html("howto/pkg/core/scale/index.html")
