"""Code blocks highlighted after the conversion (`highlights.py`): the HTML is the same as
the conversion's own, whether the blocks are made here, in a forked process, or here again
after that process died; and nothing is deferred where a placeholder could be seen or
rewritten."""

from __future__ import annotations

import os
from functools import partial
from typing import Any

import pytest
from markdown import Markdown

from mkdocs_howto.engine import EXTENSIONS
from mkdocs_howto.highlights import (
    Call,
    Deferrals,
    DeferredHighlights,
    make_all,
    safe_extensions,
)
from mkdocs_howto.worker import Send, Worker, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="Linux and a single thread only")

#: A generated page's shape: an unnumbered block, inline code, a numbered listing in a
#: collapsible block between the listing markers, and text after it.
PAGE = """\
# Title

``` { .python .howto-signature }
def scale(value: float, factor: float = 2.0) -> float
```

Call `#!python scale(2)` to double a value & more.

<!-- howto:source -->

## Source { #source }

??? abstract "Source: pkg/core.py, lines 3-9"

    ``` { .python #src linenums="3" }
    def scale(value: float, factor: float = 2.0) -> float:
        \"\"\"Scale a value.\"\"\"
        if factor < 0:
            raise ValueError("factor must not be <negative> & such")
        return value * factor
    ```

<!-- /howto:source -->

A numbered block outside the listing:

```python linenums="1" title="example.py"
print("x")
```
"""


def markdown(*extra: Any, **configs: dict[str, Any]) -> Markdown:
    """A Markdown instance with the extensions the plugin gives a site, plus `extra`."""
    return Markdown(
        extensions=[*EXTENSIONS, *extra],
        extension_configs={**{k: v for k, v in EXTENSIONS.items() if v}, **configs},
    )


def deferred(text: str = PAGE, *extra: Any, **configs: dict[str, Any]) -> tuple[str, Deferrals]:
    """`text` converted with its blocks deferred (as the plugin converts a generated page)."""
    deferrals = Deferrals()
    deferrals.expect(text)
    return markdown(DeferredHighlights(deferrals), *extra, **configs).convert(text), deferrals


def test_deferred_blocks_made_later_give_the_conversion_s_own_html() -> None:
    html, deferrals = deferred()
    assert deferrals.deferred == 2  # the two numbered blocks; the signature is made at once
    assert html != markdown().convert(PAGE)
    assert "__codelineno-src-3" not in html  # the listing is not there yet
    assert deferrals.fill(html, here=True) == markdown().convert(PAGE)
    assert deferrals.calls == {}


@needs_fork
def test_blocks_made_in_a_forked_process_are_the_same() -> None:
    html, deferrals = deferred()
    helper = Worker(partial(make_all, dict(deferrals.calls)))
    deferrals.results = helper.get
    assert deferrals.fill(html) == markdown().convert(PAGE)
    helper.finish()
    assert helper.failure is None


def _dies_in_the_child(parent: int, calls: dict[str, Call], send: Send) -> None:
    for placeholder, call in calls.items():
        if os.getpid() != parent:
            os._exit(3)
        send(placeholder, call.make())


@needs_fork
def test_when_the_process_dies_the_blocks_are_made_here() -> None:
    html, deferrals = deferred()
    helper = Worker(partial(_dies_in_the_child, os.getpid(), dict(deferrals.calls)))
    deferrals.results = helper.get
    assert deferrals.fill(html) == markdown().convert(PAGE)
    helper.finish()
    assert helper.failure == "the worker stopped (exit code 3)"


def test_only_the_expected_conversion_defers_and_only_once() -> None:
    deferrals = Deferrals()
    deferrals.expect(PAGE)
    other = PAGE.replace("# Title", "# Another page")
    extension = DeferredHighlights(deferrals)
    assert markdown(extension).convert(other) == markdown().convert(other)
    assert markdown(extension).convert(PAGE) != markdown().convert(PAGE)
    # the same text converted again (by another plugin, say): as usual
    assert markdown(extension).convert(PAGE) == markdown().convert(PAGE)
    assert deferrals.deferred == 2


HIGHLIGHT = EXTENSIONS["pymdownx.highlight"]


@pytest.mark.parametrize(
    ("extra", "configs", "blocks"),
    [
        # a post-processor that could rewrite the highlighted HTML
        (["footnotes"], {}, 0),
        # highlighted in the browser: no Pygments call to defer
        ([], {"pymdownx.highlight": {**HIGHLIGHT, "use_pygments": False}}, 0),
        # an automatic title may be stored as raw HTML: only the block with its own title
        ([], {"pymdownx.highlight": {**HIGHLIGHT, "auto_title": True}}, 1),
    ],
)
def test_nothing_is_deferred_where_the_result_could_differ(
    extra: list[str], configs: dict[str, dict[str, Any]], blocks: int
) -> None:
    html, deferrals = deferred(PAGE, *extra, **configs)
    assert deferrals.deferred == blocks
    assert deferrals.fill(html, here=True) == markdown(*extra, **configs).convert(PAGE)


def test_code_holding_python_markdown_s_placeholder_marks_gives_the_same_html() -> None:
    text = PAGE.replace("return value * factor", 'return "\x02wzxhzdk:0\x03 \x02amp\x03"')
    html, deferrals = deferred(text)
    assert deferrals.fill(html, here=True) == markdown().convert(text)


def test_extensions_known_to_leave_a_stashed_block_alone() -> None:
    names: list[object] = ["toc", "markdown.extensions.tables", "pymdownx.superfences"]
    assert safe_extensions([*names, "material.extensions.emoji", DeferredHighlights(Deferrals())])
    assert not safe_extensions([*names, "pymdownx.blocks.admonition"])  # re-reads stashed HTML
    assert not safe_extensions([*names, "someone.elses_extension"])
