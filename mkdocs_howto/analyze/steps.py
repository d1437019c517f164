"""The step narrator: one step per statement of a body, each with a specific verb and its lines.

Compound statements (`if`, loops, `with`, `try`, `match`) carry their body as nested steps. A
comment line right above a statement becomes that step's title: it is the author's intent.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from mkdocs_howto.analyze.calls import CallDescriber
from mkdocs_howto.analyze.comments import comment_block_end, comment_title, names_absent_action
from mkdocs_howto.analyze.sentences import code_list, join, sentence, unparse
from mkdocs_howto.facts import Sentence, Step, Text

Visitor = Callable[[ast.stmt], Step | None]


class StepNarrator:
    """Narrate the statements of a function or class body as ordered steps."""

    def __init__(
        self,
        comments: Mapping[int, str] | None = None,
        extra_calls: Mapping[str, str] | None = None,
        blank_lines: frozenset[int] = frozenset(),
        lines: Mapping[int, str] | None = None,
    ) -> None:
        self.comments = comments or {}
        self.calls = CallDescriber(extra_calls)
        self.blank_lines = blank_lines
        self.lines = lines or {}
        """The source's lines by number: a title comment is checked against the code below."""

    def narrate(self, body: Sequence[ast.stmt]) -> tuple[Step, ...]:
        """Steps for a block of statements, skipping a leading docstring.

        An `if`'s `elif` / `else` branches follow it as steps of their own (siblings, not
        children); a statement after a blank line is marked as starting a paragraph."""
        statements = list(body)
        if statements and _is_docstring(statements[0]):
            statements = statements[1:]
        steps: list[Step] = []
        previous_end: int | None = None
        for statement in statements:
            step = self.step(statement)
            if step is not None:
                first = _first_line(statement)
                if previous_end is not None and self._gap(previous_end, first):
                    step = replace(step, gap_before=True)
                steps.append(step)
                if isinstance(statement, ast.If) and not _is_guard(statement):
                    steps.extend(self._else_branches(statement))
            previous_end = statement.end_lineno or statement.lineno
        return self._check_titles(steps)

    def _check_titles(self, steps: list[Step]) -> tuple[Step, ...]:
        """Mark each comment title that names an action its block does not perform."""
        if not self.lines:
            return tuple(steps)
        checked = list(steps)
        for index, step in enumerate(steps):
            if step.title is None:
                continue
            block = steps[index : comment_block_end(steps, index)]
            covered = range(step.lineno, block[-1].endlineno + 1)
            code = "\n".join(self.lines.get(line, "") for line in covered)
            narrated = tuple(segment for member in block for segment in member.sentence)
            if names_absent_action(step.title, code, narrated):
                checked[index] = replace(step, title_unmatched=True)
        return tuple(checked)

    def _gap(self, previous_end: int, first: int) -> bool:
        """A blank line between two statements (comment lines above the second don't count)."""
        return any(line in self.blank_lines for line in range(previous_end + 1, first))

    def step(self, node: ast.stmt) -> Step | None:
        visitor: Visitor = getattr(self, f"visit_{type(node).__name__}", self.visit_default)
        step = visitor(node)
        if step is not None and step.title is None:
            title = self._comment_above(node)
            if title:
                step = replace(step, title=title)
        return step

    def _comment_above(self, node: ast.stmt) -> str | None:
        """The whole comment block right above the statement, at the statement's own indent:
        a deeper comment closes the block before it (a note on its last lines), so it does
        not title the statement after the block."""
        first = _first_line(node)
        column = _indent(self.lines.get(first, ""))
        lines: list[str] = []
        line = first - 1
        while line in self.comments and (
            not self.lines or _indent(self.lines.get(line, "")) == column
        ):
            lines.insert(0, self.comments[line])
            line -= 1
        title = comment_title(lines)
        if not title:
            return None
        return title if len(title) <= _MAX_TITLE else title[: _MAX_TITLE - 1].rstrip() + "…"

    def _make(self, node: ast.stmt, text: Sentence, children: tuple[Step, ...] = ()) -> Step:
        return Step(text, node.lineno, node.end_lineno or node.lineno, children)

    # Expressions that do something -------------------------------------------------------

    def expression(self, node: ast.expr) -> Sentence:
        """A sentence for an expression evaluated for its effect or its value."""
        if isinstance(node, ast.Await):
            if not isinstance(node.value, ast.Call):
                return sentence("Awaits {v}", v=unparse(node.value))
            return join(self.expression(node.value), sentence(" (awaited)"))
        if isinstance(node, ast.Call):
            return self.calls.describe(node)
        if isinstance(node, ast.Yield):
            if node.value is None:
                return sentence("Yields control without a value")
            return sentence("Yields {value}", value=unparse(node.value))
        if isinstance(node, ast.YieldFrom):
            return sentence("Yields every item of {value}", value=unparse(node.value))
        if isinstance(node, ast.NamedExpr):
            return sentence(
                "Computes {value} and binds it to {name}",
                value=unparse(node.value),
                name=unparse(node.target),
            )
        return sentence("Evaluates {expr}", expr=unparse(node))

    def value_into(self, value: ast.expr, targets: str) -> Sentence:
        """A sentence for computing `value` and storing it in `targets`."""
        if isinstance(value, ast.Dict):
            return self._dictionary(value, targets)
        if isinstance(value, ast.List | ast.Tuple | ast.Set) and not value.elts:
            kind = type(value).__name__.lower()
            return sentence(f"Creates an empty {kind} {{t}}", t=targets)
        if isinstance(value, ast.List | ast.Tuple | ast.Set):
            kind = type(value).__name__.lower()
            return sentence(f"Builds the {kind} {{t}} from {{v}}", t=targets, v=unparse(value))
        if isinstance(value, ast.JoinedStr):
            return sentence("Builds the string {t} from {v}", t=targets, v=unparse(value))
        if isinstance(value, ast.Constant):
            return sentence("Sets {t} to {v}", t=targets, v=unparse(value))
        if isinstance(value, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            return sentence("Collects {v} into {t}", t=targets, v=unparse(value))
        if isinstance(value, ast.Lambda):
            return sentence("Defines {t} as the function {v}", t=targets, v=unparse(value))
        if isinstance(value, ast.Call | ast.Await):
            return join(
                self.expression(value), sentence(" and stores the result in {t}", t=targets)
            )
        if isinstance(value, ast.Yield):  # `x = yield y`: a generator that receives values
            shown = unparse(value.value) if value.value is not None else "None"
            return sentence("Yields {v} and stores the value sent back in {t}", v=shown, t=targets)
        call = _innermost_call(value)
        if call is not None:  # `uuid.uuid4().hex[:12]`: the call is the action
            return join(
                self.calls.describe(call),
                sentence(", takes {v} and stores it in {t}", t=targets, v=unparse(value)),
            )
        if isinstance(value, ast.Name):
            return sentence("Stores {v} in {t}", t=targets, v=unparse(value))
        if isinstance(value, ast.Attribute | ast.Subscript):
            return sentence("Reads {v} into {t}", t=targets, v=unparse(value))
        if isinstance(value, ast.IfExp):
            return sentence("Chooses {v} and stores it in {t}", t=targets, v=unparse(value))
        return sentence("Computes {v} and stores it in {t}", t=targets, v=unparse(value))

    def _dictionary(self, value: ast.Dict, targets: str) -> Sentence:
        """`{"a": 1, **extra}`: name the keys, and the mappings merged in with `**`."""
        keys = [unparse(key, 30) for key in value.keys if key is not None]
        merged = [
            unparse(v, 30) for key, v in zip(value.keys, value.values, strict=True) if key is None
        ]
        if not keys and not merged:
            return sentence("Creates an empty dictionary {t}", t=targets)
        parts = [sentence("Builds the {t} dictionary", t=targets)]
        if merged:
            parts.append(join(sentence(" by merging "), code_list(merged)))
        if keys:
            listed = keys[:6] + (["…"] if len(keys) > 6 else [])
            parts.append(join(sentence(" with the keys " if merged else " ("), code_list(listed)))
            if not merged:
                parts.append((Text(")"),))
        return join(*parts)

    # Simple statements ----------------------------------------------------------------

    def visit_Expr(self, node: ast.Expr) -> Step | None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None  # a bare string: documentation, not an action
        if isinstance(node.value, ast.Constant) and node.value.value is Ellipsis:
            return self._make(node, sentence("Declares no body ({v}): a stub", v="..."))
        return self._make(node, self.expression(node.value))

    def visit_Assign(self, node: ast.Assign) -> Step:
        if len(node.targets) > 1:  # `a = b = 0` sets both names
            names = [unparse(target, 40) for target in node.targets]
            text = join(
                sentence("Sets "), code_list(names), sentence(" to {v}", v=unparse(node.value))
            )
            return self._make(node, text)
        return self._assignment(node, node.value, unparse(node.targets[0], 40))

    def _assignment(self, node: ast.stmt, value: ast.expr, targets: str) -> Step:
        step = self._make(node, self.value_into(value, targets))
        if isinstance(value, _PLAIN_VALUES) and _innermost_call(value) is None:
            return replace(step, builds=(targets,))
        return step

    def visit_AnnAssign(self, node: ast.AnnAssign) -> Step:
        target = unparse(node.target, 40)
        if node.value is None:
            return self._make(
                node, sentence("Declares {t} as {a}", t=target, a=unparse(node.annotation))
            )
        return self._assignment(node, node.value, target)

    def visit_AugAssign(self, node: ast.AugAssign) -> Step:
        verbs = {
            ast.Add: "Adds {v} to {t}",
            ast.Sub: "Subtracts {v} from {t}",
            ast.Mult: "Multiplies {t} by {v}",
            ast.Div: "Divides {t} by {v}",
        }
        template = verbs.get(type(node.op), "Updates {t} with {code}")
        return self._make(
            node,
            sentence(
                template, t=unparse(node.target, 40), v=unparse(node.value), code=unparse(node)
            ),
        )

    def visit_Return(self, node: ast.Return) -> Step:
        if node.value is None:
            return self._make(node, sentence("Returns without a value"))
        return self._make(node, sentence("Returns {v}", v=unparse(node.value)))

    def visit_Raise(self, node: ast.Raise) -> Step:
        if node.exc is None:
            return self._make(node, sentence("Re-raises the exception it caught"))
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        text = sentence("Raises {e}", e=unparse(exc, 40))
        if isinstance(node.exc, ast.Call) and node.exc.args:
            text = join(text, sentence(" with {m}", m=unparse(node.exc.args[0])))
        return self._make(node, text)

    def visit_Assert(self, node: ast.Assert) -> Step:
        return self._make(node, sentence("Asserts that {c}", c=unparse(node.test)))

    def visit_Delete(self, node: ast.Delete) -> Step:
        return self._make(
            node, join(sentence("Deletes "), code_list([unparse(t, 40) for t in node.targets]))
        )

    def visit_Pass(self, node: ast.Pass) -> Step:
        return self._make(node, sentence("Takes no action ({p})", p="pass"))

    def visit_Break(self, node: ast.Break) -> Step:
        return self._make(node, sentence("Stops the loop ({b})", b="break"))

    def visit_Continue(self, node: ast.Continue) -> Step:
        return self._make(node, sentence("Skips to the next iteration ({c})", c="continue"))

    def visit_Global(self, node: ast.Global) -> Step:
        return self._make(
            node,
            join(
                sentence("Declares "),
                code_list(node.names),
                sentence(" as module-level (global) names"),
            ),
        )

    def visit_Nonlocal(self, node: ast.Nonlocal) -> Step:
        return self._make(
            node,
            join(
                sentence("Declares "),
                code_list(node.names),
                sentence(" as names of the enclosing function"),
            ),
        )

    def visit_Import(self, node: ast.Import) -> Step:
        names = [alias.name for alias in node.names]
        return self._make(node, join(sentence("Imports "), code_list(names)))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> Step:
        names = [alias.name for alias in node.names]
        module = "." * node.level + (node.module or "")
        return self._make(
            node, join(sentence("Imports "), code_list(names), sentence(" from {m}", m=module))
        )

    def visit_default(self, node: ast.stmt) -> Step:
        return self._make(node, sentence("Runs {code}", code=unparse(node)))

    # Definitions ------------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Step:
        kind = "async function" if isinstance(node, ast.AsyncFunctionDef) else "function"
        text = sentence(
            f"Defines the nested {kind} {{sig}}", sig=f"{node.name}({unparse(node.args, 40)})"
        )
        docstring = (ast.get_docstring(node) or "").strip()
        if docstring:
            # the author's words, quoted: the docstring's first line says what it is for
            text = join(text, (Text(" — “" + docstring.splitlines()[0] + "”"),))
        return self._make(node, text, self.narrate(node.body))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> Step:
        return self._make(node, sentence("Defines the nested class {n}", n=node.name))

    # Compound statements -------------------------------------------------------------------

    def visit_If(self, node: ast.If) -> Step:
        guard = self._guard(node)
        if guard is not None:
            return guard
        # the `elif` / `else` branches are added by `narrate`, beside this step: it spans
        # the condition and its own body only
        text = sentence("Checks whether {c}:", c=unparse(node.test))
        end = node.body[-1].end_lineno or node.lineno
        return Step(text, node.lineno, end, self.narrate(node.body))

    def _else_branches(self, node: ast.If) -> list[Step]:
        """`elif` and `else` as steps that follow their `if`, each with its own body."""
        branches: list[Step] = []
        orelse = node.orelse
        while orelse:
            if len(orelse) == 1 and isinstance(orelse[0], ast.If):
                branch = orelse[0]
                end = branch.body[-1].end_lineno or branch.lineno
                text = sentence("Otherwise, when {c}:", c=unparse(branch.test))
                branches.append(Step(text, branch.lineno, end, self.narrate(branch.body)))
                orelse = branch.orelse
            else:
                branches.append(self._block(orelse, sentence("Otherwise:")))
                break
        return branches

    def _guard(self, node: ast.If) -> Step | None:
        """`if not ok: raise X` reads best as one step: "When `not ok`, raises `X`"."""
        if not _is_guard(node):
            return None
        inner = self.step(node.body[0])
        if inner is None or inner.children or inner.title:
            return None
        first = inner.sentence[0]
        if not isinstance(first, Text) or not first.value:
            return None
        lowered = (Text(first.value[0].lower() + first.value[1:]), *inner.sentence[1:])
        text = join(sentence("When {c}, ", c=unparse(node.test)), lowered)
        return self._make(node, text)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> Step:
        how = "asynchronously " if isinstance(node, ast.AsyncFor) else ""
        text = sentence(
            f"Iterates {how}over {{i}}, one {{t}} at a time:",
            i=unparse(node.iter),
            t=unparse(node.target, 30),
        )
        children = self.narrate(node.body)
        if node.orelse:
            children += (
                self._block(node.orelse, sentence("When the loop ends without {b}:", b="break")),
            )
        return self._make(node, text, children)

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While) -> Step:
        children = self.narrate(node.body)
        if node.orelse:
            ended = sentence("When {c} turns false without a {b}:", c=unparse(node.test), b="break")
            children += (self._block(node.orelse, ended),)
        return self._make(node, sentence("Repeats while {c}:", c=unparse(node.test)), children)

    def visit_With(self, node: ast.With | ast.AsyncWith) -> Step:
        keyword = "async with" if isinstance(node, ast.AsyncWith) else "with"
        parts = [self._context_item(item, keyword) for item in node.items]
        text = join(*(join(part, sentence("; ")) for part in parts[:-1]), parts[-1], sentence(":"))
        return self._make(node, text, self.narrate(node.body))

    def _context_item(self, item: ast.withitem, keyword: str) -> Sentence:
        """`async with session.post(url) as resp` → "Sends a POST request to `url` (…)"."""
        how = (
            sentence(" ({k}, as {v})", k=keyword, v=unparse(item.optional_vars, 20))
            if item.optional_vars
            else sentence(" ({k})", k=keyword)
        )
        expr = item.context_expr
        if isinstance(expr, ast.Call):
            described = self.calls.describe(expr)
            if not _is_fallback(described):
                return join(described, how)
        return join(sentence("Opens {e}", e=unparse(expr, 50)), how)

    visit_AsyncWith = visit_With

    def visit_Try(self, node: ast.Try) -> Step:
        children = list(self.narrate(node.body))
        for handler in node.handlers:
            caught = unparse(handler.type, 40) if handler.type else "any exception"
            text = (
                sentence("When {e} is raised:", e=caught)
                if handler.type
                else sentence("When any exception is raised:")
            )
            children.append(self._make(handler, text, self.narrate(handler.body)))  # type: ignore[arg-type]
        if node.orelse:
            children.append(self._block(node.orelse, sentence("When nothing was raised:")))
        if node.finalbody:
            children.append(self._block(node.finalbody, sentence("Finally, in every case:")))
        opening = (
            sentence("Tries the following, catching errors:")
            if node.handlers
            else sentence("Runs the following, then its {f} block whatever happens:", f="finally")
        )
        return self._make(node, opening, tuple(children))

    visit_TryStar = visit_Try

    def visit_Match(self, node: ast.Match) -> Step:
        cases = tuple(
            Step(
                sentence("Case {p}:", p=unparse(case.pattern, 40)),
                case.pattern.lineno,
                case.body[-1].end_lineno or case.pattern.lineno,
                self.narrate(case.body),
            )
            for case in node.cases
        )
        return self._make(
            node, sentence("Matches {s} against its cases:", s=unparse(node.subject)), cases
        )

    def _block(self, body: list[ast.stmt], text: Sentence) -> Step:
        return Step(
            text, body[0].lineno, body[-1].end_lineno or body[-1].lineno, self.narrate(body)
        )


