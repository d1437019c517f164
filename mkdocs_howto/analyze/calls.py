"""Describe one call with a specific verb, using the lexicon tables."""

from __future__ import annotations

import ast
import string
import sys
from collections.abc import Mapping

from mkdocs_howto.analyze import lexicon
from mkdocs_howto.analyze.lint import DEFAULT_VAGUE_TERMS
from mkdocs_howto.analyze.sentences import sentence, unparse
from mkdocs_howto.facts import Sentence

_FIELDS = string.Formatter()


class CallDescriber:
    """Turn an `ast.Call` into a sentence: lexicon first, then name prefixes, then a fallback."""

    def __init__(self, extra_calls: Mapping[str, str] | None = None) -> None:
        self.calls: dict[str, str | tuple[str, ...]] = {**lexicon.CALLS, **(extra_calls or {})}

    def describe(self, call: ast.Call) -> Sentence:
        parts = _CallParts(call)
        for template in self._candidates(parts):
            filled = parts.fill(template)
            if filled is not None:
                return filled
        return sentence("Calls {call}", call=parts.values["call"])

    def _candidates(self, parts: _CallParts) -> list[str]:
        found: list[str] = []
        dotted = parts.dotted
        if dotted:
            for key in (dotted, dotted.split(".", 1)[-1], parts.name):
                if key in self.calls and (key != parts.name or not parts.receiver):
                    entry = self.calls[key]
                    found.extend((entry,) if isinstance(entry, str) else entry)
        if parts.receiver is not None and not _own_or_module(parts):
            # `self.send(x)` is the class's own method, `os.replace` is not `str.replace`
            found.extend(_method_templates(parts))
        found.extend(_prefix_templates(parts.name))
        return found


def _method_templates(parts: _CallParts) -> list[str]:
    receiver_name = parts.receiver_tail
    name = parts.name
    templates = []
    if name in lexicon.HTTP_METHODS and lexicon.HTTP_RECEIVER.search(receiver_name):
        verb = "a request" if name == "request" else f"a {name.upper()} request"
        if name == "stream":
            verb = "a streaming request"
        templates.append(f"Sends {verb} to {{arg0}} with {{options}}")
        templates.append(f"Sends {verb} to {{arg0}}")
        templates.append(f"Sends {verb} with {{receiver}}")
    if name in lexicon.LOG_METHODS and lexicon.LOG_RECEIVER.search(receiver_name):
        level = "an error with its traceback" if name == "exception" else f"{name.upper()} level"
        templates.append(
            f"Logs {{message}} at {level}"
            if name != "exception"
            else f"Logs {{message}} as {level}"
        )
    if name in lexicon.METHODS:
        entry = lexicon.METHODS[name]
        templates.extend((entry,) if isinstance(entry, str) else entry)
    return templates


def _own_or_module(parts: _CallParts) -> bool:
    """A method of the class itself (`self.x()`) or a function of a stdlib module (`os.x()`)."""
    if parts.receiver_tail in ("self", "cls"):
        return True
    receiver = parts.dotted.rsplit(".", 1)[0] if parts.dotted else ""
    return receiver in sys.stdlib_module_names


def _prefix_templates(name: str) -> list[str]:
    words = name.strip("_").split("_")
    lowered = [word.lower() for word in words]
    if (
        len(words) < 2
        or lowered[1] in lexicon.PREFIX_STOPWORDS
        or lowered[-1] in lexicon.PREFIX_PREPOSITIONS
        or lexicon.PREFIX_CLAUSES.intersection(lowered)
    ):
        return []  # shown as code: "Calls `G.add_edges_from(…)`"
    prefix, rest = lowered[0], " ".join(words[1:])
    if prefix in lexicon.PREDICATE_PREFIXES:
        return ["Checks {call}"]
    verb = lexicon.PREFIX_VERBS.get(prefix)
    if verb is None or _VAGUE_WORDS.intersection(word.lower() for word in words[1:]):
        # `_send_handling_auth` would read "Sends the handling auth": a name's words become
        # prose only when none of them is vague; else the call is shown as code
        return []
    if lexicon.PREFIX_PREPOSITIONS.intersection(lowered[2:-1]):
        # "Sends the headers with payload with `…`" would read twice "with"
        return [f"{verb} the {rest}: {{call}}"]
    return [f"{verb} the {rest} with {{call}}"]


#: Single-word vague terms: a name holding one is not turned into prose.
_VAGUE_WORDS = frozenset(term for term in DEFAULT_VAGUE_TERMS if " " not in term)


class _CallParts:
    """The pieces of a call a template can name."""

    def __init__(self, call: ast.Call) -> None:
        func = call.func
        self.dotted = _dotted(func)
        self.name = func.attr if isinstance(func, ast.Attribute) else self.dotted or ""
        self.receiver = func.value if isinstance(func, ast.Attribute) else None
        receiver_code = unparse(self.receiver, 40) if self.receiver is not None else ""
        self.receiver_tail = receiver_code.rsplit(".", 1)[-1]
        args = [unparse(arg, 40) for arg in call.args]
        args += [
            unparse(kw, 40) if kw.arg is None else f"{kw.arg}={unparse(kw.value, 30)}"
            for kw in call.keywords
        ]
        self.values: dict[str, str] = {
            "call": unparse(call),
            "func": unparse(func, 40),
            "receiver": receiver_code,
            "args": ", ".join(args),
            "options": ", ".join(
                f"{kw.arg}={unparse(kw.value, 20)}" for kw in call.keywords if kw.arg
            ),
        }
        for index, arg in enumerate(call.args[:3]):
            self.values[f"arg{index}"] = unparse(arg, 40)
        self.values["message"] = _log_message(call.args)

    def fill(self, template: str) -> Sentence | None:
        needed = {field for _, field, _, _ in _FIELDS.parse(template) if field}
        if any(not self.values.get(field) for field in needed):
            return None
        return sentence(template, **{field: self.values[field] for field in needed})


def _log_message(args: list[ast.expr]) -> str:
    """`log.warning("%s", problem)` logs `problem`; `log.info("done %d", n)` its format."""
    if not args:
        return ""
    first = args[0]
    if isinstance(first, ast.Constant) and first.value in ("%s", "%r") and len(args) > 1:
        return unparse(args[1], 40)
    return unparse(first, 40)


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of names; `super().__init__` too; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super":
        return "super()"
    return None
