"""Work done by a forked worker (`worker.Worker`) and the plugin's use of it in
`mkdocs build`: same pages, same warnings (counted by `--strict`), the work redone in the
MkDocs process when the worker dies."""

from __future__ import annotations

import copy
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from conftest import Package, write_config

from mkdocs_howto.plugin import _HowToFile
from mkdocs_howto.worker import Send, Worker, can_fork

#: The unit tests fork pytest's own process: only safe without other threads.
needs_fork = pytest.mark.skipif(not can_fork(), reason="Linux and a single thread only")
#: The build tests fork a `mkdocs build` process.
needs_linux = pytest.mark.skipif(sys.platform != "linux", reason="the worker runs on Linux")

PAGES = {f"p{n}.md": f"# Page {n}\n" for n in range(5)}


def writer(
    fail_in_child: Callable[[int], None] | None = None, pages: dict[str, str] = PAGES
) -> tuple[Callable[[Send], str], int]:
    """A job writing `pages` and returning a result; `fail_in_child(n)` runs in the child
    before page n, to make it stop there."""
    parent = os.getpid()

    def write(sink: Send) -> str:
        logging.getLogger("mkdocs.plugins.test").warning("starting in %s", where())
        for n, (uri, markdown) in enumerate(pages.items()):
            if fail_in_child is not None and os.getpid() != parent:
                fail_in_child(n)
            sink(uri, markdown)
        logging.getLogger("mkdocs.plugins.test").warning("wrote %d pages in %s", n + 1, where())
        return f"result from {where()}"

    def where() -> str:
        return "the parent" if os.getpid() == parent else "the child"

    return write, parent


@needs_fork
def test_pages_come_from_the_child_and_its_warnings_are_logged_in_the_parent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    write, _ = writer()
    worker = Worker(write, loggers=("mkdocs",))
    assert [worker.get(uri) for uri in reversed(PAGES)] == list(reversed(PAGES.values()))
    assert worker.finish() == "result from the child"
    assert worker.failure is None
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("mkdocs.plugins.test", logging.WARNING, "starting in the child"),
        ("mkdocs.plugins.test", logging.WARNING, "wrote 5 pages in the child"),
    ]


def _exit(n: int) -> None:
    if n == 2:
        os._exit(3)


def _raise(n: int) -> None:
    if n == 2:
        raise RuntimeError("analysis bug")


