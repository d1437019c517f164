"""The project's own exceptions; the MkDocs shell turns them into `PluginError`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class HowToError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class LoadError(HowToError):
    """A package could not be found or loaded, or it has no public API."""


class RenderError(HowToError):
    """A template is missing or broken."""


def display_path(path: str | Path) -> str:
    """A path as Griffe shows it in its own warnings: relative to the working folder if inside."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Problem:
    """A non-fatal problem tied to a place in the user's code: logged as a warning."""

    filepath: str
    lineno: int
    message: str

    def __str__(self) -> str:
        return f"{self.filepath}:{self.lineno}: {self.message}"
