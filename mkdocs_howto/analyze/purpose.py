"""What an undocumented class is for, from facts in its code: the service it talks to, its
default model, the requests its methods send and whether they stream.

Each sentence names what it comes from (`url`, `default_model`, the method), so it traces to
a line of the class: a URL is a class attribute holding an `http(s)://` string; a request is
a `post` / `get` / … call entered with `async with` / `with` or awaited (so `dict.get` is no
request); a method streams when it is a generator that sends requests.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import griffe

from mkdocs_howto.analyze.code import own_nodes, parse_object
from mkdocs_howto.analyze.sentences import sentence
from mkdocs_howto.facts import Sentence

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "request", "stream")
_MODEL_NAMES = ("default_model", "model")


def purpose_facts(cls: griffe.Class) -> list[Sentence]:
    """Sentences about the service an undocumented class works with; none for most classes."""
    facts: list[Sentence] = []
    url = _string_attribute(cls, lambda name, value: value.startswith(("https://", "http://")))
    methods = _request_methods(cls)
    if url is not None:
        name, value = url
        template = "It sends its requests to {u} ({a})." if methods else "Its {a} is {u}."
        facts.append(sentence(template, u=value, a=name))
    model = _string_attribute(cls, lambda name, value: name in _MODEL_NAMES)
    if model is not None:
        facts.append(sentence("Its default model is {m} ({a}).", m=model[1], a=model[0]))
    for method, verbs, streams in methods:
        facts.append(_method_sentence(method, verbs, streams))
    return facts


def _string_attribute(
    cls: griffe.Class, wanted: Callable[[str, str], bool]
) -> tuple[str, str] | None:
    for name, member in cls.members.items():
        if not isinstance(member, griffe.Attribute) or member.value is None:
            continue
        try:
            value = ast.literal_eval(str(member.value))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, str) and wanted(name, value):
            return name, f'"{value}"'
    return None


def _request_methods(cls: griffe.Class) -> list[tuple[griffe.Function, list[str], bool]]:
    """Public methods sending requests: the HTTP verbs in source order, whether they yield."""
    found = []
    for name, member in cls.members.items():
        if name.startswith("_") or not isinstance(member, griffe.Function):
            continue
        parsed = parse_object(member)
        if parsed is None or not isinstance(parsed.node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        nodes = list(own_nodes(parsed.node))
        entered = {
            id(item.context_expr)
            for node in nodes
            if isinstance(node, ast.With | ast.AsyncWith)
            for item in node.items
        } | {id(node.value) for node in nodes if isinstance(node, ast.Await)}
        verbs = [
            node.func.attr.upper()
            for node in sorted(
                (n for n in nodes if isinstance(n, ast.Call)),
                key=lambda n: (n.lineno, n.col_offset),
            )
            if id(node) in entered
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _HTTP_VERBS
        ]
        if verbs:
            yields = any(isinstance(n, ast.Yield | ast.YieldFrom) for n in nodes)
            found.append((member, verbs, yields))
    return found


def _method_sentence(method: griffe.Function, verbs: list[str], streams: bool) -> Sentence:
    requests = ", then ".join(f"a {verb} request" for verb in dict.fromkeys(verbs))
    kind = "class-method " if "classmethod" in method.labels else ""
    if streams:
        shape = "async generator" if "async" in method.labels or _is_async(method) else "generator"
        return sentence(
            f"{{m}} is a {kind}{shape}: it sends {requests} and yields the results as they "
            "arrive (streaming).",
            m=method.name,
        )
    return sentence(f"{{m}} sends {requests}.", m=method.name)


def _is_async(method: griffe.Function) -> bool:
    parsed = parse_object(method)
    return parsed is not None and isinstance(parsed.node, ast.AsyncFunctionDef)
