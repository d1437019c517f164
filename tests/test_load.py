"""Loading selects the public API, each class or function once, at the path users import."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import analyze, build_site, load
from mkdocs.exceptions import Abort

from mkdocs_howto.errors import LoadError

Package = Callable[[dict[str, str]], Path]

CLIENT = """
class Client:
    def get(self, key: str) -> str:
        return key


def _helper():
    pass
"""


def documented(src: Path, *packages: str, **options: object) -> dict[str, tuple[str, str]]:
    """Public path -> (canonical path, import path) of every documented object."""
    return {
        item.public_path: (item.obj.path, item.import_path)
        for item in load(src, *(packages or ("pkg",)), **options).objects
    }


@pytest.mark.parametrize(
    "init",
    [
        "from pkg._client import Client\n",
        "from pkg._client import Client\n\n__all__ = ['Client']\n",
        "from ._client import Client\n\n__all__ = ('Client',)\n",
    ],
    ids=["no-all", "all-list", "relative-import-all-tuple"],
)
def test_object_of_private_module_is_documented_once_at_its_reexport(
    package: Package, init: str
) -> None:
    src = package({"pkg/__init__.py": init, "pkg/_client.py": CLIENT})
    assert documented(src) == {"pkg.Client": ("pkg._client.Client", "pkg.Client")}


def test_object_of_private_module_is_documented_under_the_reexporting_module(
    package: Package,
) -> None:
    src = package({"pkg/__init__.py": "from pkg._client import Client\n", "pkg/_client.py": CLIENT})
    [item] = load(src, "pkg").objects
    assert item.module_path == "pkg"
    assert item.name == "Client"


def test_dunder_all_is_respected(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
            from pkg._client import Client, helper

            __all__ = ["Client", "listed"]


            def listed():
                pass


            def unlisted():
                pass


            class AlsoUnlisted:
                pass
            """,
            "pkg/_client.py": "class Client:\n    pass\n\n\ndef helper():\n    pass\n",
        }
    )
    assert set(documented(src)) == {"pkg.Client", "pkg.listed"}


def test_names_imported_from_other_packages_are_not_documented(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
            import json
            from collections import OrderedDict
            from os.path import join

            __all__ = ["OrderedDict", "join", "json", "mine"]


            def mine():
                pass
            """,
            "pkg/tools.py": "from os.path import join, split\nfrom pathlib import Path\n\n\n"
            "def tool():\n    pass\n",
        }
    )
    assert set(documented(src)) == {"pkg.mine", "pkg.tools.tool"}


def test_object_of_public_module_is_documented_under_its_module(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "from pkg.models import Reading\n\n__all__ = ['Reading']\n",
            "pkg/models.py": "class Reading:\n    pass\n",
        }
    )
    assert documented(src) == {"pkg.models.Reading": ("pkg.models.Reading", "pkg.Reading")}


def test_import_path_is_the_shortest_public_path(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "from pkg.sub import Reading\n\n__all__ = ['Reading']\n",
            "pkg/sub/__init__.py": "from .models import Reading\n\n__all__ = ['Reading']\n",
            "pkg/sub/models.py": "class Reading:\n    pass\n",
        }
    )
    assert documented(src) == {"pkg.sub.models.Reading": ("pkg.sub.models.Reading", "pkg.Reading")}


def test_import_path_is_shortest_for_reexport_without_dunder_all(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "from pkg.models import Reading\n",
            "pkg/models.py": "class Reading:\n    pass\n",
        }
    )
    assert documented(src) == {"pkg.models.Reading": ("pkg.models.Reading", "pkg.Reading")}


def test_plain_import_between_public_modules_does_not_duplicate(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "",
            "pkg/models.py": "class Reading:\n    pass\n",
            "pkg/units.py": "from pkg.models import Reading\n\n\ndef parse() -> Reading:\n"
            "    return Reading()\n",
        }
    )
    assert set(documented(src)) == {"pkg.models.Reading", "pkg.units.parse"}


def test_private_names_are_not_documented(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
            def public():
                pass


            def _private():
                pass


            class _Hidden:
                pass


            def __dunder__():
                pass
            """,
            "pkg/_impl.py": "def not_exported():\n    pass\n",
        }
    )
    assert set(documented(src)) == {"pkg.public"}


