"""Rendering: Jinja2 templates turn `HowTo` facts into Markdown. No analysis here.

User text never reaches Jinja as template source: it arrives as values. Code from the user's
package goes through `do_code` / `do_fence` (fences longer than any backtick run inside), prose
made by the analyzer through `do_text` (Markdown and HTML escaped), values in front matter
through `do_yaml`. Docstrings are Markdown (`do_docstring`, `do_cell`), with one exception:
raw HTML tags in them are shown as text and `javascript:` links are not links, so a docstring
cannot inject anything into the page; code spans and code blocks stay verbatim.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from mkdocs_howto.errors import RenderError
from mkdocs_howto.facts import TYPE_NAME, HowTo, Link, ModuleIndex, Segment, Sentence, Text
from mkdocs_howto.labels import kind_key, labels_for

TEMPLATES = Path(__file__).parent / "templates"
_BACKTICKS = re.compile(r"`+")
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}#|!])")
_MARKED_SECTION = "<!"
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_CODE_SPAN_LINES = re.compile(_CODE_SPAN.pattern, re.S)
#: `<` opening a tag, closing tag, comment, declaration or processing instruction.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
#: Markdown autolinks (`<https://…>`, `<me@example.com>`): links, not HTML; kept.
_AUTOLINK = re.compile(
    r"<(?:(?:https?|ftp)://[^<>\s]*|(?:mailto:)?[-.\w+]+@[-\w]+(?:\.[-\w]+)+)>", re.I
)
_SCRIPT_URL = r"\s*<?\s*(?:javascript|vbscript|data)\s*:"
#: `[text](javascript:…)` and `[ref]: javascript:…`: escaped so they stay plain text.
_SCRIPT_LINK = re.compile(rf"(\])\((?={_SCRIPT_URL})", re.I)
_SCRIPT_REFERENCE = re.compile(rf"^(\s{{0,3}})\[(?=[^\]\n]+\]:{_SCRIPT_URL})", re.I | re.M)
#: Lines that open a container whose indented lines are prose: list items, admonitions, tabs.
_CONTAINER = re.compile(r"^\s{0,3}(?:[*+-]|\d+[.)])\s|^\s*(?:!!!|\?\?\?\+?|===)\s")

#: The MkDocs page template generated pages name in their front matter (`theme/`).
PAGE_TEMPLATE = "howto.html"


def do_code(value: object) -> str:
    """An inline code span that holds `value` whatever backticks it contains."""
    text = " ".join(str(value).split())
    if not text:
        return ""
    if _MARKED_SECTION in text:
        return _html_code(text)
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _html_code(text: str) -> str:
    """Inline code as raw HTML with every special character escaped.

    Python-Markdown scans raw HTML with `html.parser` before code spans are parsed, and that
    parser fails an assertion on `<![` (a regex lookbehind like `(?<![\\w])`); an escaped
    `<code>` element carries the same text past it.
    """
    return f"<code>{do_text(text)}</code>"


def do_text(value: object) -> str:
    """Prose with Markdown and HTML special characters escaped."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def do_prose(value: object) -> str:
    """A model's text: its `code spans` as code, everything else escaped (no raw HTML, no
    Markdown it did not mean)."""
    return _with_code(" ".join(str(value).split()))


def do_lines(value: object) -> str:
    """Prose of several lines (a comment block): each escaped, its `code` spans (single or
    double backticks, as authors write them in comments) as code, joined by line breaks."""
    return "<br>".join(_with_code(line.strip()) for line in str(value).split("\n"))


def do_title(value: object) -> str:
    """A comment that titles a step: its first sentence (or first line) bold, the rest of
    the comment plain after it, so a paragraph-long comment does not shout."""
    text = str(value).strip()
    head, newline, tail = text.partition("\n")
    end = _SENTENCE_END.search(head)
    if end:
        head, tail = head[: end.start() + 1], head[end.end() :] + newline + tail
    elif newline:
        tail = newline + tail
    bold = f"**{_with_code(head)}**"
    if not tail.strip():
        return bold
    # a new line (a paragraph, a list item) stays a line break; a sentence runs on
    return bold + ("<br>" if tail.startswith("\n") else " ") + do_lines(tail.strip())


