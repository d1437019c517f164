"""Any Python the world writes, any docstring: no crash, nothing lost, nothing injected.

Each bad input gets one warning naming its file and line, the rest of the site is built, and
`--strict` fails. (Issue 6; the README's "What happens when…" section describes this.)
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build_site, generate, load, write_package
from mkdocs.exceptions import Abort

from mkdocs_howto.errors import LoadError
from mkdocs_howto.load import LoadOptions, load_api
from mkdocs_howto.pages import MAX_NAME_BYTES, safe_name
from mkdocs_howto.render import do_cell, do_docstring, do_yaml
from mkdocs_howto.sources import SourceLoader

Package = Callable[[dict[str, str]], Path]
GOOD = {"pkg/__init__.py": "def top():\n    pass\n", "pkg/good.py": "def fine():\n    pass\n"}
GOOD_PAGES = {"howto/pkg/top.md", "howto/pkg/good/fine.md", "howto/pkg/index.md"}


def dangling_symlink(path: Path) -> None:
    """A `.py` file listed by the finder that is gone when Griffe reads it."""
    path.symlink_to(path.parent / "deleted-before-reading.py")


#: id -> (file under src/, its content, the expected warning after "<src>/")
BAD_SOURCES: dict[str, tuple[str, str | bytes | Callable[[Path], None], str]] = {
    "syntax-error": (
        "pkg/bad.py",
        "x = 1\ndef f(:\n    pass\n",
        "pkg/bad.py:2: module 'pkg.bad' skipped: invalid syntax",
    ),
    "undecodable-bytes": (
        "pkg/bad.py",
        b"x = 1\ny = '\xff'\n",
        "pkg/bad.py:2: module 'pkg.bad' skipped: byte 0xff is not valid utf-8: save the file "
        "as UTF-8 or declare its encoding on line 1 (`# -*- coding: latin-1 -*-`)",
    ),
    "wrong-encoding-declaration": (
        "pkg/bad.py",
        "# coding: ascii\nx = 1\ny = 'café'\n".encode(),
        "pkg/bad.py:3: module 'pkg.bad' skipped: byte 0xc3 is not valid ascii: save the file "
        "as UTF-8 or declare its encoding on line 1 (`# -*- coding: latin-1 -*-`)",
    ),
    "unknown-encoding": (
        "pkg/bad.py",
        b"# -*- coding: klingon -*-\nx = 1\n",
        "pkg/bad.py:1: module 'pkg.bad' skipped: its encoding declaration names an unknown "
        "encoding 'klingon'",
    ),
    "null-bytes": (
        "pkg/bad.py",
        b"x = 1\ny = 2\0\n",
        "pkg/bad.py:2: module 'pkg.bad' skipped: contains a null byte: it is not a Python "
        "source file",
    ),
    "vanished-file": (
        "pkg/gone.py",
        dangling_symlink,
        "pkg/gone.py:1: module 'pkg.gone' skipped: the file cannot be read (No such file or "
        "directory)",
    ),
    "too-deep-for-recursion-limit": (
        "pkg/deep.py",
        "x = 1\ny = " + "-" * 5000 + "1\n",
        "pkg/deep.py:2: module 'pkg.deep' skipped: nested too deeply for Python's parser "
        "(RecursionError): Python cannot import it either; split the expression",
    ),
    "too-deep-operator-chain": (
        "pkg/deep.py",
        "def f(a):\n    return " + " + ".join(["a"] * 20_000) + "\n",
        "pkg/deep.py:2: module 'pkg.deep' skipped: nested too deeply for Python's parser "
        "(RecursionError): Python cannot import it either; split the expression",
    ),
    "too-many-parentheses": (
        "pkg/deep.py",
        "x = 1\ny = " + "(" * 300 + "1" + ")" * 300 + "\n",
        "pkg/deep.py:2: module 'pkg.deep' skipped: too many nested parentheses",
    ),
}


def write(src: Path, relative: str, content: str | bytes | Callable[[Path], None]) -> None:
    path = src / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if callable(content):
        content(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


# --------------------------------------------------------------------- 1. source that fails


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_a_source_that_fails_is_one_warning_with_file_and_line(package: Package, case: str) -> None:
    relative, content, message = BAD_SOURCES[case]
    src = package(GOOD)
    write(src, relative, content)
    site = generate(src, "pkg")
    assert [str(problem) for problem in site.problems] == [f"{src}/{message}"]
    assert set(site.pages) >= GOOD_PAGES


def test_every_failing_source_warns_in_one_build_the_rest_is_built_and_strict_fails(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(GOOD)
    expected = []
    for number, (relative, content, message) in enumerate(BAD_SOURCES.values()):
        unique = relative.replace(".py", f"{number}.py")
        write(src, unique, content)
        stem, renamed = Path(relative).stem, Path(unique).stem
        expected.append(
            f"mkdocs_howto: {src}/{message}".replace(f"{stem}.py", f"{renamed}.py").replace(
                f"'pkg.{stem}'", f"'pkg.{renamed}'"
            )
        )
    site = build_site(src.parent, {"packages": ["pkg"]}, strict=False)
    assert sorted(m for m in warnings_of(caplog) if "skipped" in m) == sorted(expected)
    assert site.pages() == [
        "howto/pkg/good/fine/index.html",
        "howto/pkg/good/index.html",
        "howto/pkg/index.html",
        "howto/pkg/top/index.html",
    ]
    with pytest.raises(Abort, match=f"Aborted with {len(expected)} warnings in strict mode"):
        build_site(src.parent, {"packages": ["pkg"]}, strict=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "x = 1\ndef broken(:\n",
            "pkg/__init__.py:2: package 'pkg' could not be parsed: invalid syntax",
        ),
        (
            b"x = '\xff'\n",
            "pkg/__init__.py:1: package 'pkg' could not be parsed: byte 0xff is "
            "not valid utf-8: save the file as UTF-8 or declare its encoding on line 1 "
            "(`# -*- coding: latin-1 -*-`)",
        ),
        (
            "x = " + "-" * 5000 + "1\n",
            "pkg/__init__.py:1: package 'pkg' could not be parsed: "
            "nested too deeply for Python's parser (RecursionError): Python cannot import it "
            "either; split the expression",
        ),
    ],
    ids=["syntax-error", "undecodable", "too-deep"],
)
def test_a_failing_package_init_is_one_clear_load_error(
    package: Package, content: str | bytes, message: str
) -> None:
    src = package({})
    write(src, "pkg/__init__.py", content)
    with pytest.raises(LoadError) as caught:
        load(src, "pkg")
    assert str(caught.value) == f"{src}/{message}"


def test_a_file_declaring_its_encoding_is_read_as_python_reads_it(package: Package) -> None:
    src = package(GOOD)
    write(
        src,
        "pkg/legacy.py",
        '# -*- coding: latin-1 -*-\ndef greet():\n    """Café."""\n'.encode("latin-1"),
    )
    site = generate(src, "pkg")
    assert site.problems == []
    assert "Café." in site.pages["howto/pkg/legacy/greet.md"]


def test_a_5000_line_function_gets_its_page(package: Package) -> None:
    body = "".join(f"    total = total + {i}  # step {i}\n" for i in range(5000))
    src = package({**GOOD, "pkg/huge.py": f"def huge(total):\n{body}    return total\n"})
    site = generate(src, "pkg")
    assert site.problems == []
    page = site.pages["howto/pkg/huge/huge.md"]
    assert "lines 1\N{EN DASH}5002" in page
    assert "## Usage Example" in page


def test_the_loader_override_is_still_called_by_griffe(package: Package) -> None:
    """`SourceLoader` overrides a private Griffe method: fail loudly if Griffe renames it."""
    src = package(GOOD)
    write(src, "pkg/bad.py", b"x = '\xff'\n")
    loader = SourceLoader(search_paths=[str(src)], allow_inspection=False)
    loader.load("pkg")
    assert list(loader.failures) == [src / "pkg" / "bad.py"]


# --------------------------------------------------------------------- 2. odd packages


def test_a_package_not_found_fails_the_build_naming_the_search_paths(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    """A name in `packages` is a promise: a typo must fail the build, not shrink the site."""
    src = package(GOOD)
    with pytest.raises(Abort, match="Aborted with a BuildError"):
        build_site(src.parent, {"packages": ["pkg", "nope"]}, strict=False)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [
        f"howto: package 'nope' was not found on the search paths ({src}, {src.parent}): "
        "check the plugin's `packages` and `paths` options"
    ]


def test_a_package_found_twice_warns_which_one_is_documented(tmp_path: Path) -> None:
    first = write_package(tmp_path / "src", {"pkg/__init__.py": "def new():\n    pass\n"})
    write_package(tmp_path, {"pkg/__init__.py": "def old():\n    pass\n"})
    api = load_api(LoadOptions(packages=("pkg",), paths=(first, tmp_path)))
    assert [item.public_path for item in api.objects] == ["pkg.new"]
    assert [str(problem) for problem in api.problems] == [
        f"{first}/pkg/__init__.py:1: package 'pkg' is found on several search paths: this one "
        f"is documented, not {tmp_path}/pkg/__init__.py (the first of `paths` wins, as on "
        "`sys.path`)"
    ]


def test_namespace_packages_are_documented(package: Package) -> None:
    src = package(
        {"ns/one/__init__.py": "def f():\n    pass\n", "ns/two.py": "class C:\n    pass\n"}
    )
    site = generate(src, "ns")
    assert site.problems == []
    assert {"howto/ns/one/f.md", "howto/ns/two/C.md", "howto/ns/index.md"} <= set(site.pages)


def test_stubs_beside_sources_give_types_and_the_source_gives_steps(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "def scale(x, factor=2):\n    '''Scale it.'''\n"
            "    return x * factor\n",
            "pkg/__init__.pyi": "def scale(x: float, factor: int = ...) -> float: ...\n"
            "def stub_only(flag: bool) -> None: ...\n",
        }
    )
    site = generate(src, "pkg")
    assert site.problems == []
    page = site.pages["howto/pkg/scale.md"]
    assert "def scale(x: float, factor: int = 2) -> float" in page
    assert "Scale it." in page
    assert "Returns the product of" in page or "return x * factor" in page
    assert "howto/pkg/stub_only.md" in site.pages


def test_extension_modules_without_source_are_named_and_their_exports_listed(
    package: Package,
) -> None:
    src = package(
        {
            "pkg/__init__.py": "from pkg._speedups import fast\nfrom pkg.native import go\n\n"
            "__all__ = ['fast', 'go', 'top']\n\n\ndef top():\n    pass\n",
        }
    )
    write(src, "pkg/_speedups.cpython-311-x86_64-linux-gnu.so", b"\x7fELF")
    write(src, "pkg/native.cpython-311-x86_64-linux-gnu.so", b"\x7fELF")
    write(src, "pkg/_unused.cpython-311-x86_64-linux-gnu.so", b"\x7fELF")  # private, unused
    site = generate(src, "pkg")
    so = "cpython-311-x86_64-linux-gnu.so"
    assert sorted(str(problem) for problem in site.problems) == [
        f"{src}/pkg/_speedups.{so}:1: module 'pkg._speedups' skipped: it is a compiled extension "
        "module with no Python source; add a stub file _speedups.pyi beside it to document it; "
        "not documented: pkg.fast",
        f"{src}/pkg/native.{so}:1: module 'pkg.native' skipped: it is a compiled extension module "
        "with no Python source; add a stub file native.pyi beside it to document it; not "
        "documented: pkg.go",
    ]
    assert "howto/pkg/top.md" in site.pages


def test_circular_reexports_are_named_as_a_cycle(package: Package) -> None:
    src = package(
        {
            **GOOD,
            "pkg/a.py": "from pkg.b import thing\n\n__all__ = ['thing']\n",
            "pkg/b.py": "from pkg.a import thing\n\n__all__ = ['thing']\n",
        }
    )
    site = generate(src, "pkg")
    assert [str(problem) for problem in site.problems] == [
        f"{src}/pkg/a.py:1: 'thing' is exported by 'pkg.a' but its imports go round in a "
        "circle (pkg.b.thing → pkg.a.thing → …)",
        f"{src}/pkg/b.py:1: 'thing' is exported by 'pkg.b' but its imports go round in a "
        "circle (pkg.a.thing → pkg.b.thing → …)",
    ]
    assert set(site.pages) >= GOOD_PAGES


def test_wildcard_imports_document_what_the_star_brings(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "from os.path import *\nfrom pkg._impl import *\n",
            "pkg/_impl.py": "__all__ = ['shown']\n\n\ndef shown():\n    pass\n\n\n"
            "def hidden():\n    pass\n",
        }
    )
    site = generate(src, "pkg")
    assert site.problems == []
    assert sorted(site.plan.object_pages) == ["pkg.shown"]


def test_dunder_all_naming_missing_objects_warns_at_its_line(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "x = 1\n__all__ = ['top', 'ghost']\n__all__ += ['gone']\n\n\n"
            "def top():\n    pass\n"
        }
    )
    site = generate(src, "pkg")
    assert [str(problem) for problem in site.problems] == [
        f"{src}/pkg/__init__.py:2: '{name}' is listed in `__all__` of 'pkg' but is neither "
        "defined nor imported there: it is not documented"
        for name in ("ghost", "gone")
    ]
    assert "howto/pkg/top.md" in site.pages


CONDITIONAL = '''
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg._types import Shape

try:
    from ujson import loads
except ImportError:
    from json import loads

try:
    from pkg._fast import speedy
except ImportError:
    def speedy(x):
        """Pure Python fallback."""
        return x

__all__ = ["Shape", "loads", "speedy"]
'''


def test_conditional_definitions_are_documented_without_warnings(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": CONDITIONAL,
            "pkg/_types.py": "class Shape:\n    pass\n",
            "pkg/_fast.py": "def speedy(x):\n    return x\n",
        }
    )
    site = generate(src, "pkg")
    assert site.problems == []
    assert sorted(site.plan.object_pages) == ["pkg.Shape", "pkg.speedy"]


def test_an_object_exported_under_two_names_has_one_page_and_both_names_in_the_index(
    package: Package,
) -> None:
    src = package(
        {
            "pkg/__init__.py": "from pkg._impl import Thing, Thing as Alias\n\n"
            "__all__ = ['Alias', 'Thing']\n",
            "pkg/_impl.py": "class Thing:\n    pass\n",
        }
    )
    site = generate(src, "pkg")
    assert site.plan.object_pages == {"pkg.Thing": "howto/pkg/Thing.md"}
    index = site.pages["howto/pkg/index.md"]
    assert "| [`Thing`](Thing.md) | class |  |" in index
    assert "| [`Alias`](Thing.md) | class | Another name for `Thing`.  |" in index


def test_broken_modules_nobody_exports_in_tests_or_private_code_are_not_warnings(
    package: Package,
) -> None:
    src = package(
        {
            **GOOD,
            "pkg/_private.py": "def f(:\n",
            "pkg/tests/__init__.py": "",
            "pkg/tests/data/__init__.py": "",
            "pkg/tests/data/broken_on_purpose.py": "def f(:\n",
            "pkg/my.script.py": "def f(:\n",  # not importable under any name
        }
    )
    assert generate(src, "pkg").problems == []


def test_a_broken_subpackage_is_one_warning_and_a_folder_without_init_is_named(
    package: Package,
) -> None:
    src = package(
        {
            **GOOD,
            "pkg/sub/__init__.py": "def f(:\n",
            "pkg/sub/a.py": "def a():\n    pass\n",
            "pkg/sub/b.py": "def b():\n    pass\n",
            "pkg/scripts/run.py": "def main():\n    pass\n",
        }
    )
    assert sorted(str(problem) for problem in generate(src, "pkg").problems) == [
        f"{src}/pkg/scripts/run.py:1: module 'pkg.scripts' skipped: folder {src}/pkg/scripts/ "
        "has no __init__.py, so it is not a regular package: add one if it is part of the API "
        "(1 module in it)",
        f"{src}/pkg/sub/__init__.py:1: module 'pkg.sub' skipped: invalid syntax (2 modules in it)",
    ]


# --------------------------------------------------------------------- 3. odd names

LONG = "f" + "x" * 300
ODD_NAMES = f'''
__all__ = ["Option", "option", "index", "Index", "café", "Δelta", "名前", "on", "null",
           "{LONG}"]


class Option:
    """The class."""


def option():
    """The function."""


def index():
    """Not the index page."""


class Index:
    """Not the index page either."""


def café():
    """Accented."""


class Δelta:
    """Greek."""


def 名前():
    """Japanese."""


def on():
    """A YAML boolean."""


def null():
    """A YAML null."""


def {LONG}():
    """Very long."""
'''


def test_odd_names_get_distinct_safe_pages_inside_output_dir(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": ODD_NAMES,
            "pkg/__main__.py": "def main():\n    pass\n",
            "pkg/con.py": "def aux():\n    pass\n",
            f"pkg/{'m' * 240}.py": "def deep():\n    pass\n",
            "pkg/Null.py": "def x():\n    pass\n",
        }
    )
    site = build_site(src.parent, {"packages": ["pkg"], "output_dir": "api/howto"}, strict=True)
    built = site.pages("api/howto")
    hashed = safe_name(LONG)
    assert hashed.endswith(f"-{safe_name(LONG)[-10:]}") and len(hashed) == MAX_NAME_BYTES
    for page in (
        "Option-class",
        "option-function",
        "index-function",
        "Index-class",
        "café",
        "Δelta",
        "名前",
        "on",
        "null-function",
        hashed,
        "con_/aux_",
        "Null/x",
    ):
        assert f"api/howto/pkg/{page}/index.html" in built, page
    assert len(built) == 17  # 13 objects; pkg, con, Null, the long module; not __main__
    for path in (site.site_dir / "api").rglob("*"):
        assert len(path.name.encode()) <= MAX_NAME_BYTES + len("index.html")
        assert path.resolve().is_relative_to((site.site_dir / "api" / "howto").resolve())
    assert "<title>on - Test site</title>" in site.html("api/howto/pkg/on/index.html")
    assert "<title>null - Test site</title>" in site.html("api/howto/pkg/null-function/index.html")


def test_modules_differing_only_in_case_get_distinct_folders(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "",
            "pkg/Index.py": "def a():\n    pass\n",
            "pkg/index.py": "def b():\n    pass\n",
        }
    )
    pages = set(generate(src, "pkg").pages)
    assert {"howto/pkg/Index/a.md", "howto/pkg/index-2/b.md", "howto/pkg/index.md"} <= pages


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Client", "Client"),
        ("café", "café"),
        ("con", "con_"),
        ("..", "__-" + "9a9e8a1d42"),
    ],
)
def test_safe_name(name: str, expected: str) -> None:
    if expected.startswith("__-"):
        assert safe_name(name).startswith("__-") and "/" not in safe_name(name)
    else:
        assert safe_name(name) == expected


def test_a_package_with_only_dunder_names_is_a_clear_error(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": "def __version__():\n    pass\n",
            "pkg/__main__.py": "def main():\n    pass\n",
        }
    )
    with pytest.raises(LoadError, match="no public classes or functions found in pkg"):
        load(src, "pkg")


# --------------------------------------------------------------------- 4. odd docstrings

ODD_DOCSTRINGS = '''
def html():
    """Has <script>alert('x')</script> and <img src=x onerror="alert(1)">.

    A <div markdown="1">**md**</div>, a <!-- comment --> and Dict[str, <T>].

    Code stays code: `<script>` and

    ```html
    <script>alert(2)</script>
    ```

        indented <b>code</b>

    Links: <https://example.com>, [bad](javascript:alert(3)) and [ok](https://example.org).

    Args:
        x: <script>bad()</script> in a parameter.

    Returns:
        <i>italic</i> result.
    """
    return 1


def fences():
    """Fences inside fences.

    ````markdown
    ```python
    inner()
    ```
    ````
    """


def templated():
    """Show {{ config.site_name }} and {% if x %}y{% endif %} {# c #} literally."""


def rest(x):
    """Broken reST.

    :param x: the x
    :param: missing name
    :returns
    """


def google(a):
    """Broken Google.

    Args:
        a (int: missing parenthesis
        c: not a parameter
    """
'''


def test_odd_docstrings_render_literally_and_nothing_is_injected(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    big = "\n\n    ".join(f"Paragraph {i} with <b>tags</b> and `code`." for i in range(2200))
    code = ODD_DOCSTRINGS.replace(
        "def fences", f'def big():\n    """Big.\n\n    {big}\n    """\n\n\ndef fences'
    )
    assert len(code) > 100_000
    src = package({"pkg/__init__.py": code})
    site = build_site(src.parent, {"packages": ["pkg"]}, strict=False)

    def article(name: str) -> str:
        page = site.html(f"howto/pkg/{name}/index.html")
        return page[page.index("<article") : page.index("</article>")]

    body = article("html")
    assert "<script" not in body.replace("&lt;script", "")
    assert "<img" not in body and "<div markdown" not in body and "<i>" not in body
    assert "Has &lt;script&gt;alert('x')&lt;/script&gt;" in body
    assert "Dict[str, &lt;T&gt;]" in body
    assert "<code>&lt;script&gt;</code>" in body
    assert '<a href="https://example.com">https://example.com</a>' in body
    assert '<a href="https://example.org">ok</a>' in body
    assert "javascript:" not in body.replace("[bad](javascript:alert(3))", "")
    assert "indented &lt;b&gt;code&lt;/b&gt;" in body  # an indented code block, shown as code
    assert "&lt;i&gt;italic&lt;/i&gt; result." in body
    fences = article("fences")
    assert "inner" in fences and '<h2 id="usage-example">' in fences
    templated = article("templated")
    assert "Show {{ config.site_name }} and {% if x %}y{% endif %} {# c #} literally." in templated
    assert "Paragraph 2199 with &lt;b&gt;tags&lt;/b&gt;" in article("big")
    for name in ("rest", "google"):
        assert '<h2 id="execution-steps">' in article(name)
    warnings = warnings_of(caplog)
    where = f"{src}/pkg/__init__.py"
    assert any(
        m.startswith(f"{where}:") and "Failed to parse field directive" in m for m in warnings
    )
    assert any(
        m.startswith(f"{where}:") and "'c' does not appear in the function signature" in m
        for m in warnings
    )
    # In a fresh process: this one's plugin instance would serve the pages from its cache,
    # and Griffe warns about a docstring only when it is parsed.
    assert run_build(src.parent, "--strict") == 1


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("a <b>c</b>", "a &lt;b>c&lt;/b>"),
        ("keep `<b>` and ``x <y> z``", "keep `<b>` and ``x <y> z``"),
        ("```\n<b>\n```", "```\n<b>\n```"),
        ("text\n\n    <b>code</b>", "text\n\n    <b>code</b>"),
        ("- item\n\n    <b>continued</b>", "- item\n\n    &lt;b>continued&lt;/b>"),
        ("!!! note\n    <b>inside</b>", "!!! note\n    &lt;b>inside&lt;/b>"),
        ("<https://x.org> <a@b.org>", "<https://x.org> <a@b.org>"),
        ("[x](javascript:alert(1))", "[x]\\(javascript:alert(1))"),
        ("[x]: JavaScript:alert(1)", "\\[x]: JavaScript:alert(1)"),
        ("1 < 2 and a<-b", "1 < 2 and a<-b"),
        ("split on `(?<![a])b`", "split on <code>(?&lt;\\!\\[a\\])b</code>"),
        ("```py\nunclosed", "```py\nunclosed\n```"),
    ],
)
def test_do_docstring_escapes_html_in_prose_only(markdown: str, expected: str) -> None:
    assert do_docstring(markdown) == expected


def test_do_cell_and_do_yaml_escape_for_their_places() -> None:
    assert do_cell("a <script>x</script> | `<b>`") == "a &lt;script>x&lt;/script> \\| `<b>`"
    assert do_yaml("on") == '"on"'
    assert do_yaml('say "hi"\n') == '"say \\"hi\\"\\n"'


# --------------------------------------------------------------------- 5. interrupted, repeated

KILL_DURING_CACHE_WRITE = """
import os, pickle, signal, sys
real_dump = pickle.dump
def dump(obj, stream, *args, **kwargs):
    stream.write(pickle.dumps(obj, *args, **kwargs)[:100])  # half-written, then killed
    stream.flush()
    os.kill(os.getpid(), signal.SIGKILL)
pickle.dump = dump
from mkdocs.__main__ import cli
sys.exit(cli())
"""


def run_build(root: Path, *args: str, script: str | None = None, seed: str = "0") -> int:
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "mkdocs"]
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run(
        [*command, "build", "-f", str(root / "mkdocs.yml"), *args],
        env=env,
        capture_output=True,
        check=False,
        timeout=120,
    ).returncode


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_build_killed_while_writing_the_cache_leaves_a_usable_cache(package: Package) -> None:
    src = package(GOOD)
    root = src.parent
    # the MkDocs process itself writes the cache (see the next test for the worker)
    build_site(root, {"packages": ["pkg"], "cache_dir": ".cache", "parallel": False})
    clean = tree(root / "site")
    cache = root / ".cache" / "mkdocs-howto.pickle"
    good_cache = cache.read_bytes()
    (src / "pkg" / "good.py").write_text("def fine():\n    return 2\n")  # the cache must change
    assert run_build(root, script=KILL_DURING_CACHE_WRITE) == -9  # SIGKILL mid-write
    assert cache.read_bytes() == good_cache  # the rename never happened: the old cache stands
    [temporary] = (root / ".cache").glob(".howto-*.tmp")  # what the killed build left
    assert run_build(root, "--strict") == 0  # no warning, no crash
    assert temporary.exists()  # recent: it might belong to a build still running
    os.utime(temporary, (0, 0))
    assert run_build(root, "--strict") == 0
    assert not temporary.exists()  # stale: removed by the next save
    assert tree(root / "site").keys() == clean.keys()


KILL_WORKER_DURING_CACHE_WRITE = """
import os, pickle, signal, sys
parent, real_dump = os.getpid(), pickle.dump
def dump(obj, stream, *args, **kwargs):
    if os.getpid() == parent:
        return real_dump(obj, stream, *args, **kwargs)
    stream.write(pickle.dumps(obj, *args, **kwargs)[:100])  # the worker: killed mid-write
    stream.flush()
    os.kill(os.getpid(), signal.SIGKILL)
pickle.dump = dump
from mkdocs.__main__ import cli
sys.exit(cli())
"""


def test_a_worker_killed_while_writing_the_cache_leaves_the_build_and_the_cache_whole(
    package: Package,
) -> None:
    """`mkdocs build` writes pages (and the cache) in a worker process: when it dies, the
    MkDocs process does the same work itself, and the site and the cache are complete."""
    src = package(GOOD)
    root = src.parent
    build_site(root, {"packages": ["pkg"], "cache_dir": ".cache"})
    cache = root / ".cache" / "mkdocs-howto.pickle"
    old_cache = cache.read_bytes()
    (src / "pkg" / "good.py").write_text("def fine():\n    return 2\n")
    assert run_build(root, "--strict", script=KILL_WORKER_DURING_CACHE_WRITE) == 0
    assert cache.read_bytes() != old_cache  # written by the MkDocs process instead
    assert len(list((root / ".cache").glob(".howto-*.tmp"))) == 1  # the worker's leftover
    built = tree(root / "site")
    assert run_build(root, "--strict", "-d", "again") == 0  # a normal build: the same site
    assert tree(root / "again") == built
    assert '<span class="mi">2</span>' in built["howto/pkg/good/fine/index.html"].decode()


def test_an_unwritable_cache_dir_is_a_warning_not_a_crash(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(GOOD)
    (src.parent / "cache-file").write_text("a file where the folder should be")
    site = build_site(src.parent, {"packages": ["pkg"], "cache_dir": "cache-file"}, strict=False)
    assert "howto/pkg/top/index.html" in site.pages()
    [warning] = [m for m in warnings_of(caplog) if "cache" in m]
    assert warning == (
        f"mkdocs_howto: howto: the cache could not be written to {src.parent}/cache-file "
        "(File exists); the site is built without it"
    )


def test_two_builds_in_a_row_are_byte_identical(package: Package, tmp_path: Path) -> None:
    """Even in two processes with different hash seeds (set and dict order). MkDocs stamps the
    build date into sitemap.xml(.gz): `SOURCE_DATE_EPOCH` pins it, as for any reproducible
    build; the gzip header also holds the file name, so both builds use the same site_dir."""
    src = package(
        {
            **GOOD,
            "pkg/models.py": "class A:\n    x: int = 1\n\n    def m(self):\n"
            "        return {1, 2, 3}\n\n\nclass B(A):\n    pass\n",
        }
    )
    build_site(src.parent, {"packages": ["pkg"]}, extra_config={"site_url": "https://x.org/"})
    assert run_build(src.parent, seed="1") == 0
    first = tree(src.parent / "site")
    assert run_build(src.parent, seed="2") == 0
    second = tree(src.parent / "site")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert re.search(rb"<lastmod>2023-11-14</lastmod>", first["sitemap.xml"])
