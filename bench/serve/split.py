"""Where one `mkdocs serve --dirty` rebuild spends its time, step by step, in-process.

The generated 320-object package of `run.py` and the same pages as a static site (MkDocs' own
floor, as `edit.py` makes it) are each rebuilt in their own process the way `mkdocs serve
--dirty` does it: the config loaded again, the plugin instances kept (`on_startup`), then
MkDocs' `build()`, here copied step by step with a clock around each step (mkdocs 1.6.1,
`commands/build.py`). Edits: a statement inserted above a function's `return` (the plugin's
site: the lines below it move, so the pages of the objects below are rewritten too), one
line appended to that function's page (the static site). Printed: the median of each step.
Not timed here: finding the change (MkDocs' watcher polls every 0.5 s, then waits 0.1 s for
quiet), which `edit.py` measures under a real `mkdocs serve`.

    .venv/bin/python bench/serve/split.py                # 6 rebuilds per site
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from edit import WORK, find_target, function_edit, page_edit, static_site  # noqa: E402
from run import write_package  # noqa: E402

SERVE_URL = "http://127.0.0.1:8000/"


def rebuild_steps(site: Path, rebuilds: int, static: bool) -> dict[str, list[float]]:
    """In this process: a first build, then `rebuilds` edits, each followed by a rebuild."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    import logging

    from mkdocs.config import load_config

    logging.basicConfig(level=logging.ERROR)
    os.chdir(site)

    def get_config() -> Any:
        config = load_config(config_file="mkdocs.yml", site_dir=str(site / "site"))
        config.site_url = SERVE_URL
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    target = find_target(site.with_name("generated"), "bigpkg")
    page = site / "docs" / (target.url_path.removesuffix("/") + ".md")
    edit = page_edit(page) if static else function_edit(target)
    steps: dict[str, list[float]] = {}
    _timed_build(config, {})
    for number in range(rebuilds):
        edit(number)
        start = time.perf_counter()
        config = get_config()
        steps.setdefault("load the config", []).append(time.perf_counter() - start)
        _timed_build(config, steps)
        steps.setdefault("rebuild, in all", []).append(time.perf_counter() - start)
    config.plugins.on_shutdown()
    return steps


def _timed_build(config: Any, steps: dict[str, list[float]]) -> None:
    """MkDocs' `build(config, serve_url=..., dirty=True)`, a clock around each step."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    clock = [time.perf_counter()]

    def lap(step: str) -> None:
        now = time.perf_counter()
        steps.setdefault(step, []).append(now - clock[0])
        clock[0] = now

    inclusion = InclusionLevel.is_in_serve
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    lap("on_config, on_pre_build (plugins)")
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    lap("files: docs/ and the theme's (14,000 files listed)")
    files = config.plugins.on_files(files, config=config)
    lap("on_files (plugins: the how-to pages)")
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    lap("nav")
    rebuilt = 0
    for file in files.documentation_pages(inclusion=inclusion):
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        rebuilt += file.is_modified()
        mkdocs_build._populate_page(file.page, config, files, True)
    steps.setdefault("pages rewritten (count)", []).append(rebuilt)
    lap("read and convert the modified pages' Markdown")
    env = config.plugins.on_env(env, config=config, files=files)
    lap("on_env (plugins)")
    files.copy_static_files(dirty=True, inclusion=inclusion)
    for template in config.theme.static_templates:
        mkdocs_build._build_theme_template(template, env, files, config, nav)
    lap("static files, 404.html and sitemap.xml")
    doc_files = files.documentation_pages(inclusion=inclusion)
    for file in doc_files:
        excluded = file.inclusion.is_excluded()
        mkdocs_build._build_page(file.page, config, doc_files, nav, env, True, excluded=excluded)
    lap("render and write the modified pages (theme)")
    for file in doc_files:
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    config.plugins.on_post_build(config=config)
    lap("anchors, on_post_build (plugins: search index)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuilds", type=int, default=6)
    parser.add_argument("--site", choices=["plugin", "static"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = WORK.with_name("serve-split")
    if args.site:  # the child process: one site
        steps = rebuild_steps(
            work / "generated" if args.site == "plugin" else work / "static",
            args.rebuilds,
            args.site == "static",
        )
        print(json.dumps(steps))
        return
    subprocess.run(["rm", "-rf", str(work)], check=True)
    write_package(work / "generated")
    static_site(work / "generated", work / "static")
    results = {}
    for site in ("plugin", "static"):
        command = [sys.executable, __file__, "--site", site, "--rebuilds", str(args.rebuilds)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results[site] = json.loads(output.strip().splitlines()[-1])
    heading = f"step (median of {args.rebuilds} rebuilds)"
    print(f"{heading:52} {'plugin':>8} {'static':>8}")
    for step in results["plugin"]:
        plugin, static = (statistics.median(results[s].get(step, [0.0])) for s in results)
        if "count" in step:
            print(f"{step:52} {plugin:8.0f} {static:8.0f}")
        else:
            print(f"{step:52} {plugin * 1000:6.0f}ms {static * 1000:6.0f}ms")


if __name__ == "__main__":
    main()
