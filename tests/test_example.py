"""Usage Example: the docstring's own example when there is one, else a runnable snippet."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import analyze, generate

from mkdocs_howto.facts import HowTo

Package = Callable[[dict[str, str]], Path]


def examples(package: Package, files: dict[str, str]) -> dict[str, HowTo]:
    return analyze(package(files), "pkg")


def snippet(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


FEED = """
class Feed:
    @classmethod
    async def readings(cls, station: str, *, units: str = "metric", timeout: float = 10.0):
        yield station

    def url_for(self, station: str) -> str:
        return station
"""


def test_classmethod_async_generator_is_consumed_with_async_for(package: Package) -> None:
    howto = examples(
        package, {"pkg/__init__.py": "from pkg._feed import Feed\n", "pkg/_feed.py": FEED}
    )
    assert howto["pkg.Feed"].example.origin == "signature"
    assert howto["pkg.Feed"].example.code == snippet(
        """
        import asyncio

        from pkg import Feed


        async def main() -> None:
            async for item in Feed.readings(station="example", units="metric"):
                print(item)


        asyncio.run(main())
        """
    )


def test_instance_method_is_called_on_an_instance_built_with_required_args(
    package: Package,
) -> None:
    code = """
    from pathlib import Path


    class Client:
        def __init__(self, base_url: str, retries: int = 3, *, token: str | None) -> None:
            self.base_url = base_url

        def fetch(self, path: Path, count: int) -> bytes:
            return b""
    """
    howto = examples(package, {"pkg/__init__.py": "", "pkg/client.py": code})
    assert howto["pkg.client.Client"].example.code == snippet(
        """
        from pathlib import Path

        from pkg.client import Client

        Path("path.txt").write_text("Hello, World!\\n")  # a file to work on
        client = Client(base_url="https://example.org", token="my-token")
        result = client.fetch(path=Path("path.txt"), count=1)
        print(result)
        """
    )


def test_dataclass_is_built_from_its_required_fields(package: Package) -> None:
    models = """
    from dataclasses import dataclass, field


    @dataclass(frozen=True)
    class Point:
        x: float
        y: float
        label: str = "origin"
        tags: list[str] = field(default_factory=list)
    """
    howto = examples(
        package,
        {
            "pkg/__init__.py": "from pkg.models import Point\n\n__all__ = ['Point']\n",
            "pkg/models.py": models,
        },
    )
    point = howto["pkg.models.Point"]
    assert point.kind == "dataclass"
    assert (
        point.example.code == "from pkg import Point\n\npoint = Point(x=1.0, y=1.0)\nprint(point)\n"
    )


def test_context_manager_class_is_used_in_a_with_block(package: Package) -> None:
    code = """
    class Session:
        def __init__(self, name: str) -> None:
            self.name = name

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def record(self, station: str) -> int:
            return 1


    class Stream:
        async def __aenter__(self):
            return self

        async def __aexit__(self, *exc):
            return None

        async def pull(self) -> bytes:
            return b""
    """
    howto = examples(package, {"pkg/__init__.py": code})
    assert howto["pkg.Session"].example.code == snippet(
        """
        from pkg import Session

        with Session(name="example") as session:
            result = session.record(station="example")
            print(result)
        """
    )
    assert howto["pkg.Stream"].example.code == snippet(
        """
        import asyncio

        from pkg import Stream


        async def main() -> None:
            async with Stream() as stream:
                result = await stream.pull()
                print(result)


        asyncio.run(main())
        """
    )


def test_functions_are_called_as_their_shape_requires(package: Package) -> None:
    code = """
    from collections.abc import Iterator


    def total(prices: list[float], /, rate: float = 0.2) -> float:
        return sum(prices)


    def batches(items: list[int], size: int) -> Iterator[list[int]]:
        yield items


    async def fetch(url: str) -> bytes:
        return b""


    def reset() -> None:
        pass
    """
    howto = examples(package, {"pkg/__init__.py": code})
    assert howto["pkg.total"].example.code == (
        "from pkg import total\n\nresult = total([1.0])\nprint(result)\n"
    )
    assert howto["pkg.batches"].example.code == (
        "from pkg import batches\n\nfor item in batches(items=[1], size=1):\n    print(item)\n"
    )
    assert (
        '    result = await fetch(url="https://example.org")\n' in howto["pkg.fetch"].example.code
    )
    assert howto["pkg.reset"].example.code == "from pkg import reset\n\nreset()\n"


GOOGLE = '''
def convert(value: float) -> float:
    """Convert a value.

    Examples:
        >>> from pkg import convert
        >>> convert(1.0)
        2.0
    """
    return value * 2


def scale(value: float) -> float:
    """Scale a value.

    Example:
        ```python
        from pkg import scale

        print(scale(2.0))
        ```
    """
    return value


class Plain:
    """A plain class.

    Example:
        ```python
        from pkg import Plain

        Plain().go()
        ```
    """

    def go(self) -> None:
        pass
'''


def test_doctest_in_examples_section_is_used_as_is(package: Package) -> None:
    example = examples(package, {"pkg/__init__.py": GOOGLE})["pkg.convert"].example
    assert (example.origin, example.language, example.verified) == ("docstring", "pycon", True)
    assert example.code == ">>> from pkg import convert\n>>> convert(1.0)\n2.0\n"


def test_fenced_code_in_example_admonition_is_used_as_is(package: Package) -> None:
    howtos = examples(package, {"pkg/__init__.py": GOOGLE})
    for name, code in (
        ("pkg.scale", "from pkg import scale\n\nprint(scale(2.0))\n"),
        ("pkg.Plain", "from pkg import Plain\n\nPlain().go()\n"),
    ):
        example = howtos[name].example
        assert (example.origin, example.language, example.verified) == ("docstring", "python", True)
        assert example.code == code


def test_numpy_examples_section_is_used(package: Package) -> None:
    code = '''
    def double(value):
        """Double a value.

        Parameters
        ----------
        value : int
            The value.

        Examples
        --------
        >>> from pkg import double
        >>> double(2)
        4
        """
        return value * 2
    '''
    example = examples(package, {"pkg/__init__.py": code})["pkg.double"].example
    assert example.origin == "docstring"
    assert example.code == ">>> from pkg import double\n>>> double(2)\n4\n"


def test_docstring_example_importing_a_missing_name_fails_its_check(package: Package) -> None:
    code = '''
    def double(value: int) -> int:
        """Double a value.

        Examples:
            >>> from pkg import triple
            >>> triple(2)
        """
        return value * 2
    '''
    src = package({"pkg/__init__.py": code})
    example = analyze(src, "pkg")["pkg.double"].example
    assert (example.origin, example.verified) == ("docstring", False)
    assert example.problems == ("imports `pkg.triple`, which does not exist",)
    [problem] = generate(src, "pkg").problems
    assert problem.message == (
        "usage example of 'pkg.double' failed its check: imports `pkg.triple`, which does not exist"
    )


VARIED = """
import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Optional, Union


