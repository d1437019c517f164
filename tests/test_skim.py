"""Pages a reader can skim (issue 12): summary-first steps, folded detail, steps that link.

Facts are checked on the golden provider case (shaped like the seed's example); links and the
class page's shape on real MkDocs builds; what a reader sees in Debian's chromium in
`test_browser_big_class_page` (skipped only where no browser is installed, never in CI).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from conftest import BuiltSite, Package, analyze, build_site, write_package

from mkdocs_howto.analyze.links import callee
from mkdocs_howto.analyze.phases import every_step, group_phases, visible_steps
from mkdocs_howto.analyze.sentences import plain, sentence
from mkdocs_howto.facts import Step

GOLDEN = Path(__file__).parent / "golden" / "steps"


@pytest.fixture
def provider(package: Package) -> tuple[str, tuple[Step, ...]]:
    case = yaml.safe_load((GOLDEN / "provider_stream_phases.yaml").read_text(encoding="utf-8"))
    src = package({"app/__init__.py": case["code"]})
    howto = analyze(src, "app")["app.Provider"]
    method = next(p for p in howto.phases if plain(p.title) == "`create_async_generator()`")
    return case["code"], method.steps


def test_provider_steps_stay_within_three_visible_levels(
    provider: tuple[str, tuple[Step, ...]],
) -> None:
    _, steps = provider
    shown = list(visible_steps(steps))
    assert max(depth for _, depth in shown) <= 3
    assert len(steps) <= 12
    assert any(step.summary for step, _ in shown), "the deep loop is summarized and folded"


def test_provider_visible_text_names_every_action_in_order(
    provider: tuple[str, tuple[Step, ...]],
) -> None:
    """The actions of the seed's reference steps, as this code performs them, are all named
    in the unfolded text, in the order the code performs them."""
    _, steps = provider
    text = " ".join(
        f"{step.title or ''} {plain(step.sentence)} {plain(step.summary)}"
        for step, _ in visible_steps(steps)
    )
    actions = [
        "Build the request",
        "Generates a random UUID",
        "Builds the `headers` dictionary",
        "Joins",
        "`payload_join`",
        "`aiohttp.ClientSession`",
        "Send join request",
        "Sends a POST request",
        "Checks the HTTP status",
        "Parses the JSON body",
        "Read the event stream",
        "`url_data`",
        "Sends a GET request",
        "iterates asynchronously over `response.content`",
        "decodes `line`",
        "parses `decoded[6:]` as JSON",
        "yields `sub[2]`",
    ]
    positions = [text.find(action) for action in actions]
    assert -1 not in positions, [a for a, p in zip(actions, positions, strict=True) if p < 0]
    assert positions == sorted(positions), "actions named out of order"


def test_folded_detail_holds_every_line(provider: tuple[str, tuple[Step, ...]]) -> None:
    code, steps = provider
    tree = ast.parse(code)
    method = next(n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef))
    statements = {
        node.lineno
        for node in ast.walk(method)
        if isinstance(node, ast.stmt) and node is not method and node is not method.body[0]
    }
    covered = {
        line for step in every_step(steps) for line in range(step.lineno, step.endlineno + 1)
    }
    assert statements - covered == set()


BIG = {
    "big/__init__.py": (
        '"""A package with one big class."""\n\n'
        "from big.client import Base, Client, request\n\n"
        '__all__ = ["Base", "Client", "request"]\n'
    ),
    "big/client.py": '''"""The client."""


def request(method: str, url: str) -> str:
    """Send one request."""
    return method + " " + url


class Base:
    def close(self) -> None:
        """Close the client."""
        print("closed")


class Client(Base):
    """A client with many methods."""

    def __init__(self) -> None:
        self.count = 0

    def shadowed(self, request: str) -> str:
        """A parameter named like a documented function is no link."""
        return request.upper()

    def _private(self) -> None:
        print("private")
'''
    + "".join(
        f'''
    def method_{i:02d}(self, items: list[list[list[int]]]) -> int:
        """Method number {i}."""
        # Prepare the totals
        total = 0
        seen = 0
        self._private()

        # Walk the items
        for group in items:
            for row in group:
                for cell in row:
                    if cell > {i}:
                        while cell > 0:
                            cell -= 1
                            total += cell
        # Report the total
        request("post", "https://example.org/{i}")
        self.close()
        self.method_{(i + 1) % 24:02d}([])
        return total + seen
'''
        for i in range(24)
    ),
}


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("big")
    write_package(root / "src", BIG)
    # MkDocs checks every link to an anchor of a page (`__init__`'s section among them)
    return build_site(root, {"packages": ["big"]}, extra_config={"validation": {"anchors": "warn"}})


def test_special_methods_get_ids_links_can_reach(big_site: BuiltSite) -> None:
    """`{ #__init__ }` would be read as bold before MkDocs collects the page's ids."""
    html = big_site.html("howto/big/client/Client/index.html")
    assert 'id="init-special"' in html and 'href="#init-special"' in html


