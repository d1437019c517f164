"""The answers' cache: one JSON file per object in a folder committed with the docs.

A file holds the key it was written under (a digest of the source and facts as asked, the
model, the prompt version and the language), the prose that passed the checks or the checks
it failed. A build finds an object's answer only under the same key; files are written
atomically as each answer arrives, so an interrupted build keeps every finished one. The API
key is never part of anything written here.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs_howto.facts import Prose, ProseStep

_FORMAT = 1
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class Entry:
    """A cached answer: the prose, or (it failed its checks) why not."""

    key: str
    public_path: str
    model: str
    language: str
    prompt_version: int
    prose: Prose | None
    rejected: str = ""

    def to_json(self) -> str:
        data = {
            "format": _FORMAT,
            "object": self.public_path,
            "key": self.key,
            "model": self.model,
            "language": self.language,
            "prompt_version": self.prompt_version,
            "prose": _prose_data(self.prose) if self.prose else None,
            "rejected": self.rejected,
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def key_of(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class AnswerStore:
    """The folder of answers; `get` finds an object's entry only under its current key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, public_path: str) -> Path:
        # long paths keep a readable head and a hash: file names stay under 255 bytes
        name = _UNSAFE.sub("_", public_path)
        if len(name) > 120:
            name = f"{name[:100]}-{key_of(public_path)[:16]}"
        return self.folder / f"{name}.json"

    def get(self, public_path: str, key: str) -> Entry | None:
        try:
            data = json.loads(self.path(public_path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: asked again, then rewritten
        if not isinstance(data, dict) or data.get("key") != key or data.get("format") != _FORMAT:
            return None
        try:
            prose = _prose(data["prose"]) if data.get("prose") else None
            return Entry(
                key,
                public_path,
                str(data["model"]),
                str(data["language"]),
                int(data["prompt_version"]),
                prose,
                str(data.get("rejected", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, entry: Entry) -> None:
        """Write one entry atomically (a killed build leaves the old file or the new one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(entry.public_path)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(entry.to_json())
            Path(temporary).replace(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _prose_data(prose: Prose) -> dict[str, object]:
    return {
        "model": prose.model,
        "description": prose.description,
        "steps": [
            {"text": step.text, "lines": [step.lineno, step.endlineno]} for step in prose.steps
        ],
        "example": prose.example,
        "example_ran": prose.example_ran,
    }


def _prose(data: dict[str, object]) -> Prose:
    steps = data["steps"]
    if not isinstance(steps, list):
        raise TypeError("steps")
    return Prose(
        str(data["model"]),
        str(data["description"]),
        tuple(ProseStep(str(s["text"]), int(s["lines"][0]), int(s["lines"][1])) for s in steps),
        str(data.get("example", "")),
        bool(data.get("example_ran", False)),
    )
