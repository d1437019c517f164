"""Text from user code reaches the page literally: it can neither break nor drive the Markdown."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from conftest import build_site

from mkdocs_howto.render import do_code, do_docstring, do_fence, do_text, do_title

Package = Callable[[dict[str, str]], Path]


def page(package: Package, code: str, name: str) -> str:
    """Build a strict site for `pkg/__init__.py` = `code`; the HTML of `name`'s page."""
    src = package({"pkg/__init__.py": code})
    return build_site(src.parent, {"packages": ["pkg"]}).html(f"howto/pkg/{name}/index.html")


def article(page_html: str) -> str:
    """The page content, without the navigation and search index."""
    return page_html[page_html.index("<article") : page_html.index("</article>")]


def test_code_span_holding_backticks_renders_whole(package: Package) -> None:
    html_ = page(
        package, 'def ticks() -> str:\n    text = "a `b` ``c``"\n    return text\n', "ticks"
    )
    assert "<code>'a `b` ``c``'</code>" in article(html_)


def test_regex_literal_in_step_text_does_not_break_the_page(package: Package) -> None:
    code = r"""
import re


def words(text: str) -> list[str]:
    return re.findall(r"(?<![\\\w])\w+", text)
"""
    body = article(page(package, code, "words"))
    assert html.escape("'(?<![\\\\\\\\\\\\w])\\\\w+'", quote=False) in body
    assert 'id="usage-example"' in body


def test_regex_literal_in_docstring_code_span_does_not_break_the_page(package: Package) -> None:
    code = 'def words():\n    """Split on `(?<![a])b`."""\n'
    assert "<code>(?&lt;![a])b</code>" in article(page(package, code, "words"))


def test_lookbehind_regex_literal_in_step_text_is_shown_escaped(package: Package) -> None:
    code = r"""
import re


def words(text: str) -> list[str]:
    return re.findall(r"(?<!-)\w+", text)
"""
    body = article(page(package, code, "words"))
    assert "<code>re.findall('(?&lt;!-)\\\\w+', text)</code>" in body


def test_unclosed_fence_in_docstring_does_not_swallow_the_page(package: Package) -> None:
    code = '''
def run() -> int:
    """Run it.

    ```python
    run()
    """
    return 1
'''
    body = article(page(package, code, "run"))
    assert '<h2 id="execution-steps">Execution Steps<a class="headerlink"' in body
    assert '<h2 id="usage-example">Usage Example<a class="headerlink"' in body
    assert '<h2 id="source">Source<a class="headerlink"' in body


def test_template_syntax_in_docstring_is_printed_literally(package: Package) -> None:
    code = '''
def templated() -> str:
    """Show {{ config }} and {% raw %} as they are.

    Also {# not a comment #} and {{ page.title }}.
    """
    return "{{ site_name }}"
'''
    body = article(page(package, code, "templated"))
    assert "Show {{ config }} and {% raw %} as they are." in body
    assert "Also {# not a comment #} and {{ page.title }}." in body
    assert "<code>'{{ site_name }}'</code>" in body


def test_markdown_in_a_comment_title_is_shown_as_typed(package: Package) -> None:
    code = "def go() -> None:\n    # Print *now* with [x] and <b>\n    print(1)\n"
    body = article(page(package, code, "go"))
    assert "<strong>Print *now* with [x] and &lt;b&gt;</strong>" in body


def test_pipe_in_a_parameter_table_stays_in_its_cell(package: Package) -> None:
    code = 'def pick(value: int | None = None, sep: str = "a|b") -> None:\n    pass\n'
    body = article(page(package, code, "pick"))
    assert "<td><code>int |<wbr> None</code></td>" in body  # may wrap after the pipe
    assert "<td><code>'a|b'</code></td>" in body


def test_do_code_fences_with_more_backticks_than_inside() -> None:
    assert do_code("a") == "`a`"
    assert do_code("a `b` c") == "``a `b` c``"
    assert do_code("``x``") == "``` ``x`` ```"
    assert do_code("  spread \n over ") == "`spread over`"


def test_do_fence_cannot_be_closed_by_its_content() -> None:
    code = 'x = """\n```\n"""\n'
    assert do_fence(code) == '````python\nx = """\n```\n"""\n````'


def test_do_text_escapes_markdown_and_html() -> None:
    assert do_text("a *b* <i> & [c](d) `e`") == ("a \\*b\\* &lt;i&gt; &amp; \\[c\\](d) \\`e\\`")


def test_do_docstring_closes_an_unclosed_fence_only() -> None:
    assert do_docstring("x\n```py\ny") == "x\n```py\ny\n```"
    assert do_docstring("x\n~~~~\ny\n~~~~") == "x\n~~~~\ny\n~~~~"


def test_a_long_comment_title_bolds_its_first_sentence_only() -> None:
    comment = (
        "Only call the value when the resolver passed it through. If it substituted"
        " ``True`` -> flag_value, the result is the programmer's `flag_value`."
    )
    assert do_title(comment) == (
        "**Only call the value when the resolver passed it through.** If it substituted"
        " `True` -&gt; flag\\_value, the result is the programmer's `flag_value`."
    )


def test_a_title_keeps_its_line_breaks_after_the_bold_part() -> None:
    assert do_title("Return the digest\n- lower case") == "**Return the digest**<br>- lower case"
    assert do_title("e.g. a title. Then more") == "**e.g. a title.** Then more"
    assert do_title("Send *now* `x`") == "**Send \\*now\\* `x`**"
