"""Benchmark mkdocs-howto against real third-party packages installed from PyPI.

For each package this script:

1. writes a tiny site in ``bench/.work/<pkg>/`` (Material theme, plugins ``search`` and
   ``howto: {packages: [<pkg>], paths: [<site-packages>]}``);
2. runs ``mkdocs build`` (not strict), then ``mkdocs build --strict``, timing both and
   collecting WARNING lines and tracebacks;
3. calls ``mkdocs_howto.generate.generate_site`` in-process for the Markdown of every page;
4. computes the expected public classes and functions independently with Griffe (public
   modules, ``__all__`` respected, private names and modules skipped, re-exports from private
   modules counted; the other top-level packages of the same distribution, such as ``attr``
   for ``attrs``, loaded first so that their re-exports count) and compares them with the
   generated pages and the built HTML files: ``coverage`` is the share of expected objects
   that got a page;
5. parses the code block after "## Usage Example" of every page with ``ast.parse``.

Run it with the plugin's venv; the packages live in a separate venv (``--install`` creates it):

    .venv/bin/python bench/realworld.py --install requests httpx click attrs rich
    .venv/bin/python bench/realworld.py                       # the default package list
    .venv/bin/python bench/realworld.py --no-strict sqlalchemy  # skip the strict build
    .venv/bin/python bench/realworld.py attr,attrs              # two packages, one site
    .venv/bin/python bench/realworld.py --option nav_depth=modules \
        --feature navigation.prune networkx                  # big-API settings

``--option`` / ``--feature`` apply to the MkDocs builds only; the in-process page check uses
the plugin's defaults.

Stdlib + the plugin (and Griffe, its dependency) only. Results also go to
``bench/.work/report.json``.
"""

from __future__ import annotations

import argparse
import ast
import doctest
import json
import logging
import os
import re
import subprocess
import sys
import textwrap
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import griffe

from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.generate import SiteOptions, generate_site
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.render import RenderOptions

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
DEFAULT_VENV = WORK / "venv"
DEFAULT_PACKAGES = (
    "requests",
    "httpx",
    "click",
    "attrs",  # its API is re-exported from `attr`, shipped in the same wheel (a sibling)
    "rich",
    "jinja2",
    "pydantic",
    "aiohttp",
    "networkx",
    "sqlalchemy",
)
#: Import name -> PyPI distribution, where they differ.
DISTRIBUTIONS = {"jinja2": "Jinja2", "attr": "attrs", "yaml": "PyYAML", "sqlalchemy": "SQLAlchemy"}
#: Optional dependencies of the default subjects, installed with them.
OPTIONAL_DEPENDENCIES = ("mypy", "pytest", "numpy", "pandas", "scipy", "greenlet")
#: Same meaning as the plugin's default `exclude`, restated here so the check is independent.
TEST_MODULES = ("tests", "test", "conftest")


# --------------------------------------------------------------------------- environment


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages")) + sorted(venv.glob("Lib/site-packages"))
    if not found:
        raise SystemExit(f"no site-packages under {venv}: create it with --install")
    return found[0]


def plugin_revision() -> str:
    """The plugin checkout's commit, marked dirty when its sources have local edits."""
    root = HERE.parent

    def git(*args: str) -> str:
        proc = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
        return proc.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "mkdocs_howto")
    return f"{commit}{' (dirty)' if dirty else ''}"


def install(venv: Path, packages: list[str]) -> None:
    if not (venv / "bin" / "python").exists() and not (venv / "Scripts").exists():
        print(f"creating {venv}", flush=True)
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    dists = [DISTRIBUTIONS.get(n, n) for spec in packages for n in spec.split(",")]
    # what the subjects' optional modules and docstring examples import (pydantic.mypy,
    # aiohttp.pytest_plugin, networkx's numpy/pandas/scipy examples): installed so that the
    # example check runs every import, as a user with the extras would
    dists += [extra for extra in OPTIONAL_DEPENDENCIES if extra not in dists]
    print(f"pip install {' '.join(dists)}", flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *dists], check=True)


# --------------------------------------------------------------------------- expected API


