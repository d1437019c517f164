"""Errors raised by skyfeed."""


class FeedError(RuntimeError):
    """The feed refused a request or closed the stream."""
