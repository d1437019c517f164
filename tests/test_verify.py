"""The verifier: every example is checked against the API, with messages that say what is wrong."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import Package, build_site, generate, load, write_package
from mkdocs.exceptions import Abort

from mkdocs_howto.analyze.running import run_example
from mkdocs_howto.analyze.symbols import Lookup, lookup_for
from mkdocs_howto.analyze.verify import check_example

PROVIDER = '''
import asyncio


class Qwen:
    """The spec's own example, with the two mistakes it makes."""

    default_model = "qwen-2.5-1m"

    @classmethod
    async def create_async_generator(cls, model: str, messages: list[dict[str, str]]):
        yield model

    async def close(self) -> None:
        await asyncio.sleep(0)

    def url_for(self, station: str) -> str:
        return station


def total(prices: list[float], /, rate: float = 0.2) -> float:
    return sum(prices)
'''


@pytest.fixture
def lookup(package: Package) -> Lookup:
    src = package(
        {"pkg/__init__.py": "from pkg.hf_space import Qwen, total\n", "pkg/hf_space.py": PROVIDER}
    )
    api = load(src, "pkg")
    return lookup_for(api.roots[0].modules_collection)


def check(code: str, lookup: Lookup) -> tuple[str, ...]:
    return check_example(textwrap.dedent(code).lstrip("\n"), frozenset({"pkg"}), lookup)


def test_a_correct_example_passes(lookup: Lookup) -> None:
    code = """
    import asyncio

    from pkg import Qwen


    async def main() -> None:
        async for chunk in Qwen.create_async_generator(model=Qwen.default_model, messages=[]):
            print(chunk)
        await Qwen().close()


    asyncio.run(main())
    """
    assert check(code, lookup) == ()


def test_wrong_import_path(lookup: Lookup) -> None:
    code = "from pkg.endpoints.hf_space import Qwen\n"
    assert check(code, lookup) == ("imports `pkg.endpoints.hf_space.Qwen`, which does not exist",)


def test_missing_attribute(lookup: Lookup) -> None:
    assert check("from pkg import Qwen\n\nQwen.create_stream()\n", lookup) == (
        "`Qwen.create_stream`: `pkg.hf_space.Qwen` has no attribute `create_stream`",
    )
    assert check("from pkg import Qwen\n\nqwen = Qwen()\nqwen.fetch()\n", lookup) == (
        "`qwen.fetch`: `pkg.hf_space.Qwen` objects have no attribute `fetch`",
    )


def test_wrong_arity(lookup: Lookup) -> None:
    assert check("from pkg import total\n\ntotal([1.0], 0.1, 3)\n", lookup) == (
        "`total(...)` takes 2 positional arguments but 3 were given",
    )
    assert check("from pkg import total\n\ntotal()\n", lookup) == (
        "`total(...)` is missing the required argument `prices`",
    )


def test_unknown_keyword(lookup: Lookup) -> None:
    assert check("from pkg import total\n\ntotal([1.0], tax=0.1)\n", lookup) == (
        "`total(...)` has no parameter `tax`",
    )
    assert check("from pkg import total\n\ntotal(prices=[1.0])\n", lookup) == (
        "`total(...)` has no parameter `prices`",
        "`total(...)` is missing the required argument `prices`",
    )


def test_missing_await(lookup: Lookup) -> None:
    code = "from pkg import Qwen\n\n\nasync def main():\n    Qwen().close()\n"
    assert check(code, lookup) == (
        "`Qwen().close(...)` is a coroutine function: the call needs `await`",
    )


def test_async_generator_needs_async_for(lookup: Lookup) -> None:
    code = "from pkg import Qwen\n\nfor x in Qwen.create_async_generator('m', []):\n    print(x)\n"
    assert check(code, lookup) == (
        "`Qwen.create_async_generator(...)` is an async generator: consume it with `async for`",
    )


def test_classmethod_called_on_an_instance_with_a_missing_argument(lookup: Lookup) -> None:
    """The spec's example: `provider = Qwen(); provider.create_async_generator(messages)`."""
    code = """
    from pkg import Qwen


    async def main():
        provider = Qwen()
        async for response in provider.create_async_generator([{"role": "user"}]):
            print(response)
    """
    assert check(code, lookup) == (
        "`provider.create_async_generator(...)` is missing the required argument `messages` "
        "(`create_async_generator` is a class method: call it on the class, "
        "`Qwen.create_async_generator(...)`)",
    )


def test_instance_method_called_on_the_class_misses_self(lookup: Lookup) -> None:
    assert check("from pkg import Qwen\n\nQwen.url_for(station='EGLL')\n", lookup) == (
        "`Qwen.url_for(...)` is missing the required argument `self`",
    )


def test_undefined_names_and_syntax_errors(lookup: Lookup) -> None:
    assert check("print(client)\n", lookup) == (
        "uses `client`, which is neither defined nor imported",
    )
    assert check("def broken(:\n", lookup)[0].startswith("does not compile: ")
    assert check("await x()\n", lookup) == ("does not compile: 'await' outside function (line 1)",)


def test_unknown_third_party_module(lookup: Lookup) -> None:
    assert check("import not_a_real_module_xyz\n", lookup) == (
        "imports `not_a_real_module_xyz`, which is neither documented here nor installed",
    )


def test_failure_is_a_warning_with_file_and_line(package: Package) -> None:
    code = '''
    def double(value: int) -> int:
        """Double a value.

        Examples:
            >>> from pkg import double
            >>> double(2, 3)
        """
        return value * 2
    '''
    [problem] = generate(package({"pkg/__init__.py": code}), "pkg").problems
    assert problem.lineno == 1
    assert problem.filepath.endswith("pkg/__init__.py")
    assert problem.message == (
        "usage example of 'pkg.double' failed its check: "
        "`double(...)` takes 1 positional argument but 2 were given"
    )


def test_run_reports_a_failing_doctest(tmp_path: Path) -> None:
    (tmp_path / "calc.py").write_text("def double(x):\n    return x * 2\n", encoding="utf-8")
    passing = ">>> from calc import double\n>>> double(2)\n4\n"
    failing = ">>> from calc import double\n>>> double(2)\n5\n"
    assert run_example(passing, doctest=True, paths=[tmp_path], timeout=30).problems == ()
    assert run_example(failing, doctest=True, paths=[tmp_path], timeout=30).problems == (
        "fails when run: `double(2)` gives `4`, the docstring expects `5`",
    )
    assert run_example("1 / 0\n", doctest=False, paths=[], timeout=30).problems == (
        "fails when run: ZeroDivisionError: division by zero",
    )


DOUBLE = '''
def double(value: int) -> int:
    """Double a value.

    Examples:
        >>> from pkg import double
        >>> double(2)
        5
    """
    return value * 2
