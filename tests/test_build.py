"""Real strict MkDocs builds: one page per public object, each with its sections and anchors."""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BuiltSite, build_site, element_ids, nav_labels
from mkdocs.commands.build import build
from mkdocs.config import load_config

Package = Callable[[dict[str, str]], Path]

SHOP = {
    "shop/__init__.py": '''
        """A tiny shop."""

        from shop._cart import Cart
        from shop.pricing import total

        __all__ = ["Cart", "total"]
        ''',
    "shop/_cart.py": '''
        class Cart:
            """A shopping cart."""

            def __init__(self, owner: str) -> None:
                self.owner = owner
                self.items: list[str] = []

            def record(self, item: str) -> int:
                """Add one item."""
                self.items.append(item)
                return len(self.items)

            async def checkout(self) -> None:
                """Pay for everything."""
                self.items.clear()

            def _secret_method(self) -> None:
                pass
        ''',
    "shop/pricing.py": '''
        """Prices."""


        def total(prices: list[float]) -> float:
            """Add up prices."""
            return sum(prices)


        def discount(price: float, rate: float = 0.1) -> float:
            return price * (1 - rate)


        def _round(value: float) -> float:
            return value
        ''',
}
OBJECT_PAGES = {
    "Cart": "howto/shop/Cart/index.html",
    "total": "howto/shop/pricing/total/index.html",
    "discount": "howto/shop/pricing/discount/index.html",
}
INDEX_PAGES = {"howto/shop/index.html", "howto/shop/pricing/index.html"}
SECTIONS = ("Description", "Execution Steps", "Usage Example")


def text_of(html: str) -> str:
    """The page's text, tags removed (highlighted code is split into many spans)."""
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def shop(package: Package) -> BuiltSite:
    src = package(SHOP)
    return build_site(src.parent, {"packages": ["shop"]}, docs={"index.md": "# Home\n"})


def test_one_page_per_public_object_and_one_per_module(shop: BuiltSite) -> None:
    assert set(shop.pages()) == set(OBJECT_PAGES.values()) | INDEX_PAGES
    assert len(shop.pages()) == len(OBJECT_PAGES) + len(INDEX_PAGES)


def test_every_object_page_has_the_three_sections_in_order(shop: BuiltSite) -> None:
    for name, page in OBJECT_PAGES.items():
        html = shop.html(page)
        headings = re.findall(r'<h2 id="([^"]+)">([^<]+)<a class="headerlink"', html)
        # a class page shows its example before its methods' sections (issue 12)
        is_class = re.search(r'howto-kind">(class|dataclass)<', html) is not None
        order = [SECTIONS[0], SECTIONS[2], SECTIONS[1]] if is_class else list(SECTIONS)
        assert [text for _, text in headings] == [*order, "Source"], page
        assert f'<h1 id="{name.lower()}">{name}<a class="headerlink"' in html


def test_nav_lists_every_module_and_object(shop: BuiltSite) -> None:
    labels = nav_labels(shop.html("index.html"))
    assert labels == [
        "Home",
        "How-to guides",
        "shop",
        "shop",
        "Cart",
        "shop.pricing",
        "shop.pricing",
        "total",
        "discount",
    ]


def test_class_page_has_an_anchor_per_public_method(shop: BuiltSite) -> None:
    html = shop.html(OBJECT_PAGES["Cart"])
    ids = element_ids(html)
    for anchor in ("init-special", "record", "checkout"):
        assert ids.count(anchor) == 1, anchor
        assert f'href="#{anchor}"' in html
    before_source = html[: html.index('<h2 id="source">')]
    assert "_secret_method" not in before_source  # shown only as part of the source code


def test_private_objects_have_no_page_or_link(shop: BuiltSite) -> None:
    index = shop.html("howto/shop/pricing/index.html")
    assert "_round" not in index
    assert not (shop.site_dir / "howto/shop/pricing/_round").exists()


def test_step_line_links_point_at_existing_source_lines(shop: BuiltSite) -> None:
    for page in OBJECT_PAGES.values():
        html = shop.html(page)
        targets = re.findall(r'class="howto-line" href="#([^"]+)"', html)
        assert targets, page
        ids = set(element_ids(html))
        assert [target for target in targets if target not in ids] == [], page


def test_package_index_links_reexported_objects(shop: BuiltSite) -> None:
    index = shop.html("howto/shop/index.html")
    assert 'href="Cart/"' in index
    assert 'href="pricing/total/"' in index
    assert "Re-exported from <code>shop.pricing</code>" in index


def test_example_provenance_is_shown(shop: BuiltSite) -> None:
    html = shop.html(OBJECT_PAGES["total"])
    assert "generated from the signature" in html
    assert "checked: parses, imports resolve" in html


def test_method_anchors_do_not_collide_with_section_anchors(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
            class Article:
                def description(self) -> str:
                    return "d"

                def source(self) -> str:
                    return "s"
            """
        }
    )
    html = build_site(src.parent, {"packages": ["pkg"]}).html("howto/pkg/Article/index.html")
    duplicated = [name for name, count in Counter(element_ids(html)).items() if count > 1]
    assert duplicated == []


def test_demo_site_builds_strict_with_a_page_per_public_object(demo_copy: Path) -> None:
    site_dir = demo_copy / "site"
    build(load_config(str(demo_copy / "mkdocs.yml"), site_dir=str(site_dir), strict=True))
    site = BuiltSite(demo_copy, site_dir)
    objects = {
        "howto/skyfeed/StationFeed/index.html",
        "howto/skyfeed/errors/FeedError/index.html",
        "howto/skyfeed/models/Reading/index.html",
        "howto/skyfeed/session/FeedSession/index.html",
        "howto/skyfeed/units/convert_temperature/index.html",
        "howto/skyfeed/units/iter_batches/index.html",
        "howto/skyfeed/units/parse_reading/index.html",
    }
    modules = {
        f"howto/skyfeed/{module}index.html"
        for module in ("", "errors/", "models/", "session/", "units/")
    }
    assert set(site.pages()) == objects | modules
    for page in objects:
        html = site.html(page)
        for section in SECTIONS:
            assert f'>{section}<a class="headerlink"' in html, (page, section)
        assert str(demo_copy) not in html  # no absolute path of the build machine leaks out

    feed = site.html("howto/skyfeed/StationFeed/index.html")
    assert 'id="readings"' in feed
    assert "Open a subscription" in feed  # the author's comment titles the step
    assert "async for item in StationFeed.readings(" in text_of(feed)
    session = site.html("howto/skyfeed/session/FeedSession/index.html")
    assert "from the docstring" in session
    assert 'id="record"' in session


def test_a_build_inside_another_process_leaves_nothing_frozen(shop: BuiltSite) -> None:
    # only a one-shot `mkdocs build` process (on_startup: build) freezes what generation
    # leaves; tests and other hosts build in-process and must keep collecting it
    assert gc.get_freeze_count() == 0
