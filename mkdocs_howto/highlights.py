"""Source listings highlighted later, on the second core, while MkDocs renders the pages.

Pygments highlighting of a page's source listing is a fifth of what MkDocs spends converting
a generated page (rich: ~1.2 s of 6 s, bench/RESULTS.md). The listing leaves the page right
after the conversion anyway: it is set aside from the search index (`listings.py`) and put
back into the finished page. So while a page is converted, each fenced block Python-Markdown
hands to `pymdownx.highlight` gets a placeholder instead, and the call (the highlighter's
settings and arguments) is kept; once every page is converted, a forked process makes the
calls while MkDocs renders the pages, and the highlighted blocks replace the placeholders
when the source block is put back. A placeholder still in the page's HTML when the block is
set aside (a block outside the listing) is highlighted then, in this process.

The result is byte for byte what the conversion would have produced: the same function runs
on the same arguments, and nothing can see the placeholder in between (deferral is off when
another plugin reads the converted page before the set-aside, or a post-processor other than
Python-Markdown's own two could rewrite the highlighted HTML). See `Deferrals.applies_to`.
"""

from __future__ import annotations

import secrets
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

#: Python-Markdown's own post-processors (`md_in_html` replaces the first): they substitute
#: its placeholders and `&` (`\x02amp\x03`) only, which a deferred block holds neither of
#: (`_safe_text`); any other could rewrite the highlighted HTML.
SAFE_POSTPROCESSORS = (
    "markdown.postprocessors.RawHtmlPostprocessor",
    "markdown.extensions.md_in_html.MarkdownInHTMLPostprocessor",
    "markdown.postprocessors.AndSubstitutePostprocessor",
)
#: Extensions known to leave a stashed block as it is until it is put in place (by module):
#: Python-Markdown's, pymdown-extensions' except `blocks` (it re-reads stashed HTML),
#: Material's and this package's. With any other, nothing is deferred.
SAFE_EXTENSIONS = ("markdown.extensions.", "pymdownx.", "material.", "mkdocs_howto.")
UNSAFE_EXTENSIONS = ("pymdownx.blocks",)
#: Python-Markdown's placeholders are wrapped in these (`markdown.util.STX`, `ETX`).
_MARKERS = ("\x02", "\x03")


