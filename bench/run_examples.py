"""Run every Usage Example of real packages as a reader would: pasted into a fresh interpreter.

For each package, the pages are generated in-process (as `bench/realworld.py` does), and the
code block of each page's Usage Example is run with the packages' venv Python, each in its own
subprocess, in a scratch folder, stdin closed, under a timeout. Counted per package: examples
that exit 0, that hold a `...` placeholder, that pass hollow values (a parameter's name as its
string value, an empty container, `print` as a callback: `realworld.hollow_values`), and the
most common exceptions of the rest.

    .venv/bin/python bench/run_examples.py --venv /work/bench-venv rich click attrs

Examples that need the network or a terminal fail here as they would for a reader offline;
pick pure-Python packages for the exit-0 rate. A doctest session that fails as a script is
run as the session it is (`python -m doctest`): it passes when its output is the one it
shows, so one showing the exception it expects (`Version("invalid")` → `InvalidVersion`)
passes, and one whose statements raise where it shows none fails.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import realworld


def run(python: Path, code: str, timeout: float, session: str = "") -> tuple[bool, str]:
    """Exit 0 or not, and the exception's name (last line of stderr) when not. A doctest
    session (`session`) runs as one, with `python -m doctest`: its output is part of it
    (a session showing the traceback it expects passes, one whose output differs fails)."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [str(python), "-c", code]
        if session:
            (Path(scratch) / "example.txt").write_text(session, encoding="utf-8")
            command = [str(python), "-m", "doctest", "example.txt"]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                cwd=scratch,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False, "timeout"
    if done.returncode == 0:
        return True, ""
    if session:
        got = re.search(r"^(\w[\w.]*(?:Error|Exception)\w*)", done.stdout, re.M)
        return False, f"doctest: {got.group(1) if got else 'output differs'}"
    last = (done.stderr.strip().splitlines() or ["exit code"])[-1]
    return False, last.split(":", 1)[0][:60]


def has_placeholder(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return "..." in code
    return any(isinstance(n, ast.Constant) and n.value is Ellipsis for n in ast.walk(tree))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="+")
    parser.add_argument("--venv", type=Path, default=realworld.DEFAULT_VENV)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--show", type=int, default=0, help="failing examples printed")
    args = parser.parse_args(argv)
    python = args.venv / "bin" / "python"
    search_path = realworld.site_packages(args.venv)
    rows = []
    for spec in args.packages:
        packages = tuple(name for name in spec.split(",") if name)
        result = realworld.Result(spec)
        site, error, _ = realworld.generate(packages, search_path)
        if site is None:
            print(f"{spec}: generate failed: {error}")
            continue
        realworld.check_site(site, realworld.Expected(), result)
        errors: Counter[str] = Counter()
        ok = placeholders = hollow = 0
        shown = 0
        for example in result.examples:
            code = example["code"]
            placeholders += has_placeholder(code)
            hollow += bool(realworld.hollow_values(code))
            passed, error_name = run(python, code, args.timeout)
            if not passed and example.get("doctest"):
                # a session showing the exception it expects: run as the doctest it is
                passed, error_name = run(python, code, args.timeout, example["doctest"])
            ok += passed
            if not passed:
                errors[error_name] += 1
                if shown < args.show:
                    shown += 1
                    print(f"--- {example['id']}: {error_name}\n{code}")
        total = len(result.examples) or 1
        rows.append((spec, len(result.examples), ok, placeholders, hollow))
        print(
            f"{spec}: {len(result.examples)} examples, exit 0: {ok} ({100 * ok / total:.0f}%), "
            f"'...' placeholder: {placeholders} ({100 * placeholders / total:.0f}%), "
            f"hollow values: {hollow} ({100 * hollow / total:.0f}%); "
            f"failures: {dict(errors.most_common(6))}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
