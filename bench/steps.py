"""Measure how skimmable the Execution Steps are (issue 12), on the demo and real packages.

For each package, every object is analyzed in-process as a build would (same loader, same
page links) and its steps are measured as a reader sees them: a step's children are visible
unless the step carries a summary (then they are folded one click away). Per package:

- pages whose visible steps go deeper than 3 levels (target: under 2%);
- p90 of the top-level steps per step list (a function, or a method's section; target <= 12);
- the most visible steps on one page (target <= 150);
- of the steps whose code calls a documented object, the share that links to it (>= 90%);
  "calls a documented object" is judged apart from the linker: a call whose callee is a bare
  name, or `self.` / `cls.` / a package name followed by a name, whose last part is the name
  of a documented function, class or method;
- vague terms (the default `vague_terms`) in the narrator's own words, summaries included.

    .venv/bin/python bench/steps.py --venv /work/bench-venv requests httpx rich
"""

from __future__ import annotations

import argparse
import logging
import posixpath
import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

import griffe

from mkdocs_howto.analyze import AnalyzeOptions, Analyzer, link_anchors, method_anchor
from mkdocs_howto.analyze.links import callee
from mkdocs_howto.analyze.lint import DEFAULT_VAGUE_TERMS, vague_pattern
from mkdocs_howto.analyze.phases import every_step, visible_steps
from mkdocs_howto.facts import Code, HowTo, Link, Sentence, Step, Text
from mkdocs_howto.generate import SiteOptions, _resolver, plan_pages
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.pages import page_links
from mkdocs_howto.render import RenderOptions

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "site_example" / "src"
VAGUE = vague_pattern(DEFAULT_VAGUE_TERMS)


@dataclass
class Counts:
    package: str
    pages: int = 0
    deep_pages: int = 0
    top_levels: list[int] = field(default_factory=list)
    most_visible: int = 0
    most_visible_page: str = ""
    calls: int = 0
    linked: int = 0
    vague: list[str] = field(default_factory=list)
    links: int = 0
    wrong_links: list[str] = field(default_factory=list)


def step_lists(howto: HowTo) -> list[tuple[Step, ...]]:
    return [howto.steps] if not howto.phases else [phase.steps for phase in howto.phases]


def visible_lists(howto: HowTo) -> list[tuple[Step, ...]]:
    """What a reader sees: a folded method section shows one sentence (counted as a step)."""
    if not howto.phases:
        return [howto.steps]
    return [
        (Step(phase.summary, 0, 0),) if phase.summary else phase.steps for phase in howto.phases
    ]


def calls_documented(
    segment: Code | Link, objects: set[str], methods: set[str], roots: set[str], own: str
) -> bool:
    """`own`: the page's object; a call to it (`Cls()` inside `Cls.copy`) is no link."""
    name = callee(segment.value)
    if name is None or "(" not in segment.value or name == own:
        return False
    parts = name.split(".")
    if parts[-1].startswith("_"):
        return False  # private: no page, no section
    if len(parts) == 1 or parts[0] in roots:
        return parts[-1] in objects  # a documented function or class
    if len(parts) == 2 and parts[0] in ("self", "cls"):
        return parts[-1] in methods  # a documented class's public method
    return False


def names_its_target(
    link: Link, own: str, imports: dict[str, str], members: dict[str, set[str]]
) -> bool:
    """A link goes where its code points: the callee's last name (or the name a module's
    `import … as` renames) is the target page's object or the method section it opens
    (`Cls()` may open its `__init__`); `self.attr` may open the page of the class (a base)
    that documents `attr`. Checked apart from the linker, on names only."""
    name = callee(link.value)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    names = {last}
    if "." not in name and name in imports:
        names.add(imports[name].rsplit(".", 1)[-1])
    page, _, anchor = link.href.partition("#")
    page_name = _page_name(posixpath.normpath(posixpath.join(posixpath.dirname(own), page)))
    if anchor == "init-special":
        return bool(names & {"__init__", page_name})
    if anchor:
        return anchor in {method_anchor(name) for name in names}
    if "." in name and last in members.get(page_name, set()):
        return True  # `self.attr`, `Enum.MEMBER`: documented on the class's page
    return page_name in names


def _page_name(page: str) -> str:
    """The name a page's file stands for: `sql/Uuid-class-2.md` -> `Uuid` (a suffix tells
    apart names that differ in case only), `deprecated/parse/index.md` -> `parse`."""
    stem = page.removesuffix("/index.md").rsplit("/", 1)[-1]
    return re.sub(r"(-(class|function))?(-\d+)?$", "", stem.removesuffix(".md"))


