"""Serve rebuilds re-read only the files an edit changed (`reload.TreeKeeper`, issue 17).

The property that matters: after any sequence of edits, the pages of the kept, spliced tree
(with the page cache, as `serve` builds them) equal a fresh build's, byte for byte. Edits are
drawn at random from the kinds a developer makes while previewing: a body, a docstring, a
comment, a default value, a new parameter, a new function, a new or removed module, an
`__init__.py` export, a syntax error and its fix.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.cache import PageCache
from mkdocs_howto.errors import HowToError
from mkdocs_howto.generate import SiteOptions, plan_pages, write_pages
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.reload import TreeKeeper
from mkdocs_howto.render import Renderer, RenderOptions

FILES = {
    "pkg/__init__.py": '''
        """A small shop."""
        from pkg.client import Client, fetch
        from pkg._core import helper
        from pkg.basket import Basket
        from pkg.models import Item, make_item

        __all__ = ["Basket", "Client", "Item", "fetch", "helper", "make_item"]
        ''',
    "pkg/models.py": '''
        """Models."""
        from dataclasses import dataclass


        @dataclass
        class Item:
            """An item."""

            name: str
            price: float = 1.0

            @classmethod
            def free(cls, name: str) -> Item:
                """An item that costs nothing."""
                return cls(name, 0.0)

            def total(self, count: int) -> float:
                """The price of `count` items."""
                # BODY total
                return self.price * count


        def make_item(name: str) -> Item:
            """Make an item."""
            # BODY make_item
            return Item(name)
        ''',
    "pkg/client.py": '''
        """Client."""
        from pkg.errors import ShopError
        from pkg.models import Item, make_item


        class Client:
            """A client."""

            def get(self, name: str) -> Item:
                """Get an item.

                Raises:
                    ShopError: When the name is empty.
                """
                # BODY get
                if not name:
                    raise ShopError(name)
                return make_item(name)


        def fetch(name: str) -> Item:
            """Fetch an item."""
            # BODY fetch
            client = Client()
            return client.get(name)
        ''',
    "pkg/_core.py": '''
        """Private: documented where the package exports it."""


        def helper(count: int) -> int:
            """Double a count."""
            # BODY helper
            return count * 2
        ''',
    "pkg/errors.py": '''
        """Errors."""


        class ShopError(Exception):
            """The shop cannot serve the request."""
        ''',
    "pkg/basket.py": '''
        """Baskets."""
        from pkg.models import Item


        class Basket(Item):
            """A basket is an item holding items."""

            def add(self, item: Item) -> None:
                """Put `item` in the basket."""
                # BODY add
                print(item.name)
        ''',
}

#: Where a body edit goes: the marker comment of each function above.
BODIES = {
    "total": "pkg/models.py",
    "make_item": "pkg/models.py",
    "get": "pkg/client.py",
    "fetch": "pkg/client.py",
    "add": "pkg/basket.py",
    "helper": "pkg/_core.py",
}

Edit = Callable[[Path], None]


def _replace(relative: str, old: str, new: str) -> Edit:
    def edit(src: Path) -> None:
        path = src / relative
        if path.exists():
            text = path.read_text(encoding="utf-8")
            _write(path, text.replace(old, new, 1))

    return edit


def _body(name: str, line: str) -> Edit:
    return _replace(BODIES[name], f"# BODY {name}\n", f"# BODY {name}\n        {line}\n")


def _write(path: Path, text: str) -> None:
    """Write and move the file's time on: two saves within a clock tick still differ."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    stamp = max(path.stat().st_mtime_ns, before + 1_000_000)
    os.utime(path, ns=(stamp, stamp))


def _new_module(src: Path) -> None:
    _write(src / "pkg" / "extra.py", '"""Extra."""\n\n\ndef extra() -> int:\n    return 1\n')


def _drop_module(src: Path) -> None:
    (src / "pkg" / "extra.py").unlink(missing_ok=True)


_ERROR_CLASS = 'class ShopError(Exception):\n    """The shop cannot serve the request."""\n'
_GUARDED_ERROR_CLASS = (
    'if __name__ == "__main__":\n\n'
    '    class ShopError(Exception):\n        """The shop cannot serve the request."""\n'
)

EDITS: dict[str, Edit] = {
    "body statement": _body("total", "count = max(count, 0)"),
    "body call": _body("fetch", "print(name)"),
    "body raise": _body("make_item", "assert name, 'a name'"),
    "body in a base class": _body("add", "item.total(1)"),
    "body of a re-exported function": _body("helper", "count = abs(count)"),
    "docstring of a re-exported function": _replace(
        "pkg/_core.py", "Double a count.", "Twice the count."
    ),
    "docstring": _replace("pkg/models.py", '"""Make an item."""', '"""Make one item."""'),
    # the module's summary shows on its index page and in its package's index page
    "module docstring": _replace("pkg/client.py", '"""Client."""', '"""The shop\'s client."""'),
    # a class summary shows in its module's index page
    "class docstring": _replace("pkg/client.py", '"""A client."""', '"""A shop client."""'),
    "raises docstring": _replace("pkg/client.py", "When the name is empty.", "When empty."),
    "comment": _replace("pkg/client.py", "# BODY get\n", "# BODY get\n        # Look it up\n"),
    "default value": _replace("pkg/models.py", "price: float = 1.0", "price: float = 2.5"),
    "new parameter": _replace("pkg/client.py", "def fetch(name: str)", "def fetch(name: str, n=1)"),
    "new function": _replace(
        "pkg/errors.py", '"""Errors."""\n', '"""Errors."""\n\n\ndef f():\n    pass\n'
    ),
    "export": _replace("pkg/__init__.py", '"fetch", ', ""),
    # the same names, but the selection changes: a class under a `__main__` guard is no API
    "main guard": _replace("pkg/errors.py", _ERROR_CLASS, _GUARDED_ERROR_CLASS),
    "main guard removed": _replace("pkg/errors.py", _GUARDED_ERROR_CLASS, _ERROR_CLASS),
    "new module": _new_module,
    "removed module": _drop_module,
    "syntax error": _replace("pkg/basket.py", "def add(", "def add(("),
    "syntax fixed": _replace("pkg/basket.py", "def add((", "def add("),
}