@needs_fork
@pytest.mark.parametrize(
    ("fail", "failure"),
    [(_exit, "the worker stopped (exit code 3)"), (_raise, "RuntimeError: analysis bug")],
)
@needs_fork
def test_a_worker_that_stops_is_replaced_by_the_same_work_in_the_parent(
    fail: Callable[[int], None], failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    write, _ = writer(fail)
    worker = Worker(write, loggers=("mkdocs",))
    assert worker.get("p0.md") == PAGES["p0.md"]
    assert worker.get("p4.md") == PAGES["p4.md"]  # the child never wrote it
    assert worker.finish() == "result from the parent"
    assert worker.failure is not None
    assert worker.failure.strip().splitlines()[-1] == failure
    # the child's records (it had started) are dropped: each message is logged once
    assert [r.getMessage() for r in caplog.records] == [
        "starting in the parent",
        "wrote 5 pages in the parent",
    ]


@needs_fork
def test_an_error_in_the_work_itself_reaches_the_caller() -> None:
    """Redone here, the work fails here too, with a traceback of this process."""
    calls = []

    def write(sink: Send) -> str:
        calls.append(os.getpid())
        raise ValueError("bad input")

    worker = Worker(write, loggers=("mkdocs",))
    with pytest.raises(ValueError, match="bad input"):
        worker.get("p0.md")
    assert calls == [os.getpid()]  # the child's call happened in the child's memory


class UserError(Exception):
    """Stands for `HowToError`: an error the user must fix, such as a broken template."""


@needs_fork
def test_an_expected_error_is_raised_again_without_redoing_the_work(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls = []

    def write(sink: Send) -> str:
        calls.append(os.getpid())
        logging.getLogger("mkdocs.plugins.test").warning("the template names 'x'")
        raise UserError("template 'howto.md.jinja' failed: 'x' is undefined")

    worker = Worker(write, errors=(UserError,), loggers=("mkdocs",))
    with pytest.raises(UserError, match="'x' is undefined"):
        worker.get("p0.md")
    with pytest.raises(UserError):
        worker.finish()
    assert calls == []
    # what the child logged before the error may explain it: logged here, once
    assert [r.getMessage() for r in caplog.records] == ["the template names 'x'"]


@needs_fork
def test_a_page_nobody_writes_is_a_key_error() -> None:
    write, _ = writer()
    worker = Worker(write, loggers=("mkdocs",))
    with pytest.raises(KeyError, match=r"nope\.md"):
        worker.get("nope.md")
    assert worker.failure is None


@needs_fork
def test_the_child_never_waits_for_the_parent_to_ask() -> None:
    """The pipe is drained as pages arrive: 20 MB of pages, far beyond a pipe's buffer, are
    all written while the parent asks for none of them."""
    pages = {f"p{n}.md": f"{n}" * 100_000 for n in range(200)}
    write, _ = writer(pages=pages)
    worker = Worker(write, loggers=("mkdocs",))
    worker._process.join(timeout=60)
    assert worker._process.exitcode == 0
    assert worker.get("p7.md") == pages["p7.md"]
    assert worker.finish() == "result from the child"


@needs_fork
def test_time_spent_waiting_for_pages_is_counted() -> None:
    """What the caller waited is the part of the work the worker did not hide."""

    def write(sink: Send) -> str:
        time.sleep(0.3)
        sink("slow.md", "x")
        return "done"

    worker = Worker(write, loggers=("mkdocs",))
    assert worker.get("slow.md") == "x"
    assert worker.waited >= 0.25
    assert worker.finish() == "done"


@needs_fork
def test_stop_ends_the_child_and_nothing_is_redone() -> None:
    def write(sink: Send) -> str:
        sink("first.md", "x")
        time.sleep(60)
        return "never"

    worker = Worker(write, loggers=("mkdocs",))
    assert worker.get("first.md") == "x"
    worker.stop()
    assert worker._process.exitcode is not None
    with pytest.raises(RuntimeError, match="stopped"):
        worker.get("second.md")


# ------------------------------------------------------------------ the plugin, `mkdocs build`

SOURCE = {
    "pkg/__init__.py": '"""A package."""\n',
    "pkg/core.py": '''\
"""Core functions."""


def scale(value: float, factor: float = 2.0) -> float:
    """Scale a value.

    Args:
        value: The number to scale.
        factor: The multiplier.
    """
    if factor < 0:
        raise ValueError("factor must not be negative")
    return value * factor


class Counter:
    """Count events by name."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, name: str) -> int:
        """Add one event and return its count."""
        self.counts[name] = self.counts.get(name, 0) + 1
        return self.counts[name]
''',
}
#: Griffe warns about this docstring when the page is analyzed, in the worker.
STALE_DOCSTRING = '''

def shout(text: str) -> str:
    """Upper-case a text.

    Args:
        volume: How loud.
    """
    return text.upper()
'''


def mkdocs_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def site_root(package: Package, files: dict[str, str], **options: object) -> Path:
    root = package(files).parent
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n")
    write_config(root, {"packages": ["pkg"], **options})
    return root


#: In `mkdocs build -v`: the source listings were highlighted beside MkDocs' rendering.
HIGHLIGHTED = re.compile(r"(\d+) code blocks highlighted in a second process")
#: In `mkdocs build -v`: the theme was compiled while MkDocs waited for the worker.
WARMED = re.compile(
    r"(\d+) theme templates compiled while waiting for the worker(?:, and a sample page "
    r"converted)?; MkDocs loaded (\d+) compiled templates"
)


def serial_site(root: Path, extra_config: dict[str, object] | None = None) -> dict[str, bytes]:
    """The site built again with everything in the MkDocs process (`parallel: false`)."""
    write_config(root, {"packages": ["pkg"], "parallel": False}, extra_config)
    serial = mkdocs_build(root, "--strict", "-v", "-d", "serial")
    assert serial.returncode == 0, serial.stderr
    assert "in a worker process" not in serial.stderr
    assert not HIGHLIGHTED.search(serial.stderr)
    return tree(root / "serial")


@needs_linux
def test_mkdocs_build_writes_the_same_site_with_and_without_the_worker(package: Package) -> None:
    """With the worker, the listings are also highlighted in a second process (one per
    object page) and the theme is compiled while MkDocs waits for the worker: every file is
    the same byte for byte."""
    root = site_root(package, SOURCE)
    parallel = mkdocs_build(root, "--strict", "-v")
    assert parallel.returncode == 0, parallel.stderr
    assert "s in a worker process" in parallel.stderr
    highlighted = HIGHLIGHTED.search(parallel.stderr)
    assert highlighted is not None and int(highlighted[1]) == 2  # scale, Counter
    # the theme compiled while MkDocs waited: its templates are loaded, not compiled again
    warmed = WARMED.search(parallel.stderr)
    assert warmed is not None and int(warmed[1]) > 0 and int(warmed[2]) > 0
    first = tree(root / "site")
    assert "howto/pkg/core/scale/index.html" in first
    assert b"__codelineno-src-" in first["howto/pkg/core/scale/index.html"]
    assert serial_site(root) == first


KILL_HIGHLIGHTER = """
import os, sys
import mkdocs_howto.engine as engine
parent, make_all = os.getpid(), engine.make_all
def dies_in_a_child(calls, send):
    if os.getpid() != parent:
        os._exit(3)
    return make_all(calls, send)
engine.make_all = dies_in_a_child
from mkdocs.__main__ import cli
sys.exit(cli())
"""


@needs_linux
def test_when_the_highlighting_process_dies_the_mkdocs_process_highlights(
    package: Package,
) -> None:
    root = site_root(package, SOURCE)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    killed = subprocess.run(
        [sys.executable, "-c", KILL_HIGHLIGHTER, "build", "--strict", "-v"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert killed.returncode == 0, killed.stderr
    assert "the highlighting process stopped (the worker stopped (exit code 3))" in killed.stderr
    assert serial_site(root) == tree(root / "site")


LISTING_READER = """
def on_page_content(html, page, config, files):
    assert "howto-deferred" not in html, page.file.src_uri
    if "<!-- howto:source -->" in html:  # an object page: its listing is there
        assert "__codelineno-src-" in html, page.file.src_uri
        html = html.replace("Scale a value", "Scale a value (seen)")
    return html
"""


@needs_linux
def test_another_plugin_reading_the_html_sees_the_listing(package: Package) -> None:
    """A plugin (here a hook) whose `on_page_content` runs before the listing is set aside
    reads the highlighted listing: nothing is deferred."""
    root = site_root(package, SOURCE)
    (root / "hooks.py").write_text(LISTING_READER)
    write_config(root, {"packages": ["pkg"]}, {"hooks": ["hooks.py"]})
    parallel = mkdocs_build(root, "--strict", "-v")
    assert parallel.returncode == 0, parallel.stderr
    assert "s in a worker process" in parallel.stderr
    assert not HIGHLIGHTED.search(parallel.stderr)
    built = tree(root / "site")
    assert b"Scale a value (seen)" in built["howto/pkg/core/scale/index.html"]
    assert serial_site(root, extra_config={"hooks": ["hooks.py"]}) == built


@needs_linux
def test_warnings_from_the_worker_fail_a_strict_build_each_counted_once(package: Package) -> None:
    source = {**SOURCE, "pkg/core.py": SOURCE["pkg/core.py"] + STALE_DOCSTRING}
    root = site_root(package, source)
    result = mkdocs_build(root, "--strict")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "in a worker process" in output  # it was the worker that warned
    assert output.count("Parameter 'volume' does not appear in the function signature") == 1
    assert output.count("No type or annotation for parameter 'volume'") == 1
    assert "Aborted with 2 warnings in strict mode!" in output


@needs_linux
def test_a_template_error_in_the_worker_stops_the_build_with_one_clear_line(
    package: Package,
) -> None:
    root = site_root(package, SOURCE, template="broken.md.jinja")
    (root / "broken.md.jinja").write_text("# {{ howto.public_path }}\n\n{{ howto.no_such_fact }}\n")
    result = mkdocs_build(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert "howto: template 'broken.md.jinja' failed:" in output
    assert "no_such_fact" in output


class _Pages:
    """Stands for the plugin, whose worker holds locks: neither can be copied."""

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def markdown(self, uri: str) -> str:
        return f"# {uri}\n"


def test_a_copied_page_holds_its_markdown_not_the_worker(tmp_path: Path) -> None:
    """Plugins that deep-copy files get the Markdown (the plugin's worker cannot be copied)."""
    page = _HowToFile("howto/x.md", None, str(tmp_path / "site"), use_directory_urls=True)
    page.content_string = ""
    page.fetch_markdown = partial(_Pages().markdown, "X")
    copied = copy.deepcopy(page)
    assert copied.content_string == page.content_string == "# X\n"
    assert copied.fetch_markdown is None
