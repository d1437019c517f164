"""reST in docstrings, as the Markdown the pages are written in.

Roles (`:class:`Request``) become links to the page documenting their target, or code spans;
`::` literal blocks, `.. code-block::` and doctest blocks become fenced code; admonition
directives (`.. note::`, `.. versionadded::`…) become Material admonitions. Markdown already in
a docstring is left as it is. Pure text to text: no MkDocs, no Griffe; `Resolve` answers the URL
of a role's target. Whatever is not understood (a malformed role, an unknown directive) is kept
as text or code, never dropped; the renderer escapes raw HTML afterwards.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

Resolve = Callable[[str, str], "str | None"]
"""(target, role) -> the URL of the page documenting `target`, or None."""

#: Python-domain roles: a link to the target's page, else a code span.
PYTHON_ROLES = frozenset(
    [
        "class",
        "func",
        "meth",
        "exc",
        "attr",
        "mod",
        "data",
        "obj",
        "const",
        "type",
        "any",
        "function",
        "method",
        "exception",
        "attribute",
        "module",
    ]
)
#: Roles whose text is prose: their title (or target) as plain text.
TEXT_ROLES = frozenset(["ref", "doc", "term", "numref", "abbr", "dfn", "guilabel", "menuselection"])

_ROLE = r":(?:(?P<domain>[a-z]+):)?(?P<role>[a-zA-Z][\w-]*):`(?P<content>[^`]+)`(?!`)"
_HYPERLINK = r"`(?P<label>[^`<]+?)\s*<(?P<url>[^`<>\s]+)>`__?"
_CODE = r"(?P<ticks>`+)(?P<code>.+?)(?<!`)(?P=ticks)(?!`)"
#: A footnote or citation reference: `[1]_`, `[#]_`, `[Knuth1997]_`.
_CITED = r"\[(?P<cited>[\w#*.-]+)\]_(?!\w)"
_INLINE = re.compile(f"{_ROLE}|{_HYPERLINK}|{_CODE}|{_CITED}", re.S)
#: A footnote or citation: `.. [1] Author, Title.` (its text may go on, indented).
_CITATION = re.compile(r"^(?P<indent>\s*)\.\.\s+\[(?P<label>[\w#*.-]+)\](?:\s+(?P<text>.*))?$")
_TITLED = re.compile(r"^(?P<title>.*?\S)\s*<(?P<target>[^<>]+)>$", re.S)
_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>[\w:.-]+)::(?:\s+(?P<arg>.*))?$")
_EXPLICIT = re.compile(r"^\s*\.\.(?:\s|$)")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_UNDERLINE = re.compile(r"^\s*([=\-~^\"'#*+.:_])\1{2,}\s*$")
_OPTION = re.compile(r"^\s*:[\w-]+:")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]])")

#: reST admonition -> (Material type, title).
ADMONITIONS = {
    "note": ("note", "Note"),
    "warning": ("warning", "Warning"),
    "tip": ("tip", "Tip"),
    "hint": ("tip", "Hint"),
    "important": ("warning", "Important"),
    "caution": ("warning", "Caution"),
    "attention": ("warning", "Attention"),
    "danger": ("danger", "Danger"),
    "error": ("failure", "Error"),
    "seealso": ("info", "See also"),
    "todo": ("note", "To do"),
}
#: Version directives: the argument is a version, the title says what happened in it.
VERSIONED = {
    "versionadded": ("info", "Added in version {}"),
    "versionchanged": ("info", "Changed in version {}"),
    "versionremoved": ("warning", "Removed in version {}"),
    "deprecated": ("warning", "Deprecated since version {}"),
}
CODE_DIRECTIVES = {"code-block": "", "code": "", "sourcecode": "", "testcode": "", "doctest": ""}


def rest_to_markdown(text: str, resolve: Resolve | None = None) -> str:
    """The docstring text with its reST constructs written as Markdown."""
    lines = text.expandtabs(8).split("\n")
    return "\n".join(_Converter(resolve).blocks(lines)).strip("\n")


def code_span(text: str) -> str:
    """An inline code span that holds `text` whatever backticks it contains."""
    text = " ".join(text.split())
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fence(code: str, language: str) -> list[str]:
    """A fenced block no line of `code` can close early."""
    longest = max((len(run) for run in re.findall(r"^\s*(`+)", code, re.M)), default=0)
    marker = "`" * max(3, longest + 1)
    return [f"{marker}{language}", *code.rstrip().split("\n"), marker]


def plain(text: str) -> str:
    """Text shown as written: Markdown's inline specials escaped."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))


def literal_language(code: str) -> str:
    """`pycon` for a doctest session, `python` for code that parses, `text` otherwise."""
    if code.lstrip().startswith(">>>"):
        return "pycon"
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return "text"
    return "python"