def _with_code(text: str) -> str:
    """Text an author or a model wrote: its code spans (`x`, reST's ``x``) as code, the
    rest escaped."""
    pieces, position = [], 0
    for span in _CODE_SPAN.finditer(text):
        pieces += [do_text(text[position : span.start()]), do_code(span.group(2))]
        position = span.end()
    pieces.append(do_text(text[position:]))
    return "".join(pieces)


#: The end of a title's first sentence: a stop, then a space and a capital (or a quote).
_SENTENCE_END = re.compile(r"[.!?](\s+)(?=[A-Z`\"'(])")


def do_sentence(value: Sentence) -> str:
    return "".join(_segment(segment) for segment in value)


def _segment(segment: Segment) -> str:
    if isinstance(segment, Text):
        return do_text(segment.value)
    if isinstance(segment, Link):
        return f"[{do_code(segment.value)}]({segment.href})"
    return do_code(segment.value)


def do_fence(code: str, language: str = "python", attributes: str = "") -> str:
    """A fenced code block that no line of `code` can close early."""
    longest = max((len(run) for run in re.findall(r"^\s*(`+)", code, re.M)), default=0)
    fence = "`" * max(3, longest + 1)
    header = f"{fence} {{ .{language} {attributes} }}" if attributes else f"{fence}{language}"
    return f"{header}\n{code.rstrip()}\n{fence}"


def do_docstring(value: str) -> str:
    """Docstring Markdown, made safe: raw HTML in prose is shown as text, unclosed code
    fences are closed so they cannot swallow the page; code blocks and spans stay verbatim."""
    blocks = _DocstringBlocks()
    for line in value.splitlines():
        blocks.add(line)
    return blocks.text()


class _DocstringBlocks:
    """Sorts a docstring's lines into code (kept) and prose (escaped by paragraph)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.prose: list[str] = []
        self.fence: str | None = None
        self.in_container = False
        self.after_blank = True
        self.in_code = False

    def add(self, line: str) -> None:
        match = _FENCE_LINE.match(line)
        if self.fence is not None:
            self.out.append(line)
            if match and _closes(match.group(1), self.fence, line):
                self.fence = None
            return
        if match:
            self._flush()
            self.fence, self.in_code = match.group(1), False
            self.out.append(line)
            return
        if not line.strip():
            self._flush()
            self.out.append(line)
            self.after_blank = True
            return
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent >= 4 and not self.in_container and (self.after_blank or self.in_code):
            self._flush()  # an indented code block: Markdown shows it verbatim
            self.out.append(line)
            self.in_code, self.after_blank = True, False
            return
        if _CONTAINER.match(line):
            self.in_container = True
        elif indent < 4 and self.after_blank:
            self.in_container = False  # a paragraph at the margin ends a list or admonition
        self.prose.append(line)
        self.in_code = self.after_blank = False

    def _flush(self) -> None:
        if self.prose:
            self.out.append(escape_html("\n".join(self.prose)))
            self.prose = []

    def text(self) -> str:
        self._flush()
        return "\n".join(self.out) + (f"\n{self.fence}" if self.fence else "")


def _closes(marker: str, fence: str, line: str) -> bool:
    rest = line.strip()[len(marker) :]
    return marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip()


def escape_html(text: str) -> str:
    """Markdown prose with raw HTML tags shown as text and script links disarmed.

    Code spans are kept (Markdown escapes them itself), except that one holding `<!` becomes
    an escaped `<code>` element (see `_html_code`); autolinks stay links.
    """
    pieces, position = [], 0
    for span in _CODE_SPAN_LINES.finditer(text):
        pieces.append(_escape_tags(text[position : span.start()]))
        code = span.group(2)
        pieces.append(_html_code(code.strip()) if _MARKED_SECTION in code else span.group(0))
        position = span.end()
    pieces.append(_escape_tags(text[position:]))
    return "".join(pieces)


def _escape_tags(text: str) -> str:
    pieces, position = [], 0
    for link in _AUTOLINK.finditer(text):
        pieces += [_TAG_START.sub("&lt;", text[position : link.start()]), link.group(0)]
        position = link.end()
    pieces.append(_TAG_START.sub("&lt;", text[position:]))
    text = _SCRIPT_LINK.sub(r"\1\\(", "".join(pieces))
    return _SCRIPT_REFERENCE.sub(r"\1\\[", text)


def do_yaml(value: object) -> str:
    """A YAML scalar for front matter: quoted, so a page named `on` or `null` keeps its title."""
    return json.dumps(str(value), ensure_ascii=False)


def do_anchor(value: str) -> str:
    """An id for attr_list's `{ #id }`; escaped so `__init__` is not read as bold."""
    return value.replace("_", "\\_") if _needs_escape(value) else value


