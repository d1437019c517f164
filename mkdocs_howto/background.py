"""Pages written in a forked worker process while MkDocs reads and renders the others.

MkDocs renders on one core. Once the packages are loaded and every page has its place,
MkDocs needs a page's Markdown only when it reads that page, so a child forked at that point
can analyze and render while the parent converts the pages it already has: on two cores the
analysis costs the build almost nothing (bench/RESULTS.md).

The child inherits the loaded tree (a fork, nothing pickled on the way in) and sends back each
page, every log record of the loggers it is told to forward (so `--strict` counts the child's
warnings in the parent, where MkDocs counts them) and a final result. If it stops early, the
parent runs the same work itself: the pages are the same either way.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

Result = TypeVar("Result")
PageSink = Callable[[str, str], None]
"""Receives each page (URI, Markdown) as soon as it is written."""


def can_fork() -> bool:
    """Whether forking this process is safe: Linux (elsewhere system libraries may not
    survive a fork; macOS's Python spawns by default) and no other thread running (a fork
    copies only the calling thread, and any lock another thread holds stays locked)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Background(Generic[Result]):
    """`write(sink)` running in a forked child; `page(uri)` waits for one of its pages."""

    def __init__(self, write: Callable[[PageSink], Result], loggers: tuple[str, ...]) -> None:
        self._write = write
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # or the child prints what they hold again
            stream.flush()
        self._process = context.Process(
            target=_child, args=(write, sender, loggers), name="mkdocs-howto", daemon=True
        )
        self._process.start()
        sender.close()  # the child's end: the parent sees EOF when the child dies
        self._receiver = receiver
        self._pages: dict[str, str] = {}
        self._changed = threading.Condition()
        self._result: tuple[Result] | None = None
        self.failure: str | None = None
        """Why the child's work was redone here, if it was."""
        self._fallback: dict[str, str] | None = None
        # Drained all the time, not only when a page is asked for: a full pipe would stop the
        # child while MkDocs converts other pages.
        self._reader = threading.Thread(target=self._drain, name="mkdocs-howto-pages", daemon=True)
        self._reader.start()

    def page(self, uri: str) -> str:
        """The Markdown of `uri`, waiting for the child to write it."""
        with self._changed:
            self._changed.wait_for(lambda: uri in self._pages or self._stopped)
            if uri in self._pages:
                return self._pages[uri]
            if self.failure is None:  # the child finished without it: there is no such page
                raise KeyError(uri)
        return self._written_here()[uri]

    def finish(self) -> Result:
        """The child's result once it is done (its records all logged), or the same work's
        result done here when the child failed."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopped)
        self._close()
        if self._result is None:
            self._written_here()
        assert self._result is not None
        return self._result[0]

    def stop(self) -> None:
        """End the child now (the build failed)."""
        if self._process.is_alive():
            self._process.terminate()
        self._close()

    @property
    def _stopped(self) -> bool:
        return self._result is not None or self.failure is not None

    def _written_here(self) -> dict[str, str]:
        if self._fallback is None:
            self._close()
            pages: dict[str, str] = {}
            self._result = (self._write(pages.__setitem__),)
            self._fallback = pages
        return self._fallback

    def _close(self) -> None:
        self._process.join()
        self._reader.join()
        self._receiver.close()

    def _drain(self) -> None:
        while True:
            try:
                message = self._receiver.recv()
            except (EOFError, OSError):
                self._process.join(timeout=5)
                message = ("failed", f"the worker stopped (exit code {self._process.exitcode})")
            kind = message[0]
            if kind == "log":
                _, name, level, text = message
                logging.getLogger(name).log(level, "%s", text)
                continue
            with self._changed:
                if kind == "page":
                    self._pages[message[1]] = message[2]
                elif kind == "done":
                    self._result = (message[1],)
                else:
                    self.failure = message[1]
                self._changed.notify_all()
            if kind != "page":
                return


class _Forward(logging.Handler):
    """In the child: every record goes to the parent, which logs it there."""

    def __init__(self, sender: Connection) -> None:
        super().__init__()
        self.sender = sender

    def emit(self, record: logging.LogRecord) -> None:
        self.sender.send(("log", record.name, record.levelno, record.getMessage()))


def _child(
    write: Callable[[PageSink], Result], sender: Connection, loggers: tuple[str, ...]
) -> None:
    # Every record reaches the root logger once, and goes to the parent from there: the
    # `loggers` lose the handlers that print or count in the parent (MkDocs' own).
    logging.getLogger().handlers = [_Forward(sender)]
    for name in loggers:
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = [], True
    try:
        result = write(lambda uri, markdown: sender.send(("page", uri, markdown)))
        sender.send(("done", result))
    except BaseException:  # the parent redoes the work and meets the same error, if any
        sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()
