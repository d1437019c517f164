"""Execution Steps: one specific sentence per statement, nested like the code, with its lines."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from conftest import SITE_EXAMPLE, FlatStep, analyze, flatten, line_of

from mkdocs_howto.analyze.steps import StepNarrator

Package = Callable[[dict[str, str]], Path]
VAGUE = ("Gets", "Does", "Handles", "Processes", "Performs", "Manages")


def steps_of(package: Package, code: str, name: str = "f") -> tuple[Path, list[FlatStep]]:
    src = package({"pkg/__init__.py": code})
    return src, flatten(analyze(src, "pkg")[f"pkg.{name}"].steps)


def texts(steps: list[FlatStep]) -> list[str]:
    return [step.text for step in steps]


CALLS = """
import json
import logging
import uuid

import requests

logger = logging.getLogger(__name__)


def f(session, url, payload, raw):
    response = session.post(url, json=payload)
    requests.post(url)
    self_client = requests.Session()
    data = json.loads(raw)
    ticket = uuid.uuid4().hex[:12]
    ident = uuid.uuid4()
    logger.info("synced %s", ident)
    logger.exception("failed")
    print(data)
    return response
"""


def test_well_known_calls_get_specific_verbs(package: Package) -> None:
    _, steps = steps_of(package, CALLS)
    assert texts(steps) == [
        "Sends a POST request to `url` with `json=payload` and stores the result in `response`",
        "Sends a POST request to `url`",
        "Creates a `requests.Session` HTTP session and stores the result in `self_client`",
        "Parses `raw` as JSON and stores the result in `data`",
        "Generates a random UUID, takes `uuid.uuid4().hex[:12]` and stores it in `ticket`",
        "Generates a random UUID and stores the result in `ident`",
        "Logs `'synced %s'` at INFO level",
        "Logs `'failed'` as an error with its traceback",
        "Prints `data`",
        "Returns `response`",
    ]


def test_http_verbs_need_an_http_like_receiver(package: Package) -> None:
    code = "def f(cache, api):\n    cache.get('k')\n    api.get('/users')\n    api.delete('/u/1')\n"
    _, steps = steps_of(package, code)
    assert texts(steps) == [
        "Looks up `'k'` in `cache`",
        "Sends a GET request to `'/users'`",
        "Sends a DELETE request to `'/u/1'`",
    ]


def test_steps_carry_the_line_numbers_of_their_statements(package: Package) -> None:
    src, steps = steps_of(package, CALLS)
    expected = [
        line_of(src, "pkg/__init__.py", needle)
        for needle in (
            "session.post",
            "requests.post(url)",
            "requests.Session()",
            "json.loads",
            "ticket =",
            "ident =",
            "logger.info",
            "logger.exception",
            "print(data)",
            "return response",
        )
    ]
    assert [(step.lineno, step.endlineno) for step in steps] == [(n, n) for n in expected]


def test_comment_above_a_statement_becomes_its_title(package: Package) -> None:
    code = """
    import json


    def f(raw):
        # Decode the payload
        data = json.loads(raw)
        value = data["value"]  # trailing comments are not titles

        # noqa: E501
        # Hand it back
        return value
    """
    _, steps = steps_of(package, code)
    # a comment covers the statements up to the next blank line or comment: a phase
    assert [(step.depth, step.title, step.text) for step in steps] == [
        (0, "Decode the payload", ""),
        (1, None, "Parses `raw` as JSON and stores the result in `data`"),
        (1, None, "Reads `data['value']` into `value`"),
        (0, "Hand it back", "Returns `value`"),
    ]


def test_return_raise_and_yield(package: Package) -> None:
    code = """
    def f(items, limit):
        if not items:
            raise ValueError("no items")
        if limit < 0:
            raise
        for item in items:
            yield item
        yield
        yield from items
        return
    """
    _, steps = steps_of(package, code)
    assert texts(steps) == [
        "When `not items`, raises `ValueError` with `'no items'`",
        "When `limit < 0`, re-raises the exception it caught",
        "Iterates over `items`, one `item` at a time:",
        "Yields `item`",
        "Yields control without a value",
        "Yields every item of `items`",
        "Returns without a value",
    ]


LOOPS = """
async def f(items, stream, path, log):
    for item in items:
        if item is None:
            continue
        elif item == 1:
            log.warning("one")
        else:
            yield item
    async for chunk in stream:
        print(chunk)
    with open(path) as handle:
        handle.read()
    async with stream.lock() as held:
        await held.release()
    try:
        value = int(path)
    except ValueError as error:
        raise RuntimeError("bad") from error
    else:
        print(value)
    finally:
        log.debug("done")
