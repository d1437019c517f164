"""ProperDocs and Zensical, each in its own virtual environment, building the demo with the
README's config snippets (issue 16, item 6). Shared by `test_engines.py` and the browser test.

The environments are made once and kept in `.cache/engines/` (keyed by the engine's
requirement, this checkout and its `pyproject.toml`), so a `make test` after the first pays
only for the builds. mkdocs-howto is installed editable: they run this checkout's code.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, SITE_EXAMPLE

CACHE = ROOT / ".cache" / "engines"
#: The class page every engine's build is checked on.
CLASS_PAGE = "howto/skyfeed/session/FeedSession/index.html"
INSTALL_TIMEOUT_SECONDS = 600
BUILD_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Engine:
    """A site generator in its own environment."""

    name: str
    """As its authors write it (in messages)."""
    distribution: str
    requirements: tuple[str, ...]
    venv: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def version(self) -> str:
        code = f"import importlib.metadata as m; print(m.version({self.distribution!r}))"
        return subprocess.run(
            [str(self.bin / "python"), "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()

    def run(self, command: list[str], cwd: Path) -> str:
        """Run one of the environment's commands; a failure names the engine's version: a
        changed API (a renamed option, a dropped hook) shows as a failed build."""
        result = subprocess.run(
            [str(self.bin / command[0]), *command[1:]],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"{self.name} {self.version()}: `{' '.join(command)}` failed with exit code "
                f"{result.returncode}; if this version changed an API mkdocs-howto relies on "
                f"(tested: {self.requirements[0]}), this is where it shows:\n"
                f"{_tail(result.stdout + result.stderr)}"
            )
        return result.stdout + result.stderr


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


PROPERDOCS_REQUIREMENTS = ("properdocs>=1.6.7,<2", "mkdocs-material>=9.5")
# 0.1.x needs `zensical-ui`, which this machine's package index does not serve: pip falls back
# to the newest 0.0.x (0.0.73), which reads the same configuration.
ZENSICAL_REQUIREMENTS = ("zensical>=0.0.73,<0.2",)


def engine(name: str, distribution: str, requirements: tuple[str, ...]) -> Engine:
    """The engine's environment, made (under a lock: parallel sessions share the cache) or
    reused."""
    key = hashlib.sha256(
        "\0".join([*requirements, str(ROOT), (ROOT / "pyproject.toml").read_text()]).encode()
    ).hexdigest()[:12]
    venv = CACHE / f"{distribution}-{key}"
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / f"{distribution}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".ready").is_file():
            for stale in CACHE.glob(f"{distribution}-*"):  # made for an older pyproject.toml
                shutil.rmtree(stale, ignore_errors=True)
            _create(venv, requirements)
    return Engine(name, distribution, requirements, venv)


def _create(venv: Path, requirements: tuple[str, ...]) -> None:
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = [str(venv / "bin/python"), "-m", "pip", "install", "--quiet"]
    result = subprocess.run(
        [*install, *requirements, "-e", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"pip install {' '.join(requirements)} failed:\n{_tail(result.stderr)}"
        )
    (venv / ".ready").touch()


def readme_block(marker: str) -> str:
    """The fenced block right after the README comment `<!-- {marker}: built by … -->`: the
    snippets users copy are the ones these tests build."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        rf"<!-- {re.escape(marker)}: built by [^>]*-->\n```\w+\n(?P<body>.*?)\n```", readme, re.S
    )
    assert match, f"README.md has no block marked '{marker}'"
    return match["body"] + "\n"


def demo_copy(target: Path) -> Path:
    """`site_example/` without its MkDocs config or a previous build."""
    shutil.copytree(
        SITE_EXAMPLE, target, ignore=shutil.ignore_patterns("site", "__pycache__", ".cache")
    )
    (target / "mkdocs.yml").unlink()
    return target


def build_with_properdocs(properdocs: Engine, folder: Path) -> Path:
    site = demo_copy(folder)
    (site / "properdocs.yml").write_text(readme_block("properdocs.yml"), encoding="utf-8")
    output = properdocs.run(["properdocs", "build", "--strict"], cwd=site)
    (site / "build.log").write_text(output, encoding="utf-8")
    return site / "site"


def build_with_zensical(zensical: Engine, folder: Path, *, extension: bool) -> Path:
    """`mkdocs-howto generate` (pages, or stubs for the extension) run in Zensical's own
    environment, then `zensical build`."""
    site = demo_copy(folder)
    marker = (
        "zensical.toml (Markdown extension)" if extension else "zensical.toml (generated pages)"
    )
    (site / "zensical.toml").write_text(readme_block(marker), encoding="utf-8")
    stubs = ["--stubs"] if extension else []
    zensical.run(
        ["mkdocs-howto", "generate", "--config", "zensical.toml", "--out", "docs/howto", *stubs],
        cwd=site,
    )
    zensical.run(["zensical", "build", "--clean", "--strict"], cwd=site)
    return site / "site"