class Color(enum.Enum):
    RED = 1


@dataclass
class Config:
    name: str
    path: Path
    mode: Literal["r", "w"]
    hook: Callable[[int], str]
    extra: Optional[list[int]]
    either: Union[int, str]
    table: Mapping[str, int]
    maybe: list[str] | None
    color: Color


def everything(a, b: int, /, c: float, *args: Any, d: bytes, e: "Config", **kw: Any) -> Any:
    return a


def walk(root: Path) -> Iterator[Path]:
    yield root


async def stream(n: int):
    yield n


class Class:
    @staticmethod
    def build(spec: dict[str, Any]) -> "Class":
        return Class()


class Default:
    def run(self, x: tuple[int, ...], y: set[str], z: bool) -> None:
        pass
"""


def test_every_generated_example_parses_and_imports_from_the_public_path(
    package: Package,
) -> None:
    howtos = examples(package, {"pkg/__init__.py": "", "pkg/shapes.py": VARIED})
    assert len(howtos) == 7
    for path, howto in howtos.items():
        example = howto.example
        assert example.origin == "signature", path
        tree = ast.parse(example.code)  # raises on a broken snippet
        imports = [
            (node.module, alias.name)
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        ]
        assert ("pkg.shapes", howto.name) in imports, path
        assert example.verified, (path, example.problems)


def test_class_named_like_a_keyword_gets_a_valid_variable(package: Package) -> None:
    code = "class Lambda:\n    def run(self) -> None:\n        pass\n"
    example = examples(package, {"pkg/__init__.py": code})["pkg.Lambda"].example
    ast.parse(example.code)
    assert example.verified


def test_async_wrapper_does_not_shadow_the_documented_function(package: Package) -> None:
    code = "async def main(n: int) -> int:\n    return n\n"
    example = examples(package, {"pkg/__init__.py": code})["pkg.main"].example
    tree = ast.parse(example.code)
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    defined = {
        node.name for node in tree.body if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
    }
    assert "main" in imported
    assert not imported & defined


def test_enum_example_names_a_member(package: Package) -> None:
    code = "import enum\n\n\nclass Color(enum.Enum):\n    RED = 1\n    GREEN = 2\n"
    example = examples(package, {"pkg/__init__.py": code})["pkg.Color"].example
    assert "Color()" not in example.code
    assert "Color.RED" in example.code


# -- golden examples: tests/golden/examples/*.yaml ------------------------------------------
# Each file holds `code:` (pkg/__init__.py) or `files:` (a package), the `object:` documented
# and the `example:` expected. `pytest --update-goldens` rewrites `example:`; review the diff.

GOLDEN = Path(__file__).parent / "golden" / "examples"


class _Literal(str):
    """A string dumped as a YAML block (`|`), so snippets read as code."""


def _block(dumper: yaml.SafeDumper, value: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


yaml.SafeDumper.add_representer(_Literal, _block)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.yaml")), ids=lambda path: path.stem)
def test_golden_example(path: Path, package: Package, request: pytest.FixtureRequest) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = case.get("files") or {"pkg/__init__.py": case["code"]}
    example = examples(package, files)[case["object"]].example
    assert (example.origin, example.problems, example.verified) == ("signature", (), True)
    if request.config.getoption("--update-goldens", default=False):
        case = {
            key: _Literal(value) if isinstance(value, str) and "\n" in value else value
            for key, value in {**case, "example": example.code}.items()
        }
        if "files" in case:
            case["files"] = {name: _Literal(code) for name, code in case["files"].items()}
        path.write_text(yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=100))
    assert example.code == case["example"], f"{path.name}: run pytest --update-goldens, review"


def test_goldens_cover_every_generation_rule() -> None:
    assert len(list(GOLDEN.glob("*.yaml"))) >= 30


def test_class_page_signature_follows_an_inherited_constructor(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
                class Base:
                    def __init__(self, url: str, retries: int = 3) -> None:
                        self.url = url


                class Child(Base):
                    def ping(self) -> bool:
                        return True
                """,
        }
    )
    child = analyze(src, "pkg")["pkg.Child"]
    assert child.signature == "class Child(url: str, retries: int = 3)"
    assert [p.name for p in child.description.params] == ["url", "retries"]
    assert 'Child(url="https://example.org")' in child.example.code


