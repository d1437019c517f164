"""The vague-term rule: docstrings are linted on request; user lexicon entries obey it too."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Package, build_site
from mkdocs.exceptions import Abort, PluginError

from mkdocs_howto.analyze.lint import DEFAULT_VAGUE_TERMS, find_vague_terms, vague_pattern

CODE = {
    "pkg/__init__.py": '''
        def fetch(url: str) -> bytes:
            """Gets the page.

            Handles redirects. The `get` in code is fine:

            ```python
            session.get(url)
            ```
            """
            return b""
        ''',
}


def test_finds_vague_words_in_prose_only() -> None:
    pattern = vague_pattern(DEFAULT_VAGUE_TERMS)
    text = "Gets the page.\n\nUse `get()` here, and deal with errors.\n```\ndo()\n```\n"
    hits = [(hit.term, hit.line_offset) for hit in find_vague_terms(text, pattern)]
    assert hits == [("Gets", 0), ("deal with", 2)]


def test_lint_warns_with_file_line_and_a_better_verb(
    package: Package, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    package(CODE)
    build_site(tmp_path, {"packages": ["pkg"], "lint_docstrings": "warn"}, strict=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(
        "src/pkg/__init__.py:2:" in w and "'Gets'" in w and "returns, fetches" in w
        for w in warnings
    ), warnings
    assert any("src/pkg/__init__.py:4:" in w and "'Handles'" in w for w in warnings), warnings
    assert not any("'get'" in w for w in warnings)


def test_lint_strict_fails_the_build(package: Package, tmp_path: Path) -> None:
    package(CODE)
    with pytest.raises((PluginError, Abort)):
        build_site(tmp_path, {"packages": ["pkg"], "lint_docstrings": "strict"}, strict=False)


def test_lint_is_off_by_default(
    package: Package, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    package(CODE)
    build_site(tmp_path, {"packages": ["pkg"]}, strict=True)
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_user_lexicon_with_a_vague_verb_is_refused(
    package: Package, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    package(CODE)
    with pytest.raises(Abort):
        build_site(tmp_path, {"packages": ["pkg"], "lexicon": {"fetch": "Gets {arg0}"}})
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == [
        "howto: lexicon entry 'fetch: Gets {arg0}' uses the vague term 'Gets': "
        "name the action (returns, fetches, reads or looks up)"
    ]
