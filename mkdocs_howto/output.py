"""A folder of generated files that `mkdocs-howto generate` owns, with a manifest of what it
wrote: it never writes into someone else's folder unasked, and never deletes a file it did not
write (or that was changed since it wrote it)."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from mkdocs_howto.errors import HowToError

#: The manifest: each file written (relative path -> SHA-256 of what was written).
MANIFEST = ".mkdocs-howto-manifest.json"


class OutputError(HowToError):
    """The output folder cannot be used."""


class OutputFolder:
    """Files written under `root`; `finish` removes those of the last run not written again."""

    def __init__(self, root: Path, *, force: bool, log: logging.Logger) -> None:
        self.root, self.log = root, log
        self.before = _read_manifest(root)
        if self.before is None:
            _check_new_folder(root, force)
            self.before = {}
        self.written: dict[str, str] = {}
        self.changed = 0

    def write(self, relative: str, content: str | bytes) -> None:
        """Write one file (only when its content changed: watchers see real changes only)."""
        data = content.encode() if isinstance(content, str) else content
        path = self._path(relative)
        self.written[relative] = _sha(data)
        if path.is_file() and path.read_bytes() == data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        self.changed += 1

    def finish(self) -> list[str]:
        """Remove what the last run wrote and this one did not; save the manifest. Returns
        the removed files' relative paths."""
        assert self.before is not None
        removed = []
        for relative, sha in sorted(self.before.items()):
            if relative in self.written:
                continue
            path = self._path(relative)
            if not path.is_file():
                continue
            if _sha(path.read_bytes()) != sha:
                self.log.warning(
                    "%s was changed after mkdocs-howto wrote it: kept, although no page "
                    "replaces it any more",
                    path,
                )
                continue
            path.unlink()
            removed.append(relative)
            _remove_empty_parents(path.parent, self.root)
        manifest = {"generator": "mkdocs-howto", "files": dict(sorted(self.written.items()))}
        (self.root / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        self.before = dict(self.written)
        self.written = {}
        return removed

    def _path(self, relative: str) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):  # URIs are checked by `pages` too
            raise OutputError(f"'{relative}' would be written outside {self.root}")
        return path


def _check_new_folder(root: Path, force: bool) -> None:
    """A folder without a manifest is used only when it is new or empty, or with `force`."""
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root} is a file, not a folder: choose another --out")
    if root.is_dir() and any(root.iterdir()) and not force:
        raise OutputError(
            f"{root} is not empty and was not written by mkdocs-howto generate (it has no "
            f"{MANIFEST}): choose a new or empty folder, or pass --force to write into it "
            f"(files already there are kept unless a generated file has the same name)"
        )
    root.mkdir(parents=True, exist_ok=True)


def _read_manifest(root: Path) -> dict[str, str] | None:
    try:
        data = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return None
    return {str(name): str(sha) for name, sha in files.items()}


def _remove_empty_parents(folder: Path, root: Path) -> None:
    """Folders emptied by removing generated files (a folder holding anything else stays)."""
    root = root.resolve()
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
