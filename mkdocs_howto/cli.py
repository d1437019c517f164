"""`mkdocs-howto generate`: the pages as Markdown files in a folder, for Zensical, ProperDocs or
any Markdown site generator. It drives the same engine as the MkDocs plugin, with the same
options (`--option-name VALUE`), validation and messages."""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs_howto import __version__
from mkdocs_howto.cache import files_fingerprint
from mkdocs_howto.config import (
    ConfigFile,
    HowToConfig,
    option_kinds,
    read_config_file,
    validate_options,
)
from mkdocs_howto.engine import EXTENSIONS, THEME, HowToEngine
from mkdocs_howto.errors import HowToError
from mkdocs_howto.generate import GeneratedSite
from mkdocs_howto.output import OutputFolder
from mkdocs_howto.settings import SiteSettings, line_anchors
from mkdocs_howto.snippet import Snippet

log = logging.getLogger("mkdocs_howto")
#: Where the page template goes inside `--out` (a dot folder: no site copies it as a page).
TEMPLATE_DIR = ".overrides"
CSS_FILE = "howto.css"
WATCH_INTERVAL_SECONDS = 0.5
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


class _Counter(logging.Handler):
    """Counts warnings, for `--strict`."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: 0 on success, 1 on an error (one line, no traceback)."""
    args = _parser().parse_args(argv)
    counter = _Counter()
    _setup_logging(args.verbose, counter)
    try:
        job = _job(args)
        job.run_once()
        if args.watch:
            job.watch()
    except HowToError as error:
        log.error("%s", error)
        return 1
    except KeyboardInterrupt:
        return 0
    if args.strict and counter.count:
        log.error("Aborted with %d warnings in strict mode", counter.count)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mkdocs-howto", description=__doc__)
    parser.add_argument("--version", action="version", version=f"mkdocs-howto {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser(
        "generate",
        help="write the how-to pages, their stylesheet and page template into a folder",
        description="Write the how-to pages of PACKAGE(s) into --out (meant to be "
        "<docs_dir>/<output_dir>, e.g. docs/howto) and print the config snippet they need. "
        "Every `howto` option is accepted as --option-name (docs/configure.md).",
    )
    generate.add_argument("packages", nargs="*", metavar="PACKAGE", help="import names")
    generate.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="the folder of the pages, made and owned by this command (e.g. docs/howto)",
    )
    generate.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="read the howto options from an mkdocs.yml, a zensical.toml or a pyproject.toml "
        "([tool.mkdocs-howto]); options given here override them",
    )
    generate.add_argument("--force", action="store_true", help="write into a non-empty folder")
    generate.add_argument("--watch", action="store_true", help="regenerate on source changes")
    generate.add_argument("--snippet", type=Path, metavar="FILE", help="write the snippet here")
    generate.add_argument(
        "--stubs",
        action="store_true",
        help="write pages holding only `::: howto TARGET`, for the Markdown extension "
        "mkdocs_howto.markdown to expand at build time",
    )
    generate.add_argument("--strict", action="store_true", help="fail on warnings")
    generate.add_argument("-v", "--verbose", action="store_true")
    for name, kind in option_kinds().items():
        if name == "packages":
            continue
        flag = "--" + name.replace("_", "-")
        if kind in ("list", "dict"):
            metavar = "KEY=VALUE" if kind == "dict" else "VALUE"
            generate.add_argument(flag, dest=name, nargs="+", metavar=metavar)
        else:
            generate.add_argument(flag, dest=name, metavar="VALUE")
    return parser


def _setup_logging(verbose: bool, counter: logging.Handler) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    log.handlers = [handler, counter]
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    log.propagate = False


def _command_line_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options given on the command line, in the shapes the schema validates."""
    options: dict[str, Any] = {}
    for name, kind in option_kinds().items():
        value = getattr(args, name, None)
        if name == "packages":
            value = value or None
        if value is None:
            continue
        if kind == "bool":
            value = {"true": True, "false": False}.get(value.lower(), value)
        elif kind == "dict":
            value = _pairs(name, value)
        options[name] = value
    return options


def _pairs(name: str, values: list[str]) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep:
            raise HowToError(f"option '{name}': expected KEY=VALUE, got '{value}'")
        pairs[key.strip()] = text
    return pairs


def _job(args: argparse.Namespace) -> _Job:
    file = read_config_file(args.config.resolve()) if args.config else None
    root = file.path.parent if file else Path.cwd()
    raw = {**(file.options if file else {}), **_command_line_options(args)}
    if file is not None:
        _place_in_docs(raw, args.out, root / file.docs_dir)
    howto, warnings = validate_options(raw, file.path if file else None)
    for warning in warnings:
        log.warning("%s", warning)
    custom_dir = root / file.custom_dir if file and file.custom_dir else None
    settings = SiteSettings(
        root=root,
        repo_url=file.repo_url if file else None,
        custom_dir=custom_dir,
        line_anchors=line_anchors(_highlight(file)),
        language=file.language if file else None,
    )
    folder = OutputFolder(args.out, force=args.force, log=log)
    return _Job(howto, settings, folder, file, args.snippet, args.stubs)


def _place_in_docs(raw: dict[str, Any], out: Path, docs_dir: Path) -> None:
    """`output_dir` is where `--out` is inside the site's `docs_dir` (the nav's page paths
    start there); a different `output_dir` given is kept, with a warning."""
    try:
        place = out.resolve().relative_to(docs_dir.resolve()).as_posix()
    except ValueError:
        place = "."
    if place == ".":  # outside docs_dir, or docs_dir itself: no folder for the pages
        log.warning(
            "%s is not inside the site's docs_dir (%s): the nav snippet's paths assume it is "
            "<docs_dir>/%s",
            out,
            docs_dir,
            raw.get("output_dir", "howto"),
        )
        return
    if "output_dir" not in raw:
        raw["output_dir"] = place
    elif str(raw["output_dir"]).strip("/") != place:
        log.warning(
            "output_dir '%s' is not where --out is inside docs_dir ('%s'): the nav snippet's "
            "paths will not match the files",
            raw["output_dir"],
            place,
        )


def _highlight(file: ConfigFile | None) -> dict[str, Any]:
    """The site's `pymdownx.highlight` settings: its own, else those of the snippet."""
    return (file.highlight if file else None) or EXTENSIONS["pymdownx.highlight"]


