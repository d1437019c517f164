"""Does an author's comment name what the code below it does?

A comment above a statement titles its step: it is the author's intent. A stale comment
("Send join request" above a call that predicts) would put words on the page that no line
of code backs, so a comment that names an action the code does not show is quoted as the
author's, after the step's own sentence, instead of titling it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mkdocs_howto.docstrings import rest_to_plain
from mkdocs_howto.facts import Sentence, Step

#: Imperative verbs a comment opens with when it names an action; each with the stems that
#: show the action in code or in the narrator's sentence (`send` ↔ `sends`, `post`, `request`).
ACTION_VERBS: dict[str, tuple[str, ...]] = {
    "send": ("send", "post", "put", "request", "emit", "write", "push", "publish"),
    "post": ("post", "send", "request"),
    "fetch": ("fetch", "get", "request", "download", "read", "load"),
    "download": ("download", "fetch", "get", "request"),
    "upload": ("upload", "post", "put", "send"),
    "delete": ("delete", "remove", "unlink", "del ", "pop", "discard", "clear"),
    "remove": ("remove", "delete", "unlink", "del ", "pop", "discard", "clear"),
    "connect": ("connect", "open", "session", "socket"),
    "join": ("join",),
    "parse": ("parse", "load", "decode", "json", "split"),
    "validate": ("valid", "check", "assert", "raise", "verify"),
    "verify": ("verif", "valid", "check", "assert", "raise"),
    "save": ("save", "write", "dump", "store", "commit"),
    "write": ("write", "dump", "save", "print", "log"),
    "open": ("open", "connect", "session"),
    "close": ("close", "shutdown", "exit", "release"),
    "yield": ("yield",),
    "raise": ("raise",),
    "retry": ("retry", "retries", "attempt", "while", "for "),
    "sort": ("sort",),
    "encode": ("encode", "dump", "json"),
    "decode": ("decode", "load", "json"),
    "log": ("log", "warn", "print"),
    "print": ("print", "write", "echo", "log"),
}

_URL = re.compile(r"https?://[^\s'\"`)>]+")
_FIRST_WORD = re.compile(r"[A-Za-z]+")


def names_absent_action(comment: str, code: str, narrated: Sentence) -> bool:
    """True when the comment names a URL or an action verb that neither the covered code nor
    the step's sentence shows. A stem counts only at the start of a word (`put` in
    `requests.put` or `http_put`, not in "Computes")."""
    haystack = (code + "\n" + _plain(narrated)).lower()
    for url in _URL.findall(comment):
        if url.rstrip(".,;:").lower() not in haystack:
            return True
    first = _FIRST_WORD.match(comment.strip())
    if first is None:
        return False
    stems = ACTION_VERBS.get(first.group(0).lower())
    return stems is not None and not any(_word_start(stem).search(haystack) for stem in stems)


def _word_start(stem: str) -> re.Pattern[str]:
    # a letter before the stem makes it part of another word; `_`, `.` and digits do not
    return re.compile(r"(?<![a-z])" + re.escape(stem))


def comment_block_end(steps: Sequence[Step], start: int) -> int:
    """Where the block of the comment titling `steps[start]` ends (exclusive): at the next
    step with a comment of its own, the next blank line, or the end of the body. The title
    check and the phases both read a comment's reach from here."""
    end = start + 1
    while end < len(steps) and steps[end].title is None and not steps[end].gap_before:
        end += 1
    return end


def comment_title(lines: Sequence[str]) -> str:
    """A comment block as a title: lines an author wrapped run on as one sentence; a line
    break stays where a new sentence or a list item starts, and a bare `#` line parts
    paragraphs. reST roles show as their text (`:attr:`x`` -> x)."""
    paragraphs: list[str] = []
    for line in lines:
        text = rest_to_plain(line).strip()
        if text and paragraphs and paragraphs[-1] and _runs_on(paragraphs[-1], text):
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
    return "\n".join(paragraph for paragraph in paragraphs if paragraph)


def _runs_on(previous: str, text: str) -> bool:
    """True when `text` continues the sentence `previous` left open: it starts in lower case
    and is no list item, or with code or a bracket after a line that ends no sentence
    (a comment wrapped before a code span: "… in order to capture" / "`x` cases …"), or
    `previous` ends with a comma."""
    if _LIST_ITEM.match(text):
        return False
    inside = text[0] in "`([{'\"" and not previous.endswith((".", "!", "?", ":"))
    return text[0].islower() or inside or previous.endswith(",")


_LIST_ITEM = re.compile(r"([-*+]|\d+[.)])\s")


def _plain(text: Sentence) -> str:
    return "".join(segment.value for segment in text)
