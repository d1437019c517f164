"""The public API as `import pkg` gives it (#15), in real MkDocs builds: quiet navs for big
APIs, Griffe's docstring warnings demoted on request, sibling-package facades, definitions
under `try:`, lazy `__getattr__` exports and imports that cannot work."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from tests.conftest import BuiltSite, Package, build_site, line_of, write_package
from tests.test_serve import REBUILD_TIMEOUT, edit, start_server, stop, wait_for

NAV_LISTING = "exist in the docs directory, but are not included in the"


def text_of(html: str) -> str:
    """The page's text, tags removed and entities of quotes decoded."""
    text = re.sub(r"<[^>]+>", "", html)
    for entity, char in (("&quot;", '"'), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


def _infos(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What MkDocs counts for `--strict`: warnings on its own loggers."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith("mkdocs")
    ]


# ----------------------------------------------------------------- pages left out of the nav


def test_a_300_object_build_lists_no_page_left_out_of_the_nav(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    functions = "".join(
        f"def task_{n}(value: int) -> int:\n    return value + {n}\n\n\n" for n in range(100)
    )
    src = package({f"big/mod{m}.py": functions for m in range(3)} | {"big/__init__.py": ""})
    caplog.set_level(logging.INFO)
    site = build_site(src.parent, {"packages": ["big"], "show_source": False})
    # `nav_depth: auto` lists only the modules above 150 objects: the 300 object pages are
    # built, and MkDocs does not name each of them at INFO
    assert len(site.pages("howto/big/mod1")) == 101
    assert not [m for m in _infos(caplog) if NAV_LISTING in m]
    assert any("sidebar lists the modules" in m for m in _infos(caplog))


def test_serve_lists_no_page_left_out_of_the_nav(demo_copy: Path) -> None:
    config = demo_copy / "mkdocs.yml"
    edit(config, "      paths: [src]\n", "      paths: [src]\n      nav_depth: modules\n")
    server = start_server(demo_copy)
    try:
        page = "howto/skyfeed/units/convert_temperature/"
        wait_for(lambda: server.get(page)[0] == 200, 60.0, "the first build")
        edit(
            demo_copy / "src/skyfeed/units.py",
            "def ",
            "def _first_edit() -> None:\n    pass\n\n\ndef ",
        )
        wait_for(lambda: server.log().count("object pages (") >= 2, REBUILD_TIMEOUT, "a rebuild")
    finally:
        stop(server)
    log = server.log()
    assert "Building documentation" in log
    assert NAV_LISTING not in log, log


# ----------------------------------------------------------------- griffe_warnings

#: Google-style docstrings Griffe warns about, and nothing else wrong.
DOCSTYLE_ONLY = {
    "styled/__init__.py": '''
        def shift(a: int, b: int) -> int:
            """Add two numbers.

            Args:
                a: The first.
                c: Not a parameter of this function.
            """
            return a + b


        def scale(value: int) -> int:
            """Scale a value.

            Args:
                value: The value.
                    Confusing indentation of this continuation.
                  factor: indented oddly.
            """
            return value * 2
        ''',
}


def test_docstring_warnings_fail_strict_by_default(package: Package) -> None:
    src = package(DOCSTYLE_ONLY)
    with pytest.raises(Abort, match="warnings in strict mode"):
        build_site(src.parent, {"packages": ["styled"]})


def test_griffe_warnings_info_lets_strict_pass_and_still_shows_them(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(DOCSTYLE_ONLY)
    caplog.set_level(logging.INFO)
    site = build_site(src.parent, {"packages": ["styled"], "griffe_warnings": "info"})
    assert "Add two numbers." in site.html("howto/styled/shift/index.html")
    shown = [m for m in _infos(caplog) if "does not appear in the function signature" in m]
    assert shown and "styled/__init__.py:" in shown[0]
    assert not _warnings(caplog)


def test_griffe_warnings_info_still_counts_the_plugins_own_warnings(package: Package) -> None:
    src = package(
        {
            **DOCSTYLE_ONLY,
            "styled/broken.py": "def oops(:\n",
        }
    )
    with pytest.raises(Abort, match="warnings in strict mode"):
        build_site(src.parent, {"packages": ["styled"], "griffe_warnings": "info"})


def test_griffe_warnings_rejects_other_values(package: Package) -> None:
    src = package(DOCSTYLE_ONLY)
    with pytest.raises(Abort):
        build_site(src.parent, {"packages": ["styled"], "griffe_warnings": "ignore"})


# ----------------------------------------------------------------- a sibling-package facade

#: `facade` re-exports its whole API from `facade_impl`, a second top-level package shipped
#: beside it (the shape of `attrs` and `attr`).
FACADE = {
    "facade/__init__.py": '''
        """Classes without boilerplate."""

        from facade_impl import NOTHING, Factory, Record, define, evolve, field, frozen
        from facade_impl._funcs import asdict, fields, has
        from facade_impl._make import make_class, validate

        __all__ = [
            "NOTHING",
            "__doc__",  # every module has one: no warning
            "Factory",
            "Record",
            "asdict",
            "define",
            "evolve",
            "field",
            "fields",
            "frozen",
            "has",
            "make_class",
            "validate",
        ]
        ''',
    "facade_impl/__init__.py": """
        from ._funcs import asdict, evolve, fields, has
        from ._make import NOTHING, Factory, Record, define, field, frozen
        """,
    "facade_impl/_make.py": '''
        NOTHING = object()


        class Factory:
            """Build a default value by calling a function for each new instance."""

            def __init__(self, factory: type, takes_self: bool = False) -> None:
                self.factory = factory
                self.takes_self = takes_self


        class Record:
            """A field's definition: its name and default."""

            def __init__(self, name: str, default: object = NOTHING) -> None:
                self.name = name
                self.default = default


        def field(default: object = NOTHING, repr: bool = True) -> Record:
            """Declare a field of a class made with `define`."""
            return Record("field", default)


        def define(maybe_cls: type | None = None, *, slots: bool = True):
            """Add `__init__` and `__repr__` to a class from its fields."""

            def wrap(cls: type) -> type:
                cls.__defined__ = True
                return cls

            if maybe_cls is None:
                return wrap
            return wrap(maybe_cls)


        def frozen(cls: type) -> type:
            """Like `define`, for instances that cannot be changed."""
            cls.__frozen__ = True
            return define(cls)


        def make_class(name: str, fields: list[str]) -> type:
            """Make a class called `name` with the given fields."""
            return type(name, (), dict.fromkeys(fields))


        def validate(instance: object) -> None:
            """Run the validators of every field of an instance."""
            for value in vars(instance).values():
                if value is NOTHING:
                    raise ValueError("a field has no value")
        ''',
    "facade_impl/_funcs.py": '''
        def asdict(instance: object) -> dict[str, object]:
            """Return the fields of an instance as a dict."""
            return dict(vars(instance))


        def fields(cls: type) -> tuple[str, ...]:
            """Return the names of the fields of a class."""
            return tuple(vars(cls))


        def has(cls: type) -> bool:
            """Tell whether a class was made with `define`."""
            return hasattr(cls, "__defined__")


        def evolve(instance: object, **changes: object) -> object:
            """Return a copy of an instance with some fields changed."""
            copy = type(instance).__new__(type(instance))
            vars(copy).update(vars(instance), **changes)
            return copy
        ''',
}
FACADE_OBJECTS = (
    "Factory",
    "Record",
    "asdict",
    "define",
    "evolve",
    "field",
    "fields",
    "frozen",
    "has",
    "make_class",
    "validate",
)


@pytest.fixture
def facade(package: Package, caplog: pytest.LogCaptureFixture) -> BuiltSite:
    src = package(FACADE)
    caplog.set_level(logging.INFO)
    return build_site(src.parent, {"packages": ["facade"]})


def test_a_sibling_facade_documents_every_name_at_its_public_path(
    facade: BuiltSite, caplog: pytest.LogCaptureFixture
) -> None:
    pages = facade.pages("howto/facade")
    assert pages == sorted(
        ["howto/facade/index.html"] + [f"howto/facade/{n}/index.html" for n in FACADE_OBJECTS]
    )
    assert not (facade.site_dir / "howto/facade_impl").exists()  # documented once, not twice
    build = caplog.get_records("setup")
    [note] = [r.getMessage() for r in build if "sibling packages loaded" in r.getMessage()]
    assert "loaded for the names facade re-exports: facade_impl (12 names)" in note
    assert not [r for r in build if r.levelno >= logging.WARNING and r.name.startswith("mkdocs")]


def test_a_sibling_facade_page_imports_from_the_public_path(facade: BuiltSite) -> None:
    decorator = text_of(facade.html("howto/facade/define/index.html"))
    assert "Add __init__ and __repr__ to a class from its fields." in decorator
    assert "from facade import define" in decorator
    assert "@define" in decorator and "class Settings:" in decorator
    factory = text_of(facade.html("howto/facade/field/index.html"))
    assert "from facade import field" in factory
    assert "Declare a field of a class made with define." in factory
    cls = text_of(facade.html("howto/facade/Factory/index.html"))
    assert "from facade import Factory" in cls
    assert "facade_impl/_make.py" in cls  # the source shown is where it is defined


def test_a_sibling_facade_index_says_where_each_name_is_defined(facade: BuiltSite) -> None:
    index = text_of(facade.html("howto/facade/index.html"))
    assert "Defined in facade_impl._make." in index
    assert "Defined in facade_impl._funcs." in index
    assert index.count("Defined in facade_impl.") == len(FACADE_OBJECTS)


def test_a_missing_sibling_is_a_warning_naming_it_and_the_names_lost(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(
        {
            "lonely/__init__.py": '''
                from lonely_impl import connect, Session

                __all__ = ["Session", "connect", "ping"]


                def ping(host: str) -> bool:
                    """Tell whether a host answers."""
                    return bool(host)
                ''',
        }
    )
    site = build_site(src.parent, {"packages": ["lonely"]}, strict=False)
    assert site.pages("howto/lonely") == ["howto/lonely/index.html", "howto/lonely/ping/index.html"]
    [warning] = [m for m in _warnings(caplog) if "lonely_impl" in m]
    assert "lonely/__init__.py:1:" in warning
    assert "not documented: Session, connect" in warning


def test_a_circular_re_export_between_two_packages_ends_with_a_warning(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(
        {
            "ping/__init__.py": '''
                from pong import Ball

                __all__ = ["Ball", "serve"]


                def serve(speed: int) -> int:
                    """Hit the ball."""
                    return speed
                ''',
            "pong/__init__.py": "from ping import Ball\n",
        }
    )
    site = build_site(src.parent, {"packages": ["ping"]}, strict=False)
    assert site.pages("howto/ping") == ["howto/ping/index.html", "howto/ping/serve/index.html"]
    [warning] = [m for m in _warnings(caplog) if "'Ball'" in m]
    assert "ping/__init__.py:1:" in warning and "go round in a circle" in warning


# ----------------------------------------------------------------- `try:` / `except`

OPTIONAL = {
    "optional/__init__.py": '''
        """Features that depend on what is installed."""

        try:
            import browser_cookie3

            def load_browser_cookies(domain: str) -> list[str]:
                """Read the browser's cookies for a domain."""
                return [str(c) for c in browser_cookie3.load(domain_name=domain)]
        except ImportError:
            pass

        try:
            import browser_cookie3 as _cookies
        except ImportError:

            def no_cookies(domain: str) -> list[str]:
                """Return no cookies: the fallback when the browser cannot be read."""
                return []

        try:
            anext
        except NameError:

            async def anext(iterator):
                """Return the next item of an async iterator (a backport)."""
                return await iterator.__anext__()

        try:
            import json as fast_json
        except ImportError:
            fast_json = None

        def dumps(value: object) -> str:
            """Write a value as JSON."""
            return str(value)

        try:
            SETTINGS = open("settings.ini").read()

            def configured(key: str) -> str:
                """Look a key up in the settings."""
                return key
        except OSError:
            SETTINGS = ""
        ''',
}


@pytest.fixture
def optional(package: Package) -> BuiltSite:
    return build_site(package(OPTIONAL).parent, {"packages": ["optional"]})


def test_a_definition_needing_an_optional_import_says_so(optional: BuiltSite) -> None:
    page = text_of(optional.html("howto/optional/load_browser_cookies/index.html"))
    assert "Defined only when browser_cookie3 can be imported." in page
    assert '<p class="admonition-title">Availability</p>' in optional.html(
        "howto/optional/load_browser_cookies/index.html"
    )
    assert 'if importlib.util.find_spec("browser_cookie3") is not None:' in page
    fallback = text_of(optional.html("howto/optional/no_cookies/index.html"))
    assert "Defined only when browser_cookie3 cannot be imported." in fallback
    assert 'if importlib.util.find_spec("browser_cookie3") is None:' in fallback


def test_a_backport_of_a_builtin_says_which_pythons_have_it(optional: BuiltSite) -> None:
    page = text_of(optional.html("howto/optional/anext/index.html"))
    assert "Defined only when anext is not a builtin (Python < 3.10)." in page
    assert 'if not hasattr(builtins, "anext"):' in page


def test_a_guard_that_cannot_be_stated_names_the_try_line(optional: BuiltSite) -> None:
    page = text_of(optional.html("howto/optional/configured/index.html"))
    line = line_of(optional.root / "src", "optional/__init__.py", "SETTINGS = open") - 1
    assert f"Defined inside a try: block at line {line}." in page
    assert f"# `configured` is defined inside a `try:` block at line {line} of its" in page


def test_a_definition_after_a_try_is_not_guarded(optional: BuiltSite) -> None:
    page = text_of(optional.html("howto/optional/dumps/index.html"))
    assert "Availability" not in page and "Defined only" not in page


# ----------------------------------------------------------------- PEP 562 lazy exports

LAZY = {
    "lazy/__init__.py": '''
        """A package that imports its parts on first use."""

        __all__ = ["Engine", "Session", "connect", "computed"]

        _LAZY = {"Engine": "._engine", "connect": "._engine"}


        def __getattr__(name):
            if name == "Session":
                from ._session import Session

                return Session
            if name in _LAZY:
                import importlib

                return getattr(importlib.import_module(_LAZY[name], __name__), name)
            return _FACTORIES[name]()
        ''',
    "lazy/_engine.py": '''
        class Engine:
            """Run queries."""

            def run(self, query: str) -> str:
                """Run one query."""
                return query


        def connect(url: str) -> Engine:
            """Open an engine for a URL."""
            return Engine()
        ''',
    "lazy/_session.py": '''
        class Session:
            """A unit of work."""

            def commit(self) -> None:
                """Save the changes."""
        ''',
}


def test_lazy_exports_mapped_statically_are_documented_at_the_public_path(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    site = build_site(package(LAZY).parent, {"packages": ["lazy"]}, strict=False)
    assert site.pages("howto/lazy") == [
        "howto/lazy/Engine/index.html",
        "howto/lazy/Session/index.html",
        "howto/lazy/connect/index.html",
        "howto/lazy/index.html",
    ]
    engine = text_of(site.html("howto/lazy/Engine/index.html"))
    # the example gets its Engine from the package's `connect`, imported at the public path
    assert "from lazy import connect" in engine
    assert "engine = connect(url=" in engine
    assert "howto-badge--failed" not in site.html("howto/lazy/Session/index.html")
    # the name `__getattr__` computes stays a warning
    [warning] = _warnings(caplog)
    assert "'computed' is listed in `__all__` of 'lazy'" in warning
    assert "__getattr__" in warning


# ----------------------------------------------------------------- imports that cannot work

BROKEN = {
    "broken/__init__.py": '"""Messages."""\n',
    "broken/sub/__init__.py": "",
    "broken/sub/send.py": '''
        from ..typing import Payload


        def send(payload: Payload) -> int:
            """Send a payload."""
            return 1
        ''',
    "broken/fine.py": '''
        def fine(value: int) -> int:
            """Return the value."""
            return value
        ''',
}


def test_an_example_whose_module_cannot_be_imported_fails_with_the_reason(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    site = build_site(package(BROKEN).parent, {"packages": ["broken"]}, strict=False)
    html = site.html("howto/broken/sub/send/send/index.html")
    assert "howto-badge--failed" in html
    assert "howto-badge--failed" not in site.html("howto/broken/fine/fine/index.html")
    [warning] = _warnings(caplog)
    assert "broken/sub/send.py:4: usage example of 'broken.sub.send.send' failed" in warning
    assert "broken/sub/send.py:1: `from ..typing import Payload` names module" in warning
    assert "`broken.typing`, which does not exist" in warning


def test_an_installed_sibling_is_loaded_only_when_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # `facade_impl` is importable (on sys.path, as an installed package is) but not on `paths`
    installed = write_package(
        tmp_path / "site-packages", {k: v for k, v in FACADE.items() if "impl" in k}
    )
    monkeypatch.syspath_prepend(str(installed))
    project = tmp_path / "project"
    own = {"facade/extra.py": "def extra(x: int) -> int:\n    return x\n"}
    write_package(project / "src", {"facade/__init__.py": FACADE["facade/__init__.py"], **own})
    caplog.set_level(logging.INFO)
    quiet = build_site(project, {"packages": ["facade"]})
    assert not (quiet.site_dir / "howto/facade/define").exists()
    [note] = [m for m in _infos(caplog) if "other installed distributions" in m]
    assert "facade_impl (12 names)" in note and "sibling_packages: installed" in note

    caplog.clear()
    allowed = build_site(project, {"packages": ["facade"], "sibling_packages": "installed"})
    assert len(allowed.pages("howto/facade")) == 3 + len(FACADE_OBJECTS)  # + extra, its index
    # a Record is what `field()` returns: the example gets one there, at the public path
    record = text_of(allowed.html("howto/facade/Record/index.html"))
    assert "from facade import field" in record and "record = field()" in record
