"""`mkdocs serve` in a real process: edits to the package show up, errors never kill it.

Loopback only, a free port, bounded waits; the server is stopped in teardown.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

PAGE = "howto/skyfeed/units/convert_temperature/"
UNITS = "src/skyfeed/units.py"
EDIT = ("    for unit in (from_unit, to_unit):\n", "    clamped_reading = abs(value)\n")
FIRST_BUILD_TIMEOUT = 60.0
REBUILD_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")


@dataclass
class Server:
    """A running `mkdocs serve` and its log."""

    process: subprocess.Popen[bytes]
    url: str
    log_file: Path
    root: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return int(response.status), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:
            return 0, ""  # not listening yet

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None


def start_server(root: Path, *options: str) -> Server:
    port = free_port()
    log_file = root / "serve.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", *options]
    command += ["-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")]
    with log_file.open("wb") as output:  # a file, not a pipe: a full pipe would block MkDocs
        process = subprocess.Popen(command, cwd=root, stdout=output, stderr=subprocess.STDOUT)
    return Server(process, f"http://127.0.0.1:{port}/", log_file, root)


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture
def server(demo_copy: Path) -> Iterator[Server]:
    running = start_server(demo_copy)
    try:
        wait_for(lambda: running.get(PAGE)[0] == 200, FIRST_BUILD_TIMEOUT, "the first build")
        yield running
    finally:
        stop(running)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_has(server: Server, needle: str, present: bool = True) -> Callable[[], bool]:
    def check() -> bool:
        status, html = server.get(PAGE)
        return status == 200 and (needle in html) == present

    return check


def test_serve_watches_the_package_and_reuses_unchanged_pages(server: Server) -> None:
    assert "clamped_reading" not in server.get(PAGE)[1]
    edit(server.root / UNITS, EDIT[0], EDIT[1] + EDIT[0])
    wait_for(page_has(server, "clamped_reading"), REBUILD_TIMEOUT, "the edited page")
    # The two functions below it moved down a line (their line links changed): 3 re-analyzed,
    # and `Reading`, whose page looked up `parse_reading` (a function returning a Reading).
    assert "4 analyzed, 3 from cache" in server.log(), server.log()
    assert "src/skyfeed" in server.log()  # named in "Watching paths for changes"


def test_a_syntax_error_keeps_the_server_up_and_fixing_it_recovers(server: Server) -> None:
    init = server.root / "src/skyfeed/__init__.py"
    good = init.read_text(encoding="utf-8")
    init.write_text(good + "\ndef broken(:\n", encoding="utf-8")
    wait_for(page_has(server, "These pages are out of date"), REBUILD_TIMEOUT, "the banner")
    assert server.alive()
    assert "invalid syntax" in server.log()
    assert "serving the last good pages" in server.log()

    init.write_text(good, encoding="utf-8")
    edit(server.root / UNITS, EDIT[0], EDIT[1] + EDIT[0])
    wait_for(page_has(server, "clamped_reading"), REBUILD_TIMEOUT, "recovery after the fix")
    assert "These pages are out of date" not in server.get(PAGE)[1]


def test_a_broken_submodule_is_a_warning_and_the_rest_is_served(server: Server) -> None:
    edit(server.root / UNITS, EDIT[0], "    return (\n" + EDIT[0])
    wait_for(lambda: "units.py" in server.log().split("Detected file changes")[-1], 30, "warn")
    assert server.alive()
    assert server.get("howto/skyfeed/StationFeed/")[0] == 200


def test_the_first_build_failing_serves_a_page_that_says_why(demo_copy: Path) -> None:
    init = demo_copy / "src/skyfeed/__init__.py"
    good = init.read_text(encoding="utf-8")
    init.write_text(good + "\ndef broken(:\n", encoding="utf-8")
    running = start_server(demo_copy)
    try:
        wait_for(lambda: running.get("howto/")[0] == 200, FIRST_BUILD_TIMEOUT, "the error page")
        assert "could not be generated" in running.get("howto/")[1]
        init.write_text(good, encoding="utf-8")  # the package folder is watched even so
        wait_for(lambda: running.get(PAGE)[0] == 200, REBUILD_TIMEOUT, "the real pages")
    finally:
        stop(running)


class RecordingServer:
    """Stands in for MkDocs' LiveReloadServer: notes what `on_serve` asks it to watch."""

    def __init__(self) -> None:
        self.watched: list[Path] = []

    def watch(self, path: str, recursive: bool = True) -> None:
        self.watched.append(Path(path))


