"""The Description section: the parsed docstring, plus facts read from the code's structure."""

from __future__ import annotations

from dataclasses import dataclass, field

import griffe

from mkdocs_howto.analyze.code import FunctionShape
from mkdocs_howto.analyze.sentences import code_list, join, sentence
from mkdocs_howto.facts import Description, DocItem, Param, Sentence, Text

Kind = griffe.DocstringSectionKind
_EXAMPLE_TITLES = ("example", "examples", "usage")


@dataclass
class ParsedDocstring:
    """The sections of a docstring this plugin uses."""

    summary: str = ""
    body: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    returns: list[DocItem] = field(default_factory=list)
    yields: list[DocItem] = field(default_factory=list)
    raises: list[DocItem] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    """Code of the Examples sections (doctest or fenced), in order."""


def parse_docstring(obj: griffe.Object) -> ParsedDocstring:
    parsed = ParsedDocstring()
    if obj.docstring is None:
        return parsed
    for section in obj.docstring.parsed:
        _SECTION_READERS.get(section.kind, _read_other)(parsed, section)
    return parsed


def _read_text(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    text = str(section.value).strip()
    if not parsed.summary:
        summary, _, rest = text.partition("\n\n")
        parsed.summary = summary.strip()
        text = rest.strip()
    if text:
        parsed.body.append(text)


def _read_params(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    for item in section.value:
        parsed.params[item.name] = item.description


def _items(section: griffe.DocstringSection) -> list[DocItem]:
    return [
        DocItem(
            name=str(getattr(item, "name", "") or ""),
            annotation=str(item.annotation) if getattr(item, "annotation", None) else None,
            description=item.description,
        )
        for item in section.value
    ]


def _read_returns(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    parsed.returns.extend(_items(section))


def _read_yields(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    parsed.yields.extend(_items(section))


def _read_raises(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    parsed.raises.extend(_items(section))


def _read_examples(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    for kind, value in section.value:
        if kind is Kind.examples or str(kind) in ("examples", "DocstringSectionKind.examples"):
            parsed.examples.append(value)
        elif "```" in value or "~~~" in value:
            parsed.examples.extend(fenced_blocks(value))
        elif ">>>" in value:  # NumPy prose ending in `::` before an indented doctest
            parsed.examples.append(value)


def _read_admonition(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    title = (section.title or "").strip()
    text = section.value.contents
    if title.lower() in _EXAMPLE_TITLES:
        blocks = fenced_blocks(text) or ([text] if ">>>" in text else [])
        if blocks:
            parsed.examples.extend(blocks)
            return
    parsed.body.append(f"**{title}:** {text}" if title else text)


def _read_other(parsed: ParsedDocstring, section: griffe.DocstringSection) -> None:
    """Sections this page does not lay out (attributes, warns…) stay in the body as text."""
    title = section.title or str(section.kind.value).capitalize()
    if section.kind is Kind.attributes or section.kind is Kind.other_parameters:
        lines = [f"- `{item.name}`: {item.description}" for item in section.value]
        parsed.body.append(f"**{title}:**\n\n" + "\n".join(lines))
    elif isinstance(section.value, str):
        parsed.body.append(section.value)


_SECTION_READERS = {
    Kind.text: _read_text,
    Kind.parameters: _read_params,
    Kind.returns: _read_returns,
    Kind.yields: _read_yields,
    Kind.raises: _read_raises,
    Kind.examples: _read_examples,
    Kind.admonition: _read_admonition,
}


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
    facts = [sentence("{n} is a class.", n=cls.name)]
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
    summary: ParsedDocstring, params: tuple[Param, ...], structure: tuple[Sentence, ...]
) -> Description:
    return Description(
        summary=summary.summary,
        body="\n\n".join(summary.body),
        from_docstring=bool(summary.summary),
        params=params,
        returns=tuple(summary.returns),
        yields=tuple(summary.yields),
        raises=tuple(summary.raises),
        structure=structure,
    )
