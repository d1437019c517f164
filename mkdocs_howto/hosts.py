"""Which program runs mkdocs-howto (MkDocs, ProperDocs, Zensical) and the error that names
its version when that program no longer offers what mkdocs-howto calls."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version

from mkdocs_howto.errors import HowToError

#: The versions CI builds the demo with (tests/test_engines.py).
TESTED = "MkDocs 1.6, ProperDocs 1.6.7 and Zensical 0.0.73"
#: Distribution -> the name its authors write; the first one imported is the host.
_HOSTS = {"properdocs": "ProperDocs", "zensical": "Zensical", "mkdocs": "MkDocs"}


class HostApiError(HowToError):
    """The host program changed an interface mkdocs-howto relies on."""


def host() -> str:
    """`ProperDocs 1.6.7`, `Zensical 0.0.73` or `MkDocs 1.6.1`: what runs this process
    (ProperDocs imports `mkdocs` too, under its own name: it is looked for first)."""
    for distribution, name in _HOSTS.items():
        if distribution in sys.modules:
            try:
                return f"{name} {version(distribution)}"
            except PackageNotFoundError:
                return name
    return "Python-Markdown"


@contextmanager
def host_api(what: str) -> Iterator[None]:
    """Calls into the host's API: a missing attribute or a changed signature there is an
    error naming the host's version, not a traceback."""
    try:
        yield
    except (AttributeError, TypeError, ImportError) as error:
        raise HostApiError(
            f"{host()} changed {what}, which mkdocs-howto uses ({error}); mkdocs-howto is "
            f"tested with {TESTED}: install one of those, or report the new version"
        ) from error