@dataclass
class Expected:
    """Canonical path -> every public path it can be imported from, and why it counts."""

    public_paths: dict[str, set[str]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)
    test_modules: list[str] = field(default_factory=list)
    """`test_*` modules skipped as tests though they sit outside a tests package."""
    optional_paths: set[str] = field(default_factory=set)
    """Plain imports (no `__all__`) of objects not public elsewhere: a page is fine, not due."""
    siblings: list[str] = field(default_factory=list)
    """Other top-level packages of the same distribution, loaded first."""


def _private_module(path: str) -> bool:
    parts = path.split(".")
    return any(part.startswith("_") for part in parts[1:]) or any(
        part in TEST_MODULES or part.startswith("test_") for part in parts[1:]
    )


def _helper_like_test_module(module: griffe.Module) -> bool:
    """A `test_*` module outside any tests package: maybe a public helper (`test_utils`)."""
    parts = module.path.split(".")
    return (
        parts[-1].startswith("test_")
        and not any(part in TEST_MODULES or part.startswith("_") for part in parts[1:])
        and not any(part.startswith("test_") for part in parts[1:-1])
    )


def _clauses(test: ast.expr) -> list[ast.expr]:
    """`a and b` → [a, b]: a main guard may be one clause of a longer condition."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return [clause for value in test.values for clause in _clauses(value)]
    return [test]


def _is_main_test(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def _module_source_facts(module: griffe.Module) -> tuple[set[str], list[tuple[int, int]]]:
    """Names re-exported as `from m import X as X`, and the line spans of main guards."""
    filepath = module.filepath
    if not isinstance(filepath, Path) or not filepath.exists():
        return set(), []
    try:
        tree = ast.parse(filepath.read_bytes())
    except (SyntaxError, ValueError):
        return set(), []
    redundant = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname is not None and alias.asname == alias.name.rsplit(".", 1)[-1]
    }
    guards = [
        (node.lineno, node.end_lineno or node.lineno)
        for node in tree.body
        if isinstance(node, ast.If) and any(_is_main_test(test) for test in _clauses(node.test))
    ]
    return redundant, guards


def distribution_siblings(package: str, search_path: Path) -> list[str]:
    """The other top-level packages the distribution shipping `package` installs
    (`attrs` → `attr`), read from its `RECORD`: loaded for resolution, and names the package
    exports from them are expected."""
    top = package.split(".", maxsplit=1)[0]
    for record in sorted(search_path.glob("*.dist-info/RECORD")):
        names = set()
        for line in record.read_text("utf-8").splitlines():
            first = line.split(",", 1)[0].split("/", 1)[0]
            if not first.endswith((".dist-info", ".data", ".pth")) and first not in ("..", ""):
                names.add(first.removesuffix(".py").removesuffix(".pyi"))
        if top in names:
            names.discard("__pycache__")
            return sorted(
                name
                for name in names - {top}
                if (search_path / name / "__init__.py").is_file()
                or (search_path / f"{name}.py").is_file()
            )
    return []


def _load(loader: griffe.GriffeLoader, package: str) -> griffe.Module:
    """Load `package`; when merging its stubs needs another package (attrs → attr), load that
    one first, for resolution only."""
    for _ in range(10):
        try:
            return loader.load(package)  # type: ignore[return-value]
        except griffe.AliasResolutionError as error:
            other = str(error.alias.target_path).split(".")[0]
            if other in loader.modules_collection or other == package.split(".", maxsplit=1)[0]:
                raise
            loader.load(other)
    raise RuntimeError(f"{package}: too many dependencies to load")


def expected_api(packages: tuple[str, ...], search_path: Path) -> Expected:  # noqa: PLR0915
    """Every class / function reachable through a public name of a public module.

    A module with `__all__` exports exactly those names. A module without one exports its
    public definitions, plus imports written `from m import X as X` (the PEP 484 explicit
    re-export) and imports from private modules. Definitions under `if __name__ == ...`
    are demo code, not API. Other plain imports are accepted as alternative public paths but
    do not make an object expected on their own.
    """
    loader = griffe.GriffeLoader(search_paths=[str(search_path)], allow_inspection=False)
    heads = {package.split(".")[0] for package in packages}
    siblings = {s for p in packages for s in distribution_siblings(p, search_path)} - heads
    for sibling in sorted(siblings):  # first, as the plugin does: their aliases resolve
        if sibling not in loader.modules_collection:
            _load(loader, sibling)
    roots = [_load(loader, package) for package in packages]
    loader.resolve_aliases(implicit=False, external=False)
    result = Expected(siblings=sorted(siblings))
    heads |= siblings
    optional: dict[str, set[str]] = {}

    def add(canonical: str, public: str, reason: str) -> None:
        result.public_paths.setdefault(canonical, set()).add(public)
        # keep the strongest reason: a definition beats a re-export
        if canonical not in result.reasons or reason == "defined":
            result.reasons[canonical] = reason

    def walk(module: griffe.Module) -> None:
        exports = module.exports
        names = None if exports is None else {str(getattr(e, "name", e)) for e in exports}
        redundant, guards = _module_source_facts(module)
        for name, member in list(module.members.items()):
            if not member.is_alias and member.is_module:
                if not _private_module(member.path):
                    walk(member)  # type: ignore[arg-type]
                elif _helper_like_test_module(member):  # type: ignore[arg-type]
                    defined = sum(
                        1
                        for m in member.members.values()
                        if not m.is_alias
                        and isinstance(m, griffe.Class | griffe.Function)
                        and not m.name.startswith("_")
                    )
                    result.test_modules.append(f"{member.path} ({defined} public definitions)")
                continue
            if name.startswith("_") or (names is not None and name not in names):
                continue
            public = f"{module.path}.{name}"
            if member.is_alias:
                target_path = member.target_path  # type: ignore[union-attr]
                if target_path.split(".")[0] not in heads:
                    continue
                try:
                    target = member.final_target  # type: ignore[union-attr]
                except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                    if names is not None:
                        result.unresolved.append(f"{public} -> {target_path}")
                    continue
                if not isinstance(target, griffe.Class | griffe.Function):
                    continue
                if target.parent is None or not target.parent.is_module:
                    continue
                home = target.parent.path
                sibling = home.split(".")[0] in siblings
                if sibling and names is None and not module.is_init_module:
                    continue  # a plain import from a sibling, outside an `__init__`
                if names is not None:
                    add(target.path, public, "in __all__")
                elif _private_module(home) or sibling:
                    add(target.path, public, "re-exported from private module or sibling")
                elif name in redundant:
                    add(target.path, public, "explicit re-export (X as X, no __all__)")
                else:
                    optional.setdefault(target.path, set()).add(public)
            elif isinstance(member, griffe.Class | griffe.Function):
                lineno = member.lineno or 0
                if any(start <= lineno <= end for start, end in guards):
                    continue  # `if __name__ == "__main__":` demo code
                add(member.path, public, "defined")

    for root in roots:
        walk(root)  # type: ignore[arg-type]
    for canonical, publics in optional.items():
        if canonical in result.public_paths:
            result.public_paths[canonical] |= publics
        else:
            result.optional_paths |= publics
    return result


# --------------------------------------------------------------------------- generation


def generate(
    packages: tuple[str, ...], search_path: Path
) -> tuple[object | None, str | None, float]:
    """The plugin's pipeline in-process, with the options the plugin uses by default."""
    start = time.perf_counter()
    try:
        site = generate_site(
            SiteOptions(
                load=LoadOptions(packages=packages, paths=(search_path,)),
                analyze=AnalyzeOptions(packages=frozenset(p.split(".")[0] for p in packages)),
                render=RenderOptions(),
            )
        )
    except Exception:
        return None, traceback.format_exc(), time.perf_counter() - start
    return site, None, time.perf_counter() - start


