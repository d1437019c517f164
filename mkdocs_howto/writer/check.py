"""A model's answer, checked against the code. Every check that fails is one message naming
what failed; the writer sends them back once (the repair round), then keeps the static text.

- the answer is the JSON object asked for;
- every name it writes (in backticks, called, dotted or snake_case) is in the object's source
  or the loaded API;
- every cited line is inside the object, the steps are in source order and cover each
  static step;
- its example passes the verifier generated examples pass;
- no vague term (the language's list), no echo of the instructions, no raw HTML.
"""

from __future__ import annotations

import builtins
import json
import keyword
import re
from collections.abc import Iterator

from mkdocs_howto.analyze.lint import find_vague_terms, vague_pattern
from mkdocs_howto.analyze.verify import check_example
from mkdocs_howto.facts import HowTo, Prose, ProseStep, Step
from mkdocs_howto.writer import Grounding, Subject
from mkdocs_howto.writer.prompt import INSTRUCTIONS, REPAIR

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_STRING = re.compile(r"""("[^"]*"|'[^']*')""")
#: Names written in prose without backticks that still name code: called (`fetch(`), dotted
#: (`client.send`) or snake_case (`max_items`).
_CODE_IN_PROSE = re.compile(
    r"(?<![\w.])(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[A-Za-z_]\w*(?=\()|[a-z]\w*_\w+)"
)
_TAG = re.compile(r"<(?=[A-Za-z/!?])[^>\s]*")
_ECHO_WORDS = 7
_KNOWN = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | {"self", "cls"}


class AnswerError(ValueError):
    """The answer is not the JSON object asked for."""


def parse(answer: str, model: str) -> Prose:
    """The answer's prose, or `AnswerError` saying what is wrong with its shape."""
    text = answer.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, re.S)
    try:
        data = json.loads(fenced.group(1) if fenced else text)
    except json.JSONDecodeError as error:
        raise AnswerError(f"the answer is not valid JSON ({error.msg}, char {error.pos})") from None
    if not isinstance(data, dict):
        raise AnswerError("the answer is not a JSON object")
    description, steps, example = data.get("description"), data.get("steps"), data.get("example")
    if not isinstance(description, str) or not description.strip():
        raise AnswerError('"description" is missing or not a string')
    if not isinstance(steps, list):
        raise AnswerError('"steps" is missing or not a list')
    if example is not None and not isinstance(example, str):
        raise AnswerError('"example" is not a string')
    return Prose(
        model,
        description.strip(),
        tuple(_step(n, s) for n, s in enumerate(steps, 1)),
        (example or "").strip(),
    )


def _step(number: int, item: object) -> ProseStep:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise AnswerError(f'step {number} has no "text"')
    lines = item.get("lines")
    if isinstance(lines, int):
        lines = [lines, lines]
    if (
        not isinstance(lines, list)
        or len(lines) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in lines)
    ):
        raise AnswerError(f'step {number} has no "lines": [first, last]')
    return ProseStep(" ".join(item["text"].split()), lines[0], lines[1])


def problems(
    prose: Prose, subject: Subject, grounding: Grounding, vague_terms: tuple[str, ...]
) -> list[str]:
    """Every failed check, as a message naming it (empty: the prose may be shown)."""
    howto = subject.howto
    texts = [("description", prose.description)] + [
        (f"step {n}", step.text) for n, step in enumerate(prose.steps, 1)
    ]
    found: list[str] = []
    known = _source_names(howto) | grounding.api_paths
    for where, text in texts:
        found += [f"{where}: {p}" for p in _names(text, known, howto)]
        found += [f"{where}: {p}" for p in _vague(text, vague_terms)]
        found += [f"{where}: {p}" for p in _html(text)]
        found += [f"{where}: {p}" for p in _echo(text)]
    found += _lines(prose, howto)
    if prose.example:
        found += [
            f"example: {problem}"
            for problem in check_example(prose.example, grounding.packages, grounding.lookup)
        ]
    return found


