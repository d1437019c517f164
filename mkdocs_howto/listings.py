"""Source listings kept out of the search index, and out of the HTML other plugins parse.

A page's source listing is most of its HTML: every token and line of the highlighted code is
an element. Material's search plugin parses each page's HTML to index it (rich: ~30 % of a
build went into parsing the listings), and a match inside source code drowns the matches in
descriptions and examples. The page template marks the listing; between Markdown and the
search index the listing is set aside, and it is put back into the finished page.
"""

from __future__ import annotations

#: Around the listing in the page template (`templates/howto.md.jinja`).
START = "<!-- howto:source -->"
END = "<!-- /howto:source -->"
#: Where the listing was, until it is put back.
HOLE = "<!-- howto:source set aside -->"


def set_aside(html: str) -> tuple[str, str | None]:
    """The page HTML without its marked listing, and the listing (None: no listing)."""
    start = html.find(START)
    end = html.find(END, start)
    if start < 0 or end < 0:
        return html, None
    listing = html[start + len(START) : end]
    return html[:start] + HOLE + html[end + len(END) :], listing


def unmark(html: str) -> str:
    """The page HTML with its listing in place, without the markers."""
    return html.replace(START, "", 1).replace(END, "", 1)


def put_back(output: str, listing: str) -> str:
    """The finished page with its listing where it was set aside."""
    return output.replace(HOLE, listing, 1)
