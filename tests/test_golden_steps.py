"""Golden step trees: one YAML file per case under `tests/golden/steps/`, `code:` in, `steps:` out.

Each case holds a small realistic module (`code:`), the object to narrate (`name:`) and the
expected step tree (`steps:`), one line per step, nested by two spaces:

    L12-14: [Send the request] Sends a POST request to `url` and stores the result in `resp`

`[…]` is the author's comment that titles the step; code is in backticks. A class renders each
phase as a `## <title>` line followed by its steps. After a change to the narrator, regenerate
every file and review the diff:

    pytest tests/test_golden_steps.py --update-goldens
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import Package, analyze, load

from mkdocs_howto.analyze.sentences import plain
from mkdocs_howto.facts import HowTo, Sentence, Step, Text

GOLDEN = Path(__file__).parent / "golden" / "steps"
CASES = sorted(GOLDEN.glob("*.yaml"))
PACKAGE = "app"
"""Each case's `code:` is written as `app/__init__.py`, so its line numbers are the file's."""

#: Words that name no action (spec rule 4); matched as whole words in prose, never in code.
VAGUE_WORDS = (
    "get",
    "gets",
    "getting",
    "do",
    "does",
    "doing",
    "handle",
    "handles",
    "handling",
    "stuff",
    "thing",
    "various",
    "process",
    "processes",
    "processing",
    "manage",
    "manages",
    r"deal\s+with",
)
VAGUE = re.compile(rf"\b({'|'.join(VAGUE_WORDS)})\b", re.IGNORECASE)
#: "process" after a determiner is the noun (`Starts the process …`), not the vague verb.
DETERMINER = re.compile(r"\b(the|a|each|every|this|that|child)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    path: Path
    name: str
    code: str
    steps: str

    @classmethod
    def read(cls, path: Path) -> Case:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) == {"name", "code", "steps"}, f"{path.name}: unexpected keys {set(data)}"
        return cls(path, data["name"], data["code"], data["steps"] or "")

    def dump(self, steps: str) -> str:
        """The file with `steps` replaced; literal blocks so code and steps read as written."""
        text = f"name: {self.name}\ncode:{_literal(self.code)}steps:{_literal(steps)}"
        assert yaml.safe_load(text) == {"name": self.name, "code": self.code, "steps": steps}
        return text


def _literal(value: str) -> str:
    if not value:
        return ' ""\n'
    indicator = "2" if value[0] == " " else ""
    lines = "".join(f"  {line}".rstrip() + "\n" for line in value.splitlines())
    return f" |{indicator}\n{lines}"


def render(steps: Iterable[Step], depth: int = 0) -> Iterator[str]:
    """One line per step, children indented under their parent."""
    for step in steps:
        title = step.title.replace("\n", " / ") if step.title else ""
        if step.title_unmatched:  # shown after the sentence, quoted as the author's
            line = f"L{step.lineno}-{step.endlineno}: {plain(step.sentence)} [author: {title}]"
        else:
            title = f"[{title}] " if title else ""
            line = f"L{step.lineno}-{step.endlineno}: {title}{plain(step.sentence)}"
        if step.summary:  # the visible summary; the children below it are folded
            line += f" => {plain(step.summary)}"
        yield "  " * depth + line.rstrip()
        yield from render(step.children, depth + 1)


def render_howto(howto: HowTo) -> str:
    """A function's steps; a class's phases (attributes, `__init__`, methods), each under `##`."""
    if howto.phases:
        lines = []
        for phase in howto.phases:
            lines.append(f"## {plain(phase.title)}")
            lines.extend(render(phase.steps))
    else:
        lines = list(render(howto.steps))
    return "".join(f"{line}\n" for line in lines)


_NARRATED: dict[tuple[str, str], HowTo] = {}
"""Each case is narrated once per session, then checked by every test below."""


def narrate(package: Package, case: Case) -> HowTo:
    """The facts of the case's object, loaded by Griffe from a real package, as pages show them."""
    key = (case.name, case.code)
    if key not in _NARRATED:
        _NARRATED[key] = _narrate(package, case)
    return _NARRATED[key]


def _narrate(package: Package, case: Case) -> HowTo:
    src = package({f"{PACKAGE}/__init__.py": case.code})
    assert load(src, PACKAGE).problems == [], f"{case.path.name}: loading reported problems"
    howtos = analyze(src, PACKAGE)
    path = f"{PACKAGE}.{case.name}"
    assert path in howtos, f"{case.path.name}: {path!r} is not documented; found {sorted(howtos)}"
    return howtos[path]


def walk(steps: Iterable[Step]) -> Iterator[Step]:
    for step in steps:
        yield step
        yield from walk(step.children)


def vague_words(sentence: Sentence) -> list[str]:
    """Vague words in the prose; an upper-case word is an HTTP method (`Sends a GET request`)."""
    text = prose(sentence)
    return [
        hit.group()
        for hit in VAGUE.finditer(text)
        if not hit.group().isupper()
        and not (
            hit.group().lower().startswith("process") and DETERMINER.search(text[: hit.start()])
        )
    ]


def prose(sentence: Sentence) -> str:
    """The analyzer's own words: code spans are blanked out, so `get_user()` is not a hit."""
    return "".join(segment.value if isinstance(segment, Text) else " ` " for segment in sentence)


def all_steps(howto: HowTo) -> Iterator[tuple[Step, tuple[int, int]]]:
    """Every step with the lines it must lie within: the function, or its method in a class."""
    assert howto.source is not None
    whole = (howto.source.lineno, howto.source.endlineno)
    members = {member.anchor: member for member in howto.members}
    for step in walk(howto.steps):
        yield step, whole
    for phase in howto.phases:
        member = members.get(phase.anchor or "")
        bounds = whole
        if member is not None and member.lineno and member.endlineno:
            bounds = (member.lineno, member.endlineno)
        for step in walk(phase.steps):
            yield step, bounds


@pytest.fixture(params=CASES, ids=[path.stem for path in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    return Case.read(request.param)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 45


def test_steps_match_the_golden_file(
    case: Case, package: Package, request: pytest.FixtureRequest
) -> None:
    actual = render_howto(narrate(package, case))
    if request.config.getoption("--update-goldens"):
        case.path.write_text(case.dump(actual), encoding="utf-8")
        return
    assert actual == case.steps, f"{case.path.name}: run pytest with --update-goldens and review"


def test_no_step_uses_a_vague_verb(case: Case, package: Package) -> None:
    howto = narrate(package, case)
    sentences = [step.sentence for step, _ in all_steps(howto)]
    sentences += [step.summary for step, _ in all_steps(howto) if step.summary]
    sentences += [phase.title for phase in howto.phases]
    hits = [(plain(text), vague_words(text)) for text in sentences]
    assert [(text, words) for text, words in hits if words] == []


def test_every_step_lies_within_its_object(case: Case, package: Package) -> None:
    howto = narrate(package, case)
    outside = [
        (step.lineno, step.endlineno, plain(step.sentence), bounds)
        for step, bounds in all_steps(howto)
        if not bounds[0] <= step.lineno <= step.endlineno <= bounds[1]
    ]
    assert outside == []
    assert howto.steps or any(phase.steps for phase in howto.phases), "no steps at all"
