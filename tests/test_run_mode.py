"""`verify_examples: run`: every example that passes its check runs in its own interpreter,
its output is shown beneath it, and one example's failure or hang never stops the build."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest
from conftest import build_site, write_package
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_howto.analyze.running import MAX_OUTPUT_LINES, shown_output

ROOT = Path(__file__).resolve().parent.parent

# The hanging example starts a child that would write MARK after 3 s, then spins forever:
# the 1 s timeout must end both (the child is in the example's process group).
PACKAGE = {
    "pkg/__init__.py": '''
"""A package whose examples print, raise, hang and need the network."""

import socket


def shout(text: str) -> str:
    """Upper-case a text.

    Examples:
        ```python
        from pkg import shout

        print(shout("<b>hi</b> ```"))
        ```
    """
    return text.upper()


def double(value: int) -> int:
    return value * 2


def fail(reason: str) -> None:
    """Always raise.

    Examples:
        ```python
        from pkg import fail

        fail("broken on purpose")
        ```
    """
    raise ValueError(reason)


def spin() -> None:
    """Never return.

    Examples:
        ```python
        import subprocess
        import sys

        from pkg import spin

        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3); open(MARK, 'w')"])
        spin()
        ```
    """
    while True:
        pass


def address(host: str) -> str:
    """The IP address of a host.

    Examples:
        ```python
        from pkg import address

        print(address("skyfeed.invalid"))
        ```
    """
    return socket.gethostbyname(host)
''',
}


def test_examples_run_show_their_output_and_failures_never_stop_the_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    files = dict(PACKAGE)
    mark = tmp_path / "child-was-not-stopped"
    files["pkg/__init__.py"] = files["pkg/__init__.py"].replace("MARK", repr(str(mark)))
    write_package(tmp_path / "src", files)
    options = {"packages": ["pkg"], "paths": ["src"], "verify_examples": "run", "run_timeout": 1}
    with caplog.at_level(logging.WARNING):
        site = build_site(tmp_path, options, strict=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert all(r.name.startswith("mkdocs.") for r in caplog.records if r.levelno >= logging.WARNING)

    # the printed text is shown as text: fenced, HTML escaped, not read as Markdown or HTML
    shout = site.html("howto/pkg/shout/index.html")
    assert "Output" in shout
    assert "&lt;B&gt;HI&lt;/B&gt; ```" in shout
    assert "ran: parses" in shout
    # a generated example runs too
    double = site.html("howto/pkg/double/index.html")
    assert "ran: parses" in double and "Output" in double

    # a raising example: a warning naming the page and the exception, the page says it failed
    assert any("'pkg.fail'" in w and "ValueError: broken on purpose" in w for w in warnings), (
        warnings
    )
    assert "ValueError: broken on purpose" in site.html("howto/pkg/fail/index.html")

    # the hanging example is stopped by the timeout, its child with it
    assert any("'pkg.spin'" in w and "did not finish within 1 s" in w for w in warnings)
    assert "did not finish within 1 s" in site.html("howto/pkg/spin/index.html")
    time.sleep(3.5)
    assert not mark.exists(), "the example's child process outlived the timeout"

    # an example that needs the network says so, on the page and in the warning
    assert any("'pkg.address'" in w and "needs the network" in w for w in warnings)
    assert "needs the network" in site.html("howto/pkg/address/index.html")


def test_the_default_runs_nothing(tmp_path: Path) -> None:
    write_package(tmp_path / "src", {"pkg/__init__.py": PACKAGE["pkg/__init__.py"]})
    site = build_site(tmp_path, {"packages": ["pkg"], "paths": ["src"]})
    shout = site.html("howto/pkg/shout/index.html")
    assert "checked: parses" in shout and "Output" not in shout


def test_long_output_is_cut_and_terminal_escapes_removed() -> None:
    printed = "\x1b[1mbold\x1b[0m\n" + "\n".join(f"line {i}" for i in range(100))
    shown = shown_output(printed)
    assert shown.split("\n")[0] == "bold"
    assert len(shown.split("\n")) == MAX_OUTPUT_LINES + 1
    assert shown.endswith(f"… ({101 - MAX_OUTPUT_LINES} more lines)")


def test_the_demo_shows_real_output_under_each_example(tmp_path: Path) -> None:
    """The demo with `verify_examples: run`: output under every example but the one that
    streams from the feed's server, which is reported as needing the network."""
    demo = tmp_path / "demo"
    shutil.copytree(ROOT / "site_example", demo, ignore=shutil.ignore_patterns("site"))
    config = demo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("      paths: [src]\n", "      paths: [src]\n      verify_examples: run\n"),
        encoding="utf-8",
    )
    build(load_config(str(config), site_dir=str(demo / "site")))
    pages = sorted((demo / "site" / "howto").rglob("index.html"))
    shown = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if 'id="usage-example"' in html:
            shown[page.parent.name] = html
    assert len(shown) == 7
    for name, html in shown.items():
        if name == "StationFeed":
            # no route, or a name server that never answers (then the run's timeout ends it)
            assert "needs the network" in html or "did not finish within" in html
        elif name == "convert_temperature":
            assert "ran: parses" in html  # a doctest: its output is written in it
        else:
            assert "ran: parses" in html and "Output</strong>" in html, name
