"""Rendering: Jinja2 templates turn `HowTo` facts into Markdown. No analysis here.

User text never reaches Jinja as template source: it arrives as values. Code from the user's
package goes through `do_code` / `do_fence` (fences longer than any backtick run inside), prose
made by the analyzer through `do_text` (Markdown and HTML escaped).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from mkdocs_howto.errors import RenderError
from mkdocs_howto.facts import HowTo, ModuleIndex, Sentence, Text

TEMPLATES = Path(__file__).parent / "templates"
_BACKTICKS = re.compile(r"`+")
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}#|!])")
_MARKED_SECTION = "<!"
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


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


def do_sentence(value: Sentence) -> str:
    return "".join(
        do_text(segment.value) if isinstance(segment, Text) else do_code(segment.value)
        for segment in value
    )


def do_fence(code: str, language: str = "python", attributes: str = "") -> str:
    """A fenced code block that no line of `code` can close early."""
    longest = max((len(run) for run in re.findall(r"^\s*(`+)", code, re.M)), default=0)
    fence = "`" * max(3, longest + 1)
    header = f"{fence} {{ .{language} {attributes} }}" if attributes else f"{fence}{language}"
    return f"{header}\n{code.rstrip()}\n{fence}"


def do_docstring(value: str) -> str:
    """Docstring Markdown, with unclosed code fences closed so they cannot swallow the page."""
    open_fence: str | None = None
    lines = []
    for line in value.splitlines():
        match = _FENCE_LINE.match(line)
        if match:
            marker = match.group(1)
            if open_fence is None:
                open_fence = marker
            elif marker[0] == open_fence[0] and len(marker) >= len(open_fence):
                open_fence = None
        elif open_fence is None and _MARKED_SECTION in line:
            lines.append(_defuse_marked_sections(line))
            continue
        lines.append(line)
    return "\n".join(lines) + (f"\n{open_fence}" if open_fence else "")


def _defuse_marked_sections(line: str) -> str:
    """Keep `<!` in prose and code spans away from `html.parser` (see `_html_code`)."""
    line = _CODE_SPAN.sub(
        lambda m: _html_code(m.group(2).strip()) if _MARKED_SECTION in m.group(2) else m.group(0),
        line,
    )
    return line.replace("<![", "&lt;![")


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
    """Docstring text squeezed into one Markdown table cell."""
    return _defuse_marked_sections(" ".join(str(value).split()).replace("|", "\\|"))


def do_indent(value: str, width: int = 4) -> str:
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in value.splitlines())


@dataclass(frozen=True)
class RenderOptions:
    show_source: bool = True
    line_anchors: str | None = "__codelineno"
    """Prefix of the source block's line anchors (pymdownx.highlight), None when off."""
    page_template: str | None = "howto.html"
    """The theme template named in each page's front matter."""
    howto_template: str = "howto.md.jinja"
    user_dirs: tuple[Path, ...] = ()
    """Folders searched before the built-in templates (the theme's `custom_dir`)."""


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
            sentence=do_sentence,
            fence=do_fence,
            docstring=do_docstring,
            cell=do_cell,
            anchor=do_anchor,
            anchor_link=do_anchor_link,
            indent_md=do_indent,
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