def test_on_serve_watches_the_packages_and_the_template_overrides(demo_copy: Path) -> None:
    (demo_copy / "overrides").mkdir()
    (demo_copy / "templates").mkdir()
    builtin = Path(__file__).parent.parent / "mkdocs_howto/templates/howto.md.jinja"
    (demo_copy / "templates/page.md.jinja").write_text(builtin.read_text(), encoding="utf-8")
    config_file = demo_copy / "mkdocs.yml"
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["theme"]["custom_dir"] = "overrides"
    settings["plugins"][1]["howto"]["template"] = "templates/page.md.jinja"
    config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    config = load_config(str(config_file), site_dir=str(demo_copy / "site"))
    build(config)
    server = RecordingServer()
    config.plugins["howto"].on_serve(server, config=config, builder=None)
    assert set(server.watched) >= {
        demo_copy / "src/skyfeed",
        demo_copy / "overrides",
        demo_copy / "templates",
    }


#: Where the save storm edits: (file, the line a statement is inserted above, its indent).
STORM_SPOTS = [
    ("src/skyfeed/units.py", "    return round((value - 32) * 5 / 9, 1)\n", " " * 4),
    ("src/skyfeed/models.py", "        return Reading(self.station, round(converted", " " * 8),
    ("src/skyfeed/session.py", "        return len(self.fetched)\n", " " * 8),
    ("src/skyfeed/_client.py", '        return f"{self.base_url}/stations/', " " * 8),
]


def article(html: str) -> str:
    start, end = html.find("<article"), html.find("</article>")
    return html[start:end] if start >= 0 and end >= 0 else ""


def test_a_save_storm_leaves_the_server_up_and_its_pages_equal_a_fresh_build(
    server: Server, tmp_path: Path
) -> None:
    """50 saves to four modules within about 5 s, one of them breaking `__init__.py` and a
    later one fixing it: the server stays up, and once the storm is over its pages are a
    fresh build's."""
    root = server.root
    init = root / "src/skyfeed/__init__.py"
    good_init = init.read_text(encoding="utf-8")
    for number in range(50):
        if number == 20:
            init.write_text(good_init + "\ndef broken(:\n", encoding="utf-8")
        elif number == 27:
            init.write_text(good_init, encoding="utf-8")
        else:
            relative, anchor, indent = STORM_SPOTS[number % len(STORM_SPOTS)]
            edit(root / relative, anchor, f"{indent}storm_{number} = {number}\n{anchor}")
        time.sleep(0.1)
    assert server.alive()

    fresh = tmp_path / "fresh"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(fresh), "-f", "mkdocs.yml"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    pages = sorted(fresh.glob("howto/**/index.html"))
    assert len(pages) > 5

    def served_equals_fresh() -> bool:
        for page in pages:
            uri = page.relative_to(fresh).parent.as_posix() + "/"
            status, html = server.get(uri)
            expected = article(page.read_text(encoding="utf-8"))
            if status != 200 or article(html) != expected:
                return False
        return True

    # the last saves' rebuild may still be running: poll, bounded
    wait_for(served_equals_fresh, REBUILD_TIMEOUT * 2, "the served pages to equal a fresh build")
    assert server.alive()
    assert "storm_48" in server.get("howto/skyfeed/units/convert_temperature/")[1]  # 48 % 4: units


def _search_entries(json_text: str) -> list[str]:
    entries = json.loads(json_text)["docs"] if json_text else []
    return sorted(json.dumps(entry, sort_keys=True) for entry in entries)


def test_dirty_rebuilds_list_every_page_once_in_the_search_index(
    demo_copy: Path, tmp_path: Path
) -> None:
    """Under `--dirty` an edit rebuilds several pages, index pages among them; Material's search
    keeps the last index and was made for one: after each rebuild, the served index equals a
    fresh build's, entry for entry."""
    running = start_server(demo_copy, "--dirty")
    units = demo_copy / UNITS
    # a summary (the object page and two index pages), then lines moving below the edit
    edits = [("Convert a temperature between", "Convert a reading between", "Convert a reading")]
    edits += [(EDIT[0], EDIT[1] + EDIT[0], "clamped_reading")]
    try:
        wait_for(lambda: running.get(PAGE)[0] == 200, FIRST_BUILD_TIMEOUT, "the first build")
        for number, (old, new, shown) in enumerate(edits):
            edit(units, old, new)
            wait_for(page_has(running, shown), REBUILD_TIMEOUT, "the edited page")
            fresh = tmp_path / f"fresh-{number}"
            command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(fresh)]
            subprocess.run(command, cwd=demo_copy, check=True, capture_output=True)
            expected = (fresh / "search/search_index.json").read_text(encoding="utf-8")
            served = running.get("search/search_index.json")[1]
            assert _search_entries(served) == _search_entries(expected), old
    finally:
        stop(running)
