"""A minimal asyncio HTTP/1.1 client: just enough for the feed (no third-party dependency)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit


class Response:
    def __init__(self, status: int, reader: asyncio.StreamReader) -> None:
        self.status = status
        self.content = _Lines(reader)

    async def json(self) -> Any:
        body = b"".join([line async for line in self.content])
        return json.loads(body)

    async def __aenter__(self) -> Response:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None


class _Lines:
    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._lines()

    async def _lines(self) -> AsyncIterator[bytes]:
        while line := await self._reader.readline():
            yield line


class HttpSession:
    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout

    async def __aenter__(self) -> HttpSession:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def post(self, url: str, *, headers: dict[str, str], json: Any) -> _Request:
        return _Request(self, "POST", url, headers, body=_dump(json))

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> _Request:
        return _Request(self, "GET", url, headers or {}, body=b"")


class _Request:
    def __init__(self, session: HttpSession, method: str, url: str, headers: dict[str, str],
                 body: bytes) -> None:
        self.session, self.method, self.url = session, method, url
        self.headers, self.body = headers, body

    async def __aenter__(self) -> Response:
        parts = urlsplit(self.url)
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname, parts.port or 443, ssl=parts.scheme == "https"),
            self.session.timeout,
        )
        head = [f"{self.method} {parts.path or '/'} HTTP/1.1", f"Host: {parts.hostname}"]
        head += [f"{name}: {value}" for name, value in self.headers.items()]
        head.append(f"Content-Length: {len(self.body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("ascii") + self.body)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        while (await reader.readline()).strip():
            continue  # skip the response headers
        return Response(status, reader)

    async def __aexit__(self, *exc_info: object) -> None:
        return None


def _dump(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8")
