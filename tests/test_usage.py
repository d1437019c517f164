"""Usage mining: the shortest self-contained call site in the project's tests, examples, docs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import analyze, load

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.analyze.symbols import lookup_for
from mkdocs_howto.analyze.usage import best_snippets, collect_usage, snippets_in
from mkdocs_howto.facts import HowTo
from mkdocs_howto.generate import SiteOptions, generate_site
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.render import RenderOptions

FIXTURE = Path(__file__).parent / "fixtures" / "usage_project"
FOLDERS = ("tests", "examples", "docs")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "usage_project"
    shutil.copytree(FIXTURE, target)
    return target


def mined(project: Path) -> dict[str, HowTo]:
    usage = collect_usage([project / folder for folder in FOLDERS], project)
    options = {"examples_from": ("docstring", "usage", "signature"), "usage": usage}
    return analyze(project / "src", "shop", analyze_options=options)


def test_the_shortest_self_contained_test_is_chosen(project: Path) -> None:
    example = mined(project)["shop.Cart"].example
    assert (example.origin, example.found_in, example.verified) == (
        "usage",
        "tests/test_cart.py:24",
        True,
    )
    assert example.code == (
        'from shop import Cart\n\ncart = Cart(owner="bob")\nassert cart.add("tea", 2) == 2\n'
    )


def test_a_test_using_a_module_constant_is_not_self_contained(project: Path) -> None:
    example = mined(project)["shop.pricing.total"].example
    assert example.found_in == "tests/test_pricing.py:13"
    assert example.code == ("from shop.pricing import total\n\nassert total([10.0, 5.0]) == 18.0\n")


def test_a_fenced_block_of_the_docs_is_a_script(project: Path) -> None:
    example = mined(project)["shop.pricing.fetch_rates"].example
    assert (example.origin, example.found_in, example.verified) == (
        "usage",
        "docs/guide.md:10",
        True,
    )
    assert example.code == (
        'import asyncio\n\nfrom shop import fetch_rates\n\nprint(asyncio.run(fetch_rates("GBP")))\n'
    )


def test_objects_nobody_calls_fall_back_to_the_signature(project: Path) -> None:
    assert mined(project)["shop.pricing.unused"].example.origin == "signature"


def test_usage_is_off_by_default(project: Path) -> None:
    assert analyze(project / "src", "shop")["shop.Cart"].example.origin == "signature"


def test_an_async_test_is_wrapped_in_asyncio_run() -> None:
    source = (
        "from shop import fetch_rates\n\n\n"
        "async def test_rates():\n"
        '    rates = await fetch_rates("EUR")\n'
        "    print(rates)\n"
    )
    [snippet] = snippets_in(source, "tests/test_x.py", script=False)
    assert snippet.code == (
        "import asyncio\n\nfrom shop import fetch_rates\n\n\n"
        "async def main() -> None:\n"
        '    rates = await fetch_rates("EUR")\n'
        "    print(rates)\n\n\n"
        "asyncio.run(main())\n"
    )
    assert snippet.calls == ("shop.fetch_rates",)


def test_best_snippets_credit_a_class_for_calls_of_its_methods(project: Path) -> None:
    api = load(project / "src", "shop")
    lookup = lookup_for(api.roots[0].modules_collection)
    source = "from shop import Cart\n\n\ndef test_add():\n    Cart.add(Cart('x'), 'tea')\n"
    index = collect_usage([], project)
    index = type(index)(tuple(snippets_in(source, "tests/test_y.py", script=False)))
    best = best_snippets(index, lookup)
    assert set(best) == {"shop._cart.Cart", "shop._cart.Cart.add"}


def test_the_page_says_where_the_example_comes_from(project: Path) -> None:
    usage = collect_usage([project / folder for folder in FOLDERS], project)
    site = generate_site(
        SiteOptions(
            load=LoadOptions(packages=("shop",), paths=(project / "src",)),
            analyze=AnalyzeOptions(
                packages=frozenset({"shop"}),
                examples_from=("usage", "signature"),
                usage=usage,
            ),
            render=RenderOptions(),
        )
    )
    page = next(text for uri, text in site.pages.items() if uri.endswith("Cart.md"))
    assert "from the project's tests" in page
    assert "`tests/test_cart.py:24`" in page
    assert site.stats["example from usage"] == 3
    assert site.problems == []
