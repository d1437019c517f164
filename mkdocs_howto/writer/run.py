"""Ask the model for every object whose answer is not cached: bounded concurrency, retries
with backoff on 429 and 5xx, every call for one object within `timeout x max_retries`, each
answer checked and written to the cache as it arrives (Ctrl-C keeps the finished ones)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from mkdocs_howto.facts import Prose
from mkdocs_howto.writer import Grounding, LlmOptions, Rejection, Subject, WriteResult, check
from mkdocs_howto.writer import prompt as prompts
from mkdocs_howto.writer.store import AnswerStore, Entry, key_of

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletionMessageParam

_BACKOFF = 0.5
"""Seconds before the first retry; doubled for each next one (or the server's Retry-After)."""


class Unanswered(Exception):
    """The server gave no usable answer within the object's time (status, timeout)."""


@dataclass(frozen=True)
class _Job:
    subject: Subject
    asked: list[prompts.Message]
    key: str


@dataclass(frozen=True)
class _Checked:
    """One answer: its prose when every check passed, else what failed."""

    prose: Prose | None
    errors: list[str]
    answer: str


class ProseWriter:
    """Writes model prose for a build's objects (`write`), from the cache where it can."""

    def __init__(self, options: LlmOptions) -> None:
        self.options = options
        self.store = AnswerStore(options.cache_dir)

    def write(self, subjects: list[Subject], grounding: Grounding) -> WriteResult:
        start = time.perf_counter()
        result = WriteResult()
        jobs = []
        for subject in subjects:
            if not self.options.wanted(subject.howto.public_path):
                continue
            job = self._job(subject)
            entry = self.store.get(subject.howto.public_path, job.key)
            if entry is None:
                jobs.append(job)
            else:
                result.cached += 1
                _record(result, entry)
        api_key = os.environ.get(self.options.api_key_env, "")
        if jobs and not api_key:
            result.fatal = self._no_key(len(jobs))
        elif jobs and importlib.util.find_spec("openai") is None:
            result.fatal = (
                f"writer: llm needs the openai package for {len(jobs)} object(s) without a "
                'cached answer: pip install "mkdocs-howto[llm]"'
            )
        elif jobs and self.options.background:
            _BACKGROUND.start(_Run(self, grounding, WriteResult(), api_key), jobs, result)
        elif jobs:
            run = _Run(self, grounding, result, api_key)
            try:
                asyncio.run(run.all(jobs))
            finally:
                run.progress_done()
        if self.options.background:
            result.unreachable = _BACKGROUND.take_notice()
        result.seconds = time.perf_counter() - start
        return result

    def _job(self, subject: Subject) -> _Job:
        options = self.options
        asked = prompts.messages(subject, options.language, options.vague_terms)
        key = key_of(
            options.model,
            str(prompts.PROMPT_VERSION),
            options.language,
            json.dumps(asked, ensure_ascii=False),
        )
        return _Job(subject, asked, key)

    def _no_key(self, missing: int) -> str:
        return (
            f"writer: llm needs an API key for {missing} object(s) without a cached answer "
            f"in {self.options.cache_dir}: set the environment variable "
            f"{self.options.api_key_env} (the `llm.api_key_env` option names it; a local "
            "server takes any value)"
        )


class _Background:
    """`mkdocs serve`'s answers: asked in a thread while the static pages are served. A key
    already being asked for is not asked again by the rebuilds its answers trigger."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.asking: set[str] = set()
        self.notice: str | None = None

    def start(self, run: _Run, jobs: list[_Job], result: WriteResult) -> None:
        with self.lock:
            jobs = [job for job in jobs if job.key not in self.asking]
            self.asking.update(job.key for job in jobs)
        result.waiting = len(jobs)
        if jobs:
            run.show_progress = False  # the serve log is not a terminal line to redraw
            threading.Thread(target=self._ask, args=(run, jobs), daemon=True).start()

    def _ask(self, run: _Run, jobs: list[_Job]) -> None:
        try:
            asyncio.run(run.all(jobs))
        finally:
            with self.lock:
                self.asking.difference_update(job.key for job in jobs)
                if run.result.unreachable is not None:
                    self.notice = f"{run.result.unreachable}; asked again at the next rebuild"
                    run.result.skipped.clear()

    def take_notice(self) -> str | None:
        with self.lock:
            notice, self.notice = self.notice, None
        return notice


_BACKGROUND = _Background()


def _record(result: WriteResult, entry: Entry) -> None:
    if entry.prose is not None:
        result.prose[entry.public_path] = entry.prose
    else:
        result.rejected.append(Rejection(entry.public_path, entry.rejected))


class _Run:
    """One build's calls: shared client, semaphore, counts and the circuit breaker."""

    def __init__(
        self, writer: ProseWriter, grounding: Grounding, result: WriteResult, api_key: str
    ) -> None:
        self.options, self.store, self.grounding = writer.options, writer.store, grounding
        self.result, self.api_key = result, api_key
        self.total, self.done = 0, 0
        self.show_progress = sys.stderr.isatty()

    async def all(self, jobs: list[_Job]) -> None:
        self.total = len(jobs)
        import openai  # noqa: PLC0415 (the `llm` extra: imported only when a model is called)

        client = openai.AsyncOpenAI(
            api_key=self.api_key,
            base_url=self.options.base_url,
            max_retries=0,  # retried here, within the object's time
            timeout=self.options.timeout,
        )
        limit = asyncio.Semaphore(self.options.concurrency)

        async def one(job: _Job) -> None:
            async with limit:
                await self.one(client, job)
            self.progress()

        try:
            await asyncio.gather(*(one(job) for job in jobs))
        finally:
            await client.close()

    async def one(self, client: openai.AsyncOpenAI, job: _Job) -> None:
        path = job.subject.howto.public_path
        if self.result.unreachable is not None:
            self.result.skipped.append(path)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.options.timeout * self.options.max_retries
        try:
            checked = await self.ask(client, job.asked, job.subject, deadline)
            if checked.errors:  # the one repair round
                again = prompts.repair(job.asked, checked.answer, checked.errors)
                checked = await self.ask(client, again, job.subject, deadline)
        except Unanswered as error:
            self.result.unreachable = self.result.unreachable or str(error)
            self.result.skipped.append(path)
            return
        entry = Entry(
            job.key,
            path,
            self.options.model,
            self.options.language,
            prompts.PROMPT_VERSION,
            checked.prose,
            _reason(checked.errors) if checked.errors else "",
        )
        self.store.put(entry)  # now: an interrupted build keeps it
        _record(self.result, entry)

    async def ask(
        self,
        client: openai.AsyncOpenAI,
        messages: list[prompts.Message],
        subject: Subject,
        deadline: float,
    ) -> _Checked:
        answer = await self.call(client, messages, deadline)
        try:
            prose = check.parse(answer, self.options.model)
        except check.AnswerError as error:
            return _Checked(None, [str(error)], answer)
        errors = check.problems(prose, subject, self.grounding, self.options.vague_terms)
        if not errors and prose.example and self.grounding.run is not None:
            # `verify_examples: run`: in a thread, the other answers go on meanwhile
            ran = await asyncio.to_thread(self.grounding.run, prose.example)
            errors = [f"example: {problem}" for problem in ran]
            prose = replace(prose, example_ran=True)
        return _Checked(None if errors else prose, errors, answer)

    async def call(
        self, client: openai.AsyncOpenAI, messages: list[prompts.Message], deadline: float
    ) -> str:
        import openai  # noqa: PLC0415

        loop = asyncio.get_running_loop()
        budget = self.options.timeout * self.options.max_retries
        for attempt in range(1, self.options.max_retries + 1):
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            self.result.calls += 1
            try:
                response = await client.chat.completions.create(
                    model=self.options.model,
                    messages=cast("list[ChatCompletionMessageParam]", messages),
                    temperature=self.options.temperature,
                    response_format={"type": "json_object"},
                    timeout=min(self.options.timeout, remaining),
                )
            except (openai.RateLimitError, openai.InternalServerError) as error:
                reason = f"HTTP {error.status_code}"
                wait = _retry_after(error.response.headers.get("retry-after"))
            except openai.APITimeoutError:
                reason, wait = "timed out", 0.0  # slow, not overloaded: the time is spent
            except openai.APIConnectionError:
                reason, wait = "unreachable", None
            except openai.APIStatusError as error:  # 400, 401, 404: asking again cannot help
                raise Unanswered(f"HTTP {error.status_code}: {_message(error)}") from None
            else:
                if response.usage is not None:
                    self.result.tokens += response.usage.total_tokens
                return (response.choices[0].message.content or "") if response.choices else ""
            if attempt == self.options.max_retries:
                raise Unanswered(f"{reason} ({attempt} attempts)")
            pause = wait if wait is not None else _BACKOFF * 2 ** (attempt - 1)
            await asyncio.sleep(max(0.0, min(pause, deadline - loop.time())))
        raise Unanswered(f"no answer within {budget:g} s (timeout x max_retries)")

    def progress(self) -> None:
        self.done += 1
        if self.show_progress and self.total > 1:
            filled = 30 * self.done // self.total
            bar = "#" * filled + "-" * (30 - filled)
            sys.stderr.write(f"\rhowto: model prose [{bar}] {self.done}/{self.total}")
            sys.stderr.flush()

    def progress_done(self) -> None:
        if self.show_progress and self.total > 1:
            sys.stderr.write("\n")


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _reason(errors: list[str]) -> str:
    return "; ".join(errors)


def _message(error: openai.APIStatusError) -> str:
    """The server's own message (`{"error": {"message": ...}}`), else the SDK's."""
    body = error.body
    said = body.get("message") if isinstance(body, dict) else None
    line = " ".join(str(said or error.message).split())
    return line if len(line) <= 120 else line[:117] + "..."
