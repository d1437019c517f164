"""Plain data passed between stages: what analysis found, what rendering shows.

Nothing here knows about Griffe, MkDocs or Markdown. Text that comes from user code is kept
apart from prose (`Code` vs `Text`) so the renderer can fence or escape it; a `Sentence` is a
tuple of both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Text:
    """Prose written by the analyzer; escaped for Markdown when rendered."""

    value: str


@dataclass(frozen=True)
class Code:
    """A name, literal or expression copied from user code; rendered as a code span."""

    value: str


@dataclass(frozen=True)
class Link:
    """Code that calls or names a documented object: a code span linking to its page."""

    value: str
    href: str
    """Relative URL from the page that shows it (`../session/Session.md#request`)."""


Segment = Text | Code | Link
Sentence = tuple[Segment, ...]


@dataclass(frozen=True)
class Step:
    """One action the code performs, with the lines it spans and its nested actions."""

    sentence: Sentence
    lineno: int
    endlineno: int
    children: tuple[Step, ...] = ()
    title: str | None = None
    """An author's comment that names this step or phase (`# Open a subscription`)."""
    builds: tuple[str, ...] = ()
    """Names a plain value is stored in (literals, f-strings, reads): such runs are merged."""
    gap_before: bool = False
    """A blank line separates this statement from the one before it: a paragraph break."""
    title_unmatched: bool = False
    """The title comment names an action (a verb, a URL) the code below does not show: the
    step's own sentence comes first and the comment is quoted as the author's."""
    summary: Sentence = ()
    """For a step at the deepest visible level whose children are folded: their actions, in
    order, in one sentence (the children themselves stay one click away)."""


@dataclass(frozen=True)
class Phase:
    """A titled group of steps: a method of a class, or the class attributes."""

    title: Sentence
    anchor: str | None
    steps: tuple[Step, ...]
    signature: str = ""
    """For a method: its full signature, shown in a code block under the `name()` heading."""
    summary: Sentence = ()
    """Set when the page is long: the steps' actions in one sentence, the steps folded."""


@dataclass(frozen=True)
class Param:
    """One parameter, from the signature, with the docstring's description if any."""

    name: str
    kind: str
    annotation: str | None
    default: str | None
    description: str = ""
    through: str | None = None
    """For a keyword the docstring documents but the signature takes only through
    `**kwargs`: that parameter's name (`kwargs`)."""
    read_as: str | None = None
    """`"mapping"` or `"sequence"` when the body reads items from the argument (iterates it,
    indexes it, reduces it with `max`, passes it on to code that does): an empty container
    is then no example value, only a way to skip the body's work."""


@dataclass(frozen=True)
class DocItem:
    """A row of a returns / yields / raises table."""

    name: str
    annotation: str | None
    description: str


@dataclass(frozen=True)
class Description:
    """What the object does: from its docstring, or built from its structure."""

    summary: str
    """Markdown from the docstring, or analyzer prose when `from_docstring` is false."""
    body: str
    from_docstring: bool
    params: tuple[Param, ...] = ()
    returns: tuple[DocItem, ...] = ()
    yields: tuple[DocItem, ...] = ()
    raises: tuple[DocItem, ...] = ()
    structure: tuple[Sentence, ...] = ()
    """Facts read from the code: bases, decorators, async / generator, what it returns."""
    private_params: tuple[str, ...] = ()
    """Parameters named with a leading underscore: left out of the table, named in a note."""
    availability: Sentence = ()
    """When the name exists, for a definition under a module-level `if` or `try:`
    ("Defined only when `browser_cookie3` can be imported.")."""


ExampleOrigin = Literal["docstring", "usage", "signature", "none"]


