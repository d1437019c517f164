"""Issue 17's live-preview numbers: one function edited under a real `mkdocs serve --dirty`.

For each package (the generated 320-object one of `run.py`, and real packages copied out of a
venv so that nothing installed is edited) this starts `mkdocs serve --livereload --dirty` on
127.0.0.1 with the plugin at HEAD, then edits one public function's body a few times. Each
edit inserts a statement above the function's first `return`, and the function's page is
polled until it shows it. Printed per package:

- the plugin's own time for the rebuild and what it read (`1 module re-read, 1 analyzed, …`),
  from its INFO line;
- save→served, and its ratio to a whole `mkdocs build` of the same site, timed in the same
  run;
- whether, after the edits, every how-to page served equals a fresh build's (the `<article>`).

    .venv/bin/python bench/serve/edit.py                         # generated + networkx
    .venv/bin/python bench/serve/edit.py --packages sqlalchemy --edits 5
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import griffe

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.generate import SiteOptions, plan_pages
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.render import RenderOptions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fetch, free_port, wait_for, write_package

HERE = Path(__file__).resolve().parent
WORK = HERE.parent / ".work" / "serve-edit"


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


def serve_and_edit(site: Path, target: Target, edits: int) -> tuple[list[float], list[str]]:
    port = free_port()
    log = site / "serve.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty"]
    command += ["-a", f"127.0.0.1:{port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=site, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url + target.url_path, "</article>")
        times, lines = [], []
        for number in range(edits):
            time.sleep(1.5)  # the previous rebuild settles: one change, not a queue
            before = log.read_text().count("own time")
            text = target.file.read_text(encoding="utf-8")
            marker = f"bench_edit_{number} = {number}"
            target.file.write_text(
                text.replace(target.anchor, f"{target.indent}{marker}\n{target.anchor}", 1),
                encoding="utf-8",
            )
            times.append(wait_for(url + target.url_path, f"bench_edit_{number}"))
            deadline = time.perf_counter() + 60
            while log.read_text().count("own time") <= before and time.perf_counter() < deadline:
                time.sleep(0.1)
            lines += [line for line in log.read_text().splitlines() if "own time" in line][-1:]
        same = identical(site, url)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times, [*lines, f"served pages equal a fresh build's: {same}"]


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
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    sites = {"generated (320 objects)": ("bigpkg", WORK / "generated")}
    write_package(sites["generated (320 objects)"][1])
    for package in args.packages:
        if not sorted(args.venv.glob(f"lib/python3*/site-packages/{package}")):
            print(f"{package}: not installed in {args.venv} (bench/realworld.py --install)")
            continue
        sites[package] = (package, WORK / package)
        copy_site(package, args.venv, WORK / package)
    for label, (package, site) in sites.items():
        target = find_target(site, package)
        build = whole_build(site)
        times, lines = serve_and_edit(site, target, args.edits)
        served = statistics.median(times)
        print(
            f"{label}: whole build {build:.2f} s; save→served median {served:.2f} s "
            f"({', '.join(f'{t:.2f}' for t in times)}); ratio {served / build:.2f}"
        )
        for line in lines:
            print("   ", re.sub(r"^.*?mkdocs_howto: ", "", line))


if __name__ == "__main__":
    main()
