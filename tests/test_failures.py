"""The "What can go wrong" note: exceptions raised directly (with their condition), re-raised,
and raised one level down by the package's own functions the code calls."""

from __future__ import annotations

from conftest import Package, analyze, generate

from mkdocs_howto.facts import Failure

CODE = '''
import json


class FeedError(Exception):
    pass


def _check(status: int) -> None:
    if status >= 500:
        raise RuntimeError("server down")


def subscribe(status: int, body: str) -> dict:
    """Subscribe to a station."""
    _check(status)
    if status != 200:
        raise FeedError(f"subscription refused: {status}")
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        raise


def plain(value: int) -> int:
    return value
'''


def test_direct_reraised_and_one_level_through_a_package_call(package: Package) -> None:
    howto = analyze(package({"pkg/__init__.py": CODE}), "pkg")
    assert howto["pkg.subscribe"].failures == (
        Failure("FeedError", 17, "raised", condition="status != 200"),
        Failure("json.JSONDecodeError", 21, "re-raised"),
        Failure("RuntimeError", 15, "through", call="_check"),
    )
    assert howto["pkg.plain"].failures == ()


def test_the_note_lists_each_exception_with_its_condition_and_line(package: Package) -> None:
    site = generate(package({"pkg/__init__.py": CODE}), "pkg")
    page = site.pages[site.plan.object_pages["pkg.subscribe"]]
    assert '!!! note "What can go wrong"' in page
    assert "    - Raises `FeedError` when `status != 200` (line 17)." in page
    assert "    - Re-raises `json.JSONDecodeError` after catching it (line 21)." in page
    assert "    - Raises `RuntimeError` through `_check()` (line 15)." in page
    assert "What can go wrong" not in site.pages[site.plan.object_pages["pkg.plain"]]