'''


WRONG = '''
def double(value: int) -> int:
    """Double a value.

    Examples:
        >>> from pkg.math import double
    """
    return value * 2
'''


def test_strict_build_fails_on_a_failed_example(tmp_path: Path) -> None:
    write_package(tmp_path / "src", {"pkg/__init__.py": WRONG})
    with pytest.raises(Abort):
        build_site(tmp_path, {"packages": ["pkg"], "paths": ["src"]})


def test_run_mode_runs_doctests_and_reports_failures(tmp_path: Path) -> None:
    write_package(tmp_path / "src", {"pkg/__init__.py": DOUBLE})
    site = build_site(tmp_path, {"packages": ["pkg"], "paths": ["src"]})
    assert "checked: parses, imports resolve" in site.html("howto/pkg/double/index.html")
    with pytest.raises(Abort):
        build_site(tmp_path, {"packages": ["pkg"], "paths": ["src"], "verify_examples": "run"})
    site = build_site(
        tmp_path, {"packages": ["pkg"], "paths": ["src"], "verify_examples": "run"}, strict=False
    )
    html = site.html("howto/pkg/double/index.html")
    assert "failed check" in html
    assert "the docstring expects" in html


def test_a_name_imported_only_for_type_checkers_cannot_be_imported(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    from pkg._impl import Bar\n",
            "pkg/_impl.py": "class Bar:\n    pass\n",
        }
    )
    lookup = lookup_for(load(src, "pkg").roots[0].modules_collection)
    assert check("from pkg import Bar\n", lookup) == (
        "imports `pkg.Bar`, which exists only under `if TYPE_CHECKING:`",
    )


def test_docstring_examples_may_use_names_their_doctest_setup_provides(lookup: Lookup) -> None:
    """networkx's doctests use `nx` from its conftest: not an error in a docstring."""
    code = ">>> G = nx.path_graph(4)\n"
    assert check_example(code[4:], frozenset({"pkg"}), lookup, self_contained=False) == ()


def test_members_inherited_from_a_generic_base_are_found_and_bound(package: Package) -> None:
    """`Prompt.ask` comes from `PromptBase[str]`: found, and its signature checked."""
    code = """
    from typing import Generic, TypeVar

    T = TypeVar("T")


    class PromptBase(Generic[T]):
        @classmethod
        def ask(cls, prompt: str = "") -> str:
            return prompt


    class Prompt(PromptBase[str]):
        pass
    """
    src = package({"pkg/__init__.py": textwrap.dedent(code)})
    lookup = lookup_for(load(src, "pkg").roots[0].modules_collection)
    assert check('from pkg import Prompt\n\nPrompt.ask("Name?")\n', lookup) == ()
    assert check('from pkg import Prompt\n\nPrompt.ask(text="Name?")\n', lookup) == (
        "`Prompt.ask(...)` has no parameter `text`",
    )
    assert check("from pkg import Prompt\n\nPrompt.tell()\n", lookup) == (
        "`Prompt.tell`: `pkg.Prompt` has no attribute `tell`",
    )
