"""The Description section: the parsed docstring, plus facts read from the code's structure."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import griffe

from mkdocs_howto.analyze.code import FunctionShape
from mkdocs_howto.analyze.purpose import purpose_facts
from mkdocs_howto.analyze.sentences import code_list, join, sentence
from mkdocs_howto.docstrings import field_literals, rest_to_plain
from mkdocs_howto.facts import Description, DocItem, Param, Sentence, Text

Kind = griffe.DocstringSectionKind
_EXAMPLE_TITLES = ("example", "examples", "usage")
#: The opening of a Markdown block that cannot follow text on its line.
_BLOCK_START = re.compile(r"\s*(?:```|~~~|!!!|\?\?\?|[-*+]\s|\d+[.)]\s|\||>|#|<div)")


@dataclass(frozen=True)
class DocParam:
    """A parameter or attribute as the docstring documents it."""

    description: str
    annotation: str | None = None


@dataclass
class ParsedDocstring:
    """The sections of a docstring this plugin uses; text converted by `convert` (reST)."""

    summary: str = ""
    body: list[str] = field(default_factory=list)
    params: dict[str, DocParam] = field(default_factory=dict)
    """By name without stars: `**kwargs` and `kwargs` are the same parameter."""
    returns: list[DocItem] = field(default_factory=list)
    yields: list[DocItem] = field(default_factory=list)
    raises: list[DocItem] = field(default_factory=list)
    attributes: dict[str, DocParam] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    """Code of the Examples sections (doctest or fenced), in order."""
    convert: Callable[[str], str] = field(default=lambda text: text, repr=False)
    raw: str = field(default="", repr=False)
    """The docstring as written (dedented), to tell a field's lines from the prose after it."""

    def param(self, name: str) -> str:
        found = self.params.get(name)
        return found.description if found else ""


def _identity(text: str) -> str:
    return text


def parse_docstring(
    obj: griffe.Object | griffe.Alias, convert: Callable[[str], str] = _identity
) -> ParsedDocstring:
    """The docstring's sections; Google or NumPy sections Griffe's `auto` left in the text
    are parsed again (a `Returns:` without a blank line before it, NumPy underlines)."""
    parsed = ParsedDocstring(convert=convert)
    if obj.docstring is None:
        return parsed
    parsed.raw = obj.docstring.value
    for section in sections_of(obj):
        _SECTION_READERS.get(section.kind, _read_other)(parsed, section)
    return parsed


#: A Google section title on its own line, at the margin.
_GOOGLE_TITLE = re.compile(
    r"^(?:Args|Arguments|Params|Parameters|Keyword Args|Keyword Arguments|Other Parameters|"
    r"Returns?|Yields?|Raises|Exceptions|Warns|Attributes|Examples?|Notes?|Warnings?"
    r"|Receives):[ \t]*$",
    re.M,
)
#: A NumPy section title: a known name over a line of dashes.
_NUMPY_TITLE = re.compile(
    r"^(?:Parameters|Other Parameters|Returns|Yields|Receives|Raises|Warns|Attributes|"
    r"Examples|Notes|Warnings|See Also|References|Methods)[ \t]*\n[ \t]*-{3,}[ \t]*$",
    re.M,
)


#: A Sphinx field at the margin (`:param code: …`, `:rtype: int`).
_SPHINX_FIELD = re.compile(
    r"^:(?:param|parameter|arg|argument|key|keyword|type|raises?|except|exception|"
    r"returns?|rtype|var|ivar|cvar|vartype|yields?|ytype)\b[^:\n]*:",
    re.M,
)


#: Griffe's words for a documented parameter the signature does not name.
_UNKNOWN_PARAM = re.compile(r"does not appear in the function signature|No matching parameter")