#: A comment block longer than this is cut (with "…"): it is an essay, not a title.
_MAX_TITLE = 400

#: Bodies of an `if` that read as a guard clause.
_GUARD_BODIES = (ast.Raise, ast.Return, ast.Continue, ast.Break, ast.Expr, ast.Assign)

#: Values built without calling anything: consecutive assignments of these merge into one step.
_PLAIN_VALUES = (
    ast.Dict,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.JoinedStr,
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.BinOp,
)


def _is_guard(node: ast.If) -> bool:
    """An `if` without branches whose body is one simple statement (`raise`, `return`…)."""
    return not node.orelse and len(node.body) == 1 and isinstance(node.body[0], _GUARD_BODIES)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _first_line(node: ast.stmt) -> int:
    """The statement's first line, its decorators included."""
    decorators = getattr(node, "decorator_list", None)
    return min(node.lineno, *(d.lineno for d in decorators)) if decorators else node.lineno


def _is_fallback(text: Sentence) -> bool:
    """True for the describer's last resort, "Calls `f(x)`", which says nothing new here."""
    return len(text) == 2 and isinstance(text[0], Text) and text[0].value == "Calls "


def _innermost_call(node: ast.expr) -> ast.Call | None:
    """The call at the root of an attribute / subscript chain, as in `f(x).attr[0]`."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Await):
        node = node.value
        if isinstance(node, ast.Await):
            node = node.value
        if isinstance(node, ast.Call):
            return node
    return None


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def blank_lines(source: str, first_lineno: int) -> frozenset[int]:
    """Line numbers of the empty lines of `source` (split at newlines only, as below)."""
    return frozenset(
        first_lineno + offset for offset, line in enumerate(source.split("\n")) if not line.strip()
    )


def numbered_lines(source: str, first_lineno: int) -> dict[int, str]:
    """`source`'s lines by their line number in the file."""
    return {first_lineno + offset: line for offset, line in enumerate(source.split("\n"))}


def comment_lines(source: str, first_lineno: int) -> dict[int, str]:
    """Map line numbers of whole-line comments to their text (without `#`); a bare `#`
    maps to "" (it parts the paragraphs of one comment block).

    `source` has Python's lines joined by `\\n`: split there only (`str.splitlines` would
    also split at form feeds, and shift every line after one)."""
    comments = {}
    for offset, line in enumerate(source.split("\n")):
        stripped = line.strip()
        # `#!` is a shebang, `#:` a Sphinx attribute docstring: neither titles a step
        if stripped.startswith("#") and not stripped.startswith(("#!", "#:")):
            text = stripped.lstrip("#").strip()
            if not text.lower().startswith(("type:", "noqa", "pragma", "fmt:")):
                comments[first_lineno + offset] = text
    return comments