"""


def test_compound_statements_nest_their_bodies(package: Package) -> None:
    _, steps = steps_of(package, LOOPS)
    assert [(step.depth, step.text) for step in steps] == [
        (0, "Iterates over `items`, one `item` at a time:"),
        (1, "Checks whether `item is None`:"),
        (2, "Skips to the next iteration (`continue`)"),
        # `elif` and `else` are siblings of their `if`, never children (issue 12)
        (1, "Otherwise, when `item == 1`:"),
        (2, "Logs `'one'` at WARNING level"),
        (1, "Otherwise:"),
        (2, "Yields `item`"),
        (0, "Iterates asynchronously over `stream`, one `chunk` at a time:"),
        (1, "Prints `chunk`"),
        (0, "Opens the file `path` (`with`, as `handle`):"),
        (1, "Reads the contents of `handle`"),
        (0, "Opens `stream.lock()` (`async with`, as `held`):"),
        (1, "Releases `held` (awaited)"),
        (0, "Tries the following, catching errors:"),
        (1, "Converts `path` to an integer and stores the result in `value`"),
        (1, "When `ValueError` is raised:"),
        (2, "Raises `RuntimeError` with `'bad'`"),
        (1, "When nothing was raised:"),
        (2, "Prints `value`"),
        (1, "Finally, in every case:"),
        (2, "Logs `'done'` at DEBUG level"),
    ]


def test_compound_statements_span_their_lines(package: Package) -> None:
    src, steps = steps_of(package, LOOPS)

    def line(needle: str) -> int:
        return line_of(src, "pkg/__init__.py", needle)

    spans = {step.text: (step.lineno, step.endlineno) for step in steps}
    assert spans["Iterates over `items`, one `item` at a time:"] == (
        line("for item"),
        line("yield item"),
    )
    # the `if` spans its own body; its `elif` and `else` are steps of their own
    assert spans["Checks whether `item is None`:"] == (line("if item is None"), line("continue"))
    assert spans["Skips to the next iteration (`continue`)"] == (line("continue"),) * 2
    assert spans["Otherwise:"][1] == line("yield item")
    assert spans["Opens the file `path` (`with`, as `handle`):"] == (
        line("with open"),
        line("handle.read"),
    )
    assert spans["Tries the following, catching errors:"] == (line("try:"), line("log.debug"))
    assert spans["When `ValueError` is raised:"] == (line("except ValueError"), line("from error"))
    assert spans["Finally, in every case:"] == (line("log.debug"),) * 2


def test_elif_step_spans_only_its_own_branch(package: Package) -> None:
    src, steps = steps_of(package, LOOPS)
    [elif_step] = [step for step in steps if step.text == "Otherwise, when `item == 1`:"]
    assert (elif_step.lineno, elif_step.endlineno) == (
        line_of(src, "pkg/__init__.py", "elif item == 1"),
        line_of(src, "pkg/__init__.py", 'log.warning("one")'),
    )


def test_method_steps_keep_the_file_line_numbers(package: Package) -> None:
    src = package(
        {
            "pkg/__init__.py": """
            import functools


            class Box:
                size = 3

                def __init__(self, owner: str) -> None:
                    # Remember the owner
                    self.owner = owner

                @functools.cache
                def label(self) -> str:
                    return self.owner.upper()
            """
        }
    )
    howto = analyze(src, "pkg")["pkg.Box"]
    phases = {phase.anchor: flatten(phase.steps) for phase in howto.phases}

    def line(needle: str) -> int:
        return line_of(src, "pkg/__init__.py", needle)

    assert phases == {
        "class-attributes": [
            FlatStep(0, line("size = 3"), line("size = 3"), None, "Sets `size` to `3`")
        ],
        "init-special": [
            FlatStep(
                0,
                line("self.owner = owner"),
                line("self.owner = owner"),
                "Remember the owner",
                "Stores `owner` in `self.owner`",
            )
        ],
        "label": [
            FlatStep(
                0, line("return self"), line("return self"), None, "Returns `self.owner.upper()`"
            )
        ],
    }


def test_no_step_starts_with_a_vague_verb(package: Package) -> None:
    code = """
    def f(cache, items, event, handler):
        value = cache.get("key")
        user = get_user(42)
        handle_event(event)
        do_work()
        process_items(items)
        handler.handle(event)
        items.get(0)
        return value, user
    """
    _, steps = steps_of(package, code)
    assert len(steps) == 8
    for step in steps:
        assert not step.text.startswith(VAGUE), step.text


def test_demo_package_steps_use_no_vague_verb() -> None:
    howtos = analyze(SITE_EXAMPLE / "src", "skyfeed")
    steps = [
        step
        for howto in howtos.values()
        for group in (howto.steps, *(phase.steps for phase in howto.phases))
        for step in flatten(group)
    ]
    assert len(steps) > 40
    for step in steps:
        if not step.text:  # a phase: named by the author's comment, holding the steps
            assert step.title, step
            continue
        assert not step.text.startswith(VAGUE), step.text
        assert step.text[0].isupper() or step.text[0] == "`", step.text


def test_extra_lexicon_entries_override_the_fallback() -> None:
    tree = ast.parse("charge(card, 10)\nledger.post_entry(x)\n")
    narrator = StepNarrator(extra_calls={"charge": "Charges {arg1} to {arg0}"})
    steps = flatten(narrator.narrate(tree.body))
    assert texts(steps) == ["Charges `10` to `card`", "Posts the entry with `ledger.post_entry(x)`"]


def test_demo_streaming_client_names_every_action_in_order() -> None:
    """Issue 3's bar: the demo's classmethod async generator, action by action."""
    howto = analyze(SITE_EXAMPLE / "src", "skyfeed")["skyfeed.StationFeed"]
    phase = next(p for p in howto.phases if p.anchor == "readings")
    texts_in_order = [step.text for step in flatten(phase.steps)]
    expected = [
        "Generates a random UUID",
        "Builds the `headers` dictionary",
        "Builds the `payload` dictionary",
        "Opens `HttpSession(timeout=timeout)` (`async with`, as `session`)",
        "Builds the string `subscribe_url` from `f'{cls.base_url}/subscribe'`",
        "Sends a POST request to `subscribe_url` with `headers=headers, json=payload`",
        "When `resp.status != 200`, raises `FeedError`",
        "Parses the JSON body of `resp`",
        "Sends a GET request to `f'{cls.base_url}/stream/{stream_id}'`",
        "Iterates asynchronously over `resp.content`",
        "Decodes `raw` from `'utf-8'`",
        "When `not line.startswith('data: ')`, skips to the next iteration",
        "Parses `line[6:]` as JSON",
        "When `json.JSONDecodeError` is raised",
        "Checks whether `event.get('type') == 'reading'`",
        "Yields `event['value']`",
        "Otherwise, when `event.get('type') == 'closed'`",
        "Stops the loop",
    ]
    position = 0
    for wanted in expected:
        found = next(
            (i for i, text in enumerate(texts_in_order[position:], position) if wanted in text),
            None,
        )
        assert found is not None, f"{wanted!r} missing after step {position}: {texts_in_order}"
        position = found + 1
