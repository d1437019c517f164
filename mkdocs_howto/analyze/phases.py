"""Shape a flat list of steps into something a reader can skim: summary first, detail folded.

All passes are pure and keep every step (no line of the body becomes unreachable):

1. runs of plain assignments become one "Builds `a`, `b` and `c`" step (details as children);
2. a long block whose author wrote comment headers is grouped into phases named by those
   comments; a phase ends at the next comment, blank line or the end of its block;
3. a body still longer than `MAX_TOP_STEPS` is grouped by its blank-line paragraphs, and any
   list still longer into runs of consecutive steps, each named by its actions;
4. a step at the deepest visible level (`VISIBLE_DEPTH`) that has children gets a summary: its
   children's actions in order, in one sentence; the renderer folds the children below it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from mkdocs_howto.analyze.comments import comment_block_end
from mkdocs_howto.analyze.sentences import code_list, join, sentence
from mkdocs_howto.facts import Phase, Sentence, Step, Text

#: A body with more top-level steps than this is grouped by its blank-line paragraphs.
MAX_TOP_STEPS = 12
#: Levels of steps shown unfolded; deeper steps are summarized in their parent's sentence.
VISIBLE_DEPTH = 3
#: Visible steps a class page may show; past it, its longest method sections are folded.
PAGE_BUDGET = 150
#: Actions a summary names before it says how many more the folded detail holds.
SUMMARY_ACTIONS = 12


def shape_steps(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Merge assignment runs, group phases and paragraphs, summarize what is folded."""
    shaped = group_phases(merge_builds(steps))
    if len(shaped) > MAX_TOP_STEPS:
        shaped = group_paragraphs(shaped)
    return summarize_folded(group_runs(shaped), depth=1)