_EXAMPLE_HEADING = re.compile(r"^## Usage Example\b.*$", re.M)
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})\s*(\{[^}]*\}|[\w+-]*)\s*$")


def usage_example(markdown: str) -> tuple[str, str] | None:
    """(language, code) of the first fenced block after the Usage Example heading."""
    heading = _EXAMPLE_HEADING.search(markdown)
    if heading is None:
        return None
    lines = markdown[heading.end() :].splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## "):
            return None
        match = _FENCE_OPEN.match(line)
        if match is None:
            continue
        fence, info = match.group(1), match.group(2)
        language = info.strip("{} .").split()[0] if info.strip("{} .") else ""
        body = []
        for inner in lines[i + 1 :]:
            if inner.strip().startswith(fence[0] * len(fence)) and not inner.strip().strip(
                fence[0]
            ):
                return language, "\n".join(body)
            body.append(inner)
        return language, "\n".join(body) + "\n<<unclosed fence>>"
    return None


def example_source(language: str, code: str) -> str:
    if language == "pycon" or code.lstrip().startswith(">>>"):
        examples = doctest.DocTestParser().get_examples(code)
        return "\n".join(example.source for example in examples)
    return code


def unclosed_fences(markdown: str) -> int:
    """Fences still open at the end of the page (outside front matter)."""
    open_fence: str | None = None
    for line in markdown.splitlines():
        match = re.match(r"^\s*(`{3,}|~{3,})", line)
        if not match:
            continue
        marker = match.group(1)
        if open_fence is None:
            open_fence = marker
        elif marker[0] == open_fence[0] and len(marker) >= len(open_fence):
            rest = line.strip()[len(marker) :].strip()
            if not rest:
                open_fence = None
    return 0 if open_fence is None else 1


