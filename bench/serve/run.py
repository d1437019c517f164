"""Live preview benchmark: time from saving a one-line change to the updated page being served.

On a generated package (20 modules x 16 public objects = 320 pages + 21 index pages) this
runs real `mkdocs serve --livereload` processes on 127.0.0.1 and, for each scenario, saves a
one-line change in a function body and polls the function's page until it shows the change:

- `full`: the plugin before the cache (commit `--base`), every rebuild re-analyzes and
  re-renders everything: what `mkdocs serve` cost before;
- `full --dirty`: the same with `--dirty` (generated pages always reported "modified");
- `incremental`: the committed plugin (HEAD): unchanged objects come from the cache;
- `incremental --dirty`: plus generated pages with unchanged content are not re-rendered.

It also saves a file without changing it and reads the plugin's own time from its INFO line.
Printed, not asserted. Each plugin version is exported with `git archive` into
`bench/.work/serve/` and put first on PYTHONPATH, so uncommitted edits are not measured.

    .venv/bin/python bench/serve/run.py                 # 3 edits per scenario
    .venv/bin/python bench/serve/run.py --edits 5 --base 3bdf508
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORK = REPO / "bench" / ".work" / "serve"
MODULES, FUNCTIONS, CLASSES = 20, 10, 6
TARGET_MODULE, TARGET_FUNCTION = "mod_10", "func_10_05"
TIMEOUT = 180.0


def write_package(root: Path, cache_dir: bool = False) -> None:
    package = root / "src" / "bigpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""A generated package for the serve benchmark."""\n')
    for m in range(MODULES):
        parts = [f'"""Module {m}: helpers and records."""\n\nfrom __future__ import annotations\n']
        parts += [_function(m, f) for f in range(FUNCTIONS)]
        parts += [_class(m, c) for c in range(CLASSES)]
        (package / f"mod_{m:02d}.py").write_text("\n\n".join(parts))
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Big package\n")
    (root / "mkdocs.yml").write_text(
        "site_name: bigpkg\ntheme:\n  name: material\n  features: [navigation.indexes]\n"
        "plugins:\n  - search\n  - howto:\n      packages: [bigpkg]\n      paths: [src]\n"
        + ("      cache_dir: .cache\n" if cache_dir else "")
    )


def _function(m: int, f: int) -> str:
    return textwrap.dedent(f'''
        def func_{m:02d}_{f:02d}(value: int, scale: float = 1.0) -> float:
            """Scale `value` and add an offset.

            Args:
                value: The value to scale.
                scale: The factor.
            """
            total = value * scale
            if total > 100:
                raise ValueError("too big")
            return total + {f}
        ''')


def _class(m: int, c: int) -> str:
    return textwrap.dedent(f'''
        class Record{m:02d}{c:02d}:
            """A record with a name and a value."""

            def __init__(self, name: str, value: int = 0) -> None:
                self.name = name
                self.value = value

            def describe(self) -> str:
                """The record as text."""
                return f"{{self.name}}={{self.value}}"
        ''')


def export(revision: str, folder: Path) -> Path:
    """The plugin package at `revision`, exported (not checked out) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision, "mkdocs_howto"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return ""


def wait_for(url: str, needle: str, timeout: float = TIMEOUT) -> float:
    """Seconds until the page at `url` contains `needle` (polled every 50 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if needle in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"{url} never showed {needle!r}")


def scenario(site: Path, plugin: Path, dirty: bool, edits: int) -> dict[str, object]:
    port = free_port()
    log = site / f"serve-{plugin.name}-{'dirty' if dirty else 'plain'}.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    command += ["--dirty"] if dirty else []
    env = {**os.environ, "PYTHONPATH": str(plugin), "NO_MKDOCS_2_WARNING": "1"}
    module = site / "src" / "bigpkg" / f"{TARGET_MODULE}.py"
    url = f"http://127.0.0.1:{port}/howto/bigpkg/{TARGET_MODULE}/{TARGET_FUNCTION}/"
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=site, env=env, stdout=output, stderr=output)
    try:
        first = wait_for(url, TARGET_FUNCTION)
        times = [_edit_and_wait(module, url, 1000 + n) for n in range(edits)]
        own = _unchanged_save(module, log)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"first": first, "times": times, "own_unchanged": own, "log": log}


def _edit_and_wait(module: Path, url: str, offset: int) -> float:
    text = module.read_text()
    line = re.search(r"return total \+ \d+\n", text.split(f"def {TARGET_FUNCTION}", 1)[1])
    assert line is not None
    head, tail = text.split(f"def {TARGET_FUNCTION}", 1)
    tail = tail.replace(line.group(0), f"return total + {offset}\n", 1)
    time.sleep(1.0)  # let the previous rebuild settle: measure one change, not a queue
    module.write_text(f"{head}def {TARGET_FUNCTION}{tail}")
    return wait_for(url, f"total + {offset}")


def _unchanged_save(module: Path, log: Path) -> float | None:
    """Save without a change (a rebuild with nothing to re-analyze): the plugin's own time."""
    time.sleep(1.0)
    before = log.read_text().count("own time")
    module.write_text(module.read_text())
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        found = re.findall(r"own time ([\d.]+) s", log.read_text())
        if len(found) > before:
            return float(found[-1])
        if before == 0:
            return None  # the base version does not log its own time
        time.sleep(0.1)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="3bdf508", help="plugin revision without the cache")
    parser.add_argument("--head", default="HEAD", help="plugin revision with the cache")
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    plugins = {
        "full": export(args.base, WORK / "base"),
        "incremental": export(args.head, WORK / "head"),
    }
    results = {}
    for name, plugin in plugins.items():
        for dirty in (False, True):
            site = WORK / f"site-{name}-{dirty}"
            write_package(site)
            label = f"{name}{' --dirty' if dirty else ''}"
            results[label] = scenario(site, plugin, dirty, args.edits)
            print(f"{label:22} {_summary(results[label])}", flush=True)
    # `cache_dir`: a first run fills the disk cache; the restart is what is measured.
    site = WORK / "site-cache-dir"
    write_package(site, cache_dir=True)
    scenario(site, plugins["incremental"], True, 0)
    label = "incremental --dirty, restarted with cache_dir"
    results[label] = scenario(site, plugins["incremental"], True, args.edits)
    print(f"{label:22} {_summary(results[label])}", flush=True)
    full = statistics.median(results["full"]["times"])  # type: ignore[arg-type]
    for label, result in results.items():
        ratio = statistics.median(result["times"]) / full  # type: ignore[arg-type]
        print(f"{label:22} ratio to full rebuild: {ratio:.2f}")


def _summary(result: dict[str, object]) -> str:
    times = result["times"]
    assert isinstance(times, list)
    own = result["own_unchanged"]
    own_text = f"{own:.2f} s" if isinstance(own, float) else "n/a"
    return (
        f"first build {result['first']:.1f} s; save→served median "
        f"{statistics.median(times):.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}); "
        f"plugin's own time, unchanged save: {own_text}"
    )


if __name__ == "__main__":
    main()
