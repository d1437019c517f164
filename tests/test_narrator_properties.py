"""Properties of the step narrator on code nobody wrote by hand.

Generated modules (`hypothesmith`, from Python's grammar and from libcst's node types), function
bodies holding every kind of statement around generated expressions, and the standard library's
own packages: narrating any body never raises, gives at least one step for a body with a
statement in it, and every step points at lines of the body it narrates.

The generated examples are the same on every run (`derandomize`), so `make test` stays
repeatable; to search further with fresh random examples:

    NARRATOR_FUZZ=2000 pytest tests/test_narrator_properties.py
"""

from __future__ import annotations

import ast
import os
import sysconfig
import textwrap
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mkdocs_howto.analyze.steps import StepNarrator, comment_lines
from mkdocs_howto.facts import Step

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
STDLIB = Path(sysconfig.get_paths()["stdlib"])
STDLIB_PACKAGES = ("asyncio", "email", "http", "json", "logging", "concurrent", "urllib", "xml")


def parse(source: str) -> ast.Module:
    """The syntax tree; generated and old code may hold invalid escapes (a SyntaxWarning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source)


def walk(steps: Iterable[Step]) -> Iterator[Step]:
    for step in steps:
        yield step
        yield from walk(step.children)


def has_statement(body: list[ast.stmt]) -> bool:
    """A statement other than a bare string: docstrings and string "comments" are not actions."""
    return any(
        not (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        for node in body
    )


def check_body(narrator: StepNarrator, body: list[ast.stmt], first: int, last: int) -> int:
    """Narrate `body` (lines `first`-`last`) and check the properties; return the step count."""
    steps = narrator.narrate(body)
    if has_statement(body):
        assert steps, f"no step for the body at lines {first}-{last}"
    for step in walk(steps):
        assert first <= step.lineno <= step.endlineno <= last, (step, first, last)
    return len(steps)


def check_module(source: str) -> int:
    """Check the module body and every function and class body; return how many were narrated."""
    tree = parse(source)
    narrator = StepNarrator(comment_lines(source, 1))
    if tree.body:
        check_body(narrator, tree.body, 1, tree.body[-1].end_lineno or 1)
    definitions = [node for node in ast.walk(tree) if isinstance(node, Definition)]
    for node in definitions:
        check_body(narrator, node.body, node.lineno, node.end_lineno or node.lineno)
    return len(definitions)


def as_function(source: str, signature: str = "generated()") -> str:
    """The code as the body of an async function, where `return` and `await` are legal."""
    return f"async def {signature}:\n" + textwrap.indent(source, "    ", lambda line: True)


#: Statement shapes the narrator has a visitor for; `{}` takes a generated expression.
TEMPLATES = (
    "{}",
    "value = {}",
    "obj.attr[0], *rest = {}",
    "total: int = {}",
    "total += {}",
    "total //= {}",
    "return {}",
    "value = yield {}",
    "yield from {}",
    "raise {} from None",
    "assert {}, {}",
    "del {}",
    "await {}",
    "value = [item async for item in {} if item]",
    "handler = lambda event: {}",
    "if (found := {}):\n    pass\nelif {}:\n    global counter\nelse:\n    nonlocal total",
    "for key, item in {}:\n    continue\nelse:\n    break",
    "async for chunk in {}:\n    print(chunk)",
    "while {}:\n    pass\nelse:\n    raise",
    "with {} as handle, open(path):\n    handle.write({})",
    "async with {}:\n    pass",
    "try:\n    {}\nexcept {} as error:\n    raise\nelse:\n    pass\nfinally:\n    pass",
    "try:\n    pass\nexcept* {}:\n    pass",
    "match {}:\n    case [first, *_] if {}:\n        pass\n    case _:\n        pass",
    "# Send the request\nresponse = session.post(url, json={})",
    "@decorate({})\ndef helper(arg={}):\n    'Docstring.'\n    return arg",
    "class Inner({}):\n    size = {}",
)


#: Names the lexicon reacts to (receivers, modules, prefixes), so generated calls hit its rules.
NAMES = (
    "session",
    "client",
    "requests",
    "logger",
    "log",
    "json",
    "re",
    "os",
    "uuid",
    "asyncio",
    "subprocess",
    "self",
    "cls",
    "response",
    "handle",
    "path",
    "get_user",
    "validate_payload",
    "is_ready",
    "format_prompt",
    "super",
    "post",
    "loads",
    "value",
)
ATOMS = st.one_of(
    st.sampled_from(NAMES),
    st.text(max_size=80).map(repr),
    st.binary(max_size=8).map(repr),
    st.integers().map(str),
    st.sampled_from(["None", "True", "...", "1.5e300", "0j", "'%s'", "''"]),
)


def compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Expressions built around smaller ones, each parenthesised to keep precedence simple."""
    args = st.lists(inner, max_size=4).map(", ".join)
    return st.one_of(
        st.tuples(inner, st.sampled_from(NAMES)).map(lambda p: f"({p[0]}).{p[1]}"),
        st.tuples(inner, args).map(lambda p: f"({p[0]})({p[1]})"),
        st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES), args).map(
            lambda p: f"{p[0]}.{p[1]}({p[2]})"
        ),
        st.tuples(inner, inner).map(lambda p: f"({p[0]})({p[1]}, key=({p[1]}), **{{}})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]})[{p[1]}]"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]})[{p[1]}:]"),
        st.tuples(inner, st.sampled_from(["+", "%", "and", "or", "==", "not in", "is"]), inner).map(
            lambda p: f"({p[0]}) {p[1]} ({p[2]})"
        ),
        inner.map(lambda e: f"not ({e})"),
        inner.map(lambda e: f"(await ({e}))"),
        inner.map(lambda e: f"(yield ({e}))"),
        inner.map(lambda e: f"(name := ({e}))"),
        inner.map(lambda e: f"lambda x, *a, k=1, **kw: ({e})"),
        inner.map(lambda e: f"f'{{({e})!r:>10}} and {{x}}'"),
        inner.map(lambda e: f"[({e}) for x in y if x]"),
        inner.map(lambda e: f"{{k: ({e}) for k in y}}"),
        inner.map(lambda e: f"(({e}) for x in y)"),
        st.tuples(inner, inner).map(lambda p: f"{{({p[0]}): ({p[1]}), **extra}}"),
        args.map(lambda a: f"[{a}]"),
        args.map(lambda a: f"({a},)"),
        args.map(lambda a: f"{{{a}}}" if a else "set()"),
        st.tuples(inner, inner, inner).map(lambda p: f"({p[0]}) if ({p[1]}) else ({p[2]})"),
        inner.map(lambda e: f"(\n    {e}\n    # a comment inside\n)"),
    )


