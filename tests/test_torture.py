"""Torture runs (issue 6): the standard library in one build, and generated modules.

Marked `torture`; they fit `make test`'s budget (about 25 s together). `bench/torture.py`
runs the stdlib check by hand, with an optional real `mkdocs build`.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import hypothesmith
import pytest
from conftest import ROOT, generate, write_package
from hypothesis import HealthCheck, given, settings

from mkdocs_howto.errors import LoadError

sys.path.insert(0, str(ROOT / "bench"))
import torture  # bench/torture.py, shared with the hand-run benchmark

pytestmark = pytest.mark.torture


def test_thirty_stdlib_packages_in_one_build() -> None:
    report = torture.run()
    assert report.packages >= 30
    assert report.objects > 1500
    assert report.missing == []  # every public class and function has its page
    assert report.unparsable == []  # every generated example parses
    assert report.examples == report.objects


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(source=hypothesmith.from_grammar() | hypothesmith.from_node())
def test_the_whole_pipeline_never_raises_on_a_generated_module(
    tmp_path_factory: pytest.TempPathFactory, source: str
) -> None:
    """Load, analyze (steps, description, example and its check) and render any valid module."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes in generated strings
        compile(source, "gen.py", "exec")
        src = write_package(tmp_path_factory.mktemp("gen"), {})
        (src / "gen").mkdir()
        (src / "gen" / "__init__.py").write_text(source + "\n\ndef anchor():\n    pass\n")
        try:
            site = generate(src, "gen", exclude=())
        except LoadError:  # our own clear error (no public objects…): allowed, not a crash
            return
    assert Path("howto/gen/anchor.md").as_posix() in site.pages