# --------------------------------------------------------------------------- MkDocs builds


@dataclass
class Build:
    strict: bool
    returncode: int
    seconds: float
    warnings: list[str]
    tracebacks: int
    tail: str


def write_site(
    packages: tuple[str, ...],
    search_path: Path,
    plugin_options: dict[str, object] | None = None,
    features: tuple[str, ...] = (),
) -> Path:
    root = WORK / "+".join(packages)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text(f"# {packages[0]}\n\nBenchmark site.\n", "utf-8")
    config = {
        "site_name": f"{' + '.join(packages)} how-to benchmark",
        "theme": {"name": "material", **({"features": list(features)} if features else {})},
        "plugins": [
            "search",
            {
                "howto": {
                    "packages": list(packages),
                    "paths": [str(search_path)],
                    **(plugin_options or {}),
                }
            },
        ],
    }
    # JSON is valid YAML: no PyYAML needed
    (root / "mkdocs.yml").write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    return root


def mkdocs_build(root: Path, strict: bool) -> Build:
    site_dir = root / ("site-strict" if strict else "site")
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")]
    command += ["-d", str(site_dir), "--clean"] + (["--strict"] if strict else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "default"}
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    output = proc.stdout + proc.stderr
    warnings = [line for line in output.splitlines() if line.startswith("WARNING")]
    tracebacks = output.count("Traceback (most recent call last)")
    tail = "\n".join(output.strip().splitlines()[-25:])
    return Build(strict, proc.returncode, seconds, warnings, tracebacks, tail)


def warning_kind(line: str) -> str:
    """A warning with paths, numbers and quoted names blanked: for grouping."""
    text = re.sub(r"^WARNING\s*-\s*", "", line)
    text = re.sub(r"\S+\.pyi?:\d+:\s*", "<file>: ", text)
    text = re.sub(r"'[^']*'|`[^`]*`|\"[^\"]*\"", "<x>", text)
    text = re.sub(r"\d+", "N", text)
    return text[:150]


# --------------------------------------------------------------------------- one package


@dataclass
class Result:
    package: str
    expected: int = 0
    pages: int = 0
    index_pages: int = 0
    missing: list[str] = field(default_factory=list)
    missing_reasons: dict[str, int] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    html_missing: list[str] = field(default_factory=list)
    examples_ok: int = 0
    examples_failed: list[str] = field(default_factory=list)
    examples_missing: list[str] = field(default_factory=list)
    example_origins: dict[str, int] = field(default_factory=dict)
    badge_failed: int = 0
    placeholders: int = 0
    hollow: dict[str, list[str]] = field(default_factory=dict)
    """Examples passing hollow values, by kind: `name-as-value`, `empty-container`,
    `builtin-callback` (see `hollow_values`)."""
    unclosed: list[str] = field(default_factory=list)
    unresolved_exports: list[str] = field(default_factory=list)
    test_modules: list[str] = field(default_factory=list)
    generate_error: str | None = None
    expected_error: str | None = None
    generate_seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    builds: list[Build] = field(default_factory=list)
    warning_kinds: dict[str, int] = field(default_factory=dict)
    examples: list[dict[str, str]] = field(default_factory=list, repr=False)
    imports_failed: list[str] = field(default_factory=list)
    calls_failed: list[str] = field(default_factory=list)
    calls_checked: int = 0
    calls_unchecked: int = 0
    siblings: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float | None:
        """Expected public classes and functions that got a page, as a share."""
        if not self.expected or self.generate_error:
            return None
        return (self.expected - len(self.missing)) / self.expected