def test_bare_parameters_take_docstring_types_else_are_marked_to_fill_in(
    package: Package,
) -> None:
    src = package(
        {
            "pkg/__init__.py": '''
                def send(payload, retries, channel):
                    """Send a payload.

                    Args:
                        payload (bytes): What to send.
                    """
                ''',
        }
    )
    howto = analyze(src, "pkg")["pkg.send"]
    assert 'send(payload=b"Hello!", retries=1, channel="example")' in howto.example.code
    assert howto.example.placeholders == ("channel",)
    table = {p.name: p.annotation for p in howto.description.params}
    assert table == {"payload": "bytes", "retries": None, "channel": None}


def test_a_base_imported_from_outside_through_a_module_of_the_package(package: Package) -> None:
    # requests: `from .compat import JSONDecodeError as CompatJSONDecodeError` as a base
    src = package(
        {
            "pkg/__init__.py": "",
            "pkg/compat.py": "from json import JSONDecodeError\n",
            "pkg/errors.py": """
                from pkg.compat import JSONDecodeError as CompatJSONDecodeError


                class DecodeError(CompatJSONDecodeError):
                    pass
                """,
        }
    )
    example = analyze(src, "pkg")["pkg.errors.DecodeError"].example
    assert example.code.splitlines()[0] == "from pkg.errors import DecodeError"
    assert "except DecodeError as error:" in example.code


def test_a_decorator_named_after_the_method_it_decorates_is_no_loop(package: Package) -> None:
    # SQLAlchemy's `@hybrid_property def length` then `@length.expression def length`:
    # the second `def` replaces the first, and its decorator names the method itself
    src = package(
        {
            "pkg/__init__.py": """
                class hybrid_property:
                    def __init__(self, fget):
                        self.fget = fget

                    def expression(self, expr):
                        return self


                class Interval:
                    @hybrid_property
                    def length(self):
                        return 1

                    @length.expression
                    def length(cls):
                        return 2

                    def grow(self, by: int) -> int:
                        return by
                """,
        }
    )
    example = analyze(src, "pkg")["pkg.Interval"].example
    assert "interval.grow(by=1)" in example.code