def _source_names(howto: HowTo) -> set[str]:
    """Every name and dotted name written in the object's source and its signature."""
    code = (howto.source.code if howto.source else "") + "\n" + howto.signature
    names = {howto.name, howto.public_path, *re.findall(r"[A-Za-z_]\w*", code)}
    if howto.source is not None:  # "defined in session.py"
        names.add(howto.source.relative_path.rsplit("/", 1)[-1])
    for chain in _DOTTED.findall(code):
        parts = chain.split(".")
        names.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return names


def _names(text: str, known: set[str] | frozenset[str], howto: HowTo) -> Iterator[str]:
    """Names the text writes as code that neither the source nor the API has."""
    spans = [match.group(2) for match in _CODE_SPAN.finditer(text)]
    prose = _CODE_SPAN.sub(" ", text)
    written = [
        name
        for span in spans
        for name in _DOTTED.findall(_STRING.sub(" ", span))
        if not span.strip().isdigit()
    ]
    written += _CODE_IN_PROSE.findall(prose)
    for name in dict.fromkeys(written):
        if max(len(part) for part in name.split(".")) <= 1:
            continue  # "e.g", "i.e": abbreviations, not code
        if not _exists(name, known):
            yield (
                f"`{name}` is not in the source of '{howto.public_path}' nor in the package's API"
            )


def _exists(name: str, known: set[str] | frozenset[str]) -> bool:
    if name in known or name in _KNOWN:
        return True
    # `resp.json` with `resp.json()` in the source is known whole; a method called on a
    # documented path is known when the path is (`Session.send` with `skyfeed.Session.send`)
    return any(path.endswith("." + name) for path in known if "." in name)


def _vague(text: str, terms: tuple[str, ...]) -> Iterator[str]:
    for hit in find_vague_terms(text, vague_pattern(terms)):
        yield f"says '{hit.term}', which names no action ({hit.suggestion})"


def _html(text: str) -> Iterator[str]:
    tags = dict.fromkeys(_TAG.findall(_CODE_SPAN.sub(" ", text)))
    if tags:
        yield f"contains raw HTML ({', '.join(map(repr, tags))})"


def _echo(text: str) -> Iterator[str]:
    """Seven words in a row from our instructions: the model repeated the prompt."""
    words = _words(text)
    prompt = " " + " ".join(_words(INSTRUCTIONS + " " + REPAIR)) + " "
    for start in range(len(words) - _ECHO_WORDS + 1):
        run = " ".join(words[start : start + _ECHO_WORDS])
        if f" {run} " in prompt:
            yield f"repeats the instructions ('{run}')"
            return


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _lines(prose: Prose, howto: HowTo) -> list[str]:
    """Cited lines inside the object, in order, covering every static top-level step."""
    if howto.source is None:
        return []
    first, last = howto.source.lineno, howto.source.endlineno
    found = []
    previous = first
    for number, step in enumerate(prose.steps, 1):
        if not (first <= step.lineno <= step.endlineno <= last):
            found.append(
                f"step {number} cites lines {step.lineno}-{step.endlineno}, outside lines "
                f"{first}-{last} of '{howto.public_path}'"
            )
            continue
        if step.lineno < previous:
            found.append(
                f"step {number} cites line {step.lineno}, before the step above it: "
                "keep source order"
            )
        previous = step.lineno
    cited = [(step.lineno, step.endlineno) for step in prose.steps]
    for static in _static_steps(howto):
        if not any(start <= static.lineno <= end for start, end in cited):
            one = static.endlineno == static.lineno
            lines = f" {static.lineno}" if one else f"s {static.lineno}-{static.endlineno}"
            found.append(f"no step covers line{lines} (a step of the static analysis)")
    return found


def _static_steps(howto: HowTo) -> Iterator[Step]:
    if howto.phases:
        for phase in howto.phases:
            yield from phase.steps
    else:
        yield from howto.steps