EXPRESSIONS = st.recursive(ATOMS, compound, max_leaves=12)


@st.composite
def functions(draw: st.DrawFn) -> str:
    """An async function whose body uses every kind of statement around generated expressions."""
    shuffled = draw(st.permutations(TEMPLATES))
    templates = shuffled[: draw(st.integers(1, len(TEMPLATES)))]
    body = "".join(
        statement(template, [draw(EXPRESSIONS) for _ in range(template.count("{}"))])
        for template in templates
    )
    return as_function(body, "generated(path, session, url)")


def statement(template: str, expressions: list[str]) -> str:
    """The template filled with the expressions, or with a name where they do not fit."""
    code = template.format(*expressions) + "\n"
    try:
        parse(as_function(code))
    except SyntaxError:  # `del 1`, `x: int = yield` …: not every expression fits every place
        code = template.format(*(["value"] * len(expressions))) + "\n"
    return code


MODULES = st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node())
FUZZ = int(os.environ.get("NARRATOR_FUZZ", "0"))
PROPERTY_SETTINGS = settings(
    max_examples=FUZZ or 60,
    derandomize=not FUZZ,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@PROPERTY_SETTINGS
@given(source=MODULES, wrap=st.booleans())
def test_narrating_generated_modules_never_fails(source: str, wrap: bool) -> None:
    if wrap:
        source = as_function(source)
        try:
            parse(source)
        except SyntaxError:
            assume(False)
    check_module(source)


@PROPERTY_SETTINGS
@given(source=functions())
def test_narrating_every_statement_kind_never_fails(source: str) -> None:
    assert check_module(source) >= 1


def stdlib_files() -> list[Path]:
    return sorted(path for name in STDLIB_PACKAGES for path in (STDLIB / name).rglob("*.py"))


def test_stdlib_packages_are_narrated_without_errors() -> None:
    files = stdlib_files()
    assert len(files) > 50, f"stdlib not found under {STDLIB}"
    narrated = sum(check_module(path.read_text(encoding="utf-8")) for path in files)
    assert narrated > 2000


@pytest.mark.parametrize(
    "source",
    [
        "def f():\n    '''doc'''\n",
        "def f():\n    '''doc'''\n    'not a docstring, not an action'\n",
        "class C:\n    x: int\n",
        "def f():\n    # a comment that titles nothing\n    pass\n",
        'def outer():\n    def inner():\n        """ """\n        return 1\n',
    ],
)
def test_edge_bodies(source: str) -> None:
    check_module(source)


#: Crashes found while testing, as the smallest inputs that showed them (fixed since).
KNOWN_CRASHES = [
    pytest.param(
        'def outer():\n    def inner():\n        """\n        """\n',
        id="nested-function-with-whitespace-docstring",
    ),
    pytest.param(
        "def f(a):\n    return " + " + ".join(["a"] * 1000) + "\n",
        id="long-operator-chain",
    ),
]


@pytest.mark.parametrize("source", KNOWN_CRASHES)
def test_known_crashes(source: str) -> None:
    check_module(source)