def merge_builds(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """`headers = {...}; payload = {...}` → one step "Builds `headers` and `payload`"."""
    result: list[Step] = []
    run: list[Step] = []
    for original in steps:
        step = replace(original, children=merge_builds(original.children))
        if step.builds and (not run or (step.title is None and not step.gap_before)):
            run.append(step)
            continue
        result.extend(_merged(run))
        run = [step] if step.builds else []
        if not step.builds:
            result.append(step)
    result.extend(_merged(run))
    return tuple(result)


def _merged(run: list[Step]) -> list[Step]:
    if len(run) < 3:  # two assignments read fine as two steps
        return run
    names = [name for step in run for name in step.builds]
    text = join(sentence("Builds "), code_list(names))
    first = run[0]
    return [
        Step(
            text,
            first.lineno,
            run[-1].endlineno,
            tuple(replace(step, gap_before=False) for step in run),
            first.title,
            gap_before=first.gap_before,
            title_unmatched=first.title_unmatched,
        )
    ]


def group_phases(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """At every depth: a block with two or more comment headers becomes phases, each reaching
    as far as its comment does (`comment_block_end`)."""
    steps = tuple(replace(step, children=group_phases(step.children)) for step in steps)
    if sum(1 for step in steps if _heads(step)) < 2:
        return steps
    result: list[Step] = []
    index = 0
    while index < len(steps):
        if _heads(steps[index]):
            end = comment_block_end(steps, index)
            result.append(_phase(list(steps[index:end])))
            index = end
        else:
            result.append(steps[index])
            index += 1
    return tuple(result)


def _heads(step: Step) -> bool:
    """A step that opens a phase: titled by a comment that matches its code."""
    return step.title is not None and not step.title_unmatched


def _phase(members: list[Step]) -> Step:
    first = members[0]
    if len(members) == 1:
        return first
    children = (replace(first, title=None, gap_before=False), *members[1:])
    return Step((), first.lineno, members[-1].endlineno, children, first.title, gap_before=True)


def group_paragraphs(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Runs of steps between blank lines become one step each, named by their actions."""
    paragraphs: list[list[Step]] = []
    for step in steps:
        if not paragraphs or step.gap_before or _heads(step) or _heads(paragraphs[-1][0]):
            paragraphs.append([])
        paragraphs[-1].append(step)
    if len(paragraphs) < 2:
        return steps
    grouped = []
    for members in paragraphs:
        if len(members) == 1:
            grouped.append(members[0])
            continue
        # the paragraph's actions in one sentence, the statements folded beneath it
        text = _capitalized(summary_of(tuple(members)))
        first, last = members[0], members[-1]
        grouped.append(
            Step((), first.lineno, last.endlineno, tuple(members), summary=text, gap_before=True)
        )
    return tuple(grouped)


def _capitalized(text: Sentence) -> Sentence:
    if text and isinstance(text[0], Text) and text[0].value:
        return (Text(text[0].value[0].upper() + text[0].value[1:]), *text[1:])
    return text


def group_runs(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """At every level, a list still longer than `MAX_TOP_STEPS` (a long body without blank
    lines or comments, 250 `G.add_edge(…)` calls) becomes at most that many runs of
    consecutive steps, each named by its actions with the steps folded beneath."""
    steps = tuple(
        step if step.summary else replace(step, children=group_runs(step.children))
        for step in steps
    )
    if len(steps) <= MAX_TOP_STEPS:
        return steps
    size = -(-len(steps) // MAX_TOP_STEPS)  # ceiling division
    runs = [steps[start : start + size] for start in range(0, len(steps), size)]
    return tuple(
        run[0]
        if len(run) == 1
        else Step(
            (),
            run[0].lineno,
            run[-1].endlineno,
            run,
            summary=_capitalized(summary_of(run)),
            gap_before=run[0].gap_before,
        )
        for run in runs
    )


def summarize_folded(steps: tuple[Step, ...], depth: int) -> tuple[Step, ...]:
    """Give each step with children at `VISIBLE_DEPTH` a summary of what it folds."""
    shaped = []
    for step in steps:
        if step.summary:  # a paragraph: already summarized and folded
            shaped.append(step)
        elif depth >= VISIBLE_DEPTH and _one_action(step.children):
            # the summary says all of it, and the step's lines hold its line: a fold would
            # only repeat it ("Checks whether `x`: subtracts `1` from `n`", then the same)
            shaped.append(replace(step, summary=summary_of(step.children), children=()))
        elif depth >= VISIBLE_DEPTH and step.children:
            shaped.append(replace(step, summary=summary_of(step.children)))
        else:
            shaped.append(replace(step, children=summarize_folded(step.children, depth + 1)))
    return tuple(shaped)


def _one_action(steps: tuple[Step, ...]) -> bool:
    """One step, with nothing under it and nothing of its own but its action."""
    return (
        len(steps) == 1 and not steps[0].children and not steps[0].title and bool(steps[0].sentence)
    )


def summary_of(steps: tuple[Step, ...]) -> Sentence:
    """The actions of `steps` and their children, in order, as one sentence: "decodes `raw`;
    skips to the next iteration when …; yields `event['value']`". A block's actions follow its
    opening after its colon when nothing comes after the block, and in brackets when something
    does, so a reader can tell what runs inside it: "for each `line` in `lines` (decodes
    `line`; yields `event`); returns `total`"."""
    budget = _Budget(SUMMARY_ACTIONS)
    clauses = _clauses(steps, budget)
    total = _Budget(None)
    _clauses(steps, total)
    text = _joined(clauses)
    more = total.used - budget.used
    if more > 0:
        text = join(text, sentence(f"; and {more} more step{'s' if more > 1 else ''}"))
    return text


@dataclass
class _Budget:
    """How many actions a summary may still name (None: all)."""

    left: int | None
    used: int = 0

    def take(self) -> bool:
        if self.left is not None and self.used >= self.left:
            return False
        self.used += 1
        return True

    def give_back(self) -> None:
        self.used -= 1


#: An action, with the clauses of the block it opens (empty for a simple action).
_Clause = tuple[Sentence, tuple["_Clause", ...]]


def _clauses(steps: tuple[Step, ...], budget: _Budget) -> tuple[_Clause, ...]:
    """Each step's action in reading order, a block's with its children's; pure containers
    (`try:`), paragraphs and phases give their children's actions in their place."""
    clauses: list[_Clause] = []
    for step in steps:
        action = _action(step)
        if not action or _is_container(step):
            clauses.extend(_clauses(step.children, budget))
            continue
        if not budget.take():
            break
        if not (step.children and _opens_block(action)):
            clauses.append((action, ()))  # a merged "Builds `a`, `b`" names its children
            continue
        inner = _clauses(step.children, budget)
        if not inner:  # no room for its first action: a bare opening reads as a cut sentence
            budget.give_back()
            break
        clauses.append((action, inner))
    return tuple(clauses)


def _joined(clauses: tuple[_Clause, ...]) -> Sentence:
    parts: list[Sentence] = []
    for index, (action, inner) in enumerate(clauses):
        if index:
            parts.append(sentence("; "))
        if not inner:
            parts.append(action)
        elif index == len(clauses) - 1:
            parts += [action, sentence(" "), _joined(inner)]
        else:
            parts += [_without_colon(action), sentence(" ("), _joined(inner), sentence(")")]
    return join(*parts) if parts else ()


def _without_colon(action: Sentence) -> Sentence:
    last = action[-1]
    assert isinstance(last, Text)
    return (*action[:-1], Text(last.value.removesuffix(":")))


def _is_container(step: Step) -> bool:
    first = step.sentence[0] if step.sentence else None
    return (
        step.title is None
        and isinstance(first, Text)
        and first.value.startswith(_CONTAINER_OPENINGS)
        and bool(step.children)
    )


#: Sentences that only open a block: the summary names what the block does instead.
_CONTAINER_OPENINGS = ("Tries the following", "Runs the following")


def _opens_block(action: Sentence) -> bool:
    last = action[-1]
    return isinstance(last, Text) and last.value.endswith(":")


def _action(step: Step) -> Sentence:
    """A step's sentence lower-cased to run inside a sentence; a
    block's opening keeps its colon only when its children follow."""
    # a phase's title is the author's comment, not the narrator's words: its actions are
    # named by its children
    text: Sentence = step.sentence
    if not text:
        return ()
    first, *rest = text
    if isinstance(first, Text) and first.value:
        first = Text(first.value[0].lower() + first.value[1:])
    text = (first, *rest)
    last = text[-1]
    if not step.children and isinstance(last, Text) and last.value.endswith(":"):
        return (*text[:-1], Text(last.value[:-1]))
    return text


def every_step(steps: tuple[Step, ...]) -> Iterator[Step]:
    """Every step and its children, in reading order."""
    for step in steps:
        yield step
        yield from every_step(step.children)


def visible_steps(steps: tuple[Step, ...], depth: int = 1) -> Iterator[tuple[Step, int]]:
    """The steps a reader sees without unfolding anything (a summarized step's children are
    folded), each with its depth from 1."""
    for step in steps:
        yield step, depth
        if not step.summary:
            yield from visible_steps(step.children, depth + 1)


def visible_count(steps: tuple[Step, ...]) -> int:
    """Steps a reader sees without unfolding anything."""
    return sum(1 for _ in visible_steps(steps))


def fold_long_phases(phases: list[Phase]) -> list[Phase]:
    """On a page over `PAGE_BUDGET` visible steps, fold the longest sections first: each
    keeps one visible sentence naming its actions, its steps one click away."""
    sizes = [visible_count(phase.steps) for phase in phases]
    total = sum(sizes)
    folded = list(phases)
    for index in sorted(range(len(phases)), key=lambda i: -sizes[i]):
        if total <= PAGE_BUDGET or sizes[index] <= 1:
            break
        phase = phases[index]
        folded[index] = replace(phase, summary=_capitalized(summary_of(phase.steps)))
        total -= sizes[index] - 1
    return folded
