"""The optional model writer (`writer: llm`): prose for a page, written by a model from the
static facts, checked against the code, cached in a folder committed with the docs.

The static facts stay the truth: a model's answer is a suggestion that must pass every check
in `check.py` (one repair round), else the page keeps its static text and the build warns.
No MkDocs here: `generate.write_pages` calls `ProseWriter.write` with the analyzed pages, the
engine reports what it returns. The `openai` SDK is imported only when a model is called, so
a build whose every answer is cached needs neither the extra nor a key.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs_howto.analyze.lint import DEFAULT_VAGUE_TERMS
from mkdocs_howto.analyze.symbols import Lookup
from mkdocs_howto.facts import HowTo, Prose


@dataclass(frozen=True)
class LlmOptions:
    """The `llm:` options, checked (`config.LlmConfig`) and resolved against the site root."""

    model: str
    cache_dir: Path
    """One JSON file per object, committed with the docs: a build that finds every answer
    there calls no model."""
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    concurrency: int = 4
    timeout: float = 60.0
    """Seconds one request may take."""
    max_retries: int = 3
    """Attempts per object; every call for one object (retries, repair) ends within
    `timeout x max_retries`."""
    temperature: float = 0.2
    language: str = "en"
    objects: tuple[str, ...] = ("*",)
    """Glob patterns on public paths: only these objects get model prose."""
    vague_terms: tuple[str, ...] = DEFAULT_VAGUE_TERMS
    """The vague terms of `language`."""
    background: bool = False
    """`mkdocs serve`: missing answers are asked in a thread while the static pages are
    served; each answer file it writes makes serve rebuild (the folder is watched)."""

    def wanted(self, public_path: str) -> bool:
        return any(fnmatch.fnmatchcase(public_path, pattern) for pattern in self.objects)


@dataclass(frozen=True)
class Subject:
    """One object to write prose for: its facts and the line a reader imports it with."""

    howto: HowTo
    import_line: str


@dataclass(frozen=True)
class Grounding:
    """What checks a model's text beyond the object itself: the loaded API."""

    packages: frozenset[str]
    lookup: Lookup
    api_paths: frozenset[str]
    """Every documented public, canonical and module path, and the names they end in."""
    run: Callable[[str], tuple[str, ...]] | None = None
    """Under `verify_examples: run`: runs an example, returns why it failed (empty: it ran)."""


@dataclass(frozen=True)
class Rejection:
    """A page kept on its static text: which object, and why (the failed check)."""

    public_path: str
    reason: str


@dataclass
class WriteResult:
    """The prose of each object that has it, what was rejected, and the run's counts."""

    prose: dict[str, Prose] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    calls: int = 0
    cached: int = 0
    tokens: int = 0
    seconds: float = 0.0
    unreachable: str | None = None
    """Why the server could not be used (timeouts, errors): the objects it left static."""
    skipped: list[str] = field(default_factory=list)
    fatal: str | None = None
    """Why the build must fail (no API key while answers are missing): no model was called."""
    waiting: int = 0
    """`background`: objects whose answer is being asked for (their pages are static now)."""

    def summary(self, model: str) -> str:
        waiting = f", {self.waiting} asked in the background" if self.waiting else ""
        return (
            f"prose by {model}: {self.calls} model calls, {self.cached} cached, "
            f"{len(self.prose)} pages with model prose, {len(self.rejected)} kept static, "
            f"{self.tokens} tokens, {self.seconds:.1f} s{waiting}"
        )


Progress = Callable[[int, int], None]
