"""`serve` compiles the theme's templates once (`compiled.CompiledTemplates`): a rebuild never
renders from code compiled for another source or other compile settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from jinja2 import DictLoader, Environment, FileSystemLoader
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_howto.compiled import CompiledTemplates, Warmer
from mkdocs_howto.plugin import HowToPlugin

PAGE = "howto/skyfeed/units/convert_temperature/index.html"
TEMPLATE = "{% for x in items %}\n  {{ x | upper }}\n{% endfor %}\n"


def _rendered(cache: CompiledTemplates | None, **settings: bool) -> str:
    env = Environment(loader=DictLoader({"t.html": TEMPLATE}), **settings)
    env.bytecode_cache = cache
    return env.get_template("t.html").render(items=["a", "b"])


def test_code_is_reused_only_under_the_same_compile_settings() -> None:
    cache = CompiledTemplates()
    assert _rendered(cache) == _rendered(None)
    assert _rendered(cache) == _rendered(None) and cache.reused == 1
    # whitespace control is compiled into the code: another setting compiles again
    trimmed = _rendered(cache, trim_blocks=True, lstrip_blocks=True)
    assert trimmed == _rendered(None, trim_blocks=True, lstrip_blocks=True) == "  A\n  B\n"
    assert cache.reused == 1
    assert len(cache.code) == 1  # the last compilation per file: a long session stays small


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    cache = CompiledTemplates()
    template = tmp_path / "page.html"

    def render() -> str:
        env = Environment(loader=FileSystemLoader(tmp_path))
        env.bytecode_cache = cache
        return env.get_template("page.html").render()

    template.write_text("first", encoding="utf-8")
    assert render() == "first"
    template.write_text("second", encoding="utf-8")
    assert render() == "second" and cache.reused == 0


THEME = {
    "main.html": '{% extends "base.html" %}{% block body %}{{ page }}{% endblock %}',
    "base.html": '<html>{% include "partials/nav.html" %}{% block body %}{% endblock %}</html>',
    "partials/nav.html": "{% for item in nav %}<a>{{ item }}</a>{% endfor %}"
    '{% include "partials/" ~ theme ~ ".html" ignore missing %}',
    "partials/dark.html": "dark",
    "broken.html": '{% include "missing.html" %}{% if %}',
    "unused.html": "never named",
}


def test_templates_compiled_ahead_are_what_the_build_loads() -> None:
    """`Warmer` compiles the named templates and those they name literally, one per step,
    skipping one that does not compile; a second environment with the same cache loads
    their code and renders the same page as one that compiles them itself."""
    cache = CompiledTemplates()
    warmer = Warmer(Environment(loader=DictLoader(THEME)), cache, ["main.html", "broken.html"])
    steps = 0
    while warmer.step():
        steps += 1
    assert steps == warmer.compiled == 3  # main, base, nav; not broken, dynamic or unused
    assert len(cache.code) == 3

    def page(cache: CompiledTemplates | None) -> str:
        env = Environment(loader=DictLoader(THEME))
        env.bytecode_cache = cache
        return env.get_template("main.html").render(page="P", nav=["a"], theme="dark")

    assert page(cache) == page(None) == "<html><a>a</a>darkP</html>"
    assert cache.reused == 3


def test_serve_rebuilds_keep_the_compiled_theme_and_see_an_edited_override(
    demo_copy: Path, tmp_path: Path
) -> None:
    """In-process `serve` rebuilds, as `mkdocs serve` runs them: every page, rendered from the
    kept code, equals a fresh build's, and an override edited between rebuilds shows at once.
    (Not `--dirty`: MkDocs does not re-read unchanged pages then, and their titles are missing
    from the sidebar of the pages it rewrites.)"""
    overrides = demo_copy / "overrides"
    overrides.mkdir()
    override = overrides / "main.html"
    override.write_text('{% extends "base.html" %}\n', encoding="utf-8")
    config_file = demo_copy / "mkdocs.yml"
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["theme"]["custom_dir"] = "overrides"
    settings["site_url"] = "http://127.0.0.1:8000/"
    config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    served, fresh = tmp_path / "served", tmp_path / "fresh"

    def rebuild() -> HowToPlugin:
        config = load_config(str(config_file), site_dir=str(served))
        build(config, serve_url="http://127.0.0.1:8000/")
        plugin = config.plugins["howto"]
        assert isinstance(plugin, HowToPlugin)
        return plugin

    load_config(str(config_file)).plugins.on_startup(command="serve", dirty=False)
    try:
        rebuild()
        units = demo_copy / "src/skyfeed/units.py"
        units.write_text(units.read_text().replace("between", "amongst"), encoding="utf-8")
        plugin = rebuild()
        assert plugin.engine.theme_code.reused > 0
        # another process: this one's plugins now keep the compiled code (`on_startup`)
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)]
        subprocess.run([*command, "-d", str(fresh)], check=True, capture_output=True)
        for page in sorted(fresh.rglob("*.html")):
            relative = page.relative_to(fresh)
            assert (served / relative).read_bytes() == page.read_bytes(), relative
        assert "amongst" in (served / PAGE).read_text(encoding="utf-8")

        override.write_text(
            '{% extends "base.html" %}\n{% block footer %}<p>edited footer</p>{% endblock %}\n',
            encoding="utf-8",
        )
        units.write_text(units.read_text().replace("amongst", "among"), encoding="utf-8")
        rebuild()
        assert "edited footer" in (served / PAGE).read_text(encoding="utf-8")
    finally:
        load_config(str(config_file)).plugins.on_shutdown()
