"""What a model is asked: our instructions, the object's source with line numbers, and the
static facts it must stay within. The prompt's text is part of each cache key
(`PROMPT_VERSION` names its wording), so changing it asks again."""

from __future__ import annotations

import json

from mkdocs_howto.analyze.sentences import plain
from mkdocs_howto.facts import HowTo, Step
from mkdocs_howto.writer import Subject

#: Raise when the instructions or the layout of the facts change: every cached answer is
#: then asked again.
PROMPT_VERSION = 1

Message = dict[str, str]

#: The seed's method (describe, list the steps, show a use, no vague verbs) in our words,
#: with the grounding rules our checks enforce.
INSTRUCTIONS = """\
You write the prose of one page of a how-to guide for a Python class or function.
The reader wants to call it correctly. You receive its source code with line numbers and
facts that a static analysis established: signature, the import line a reader writes, the
steps its code performs with the lines each covers, a checked usage example, the exceptions
it raises. These facts are true; stay within them.

Write in {language}:
1. "description": what the object is for and what it does, in one to four sentences.
2. "steps": the actions its code performs, in source order. Each step cites the first and
   the last source line it covers, as numbered in the source. Together the steps cover
   every step of the facts.
3. "example" (optional): a short usage example, only if it is clearer than the checked
   one. It imports exactly as the import line says and calls only names from the facts.

Rules:
- Name each action with a specific verb (sends, parses, returns, raises, yields, stores,
  checks). Never use these words: {vague}.
- Write every name from the code exactly as in the source, inside backticks. Mention no
  function, class, module or import path that is not in the source or the facts.
- No HTML, no Markdown headings, no links.
- Answer with one JSON object and nothing else:
  {{"description": "...", "steps": [{{"text": "...", "lines": [first, last]}}], "example": "..."}}
"""

REPAIR = """\
Your answer failed these checks against the code:
{errors}
Answer again with the corrected JSON object only."""


def messages(subject: Subject, language: str, vague_terms: tuple[str, ...]) -> list[Message]:
    """The system instructions and the object's facts."""
    system = INSTRUCTIONS.format(
        language=language_name(language), vague=", ".join(f'"{term}"' for term in vague_terms)
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": facts(subject)}]


def repair(asked: list[Message], answer: str, errors: list[str]) -> list[Message]:
    """The conversation again, with the answer and what failed: the one repair round."""
    listed = "\n".join(f"- {error}" for error in errors)
    return [
        *asked,
        {"role": "assistant", "content": answer},
        {"role": "user", "content": REPAIR.format(errors=listed)},
    ]


def facts(subject: Subject) -> str:
    howto = subject.howto
    parts = [
        f"Object: {howto.public_path} ({howto.kind})",
        f"Import line: {subject.import_line}",
        f"Signature:\n{howto.signature}",
    ]
    if howto.source is not None:
        source = howto.source
        parts.append(
            f"Source ({source.relative_path}, lines {source.lineno}-{source.endlineno}):\n"
            + numbered(source.code, source.lineno)
        )
    parts.append("Steps (static analysis):\n" + ("\n".join(step_lines(howto)) or "(none)"))
    if howto.example.code and howto.example.verified:
        parts.append(f"Checked usage example:\n{howto.example.code}")
    raises = raised(howto)
    if raises:
        parts.append("Raises:\n" + "\n".join(raises))
    return "\n\n".join(parts)


def numbered(code: str, first: int) -> str:
    width = len(str(first + code.count("\n")))
    return "\n".join(
        f"{number:>{width}} | {line}" for number, line in enumerate(code.split("\n"), first)
    )


def step_lines(howto: HowTo) -> list[str]:
    lines: list[str] = []
    if howto.phases:
        for phase in howto.phases:
            lines.append(f"{plain(phase.title)}:")
            lines += _steps(phase.steps, "  ")
    else:
        lines += _steps(howto.steps, "")
    return lines


def _steps(steps: tuple[Step, ...], pad: str) -> list[str]:
    lines = []
    for step in steps:
        span = f"{step.lineno}-{step.endlineno}" if step.endlineno != step.lineno else step.lineno
        lines.append(f"{pad}- lines {span}: {plain(step.sentence)}")
        lines += _steps(step.children, pad + "  ")
    return lines


def raised(howto: HowTo) -> list[str]:
    found = [
        f"- {item.annotation or item.name}: {item.description}".rstrip(": ")
        for item in howto.description.raises
    ]
    for failure in howto.failures:
        when = f" when {failure.condition}" if failure.condition else ""
        through = f" through {failure.call}()" if failure.call else ""
        found.append(f"- {failure.exception} ({failure.how}{through}{when}, line {failure.line})")
    return found


def language_name(code: str) -> str:
    """`ru` -> `Russian (ru)`: models follow a named language more reliably than a code."""
    names = {
        "en": "English",
        "de": "German",
        "fr": "French",
        "es": "Spanish",
        "ru": "Russian",
        "zh": "Chinese",
        "he": "Hebrew",
        "it": "Italian",
        "ja": "Japanese",
        "pt": "Portuguese",
    }
    name = names.get(code.split("-", maxsplit=1)[0].lower())
    return f"{name} ({code})" if name else code


def answer_format() -> str:
    """The JSON shape asked for (docs and tests)."""
    return json.dumps({"description": "...", "steps": [{"text": "...", "lines": [1, 2]}]})
