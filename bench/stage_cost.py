"""What the skimming stages of issue 12 cost: the analysis of every object of a package with
and without them, alternated in one run (the minimum of each is compared).

The stages: `shape_steps` (phases, paragraphs, runs, summaries), step links (`_linked`) and
type links (`_type_links`). Without them the analyzer returns the narrator's raw steps; pages
are not written, so only the analysis is timed. Divide the difference by a whole build's time
(`make bench`) for the share of a build.

    .venv/bin/python bench/stage_cost.py --venv /work/bench-venv rich httpx requests
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs_howto import analyze
from mkdocs_howto.analyze import AnalyzeOptions, Analyzer, link_anchors, phases
from mkdocs_howto.generate import SiteOptions, _resolver, plan_pages
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.pages import page_links
from mkdocs_howto.render import RenderOptions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from steps import site_packages

STAGES: dict[str, Callable[..., Any]] = {
    "shape_steps": phases.shape_steps,
    "_linked": analyze.Analyzer._linked,
    "_type_links": analyze.Analyzer._type_links,
}
SKIPPED: dict[str, Callable[..., Any]] = {
    "shape_steps": lambda steps: steps,
    "_linked": lambda self, steps, *rest: steps,
    "_type_links": lambda self, *rest: (),
}


def use(stages: dict[str, Callable[..., Any]]) -> None:
    analyze.shape_steps = stages["shape_steps"]  # type: ignore[attr-defined]
    analyze.Analyzer._linked = stages["_linked"]  # type: ignore[method-assign]
    analyze.Analyzer._type_links = stages["_type_links"]  # type: ignore[method-assign]


def measure(package: str, where: Path, rounds: int) -> tuple[float, float]:
    options = SiteOptions(
        LoadOptions((package,), (where,)), AnalyzeOptions(frozenset({package})), RenderOptions()
    )
    planned = plan_pages(options)
    links = page_links(planned.api, planned.plan, link_anchors)
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(rounds):
        for with_stages in (False, True):
            use(STAGES if with_stages else SKIPPED)
            analyzer = Analyzer(options.analyze, _resolver(planned.api), links)
            start = time.perf_counter()
            for item in planned.api.objects:
                analyzer.analyze(item)
            times[with_stages].append(time.perf_counter() - start)
    use(STAGES)
    return min(times[False]), min(times[True])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", default=["rich", "httpx", "requests"])
    parser.add_argument("--venv", type=Path, default=Path("/work/bench-venv"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    logging.getLogger("griffe").setLevel(logging.ERROR)
    where = site_packages(args.venv)
    print(f"{'package':10} {'without':>8} {'with':>8} {'added':>7} {'ratio':>6}")
    for package in args.packages:
        without, with_stages = measure(package, where, args.rounds)
        print(
            f"{package:10} {without:7.2f}s {with_stages:7.2f}s "
            f"{with_stages - without:6.2f}s {with_stages / without:6.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