def test_method_sections_are_headed_by_their_names(big_site: BuiltSite) -> None:
    html = big_site.html("howto/big/client/Client/index.html")
    headings = re.findall(r'<h3 id="([^"]+)"[^>]*>(.*?)</h3>', html)
    names = [re.sub(r"<[^>]+>|&para;|¶", "", text).strip() for _, text in headings]
    assert "method_00()" in names and "shadowed()" in names
    assert not any("items:" in name for name in names), "no signature in a heading"


def test_class_page_shows_its_example_before_the_methods(big_site: BuiltSite) -> None:
    html = big_site.html("howto/big/client/Client/index.html")
    assert html.index('id="usage-example"') < html.index('id="execution-steps"')


def test_steps_link_to_the_pages_of_what_they_call(big_site: BuiltSite) -> None:
    html = big_site.html("howto/big/client/Client/index.html")
    steps = html[html.index('id="execution-steps"') :]
    assert re.search(r'<a href="../request/"><code>request\(', steps), "a call to a function"
    assert re.search(r'<a href="(\./)?#method_01"><code>self.method_01\(', steps), (
        "a method section"
    )
    assert re.search(r'<a href="../Base/#close"><code>self.close\(\)', steps), "inherited"
    assert "<code>self._private()</code>" in steps, "private: plain code"
    assert "<code>request.upper()</code>" in steps, "a parameter named `request`: plain code"
    assert '<a href="../request/"><code>request.upper' not in steps


def test_folded_detail_is_a_collapsible_block(big_site: BuiltSite) -> None:
    html = big_site.html("howto/big/client/Client/index.html")
    assert re.search(r'<details class="note">\s*<summary>Line by line \(L\d+', html)


def test_a_long_flat_body_is_grouped_into_runs(package: Package) -> None:
    """40 calls without a blank line or a comment: at most 12 visible steps, each run named
    by its actions, every call still reachable with its line."""
    calls = "".join(f"    graph.add_edge('a{i}', 'b{i}')\n" for i in range(40))
    code = f"def build(graph) -> None:\n    '''Add the edges.'''\n{calls}"
    src = package({"app/__init__.py": code})
    steps = analyze(src, "app")["app.build"].steps
    assert len(list(visible_steps(steps))) <= 12
    assert all(step.summary for step in steps)
    assert "adds an edge" in plain(steps[0].summary).lower() or "add_edge" in plain(
        steps[0].summary
    )
    lines = sorted(step.lineno for step in every_step(steps) if not step.children)
    assert lines == list(range(3, 43))


def test_a_step_after_a_fold_stays_in_its_own_list(big_site: BuiltSite) -> None:
    """Without a blank line after a fold, Markdown reads the next outer step as a new list
    inside the folded item: the page would put a `return` inside a loop."""
    html = big_site.html("howto/big/client/Client/index.html")
    assert not re.search(r"</details>\s*<ol>", html)


def test_private_members_are_not_linked(big_site: BuiltSite) -> None:
    html = big_site.html("howto/big/client/Client/index.html")
    assert "<code>self._private()</code>" in html
    assert not re.search(r'<a href="[^"]*"><code>self\._private', html)


def test_a_stale_comment_ends_the_phase_before_it() -> None:
    """A comment's block ends at the next comment, matched or not: the title check and the
    phases read the same block, so a phase never swallows the steps a stale comment covers."""

    def step(line: int, title: str | None = None, unmatched: bool = False) -> Step:
        text = sentence("Calls {f}", f=f"f{line}()")
        return Step(text, line, line, title=title, title_unmatched=unmatched)

    steps = (
        step(1, "Prepare the totals"),
        step(2),
        step(3, "Send join request", unmatched=True),
        step(4),
        step(5, "Report the total"),
        step(6),
    )
    grouped = group_phases(steps)
    assert [(s.title, s.lineno, s.endlineno) for s in grouped] == [
        ("Prepare the totals", 1, 2),
        ("Send join request", 3, 3),
        (None, 4, 4),
        ("Report the total", 5, 6),
    ]


