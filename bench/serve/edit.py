"""Issue 17's live-preview numbers: one function edited under a real `mkdocs serve --dirty`.

For each package (the generated 320-object one of `run.py`, and real packages copied out of a
venv so that nothing installed is edited) this starts `mkdocs serve --livereload --dirty` on
127.0.0.1 with the plugin at HEAD, then edits one public function's body a few times. Each
edit inserts a statement above the function's first `return`, and the function's page is
polled until it shows it. Printed per package:

- the plugin's own time for the rebuild and what it read (`1 module re-read, 1 analyzed, …`),
  from its INFO line;
- save→served, and its ratio to a whole `mkdocs build` of the same site, timed in the same
  run (before and after the edits: the mean);
- whether, after the edits, every how-to page served equals a fresh build's (the `<article>`);
- MkDocs' own floor: the same pages as a static site (`mkdocs-howto generate` writes them into
  `docs/`, the plugin is left out, theme, extensions and nav are the same), its whole build, and
  save→served when one page's Markdown is edited under the same `mkdocs serve --dirty`. Done
  for the generated package, and for the real ones with `--floor`.

For both sites save→served is split, from the server's log: until MkDocs noticed the change
(its watcher polls every 0.5 s; the edits are spread over that cycle), then until it rebuilt
the site (a 0.1 s wait for quiet, the config loaded again, `build()`); the rest is this
script's 50 ms polling of the page.

    .venv/bin/python bench/serve/edit.py                         # generated + networkx
    .venv/bin/python bench/serve/edit.py --packages sqlalchemy --edits 5
    .venv/bin/python bench/serve/edit.py --packages --edits 5    # the generated package only
    .venv/bin/python bench/serve/edit.py --packages --same-lines # an edit that moves no line
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import griffe
import yaml

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.cli import main as howto_command
from mkdocs_howto.generate import SiteOptions, plan_pages
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.render import RenderOptions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fetch, free_port, wait_for, write_package

HERE = Path(__file__).resolve().parent
WORK = HERE.parent / ".work" / "serve-edit"
BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")
GENERATED = "generated (320 objects)"
PHASES = random.Random(17)


@dataclass
class Target:
    """The function edited: its file, the line an edit goes above, and its page's URL path."""

    file: Path
    anchor: str
    indent: str
    url_path: str


def copy_site(package: str, venv: Path, site: Path) -> None:
    found = sorted(venv.glob(f"lib/python3*/site-packages/{package}"))
    if not found:
        sys.exit(f"{package} is not installed in {venv}")
    shutil.copytree(found[0], site / "src" / package, ignore=shutil.ignore_patterns("__pycache__"))
    (site / "docs").mkdir()
    (site / "docs" / "index.md").write_text(f"# {package}\n")
    (site / "mkdocs.yml").write_text(
        f"site_name: {package}\ntheme:\n  name: material\nplugins:\n  - search\n"
        f"  - howto:\n      packages: [{package}]\n      paths: [src]\n"
    )


def find_target(site: Path, package: str) -> Target:
    """A public function in a submodule with a `return` at its body's indent."""
    options = SiteOptions(
        LoadOptions((package,), (site / "src",)),
        AnalyzeOptions(frozenset({package})),
        RenderOptions(),
    )
    planned = plan_pages(options)
    for item in planned.api.objects:
        obj = item.obj
        if not isinstance(obj, griffe.Function) or not isinstance(obj.filepath, Path):
            continue
        if obj.filepath.name == "__init__.py" or obj.lineno is None:
            continue
        lines = obj.lines
        indent = re.match(r"\s*", lines[0]).group(0) + "    "  # type: ignore[union-attr]
        for line in lines[1:]:
            if line.startswith(indent + "return ") and not line.rstrip().endswith(("(", ",")):
                uri = planned.plan.object_pages[item.public_path]
                return Target(obj.filepath, line + "\n", indent, uri.removesuffix(".md") + "/")
    raise SystemExit(f"no function with a plain return found in {package}")


def whole_build(site: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site / "built")],
        cwd=site,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - start


