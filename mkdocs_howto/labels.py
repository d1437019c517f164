"""The pages' fixed texts (section titles, table headers, badges, index texts) in the site's
language: one table per language in `locales/`, English the reference, the `labels` option
overriding any entry. The templates show them; the narration (steps, structure sentences) is
written by the analyzer in English and is not translated.

No MkDocs here: the frontend passes the theme's language.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"


class LabelsError(ValueError):
    """A `labels` entry that names no text or changes its placeholders."""


@cache
def languages() -> tuple[str, ...]:
    """The languages with a table, such as `de` or `he`."""
    return tuple(sorted(path.stem for path in LOCALES.glob("*.yml")))


@cache
def table(language: str) -> Mapping[str, str]:
    """The texts of one language (a name from `languages`)."""
    with (LOCALES / f"{language}.yml").open(encoding="utf-8") as file:
        entries = yaml.safe_load(file)
    return {str(key): str(value) for key, value in entries.items()}


def language_for(theme_language: str | None) -> str | None:
    """The table for a theme's language (`de`, `pt-BR` -> `pt`, `zh-Hans` -> `zh`), or None."""
    wanted = (theme_language or DEFAULT_LANGUAGE).replace("_", "-").lower()
    for candidate in (wanted, wanted.split("-")[0]):
        if candidate in languages():
            return candidate
    return None


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def check_overrides(overrides: Mapping[str, str]) -> None:
    """Every override names a text and keeps its placeholders (`{name}`), else `LabelsError`."""
    reference = table(DEFAULT_LANGUAGE)
    for key, text in overrides.items():
        if key not in reference:
            close = difflib.get_close_matches(key, reference, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise LabelsError(
                f"'{key}' is not a label{hint}: the labels are the keys of {LOCALES / 'en.yml'}"
            )
        try:
            found = placeholders(text)
        except ValueError as error:  # an unmatched brace
            raise LabelsError(f"'{key}': {error} (write {{{{ or }}}} for a brace)") from error
        expected = placeholders(reference[key])
        if found != expected:
            want = ", ".join(f"{{{name}}}" for name in sorted(expected)) or "no placeholders"
            raise LabelsError(f"'{key}' must use {want}, as '{reference[key]}' does")


def labels_for(language: str | None, overrides: Mapping[str, str]) -> dict[str, str]:
    """English, then the language's table, then the overrides (checked by `check_overrides`)."""
    labels = dict(table(DEFAULT_LANGUAGE))
    if language is not None:
        labels.update(table(language))
    labels.update(overrides)
    return labels


def kind_key(kind: str) -> str:
    """The label of an object's kind (`async function` -> `kind_async_function`)."""
    return "kind_" + kind.replace(" ", "_")