def _emit(out: list[str], rows: list[str], indent: int) -> None:
    """Add a block, indented, with a blank line before it (Markdown needs one)."""
    if out and out[-1].strip():
        out.append("")
    pad = " " * indent
    out += [pad + row if row.strip() else "" for row in rows]
    out.append("")


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def _dedent(lines: list[str]) -> list[str]:
    width = min((_indent_of(line) for line in lines if line.strip()), default=0)
    return [line[width:] for line in lines]


def _indented_block(lines: list[str], start: int, indent: int) -> tuple[list[str], int]:
    """Lines from `start` indented deeper than `indent` (blank lines included); the end."""
    end = start
    while end < len(lines) and (not lines[end].strip() or _indent_of(lines[end]) > indent):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end], end


class _Converter:
    def __init__(self, resolve: Resolve | None) -> None:
        self.resolve = resolve

    def blocks(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            i = self._block(lines, i, out)
        return "\n".join(out).split("\n")

    def _block(self, lines: list[str], i: int, out: list[str]) -> int:
        line = lines[i]
        if not line.strip():
            out.append("")
            return i + 1
        match = _FENCE.match(line)
        if match:
            return self._markdown_fence(lines, i, match.group(1), out)
        directive = _DIRECTIVE.match(line)
        if directive:
            return self._directive(lines, i, directive, out)
        citation = _CITATION.match(line)
        if citation:
            return self._citation(lines, i, citation, out)
        if _EXPLICIT.match(line):  # a comment or a link target: Sphinx does not show it
            return _indented_block(lines, i + 1, _indent_of(line))[1]
        if line.lstrip().startswith(">>>"):
            return self._doctest(lines, i, out)
        return self._paragraph(lines, i, out)

    def _markdown_fence(self, lines: list[str], i: int, marker: str, out: list[str]) -> int:
        out.append(lines[i])
        j = i + 1
        while j < len(lines):
            out.append(lines[j])
            stripped = lines[j].strip()
            if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
                return j + 1
            j += 1
        out.append(_indent_of(lines[i]) * " " + marker)  # unclosed: closed at the end
        return j

    def _doctest(self, lines: list[str], i: int, out: list[str]) -> int:
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        _emit(out, fence("\n".join(_dedent(lines[i:j])), "pycon"), _indent_of(lines[i]))
        return j

    def _paragraph(self, lines: list[str], i: int, out: list[str]) -> int:
        j = i
        while j < len(lines) and lines[j].strip():
            if j > i and (_starts_block(lines[j]) or _is_title(lines, j)):
                break
            j += 1
        para = lines[i:j]
        if _is_title(lines, i):
            # a reST section title: bold, so it cannot become a heading of the page
            _emit(out, [f"**{plain(para[0])}**"], _indent_of(para[0]))
            return i + 2
        if _UNDERLINE.match(para[0]) and len(para) == 1:  # a transition line
            out.append(para[0].replace(para[0].strip(), "---" if "-" in para[0] else "***"))
            return j
        literal = para[-1].rstrip().endswith("::")
        if literal:
            para[-1] = _strip_literal_marker(para[-1])
        text = self.inline("\n".join(para))
        if text.strip():
            out.append(text)
        if literal:
            return self._literal(lines, j, _indent_of(lines[i]), out)
        return j

    def _literal(self, lines: list[str], j: int, indent: int, out: list[str]) -> int:
        """The indented block after a `::` paragraph, fenced; none: the text stays text."""
        k = j
        while k < len(lines) and not lines[k].strip():
            k += 1
        if k == len(lines) or _indent_of(lines[k]) <= indent:
            return j
        block, end = _indented_block(lines, k, indent)
        code = "\n".join(_dedent(block))
        _emit(out, fence(code, literal_language(code)), indent)
        return end

    def _citation(self, lines: list[str], i: int, match: re.Match[str], out: list[str]) -> int:
        """A footnote or citation (NumPy's References): a paragraph led by its label, as
        Sphinx lists it, instead of the comment its `..` would otherwise make it."""
        indent = len(match.group("indent"))
        body, end = _indented_block(lines, i + 1, indent)
        text = " ".join(row.strip() for row in [match.group("text") or "", *body] if row.strip())
        label = _cited(match.group("label"))
        _emit(out, [f"{label} {self.inline(text)}" if text else label], indent)
        return end

    def _directive(self, lines: list[str], i: int, match: re.Match[str], out: list[str]) -> int:
        indent = len(match.group("indent"))
        name = match.group("name").removeprefix("py:").lower()
        arg = (match.group("arg") or "").strip()
        body, end = _indented_block(lines, i + 1, indent)
        body = _dedent(body)
        if name in CODE_DIRECTIVES:
            while body and _OPTION.match(body[0]):
                body.pop(0)
            code = "\n".join(body).strip("\n")
            language = arg.split()[0] if arg else literal_language(code)
            if name == "doctest":
                language = "pycon"
            _emit(out, fence(code, language), indent)
        elif name in ADMONITIONS or name in VERSIONED or name == "admonition":
            _emit(out, self._admonition(name, arg, body), indent)
        elif name == "rubric":
            _emit(out, [f"**{plain(arg)}**"], indent)
        else:  # unknown: shown as written, as code
            source = [lines[i].strip(), *[f"   {row}" if row else row for row in body]]
            _emit(out, fence("\n".join(source), "rst"), indent)
        return end

    def _admonition(self, name: str, arg: str, body: list[str]) -> list[str]:
        if name == "admonition":
            kind, title, content = "note", arg or "Note", body
        elif name in VERSIONED:
            kind, template = VERSIONED[name]
            version, _, rest = arg.partition(" ")
            title = template.format(version)
            content = [rest, *body] if rest.strip() else body
        else:
            kind, title = ADMONITIONS[name]
            content = [arg, *body] if arg else body
        inner = self.blocks(_dedent(content)) if any(row.strip() for row in content) else []
        heading = f'!!! {kind} "{plain(title).replace(chr(34), chr(39))}"'
        return [heading, "", *[f"    {row}" if row.strip() else "" for row in inner]]

    def inline(self, text: str) -> str:
        """Roles, hyperlinks and code spans of a paragraph; the rest as written."""
        return _INLINE.sub(self._inline_match, text)

    def _inline_match(self, match: re.Match[str]) -> str:
        if match.group("role"):
            return self.role(match.group("domain"), match.group("role"), match.group("content"))
        if match.group("url"):
            return f"[{plain(match.group('label'))}]({match.group('url')})"
        if match.group("cited"):
            return _cited(match.group("cited"))
        return match.group(0)  # a code span, kept as written

    def role(self, domain: str | None, role: str, content: str) -> str:
        content = " ".join(content.split())
        if domain not in (None, "py", "std"):
            return code_span(content)
        if role in TEXT_ROLES:
            titled = _TITLED.match(content)
            return plain(titled.group("title") if titled else content.lstrip("~!"))
        if role == "pep":
            return f"PEP {plain(content)}"
        if role == "rfc":
            return f"RFC {plain(content)}"
        if role not in PYTHON_ROLES:
            return code_span(content)
        return self._reference(role, content)

    def _reference(self, role: str, content: str) -> str:
        titled = _TITLED.match(content)
        linkable = not content.startswith("!")
        if titled:
            shown, target = titled.group("title"), titled.group("target")
        else:
            target = content.lstrip("!")
            shown = target.lstrip("~")
            if target.startswith("~"):
                shown = shown.rsplit(".", 1)[-1]
            if role in ("func", "meth", "function", "method") and not shown.endswith(")"):
                shown += "()"
        target = target.lstrip("~!.").removesuffix("()")
        url = self.resolve(target, role) if self.resolve and linkable else None
        return f"[{code_span(shown)}]({url})" if url else code_span(shown)


def _cited(label: str) -> str:
    """A footnote or citation label as Sphinx shows it, in brackets: `[1]`."""
    return f"\\[{plain(label)}\\]"


def _starts_block(line: str) -> bool:
    return bool(_DIRECTIVE.match(line) or _FENCE.match(line)) or line.lstrip().startswith(">>>")


def _is_title(lines: list[str], i: int) -> bool:
    """A text line over an underline at least as long (`Returns` / `-------`)."""
    return (
        i + 1 < len(lines)
        and bool(_UNDERLINE.match(lines[i + 1]))
        and not _UNDERLINE.match(lines[i])
        and _indent_of(lines[i + 1]) == _indent_of(lines[i])
        and len(lines[i + 1].strip()) >= len(lines[i].strip())
    )


def _strip_literal_marker(line: str) -> str:
    """`Usage::` -> `Usage:`; `Text ::` -> `Text`; a lone `::` goes (reST's rules)."""
    stripped = line.rstrip()[:-2]
    if not stripped.strip():
        return ""
    if stripped.endswith((" ", "\t")):
        return stripped.rstrip()
    return stripped + ":"


def field_literals(text: str) -> str:
    """A field's text with the paragraph after a `::` line indented again.

    Griffe's Sphinx parser strips the indentation of a field's continuation lines, so the
    literal block after `:param x: for example::` reaches here at the margin.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.rstrip().endswith("::"):
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j == len(lines) or j == i + 1 or _indent_of(lines[j]) > _indent_of(line):
            continue
        while j < len(lines) and lines[j].strip():
            lines[j] = "    " + lines[j]
            j += 1
    return "\n".join(lines)


def rest_to_plain(text: str) -> str:
    """One line of docstring text for prose the analyzer writes: roles as the text they
    show (`:meth:`text`` -> `text()`), literal markers gone."""
    converter = _Converter(None)

    def shown(match: re.Match[str]) -> str:
        if not match.group("role"):
            return match.group(0)
        markdown = converter.role(
            match.group("domain"), match.group("role"), match.group("content")
        )
        return markdown.strip("`").replace("\\", "")

    return _INLINE.sub(shown, text).replace("::", ":")
