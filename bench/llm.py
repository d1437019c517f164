"""The model writer's cost (issue 18), against tests/llm_server.py answering after 1 s.

1. N objects at concurrency C: the writer's time (from its summary line) against N/C
   seconds, the floor a server with 1 s latency allows.
2. A fully cached rebuild (`writer: llm`, every answer in the cache, no server running)
   against a static build of the same package: `mkdocs build` wall time, rounds alternated,
   medians; target at most 1.05x.

    .venv/bin/python bench/llm.py                    # N=24, C=4 and 8, 5 rounds
    .venv/bin/python bench/llm.py --objects 40 --concurrency 4 10 --rounds 7

Timings on a shared machine move with its load: read them with bench/RESULTS.md's notes.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from llm_server import ModelServer, Reply, echo_answer  # noqa: E402

MKDOCS = str(Path(sys.executable).parent / "mkdocs")
SUMMARY = re.compile(r"prose by bench-model: (\d+) model calls, (\d+) cached, .*?, ([\d.]+) s")


def write_package(root: Path, count: int) -> None:
    """`count` functions of a few statements each, in modules of ten."""
    package = root / "src" / "benchpkg"
    package.mkdir(parents=True)
    names = []
    for module in range(0, count, 10):
        lines = []
        for number in range(module, min(module + 10, count)):
            names.append((f"m{module // 10}", f"step_{number}"))
            lines += [
                f"def step_{number}(values: list[int], scale: int = {number + 1}) -> int:",
                f'    """Scale and sum `values` ({number})."""',
                "    total = 0",
                "    for value in values:",
                "        total += value * scale",
                "    return total",
                "",
                "",
            ]
        (package / f"m{module // 10}.py").write_text("\n".join(lines), encoding="utf-8")
    imports = [f"from benchpkg.{module} import {name}" for module, name in names]
    exported = ", ".join(repr(name) for _, name in names)
    (package / "__init__.py").write_text(
        '"""Bench package."""\n\n' + "\n".join(imports) + f"\n\n__all__ = [{exported}]\n",
        encoding="utf-8",
    )
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Bench\n", encoding="utf-8")


def configure(root: Path, writer: str, url: str, concurrency: int) -> None:
    howto: dict[str, object] = {"packages": ["benchpkg"], "writer": writer}
    if writer == "llm":
        howto["llm"] = {
            "model": "bench-model",
            "base_url": url,
            "concurrency": concurrency,
            "timeout": 30,
            "cache_dir": "answers",
        }
    config = {"site_name": "Bench", "theme": {"name": "material"}, "plugins": [{"howto": howto}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def build(root: Path) -> tuple[float, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "OPENAI_API_KEY": "bench"}
    start = time.perf_counter()
    done = subprocess.run(
        [MKDOCS, "build", "--strict"], cwd=root, env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return took, done.stderr


def concurrency_run(count: int, concurrency: int) -> None:
    server = ModelServer(lambda body, n: Reply(echo_answer(body), delay=1.0))
    with tempfile.TemporaryDirectory() as folder, server.running():
        root = Path(folder)
        write_package(root, count)
        configure(root, "llm", server.url, concurrency)
        wall, log = build(root)
        found = SUMMARY.search(log)
        assert found, log
        calls, seconds = int(found.group(1)), float(found.group(3))
        floor = count / concurrency
        print(
            f"N={count} C={concurrency}: {calls} calls, writer {seconds:.2f} s, "
            f"N/C = {floor:.2f} s, ratio {seconds / floor:.3f} (whole build {wall:.2f} s)"
        )


def cached_run(count: int, rounds: int) -> None:
    server = ModelServer(lambda body, n: Reply(echo_answer(body)))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_package(root, count)
        with server.running():
            configure(root, "llm", server.url, 8)
            build(root)  # fills the cache
        asked = len(server.requests)
        times: dict[str, list[float]] = {"static": [], "llm": []}
        for _ in range(rounds):
            for writer in ("static", "llm"):  # alternated: drift hits both alike
                configure(root, writer, "http://127.0.0.1:9/v1", 8)
                took, log = build(root)
                if writer == "llm":
                    assert f"0 model calls, {count} cached" in log, log
                times[writer].append(took)
        assert len(server.requests) == asked  # the rebuilds asked nothing
        static, llm = (statistics.median(times[w]) for w in ("static", "llm"))
        print(
            f"N={count} cached rebuild: static {static:.3f} s, llm (all cached) {llm:.3f} s, "
            f"ratio {llm / static:.3f} (medians of {rounds}; "
            f"static {min(times['static']):.3f}-{max(times['static']):.3f}, "
            f"llm {min(times['llm']):.3f}-{max(times['llm']):.3f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--objects", type=int, default=24)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 8])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores")
    for concurrency in args.concurrency:
        concurrency_run(args.objects, concurrency)
    cached_run(args.objects, args.rounds)


if __name__ == "__main__":
    main()