@dataclass(frozen=True)
class Call:
    """One `Highlight(md, **settings).highlight(*args, **kwargs)` call, kept to be made later
    (elsewhere): everything its result depends on."""

    settings: dict[str, Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def make(self) -> str:
        # (pymdownx and Pygments: ~30 ms, only for frontends that highlight)
        from pymdownx.highlight import Highlight  # noqa: PLC0415

        # `md` serves only titles in `title_mode: html`, which are never deferred
        return str(Highlight(None, **self.settings).highlight(*self.args, **self.kwargs))


class Deferrals:
    """The calls deferred in this process, by placeholder, and the page being converted."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(8)
        self._made = 0
        """Placeholders made in this process: each one's number."""
        self.deferred = 0
        """Blocks deferred in this build."""
        self.calls: dict[str, Call] = {}
        """Placeholder -> its call, until the block is put in place."""
        self.converting: str | None = None
        """The Markdown of the generated page about to be converted (None: defer nothing)."""
        self.results: Callable[[str], str] | None = None
        """Where a deferred block's HTML comes from (the helper process), if not made here."""

    def expect(self, markdown: str | None) -> None:
        """The next conversion of exactly `markdown` may defer its blocks (None: none may)."""
        self.converting = markdown

    def applies_to(self, md: Markdown, lines: list[str]) -> bool:
        """Whether this conversion is the expected one (once: a second conversion of the same
        text, by someone else, is not) and nothing after it could rewrite a block."""
        if self.converting is None or "\n".join(lines) != self.converting:
            return False
        self.converting = None
        return all(_qualified_name(type(p)) in SAFE_POSTPROCESSORS for p in md.postprocessors)

    def defer(self, call: Call) -> str:
        """A placeholder for the block `call` highlights: block-level HTML (so Python-Markdown
        unwraps it from its paragraph as it does the real `<div class="highlight">`), unique
        in the process and unlike any text a page can hold (a random token)."""
        self._made += 1
        self.deferred += 1
        key = f"{self._token}-{self._made}"
        placeholder = f'<div class="howto-deferred" data-key="{key}"></div>'
        self.calls[placeholder] = call
        return placeholder

    def pending(self, html: str) -> Iterator[str]:
        """The placeholders in `html`, in order."""
        mark = f'<div class="howto-deferred" data-key="{self._token}-'
        start = html.find(mark)
        while start >= 0:
            end = html.index("</div>", start) + len("</div>")
            yield html[start:end]
            start = html.find(mark, end)

    def fill(self, html: str, *, here: bool = False) -> str:
        """`html` with its blocks highlighted: made here (`here`, or nowhere else to get them
        from), else taken from `results`."""
        for placeholder in list(self.pending(html)):
            call = self.calls[placeholder]
            made = call.make() if here or self.results is None else self.results(placeholder)
            html = html.replace(placeholder, made, 1)
            del self.calls[placeholder]
        return html

    def reset(self) -> None:
        self.calls, self.converting, self.results = {}, None, None
        self.deferred = 0


def make_all(calls: dict[str, Call], send: Callable[[str, Any], None]) -> None:
    """Highlight every deferred block, sending each by its placeholder (a helper's job)."""
    for placeholder, call in calls.items():
        send(placeholder, call.make())


class DeferredHighlights(Extension):
    """Add to a Markdown instance: the expected page's fenced blocks are deferred."""

    def __init__(self, deferrals: Deferrals) -> None:
        super().__init__()
        self.deferrals = deferrals

    def extendMarkdown(self, md: Markdown) -> None:
        # first of all preprocessors: it sees the text as given, and the highlighter is
        # swapped before `pymdownx.superfences` (25, 31.05) asks for it
        md.preprocessors.register(_Swap(md, self.deferrals), "howto_deferred_highlights", 1000)


class _Swap(Preprocessor):
    """Hands `pymdownx.superfences` a highlighter that defers, on the expected page only."""

    def __init__(self, md: Markdown, deferrals: Deferrals) -> None:
        super().__init__(md)
        self.deferrals = deferrals

    def run(self, lines: list[str]) -> list[str]:
        if self.deferrals.applies_to(self.md, lines):
            _swap_highlighter(self.md, self.deferrals)
        return lines


def _swap_highlighter(md: Markdown, deferrals: Deferrals) -> None:
    """On this instance only, the highlight extension superfences will use (found as in
    `SuperFencesBlockPreprocessor.get_hl_settings`) returns a deferring subclass of
    pymdownx's `Highlight`; a custom highlighter is left alone."""
    from pymdownx.highlight import Highlight  # noqa: PLC0415

    extensions: list[Any] = md.registeredExtensions
    for extension in extensions:
        try:
            extension.get_pymdownx_highlight_settings()
            highlighter = extension.get_pymdownx_highlighter()
            break
        except AttributeError:
            continue
    else:
        return
    if highlighter is not Highlight:
        return
    # An extension instance given in the site's config serves every page: only the
    # blocks of this conversion are deferred.
    this_conversion = weakref.ref(md)

    class Deferring(Highlight):  # type: ignore[misc]
        def __init__(self, md: Markdown, **settings: Any) -> None:
            super().__init__(md, **settings)
            self.settings = settings

        def highlight(self, *args: Any, **kwargs: Any) -> Any:
            call = Call(self.settings, args, kwargs)
            if self.md is not this_conversion() or not _deferrable(self, call):
                return super().highlight(*args, **kwargs)
            return deferrals.defer(call)

    extension.get_pymdownx_highlighter = lambda: Deferring


def _deferrable(highlighter: Any, call: Call) -> bool:
    """A Pygments-highlighted block with numbered lines (inline code is an element, not text)
    whose title cannot be stored as raw HTML, and whose HTML cannot hold Python-Markdown's
    placeholders."""
    from pymdownx.highlight import pygments  # noqa: PLC0415

    title = call.kwargs.get("title")
    # an automatic title (`auto_title`) may be stored as raw HTML too
    html_title = title is None and call.settings.get("auto_title")
    html_title = html_title or (title and call.settings.get("title_mode") == "html")
    return (
        pygments is not None
        and bool(highlighter.use_pygments)
        and 2 <= len(call.args) <= 3  # (src, language, css_class): the rest by keyword
        # numbered: a listing (`linenums="N"`), which leaves the page with the source block;
        # short blocks (signatures, examples) stay, and cost less here than deferred
        and call.kwargs.get("linestart", -1) > 0
        and not call.kwargs.get("inline", False)
        and not html_title
        and not any(marker in text for text in _texts(call) for marker in _MARKERS)
    )


def _texts(value: object) -> Iterator[str]:
    """Every string in a call (its settings and arguments): all its HTML can be made of."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Call):
        yield from _texts((value.settings, value.args, value.kwargs))
    elif isinstance(value, dict):
        yield from _texts(list(value.items()))
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _texts(item)


def safe_extensions(names: Iterable[object]) -> bool:
    """Whether every Markdown extension of the site (a name or an instance) is one known to
    leave stashed blocks alone (`SAFE_EXTENSIONS`)."""
    for extension in names:
        name = extension if isinstance(extension, str) else _qualified_name(type(extension))
        if "." not in name:  # Python-Markdown's short names: `toc`, `tables`, ...
            name = f"markdown.extensions.{name}"
        if not name.startswith(SAFE_EXTENSIONS) or name.startswith(UNSAFE_EXTENSIONS):
            return False
    return True


def _qualified_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"
