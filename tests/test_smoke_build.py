"""The demo site builds strictly with MkDocs' own build and has one page per public object."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


def test_demo_site_builds_strict(demo_copy: Path) -> None:
    site_dir = demo_copy / "site"
    build(load_config(str(demo_copy / "mkdocs.yml"), site_dir=str(site_dir), strict=True))
    pages = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "howto").rglob("*.html"))
    assert "howto/skyfeed/StationFeed/index.html" in pages
    html = (site_dir / "howto/skyfeed/StationFeed/index.html").read_text(encoding="utf-8")
    for section in ("Description", "Execution Steps", "Usage Example"):
        assert section in html