@dataclass(frozen=True)
class Example:
    """A usage snippet, where it came from, and whether it passed the checks."""

    code: str
    origin: ExampleOrigin
    """`none` when no source allowed by `examples_from` gave one (`code` is empty)."""
    verified: bool
    problems: tuple[str, ...] = ()
    language: str = "python"
    placeholders: tuple[str, ...] = ()
    """Arguments shown as `...`, for the reader to fill in."""
    found_in: str = ""
    """For a mined example: the file and line it was taken from (`tests/test_feed.py:12`)."""
    checked: bool = True
    """False when `verify_examples` is `off`."""
    ran: bool = False
    """True when it was also run (`verify_examples: run`)."""
    output: str = ""
    """What it printed when run (captured stdout, truncated); empty when not run."""
    needs_network: bool = False
    """When run, it failed because the network was out of reach (reported, not hidden)."""
    docstring_problems: tuple[str, ...] = ()
    """Why the docstring's own example is not shown: it does not parse (the page shows the
    next source's example; the build warns so the docstring gets fixed)."""


@dataclass(frozen=True)
class Member:
    """A public method or property shown inside its class's page."""

    name: str
    anchor: str
    kind: str
    signature: str
    summary: str
    lineno: int | None
    endlineno: int | None
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Attribute:
    """A class attribute or dataclass field: name, type, value."""

    name: str
    annotation: str | None
    value: str | None
    description: str = ""
    computed: bool = False
    """The value is an expression evaluated when the class is defined, not a literal."""


@dataclass(frozen=True)
class Source:
    """Where the object is defined and its code."""

    relative_path: str
    lineno: int
    endlineno: int
    code: str
    url: str | None = None
    display_path: str = ""
    """The file as warnings name it (relative to the working folder when inside it)."""


@dataclass(frozen=True)
class HowTo:
    """Everything one how-to page shows about one public class or function."""

    name: str
    public_path: str
    canonical_path: str
    kind: str
    """Human kind: "class", "function", "async function", "generator", "async generator"…"""
    signature: str
    description: Description
    steps: tuple[Step, ...]
    phases: tuple[Phase, ...]
    example: Example
    source: Source | None
    members: tuple[Member, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    bases: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    """What can go wrong: the exceptions a caller must expect (`analyze/failures.py`)."""
    prose: Prose | None = None
    """Description and steps written by a model and checked against the code (`writer: llm`);
    the page shows them first and keeps the static steps folded beneath."""
    type_links: tuple[tuple[str, str], ...] = ()
    """Type names as the tables write them (`Response`, `models.Request`, each a `TYPE_NAME`
    match) -> the link to the page documenting them, for the names that resolve to a
    documented object."""


#: A (dotted) name in a type's text: what the analysis links and the renderer finds again.
TYPE_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


@dataclass(frozen=True)
class ProseStep:
    """One step a model wrote: its text (prose with `code spans`) and the lines it covers."""

    text: str
    lineno: int
    endlineno: int


@dataclass(frozen=True)
class Prose:
    """What a model wrote for one page, after every check passed (`writer/check.py`)."""

    model: str
    description: str
    """Prose with `code spans`; escaped when rendered."""
    steps: tuple[ProseStep, ...]
    example: str = ""
    """An example the model suggested, checked by the same verifier as generated ones."""
    example_ran: bool = False
    """The example also ran without an error (`verify_examples: run`)."""


@dataclass(frozen=True)
class Failure:
    """An exception a caller must expect, with its condition and line."""

    exception: str
    line: int
    how: Literal["raised", "re-raised", "through"]
    condition: str = ""
    """The test guarding the `raise` (`resp.status != 200`); empty when it always raises."""
    call: str = ""
    """For `through`: the package function called whose own code raises it."""


@dataclass(frozen=True)
class IndexEntry:
    """A line of a package or module index page."""

    name: str
    kind: str
    summary: str
    url: str
    """Relative URL from the index page to the object's page (a Markdown file path)."""
    documented_in: str | None = None
    """For a re-export: the module whose section documents the object."""
    alias_of: str | None = None
    """For a re-export under another name (`Alias = Thing`): the name it is documented under."""
    defined_in: str | None = None
    """For an object of a sibling package documented here: the module that defines it."""


@dataclass(frozen=True)
class ModuleIndex:
    """An index page for a package or module."""

    path: str
    summary: str
    objects: tuple[IndexEntry, ...] = ()
    submodules: tuple[IndexEntry, ...] = ()