def do_anchor_link(label: str, anchor: str) -> str:
    """A link to an anchor of this page, as code.

    MkDocs checks Markdown links against the ids it sees before escapes are restored, so an
    escaped id (`__init__`) is linked with raw HTML, which it does not check.
    """
    if _needs_escape(anchor):
        return f'<a href="#{anchor}">{_html_code(label)}</a>'
    return f"[{do_code(label)}](#{anchor})"


def _needs_escape(anchor: str) -> bool:
    return anchor.startswith("_") or anchor.endswith("_")


def do_cell(value: object) -> str:
    """Docstring text squeezed into one Markdown table cell (raw HTML shown as text)."""
    return escape_html(" ".join(str(value).split())).replace("|", "\\|")


_BREAK_AFTER = re.compile(r"(?<=[\[(,|.])")


def do_wrapping_code(value: object) -> str:
    """Inline code (a type, a value) that may wrap after `[`, `(`, `,`, `|` and `.` rather
    than inside a name, for narrow table columns. Escaped like `_html_code`."""
    text = " ".join(str(value).split())
    if not text:
        return ""
    return "<code>" + "<wbr>".join(do_text(part) for part in _BREAK_AFTER.split(text)) + "</code>"


def do_typed(value: object, links: Sequence[tuple[str, str]] = ()) -> str:
    """A type as `do_wrapping_code` shows it, each name in `links` a link to its page:
    `dict[str, ` `Response` `]`, the linked name its own code span."""
    text = " ".join(str(value).split())
    hrefs = dict(links)
    parts: list[str] = []
    start = 0
    for name in TYPE_NAME.finditer(text):
        href = hrefs.get(name.group())
        if href is None:
            continue
        parts += [_spaced_code(text[start : name.start()]), f"[{do_code(name.group())}]({href})"]
        start = name.end()
    return "".join([*parts, _spaced_code(text[start:])])


def _spaced_code(text: str) -> str:
    """`do_wrapping_code` keeping a space at either end (`int | ` next to a link)."""
    code = do_wrapping_code(text)
    if code and text.startswith(" "):
        code = " " + code
    if code and text.endswith(" "):
        code += " "
    return code


def do_table(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    title: str,
    css: str = "",
    all_values: str = "all {values}",
) -> str:
    """A table of Markdown cells as HTML whose cells are Markdown blocks (`md_in_html`), so a
    description's code blocks, lists and admonitions render as blocks. Cells are Markdown the
    filters made safe already. A column with one value on every row (two rows or more) or
    empty on every row is left out; a dropped value is said once, after the title
    (`all_values`, Markdown, says it). Headers are plain text."""
    rows = [list(row) for row in rows]
    keep, notes = [0], []
    for column in range(1, len(headers)):
        values = {row[column].strip() for row in rows}
        if values == {""}:
            continue
        if len(rows) > 1 and len(values) == 1 and column < len(headers) - 1:
            value = values.pop()
            if value.lower() not in title.lower():
                notes.append(value)
            continue
        keep.append(column)
    said = all_values.replace("{values}", ", ".join(notes))
    heading = f"**{title}**" + (f" ({said})" if notes else "")
    head = "".join(f"<th>{do_text(headers[column])}</th>" for column in keep)
    body = "".join(
        "<tr markdown>\n"
        + "".join(_cell(row[column], column == len(headers) - 1) for column in keep)
        + "</tr>\n"
        for row in rows
    )
    return (
        f'{heading}\n\n<div class="howto-table {css}" markdown>\n<table markdown>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody markdown>\n{body}</tbody>\n</table>\n</div>"
    )


