"""Where pages go: one file per object, distinct even when case is ignored, and the nav."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build_site, generate, load, nav_labels

from mkdocs_howto import pages
from mkdocs_howto.config import HowToConfig
from mkdocs_howto.pages import merge_nav, plan_site

Package = Callable[[dict[str, str]], Path]

OPTS = """
class Option:
    \"\"\"The class.\"\"\"


def option() -> Option:
    \"\"\"The function.\"\"\"
    return Option()


def index() -> None:
    \"\"\"A function named like the index page.\"\"\"
"""


def test_names_differing_only_in_case_get_distinct_pages(package: Package) -> None:
    src = package({"pkg/__init__.py": "", "pkg/opts.py": OPTS})
    site = build_site(src.parent, {"packages": ["pkg"]})
    pages = site.pages()
    assert len({page.casefold() for page in pages}) == len(pages)
    assert "howto/pkg/opts/Option-class/index.html" in pages
    assert "howto/pkg/opts/option-function/index.html" in pages
    assert "The class." in site.html("howto/pkg/opts/Option-class/index.html")
    assert "The function." in site.html("howto/pkg/opts/option-function/index.html")


def test_object_named_index_does_not_replace_the_module_index(package: Package) -> None:
    src = package({"pkg/__init__.py": "", "pkg/opts.py": OPTS})
    site = build_site(src.parent, {"packages": ["pkg"]})
    module_index = site.html("howto/pkg/opts/index.html")
    assert "<h1" in module_index
    assert 'pkg.opts</code><a class="headerlink"' in module_index  # the module's own title
    for link in ('href="Option-class/"', 'href="option-function/"', 'href="index-function/"'):
        assert link in module_index
    assert "A function named like the index page." in site.html(
        "howto/pkg/opts/index-function/index.html"
    )


def test_object_named_like_a_sibling_module_gets_its_own_page(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "class Opts:\n    '''The class Opts.'''\n",
            "pkg/opts.py": "def parse():\n    pass\n",
        }
    )
    plan = generate(src, "pkg").plan
    assert plan.object_pages == {
        "pkg.Opts": "howto/pkg/Opts-class.md",
        "pkg.opts.parse": "howto/pkg/opts/parse.md",
    }
    assert plan.index_pages == {"pkg": "howto/pkg/index.md", "pkg.opts": "howto/pkg/opts/index.md"}


def test_generated_nav_follows_the_modules(package: Package) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n", "pkg/opts.py": OPTS})
    assert generate(src, "pkg").plan.nav == [
        {
            "pkg": [
                "howto/pkg/index.md",
                {"top": "howto/pkg/top.md"},
                {
                    "pkg.opts": [
                        "howto/pkg/opts/index.md",
                        {"Option": "howto/pkg/opts/Option-class.md"},
                        {"option": "howto/pkg/opts/option-function.md"},
                        {"index": "howto/pkg/opts/index-function.md"},
                    ]
                },
            ]
        }
    ]


SECTION = [{"pkg": ["howto/pkg/index.md", {"Client": "howto/pkg/Client.md"}]}]
TITLE = "How-to guides"


def merged(user_nav: list | None, others: list | None = None) -> list:
    return merge_nav(user_nav, others or ["index.md", "about.md"], SECTION, "howto", TITLE)


def test_without_user_nav_the_section_follows_the_other_pages() -> None:
    assert merged(None) == ["index.md", "about.md", {TITLE: SECTION}]


@pytest.mark.parametrize("entry", ["howto/", "howto", "/howto/"])
def test_bare_output_dir_entry_is_replaced_in_place(entry: str) -> None:
    assert merged(["index.md", entry, "about.md"]) == ["index.md", {TITLE: SECTION}, "about.md"]


def test_titled_output_dir_entry_is_replaced_in_place_keeping_its_title() -> None:
    assert merged(["index.md", {"API": "howto/"}, "about.md"]) == [
        "index.md",
        {"API": SECTION},
        "about.md",
    ]


def test_output_dir_entry_nested_in_a_section_is_replaced() -> None:
    nav = [{"Reference": ["ref.md", {"API": "howto/"}]}, "about.md"]
    assert merged(nav) == [{"Reference": ["ref.md", {"API": SECTION}]}, "about.md"]


def test_user_nav_listing_generated_pages_is_left_alone() -> None:
    nav = ["index.md", {"Client guide": "howto/pkg/Client.md"}]
    assert merged(nav) == nav


def test_other_user_nav_gets_the_section_appended() -> None:
    assert merged(["index.md", {"About": "about.md"}]) == [
        "index.md",
        {"About": "about.md"},
        {TITLE: SECTION},
    ]


def test_nested_output_dir_is_matched_whole() -> None:
    nav = ["index.md", {"API": "reference/howto/"}, "howto/"]
    assert merge_nav(nav, [], SECTION, "reference/howto", TITLE) == [
        "index.md",
        {"API": SECTION},
        "howto/",
    ]


DOCS = {"index.md": "# Home\n", "about.md": "# About\n"}
# In the built nav a module is a section label followed by its index page, both named `pkg`.


def test_built_nav_without_user_nav_ends_with_the_section(package: Package) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n"})
    site = build_site(src.parent, {"packages": ["pkg"]}, docs=DOCS)
    assert nav_labels(site.html("index.html")) == ["Home", "About", TITLE, "pkg", "pkg", "top"]


def test_built_nav_replaces_a_titled_entry_in_place(package: Package) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n"})
    site = build_site(
        src.parent,
        {"packages": ["pkg"]},
        docs=DOCS,
        extra_config={"nav": [{"Home": "index.md"}, {"API": "howto/"}, {"About": "about.md"}]},
    )
    assert nav_labels(site.html("index.html")) == ["Home", "API", "pkg", "pkg", "top", "About"]


def test_overlapping_packages_list_each_module_once(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "def top():\n    pass\n",
            "pkg/sub/__init__.py": "def inner():\n    pass\n",
            "pkg/sub/deep.py": "def deeper():\n    pass\n",
        }
    )
    assert generate(src, "pkg", "pkg.sub").plan.nav == generate(src, "pkg").plan.nav


def test_nav_depth_modules_lists_only_module_index_pages(package: Package) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n", "pkg/opts.py": OPTS})
    plan = plan_site(load(src, "pkg"), "howto", nav_depth="modules")
    assert plan.nav == [{"pkg": ["howto/pkg/index.md", {"pkg.opts": ["howto/pkg/opts/index.md"]}]}]
    assert plan.object_pages["pkg.top"] == "howto/pkg/top.md"  # pages still planned


def test_nav_depth_auto_is_the_default_and_lists_objects_of_a_small_api(
    package: Package,
) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n", "pkg/opts.py": OPTS})
    api = load(src, "pkg")
    default = plan_site(api, "howto")
    assert default.nav_depth == "objects"
    assert default.nav == plan_site(api, "howto", nav_depth="objects").nav
    options = HowToConfig()
    options.load_dict({"packages": ["pkg"]})
    assert options.validate() == ([], []) and options.nav_depth == "auto"


def test_nav_depth_auto_lists_only_modules_above_the_threshold(
    package: Package, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n", "pkg/opts.py": OPTS})
    api = load(src, "pkg")
    objects = sum(len(module.objects) for module in api.modules)
    monkeypatch.setattr(pages, "AUTO_NAV_OBJECTS", objects)
    assert plan_site(api, "howto", nav_depth="auto").nav_depth == "objects"
    monkeypatch.setattr(pages, "AUTO_NAV_OBJECTS", objects - 1)
    plan = plan_site(api, "howto", nav_depth="auto")
    assert plan.nav_depth == "modules"
    assert plan.nav == plan_site(api, "howto", nav_depth="modules").nav


def test_built_nav_depth_modules_keeps_object_pages_reachable(package: Package) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n"})
    site = build_site(src.parent, {"packages": ["pkg"], "nav_depth": "modules"}, docs=DOCS)
    assert nav_labels(site.html("index.html")) == ["Home", "About", TITLE, "pkg", "pkg"]
    assert "howto/pkg/top/index.html" in site.pages()
    assert 'href="top/"' in site.html("howto/pkg/index.html")
