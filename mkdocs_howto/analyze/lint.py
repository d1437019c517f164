"""The vague-term rule (spec rule 4): find words that name no action, and say what to use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: Words that say nothing about what code does, as the spec means them.
DEFAULT_VAGUE_TERMS = (
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
    "things",
    "various",
    "process",
    "processes",
    "processing",
    "manage",
    "manages",
    "managing",
    "deal with",
    "deals with",
)

#: Better verbs to suggest, by the vague word's stem.
SUGGESTIONS = {
    "get": "returns, fetches, reads or looks up",
    "do": "runs, applies, computes or sends",
    "handl": "catches, parses, routes or retries",
    "process": "parses, transforms, filters or validates",
    "manag": "opens, tracks, schedules or closes",
    "deal": "catches, validates or converts",
}


@dataclass(frozen=True)
class VagueTerm:
    term: str
    line_offset: int
    """Line of the hit, counted from the first line of the text (0-based)."""

    @property
    def suggestion(self) -> str:
        for stem, verbs in SUGGESTIONS.items():
            if self.term.lower().startswith(stem):
                return verbs
        return "name the objects or the action"


def vague_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    words = sorted({term.strip().lower() for term in terms if term.strip()}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, word.split())) for word in words)
    return re.compile(rf"(?<![\w`-])({alternatives})(?![\w`-])", re.IGNORECASE)


def find_vague_terms(text: str, pattern: re.Pattern[str]) -> Iterator[VagueTerm]:
    """Vague words in prose, skipping code spans and fenced code."""
    in_fence = False
    for offset, line in enumerate(text.splitlines()):
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or line.strip().startswith((">>>", "...")):
            continue
        prose = re.sub(r"`[^`]*`", "", line)
        for match in pattern.finditer(prose):
            yield VagueTerm(match.group(1), offset)
