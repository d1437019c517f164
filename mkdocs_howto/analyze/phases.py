"""Shape a flat list of steps into something a reader can follow.

Two passes, both pure: runs of plain assignments become one "Builds `a`, `b` and `c`" step
(the details stay as its children), and a long body whose author wrote comment headers is
grouped into phases named by those comments, the way a person would explain it.
"""

from __future__ import annotations

from dataclasses import replace

from mkdocs_howto.analyze.sentences import code_list, join, sentence
from mkdocs_howto.facts import Step

#: A body with more top-level steps than this is grouped into phases when it can be.
MAX_FLAT_STEPS = 7


def shape_steps(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Merge plain-assignment runs at every depth, then group a long body into phases."""
    merged = merge_builds(steps)
    if len(merged) > MAX_FLAT_STEPS:
        return group_by_comments(merged)
    return merged


def merge_builds(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """`headers = {...}; payload = {...}` → one step "Builds `headers` and `payload`"."""
    result: list[Step] = []
    run: list[Step] = []
    for original in steps:
        step = replace(original, children=merge_builds(original.children))
        if step.builds and (not run or step.title is None):
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
    return [Step(text, run[0].lineno, run[-1].endlineno, tuple(run), run[0].title)]


def group_by_comments(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Phases that start at each comment-titled step; unchanged without two such headers."""
    if sum(1 for step in steps if step.title) < 2:
        return steps
    leading: list[Step] = []  # steps before the first header stay as they are
    phases: list[list[Step]] = []
    for step in steps:
        if step.title:
            phases.append([])
        (phases[-1] if phases else leading).append(step)
    return (*leading, *(_phase(members) for members in phases))


def _phase(members: list[Step]) -> Step:
    first = members[0]
    if len(members) == 1:
        return first
    children = (replace(first, title=None), *members[1:])
    return Step((), first.lineno, members[-1].endlineno, children, first.title)