def test_a_platform_name_that_is_a_string_is_asked_of_the_module(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
                from sys import platform

                if platform == "win32":

                    def registry(key: str) -> str:
                        return key
                """,
        }
    )
    example = analyze(src, "pkg")["pkg.registry"].example
    # not `import platform`: here `platform` is `sys.platform`, a string
    assert example.code.startswith(
        'import pkg\n\nif pkg.platform == "win32":  # defined only when `platform == "win32"`\n'
    )


def test_an_enum_with_members_griffe_does_not_list_is_not_subclassed(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
                import enum


                class Color(enum.Enum):
                    RED, GREEN = 1, 2
                """,
        }
    )
    assert "class MyColor" not in analyze(src, "pkg")["pkg.Color"].example.code


def test_a_value_with_a_nested_placeholder_is_marked_to_fill_in(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
                import socket


                class Widget:
                    def __init__(self, handle: socket.socket) -> None:
                        self.handle = handle


                def layout(widgets: list[Widget]) -> int:
                    return len(widgets)
                """,
        }
    )
    example = analyze(src, "pkg")["pkg.layout"].example
    assert "layout(widgets=[...])" in example.code
    assert example.placeholders == ("widgets",)


def test_a_docstring_example_that_does_not_parse_gives_way_and_warns(package: Package) -> None:
    # rich's `Confirm`: doctest continuation lines written without their `...` prompt
    src = package(
        {
            "pkg/__init__.py": '''
                def confirm(prompt: str) -> bool:
                    """Ask a yes/no question.

                    Example:
                        >>> if confirm("Continue"):
                                run_job()
                    """
                    return True
                ''',
        }
    )
    site = generate(src, "pkg")
    page = site.pages[site.plan.object_pages["pkg.confirm"]]
    assert 'result = confirm(prompt="Hello, World!")' in page
    assert "the docstring's example does not parse" in page
    assert "howto-badge--failed" not in page
    [problem] = [p for p in site.problems if "docstring example" in p.message]
    assert problem.message.startswith("docstring example of 'pkg.confirm' is not shown")
    assert problem.lineno == 1


def test_a_nested_class_argument_is_not_imported_from_its_class(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
                class QueryContext:
                    class default_load_options:
                        pass

                    def __init__(self, options: default_load_options) -> None:
                        self.options = options
                """,
        }
    )
    example = analyze(src, "pkg")["pkg.QueryContext"].example
    assert "from pkg.QueryContext" not in example.code
    assert example.verified