class _KeywordsThroughKwargs(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _UNKNOWN_PARAM.search(record.getMessage())


@contextmanager
def quiet_unknown_params(active: bool = True) -> Iterator[None]:
    """Without Griffe's warnings about documented parameters missing from the signature:
    for a function taking `**kwargs` they are keywords passed through it, and the page shows
    them as such. Other warnings are kept."""
    if not active:
        yield
        return
    quiet = _KeywordsThroughKwargs()
    logger = logging.getLogger("griffe")
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def takes_kwargs(obj: object) -> bool:
    if not isinstance(obj, griffe.Function) or obj.is_alias:
        return False
    return any(p.kind is griffe.ParameterKind.var_keyword for p in obj.parameters)


def sections_of(obj: griffe.Object | griffe.Alias) -> list[griffe.DocstringSection]:
    """Griffe's sections, with text sections that hide Google or NumPy ones parsed again.

    The tail from the hidden title on is parsed as a docstring of its own, starting at its
    line, so Griffe's warnings still name the right line.
    """
    docstring = obj.docstring
    assert docstring is not None
    sections: list[griffe.DocstringSection] = []
    for section in docstring.parsed:
        text = section.value if section.kind is Kind.text else None
        found = _hidden_title(text) if isinstance(text, str) else None
        if found is None:
            sections.append(section)
            continue
        start, style = found
        head, tail = text[:start].rstrip(), text[start:]  # type: ignore[index]
        if head:
            sections.append(griffe.DocstringSectionText(head))
        offset = docstring.value.find(tail)
        lineno = (docstring.lineno or 1) + (
            docstring.value.count("\n", 0, offset) if offset > 0 else 0
        )
        # Griffe sees the title only after a line break; its value (and lines) start at the title
        again = griffe.Docstring("\n" + tail, lineno=lineno, parent=docstring.parent)
        with quiet_unknown_params(takes_kwargs(docstring.parent)):
            sections += again.parse(style)
    return sections


def _hidden_title(text: str) -> tuple[int, griffe.Parser] | None:
    """Where a section title Griffe did not see starts in a text section, outside code."""
    styles = (
        (_NUMPY_TITLE, griffe.Parser.numpy),
        (_GOOGLE_TITLE, griffe.Parser.google),
        (_SPHINX_FIELD, griffe.Parser.sphinx),
    )
    found = [
        (match.start(), style)
        for pattern, style in styles
        for match in pattern.finditer(text)
        if not _inside_code(text, match.start())
    ]
    return min(found, key=lambda hit: hit[0]) if found else None


def _inside_code(text: str, position: int) -> bool:
    before = text[:position]
    fences = len(re.findall(r"^\s*(?:```|~~~)", before, re.M))
    return fences % 2 == 1


#: `(float, optional): ` at the start of a description: a type the parser did not take.
_TYPE_PREFIX = re.compile(r"^\((?P<type>[^():]*(?:\([^()]*\)[^():]*)*)\)\s*:\s*")


def split_type_prefix(description: str) -> tuple[str | None, str]:
    """`(float, optional): Total steps.` -> (`float`, `Total steps.`)."""
    match = _TYPE_PREFIX.match(description)
    if match is None:
        return None, description
    kind = re.sub(r",?\s*optional\s*$", "", match.group("type"), flags=re.I).strip()
    return (kind or None), description[match.end() :]


#: `list[int]: ` at the start of a Google return's description: its type, not its words.
_TYPE_LEAD = re.compile(r"^(?P<type>[\w.]+(?:\[[^:]*\])?(?:\s*\|\s*[\w.]+(?:\[[^:]*\])?)*):\s+")


def split_type_lead(description: str) -> tuple[str | None, str]:
    """`list[int]: The values.` -> (`list[int]`, `The values.`)."""
    match = _TYPE_LEAD.match(description)
    if match is None or "\n" in match.group("type"):
        return None, description
    return match.group("type"), description[match.end() :]


_BUILTIN_TYPES = frozenset(
    ["int", "str", "float", "bool", "bytes", "dict", "list", "tuple", "set", "object", "Any"]
)


def _looks_like_type(written: str, annotation: str | None) -> bool:
    """`list[int]`, `pkg.Thing`, `int | None`, a builtin, or the signature's own type."""
    return written == annotation or written in _BUILTIN_TYPES or bool(set(written) & set("[.|"))


def bare_name(name: str) -> str:
    """A parameter's name without the stars (or reST-escaped stars) of `*args`/`**kwargs`."""
    return name.replace("\\", "").lstrip("*")


#: A Markdown title of a parameter list: `**Parameters:**`, `Arguments:`.
_LIST_TITLE = re.compile(
    r"^(?:\*\*)?(?:Parameters|Arguments|Args|Params)(?::\*\*|\*\*:|:)[ \t]*$", re.M
)
#: `* **name** - text` or `` * `name` - text ``: one documented parameter.
_LIST_ITEM = re.compile(
    r"^[*-][ \t]+(?:\*\*(?P<bold>\w+)\*\*|`(?P<code>\w+)`)[ \t]+[-\u2013:][ \t]+"
)


def markdown_params(text: str) -> tuple[str, dict[str, str]]:
    """Parameters documented as a Markdown list under a `Parameters:` title (httpx's
    style), taken out of the text: (the text without them, name -> description)."""
    match = _LIST_TITLE.search(text)
    if match is None:
        return text, {}
    lines = text[match.end() :].split("\n")[1:]
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    end = 0
    after_blank = False
    for index, line in enumerate(lines):
        item = _LIST_ITEM.match(line)
        if item is not None:
            current = found.setdefault(item.group("bold") or item.group("code"), [])
            current.append(line[item.end() :].strip())
        elif not line.strip():
            after_blank = True
            continue
        elif current is not None and (not after_blank or line[:1] in " \t"):
            current.append(line.strip())  # a continuation line, indented or lazy
        else:
            break
        after_blank = False
        end = index + 1
    if not found:
        return text, {}
    rest = "\n".join(lines[end:])
    return (text[: match.start()].rstrip() + "\n\n" + rest.strip()).strip(), {
        name: " ".join(words) for name, words in found.items()
    }


def _read_text(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    raw, listed = markdown_params(str(section.value).strip())
    if not parsed.examples:
        # the author's doctest in the prose is the Usage Example: shown there, not twice
        raw, doctests = split_doctests(raw)
        parsed.examples.extend(doctests[:1])
        raw = "\n\n".join([raw, *doctests[1:]]).strip() if doctests[1:] else raw
    for name, description in listed.items():
        parsed.params.setdefault(name, DocParam(parsed.convert(description)))
    text = parsed.convert(raw)
    if not parsed.summary:
        summary, _, rest = text.partition("\n\n")
        parsed.summary = summary.strip()
        text = rest.strip()
    if text:
        parsed.body.append(text)


#: `console (:class:`~rich.Console`, optional): Text`, which Griffe splits at the role's colon.
_SPLIT_AT_ROLE = re.compile(r"^\s*(?P<name>[\w*\\]+)\s*\((?P<type>.*?)\)\s*:\s+(?P<text>.*)$", re.S)


def _documented(
    parsed: ParsedDocstring, item: griffe.DocstringNamedElement
) -> tuple[str, DocParam]:
    """The item's name and what the docstring says of it."""
    name, text = item.name, item.description or ""
    annotation, description = split_type_prefix(text)
    repaired = _SPLIT_AT_ROLE.match(f"{name}:{text}") if "(" in name else None
    if repaired is not None:
        name, description = repaired.group("name"), repaired.group("text")
        written = rest_to_plain(repaired.group("type"))
        annotation = re.sub(r",?\s*optional\s*$", "", written, flags=re.I).strip() or None
    elif item.annotation is not None and str(item.annotation).strip():
        written = str(item.annotation)
        annotation = written if "\n" not in written else annotation
    description = _field_only(parsed, description)
    return bare_name(name), DocParam(parsed.convert(field_literals(description)), annotation)


def _field_only(parsed: ParsedDocstring, text: str) -> str:
    """The field's own paragraphs; from the first one written at the docstring's margin on,
    the text is the docstring's prose (Griffe's Sphinx parser glues it to the last field:
    `.. versionadded::` after `:param x:`), moved to the body."""
    paragraphs = text.split("\n\n")
    margin = {line for line in parsed.raw.split("\n") if line.strip() and line[:1] not in " \t:"}
    for index, paragraph in enumerate(paragraphs[1:], 1):
        first = paragraph.strip("\n").split("\n")[0]
        if first.strip() and first in margin:
            parsed.body.append(parsed.convert("\n\n".join(paragraphs[index:]).strip()))
            return "\n\n".join(paragraphs[:index])
    return text


def _read_params(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    for item in section.value:
        name, doc = _documented(parsed, item)
        parsed.params[name] = doc


def _read_attributes(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    for item in section.value:
        name, doc = _documented(parsed, item)
        parsed.attributes[name] = doc


def _items(parsed: ParsedDocstring, section: griffe.DocstringSection) -> list[DocItem]:
    items = []
    for item in section.value:
        annotation = str(item.annotation) if getattr(item, "annotation", None) else None
        description = item.description or ""
        if annotation and "\n\n" in annotation:
            # Sphinx fields end at a blank line: what follows `:rtype:` is the docstring's text
            annotation, _, rest = annotation.partition("\n\n")
            parsed.body.append(parsed.convert(rest.strip()))
        elif "\n\n" in description and _after_fields(description):
            description, _, rest = description.partition("\n\n")
            parsed.body.append(parsed.convert(rest.strip()))
        else:
            description = _field_only(parsed, description)
        prefix, description = split_type_prefix(description)
        if section.kind is not Kind.raises:
            written, rest = split_type_lead(description)
            if written and _looks_like_type(written, annotation):
                prefix, description = prefix or written, rest
        items.append(
            DocItem(
                name=str(getattr(item, "name", "") or ""),
                annotation=annotation or prefix,
                description=parsed.convert(field_literals(description)),
            )
        )
    return items


def _after_fields(description: str) -> bool:
    """True when the text after a blank line is the docstring's prose, not the field's:
    a `Usage::` paragraph or a doctest at the margin."""
    rest = description.partition("\n\n")[2].lstrip("\n")
    return rest.rstrip().split("\n")[0].rstrip().endswith("::") or rest.startswith(">>>")


def _read_returns(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    parsed.returns.extend(_items(parsed, section))


def _read_yields(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    parsed.yields.extend(_items(parsed, section))


def _read_raises(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    parsed.raises.extend(_items(parsed, section))


def _read_examples(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    for kind, value in section.value:
        if kind is Kind.examples or str(kind) in ("examples", "DocstringSectionKind.examples"):
            parsed.examples.append(value)
        elif "```" in value or "~~~" in value:
            parsed.examples.extend(fenced_blocks(value))
        elif ">>>" in value:  # NumPy prose ending in `::` before an indented doctest
            parsed.examples.append(_doctest_with_prose(value))


def _doctest_with_prose(text: str) -> str:
    """Examples written as prose paragraphs each leading into an indented doctest, as one
    doctest: each doctest dedented, each paragraph a `>>> # …` comment line above it (shown
    inside the code as code, the prose read as output: networkx's `all_simple_paths`)."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.splitlines()
        if lines[0].lstrip().startswith(">>>"):
            width = len(lines[0]) - len(lines[0].lstrip())
            blocks.append(
                "\n".join(
                    line[width:] if not line[:width].strip() else line.strip() for line in lines
                )
            )
        else:
            prose = " ".join(rest_to_plain(line).strip() for line in lines).strip()
            prose = prose.removesuffix("::").rstrip() + (":" if prose.endswith("::") else "")
            blocks.append(f">>> # {prose}")
    joined = blocks[:1]
    for block in blocks[1:]:  # a comment stays with the doctest it introduces
        separator = "\n" if joined[-1].startswith(">>> # ") else "\n\n"
        joined[-1] += separator + block
    return "".join(joined)


def _read_admonition(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    title = (section.title or "").strip()
    text = section.value.contents
    example = title.lower() in _EXAMPLE_TITLES
    # an example's Markdown fences or doctest as written, else what conversion fenced
    # (`.. code-block::`, `::`); text is converted only when it is shown or searched
    blocks = (fenced_blocks(text) or ([text] if ">>>" in text else [])) if example else []
    if not blocks:
        listed = _see_also(parsed, text) if title.lower() == "see also" else None
        converted = listed or parsed.convert(text)
        blocks = fenced_blocks(converted) if example else []
    if blocks:
        parsed.examples.extend(blocks)
        return
    parsed.body.append(_titled(title, converted))


#: One name of a NumPy "See Also" entry: `scale`, `numpy.mean`, ``:func:`~pkg.center` ``.
_SEE_NAME = r"(?::[\w:]+:`[^`]+`|~?[A-Za-z_][\w.]*(?:\(\))?)"
_SEE_NAMES = re.compile(rf"{_SEE_NAME}(?:\s*,\s*{_SEE_NAME})*")


def _see_also(parsed: ParsedDocstring, text: str) -> str | None:
    """NumPy's See Also (one entry per line, `name : description`, the description going on
    indented) as a list, each name linked where it resolves; None when the text is prose."""
    entries: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[:1].isspace() and entries:
            entries[-1][1] += " " + line.strip()
            continue
        names, _, description = line.rstrip().partition(" :")  # `a, b :` has none
        if not _SEE_NAMES.fullmatch(names.strip()):
            return None
        entries.append([names.strip(), description.strip()])
    items = []
    for names, description in entries:
        shown = ", ".join(
            parsed.convert(name if name.startswith(":") else f":obj:`{name}`")
            for name in re.findall(_SEE_NAME, names)
        )
        items.append(f"- {shown}: {parsed.convert(description)}" if description else f"- {shown}")
    return "\n".join(items) if items else None


def _titled(title: str, text: str) -> str:
    """A section's text after its bold title: on the title's line if it opens with a
    sentence; after it, as its own block, if it opens with a list, fence, table, quote or
    admonition (on the title's line Markdown would show it as plain text)."""
    if not title:
        return text
    if _BLOCK_START.match(text):
        return f"**{title}:**\n\n{text}"
    return f"**{title}:** {text}"


def _read_other(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    """Sections this page does not lay out (warns, other parameters…) stay in the body."""
    title = section.title or str(section.kind.value).capitalize()
    if section.kind is Kind.other_parameters:
        lines = [f"- `{item.name}`: {parsed.convert(item.description)}" for item in section.value]
        parsed.body.append(f"**{title}:**\n\n" + "\n".join(lines))
    elif isinstance(section.value, str):
        parsed.body.append(parsed.convert(section.value))


_SECTION_READERS = {
    Kind.text: _read_text,
    Kind.parameters: _read_params,
    Kind.returns: _read_returns,
    Kind.yields: _read_yields,
    Kind.raises: _read_raises,
    Kind.attributes: _read_attributes,
    Kind.examples: _read_examples,
    Kind.admonition: _read_admonition,
}


def split_doctests(text: str) -> tuple[str, list[str]]:
    """Prose without its doctest blocks (`>>>` lines, their `...` continuations and output,
    up to a blank line), and the blocks. A block inside a fenced code block stays."""
    kept: list[str] = []
    blocks: list[str] = []
    current: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if current is None and not fenced and stripped.startswith(">>>"):
            current = []
        if current is not None:
            if stripped:
                current.append(stripped)
                continue
            blocks.append("\n".join(current))
            current = None
        kept.append(line)
    if current:
        blocks.append("\n".join(current))
    return "\n".join(kept).strip(), blocks


def fenced_blocks(text: str) -> list[str]:
    """The contents of the Python fenced code blocks of a Markdown text."""
    blocks: list[str] = []
    current: list[str] | None = None
    fence = ""
    for line in text.splitlines():
        stripped = line.strip()
        if current is None:
            if stripped.startswith(("```", "~~~")):
                fence = stripped[:3]
                language = stripped[3:].strip(" {.").split()[0:1]
                current = [] if language in ([], ["python"], ["py"], ["pycon"]) else None
                if current is None:
                    fence = ""
        elif stripped.startswith(fence):
            blocks.append("\n".join(current))
            current = None
        else:
            current.append(line)
    return blocks


def structure_of_function(
    name: str, shape: FunctionShape, labels: set[str], params: list[Param]
) -> tuple[Sentence, ...]:
    """Facts about a function read from its code, for readers of undocumented objects."""
    role = "method" if {"classmethod", "staticmethod"} & labels else "function"
    qualifier = {"classmethod": "class-method ", "staticmethod": "static-method "}
    prefix = "".join(qualifier[label] for label in sorted(labels) if label in qualifier)
    kind = shape.kind.replace("function", role)
    article = "an" if (prefix or kind)[0] in "aeiou" else "a"
    facts = [sentence(f"{{n}} is {article} {prefix}{kind}.", n=name)]
    names = [p.name for p in params if p.name not in ("self", "cls")]
    if names:
        facts.append(join(sentence("It takes "), code_list(names), (Text("."),)))
    if shape.yields:
        facts.append(
            join(sentence("It yields "), code_list(list(shape.yields[:4]), "or"), (Text("."),))
        )
    if shape.returns:
        facts.append(
            join(sentence("It returns "), code_list(list(shape.returns[:4]), "or"), (Text("."),))
        )
    if shape.raises:
        facts.append(
            join(sentence("It raises "), code_list(list(shape.raises[:4]), "or"), (Text("."),))
        )
    return tuple(facts)


def structure_of_class(cls: griffe.Class, methods: list[str]) -> tuple[Sentence, ...]:
    facts = [sentence("{n} is a class.", n=cls.name), *purpose_facts(cls)]
    bases = [str(base) for base in cls.bases]
    if bases:
        facts.append(join(sentence("It inherits from "), code_list(bases), (Text("."),)))
    decorators = [f"@{decorator.value}" for decorator in cls.decorators]
    if decorators:
        facts.append(join(sentence("It is decorated with "), code_list(decorators), (Text("."),)))
    if "__enter__" in cls.members or "__aenter__" in cls.members:
        how = "async with" if "__aenter__" in cls.members else "with"
        facts.append(sentence("It works as a context manager, used in a {w} statement.", w=how))
    if methods:
        verb = "Its public methods are " if len(methods) > 1 else "Its public method is "
        facts.append(join(sentence(verb), code_list(methods), (Text("."),)))
    return tuple(facts)


def describe(
    summary: ParsedDocstring,
    params: tuple[Param, ...],
    structure: tuple[Sentence, ...],
    private: tuple[str, ...] = (),
) -> Description:
    return Description(
        private_params=private,
        summary=summary.summary,
        body="\n\n".join(summary.body),
        from_docstring=bool(summary.summary),
        params=params,
        returns=tuple(summary.returns),
        yields=tuple(summary.yields),
        raises=tuple(summary.raises),
        structure=structure,
    )
