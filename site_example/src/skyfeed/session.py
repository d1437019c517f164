"""A synchronous session that records what was fetched."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


class FeedSession:
    """Keep a log of station fetches for the duration of a `with` block.

    Args:
        name: A label used in log messages.
        max_requests: How many fetches are allowed before the session refuses more.

    Example:
        ```python
        from skyfeed import FeedSession

        with FeedSession("nightly") as session:
            session.record("EGLL")
        print(session.fetched)
        ```
    """

    def __init__(self, name: str, max_requests: int = 100) -> None:
        self.name = name
        self.max_requests = max_requests
        self.fetched: list[str] = []
        self.started_at: float | None = None

    def __enter__(self) -> FeedSession:
        self.started_at = time.monotonic()
        logger.info("session %s opened", self.name)
        return self

    def __exit__(self, *exc_info: object) -> None:
        elapsed = time.monotonic() - (self.started_at or 0.0)
        logger.info("session %s closed after %.1fs", self.name, elapsed)

    def record(self, station: str) -> int:
        """Record one fetch of `station`.

        Args:
            station: ICAO code of the station.

        Returns:
            How many fetches the session has recorded.

        Raises:
            RuntimeError: When `max_requests` is reached.
        """
        if len(self.fetched) >= self.max_requests:
            raise RuntimeError(f"session {self.name} reached {self.max_requests} requests")
        self.fetched.append(station)
        return len(self.fetched)
