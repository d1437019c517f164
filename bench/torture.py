"""Torture run: document 30+ standard-library packages in one build (issue 6).

Checks, for one `generate_site` over the stdlib folder (the plugin's pipeline without MkDocs),
then optionally a real `mkdocs build`:

1. zero exceptions;
2. every public class and function has a page: each one the plugin selected (`load_api`) maps
   to a generated page, and every public definition of every documented module is selected;
3. every generated usage example parses (`ast.parse`; doctest examples through `doctest`).

    .venv/bin/python bench/torture.py            # generate + checks
    .venv/bin/python bench/torture.py --build    # also a full `mkdocs build` (minutes)

`tests/test_torture.py` runs the same checks (marked `torture`).
"""

from __future__ import annotations

import argparse
import ast
import doctest
import logging
import re
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
import warnings
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.generate import GeneratedSite, SiteOptions, generate_site
from mkdocs_howto.guards import under_main_guard
from mkdocs_howto.load import DEFAULT_EXCLUDE, LoadOptions, load_api
from mkdocs_howto.render import RenderOptions

STDLIB = Path(sysconfig.get_paths()["stdlib"])
PACKAGES = (
    "asyncio",
    "collections",
    "concurrent",
    "ctypes",
    "curses",
    "dbm",
    "email",
    "encodings",
    "html",
    "http",
    "importlib",
    "json",
    "logging",
    "multiprocessing",
    "pydoc_data",
    "re",
    "sqlite3",
    "tomllib",
    "unittest",
    "urllib",
    "wsgiref",
    "xml",
    "xmlrpc",
    "zoneinfo",
    "argparse",
    "dataclasses",
    "functools",
    "pathlib",
    "shutil",
    "subprocess",
    "typing",
    "zipfile",
    "tarfile",
    "csv",
    "datetime",
    "enum",
    "inspect",
    "string",
    "textwrap",
)
_EXAMPLE = re.compile(r"^## Usage Example\b.*?^(`{3,})(\S*)\n(.*?)^\1$", re.M | re.S)


@dataclass
class Report:
    packages: int = 0
    objects: int = 0
    pages: int = 0
    examples: int = 0
    seconds: float = 0.0
    problems: int = 0
    missing: list[str] = field(default_factory=list)
    unparsable: list[str] = field(default_factory=list)


def options(packages: tuple[str, ...] = PACKAGES) -> SiteOptions:
    return SiteOptions(
        load=LoadOptions(packages=packages, paths=(STDLIB,)),
        analyze=AnalyzeOptions(packages=frozenset(packages)),
        render=RenderOptions(),
    )


def example_code(markdown: str) -> tuple[str, str] | None:
    match = _EXAMPLE.search(markdown)
    if match is None:
        return None
    language, code = match.group(2), match.group(3)
    if language == "pycon" or code.lstrip().startswith(">>>"):
        code = "".join(example.source for example in doctest.DocTestParser().get_examples(code))
    return language, code


def check(site: GeneratedSite, packages: tuple[str, ...]) -> Report:
    report = Report(packages=len(packages), pages=len(site.pages), problems=len(site.problems))
    api = load_api(options(packages).load)
    selected = {item.public_path for item in api.objects}
    report.objects = len(selected)
    report.missing += sorted(path for path in selected if path not in site.plan.object_pages)
    for module in api.modules:
        exports = module.module.exports
        names = None if exports is None else {str(getattr(e, "name", e)) for e in exports}
        for name, member in module.module.members.items():
            if member.is_alias or not (member.is_class or member.is_function):
                continue
            public = (names is not None and name in names) or (names is None and name[0] != "_")
            path = f"{module.path}.{name}"
            excluded = any(fnmatchcase(path, pattern) for pattern in DEFAULT_EXCLUDE)
            demo = under_main_guard(module.module, member)  # type: ignore[arg-type]
            if (
                public
                and not name.startswith("_")
                and not excluded
                and not demo
                and (path not in selected)
            ):
                report.missing.append(path)
    for path, uri in site.plan.object_pages.items():
        found = example_code(site.pages[uri])
        if found is None:
            continue
        report.examples += 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(found[1])
        except SyntaxError as error:
            report.unparsable.append(f"{path}: {error.msg}")
    return report


def run(packages: tuple[str, ...] = PACKAGES) -> Report:
    logging.getLogger("griffe").setLevel(logging.ERROR)
    start = time.perf_counter()
    site = generate_site(options(packages))
    seconds = time.perf_counter() - start
    report = check(site, packages)
    report.seconds = seconds
    return report


def build(packages: tuple[str, ...] = PACKAGES) -> tuple[int, float, str]:
    """A real `mkdocs build` of the same packages: (return code, seconds, output tail)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "docs").mkdir()
        (root / "docs" / "index.md").write_text("# stdlib\n", "utf-8")
        (root / "mkdocs.yml").write_text(
            textwrap.dedent(
                f"""\
                site_name: stdlib torture
                theme: {{name: material, features: [navigation.prune]}}
                plugins:
                  - howto:
                      packages: [{", ".join(packages)}]
                      paths: ["{STDLIB}"]
                """
            ),
            "utf-8",
        )
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
            capture_output=True,
            text=True,
        )
        output = proc.stdout + proc.stderr
        return proc.returncode, time.perf_counter() - start, "\n".join(output.splitlines()[-15:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", action="store_true", help="also run a real mkdocs build")
    args = parser.parse_args()
    report = run()
    print(
        f"{report.packages} stdlib packages: {report.objects} public objects, {report.pages} "
        f"pages, {report.examples} examples, {report.problems} warnings, "
        f"{report.seconds:.1f} s; missing pages: {len(report.missing)}, "
        f"unparsable examples: {len(report.unparsable)}"
    )
    for line in report.missing[:20] + report.unparsable[:20]:
        print(f"  - {line}")
    if args.build:
        code, seconds, tail = build()
        print(f"mkdocs build: exit {code} in {seconds:.1f} s\n{tail}")
    return 1 if report.missing or report.unparsable else 0


if __name__ == "__main__":
    sys.exit(main())
