"""Work done once: each source file parsed once per build (by Griffe), templates compiled once
per process while they do not change."""

from __future__ import annotations

import ast
import gc
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import generate, load
from mkdocs.config import load_config

from mkdocs_howto.analyze.code import parse_object
from mkdocs_howto.plugin import HowToPlugin
from mkdocs_howto.render import Renderer

Package = Callable[[dict[str, str]], Path]

MODULE = """
class Client:
    \"\"\"A client.\"\"\"

    def get(self, key: str) -> str:
        # Look the key up.
        return key.upper()

    if True:
        def put(self, key: str) -> None:
            pass


def fetch(url: str) -> str:
    return url
\f

def after_a_form_feed(url: str) -> str:
    \"\"\"Python counts no line at a form feed; `str.splitlines` does.\"\"\"
    return url.strip()


def with_a_form_feed_inside(url: str) -> str:
    text = url.strip()
\f
    # Lower-case the address.
    return text.lower()
"""


def test_analysis_reuses_the_trees_griffe_parsed(
    package: Package, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = package({"pkg/__init__.py": "", "pkg/client.py": MODULE})
    api = load(src, "pkg")
    parses: list[str] = []
    real_parse = ast.parse

    def counting_parse(source: str, *args: object, **kwargs: object) -> ast.AST:
        parses.append(source)
        return real_parse(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ast, "parse", counting_parse)
    client = next(item.obj for item in api.objects if item.name == "Client")
    parsed = parse_object(client)
    method = parse_object(client.members["get"])  # type: ignore[arg-type]
    nested = parse_object(client.members["put"])  # type: ignore[arg-type]
    assert parses == []
    assert parsed is not None and isinstance(parsed.node, ast.ClassDef)
    assert method is not None and method.comments == {5: "Look the key up."}
    assert nested is not None and nested.node.name == "put"


def test_pages_are_the_same_with_and_without_griffes_trees(
    package: Package, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = MODULE.replace("\f\n", "\f\n# a separator \x1c in a comment\n", 1)
    src = package({"pkg/__init__.py": "", "pkg/client.py": module})
    reused = generate(src, "pkg").pages
    page = reused["howto/pkg/client/after_a_form_feed.md"]
    assert "1. Returns `url.strip()`" in page  # its steps were found
    assert "lines 18\u201320" in page and "    def after_a_form_feed(url: str) -> str:\n" in page
    inside = reused["howto/pkg/client/with_a_form_feed_inside.md"]
    assert "**Lower-case the address.** Returns `text.lower()`" in inside  # titles its step
    monkeypatch.setattr("mkdocs_howto.sources._KeepTrees.on_module_node", lambda *a, **k: None)
    assert generate(src, "pkg").pages == reused


def test_a_load_leaves_nothing_that_keeps_its_tree_alive(package: Package) -> None:
    """Griffe's dataclasses extension memoizes per class (`release_griffe_memos`): without
    the release, every tree loaded by a `serve` process would stay in memory."""
    src = package(
        {
            "pkg/__init__.py": "from dataclasses import dataclass\n\n\n"
            "@dataclass\nclass Point:\n    x: int = 0\n",
        }
    )
    root = weakref.ref(load(src, "pkg").roots[0])
    gc.collect()
    assert root() is None


def test_rebuilds_reuse_the_templates_until_a_template_file_changes(demo_copy: Path) -> None:
    templates = demo_copy / "templates"
    (templates / "partials").mkdir(parents=True)
    builtin = Path(__file__).parent.parent / "mkdocs_howto/templates"
    (templates / "page.md.jinja").write_text((builtin / "howto.md.jinja").read_text("utf-8"))
    config_file = demo_copy / "mkdocs.yml"
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["plugins"][1]["howto"]["template"] = "templates/page.md.jinja"
    config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")

    def renderer() -> Renderer | None:
        config = load_config(str(config_file))
        config.plugins.on_startup(command="serve", dirty=False)
        plugin = config.plugins["howto"]
        assert isinstance(plugin, HowToPlugin)
        config.plugins.on_config(config)
        return plugin.renderer

    try:
        first = renderer()
        assert renderer() is first
        steps = (builtin / "partials/steps.md.jinja").read_text("utf-8")
        (templates / "partials/steps.md.jinja").write_text(steps + "{# mine #}\n")
        changed = renderer()
        assert changed is not None and changed is not first
        override = changed.env.get_template("partials/steps.md.jinja").filename
        assert override == str(templates / "partials/steps.md.jinja")
    finally:
        load_config(str(config_file)).plugins.on_shutdown()
