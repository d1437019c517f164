"""Build `Sentence`s: prose with code segments, from templates like "Sends {x} to {y}"."""

from __future__ import annotations

import ast
import io
import re
import tokenize

from mkdocs_howto.facts import Code, Segment, Sentence, Text

MAX_CODE = 60
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_IDENT = re.compile(r"\w")


_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def shorten(code: str, limit: int = MAX_CODE) -> str:
    """Shorten `code` to about `limit` characters with `…`.

    The cut falls between tokens, never inside a name or a string, and open brackets are
    closed after the `…`: `c.Choice(('auto', 'google', …))`, not `c.Choice(('auto', …`.
    """
    code = code.strip() if "\n" not in code else " ".join(code.split())
    if len(code) <= limit:
        return code
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return _cut(code, limit)
    closers: list[str] = []
    end = 0
    for token in tokens:
        if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
            break
        if token.end[1] + 1 + len(closers) > limit:
            if end == 0 and token.type == tokenize.STRING:
                return _shorten_string(token.string, limit)
            break
        if token.string in _CLOSERS:
            closers.append(_CLOSERS[token.string])
        elif token.string in _CLOSERS.values() and closers:
            closers.pop()
        end = token.end[1]
    if end == 0:
        return _cut(code, limit)
    head = code[:end].rstrip()
    return head + (" …" if head.endswith(",") else "…") + "".join(reversed(closers))


def _shorten_string(literal: str, limit: int) -> str:
    """`'GET /stream?…'`: a long string literal keeps its quotes."""
    quote = literal[-3:] if literal.endswith(('"""', "'''")) else literal[-1]
    return literal[: max(limit - len(quote) - 1, len(quote) + 1)] + "…" + quote


def _cut(code: str, limit: int) -> str:
    cut = limit
    while cut > 0 and _IDENT.match(code[cut - 1]) and _IDENT.match(code[cut]):
        cut -= 1
    if cut == 0:  # one very long name: keep it whole rather than cut it
        return code
    return code[:cut].rstrip() + "…"


def unparse(node: ast.AST, limit: int = MAX_CODE) -> str:
    """The source of `node`, on one line and shortened."""
    try:
        return shorten(ast.unparse(node), limit)
    except RecursionError:  # an expression nested deeper than `ast.unparse` can follow
        return f"{type(node).__name__.lower()} …"


def sentence(template: str, **code: str) -> Sentence:
    """Fill `{name}` placeholders of `template` with code segments from `code`."""
    segments: list[Segment] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            segments.append(Text(template[position : match.start()]))
        segments.append(Code(code[match.group(1)]))
        position = match.end()
    if position < len(template):
        segments.append(Text(template[position:]))
    return tuple(segments)


def join(*parts: Sentence) -> Sentence:
    """Concatenate sentences."""
    return tuple(segment for part in parts for segment in part)


def code_list(names: list[str], conjunction: str = "and") -> Sentence:
    """`a`, `b` and `c`."""
    segments: list[Segment] = []
    for index, name in enumerate(names):
        if index:
            last = index == len(names) - 1
            segments.append(Text(f" {conjunction} " if last else ", "))
        segments.append(Code(name))
    return tuple(segments)


def capitalize(sentence_: Sentence) -> Sentence:
    """Upper-case the first letter when the sentence starts with prose."""
    if sentence_ and isinstance(sentence_[0], Text) and sentence_[0].value:
        first = sentence_[0].value
        return (Text(first[0].upper() + first[1:]), *sentence_[1:])
    return sentence_


def plain(sentence_: Sentence) -> str:
    """The sentence as plain text with code in backticks (for logs and tests)."""
    return "".join(
        segment.value if isinstance(segment, Text) else f"`{segment.value}`"
        for segment in sentence_
    )
