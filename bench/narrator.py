"""Narrator throughput over stdlib packages, and its share of a full demo build.

Run: `.venv/bin/python bench/narrator.py` (printed, never asserted; machines are noisy).
"""

from __future__ import annotations

import ast
import statistics
import sys
import sysconfig
import time
from pathlib import Path

from mkdocs_howto.analyze.phases import shape_steps
from mkdocs_howto.analyze.steps import StepNarrator, comment_lines

PACKAGES = ("asyncio", "email", "http", "json", "logging", "concurrent", "urllib", "xml")
ROUNDS = 5


def definitions() -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, dict[int, str]]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    found = []
    for package in PACKAGES:
        for path in sorted((stdlib / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8", errors="replace")
            tree = ast.parse(source)
            comments = comment_lines(source, 1)
            found += [
                (node, comments)
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    return found


def narrate_all(defs: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, dict[int, str]]]) -> int:
    steps = 0
    for node, comments in defs:
        steps += len(shape_steps(StepNarrator(comments).narrate(node.body)))
    return steps


def main() -> None:
    defs = definitions()
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        steps = narrate_all(defs)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(f"python {sys.version.split()[0]}, packages: {', '.join(PACKAGES)}")
    print(f"functions narrated: {len(defs)}, top-level steps: {steps}")
    print(f"median of {ROUNDS} rounds: {median:.3f} s -> {len(defs) / median:,.0f} functions/s")


if __name__ == "__main__":
    main()