@dataclass
class _Job:
    howto: HowToConfig
    settings: SiteSettings
    folder: OutputFolder
    file: ConfigFile | None
    snippet_file: Path | None
    stubs: bool = False

    def __post_init__(self) -> None:
        self.engine = HowToEngine(log)
        self.last_snippet = ""

    def run_once(self) -> None:
        """Generate every page into the folder, then show or write the snippet."""
        self.engine.configure(self.howto, self.settings)
        site = self.engine.build()
        prefix = self.howto.output_dir + "/"
        pages = _stubs(site) if self.stubs else site.pages
        for uri, markdown in pages.items():
            self.folder.write(uri.removeprefix(prefix), markdown)
        self.folder.write(CSS_FILE, (THEME / "assets/mkdocs-howto/howto.css").read_bytes())
        self.folder.write(f"{TEMPLATE_DIR}/howto.html", (THEME / "howto.html").read_bytes())
        removed = self.folder.finish()
        log.info(
            "%s: %d files changed, %d removed",
            self.folder.root,
            self.folder.changed,
            len(removed),
        )
        self.folder.changed = 0
        self._snippet(site.plan.nav)

    def _snippet(self, nav: list[Any]) -> None:
        root = self.settings.root
        snippet = Snippet(
            extra_css=f"{self.howto.output_dir}/{CSS_FILE}",
            custom_dir=self._custom_dir(),
            watch=[_relative(path, root) for path in self.engine.watched_paths(self.settings)],
            nav_title=self.engine.nav_title(),
            nav=nav,
        )
        toml = (self.snippet_file or (self.file.path if self.file else Path())).suffix == ".toml"
        text = snippet.toml() if toml else snippet.yaml()
        if text == self.last_snippet:  # a `--watch` run that changed no page's place
            return
        self.last_snippet = text
        if self.snippet_file is None:
            sys.stdout.write(text)
        elif not self.snippet_file.is_file() or self.snippet_file.read_text() != text:
            self.snippet_file.write_text(text)

    def _custom_dir(self) -> str:
        """Where the page template is found: the folder it was written to, unless the site
        has another `custom_dir` (the template must be copied there: one is allowed)."""
        root, written = self.settings.root, self.folder.root / TEMPLATE_DIR
        own = self.settings.custom_dir
        if own is not None and own.resolve() != written.resolve():
            if not self.last_snippet:
                log.info(
                    "your theme has custom_dir %s: copy %s into it (pages name it in their "
                    "front matter)",
                    _relative(own, root),
                    _relative(written / "howto.html", root),
                )
            return _relative(own, root)
        return _relative(written, root)

    def watch(self) -> None:
        """Regenerate when a watched file changes (the engine's cache: only changed objects
        are analyzed again), until interrupted."""
        self.engine.start_process(serving=True, one_shot=False, dirty=False)
        root = self.settings.root
        watched = ", ".join(_relative(path, root) for path in self._watched())
        log.info("watching %s; Ctrl+C stops", watched)
        seen = self._fingerprint()
        while True:
            time.sleep(WATCH_INTERVAL_SECONDS)
            now = self._fingerprint()
            if now != seen:
                seen = now
                try:
                    self.run_once()
                except HowToError as error:  # a broken template: fixed by the next save
                    log.error("%s", error)

    def _watched(self) -> list[Path]:
        return self.engine.watched_paths(self.settings)

    def _fingerprint(self) -> str:
        return files_fingerprint(self._watched())


def _stubs(site: GeneratedSite) -> dict[str, str]:
    """Each page's front matter and one `::: howto TARGET` line: the Markdown extension
    writes the rest when the site is built (and again when the sources change)."""
    targets = {
        uri: target for target, uri in {**site.plan.index_pages, **site.plan.object_pages}.items()
    }
    stubs = {}
    for uri, markdown in site.pages.items():
        match = _FRONT_MATTER.match(markdown)
        front_matter = match.group(0) + "\n" if match else ""
        stubs[uri] = f"{front_matter}::: howto {targets[uri]}\n"
    return stubs


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


if __name__ == "__main__":
    sys.exit(main())