#: "process" after a determiner is the noun ("Starts the process"), not the vague verb.
DETERMINER = re.compile(r"\b(the|a|each|every|this|that|child)\s+$", re.IGNORECASE)


def vague_words(words: str) -> list[str]:
    """Vague terms in prose; upper-case is an HTTP method (`GET`), a noun after "the" is no verb."""
    return [
        hit.group()
        for hit in VAGUE.finditer(words)
        if not hit.group().isupper()
        and not (hit.group().lower() in NOUNS and DETERMINER.search(words[: hit.start()]))
    ]


NOUNS = {"process", "processes"}


def prose(text: Sentence) -> str:
    """The narrator's own words: code spans and quoted author's words (“…”) blanked."""
    words = "".join(s.value if isinstance(s, Text) else " ` " for s in text)
    return re.sub(r"“[^”]*”", " ", words)


def measure(package: str, path: Path) -> Counts:
    options = SiteOptions(
        LoadOptions((package,), (path,)), AnalyzeOptions(frozenset({package})), RenderOptions()
    )
    planned = plan_pages(options)
    api = planned.api
    links = page_links(api, planned.plan, link_anchors)
    analyzer = Analyzer(options.analyze, _resolver(api), links)
    objects = {item.name for item in api.objects}
    methods = {
        name
        for item in api.objects
        if isinstance(item.obj, griffe.Class)
        for name, member in item.obj.members.items()
        if isinstance(member, griffe.Function)
    }
    members: dict[str, set[str]] = {}  # classes of the same name share an entry
    for item in api.objects:
        if isinstance(item.obj, griffe.Class):
            members.setdefault(item.name, set()).update(item.obj.members)
    counts = Counts(package)
    for item in api.objects:
        howto = analyzer.analyze(item)
        counts.pages += 1
        shown = [pair for steps in visible_lists(howto) for pair in visible_steps(steps)]
        if any(depth > 3 for _, depth in shown):
            counts.deep_pages += 1
        counts.top_levels += [len(steps) for steps in visible_lists(howto) if steps]
        if len(shown) > counts.most_visible:
            counts.most_visible, counts.most_visible_page = len(shown), item.public_path
        for steps in step_lists(howto):
            for step in every_step(steps):
                for text in (step.sentence, step.summary):
                    for segment in text:
                        if isinstance(segment, Code | Link) and calls_documented(
                            segment, objects, methods, {package}, item.name
                        ):
                            counts.calls += 1
                            counts.linked += isinstance(segment, Link)
                    for segment in text:
                        if isinstance(segment, Link):
                            counts.links += 1
                            module = item.obj.module
                            own = links.targets[item.public_path].partition("#")[0]
                            if not names_its_target(segment, own, module.imports, members):
                                counts.wrong_links.append(
                                    f"{item.public_path}: {segment.value} -> {segment.href}"
                                )
                    counts.vague += [
                        f"{item.public_path}: {hit}" for hit in vague_words(prose(text))
                    ]
    return counts


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if not found:
        sys.exit(f"no site-packages in {venv}")
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", default=["requests", "httpx", "rich"])
    parser.add_argument("--venv", type=Path, default=Path("/work/bench-venv"))
    parser.add_argument("--paths", type=Path, help="search folder for the packages instead")
    args = parser.parse_args(argv)
    logging.getLogger("griffe").setLevel(logging.ERROR)
    rows = [measure("skyfeed", DEMO)]
    where = args.paths or site_packages(args.venv)
    rows += [measure(name, where) for name in args.packages]
    print(
        f"{'package':12} {'pages':>6} {'deep>3':>7} {'p90 top':>8} {'max vis':>8} "
        f"{'calls':>6} {'linked':>7} {'wrong':>6} {'vague':>6}  biggest page"
    )
    for r in rows:
        deciles = statistics.quantiles(r.top_levels, n=10) if len(r.top_levels) > 1 else [0] * 9
        share = f"{100 * r.linked / r.calls:.0f}%" if r.calls else "-"
        print(
            f"{r.package:12} {r.pages:6d} {100 * r.deep_pages / max(r.pages, 1):6.1f}% "
            f"{deciles[8]:8.0f} {r.most_visible:8d} {r.calls:6d} {share:>7} "
            f"{len(r.wrong_links):6d} {len(r.vague):6d}  "
            f"{r.most_visible_page}"
        )
        for hit in r.vague[:5]:
            print(f"    vague: {hit}")
        for hit in r.wrong_links[:5]:
            print(f"    wrong link: {hit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