def run_package(
    spec: str,
    search_path: Path,
    *,
    strict: bool,
    plugin_options: dict[str, object] | None = None,
    features: tuple[str, ...] = (),
    python: Path | None = None,
    with_builds: bool = True,
) -> Result:
    """`spec` is an import name, or several joined by commas to document them in one site."""
    packages = tuple(name.strip() for name in spec.split(",") if name.strip())
    result = Result(spec)
    print(f"\n=== {spec}", flush=True)

    try:
        expected = expected_api(packages, search_path)
    except Exception as error:
        print(f"  independent Griffe load failed: {type(error).__name__}: {error}", flush=True)
        expected = Expected()
        result.expected_error = f"{type(error).__name__}: {error}"
    result.expected = len(expected.public_paths)
    result.siblings = expected.siblings
    result.unresolved_exports = expected.unresolved
    result.test_modules = expected.test_modules

    site, error, seconds = generate(packages, search_path)
    result.generate_seconds = seconds
    if error is not None:
        result.generate_error = error
        print(error, flush=True)
    elif site is not None:
        check_site(site, expected, result)

    if python is not None and result.examples:
        probe_examples(python, result)
    if not with_builds:
        return result
    root = write_site(packages, search_path, plugin_options, features)
    builds = [mkdocs_build(root, strict=False)]
    if strict:
        builds.append(mkdocs_build(root, strict=True))
    result.builds = builds
    kinds = Counter(warning_kind(line) for line in builds[0].warnings)
    result.warning_kinds = dict(kinds.most_common())
    if site is not None:
        result.html_missing = [
            uri
            for uri in site.plan.object_pages.values()  # type: ignore[attr-defined]
            if not (root / "site" / (uri[: -len(".md")] + "/index.html")).exists()
        ]
    for build in builds:
        label = "strict" if build.strict else "build"
        print(
            f"  {label}: rc={build.returncode} {build.seconds:.1f}s "
            f"warnings={len(build.warnings)} tracebacks={build.tracebacks}",
            flush=True,
        )
    return result