def test_objects_of_a_private_subpackage_are_documented_where_exported(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "from pkg._internal.core import Engine\n",
            "pkg/_internal/__init__.py": "",
            "pkg/_internal/core.py": "class Engine:\n    pass\n\n\ndef unexported():\n    pass\n",
        }
    )
    assert documented(src) == {"pkg.Engine": ("pkg._internal.core.Engine", "pkg.Engine")}


def test_test_packages_and_modules_are_not_documented(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "def real():\n    pass\n",
            "pkg/tests/__init__.py": "",
            "pkg/tests/test_real.py": "def test_real():\n    pass\n",
            "pkg/tests/helpers.py": "def make_fixture():\n    pass\n",
            "pkg/test_things.py": "def check():\n    pass\n",
            "pkg/conftest.py": "def fixture():\n    pass\n",
            "pkg/testing.py": "def fake_client():\n    pass\n",
        }
    )
    assert set(documented(src)) == {"pkg.real", "pkg.testing.fake_client"}


def test_public_function_named_like_a_test_is_documented(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "",
            "pkg/db.py": "def test_connection(url: str) -> bool:\n    return True\n",
            "pkg/util.py": "def test() -> None:\n    pass\n\n\ndef tests() -> None:\n    pass\n",
        }
    )
    assert set(documented(src)) == {"pkg.db.test_connection", "pkg.util.test", "pkg.util.tests"}


def test_include_and_exclude_patterns_match_public_paths(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "def top():\n    pass\n",
            "pkg/a.py": "def keep():\n    pass\n\n\ndef drop_me():\n    pass\n",
            "pkg/b.py": "def other():\n    pass\n",
        }
    )
    selected = documented(src, include=("pkg.a.*",), exclude=("*._*", "*.drop_*"))
    assert set(selected) == {"pkg.a.keep"}


def test_exclude_a_module_drops_everything_under_it(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "def top():\n    pass\n",
            "pkg/legacy/__init__.py": "def old():\n    pass\n",
            "pkg/legacy/api.py": "def older():\n    pass\n",
        }
    )
    assert set(documented(src, exclude=("*._*", "pkg.legacy", "pkg.legacy.*"))) == {"pkg.top"}


def test_include_matching_nothing_is_a_clear_error(package: Package) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n"})
    with pytest.raises(LoadError, match="no public classes or functions found in pkg"):
        load(src, "pkg", include=("other.*",))


def test_several_packages_are_loaded(package: Package) -> None:
    src = package(
        {
            "one/__init__.py": "def first():\n    pass\n",
            "two/__init__.py": "class Second:\n    pass\n",
        }
    )
    assert set(documented(src, "one", "two")) == {"one.first", "two.Second"}


def test_export_of_a_missing_name_is_reported(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "from pkg._impl import Gone\n\n__all__ = ['Gone', 'here']\n\n\n"
            "def here():\n    pass\n",
            "pkg/_impl.py": "def other():\n    pass\n",
        }
    )
    api = load(src, "pkg")
    assert [item.public_path for item in api.objects] == ["pkg.here"]
    [problem] = api.problems
    assert problem.filepath == str(src / "pkg" / "__init__.py")
    assert problem.lineno == 1
    assert "'Gone'" in problem.message


BROKEN = {
    "pkg/__init__.py": "def top():\n    pass\n",
    "pkg/good.py": "def fine():\n    pass\n",
    "pkg/broken.py": "import os\n\n\ndef oops(:\n    pass\n",
}


def test_syntax_error_in_a_submodule_is_a_problem_naming_file_and_line(package: Package) -> None:
    src = package(BROKEN)
    api = load(src, "pkg")
    assert [item.public_path for item in api.objects] == ["pkg.top", "pkg.good.fine"]
    [problem] = api.problems
    assert (problem.filepath, problem.lineno) == (str(src / "pkg" / "broken.py"), 4)
    assert str(problem).startswith(f"{src / 'pkg' / 'broken.py'}:4: module 'pkg.broken' skipped")


