"""Build-time benchmark: mkdocs-howto against its floor and against mkdocstrings + api-autonav.

`make bench` (or `python3 bench/run.py [--quick]`) creates `bench/.work/bench-venv/`, installs
the subjects there (Material, mkdocstrings-python, mkdocs-api-autonav, this plugin with
`pip install -e`, and the PyPI packages documented), then prints:

a. **overhead**: a full `mkdocs build` with the plugin vs the *floor*: the same Markdown
   (taken from the plugin's own generated files) written as plain pages, same theme,
   extensions, page template, CSS and nav, built without the plugin. The plugin is built
   with `search_source: true` here ("plugin, indexed"), so that both search indexes hold the
   source blocks: the ratio is the plugin's own cost;
b. **versus mkdocstrings-python + mkdocs-api-autonav** documenting the same package with the
   same theme, the plugin with its defaults: wall time and peak memory ratios (memory: the
   PSS of the build's process and its children, sampled every 0.1 s, so the plugin's worker
   process counts, and pages it shares with its parent count once; ~1.6 ms per sample);
c. **scaling**: the plugin's own time on a generated package at 1x, 2x, 4x, 8x (100 → 800
   public classes and functions), and the per-object cost, from in-process runs
   (`parallel: false`: all of it in one process, nothing hidden by the worker);
d. the plugin's own time by stage (its DEBUG line: `own time: load …s, analyze …s, …`);
e. **nav strategies** for large APIs: every object listed, `navigation.indexes`, `navigation.prune`,
   `nav_depth: modules`.

Builds of one subject run alternately (plugin, indexed, floor, mkdocstrings, plugin, …) and each
number is the median over the rounds: the machine is shared and noisy. Targets are printed,
not asserted. Stdlib only at the top level; `--_plugin-only` runs inside the bench venv.

    python3 bench/run.py              # 3 rounds, all subjects (~25 min on 2 cores)
    python3 bench/run.py --quick      # 1 round, httpx + generated, smaller scaling
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work" / "run"
VENV = HERE / ".work" / "bench-venv"
REQUIREMENTS = (
    "mkdocs-material",
    "mkdocstrings[python]",
    "mkdocstrings-python",
    "mkdocs-api-autonav",
    "httpx",
    "rich",
    "pydantic",
)
#: name -> (import name, shape); "generated" is written by `write_generated`.
SUBJECTS = {
    "httpx": "small: 65 objects, flat (one public package)",
    "rich": "200+ objects (207), 57 modules",
    "pydantic": "300+ objects (553), deep class hierarchies",
    "generated": "100 objects, 10 modules, generated",
}
QUICK_SUBJECTS = ("httpx", "generated")
OWN_TIME = re.compile(r"own time (\d+\.\d+) s")
WORKER_TIME = re.compile(r"\+ (\d+\.\d+) s in a worker process")
STAGES = re.compile(r"own time: (.*)")
PER_MODULE = (6, 4)  # functions, classes per generated module: 10 objects
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
TARGETS = {"overhead": 1.10, "wall": 0.6, "rss": 1.0, "scaling": 9.0}
MARKDOWN_EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc: {permalink: true}
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight: {anchor_linenums: true, line_spans: __span, pygments_lang_class: true}
  - pymdownx.inlinehilite
  - pymdownx.tabbed: {alternate_style: true}
"""


# ------------------------------------------------------------------------------ environment


def export_plugin() -> str:
    """The committed plugin (HEAD), exported first on PYTHONPATH: uncommitted edits in the
    checkout (other people's work in progress) are not measured."""
    folder = WORK / "plugin-src"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "HEAD", "mkdocs_howto"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    # byte-compiled as pip does when it installs a package: otherwise, where
    # PYTHONDONTWRITEBYTECODE is set (this machine), every measured build would compile the
    # plugin's sources again (~70 ms) while mkdocstrings and Griffe load their .pyc files
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)
    ENV["PYTHONPATH"] = str(folder)
    return _revision()


