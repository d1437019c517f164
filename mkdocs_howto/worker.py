"""Work done in a forked worker process, its results used by the parent as they arrive.

MkDocs renders on one core, and needs a generated page's Markdown only when it reads that
page: a child forked before the packages are loaded sends the site's outline (page places,
nav) as soon as it has it, then each page, while the parent reads and converts the pages it
already has. On two cores the analysis then costs the build little more than the loading
(bench/RESULTS.md), and the loaded tree lives in the child only.

Nothing is pickled on the way in (a fork); the child sends back named values (`send(key,
value)`), its log records and a final result. The records are logged by the parent once the
child is done (MkDocs counts warnings for `--strict` in the parent). If the child stops early,
the parent does the same work itself and logs only its own records: the values and the
warnings are the same either way.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar, cast

Result = TypeVar("Result")
Send = Callable[[str, Any], None]
"""Sends one named value (a page: URI, Markdown) to whoever waits for it."""
#: How long `stop` waits for the child to end after SIGTERM before it kills it.
STOP_GRACE_SECONDS = 5.0


def can_fork() -> bool:
    """Whether forking this process is safe: Linux (elsewhere system libraries may not
    survive a fork; macOS's Python spawns by default) and no other thread running (a fork
    copies only the calling thread, and any lock another thread holds stays locked)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Worker(Generic[Result]):
    """`work(send)` running in a forked child; `get(key)` waits for a value it sends.

    Exceptions of the `errors` types raised by `work` in the child are raised again by
    `get` and `finish` (they are the user's errors, such as a broken template); any other
    end of the child has the parent run `work` itself.
    """

    def __init__(
        self,
        work: Callable[[Send], Result],
        *,
        errors: tuple[type[Exception], ...] = (),
        loggers: tuple[str, ...] = (),
    ) -> None:
        """Fork the child; `loggers` are those whose handlers print or count in the parent
        (MkDocs' `mkdocs`): in the child their records only go to the parent."""
        self._work = work
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # or both processes write what they hold
            stream.flush()
        self._process = context.Process(
            target=_child,
            args=(work, receiver, sender, loggers, errors),
            name="mkdocs-howto",
            daemon=True,
        )
        try:
            self._process.start()
        except BaseException:
            receiver.close()
            raise
        finally:  # the child has its copies; the parent sees EOF once the child's is closed
            sender.close()
        self._receiver = receiver
        self._changed = threading.Condition()
        self._values: dict[str, Any] = {}
        self._records: list[tuple[str, int, str]] = []
        self._outcome: tuple[str, Any] | None = None
        """("done", result), ("raise", exception) or ("failed", why), once the child ends."""
        self._redone: dict[str, Any] | None = None
        self._stopped = False
        self.failure: str | None = None
        """Why the child's work was done again here (the child's traceback), if it was."""
        self.waited = 0.0
        """Seconds the caller spent waiting for values or the result (the work done here
        after a failure included): what the worker did not hide."""
        # Drained all the time, not only when a value is asked for: a full pipe would stop the
        # child while MkDocs converts pages.
        self._reader = threading.Thread(target=self._drain, name="mkdocs-howto", daemon=True)
        self._reader.start()

    def get(self, key: str, meanwhile: Callable[[], bool] | None = None) -> Any:
        """The value sent as `key`, waiting for the child to send it; until it arrives,
        `meanwhile()` is called again and again (one small piece of other work each time,
        False once none is left)."""
        start = time.perf_counter()
        try:
            while meanwhile is not None and not self._arrived(key) and meanwhile():
                pass
            with self._changed:
                self._changed.wait_for(lambda: self._has(key))
                if key in self._values:
                    return self._values[key]
            self._settle()
            if self._redone is None:  # the child ended without sending it
                raise KeyError(key)
            return self._redone[key]
        finally:
            self.waited += time.perf_counter() - start

    def _arrived(self, key: str) -> bool:
        with self._changed:
            return self._has(key)

    def _has(self, key: str) -> bool:
        """Whether `key` was sent, or the child has ended (it will send nothing more); the
        caller holds `_changed`."""
        return key in self._values or self._outcome is not None

    def finish(self) -> Result:
        """The result, once the child is done and its records are logged; or the result of
        the same work done here when the child failed."""
        start = time.perf_counter()
        try:
            with self._changed:
                self._changed.wait_for(lambda: self._outcome is not None)
            _, value = self._settle()
            self._log_records()
            return cast(Result, value)
        finally:
            self.waited += time.perf_counter() - start

    def join(self) -> None:
        """Wait for the child to end (its result or failure stays for `finish`): afterwards
        this process runs no thread of the worker's, and may fork again."""
        start = time.perf_counter()
        try:
            with self._changed:
                self._changed.wait_for(lambda: self._outcome is not None)
            self._close()
        finally:
            self.waited += time.perf_counter() - start

    def stop(self) -> None:
        """End the child now (the build failed); nothing can be asked of it afterwards."""
        self._stopped = True
        if self._process.is_alive():
            self._process.terminate()  # SIGTERM: the child's `finally` blocks run
            self._process.join(STOP_GRACE_SECONDS)
        if self._process.is_alive():
            self._process.kill()
        self._close()
        self._log_records()  # what the child said before the build failed may explain it

    def _settle(self) -> tuple[str, Any]:
        """The child's outcome (it has ended), with the work redone here if the child failed."""
        if self._stopped:
            raise RuntimeError("the worker was stopped")
        assert self._outcome is not None
        self._close()
        kind, value = self._outcome
        if kind == "raise":
            self._log_records()  # its warnings may explain the error
            raise value
        if kind == "failed" and self._redone is None:
            self.failure = value
            values: dict[str, Any] = {}
            self._outcome = ("done", self._work(values.__setitem__))
            self._redone = values
        return self._outcome

    def _log_records(self) -> None:
        """Log the child's records here, once; not those of work that was done again."""
        if self._redone is None:
            for name, level, text in self._records:
                logging.getLogger(name).log(level, "%s", text)
        self._records = []

    def _close(self) -> None:
        self._process.join()
        self._reader.join()
        self._receiver.close()

    def _drain(self) -> None:
        outcome: tuple[str, Any]
        try:
            while True:
                message = self._receiver.recv()
                if message[0] == "value":
                    with self._changed:
                        self._values[message[1]] = message[2]
                        self._changed.notify_all()
                elif message[0] == "log":
                    self._records.append(message[1:])
                else:
                    outcome = message
                    break
        except (EOFError, OSError):
            self._process.join(STOP_GRACE_SECONDS)
            outcome = ("failed", f"the worker stopped (exit code {self._process.exitcode})")
        except BaseException:  # an unpicklable message, no memory: never leave get() waiting
            outcome = ("failed", traceback.format_exc())
        with self._changed:
            self._outcome = self._outcome or outcome
            self._changed.notify_all()


class _Forward(logging.Handler):
    """In the child: every record goes to the parent, which logs it there."""

    def __init__(self, sender: Connection) -> None:
        super().__init__()
        self.sender = sender

    def emit(self, record: logging.LogRecord) -> None:
        self.sender.send(("log", record.name, record.levelno, record.getMessage()))


def _child(
    work: Callable[[Send], Result],
    receiver: Connection,
    sender: Connection,
    loggers: tuple[str, ...],
    errors: tuple[type[Exception], ...],
) -> None:
    # The parent's end, or a child whose parent was killed would never see a broken pipe.
    receiver.close()
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    # Every record reaches the root logger once, and goes to the parent from there.
    logging.getLogger().handlers = [_Forward(sender)]
    for name in loggers:
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = [], True
    try:
        try:
            outcome: tuple[str, Any] = ("done", work(lambda k, v: sender.send(("value", k, v))))
        except errors as error:
            outcome = ("raise", error)
        sender.send(outcome)
    except BaseException:  # the parent redoes the work and meets the same error, if any
        sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(1)  # unwinds `finally` blocks (temporary files, example subprocesses)