def test_syntax_error_in_a_submodule_warns_and_other_pages_build(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(BROKEN)
    site = build_site(src.parent, {"packages": ["pkg"]}, strict=False)
    assert site.pages() == [
        "howto/pkg/good/fine/index.html",
        "howto/pkg/good/index.html",
        "howto/pkg/index.html",
        "howto/pkg/top/index.html",
    ]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(f"{src / 'pkg' / 'broken.py'}:4:" in message for message in warnings), warnings


def test_syntax_error_in_a_submodule_fails_a_strict_build(package: Package) -> None:
    src = package(BROKEN)
    with pytest.raises(Abort, match="warnings"):
        build_site(src.parent, {"packages": ["pkg"]}, strict=True)


def test_syntax_error_in_the_package_itself_is_a_load_error(package: Package) -> None:
    src = package({"pkg/__init__.py": "x = 1\ndef broken(:\n    pass\n"})
    with pytest.raises(LoadError) as caught:
        load(src, "pkg")
    message = str(caught.value)
    assert "\n" not in message
    assert "'pkg'" in message
    assert message.endswith("pkg/__init__.py:2: package 'pkg' could not be parsed: invalid syntax")


def test_unknown_package_is_a_load_error(package: Package) -> None:
    src = package({"pkg/__init__.py": "def top():\n    pass\n"})
    with pytest.raises(LoadError, match="package 'nope' was not found on the search paths"):
        load(src, "nope")


def test_explicit_reexport_of_a_name_not_public_at_home_is_documented(package: Package) -> None:
    """`from pkg.core import Engine as Engine` (PEP 484) exports it, even without `__all__`."""
    src = package(
        {
            "pkg/__init__.py": """
                from pkg.core import Engine as Engine
                from pkg.core import helper
                """,
            "pkg/core.py": """
                __all__ = ["helper"]


                class Engine:
                    pass


                def helper():
                    pass
                """,
        }
    )
    api = load(src, "pkg")
    assert {(o.public_path, o.import_path) for o in api.objects} == {
        ("pkg.Engine", "pkg.Engine"),
        ("pkg.core.helper", "pkg.helper"),
    }


def test_demo_code_under_a_main_guard_is_not_api(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": (
                "def real():\n    pass\n\n\n"
                'if __name__ == "__main__":\n\n    class Demo:\n        pass\n\n'
                "    def demo():\n        pass\n"
            ),
        }
    )
    assert set(documented(src)) == {"pkg.real"}


def test_a_compound_main_guard_is_demo_code_and_what_follows_it_is_api(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": (
                "import sys\n\n"
                'if sys.platform != "win32" and __name__ == "__main__":\n\n'
                "    def read(fd: int) -> bytes:\n        return b''\n\n\n"
                "def after() -> None:\n    pass\n"
            ),
        }
    )
    assert set(documented(src)) == {"pkg.after"}


def test_type_checking_and_script_imports_are_not_import_paths(package: Package) -> None:
    # `t.TYPE_CHECKING` (typing imported as `t`) is a guard Griffe itself does not recognise;
    # `from pkg.a import Console` there, or under a main guard, fails when imported for real.
    src = package(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": (
                "import typing as t\n\nif t.TYPE_CHECKING:\n    from pkg.console import Console\n"
            ),
            "pkg/b.py": 'if __name__ == "__main__":\n    from pkg.console import Console\n',
            "pkg/console.py": "class Console:\n    pass\n",
        }
    )
    api = load(src, "pkg")
    assert {(o.public_path, o.import_path) for o in api.objects} == {
        ("pkg.console.Console", "pkg.console.Console")
    }


def test_the_else_of_type_checking_is_what_runs(package: Package) -> None:
    # pydantic's `SkipJsonSchema`: an alias for type checkers, a class at run time; Griffe
    # marks both branches as type-checking only
    src = package(
        {
            "pkg/__init__.py": (
                "from typing import TYPE_CHECKING, Annotated\n\n"
                "if TYPE_CHECKING:\n    Skip = Annotated[int, 'skip']\n"
                "else:\n\n    class Skip:\n        pass\n"
            ),
        }
    )
    example = analyze(src, "pkg")["pkg.Skip"].example
    assert example.code.startswith("from pkg import Skip\n")
    assert example.verified