def test_a_folded_phase_title_is_set_off_from_its_summary(package: Package) -> None:
    """A phase at the deepest visible level shows its title, a dash, then what it folds."""
    code = """
def tally(groups: list[list[int]]) -> None:
    for group in groups:
        for value in group:
            # Count the value
            print(abs(value))
            print(value + 1)
            # Report the value.
            print(str(value))
            print(repr(value))
    # Say goodbye.
    print("done")
"""
    src = package({"pkg/__init__.py": code})
    html = build_site(src.parent, {"packages": ["pkg"]}).html("howto/pkg/tally/index.html")
    assert re.search(r"<strong>Count the value</strong> — prints <code>abs\(value\)</code>", html)
    assert "<strong>Report the value.</strong> — prints <code>str(value)</code>" in html
    # a title that ends its sentence is followed by the step's own sentence
    assert "<strong>Say goodbye.</strong> Prints <code>'done'</code>" in html


def test_class_attribute_steps_link_like_method_steps(package: Package) -> None:
    code = '''
def parse(text: str) -> int:
    """Read a number."""
    return int(text)


class Reader:
    """Reads numbers."""

    default = parse("1")

    def read(self) -> int:
        """The default number."""
        return self.default
'''
    src = package({"pkg/__init__.py": code})
    html = build_site(src.parent, {"packages": ["pkg"]}).html("howto/pkg/Reader/index.html")
    assert re.search(r'<a href="\.\./parse/"><code>parse\(\'1\'\)</code></a>', html), html[
        html.index('id="class-attributes"') :
    ][:1500]


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("Request(method=method.upper(), url=url, …)", "Request"),
        ("await self.send(prep, …)", "self.send"),
        ("f(')', g(x), …)", "f"),
        ("a.b(x).c(…)", None),  # the callee is the result of another call
        ("f(x)(…)", None),
        ("items[0]", None),
    ],
)
def test_a_call_shown_cut_still_names_its_callee(span: str, expected: str | None) -> None:
    assert callee(span) == expected


def test_a_builtin_is_never_linked_to_a_sibling_module_of_its_name(package: Package) -> None:
    """`repr(x)` in `pkg.protocol` is Python's builtin, though `pkg.repr` is a documented
    module: a bare name means the module's own names and imports, never a package's."""
    src = package(
        {
            "pkg/__init__.py": "",
            "pkg/repr.py": 'def auto(cls: type) -> type:\n    """Mark."""\n    return cls\n',
            "pkg/protocol.py": (
                'def show(value: object) -> str:\n    """Show a value."""\n    return repr(value)\n'
            ),
        }
    )
    html = build_site(src.parent, {"packages": ["pkg"]}).html("howto/pkg/protocol/show/index.html")
    assert "<code>repr(value)</code>" in html
    assert not re.search(r"<a [^>]*><code>repr\(value\)", html)


def test_trailing_and_special_underscores_get_distinct_sections(package: Package) -> None:
    code = '''
class Rows:
    """Rows of a table."""

    def iter_(self) -> list[int]:
        """The rows as a list."""
        return [1]

    def __iter__(self) -> object:
        """Iterate over the rows."""
        return iter(self.iter_())
'''
    src = package({"pkg/__init__.py": code})
    site = build_site(
        src.parent, {"packages": ["pkg"]}, extra_config={"validation": {"anchors": "warn"}}
    )
    ids = re.findall(r'<h3 id="([^"]+)"', site.html("howto/pkg/Rows/index.html"))
    assert "iter-trailing" in ids and "iter-special" in ids
    assert len(ids) == len(set(ids))


def test_type_names_in_tables_link_to_their_pages(package: Package) -> None:
    """Parameter, Returns, Raises and Attributes tables link each documented type they name;
    a name the module imports from elsewhere stays code, even when the package documents a
    class of the same name."""
    code = '''
from __future__ import annotations

from collections import OrderedDict as Ordered
from dataclasses import dataclass


class Ordered2:
    """Not the imported one."""


class FeedError(Exception):
    """The feed cannot be read."""


@dataclass
class Reply:
    """A reply."""

    body: str
    history: list[Reply] | None = None


def fetch(url: str, previous: Reply | None, table: Ordered[str, int]) -> list[Reply]:
    """Fetch the replies.

    Returns:
        The replies.

    Raises:
        FeedError: When the feed is down.
    """
    if not url:
        raise FeedError(url)
    return [Reply(url)]
'''
    src = package({"pkg/__init__.py": code})
    site = build_site(src.parent, {"packages": ["pkg"]})
    html = site.html("howto/pkg/fetch/index.html")
    reply = '<a href="../Reply/"><code>Reply</code></a>'
    assert f"{reply} <code>|<wbr> None</code>" in html  # the `previous` parameter
    assert f"<code>list[<wbr></code>{reply}<code>]</code>" in html  # Returns
    assert '<a href="../FeedError/"><code>FeedError</code></a>' in html  # Raises
    assert "<code>Ordered[<wbr>str,<wbr> int]</code>" in html  # an import: not linked
    # the page's own name is not linked on its own page
    assert '<a href="./"><code>Reply' not in site.html("howto/pkg/Reply/index.html")