def test_argument_classes_that_do_not_exist_as_written_are_not_built(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:

                    class Opts:
                        def __init__(self, total: int) -> None: ...


                def singleton(cls):
                    return cls()


                @singleton
                class Registry:
                    def __init__(self) -> None:
                        self.items = []


                class Settings:
                    def __init__(self, total: int) -> None:
                        self.total = total


                def connect(host: str, opts: "Opts", registry: Registry, settings: Settings):
                    return host
                """,
        }
    )
    code = analyze(src, "pkg")["pkg.connect"].example.code
    assert 'connect(host="example.org", opts=..., registry=..., settings=Settings(total=1))' in code


# -- docstring examples: the module's own names get their import, other names fail ----------


def test_doctest_using_the_module_prefix_gets_its_import(package: Package) -> None:
    code = '''
    def decimal(value: int) -> str:
        """Format a number.

        Examples:
            >>> units.decimal(30000)
            '30 kB'
        """
        return f"{value // 1000} kB"
    '''
    src = package({"pkg/units.py": code, "pkg/__init__.py": ""})
    example = analyze(src, "pkg")["pkg.units.decimal"].example
    assert example.code == ">>> from pkg import units\n>>> units.decimal(30000)\n'30 kB'\n"
    assert (example.verified, example.problems) == (True, ())


def test_doctest_using_a_bare_name_of_its_module_gets_the_public_import(
    package: Package,
) -> None:
    code = '''
    def decimal(value: int) -> str:
        """Format a number.

        Examples:
            >>> decimal(30000)
            '30 kB'
        """
        return f"{value // 1000} kB"
    '''
    src = package({"pkg/_units.py": code, "pkg/__init__.py": "from pkg._units import decimal\n"})
    example = analyze(src, "pkg")["pkg.decimal"].example
    assert example.code == ">>> from pkg import decimal\n>>> decimal(30000)\n'30 kB'\n"
    assert example.verified


def test_doctest_using_a_name_imported_for_type_checkers_imports_the_class(
    package: Package,
) -> None:
    """`if TYPE_CHECKING: from pkg.sets import Set` in the module: the doctest's `Set` is
    that class, imported where it is defined (it exists at run time there)."""
    ranges = '''
    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from pkg.sets import Set


    class Range:
        """A range.

        >>> Set(">=1").to_range().low
        1
        """

        def __init__(self, low: int) -> None:
            self.low = low
    '''
    sets = """
    class Set:
        def __init__(self, spec: str) -> None:
            self.spec = spec

        def to_range(self):
            from pkg.ranges import Range

            return Range(int(self.spec[2:]))
    """
    src = package({"pkg/__init__.py": "", "pkg/ranges.py": ranges, "pkg/sets.py": sets})
    example = analyze(src, "pkg")["pkg.ranges.Range"].example
    assert example.code.startswith(">>> from pkg.sets import Set\n>>> Set(")
    assert example.problems == ()


def test_docstring_example_with_an_undefined_name_fails_naming_it(package: Package) -> None:
    code = '''
    def double(value: int) -> int:
        """Double a value.

        Examples:
            >>> double(helper(2))
            8
        """
        return value * 2
    '''
    src = package({"pkg/__init__.py": code})
    example = analyze(src, "pkg")["pkg.double"].example
    assert example.verified is False
    assert example.problems == ("`helper` is used but never defined or imported",)
    assert example.code.startswith(">>> from pkg import double\n")
    [problem] = generate(src, "pkg").problems
    assert "`helper` is used but never defined or imported" in problem.message


def test_doctest_conventional_alias_of_the_documented_package_is_imported(
    package: Package,
) -> None:
    """networkx's doctests use `nx` from a conftest the page does not show."""
    code = '''
    def path_graph(n: int) -> list[int]:
        """A path.

        Examples:
            >>> nx.path_graph(2)
            [0, 1]
        """
        return list(range(n))
    '''
    src = package({"networkx/__init__.py": code})
    example = analyze(src, "networkx")["networkx.path_graph"].example
    assert example.code.startswith(">>> import networkx as nx\n>>> nx.path_graph(2)")
    assert example.verified


def test_undocumented_provider_class_description_names_service_model_and_streaming(
    package: Package,
) -> None:
    """The seed's provider: its Description says what it talks to and that it streams."""
    case = yaml.safe_load((GOLDEN / "provider_classmethod_async_generator_seed.yaml").read_text())
    howto = examples(package, {"pkg/__init__.py": case["code"]})["pkg.Qwen"]
    text = " ".join(
        "".join(segment.value for segment in fact) for fact in howto.description.structure
    )
    assert 'It sends its requests to "https://qwen-qwen2-5-1m-demo.hf.space" (url).' in text
    assert 'Its default model is "qwen-2.5-1m" (default_model).' in text
    assert (
        "create_async_generator is a class-method async generator: it sends a POST request, "
        "then a GET request and yields the results as they arrive (streaming)."
    ) in text


def test_a_doctest_in_the_docstring_prose_is_the_usage_example_shown_once(
    package: Package,
) -> None:
    code = '''
    def adjacent(predicate, iterable):
        """Return an iterable over (bool, item) tuples.

        The bool says whether the item satisfies the predicate or is next to one that does:

            >>> list(adjacent(lambda x: x == 3, range(5)))
            [(False, 0), (False, 1), (True, 2), (True, 3), (True, 4)]

        Works with any iterable.
        """
        return iterable
    '''
    howto = examples(package, {"pkg/__init__.py": code})["pkg.adjacent"]
    assert howto.example.origin == "docstring"
    assert howto.example.code.startswith(">>> from pkg import adjacent\n>>> list(adjacent(")
    assert ">>>" not in howto.description.body
    assert "Works with any iterable." in howto.description.body


def test_values_tied_between_call_spellings_do_not_depend_on_the_hash_seed(
    package: Package,
) -> None:
    """Call sites found under two spellings (`spin(...)`, `pkg.spin(...)`) as often each:
    every process picks the same value (a set's order changes with PYTHONHASHSEED; a `serve`
    rebuild's cached pages then differed from a fresh build's)."""
    src = package(
        {
            "pkg/__init__.py": """
                def spin(name: str) -> str:
                    return name
                """,
            "pkg/_demo.py": """
                import pkg
                from pkg import spin


                def demo() -> None:
                    spin("dots")
                    pkg.spin("line")
                """,
        }
    )
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from conftest import analyze; "
        "from pathlib import Path; "
        "print(analyze(Path(sys.argv[2]), 'pkg')['pkg.spin'].example.code)"
    )
    tests = Path(__file__).parent
    codes = {
        subprocess.run(
            [sys.executable, "-c", script, str(tests), str(src)],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(8)
    }
    assert len(codes) == 1, codes
