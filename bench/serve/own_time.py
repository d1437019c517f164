"""The plugin's own time for a one-function edit on a real package, in-process, by stage.

What `mkdocs serve --dirty` asks of the plugin on a rebuild, without MkDocs: the kept tree
(`TreeKeeper`), the page cache and the renderer live across rebuilds, as the engine keeps
them while serving; each rebuild is `plan_pages` then `write_pages`. A statement is inserted
above a public function's `return` (`edit.find_target`, the same edit as `edit.py`), then
the package is rebuilt; printed per rebuild: the wall and CPU seconds (the CPU figure moves
less when the two cores are shared), what was read, and the stages' seconds. With
`--compare`, the pages after the last edit are compared with a fresh build's.

    .venv/bin/python bench/serve/own_time.py --package sqlalchemy --edits 4 --compare
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from edit import WORK, copy_site, find_target  # noqa: E402

from mkdocs_howto.analyze import AnalyzeOptions  # noqa: E402
from mkdocs_howto.cache import PageCache  # noqa: E402
from mkdocs_howto.generate import SiteOptions, plan_pages, write_pages  # noqa: E402
from mkdocs_howto.load import LoadOptions  # noqa: E402
from mkdocs_howto.reload import TreeKeeper  # noqa: E402
from mkdocs_howto.render import Renderer, RenderOptions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", default="sqlalchemy")
    parser.add_argument("--venv", type=Path, default=Path("/work/bench-venv"))
    parser.add_argument("--edits", type=int, default=4)
    parser.add_argument("--compare", action="store_true", help="compare with a fresh build")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    site = WORK / f"own-time-{args.package}"
    shutil.rmtree(site, ignore_errors=True)
    copy_site(args.package, args.venv, site)
    target = find_target(site, args.package)
    options = SiteOptions(
        LoadOptions((args.package,), (site / "src",)),
        AnalyzeOptions(frozenset({args.package})),
        RenderOptions(),
    )
    keeper, cache, renderer = TreeKeeper(), PageCache(), Renderer(options.render)

    def rebuild() -> tuple[dict[str, float], dict[str, str]]:
        planned = plan_pages(options, keeper=keeper)
        written = write_pages(options, planned, renderer, cache)
        return {**planned.timings, **written.timings}, written.pages

    start = time.perf_counter()
    rebuild()
    print(f"{args.package}: first build {time.perf_counter() - start:.1f} s", flush=True)
    pages: dict[str, str] = {}
    for number in range(1, args.edits + 1):
        text = target.file.read_text(encoding="utf-8")
        line = f"{target.indent}bench_{number} = {number}\n"
        target.file.write_text(text.replace(target.anchor, line + target.anchor, 1))
        os.utime(target.file, ns=(time.time_ns() + number * 10**9,) * 2)
        cpu, wall = time.process_time(), time.perf_counter()
        stages, pages = rebuild()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        shown = ", ".join(f"{stage} {seconds:.3f}" for stage, seconds in stages.items())
        print(f"  edit {number}: wall {wall:.2f} s, CPU {cpu:.2f} s; {keeper.note()}; {shown}")
    if args.compare:
        fresh = write_pages(options, plan_pages(options), Renderer(options.render)).pages
        differing = sorted(uri for uri in {*pages, *fresh} if pages.get(uri) != fresh.get(uri))
        print(f"  pages equal a fresh build's: {not differing} {differing[:5]}")


if __name__ == "__main__":
    main()
