"""An OpenAI-compatible Chat Completions server on 127.0.0.1 for the writer's tests.

Each test scripts its answers: a list of `Reply` served in order (the last one repeated),
or a function of the request. It records every request so tests can count calls and read
what was asked. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a message `content` (HTTP 200) or an error `status`."""

    content: str = ""
    status: int = 200
    delay: float = 0.0
    """Seconds before the server answers (a slow model)."""
    headers: dict[str, str] = field(default_factory=dict)
    tokens: int = 100


def answer(description: str, steps: list[tuple[str, int, int]], example: str = "") -> Reply:
    """A reply whose content is the JSON the writer asks for."""
    data: dict[str, Any] = {
        "description": description,
        "steps": [{"text": text, "lines": [first, last]} for text, first, last in steps],
    }
    if example:
        data["example"] = example
    return Reply(json.dumps(data))


Script = Callable[[dict[str, Any], int], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # the default backlog of 5 drops connections a client opens at once (concurrency 8):
    # they come back a second later, which is the latency the bench measures
    request_queue_size = 128


class ModelServer:
    """Serves `POST /v1/chat/completions` from a script; `requests` holds each body."""

    def __init__(self, script: list[Reply] | Script) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []
        self.authorizations: list[str] = []
        self.lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), self._handler())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def reply_to(self, body: dict[str, Any]) -> Reply:
        with self.lock:
            self.requests.append(body)
            number = len(self.requests)
        if callable(self.script):
            return self.script(body, number)
        return self.script[min(number, len(self.script)) - 1]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.authorizations.append(self.headers.get("Authorization", ""))
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                reply = server.reply_to(body)
                time.sleep(reply.delay)
                if reply.status != 200:
                    error = {"error": {"message": f"scripted {reply.status}", "type": "test"}}
                    self._send(reply.status, error, reply.headers)
                    return
                self._send(200, _completion(body, reply), reply.headers)

            def _send(
                self, status: int, data: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                payload = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): nothing to answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    @contextmanager
    def running(self) -> Iterator[ModelServer]:
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()
            thread.join(5)


def _completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "test-model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": reply.tokens,
            "completion_tokens": 0,
            "total_tokens": reply.tokens,
        },
    }


def echo_answer(body: dict[str, Any]) -> str:
    """An answer with one step covering the whole object (every check passes)."""
    facts = body["messages"][1]["content"]
    name = facts.split("\n", 1)[0].removeprefix("Object: ").split(" ", 1)[0]
    marker = facts.index(", lines ", facts.index("Source ("))
    span = facts[marker + len(", lines ") :].split("):", 1)[0]
    first, _, last = span.partition("-")
    short = name.rsplit(".", 1)[-1]
    step = {"text": f"Runs the body of `{short}`.", "lines": [int(first), int(last)]}
    return json.dumps({"description": f"Documents `{short}`.", "steps": [step]})
