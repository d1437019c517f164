"""Source blocks kept out of the search index, and put back into the finished page.

A page's source block is most of its HTML: every token and line of the highlighted code is an
element. Material's search plugin parses each page's HTML to index it (rich: ~30 % of a build
went into parsing the source blocks), and a match inside source code drowns the matches in
descriptions and examples. The page template marks the block (its heading included, or the
index gets an empty "Source" entry per page); between Markdown and the search index the block
is set aside, and it is put back into the finished page.
"""

from __future__ import annotations

#: Around the block in the page template (`templates/howto.md.jinja`).
START = "<!-- howto:source -->"
END = "<!-- /howto:source -->"


def hole(key: int) -> str:
    """Where block `key` was, until it is put back: unique per page, so that HTML copied
    from one page into another cannot receive the wrong block."""
    return f"<!-- howto:source set aside {key} -->"


def set_aside(html: str, key: int) -> tuple[str, str | None]:
    """The page HTML without its marked block, and the block (None: no block)."""
    start = html.find(START)
    end = html.find(END, start)
    if start < 0 or end < 0:
        return html, None
    block = html[start + len(START) : end]
    return html[:start] + hole(key) + html[end + len(END) :], block


def unmark(html: str) -> str:
    """The page HTML with its block in place, without the markers."""
    return html.replace(START, "", 1).replace(END, "", 1)


def put_back(output: str, key: int, block: str) -> str | None:
    """The finished page with its block where it was set aside; None when the page no
    longer has the place (a theme or plugin dropped the HTML comment)."""
    place = hole(key)
    return output.replace(place, block) if place in output else None
