"""Does an author's comment name what the code below it does?

A comment above a statement titles its step: it is the author's intent. A stale comment
("Send join request" above a call that predicts) would put words on the page that no line
of code backs, so a comment that names an action the code does not show is quoted as the
author's, after the step's own sentence, instead of titling it.
"""

from __future__ import annotations

import re

from mkdocs_howto.facts import Sentence

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
    the step's sentence shows."""
    haystack = (code + "\n" + _plain(narrated)).lower()
    for url in _URL.findall(comment):
        if url.rstrip(".,;:").lower() not in haystack:
            return True
    first = _FIRST_WORD.match(comment.strip())
    if first is None:
        return False
    stems = ACTION_VERBS.get(first.group(0).lower())
    return stems is not None and not any(stem in haystack for stem in stems)


def _plain(text: Sentence) -> str:
    return "".join(segment.value for segment in text)