def _site(src: Path) -> SiteOptions:
    return SiteOptions(
        LoadOptions(("pkg",), (src,)), AnalyzeOptions(frozenset({"pkg"})), RenderOptions()
    )


class Serving:
    """What `serve` keeps between rebuilds: the tree, the page cache, the renderer."""

    def __init__(self, src: Path) -> None:
        self.options = _site(src)
        self.keeper = TreeKeeper()
        self.cache = PageCache()
        self.renderer = Renderer(self.options.render)

    def pages(self) -> dict[str, str] | str:
        try:
            planned = plan_pages(self.options, keeper=self.keeper)
            return write_pages(self.options, planned, self.renderer, self.cache).pages
        except HowToError as error:
            return str(error)


def fresh_pages(src: Path) -> dict[str, str] | str:
    options = _site(src)
    try:
        return write_pages(options, plan_pages(options), Renderer(options.render)).pages
    except HowToError as error:
        return str(error)


def write_fixture(root: Path) -> Path:
    src = root / "src"
    for relative, text in FILES.items():
        path = src / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, textwrap.dedent(text).lstrip())
    return src


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=6))
def test_pages_after_any_edit_sequence_equal_a_fresh_build(
    tmp_path_factory: pytest.TempPathFactory, edits: list[str]
) -> None:
    src = write_fixture(tmp_path_factory.mktemp("shop"))
    serving = Serving(src)
    serving.pages()
    for name in edits:
        EDITS[name](src)
        assert serving.pages() == fresh_pages(src), f"after {edits}"


def test_a_body_edit_re_reads_one_module(tmp_path: Path) -> None:
    src = write_fixture(tmp_path)
    serving = Serving(src)
    first = serving.pages()
    assert serving.keeper.note() == "6 modules read (first load)"
    EDITS["body statement"](src)
    after = serving.pages()
    assert serving.keeper.note() == "1 module re-read"
    assert isinstance(first, dict) and isinstance(after, dict)
    changed = sorted(uri for uri in after if after[uri] != first[uri])
    # the edited class, and the function below it (its lines moved down by one)
    assert changed == ["howto/pkg/models/Item.md", "howto/pkg/models/make_item.md"]
    assert "count = max(count, 0)" in after["howto/pkg/models/Item.md"]


def test_a_save_without_a_change_re_reads_nothing(tmp_path: Path) -> None:
    src = write_fixture(tmp_path)
    serving = Serving(src)
    serving.pages()
    models = src / "pkg" / "models.py"
    _write(models, models.read_text(encoding="utf-8"))  # new time, same bytes
    serving.pages()  # the first save after a full load is read: its hash was not taken
    _write(models, models.read_text(encoding="utf-8"))
    serving.pages()
    assert serving.keeper.note() == "0 modules re-read"


def test_a_splice_that_changes_the_selection_selects_again(tmp_path: Path) -> None:
    """A module re-read with the same names may still change the public API (a class moved
    under a `__main__` guard): its pages go, as in a fresh build, and come back."""
    src = write_fixture(tmp_path)
    serving = Serving(src)
    first = serving.pages()
    EDITS["main guard"](src)
    guarded = serving.pages()
    assert serving.keeper.note() == "1 module re-read"
    assert guarded == fresh_pages(src)
    assert isinstance(first, dict) and isinstance(guarded, dict)
    assert "howto/pkg/errors/ShopError.md" in first
    assert "howto/pkg/errors/ShopError.md" not in guarded
    EDITS["main guard removed"](src)
    assert serving.pages() == fresh_pages(src) == first


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        ("export", "__init__.py of a package changed"),
        ("new module", "a file was added or removed"),
        ("new parameter", "a changed module's names or signatures"),
        ("syntax error", "a changed module's names or signatures"),
    ],
)
def test_what_cannot_be_spliced_loads_in_full(tmp_path: Path, edit: str, reason: str) -> None:
    src = write_fixture(tmp_path)
    serving = Serving(src)
    serving.pages()
    EDITS[edit](src)
    assert serving.pages() == fresh_pages(src)
    assert serving.keeper.full_reason == reason


@pytest.mark.parametrize("edit", ["module docstring", "class docstring"])
def test_an_index_page_kept_between_rebuilds_follows_a_summary_edit(
    tmp_path: Path, edit: str
) -> None:
    """Index pages come from the cache while nothing they show changed; a summary they show
    (the module's, in its package's list too, or a class's) is such a change."""
    src = write_fixture(tmp_path)
    serving = Serving(src)
    first = serving.pages()
    EDITS[edit](src)
    after = serving.pages()
    assert after == fresh_pages(src)
    assert isinstance(first, dict) and isinstance(after, dict)
    assert after["howto/pkg/client/index.md"] != first["howto/pkg/client/index.md"]
