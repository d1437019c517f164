"""Count docstring rendering faults on generated pages (issue 13).

For the demo package and real packages installed in a venv, generate every page's Markdown
in-process (no MkDocs build) and count, per package:

- pages showing a raw reST role (`:class:`…``), a Sphinx field (`:param x:`) or a `::`
  literal marker in their prose;
- pages where a Google or NumPy section header leaks into prose (`Returns:` on its own line,
  a title over a line of dashes, `Args:`…);
- parameters documented in the docstring (`:param x:`, `x (int): …` under `Args:`, `x : int`
  under a NumPy `Parameters` title, `* **x** - …` under `**Parameters:**`) whose row on the
  page has no description.

Prose is the page's Markdown without the Source section, fenced blocks and code spans. The
counts are read from the pages, not from the analyzer's facts, so they hold whatever the
analyzer believes. Run with the plugin's venv:

    .venv/bin/python bench/docstrings.py --venv /work/bench-venv requests rich httpx click

Compare with another checkout of the plugin: `PYTHONPATH=/path/to/checkout .venv/bin/python …`.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import griffe

import mkdocs_howto
from mkdocs_howto.analyze import AnalyzeOptions
from mkdocs_howto.generate import SiteOptions, plan_pages, write_pages
from mkdocs_howto.load import LoadOptions
from mkdocs_howto.render import RenderOptions

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "site_example" / "src"

_SOURCE = re.compile(r"<!-- howto:source -->.*?<!-- /howto:source -->", re.S)
_FENCED = re.compile(r"^(\s*)(`{3,}|~{3,}).*?^\1\2\s*$", re.S | re.M)
_LONG_SPAN = re.compile(r"(`{2,})(?!`).+?(?<!`)\1(?!`)", re.S)
_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|exc|attr|mod|data|obj|const|ref):\\?`"
    r"|^\s*:(?:param|parameter|type|returns?|rtype|raises?|ivar|var)\b[^:\n]*:",
    re.M,
)
_LITERAL = re.compile(r"\S::\s*$|^\s*::\s*$", re.M)
_GOOGLE = re.compile(
    r"^\s*(?:Args|Arguments|Parameters|Params|Returns?|Yields?|Raises|Attributes|"
    r"Keyword Args|Keyword Arguments|Other Parameters):\s*$",
    re.M,
)
_NUMPY = re.compile(r"^\s*[A-Z][A-Za-z ]+\n\s*-{3,}\s*$", re.M)
#: A bold section name not introducing one of the page's own tables.
_BOLD_SECTION = re.compile(
    r"^\*\*(?:Args|Parameters|Returns|Yields|Raises|Attributes)\*\*[ \t]*$"
    r"(?!.*\n\n(?:<div class=\"howto-table|\|))",
    re.M,
)
_ROW = re.compile(r"<tr markdown>\n<td markdown>(?P<name>.*?)</td>\n(?P<cells>.*?)</tr>", re.S)
_TABLE_ROW = re.compile(r"^\|\s*(?P<name>`[^|]*`)\s*\|(?P<cells>.*)\|\s*$", re.M)


@dataclass
class Counts:
    package: str
    pages: int = 0
    raw_rest: list[str] = field(default_factory=list)
    leaked_headers: list[str] = field(default_factory=list)
    blank_params: list[str] = field(default_factory=list)
    documented_params: int = 0


def prose(markdown: str) -> str:
    """The page without its Source section, fenced blocks and code spans."""
    return _SPAN.sub("", without_blocks(markdown))


def without_blocks(markdown: str) -> str:
    """The page without its Source section, fenced blocks and code spans of two or more
    backticks (single-backtick spans are kept: a raw role's target looks like one)."""
    return _LONG_SPAN.sub("", _FENCED.sub("", _SOURCE.sub("", markdown)))


def documented_names(docstring: str) -> set[str]:
    """Parameter names the raw docstring documents, in any of the three styles."""
    names = set(re.findall(r":param\s+(?:[^:\n]+\s)?\\?\*{0,2}\\?\*?(\w+):", docstring))
    sections = re.split(
        r"^\s*(?:Args|Arguments|Parameters|Params|Keyword Args):\s*$", docstring, flags=re.M
    )
    for block in sections[1:]:
        lines = block.split("\n")
        indent = None
        for line in lines[1:] if not lines[0].strip() else lines:
            if not line.strip():
                continue
            width = len(line) - len(line.lstrip())
            indent = width if indent is None else indent
            if width < indent:
                break
            match = re.match(r"\s*\\?\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:", line)
            if width == indent and match:
                names.add(match.group(1))
    if re.search(
        r"^\s*(?:\*\*)?(?:Parameters|Arguments|Args|Params)(?::\*\*|\*\*:|:)\s*$", docstring, re.M
    ):
        for bold, code in re.findall(
            r"^\s*[*-]\s+(?:\*\*(\w+)\*\*|`(\w+)`)\s+[-\u2013:]\s", docstring, re.M
        ):
            names.add(bold or code)
    numpy = re.split(r"^\s*Parameters\s*\n\s*-{3,}\s*$", docstring, flags=re.M)
    for block in numpy[1:]:
        for line in block.split("\n"):
            if re.match(r"^\s*-{3,}\s*$", line):
                break
            match = re.match(r"^\s*\*{0,2}(\w+)\s*:", line)
            if match and not line.startswith("        "):
                names.add(match.group(1))
    return names


def page_params(markdown: str) -> dict[str, str]:
    """Parameter name -> its description cell, from the page's Parameters table."""
    start = markdown.find("**Parameters**")
    if start < 0:
        return {}
    end = markdown.find("</table>", start)
    table = markdown[start : end if end > 0 else len(markdown)]
    found: dict[str, str] = {}
    rows = [(m.group("name"), m.group("cells")) for m in _ROW.finditer(table)]
    if not rows:  # the pipe tables of older versions
        rows = [(m.group("name"), m.group("cells")) for m in _TABLE_ROW.finditer(table)]
        has_description = (
            "Description" in table.split("\n", 3)[2] if table.count("\n") > 2 else False
        )
        for name, cells in rows:
            last = cells.split("|")[-1] if has_description else ""
            found[name.strip("`").lstrip("*")] = last.strip()
        return found
    description_column = "<th>Description</th>" in table
    for name, cells in rows:
        blocks = re.findall(r'<td markdown="block">(.*?)</td>', cells, re.S)
        text = blocks[-1].strip() if blocks and description_column else ""
        found[name.strip("`").lstrip("*")] = text
    return found


def count(package: str, paths: tuple[Path, ...]) -> Counts:
    options = SiteOptions(
        load=LoadOptions(packages=(package,), paths=paths),
        analyze=AnalyzeOptions(packages=frozenset([package]), verify_examples="off"),
        render=RenderOptions(),
    )
    planned = plan_pages(options)
    objects = {
        planned.plan.object_pages[item.public_path]: item.obj for item in planned.api.objects
    }
    site = write_pages(options, planned)
    counts = Counts(package)
    for uri, markdown in site.pages.items():
        obj = objects.get(uri)
        if obj is None:
            continue
        counts.pages += 1
        text = prose(markdown)
        if _ROLE.search(without_blocks(markdown)) or _LITERAL.search(text):
            counts.raw_rest.append(uri)
        if _GOOGLE.search(text) or _NUMPY.search(text) or _BOLD_SECTION.search(text):
            counts.leaked_headers.append(uri)
        docstrings = [obj.docstring.value if obj.docstring else ""]
        init = obj.members.get("__init__") if isinstance(obj, griffe.Class) else None
        if init is not None and not init.is_alias and init.docstring is not None:
            docstrings.append(init.docstring.value)
        documented = set().union(*(documented_names(d) for d in docstrings))
        for name, description in page_params(markdown).items():
            if name in documented:
                counts.documented_params += 1
                if not description:
                    counts.blank_params.append(f"{uri}: {name}")
    return counts


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if not found:
        raise SystemExit(f"no site-packages under {venv}")
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", default=["requests", "rich", "httpx", "click"])
    parser.add_argument("--venv", type=Path, default=Path("/work/bench-venv"))
    parser.add_argument("--list", type=int, default=3, help="examples listed per count")
    args = parser.parse_args(argv)
    logging.getLogger("griffe").setLevel(logging.ERROR)
    print(f"plugin: {Path(mkdocs_howto.__file__).parent}")
    targets = [("skyfeed", (DEMO,))] + [(p, (site_packages(args.venv),)) for p in args.packages]
    print(
        "| package | pages | raw role or `::` | leaked section headers | documented params blank |"
    )
    print(
        "| ------- | ----: | ---------------: | ---------------------: | ----------------------: |"
    )
    details = []
    for package, paths in targets:
        counts = count(package, paths)
        print(
            f"| {package} | {counts.pages} | {len(counts.raw_rest)} | "
            f"{len(counts.leaked_headers)} | {len(counts.blank_params)} of "
            f"{counts.documented_params} |"
        )
        details.append(counts)
    for counts in details:
        for label, items in (
            ("raw reST", counts.raw_rest),
            ("leaked headers", counts.leaked_headers),
            ("blank params", counts.blank_params),
        ):
            for item in items[: args.list]:
                print(f"  {counts.package} {label}: {item}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
