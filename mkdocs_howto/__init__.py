"""mkdocs-howto: task-oriented "how to use this code" pages for a Python package."""

from __future__ import annotations

__version__ = "0.1.0"
