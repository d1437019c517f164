"""Docstrings rendered faithfully (issue 13): one fixture package per docstring style (reST,
Google, NumPy, a mix), built by MkDocs with `--strict`, read back from the HTML pages."""

from __future__ import annotations

import html
import logging
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import BuiltSite, Package, build_site, generate

from mkdocs_howto.docstrings import rest_to_markdown
from mkdocs_howto.render import do_docstring

FIXTURES = Path(__file__).parent / "fixtures" / "docstyles"
PACKAGES = ["rest_pkg", "google_pkg", "numpy_pkg", "mixed_pkg"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("docstyles")
    shutil.copytree(FIXTURES / "src", root / "src")
    return build_site(root, {"packages": PACKAGES, "paths": ["src"]})


def article(site: BuiltSite, page: str) -> str:
    """The page's article without its Source section (which shows the docstring as code)."""
    text = site.html(f"howto/{page}/index.html")
    body = text[text.index("<article") : text.index("</article>")]
    return body.split('<h2 id="source">')[0]


def section(body: str, title: str) -> str:
    """The HTML from a bold table title (`Parameters`) to the end of its table."""
    start = body.index(f"<strong>{title}</strong>")
    return body[start : body.index("</table>", start)]


def rows(table: str) -> dict[str, list[str]]:
    """First cell's text -> every cell's inner HTML, for each body row."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        found[text_of(cells[0])] = cells
    return found


def headers(table: str) -> list[str]:
    return [text_of(cell) for cell in re.findall(r"<th>(.*?)</th>", table, re.S)]


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def prose(body: str) -> str:
    """The page's text outside code blocks (what a reader reads as prose)."""
    without_code = re.sub(r"<pre.*?</pre>", "", body, flags=re.S)
    return text_of(without_code)


def links(fragment: str) -> dict[str, str]:
    """Shown text of each link -> its href."""
    return {
        text_of(label): href
        for href, label in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', fragment, re.S)
    }


def resolves(site: BuiltSite, page: str, href: str) -> bool:
    """The link from `page` leads to a built page (and to an element with its anchor)."""
    target, _, anchor = href.partition("#")
    folder = (site.site_dir / "howto" / page).resolve()
    built = (folder / target).resolve() / "index.html" if target else folder / "index.html"
    if not built.exists():
        return False
    return not anchor or f'id="{anchor}"' in built.read_text(encoding="utf-8")


class _Balance(HTMLParser):
    """Counts unclosed elements: a page whose HTML a docstring broke does not balance."""

    VOID = frozenset(
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"]
    )

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def balanced(body: str) -> bool:
    parser = _Balance()
    parser.feed(body[body.index(">") + 1 :])
    return not parser.errors and not parser.stack


# --- 1. reST, properly ---------------------------------------------------------------------


def test_rest_roles_link_to_the_page_that_documents_their_target(site: BuiltSite) -> None:
    page = "rest_pkg/session/Session"
    body = article(site, page)
    description = body.split('<h2 id="description"')[1].split("<strong>Attributes</strong>")[0]
    found = links(description)
    # `title <target>`, `~` and `py:` forms: shown as the author asked, linked to the page
    assert "Response" in found
    assert "rest_pkg.models.Response" in found
    assert resolves(site, page, found["Response"])
    assert found["Response"] == found["rest_pkg.models.Response"]
    assert found["send()"].endswith("#send")  # a method: its section on the class page
    assert resolves(site, page, found["send()"])
    assert resolves(site, page, found["rest_pkg.session"])  # a module: its index page
    assert resolves(site, page, found["fetch"])  # :obj:
    assert resolves(site, page, found["fetch()"])  # :func: inside an admonition
    assert resolves(site, page, found["timeout"])  # :attr: -> the class page
    # no page documents these: code spans, not links
    assert "<code>ValueError</code>" in description
    assert "ValueError" not in found
    assert "<code>DEFAULT_TIMEOUT</code>" in description
    # :ref: is plain text
    assert "read the session guide and cookies." in prose(description)
    assert "<code>cookies</code>" not in description


def test_no_raw_role_or_literal_marker_in_prose(site: BuiltSite) -> None:
    for page in ["rest_pkg/session/Session", "rest_pkg/session/fetch", "rest_pkg/models/Response"]:
        text = prose(article(site, page))
        roles = re.findall(r":(?:py:)?(?:class|func|meth|exc|attr|mod|data|obj|const|ref):`", text)
        # the one malformed role of the fixture stays as text, as written
        assert roles == ([":class:`"] if page.endswith("Session") else []), page
        assert "::" not in text, page


def test_literal_blocks_doctests_and_directives_render_as_code_and_admonitions(
    site: BuiltSite,
) -> None:
    # the Description: up to the next section (on a class page, the Usage Example)
    page = article(site, "rest_pkg/session/Session")
    body = re.split(r'<h2 id="(?:usage-example|execution-steps)"', page)[0]
    blocks = {
        language: text_of(code)
        for language, code in re.findall(
            r'<div class="language-(\w+) highlight"><pre>(.*?)</pre>', body, re.S
        )
    }
    # the author's doctest is the Usage Example (#14), shown there and not twice
    assert "pycon" not in blocks
    example = page.split('<h2 id="usage-example"')[1]
    doctest = re.search(r'<div class="language-pycon highlight"><pre>(.*?)</pre>', example, re.S)
    assert doctest is not None
    assert text_of(doctest.group(1)).startswith(">>> import rest_pkg >>> s = rest_pkg.Session()")
    assert blocks["python"] == "session.close()"
    # an unknown directive is shown as written, as code
    assert blocks["rst"] == ".. frobnicate:: unknown-argument a body the plugin does not know"
    admonitions = re.findall(
        r'<div class="admonition (\w+)">\s*<p class="admonition-title">(.*?)</p>\s*<p>(.*?)</p>',
        body,
        re.S,
    )
    shown = {title: (kind, text_of(text)) for kind, title, text in admonitions}
    assert shown["Note"] == ("note", "Sessions are not thread-safe.")
    assert shown["Warning"] == ("warning", "Close the session when done.")
    assert shown["See also"] == ("info", "fetch() for one request.")
    assert shown["Added in version 1.2"] == ("info", "Cookie persistence.")
    assert shown["Deprecated since version 2.0"] == ("warning", "Use fetch().")
    text = prose(body)
    assert "Basic Usage:" in text
    assert "Unclosed literal block:" in text  # nothing followed: the text stays


def test_bad_rest_is_text_and_the_html_stays_whole(site: BuiltSite) -> None:
    for page in ["rest_pkg/session/Session", "mixed_pkg/mix", "mixed_pkg/other"]:
        text = site.html(f"howto/{page}/index.html")
        body = text[text.index("<article") : text.index("</article>")]
        assert balanced(body), page
        assert "<b>" not in body and "<script" not in body, page
    session = prose(article(site, "rest_pkg/session/Session"))
    assert "A malformed :class:`Broken role and <b>bold</b> stay text." in session
    mixed = prose(article(site, "mixed_pkg/mix"))
    assert "Careful with <script>alert(1)</script>" in mixed


def test_a_parameter_cell_holds_its_literal_block_as_a_block(site: BuiltSite) -> None:
    table = section(article(site, "rest_pkg/session/fetch"), "Parameters")
    cell = rows(table)["timeout"][3]
    assert "seconds to wait, for example:" in text_of(cell)
    code = re.search(r'<div class="language-python highlight"><pre>(.*?)</pre>', cell, re.S)
    assert code is not None
    assert text_of(code.group(1)) == "rest_pkg.fetch(url, timeout=2.5)"


def test_return_and_method_cells_convert_roles(site: BuiltSite) -> None:
    page = "rest_pkg/session/fetch"
    returns = rows(section(article(site, page), "Returns"))
    assert text_of(returns["Response"][1]) == "the server's Response"
    assert resolves(site, page, links(returns["Response"][1])["Response"])
    methods = rows(section(article(site, "rest_pkg/session/Session"), "Methods"))
    summary = methods["close"][-1]
    assert text_of(summary) == "Close the session; see send()."
    assert links(summary)["send()"].endswith("#send")


def test_module_index_summary_links_its_roles(site: BuiltSite) -> None:
    body = site.html("howto/rest_pkg/index.html")
    found = links(body.split("<h1")[1].split("<table")[0])
    assert resolves(site, "rest_pkg", found["Session"])
    assert resolves(site, "rest_pkg", found["fetch()"])


def test_an_index_row_shows_the_whole_summary_paragraph(site: BuiltSite) -> None:
    """A summary written over two lines is one sentence: its index row holds all of it, not
    its first line (click's index rows ended mid-sentence)."""
    body = site.html("howto/google_pkg/index.html")
    listed = rows(body[body.index("<table") :])
    assert text_of(listed["Bar"][-1]) == (
        "Draws one bar, filled from the left up to the share of the work done, as a line of text."
    )


def test_google_titled_sections_keep_their_blocks(site: BuiltSite) -> None:
    """A Google `Note:` opening with a list and an `Example:` holding a reST code-block (as
    rich's `Align` has): the list stays a list, and the code is the Usage Example, not prose
    whose `#` comments become headings."""
    page = article(site, "google_pkg/Bar")
    body = re.split(r'<h2 id="(?:usage-example|execution-steps)"', page)[0]
    assert "<h1" not in body.split("</h1>", 1)[1]  # the page title only
    assert "```" not in prose(body) and "code-block" not in prose(body)
    note = body[body.index("<strong>Note:</strong>") :]
    items = re.findall(r"<li>(.*?)</li>", note, re.S)
    assert [text_of(item) for item in items[:2]] == [
        "Bars are drawn left to right.",
        "A full bar shows total.",
    ]
    example = page.split('<h2 id="usage-example"')[1]
    assert "from the docstring" in text_of(example)
    code = re.search(r'<div class="language-python highlight"><pre>(.*?)</pre>', example, re.S)
    assert code is not None
    assert text_of(code.group(1)).startswith("from google_pkg import Bar # a bar a third full")


# --- 2. every section parsed ---------------------------------------------------------------


def test_google_returns_without_a_blank_line_is_a_table(site: BuiltSite) -> None:
    body = article(site, "google_pkg/track")
    returns = rows(section(body, "Returns"))
    assert {name: text_of(cells[1]) for name, cells in returns.items()} == {
        "list[int]": "The values, in order."
    }
    assert "Returns:" not in prose(body)


def test_google_type_prefix_stars_and_private_parameters(site: BuiltSite) -> None:
    body = article(site, "google_pkg/track")
    table = section(body, "Parameters")
    cells = {name: [text_of(cell) for cell in row] for name, row in rows(table).items()}
    assert headers(table) == ["Name", "Type", "Default", "Description"]
    assert cells == {
        "sequence": ["sequence", "list[int]", "required", "Values to iterate over."],
        "total": ["total", "float | None", "None", "Total number of steps."],
        "*args": ["*args", "int", "optional", "Extra positions to show."],
        "**kwargs": ["**kwargs", "str", "optional", "Options for each bar."],
    }
    assert "Private parameter, not listed: _internal." in prose(body)


def test_numpy_sections_are_tables_even_when_auto_misses_them(site: BuiltSite) -> None:
    scale = article(site, "numpy_pkg/scale")
    params = {
        name: [text_of(c) for c in row] for name, row in rows(section(scale, "Parameters")).items()
    }
    assert params["values"] == ["values", "list of float", "required", "The numbers to scale."]
    assert params["factor"] == ["factor", "float", "2.0", "The multiplier."]
    assert text_of(rows(section(scale, "Raises"))["ValueError"][1]) == "If the factor is negative."
    shift = article(site, "numpy_pkg/shift")
    returns = rows(section(shift, "Returns"))
    assert text_of(returns["list of float"][1]) == "The shifted numbers."
    text = prose(shift)
    assert "-------" not in text
    assert "See scale() for the multiplicative version." in text


def test_numpy_references_keep_their_citations(site: BuiltSite) -> None:
    """A NumPy References section holds `.. [1] …` citations, which reST writes like comments:
    they are shown, label first, and `[1]_` in the text reads `[1]` (networkx: 399 pages
    showed an empty References title, 251 a raw `[1]_`)."""
    text = prose(article(site, "numpy_pkg/mean"))
    assert "[1]_" not in text
    assert "The sum is divided by the count [1]." in text
    assert "[1] Knuth, D. E., The Art of Computer Programming, volume 2, section 4.2.2." in text


def test_numpy_see_also_is_a_list_of_links(site: BuiltSite) -> None:
    """NumPy's See Also, one `name : description` per line, is a list whose names link to
    their pages (networkx's ran together on one line, the bare names as text)."""
    body = article(site, "numpy_pkg/mean")
    listed = body[body.index("<strong>See Also:</strong>") :].split("</ul>")[0]
    items = [text_of(item) for item in re.findall(r"<li>(.*?)</li>", listed, re.S)]
    assert items == [
        "scale: Scale values by a factor, for a weighted average.",
        "shift",
        "numpy_pkg.scale(): The same, named by a role.",
    ]
    found = links(listed)
    assert resolves(site, "numpy_pkg/mean", found["scale"])
    assert resolves(site, "numpy_pkg/mean", found["shift"])
    assert resolves(site, "numpy_pkg/mean", found["numpy_pkg.scale()"])


def test_prose_between_numpy_doctests_is_comments_not_output(site: BuiltSite) -> None:
    """NumPy Examples whose paragraphs each lead into an indented doctest: the Usage Example
    is one doctest, each paragraph a comment above its part (networkx showed the prose in
    the code block, where a doctest reads it as output)."""
    example = article(site, "numpy_pkg/total").split('<h2 id="usage-example"')[1]
    code = re.search(r'<div class="language-pycon highlight"><pre>(.*?)</pre>', example, re.S)
    assert code is not None
    lines = [
        text_of(line) for line in html.unescape(re.sub(r"<[^>]+>", "", code.group(1))).splitlines()
    ]
    assert [line for line in lines if line] == [
        ">>> from numpy_pkg import total",
        ">>> # The sum of a list:",
        ">>> total([1, 2])",
        "3",
        ">>> # An empty list sums to zero:",
        ">>> total([])",
        "0",
    ]


def test_sphinx_fields_keep_to_themselves(site: BuiltSite) -> None:
    """The `Usage::` paragraph after `:rtype:` is the docstring's text, not the type's."""
    body = article(site, "rest_pkg/session/fetch")
    returns = rows(section(body, "Returns"))
    assert list(returns) == ["Response"]
    assert "Usage:" in prose(body.split("<strong>Parameters</strong>")[0])


def test_keywords_documented_through_kwargs_and_starred_names(site: BuiltSite) -> None:
    table = section(article(site, "rest_pkg/session/fetch"), "Parameters")
    cells = {name: [text_of(cell) for cell in row] for name, row in rows(table).items()}
    assert cells["*headers"][3] == "header lines, as Name: value."
    assert cells["**kwargs"][3] == "passed on to Session.send()."
    assert cells["verify"][2:] == [
        "optional, through **kwargs",
        "whether to check the server's TLS certificate.",
    ]
    assert "_retry" not in cells


def test_mixed_styles_stay_text_and_code(site: BuiltSite) -> None:
    body = article(site, "mixed_pkg/mix")
    # the underlined title inside a cell is bold text, not a heading of the page
    assert re.findall(r"<h2[^>]*>(.*?)<a class=\"headerlink\"", body) == [
        "Description",
        "Execution Steps",
        "Usage Example",
    ]
    assert "<strong>Returns</strong>" in body
    other = article(site, "mixed_pkg/other")
    cell = rows(section(other, "Parameters"))["value"][3]
    assert "language-pycon" in cell  # a doctest in a Google parameter: a block in its cell


def test_griffe_warnings_in_a_reparsed_section_keep_their_line(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    src = package(
        {
            "pkg/__init__.py": '''
            def f(a: int) -> int:
                """Do it.

                Text.
                Args:
                    a: The number.
                    missing: Not a parameter.
                """
                return a
            '''
        }
    )
    with caplog.at_level(logging.WARNING, logger="griffe"):
        generate(src, "pkg")
    warned = [r.getMessage() for r in caplog.records if "missing" in r.getMessage()]
    assert warned
    # `missing:` is on line 7 of the file (the docstring starts on line 2)
    assert all(re.match(r".*pkg/__init__\.py:7: ", message) for message in warned), warned


# --- 3. attributes --------------------------------------------------------------------------


def test_attributes_documented_where_authors_document_them(site: BuiltSite) -> None:
    table = section(article(site, "rest_pkg/models/Response"), "Attributes")
    cells = {name: [text_of(cell) for cell in row] for name, row in rows(table).items()}
    assert cells["status"] == ["status", "int", "200", "The HTTP status code, as a number."]
    assert cells["reason"][2:] == ["'OK'", "The reason phrase sent with the status."]
    assert cells["names"][2:] == ["computed: list(_ALIASES.keys())", "Names of the known statuses."]
    assert cells["encoding"][-1] == "Text encoding of the body; see text()."
    encoding = rows(table)["encoding"][-1]
    assert links(encoding)["text()"] == "./#text"  # a role in an attribute's cell: this page
    progress = section(article(site, "google_pkg/Progress"), "Attributes")
    cells = {name: [text_of(cell) for cell in row] for name, row in rows(progress).items()}
    assert cells["columns"] == ["columns", "list[str]", "[]", "Columns shown per task."]
    assert cells["styles"] == [
        "styles",
        "",
        "computed: list(_ALIASES.keys())",
        "Names of the bar styles.",
    ]
    assert cells["speed"] == ["speed", "float", "", "Estimated speed, documented only here."]


# --- 4. readable tables and signatures -----------------------------------------------------


def test_long_signature_is_one_parameter_per_line(site: BuiltSite) -> None:
    body = article(site, "rest_pkg/session/fetch")
    block = re.search(
        r'<div class="language-python howto-signature highlight"><pre>(.*?)</pre>', body, re.S
    )
    assert block is not None
    lines = html.unescape(re.sub(r"<[^>]+>", "", block.group(1))).strip().split("\n")
    assert lines == [
        "def fetch(",
        "    url: str,",
        "    *headers: str,",
        "    timeout: float = DEFAULT_TIMEOUT,",
        "    _retry: int = 0,",
        "    **kwargs: object,",
        ") -> Response",
    ]
    short = re.search(
        r'howto-signature highlight"><pre>(.*?)</pre>', article(site, "numpy_pkg/scale"), re.S
    )
    assert short is not None
    assert text_of(short.group(1)) == "def scale(values, factor: float = 2.0)"  # fits: one line


def test_a_column_with_one_value_on_every_row_is_dropped(site: BuiltSite) -> None:
    methods = section(article(site, "rest_pkg/session/Session"), "Methods")
    assert headers(methods) == ["Method", "Summary"]  # "Kind: method" on every row
    mixed = article(site, "mixed_pkg/mix")
    assert "<strong>Parameters</strong> (all <code>int</code>)" in mixed
    assert headers(section(mixed, "Parameters")) == ["Name", "Default", "Description"]


def test_rest_to_markdown_leaves_markdown_alone() -> None:
    text = "A *Markdown* docstring with `code` and a [link](https://example.org).\n\n- one\n- two"
    assert rest_to_markdown(text) == text


def test_parameters_listed_in_markdown_fill_the_table(site: BuiltSite) -> None:
    body = article(site, "mixed_pkg/send")
    cells = {n: [text_of(c) for c in row] for n, row in rows(section(body, "Parameters")).items()}
    assert {name: row[-1] for name, row in cells.items()} == {
        "method": "The HTTP method, such as GET.",
        "url": "Where to send it.",
        "timeout": "(optional) Seconds to wait.",
    }
    text = prose(body.split("<strong>Parameters</strong>")[0])
    assert "Send a request, documented with a Markdown list." in text
    assert "The request is sent at once." in text
    assert "Where to send it" not in text  # not twice


def test_prose_after_the_last_sphinx_field_is_the_description(site: BuiltSite) -> None:
    body = article(site, "rest_pkg/session/close_all")
    description = body.split("<strong>Parameters</strong>")[0]
    assert 'class="admonition info"' in description
    assert "Added in version 1.3" in description
    returns = rows(section(body, "Returns"))
    assert [text_of(cells[-1]) for cells in returns.values()] == ["how many were closed."]
    assert "admonition" not in section(body, "Returns")
    raised = rows(section(body, "Raises"))["ValueError"][-1]
    assert text_of(raised) == "when a session's Session.timeout is negative."
    assert resolves(site, "rest_pkg/session/close_all", links(raised)["Session.timeout"])


def test_rest_links_stay_safe_once_escaped() -> None:
    text = (
        "See `click <javascript:alert(1)>`_, :class:`x <javascript:alert(2)>` and"
        " :ref:`<b>bold</b> <target>`.\n\n.. note:: <script>alert(3)</script>"
    )
    markdown = do_docstring(rest_to_markdown(text, lambda target, role: None))
    assert "](javascript:" not in markdown
    assert "<b>" not in markdown and "<script>" not in markdown
    assert "&lt;script>alert(3)&lt;/script>" in markdown