def probe_examples(python: Path, result: Result) -> None:
    """Import each example's imports and bind its calls in the packages' own venv."""
    payload = WORK / f"examples-{result.package.replace(',', '+')}.json"
    payload.write_text(json.dumps(result.examples), "utf-8")
    done = subprocess.run(
        [str(python), str(HERE / "probe_examples.py"), str(payload)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        result.imports_failed.append(f"probe crashed: {done.stderr[-2000:]}")
        return
    for item in json.loads(done.stdout):
        result.imports_failed += [f"{item['id']}: {e}" for e in item["imports"]]
        result.calls_failed += [f"{item['id']}: {e}" for e in item["calls"]]
        result.calls_checked += item["checked"]
        result.calls_unchecked += item.get("unchecked", 0)
    print(
        f"  examples probed at run time: {len(result.imports_failed)} import failures, "
        f"{len(result.calls_failed)} call failures, {result.calls_checked} calls bound, "
        f"{result.calls_unchecked} not checkable",
        flush=True,
    )


def check_site(site: object, expected: Expected, result: Result) -> None:
    object_pages: dict[str, str] = site.plan.object_pages  # type: ignore[attr-defined]
    pages: dict[str, str] = site.pages  # type: ignore[attr-defined]
    result.pages = len(object_pages)
    result.index_pages = len(site.plan.index_pages)  # type: ignore[attr-defined]
    result.stage_seconds = dict(site.timings)  # type: ignore[attr-defined]

    owner = {p: c for c, paths in expected.public_paths.items() for p in paths}
    documented: Counter[str] = Counter()
    for public in object_pages:
        canonical = owner.get(public)
        if canonical is None:
            if public not in expected.optional_paths:
                result.extra.append(public)
        else:
            documented[canonical] += 1
    result.duplicates = sorted(c for c, n in documented.items() if n > 1)
    missing = sorted(c for c in expected.public_paths if c not in documented)
    result.missing = [f"{c} (as {min(expected.public_paths[c])})" for c in missing]
    result.missing_reasons = dict(Counter(expected.reasons[c] for c in missing))

    origins: Counter[str] = Counter()
    for public, uri in object_pages.items():
        markdown = pages[uri]
        if unclosed_fences(markdown):
            result.unclosed.append(public)
        origin = re.search(r"howto-badge--(docstring|signature)", markdown)
        origins[origin.group(1) if origin else "?"] += 1
        if "howto-badge--failed" in markdown:
            result.badge_failed += 1
        found = usage_example(markdown)
        if found is None:
            result.examples_missing.append(public)
            continue
        language, code = found
        if "howto-badge--placeholder" in markdown or (
            origin and origin.group(1) == "signature" and "..." in code
        ):
            result.placeholders += 1
        try:
            ast.parse(example_source(language, code))
        except SyntaxError as error:
            where = origin.group(1) if origin else "?"
            result.examples_failed.append(f"{public} [{where}, {language}]: {error.msg}")
        else:
            result.examples_ok += 1
            where = origin.group(1) if origin else "?"
            session = code if language == "pycon" or code.lstrip().startswith(">>>") else ""
            code = example_source(language, code)
            result.examples.append({"id": f"{public} [{where}]", "code": code, "doctest": session})
            for kind in hollow_values(code):
                result.hollow.setdefault(kind, []).append(public)
    result.example_origins = dict(origins)


#: Builtins that are no honest callback for a package's function (`predicate=print`).
_UNRELATED_BUILTINS = {"print", "input", "repr", "id", "type", "str", "len", "sum"}


def hollow_values(code: str) -> set[str]:
    """Kinds of hollow argument values in an example: a parameter's own name as its string
    value (`parse(color="color")`), an empty container (`[]`, `{}`, `[{}]`, `set()`), an
    unrelated builtin passed as a callback (`predicate=print`)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    kinds = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for arg in node.keywords:
            value = arg.value
            if isinstance(value, ast.Constant) and value.value == arg.arg:
                kinds.add("name-as-value")
            elif _empty_container(value):
                kinds.add("empty-container")
            elif isinstance(value, ast.Name) and value.id in _UNRELATED_BUILTINS:
                kinds.add("builtin-callback")
    return kinds


def _empty_container(node: ast.expr) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return not node.elts or all(_empty_container(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return not node.keys
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("set", "frozenset", "list", "dict", "tuple")
        and not node.args
        and not node.keywords
    )


# --------------------------------------------------------------------------- report


def print_table(results: list[Result]) -> None:
    header = (
        "package",
        "siblings",
        "expected",
        "pages",
        "coverage",
        "missing",
        "extra",
        "ex ok",
        "ex fail",
        "badge fail",
        "import fail",
        "call fail",
        "calls bound",
        "warnings",
        "strict rc",
        "build s",
        "strict s",
        "gen s",
    )
    rows = []
    for r in results:
        build = r.builds[0] if r.builds else None
        strict = r.builds[1] if len(r.builds) > 1 else None
        rows.append(
            (
                r.package,
                ",".join(r.siblings) or "-",
                r.expected,
                r.pages if r.generate_error is None else "CRASH",
                "-" if r.coverage is None else f"{100 * r.coverage:.1f}%",
                len(r.missing),
                len(r.extra),
                r.examples_ok,
                len(r.examples_failed),
                r.badge_failed,
                len(r.imports_failed),
                len(r.calls_failed),
                r.calls_checked,
                len(build.warnings) if build else "-",
                strict.returncode if strict else "-",
                f"{build.seconds:.1f}" if build else "-",
                f"{strict.seconds:.1f}" if strict else "-",
                f"{r.generate_seconds:.1f}",
            )
        )
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    line = lambda row: " | ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True))  # noqa: E731
    print("\n" + line(header))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def print_details(r: Result, limit: int = 10) -> None:
    print(f"\n--- {r.package}")
    if r.expected_error:
        print(f"  independent Griffe load failed: {r.expected_error}")
    if r.generate_error:
        lines = r.generate_error.strip().splitlines()
        if lines[-1].startswith("mkdocs_howto.errors."):  # a clean, user-facing error
            print(f"  generate_site refused: {lines[-1]}")
        else:
            print("  generate_site CRASHED:\n" + textwrap.indent("\n".join(lines), "    "))
    for build in r.builds:
        if build.tracebacks or (build.returncode and not build.strict):
            print(f"  build (strict={build.strict}) failed, output tail:")
            print(textwrap.indent(build.tail, "    "))
    if len(r.builds) > 1:
        plain, strict = r.builds
        if plain.returncode == 0 and strict.returncode != 0:
            print(f"  strict build aborts ({len(plain.warnings)} warnings); plain build passes")
    print(
        f"  index pages: {r.index_pages}; example origins: {r.example_origins}; "
        f"generated examples with '...' placeholders: {r.placeholders}"
    )
    shown = len(r.examples) or 1
    hollow = ", ".join(
        f"{kind} {len(found)} ({100 * len(found) / shown:.0f}%)" for kind, found in r.hollow.items()
    )
    print(f"  examples {len(r.examples)}; hollow values: {hollow or 'none'}")
    for kind, found in r.hollow.items():
        print(f"    {kind}: " + ", ".join(found[:limit]))
    if r.stage_seconds:
        print("  stage seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in r.stage_seconds.items()))
    sections = (
        (f"missing {r.missing_reasons}", r.missing),
        ("extra (page with no expected public path)", r.extra),
        ("documented more than once", r.duplicates),
        ("page generated but no HTML in site/", r.html_missing),
        ("examples that do not parse", r.examples_failed),
        ("example imports that fail in the packages' venv", r.imports_failed),
        ("example calls that do not bind to the real signature", r.calls_failed),
        ("pages without a Usage Example block", r.examples_missing),
        ("pages with an unclosed fence", r.unclosed),
        ("__all__ names whose target does not resolve", r.unresolved_exports),
        ("not expected: `test_*` modules outside tests packages (check by hand)", r.test_modules),
    )
    for title, items in sections:
        if items:
            print(f"  {title}: {len(items)}")
            for item in items[:limit]:
                print(f"    - {item}")
    if r.warning_kinds:
        print(f"  warning kinds ({sum(r.warning_kinds.values())} warnings):")
        for kind, count in list(r.warning_kinds.items())[:limit]:
            print(f"    {count:5d}  {kind}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", default=list(DEFAULT_PACKAGES))
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--install", action="store_true", help="create the venv, pip install")
    parser.add_argument("--no-strict", action="store_true", help="skip the strict build")
    parser.add_argument(
        "--no-build", action="store_true", help="pages and examples only, no MkDocs builds"
    )
    parser.add_argument("--limit", type=int, default=10, help="items listed per section")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra howto option for the MkDocs builds (VALUE as JSON, else a string), "
        "e.g. --option nav_depth=modules",
    )
    parser.add_argument(
        "--feature",
        action="append",
        default=[],
        help="Material theme feature for the builds, e.g. --feature navigation.prune",
    )
    args = parser.parse_args(argv)

    WORK.mkdir(parents=True, exist_ok=True)
    if args.install:
        install(args.venv, args.packages)
    # Griffe's docstring warnings are collected from the MkDocs builds; keep this run quiet.
    logging.getLogger("griffe").setLevel(logging.ERROR)
    search_path = site_packages(args.venv.resolve())
    print(f"plugin: {plugin_revision()}; packages from {search_path}", flush=True)
    plugin_options: dict[str, object] = {}
    for item in args.option:
        key, _, value = item.partition("=")
        try:
            plugin_options[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            plugin_options[key.strip()] = value
    results = []
    for package in args.packages:
        results.append(
            run_package(
                package,
                search_path,
                strict=not args.no_strict,
                plugin_options=plugin_options,
                features=tuple(args.feature),
                python=args.venv.resolve() / "bin" / "python",
                with_builds=not args.no_build,
            )
        )
    for result in results:
        print_details(result, args.limit)
    print_table(results)
    report = WORK / "report.json"
    payload = {
        "plugin": plugin_revision(),
        "results": [{**asdict(r), "coverage": r.coverage} for r in results],
    }
    report.write_text(json.dumps(payload, indent=2, default=str), "utf-8")
    print(f"\nfull results: {report}")
    bad = any(
        r.generate_error
        or r.missing
        or r.examples_failed
        or r.imports_failed
        or r.calls_failed
        or any(b.tracebacks for b in r.builds)
        for r in results
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