def _cell(markdown: str, block: bool) -> str:
    if not block:
        return f"<td markdown>{' '.join(markdown.split())}</td>\n"
    return f'<td markdown="block">\n\n{markdown.strip()}\n\n</td>\n'


def do_indent(value: str, width: int = 4) -> str:
    """Indent every line; lines end at `\\n` only, so a listing keeps Python's line numbers
    (`str.splitlines` would also break at form feeds)."""
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in value.split("\n"))


def do_label(labels: Mapping[str, str], key: str, **values: object) -> str:
    """A fixed text of the page (`labels`), escaped, its `{placeholders}` filled with `values`
    (Markdown already made safe by the filters)."""
    pieces = []
    for literal, name, _, _ in string.Formatter().parse(labels[key]):
        pieces.append(do_text(literal))
        if name:
            pieces.append(str(values[name]))
    return "".join(pieces)


def do_kind(labels: Mapping[str, str], kind: str) -> str:
    """An object's kind (`async function`) in the page's language."""
    return do_text(labels.get(kind_key(kind), kind))


@dataclass(frozen=True)
class RenderOptions:
    show_source: bool = True
    line_anchors: str | None = "__codelineno"
    """Prefix of the source block's line anchors (pymdownx.highlight), None when off."""
    page_template: str | None = PAGE_TEMPLATE
    """The theme template named in each page's front matter."""
    howto_template: str = "howto.md.jinja"
    user_dirs: tuple[Path, ...] = ()
    """Folders searched before the built-in templates (the theme's `custom_dir`)."""
    labels: tuple[tuple[str, str], ...] = ()
    """The fixed texts that differ from English (`labels.labels_for`): key, text."""


class Renderer:
    """Compiles the templates once and renders pages from facts."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        loader = jinja2.FileSystemLoader([*map(str, options.user_dirs), str(TEMPLATES)])
        self.env = jinja2.Environment(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # Markdown, not HTML: escaping is explicit, per filter
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            code=do_code,
            text=do_text,
            lines=do_lines,
            prose=do_prose,
            sentence=do_sentence,
            fence=do_fence,
            docstring=do_docstring,
            cell=do_cell,
            anchor=do_anchor,
            anchor_link=do_anchor_link,
            indent_md=do_indent,
            table=do_table,
            wrapping_code=do_wrapping_code,
            typed=do_typed,
            title=do_title,
            yaml=do_yaml,
        )
        labels = {**labels_for(None, {}), **dict(options.labels)}
        self.env.globals.update(
            label=lambda key, **values: do_label(labels, key, **values),
            # plain text, for what is escaped where it is shown (table headers)
            label_text=labels.__getitem__,
            kind=lambda value: do_kind(labels, value),
        )
        self.howto = self._template(options.howto_template)
        self.index = self._template("index.md.jinja")

    def _template(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as error:
            raise RenderError(f"template '{name}' not found in {self._searched()}") from error
        except jinja2.TemplateSyntaxError as error:
            raise RenderError(f"{error.filename}:{error.lineno}: {error.message}") from error

    def _searched(self) -> str:
        return ", ".join(str(path) for path in (*self.options.user_dirs, TEMPLATES))

    def render_howto(self, howto: HowTo) -> str:
        return self._render(self.howto, howto=howto, options=self.options)

    def render_index(self, index: ModuleIndex, breadcrumbs: Sequence[str] = ()) -> str:
        return self._render(self.index, index=index, options=self.options, breadcrumbs=breadcrumbs)

    def _render(self, template: jinja2.Template, **context: object) -> str:
        try:
            return template.render(**context)
        except jinja2.TemplateError as error:
            raise RenderError(f"template '{template.name}' failed: {error}") from error