def python() -> Path:
    return VENV / "bin" / "python"


def ensure_env() -> None:
    """The bench venv, (re)installed when the requirements list changed."""
    marker = VENV / ".bench-installed"
    wanted = "\n".join((*REQUIREMENTS, f"-e {REPO}"))
    if marker.exists() and marker.read_text() == wanted:
        return
    if not python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print(f"installing the subjects into {VENV} …", flush=True)
    subprocess.run(
        [str(python()), "-m", "pip", "install", "--quiet", *REQUIREMENTS, "-e", str(REPO)],
        check=True,
    )
    marker.write_text(wanted)


def site_packages() -> Path:
    return next(VENV.glob("lib/python3*/site-packages"))


def versions() -> str:
    code = (
        "import importlib.metadata as m\n"
        "for d in ('mkdocs','mkdocs-material','griffelib','mkdocstrings','mkdocstrings-python',"
        "'mkdocs-api-autonav','httpx','rich','pydantic'):\n"
        "    print(f'{d} {m.version(d)}', end=', ')"
    )
    out = subprocess.run([str(python()), "-c", code], capture_output=True, text=True)
    return out.stdout.strip(", ")


# ------------------------------------------------------------------------------ subjects


def write_generated(root: Path, scale: int) -> None:
    """`genpkg`: 10 modules per scale unit, each 6 functions and 4 classes (3-level hierarchy)."""
    package = root / "src" / "genpkg"
    if package.exists():
        return
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""A generated package for the build benchmark."""\n')
    for m in range(10 * scale):
        parts = [f'"""Module {m}: records and helpers."""\n\nfrom __future__ import annotations\n']
        parts += [_function(m, f) for f in range(PER_MODULE[0])]
        parts += [_class(m, c) for c in range(PER_MODULE[1])]
        (package / f"mod_{m:03d}.py").write_text("\n\n".join(parts))


def _function(m: int, f: int) -> str:
    return textwrap.dedent(f'''
        def load_{m:03d}_{f}(path: str, limit: int = 10, *, strict: bool = False) -> list[str]:
            """Read up to `limit` lines of a file.

            Args:
                path: The file to read.
                limit: How many lines to keep.
                strict: Raise when the file is shorter.

            Returns:
                The lines, without their line ends.
            """
            # Read the file.
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
            if strict and len(lines) < limit:
                raise ValueError(f"{{path}} has only {{len(lines)}} lines")
            # Keep the first lines.
            result = []
            for line in lines[:limit]:
                result.append(line.strip())
            return result
        ''')


def _class(m: int, c: int) -> str:
    base = f"Record{m:03d}_{c - 1}" if c else "object"
    return textwrap.dedent(f'''
        class Record{m:03d}_{c}({base}):
            """A named value (level {c} of its module's hierarchy)."""

            def __init__(self, name: str, value: int = 0) -> None:
                self.name = name
                self.value = value

            def describe(self) -> str:
                """The record as `name=value`."""
                return f"{{self.name}}={{self.value}}"

            def scaled(self, factor: float) -> float:
                """The value times `factor`; negative factors are refused."""
                if factor < 0:
                    raise ValueError("factor must be positive")
                return self.value * factor
        ''')


@dataclass
class Site:
    """One subject's three site folders."""

    name: str
    package: str
    paths: str  # the folder the package is in
    root: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root = WORK / self.name

    def folder(self, variant: str) -> Path:
        return self.root / variant


def subject_site(name: str, scale: int = 1) -> Site:
    if name == "generated":
        site = Site(f"generated-{scale}x", "genpkg", "")
        write_generated(site.root, scale)
        site.paths = str(site.root / "src")
        return site
    return Site(name, name, str(site_packages()))


def header(site_name: str, features: tuple[str, ...] = ()) -> str:
    theme = "theme:\n  name: material\n"
    if features:
        theme += f"  features: [{', '.join(features)}]\n"
    return f"site_name: {site_name}\n{theme}"


def write_plugin_config(
    site: Site, variant: str = "plugin", features: tuple[str, ...] = (), **options: str
) -> Path:
    folder = site.folder(variant)
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text(f"# {site.package}\n")
    extra = "".join(f"      {key}: {value}\n" for key, value in options.items())
    (folder / "mkdocs.yml").write_text(
        header(site.package, features)
        + MARKDOWN_EXTENSIONS
        + "plugins:\n  - search\n  - howto:\n"
        + f"      packages: [{site.package}]\n      paths: [{site.paths}]\n"
        + extra
    )
    return folder


def write_mkdocstrings_config(site: Site) -> Path:
    folder = site.folder("mkdocstrings")
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text(f"# {site.package}\n")
    (folder / "mkdocs.yml").write_text(
        header(site.package)
        + MARKDOWN_EXTENSIONS
        + "plugins:\n  - search\n  - api-autonav:\n"
        + f"      modules: [{Path(site.paths) / site.package}]\n"
        + "  - mkdocstrings:\n      handlers:\n        python:\n"
        + f"          paths: [{site.paths}]\n"
    )
    return folder


def write_floor(site: Site) -> Path:
    """The plugin's generated pages as plain files, built with the same everything, no plugin."""
    folder = site.folder("floor")
    out = subprocess.run(
        [str(python()), __file__, "--_emit-floor", str(site.folder("plugin")), str(folder)],
        capture_output=True,
        text=True,
        env=ENV,
    )
    if out.returncode:
        raise SystemExit(f"floor for {site.name} failed:\n{out.stderr[-3000:]}")
    return folder


# ------------------------------------------------------------------------------ measuring


@dataclass
class Build:
    seconds: float
    rss_mb: float
    own: float | None
    ok: bool
    worker: float | None = None
    """Seconds the plugin's worker process worked beside MkDocs (not waited for)."""
    others: float = 0.0
    """CPU seconds other processes used during the build (the machine is shared): all the
    machine's busy time minus the build's own (its workers included)."""


def build(folder: Path) -> Build:
    """A full `mkdocs build` in a fresh process: wall time and the peak memory of that process
    and its children (the plugin's worker), sampled every 0.1 s (`tree_memory_kb`)."""
    command = [str(VENV / "bin" / "mkdocs"), "build", "-d", str(folder / "site")]
    log = folder / "build.log"
    peak_kb = 0
    if Gate.wait_idle:
        wait_idle()
    busy = busy_cpu_seconds()
    start = time.perf_counter()
    with log.open("w") as output:
        proc = subprocess.Popen(command, cwd=folder, stdout=output, stderr=output, env=ENV)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, tree_memory_kb(proc.pid))
            time.sleep(0.1)
    seconds = time.perf_counter() - start
    others = busy_cpu_seconds() - busy - usage.ru_utime - usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text()
    found, worker = OWN_TIME.search(text), WORKER_TIME.search(text)
    # Where /proc cannot be read, the process's own peak RSS (the worker not counted).
    memory_mb = (peak_kb or usage.ru_maxrss) / 1024
    return Build(
        seconds,
        memory_mb,
        float(found[1]) if found else None,
        proc.returncode == 0,
        float(worker[1]) if worker else None,
        max(others, 0.0),
    )


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores, `/proc/stat`)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except OSError:
        return 0.0
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


class Gate:
    """`--wait-idle`: before each build, wait (up to WAIT_IDLE_MAX s) for others to go quiet."""

    wait_idle = False


WAIT_IDLE_MAX = 30.0
#: Quiet: other processes use less than this share of one core, two seconds in a row.
QUIET_CORES = 0.25


def wait_idle() -> float:
    """Seconds waited until the machine was quiet (or `WAIT_IDLE_MAX`, then go anyway)."""
    start = time.perf_counter()
    quiet = 0
    while quiet < 2 and time.perf_counter() - start < WAIT_IDLE_MAX:
        before = busy_cpu_seconds()
        time.sleep(1.0)
        quiet = quiet + 1 if busy_cpu_seconds() - before < QUIET_CORES else 0
    return time.perf_counter() - start


def tree_memory_kb(root: int) -> int:
    """Proportional set size (PSS) of process `root` and its descendants, in kB: a page shared
    by a forked worker and its parent counts once in the sum, not once per process."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    family, grew = {root}, True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in family} - family
        family |= children
        grew = bool(children)
    total = 0
    for pid in family:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(found[1]) if found else 0
    return total


def plugin_only(folder: Path) -> tuple[float, dict[str, float]]:
    """The plugin's own time and stage split, from its log lines, without page rendering."""
    out = subprocess.run(
        [str(python()), __file__, "--_plugin-only", str(folder)],
        capture_output=True,
        text=True,
        env=ENV,
    )
    if out.returncode:
        raise SystemExit(f"plugin-only run in {folder} failed:\n{out.stderr[-3000:]}")
    own = float(OWN_TIME.search(out.stdout)[1])  # type: ignore[index]
    stages = STAGES.search(out.stdout)
    split = {}
    for part in stages[1].split(", ") if stages else []:
        name, _, value = part.rpartition(" ")
        split[name] = float(value.rstrip("s"))
    return own, split


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# ------------------------------------------------------------------------------ in the venv


def in_process(config: Any) -> Any:
    """The config with the plugin's `parallel` off: these runs stop after `on_files`, and the
    whole own time is measured in this process."""
    options = config.plugins["howto"].config
    if "parallel" in options:  # not in plugins older than the worker
        options.parallel = False
    return config


def _emit_floor(plugin_folder: Path, floor: Path) -> None:
    """Run the plugin's events up to `on_files` and write what it generated as plain files."""
    import yaml
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from mkdocs_howto import plugin

    config = in_process(load_config(str(plugin_folder / "mkdocs.yml")))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    if floor.exists():
        shutil.rmtree(floor)
    (floor / "docs").mkdir(parents=True)
    for file in files.documentation_pages():
        target = floor / "docs" / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.content_string, encoding="utf-8")
    source = yaml.safe_load((plugin_folder / "mkdocs.yml").read_text())
    source["plugins"] = ["search"]
    source["nav"] = config.nav
    source["theme"]["custom_dir"] = str(plugin.THEME)  # howto.html + the CSS, as the plugin adds
    source["extra_css"] = [plugin.CSS_URI]
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(source, sort_keys=False))


def _plugin_only(folder: Path) -> None:
    """The plugin's events up to `on_files` (everything it does), with its log on stdout."""
    import logging

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    handler = logging.StreamHandler(sys.stdout)
    logger = logging.getLogger("mkdocs.plugins.mkdocs_howto")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    config = in_process(load_config(str(folder / "mkdocs.yml")))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_files(get_files(config), config=config)


# ------------------------------------------------------------------------------ report


def _worker(row: dict[str, Any]) -> str:
    worker = row.get("worker")
    return "" if worker is None or math.isnan(worker) else f" (+ {worker:.2f} s)"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def mark(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def compare(subjects: list[str], rounds: int) -> list[dict[str, object]]:
    """(a), (b), (d): alternate plugin, floor, mkdocstrings builds per subject."""
    rows = []
    for name in subjects:
        site = subject_site(name)
        plugin_folder = write_plugin_config(site)
        # the floor indexes the source blocks for search (plain pages): so does this one
        indexed_folder = write_plugin_config(site, "plugin-indexed", search_source="true")
        floor_folder = write_floor(site)
        docstrings_folder = write_mkdocstrings_config(site)
        variants = {
            "plugin": plugin_folder,
            "indexed": indexed_folder,
            "floor": floor_folder,
            "mkdocstrings": docstrings_folder,
        }
        runs: dict[str, list[Build]] = {variant: [] for variant in variants}
        for turn in range(rounds):
            print(f"  {name}: round {turn + 1}/{rounds}", flush=True)
            for variant, folder in variants.items():
                runs[variant].append(build(folder))
        own, stages = plugin_only(plugin_folder)
        pages = sum(1 for _ in (floor_folder / "docs").rglob("*.md"))
        row: dict[str, object] = {"subject": name, "pages": pages, "stages": stages}
        for variant, builds in runs.items():
            row[variant] = median([b.seconds for b in builds])
            row[f"{variant}_all"] = [round(b.seconds, 2) for b in builds]
            row[f"{variant}_rss"] = median([b.rss_mb for b in builds])
            row[f"{variant}_ok"] = all(b.ok for b in builds)
            row[f"{variant}_others"] = [round(b.others, 1) for b in builds]
        row["own"] = median([b.own for b in runs["plugin"] if b.own is not None])
        row["worker"] = median([b.worker for b in runs["plugin"] if b.worker is not None])
        row["own_plugin_only"] = own
        rows.append(row)
    return rows


def scaling(scales: tuple[int, ...], rounds: int) -> list[dict[str, object]]:
    """(c): the plugin's own time per size, sizes measured round-robin."""
    folders = {scale: write_plugin_config(subject_site("generated", scale)) for scale in scales}
    times: dict[int, list[float]] = {scale: [] for scale in scales}
    stages: dict[int, list[dict[str, float]]] = {scale: [] for scale in scales}
    for turn in range(rounds):
        print(f"  scaling: round {turn + 1}/{rounds}", flush=True)
        for scale in scales:
            own, split = plugin_only(folders[scale])
            times[scale].append(own)
            stages[scale].append(split)
    rows = []
    for scale in scales:
        objects = scale * 10 * sum(PER_MODULE)
        own = median(times[scale])
        split = {k: median([s.get(k, 0.0) for s in stages[scale]]) for k in stages[scale][0]}
        rows.append({"scale": scale, "objects": objects, "own": own, "stages": split})
    return rows


NAV_STRATEGIES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    # the plugin's default is `auto` (`modules` above 150 objects): the first rows list every
    # object, so that Material's own options are measured against the full sidebar
    "nav_depth: objects (every object in the sidebar)": ((), {"nav_depth": "objects"}),
    "navigation.indexes": (("navigation.indexes",), {"nav_depth": "objects"}),
    "navigation.prune": (("navigation.prune",), {"nav_depth": "objects"}),
    "indexes + prune": (("navigation.indexes", "navigation.prune"), {"nav_depth": "objects"}),
    "nav_depth: modules": ((), {"nav_depth": "modules"}),
    "nav_depth: modules + indexes": (("navigation.indexes",), {"nav_depth": "modules"}),
}


def nav_strategies(scale: int, rounds: int) -> list[dict[str, object]]:
    """(e): full builds of the generated package under each nav strategy, alternately."""
    site = subject_site("generated", scale)
    folders = {
        name: write_plugin_config(site, f"nav-{i}", features, **options)
        for i, (name, (features, options)) in enumerate(NAV_STRATEGIES.items())
    }
    runs: dict[str, list[Build]] = {name: [] for name in folders}
    for turn in range(rounds):
        print(f"  nav strategies ({scale}x): round {turn + 1}/{rounds}", flush=True)
        for name, folder in folders.items():
            runs[name].append(build(folder))
    return [
        {
            "strategy": name,
            "seconds": median([b.seconds for b in builds]),
            "all": [round(b.seconds, 2) for b in builds],
            "rss": median([b.rss_mb for b in builds]),
            "html_mb": sum(p.stat().st_size for p in (folders[name] / "site").rglob("*.html"))
            / 2**20,
            "ok": all(b.ok for b in builds),
        }
        for name, builds in runs.items()
    ]


def report(args: argparse.Namespace, rows: list, scale_rows: list, nav_rows: list) -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        f"- **Date**: {time.strftime('%Y-%m-%d')}. **Machine**: {os.cpu_count()} cores "
        f"({platform.processor() or platform.machine()}), {memory:.0f} GB RAM, Python "
        f"{platform.python_version()}; {versions()}.",
        f"- **Command**: `python3 bench/run.py{' ' if sys.argv[1:] else ''}"
        f"{' '.join(sys.argv[1:])}` ({args.rounds} rounds, medians; plugin at "
        f"{_revision()}).",
        "",
        "### a, b: whole builds (Material, same extensions)",
        "",
        '"plugin, indexed" sets `search_source: true`: its search index holds the source '
        "blocks, as the floor's does, so **overhead** is the plugin's own cost. \"plugin\" is "
        "the default (source blocks left out of the index): what a user gets, compared with "
        "mkdocstrings.",
        "",
        "| subject | pages | plugin, indexed | floor | **overhead** | plugin | vs floor "
        "| mkdocstrings + api-autonav | **wall ratio** | memory plugin / mkdocstrings "
        "| **memory ratio** | own time (+ worker) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        bad = "" if r["mkdocstrings_ok"] else " (failed)"
        lines.append(
            f"| {r['subject']} | {r['pages']} | {r['indexed']:.2f} s | {r['floor']:.2f} s "
            f"| **{ratio(r['indexed'], r['floor'])}** | {r['plugin']:.2f} s "
            f"| {ratio(r['plugin'], r['floor'])} | {r['mkdocstrings']:.2f} s{bad} "
            f"| **{ratio(r['plugin'], r['mkdocstrings'])}** "
            f"| {r['plugin_rss']:.0f} / {r['mkdocstrings_rss']:.0f} MB "
            f"| **{ratio(r['plugin_rss'], r['mkdocstrings_rss'])}** | {r['own']:.2f} s"
            f"{_worker(r)} |"
        )
    lines += [
        "",
        "Per round (s): "
        + "; ".join(
            f"{r['subject']} plugin {r['plugin_all']}, indexed {r['indexed_all']}, "
            f"floor {r['floor_all']}, mkdocstrings {r['mkdocstrings_all']}"
            for r in rows
        ),
        "",
        "CPU seconds used by other processes during each build (the machine is shared): "
        + "; ".join(
            f"{r['subject']} plugin {r['plugin_others']}, indexed {r['indexed_others']}, "
            f"floor {r['floor_others']}, mkdocstrings {r['mkdocstrings_others']}"
            for r in rows
        ),
        "",
    ]
    lines += ["### d: the plugin's own time by stage (plugin-only run, no page rendering)", ""]
    stage_names = sorted({k for r in rows for k in r["stages"]})
    lines.append("| subject | own time | " + " | ".join(stage_names) + " |")
    lines.append("| --- | --- |" + " --- |" * len(stage_names))
    for r in rows:
        split = " | ".join(f"{r['stages'].get(k, 0.0):.2f} s" for k in stage_names)
        lines.append(f"| {r['subject']} | {r['own_plugin_only']:.2f} s | {split} |")
    lines += ["", "### c: scaling of the plugin's own time (generated package)", ""]
    lines.append("| size | objects | own time | per object | vs 1x | load | analyze | render |")
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    first = scale_rows[0] if scale_rows else {}
    for r in scale_rows:
        s = r["stages"]
        lines.append(
            f"| {r['scale']}x | {r['objects']} | {r['own']:.2f} s "
            f"| {1000 * r['own'] / r['objects']:.1f} ms | {r['own'] / first['own']:.2f}x "
            f"| {s.get('load', 0):.2f} s | {s.get('analyze', 0):.2f} s "
            f"| {s.get('render', 0):.2f} s |"
        )
    lines += ["", f"### e: nav strategies (generated package, {args.nav_scale}x)", ""]
    lines.append("| strategy | build | vs first row | peak memory | HTML written |")
    lines.append("| --- | --- | --- | --- | --- |")
    base = nav_rows[0]["seconds"] if nav_rows else 0
    for r in nav_rows:
        lines.append(
            f"| {r['strategy']} | {r['seconds']:.2f} s {r['all']} | {ratio(r['seconds'], base)} "
            f"| {r['rss']:.0f} MB | {r['html_mb']:.0f} MB |"
        )
    lines += ["", "### Targets", ""]
    for r in rows:
        over = r["indexed"] / r["floor"]
        wall = r["plugin"] / r["mkdocstrings"]
        rss = r["plugin_rss"] / r["mkdocstrings_rss"]
        lines.append(
            f"- {r['subject']}: overhead {over:.2f} ≤ {TARGETS['overhead']} "
            f"{mark(over, TARGETS['overhead'])}; wall {wall:.2f} ≤ {TARGETS['wall']} "
            f"{mark(wall, TARGETS['wall'])}; memory {rss:.2f} ≤ {TARGETS['rss']} "
            f"{mark(rss, TARGETS['rss'])}"
        )
    if not scale_rows:
        return "\n".join(lines)
    last = scale_rows[-1]
    growth = last["own"] / first["own"]
    size = last["objects"] / first["objects"]
    lines.append(
        f"- scaling: {size:.0f}x objects → {growth:.2f}x own time "
        f"(target for 8x: ≤ {TARGETS['scaling']}) {mark(growth, size * 9 / 8)}"
    )
    return "\n".join(lines)


def _revision() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True
        ).stdout.strip()

    return f"`{git('rev-parse', '--short', 'HEAD')}` (exported with `git archive`)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 round, 2 subjects, up to 4x")
    parser.add_argument("--rounds", type=int, help="rounds of alternating builds (default 3)")
    parser.add_argument("--subjects", nargs="*", choices=list(SUBJECTS))
    parser.add_argument("--nav-scale", type=int, help="generated package size for (e)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["compare", "scaling", "nav"])
    parser.add_argument(
        "--wait-idle",
        action="store_true",
        help=f"before each build, wait up to {WAIT_IDLE_MAX:.0f} s for other processes to use "
        f"less than {QUIET_CORES} of a core (a shared machine)",
    )
    parser.add_argument("--_emit-floor", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_plugin-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._emit_floor:
        return _emit_floor(*args._emit_floor)
    if args._plugin_only:
        return _plugin_only(args._plugin_only)
    Gate.wait_idle = args.wait_idle
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.nav_scale = args.nav_scale or (2 if args.quick else 4)
    subjects = args.subjects or (QUICK_SUBJECTS if args.quick else tuple(SUBJECTS))
    scales = (1, 2, 4) if args.quick else (1, 2, 4, 8)
    ensure_env()
    WORK.mkdir(parents=True, exist_ok=True)
    export_plugin()
    started = time.perf_counter()
    rows = compare(list(subjects), args.rounds) if "compare" not in args.skip else []
    scale_rows = scaling(scales, max(args.rounds, 3)) if "scaling" not in args.skip else []
    nav_rows = nav_strategies(args.nav_scale, min(args.rounds, 2)) if "nav" not in args.skip else []
    text = report(args, rows, scale_rows, nav_rows)
    print("\n" + text + f"\n\n(benchmark ran {time.perf_counter() - started:.0f} s)")
    (WORK / "results.md").write_text(text + "\n")
    (WORK / "results.json").write_text(
        json.dumps({"rows": rows, "scaling": scale_rows, "nav": nav_rows}, indent=1, default=str)
    )
    return None


if __name__ == "__main__":
    main()
