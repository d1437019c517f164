"""Source listings are left out of the search index (`listings`), and put back in the page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BuiltSite, Package, build_site

from mkdocs_howto.listings import END, HOLE, START, put_back, set_aside, unmark

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
''',
}


def test_set_aside_and_put_back_give_the_page_back() -> None:
    html = f"<h2>Source</h2>\n{START}\n<details>code</details>\n{END}\n<p>after</p>"
    aside, listing = set_aside(html)
    assert aside == f"<h2>Source</h2>\n{HOLE}\n<p>after</p>"
    assert listing == "\n<details>code</details>\n"
    assert put_back(f"<html>{aside}</html>", listing) == f"<html>{unmark(html)}</html>"
    assert unmark(html) == "<h2>Source</h2>\n\n<details>code</details>\n\n<p>after</p>"


@pytest.mark.parametrize("html", ["<p>no listing</p>", f"{END} then {START}", f"{START} only"])
def test_a_page_without_a_whole_listing_is_left_as_it_is(html: str) -> None:
    assert set_aside(html) == (html, None)


def search_texts(site: BuiltSite) -> str:
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text())
    return "\n".join(doc["text"] for doc in index["docs"])


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
    page = left_out.html("howto/pkg/core/scale/index.html")
    assert page.count("xyzzy") == 1  # in the listing, shown to the reader
    assert "Source: " in page and 'id="src' in page
    assert "howto:source" not in page  # neither the markers nor the hole
    assert "Multiply a value by a factor." in search_texts(left_out)
    assert "xyzzy" not in search_texts(left_out)
    assert "xyzzy" in search_texts(indexed)  # `search_source: true`


def test_the_pages_are_the_same_with_the_listing_indexed_or_not(
    sites: tuple[BuiltSite, BuiltSite],
) -> None:
    left_out, indexed = sites
    assert pages(left_out) == pages(indexed)