@dataclass
class Served:
    """One site's edits under `mkdocs serve --dirty`."""

    times: list[float]
    """Save→served, per edit."""
    detected: list[float]
    """Save→MkDocs logs "Detected file changes" (to 50 ms), per edit."""
    rebuilt: list[float]
    """From "Detected file changes" to "Reloading browsers" (to 50 ms): MkDocs' wait for
    quiet (0.1 s), the config loaded again, `build()`. (Not its "Documentation built in"
    line: MkDocs logs each text of it once, `DuplicateFilter`.)"""
    lines: list[str]
    """The plugin's INFO line of each rebuild."""
    same: bool | None = None
    """Every how-to page served equals a fresh build's (None: not compared)."""


def serve_and_edit(
    site: Path, url_path: str, edit: Callable[[int], str], edits: int, compare: bool = True
) -> Served:
    """Start `mkdocs serve`, then `edits` times: `edit(number)` (returns a text the page will
    show) and wait until the page shows it."""
    port = free_port()
    log = site / "serve.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty"]
    command += ["-a", f"127.0.0.1:{port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=site, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}/"
    served = Served([], [], [], [])
    try:
        wait_for(url + url_path, "</article>")
        for number in range(edits):
            # The previous rebuild settles (one change, not a queue); the random part puts
            # the save anywhere in the watcher's 0.5 s polling cycle, for either site.
            time.sleep(1.5 + PHASES.uniform(0.0, 0.5))
            text = log.read_text()
            detected = _when_logged(log, "Detected file changes", text.count("Detected file"))
            reloaded = _when_logged(log, "Reloading browsers", text.count("Reloading browsers"))
            served.times.append(wait_for(url + url_path, edit(number)))
            served.detected.append(detected())
            served.rebuilt.append(reloaded() - served.detected[-1])
            text = log.read_text()
            served.lines += [line for line in text.splitlines() if "own time" in line][-1:]
        served.same = identical(site, url) if compare else None
    finally:
        server.terminate()
        server.wait(timeout=30)
    return served


def _when_logged(log: Path, text: str, seen: int) -> Callable[[], float]:
    """Starts watching `log` for one more `text` line; the result gives the seconds from now
    until it appeared (polled every 50 ms, beside the page polling)."""
    start, found = time.perf_counter(), []

    def watch() -> None:
        while not found and time.perf_counter() - start < 60:
            if log.read_text().count(text) > seen:
                found.append(time.perf_counter() - start)
            time.sleep(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()

    def result() -> float:
        thread.join()
        return found[0] if found else float("nan")

    return result


def function_edit(target: Target, same_lines: bool = False) -> Callable[[int], str]:
    """Inserts `bench_edit_N = N` above the function's `return` (the lines below it move), or
    with `same_lines` appends `# bench_edit_N` to the `return` line (no line moves)."""

    def edit(number: int) -> str:
        text = target.file.read_text(encoding="utf-8")
        marker = f"bench_edit_{number}"
        if same_lines:
            edited = target.anchor.rstrip("\n") + f"  # {marker}\n"
        else:
            edited = f"{target.indent}{marker} = {number}\n{target.anchor}"
        target.file.write_text(text.replace(target.anchor, edited, 1), encoding="utf-8")
        if same_lines:
            target.anchor = edited
        return marker

    return edit


def page_edit(page: Path) -> Callable[[int], str]:
    """Appends a paragraph to one page's Markdown."""

    def edit(number: int) -> str:
        marker = f"bench_page_edit_{number}"  # not `bench_edit_`: the listings show those
        page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        return marker

    return edit


def static_site(site: Path, static: Path) -> None:
    """The site's pages as a static site: Markdown files in `docs/`, no plugin, the same
    theme, extensions, stylesheet and nav (the pages the plugin leaves out of the nav are
    `not_in_nav` here)."""
    shutil.copytree(site / "src", static / "src")
    shutil.copytree(site / "docs", static / "docs")
    shutil.copy(site / "mkdocs.yml", static / "mkdocs.yml")
    snippet = static / "snippet.yml"
    command = ["generate", "--config", str(static / "mkdocs.yml"), "--out"]
    command += [str(static / "docs" / "howto"), "--snippet", str(snippet)]
    if howto_command(command) != 0:
        sys.exit(f"mkdocs-howto generate failed for {site}")
    config = yaml.safe_load((static / "mkdocs.yml").read_text(encoding="utf-8"))
    settings = yaml.safe_load(snippet.read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if p != "howto" and "howto" not in p]
    config["theme"]["custom_dir"] = settings["theme"]["custom_dir"]
    config["markdown_extensions"] = settings["markdown_extensions"]
    config["extra_css"] = settings["extra_css"]
    config["nav"] = ["index.md", *settings["nav"]]
    config["not_in_nav"] = "/howto/**\n"
    (static / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def identical(site: Path, url: str) -> bool:
    fresh = site / "fresh"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(fresh)],
        cwd=site,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    for page in sorted(fresh.glob("howto/**/index.html")):
        path = page.relative_to(fresh).parent.as_posix() + "/"
        if _article(fetch(url + path)) != _article(page.read_text(encoding="utf-8")):
            return False
    return True


def _article(html: str) -> str:
    start, end = html.find("<article"), html.find("</article>")
    return html[start:end] if start >= 0 <= end else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", nargs="*", default=["networkx"])
    parser.add_argument("--venv", type=Path, default=Path("/work/bench-venv"))
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument(
        "--floor", action="store_true", help="measure the static floor of real packages too"
    )
    parser.add_argument(
        "--same-lines",
        action="store_true",
        help="edit the return line (a comment) instead of inserting one: no line moves",
    )
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    sites = {GENERATED: ("bigpkg", WORK / "generated")}
    write_package(sites[GENERATED][1])
    for package in args.packages:
        if not sorted(args.venv.glob(f"lib/python3*/site-packages/{package}")):
            print(f"{package}: not installed in {args.venv} (bench/realworld.py --install)")
            continue
        sites[package] = (package, WORK / package)
        copy_site(package, args.venv, WORK / package)
    for label, (package, site) in sites.items():
        target = find_target(site, package)
        builds = [whole_build(site)]
        edit = function_edit(target, args.same_lines)
        served = serve_and_edit(site, target.url_path, edit, args.edits)
        builds.append(whole_build(site))
        build = statistics.mean(builds)  # timed before and after: the load moves
        median = statistics.median(served.times)
        print(
            f"{label}: whole build {build:.2f} s ({_runs(builds)}); save→served median "
            f"{median:.2f} s ({_runs(served.times)}); ratio {median / build:.2f}; change "
            f"detected after {_runs(served.detected)} s; then rebuilt in {_runs(served.rebuilt)} s",
            flush=True,
        )
        for line in served.lines:
            print("   ", re.sub(r"^.*?mkdocs_howto: ", "", line))
        print(f"    served pages equal a fresh build's: {served.same}")
        if label == GENERATED or args.floor:
            _floor(site, target.url_path, args.edits, build)


def _floor(site: Path, url_path: str, edits: int, howto_build: float) -> None:
    """MkDocs' own floor: the same pages as a static site, one page edited."""
    static = site.with_name(site.name + "-static")
    static_site(site, static)
    builds = [whole_build(static)]
    page = static / "docs" / (url_path.removesuffix("/") + ".md")
    served = serve_and_edit(static, url_path, page_edit(page), edits, compare=False)
    builds.append(whole_build(static))
    build = statistics.mean(builds)
    median = statistics.median(served.times)
    print(
        f"    MkDocs' floor, the same pages as a static site: whole build {build:.2f} s "
        f"({_runs(builds)}); "
        f"one page edited, save→served median {median:.2f} s ({_runs(served.times)}); "
        f"ratio {median / build:.2f} of its own build, {median / howto_build:.2f} of the "
        f"plugin's; change detected after {_runs(served.detected)} s; then rebuilt in "
        f"{_runs(served.rebuilt)} s",
        flush=True,
    )


def _runs(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


if __name__ == "__main__":
    main()
