"""The checks a model's answer must pass (`writer/check.py`), on facts analyzed from a real
package: what each check accepts and what it names when it fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import analyze, load

from mkdocs_howto.facts import Prose, ProseStep
from mkdocs_howto.generate import _api_paths, _resolver
from mkdocs_howto.writer import Grounding, Subject
from mkdocs_howto.writer.check import AnswerError, parse, problems
from mkdocs_howto.writer.prompt import facts

SHOP = {
    "shop/__init__.py": '"""Shop."""\n\nfrom shop.cart import Cart\n\n__all__ = ["Cart"]\n',
    "shop/cart.py": (
        "import json\n"
        "\n"
        "\n"
        "class Cart:\n"
        '    """A cart."""\n'
        "\n"
        "    def __init__(self) -> None:\n"
        "        self.items: dict[str, int] = {}\n"
        "\n"
        "    def save(self, path: str) -> None:\n"
        '        with open(path, "w") as file:\n'
        "            json.dump(self.items, file)\n"
    ),
}


@pytest.fixture
def check(package: Callable[[dict[str, str]], Path]) -> Callable[[str], list[str]]:
    """The failed checks of a description (steps citing the whole class)."""
    src = package(SHOP)
    howto = analyze(src, "shop")["shop.cart.Cart"]
    api = load(src, "shop")
    grounding = Grounding(frozenset({"shop"}), _resolver(api), _api_paths(api))
    subject = Subject(howto, "from shop import Cart")

    def run(description: str) -> list[str]:
        prose = Prose("m", description, (ProseStep("Stores the items.", 4, 12),))
        return problems(prose, subject, grounding, ("handles",))

    return run


@pytest.mark.parametrize(
    "text",
    [
        "Writes `self.items` as JSON with `json.dump`, e.g. to a file.",
        "Defined in cart.py; call `Cart.save` (or `shop.Cart.save`) with a path.",
        "`items` maps names to counts, `save()` writes them, `open` opens the file.",
    ],
)
def test_names_of_the_source_and_the_api_pass(check: Callable[[str], list[str]], text: str) -> None:
    assert check(text) == []


@pytest.mark.parametrize(
    ("text", "failed"),
    [
        ("Calls `Cart.load` first.", "`Cart.load` is not in the source"),
        ("Import it from `shop.carts`.", "`shop.carts` is not in the source"),
        ("Then persist_items(path) runs.", "`persist_items` is not in the source"),
        ("It handles the file.", "says 'handles', which names no action"),
    ],
)
def test_invented_names_and_vague_terms_fail(
    check: Callable[[str], list[str]], text: str, failed: str
) -> None:
    [problem] = check(text)
    assert problem.startswith(f"description: {failed}")


def test_the_answer_must_be_the_json_asked_for() -> None:
    with pytest.raises(AnswerError, match='step 1 has no "lines": \\[first, last\\]'):
        parse('{"description": "Saves.", "steps": [{"text": "Saves."}]}', "m")
    fenced = '```json\n{"description": "Saves.", "steps": [{"text": "x", "lines": 4}]}\n```'
    assert parse(fenced, "m").steps == (ProseStep("x", 4, 4),)


def test_the_prompt_numbers_the_source_lines_as_the_file_does(
    package: Callable[[dict[str, str]], Path],
) -> None:
    howto = analyze(package(SHOP), "shop")["shop.cart.Cart"]
    asked = facts(Subject(howto, "from shop import Cart"))
    assert "Source (shop/cart.py, lines 4-12):\n 4 | class Cart:\n" in asked
    assert "12 |             json.dump(self.items, file)" in asked
