"""The theme's language (issue 16): the pages' fixed texts from one table per language, the
`labels` option over them, English for a language without a table. Real builds of the demo."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, BuiltSite, build_site
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_howto.labels import (
    DEFAULT_LANGUAGE,
    LabelsError,
    check_overrides,
    language_for,
    languages,
    placeholders,
    table,
)

#: The languages issue 16 asks for; `he` is written right to left.
REQUIRED = ("en", "de", "fr", "es", "ru", "zh", "he")
PKG = {
    "pkg/__init__.py": '''
        """A package."""


        def hello(name: str, _trace: bool = False) -> str:
            """Greet someone."""
            return "hi " + name
    '''
}


def test_every_required_language_has_a_table() -> None:
    assert set(REQUIRED) <= set(languages())


@pytest.mark.parametrize("language", languages())
def test_each_table_has_every_text_with_the_same_placeholders(language: str) -> None:
    english, other = table(DEFAULT_LANGUAGE), table(language)
    assert list(other) == list(english)
    for key, text in english.items():
        assert placeholders(other[key]) == placeholders(text), (language, key)
        assert other[key].strip(), (language, key)


@pytest.mark.parametrize(
    ("theme", "expected"),
    [("de", "de"), ("zh-Hans", "zh"), ("zh_TW", "zh"), ("HE", "he"), ("ja", None), (None, "en")],
)
def test_a_theme_language_finds_its_table_or_none(theme: str | None, expected: str) -> None:
    assert language_for(theme) == expected


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"descripton": "Was"}, "'descripton' is not a label (did you mean 'description'?)"),
        ({"defined_in": "in {file}"}, "'defined_in' must use {end}, {path}, {start}"),
        ({"required": "must {"}, "'required': Single '{' encountered"),
    ],
)
def test_an_override_names_a_text_and_keeps_its_placeholders(
    overrides: dict[str, str], says: str
) -> None:
    with pytest.raises(LabelsError) as error:
        check_overrides(overrides)
    assert str(error.value).startswith(says)


def _demo(tmp_path: Path, theme: dict[str, object], howto: dict[str, object]) -> BuiltSite:
    """The demo with other theme settings and `howto` options, built `--strict`."""
    root = tmp_path / "site_example"
    shutil.copytree(ROOT / "site_example", root, ignore=shutil.ignore_patterns("site"))
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"].update(theme)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "howto" in plugin:
            plugin["howto"].update(howto)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True))
    return BuiltSite(root, root / "site")


def _headings(html: str, level: int) -> list[str]:
    found = re.findall(rf"<h{level}[^>]*>(.*?)<a class=\"headerlink\"", html, re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


STATION = "howto/skyfeed/StationFeed/index.html"


def test_german_demo_shows_german_titles_badges_and_index(tmp_path: Path) -> None:
    site = _demo(tmp_path, {"language": "de"}, {})
    page = site.html(STATION)
    # a class page: its example before its methods' sections (issue 12)
    assert _headings(page, 2) == [
        "Beschreibung",
        "Anwendungsbeispiel",
        "Ausführungsschritte",
        "Quelltext",
    ]
    assert '<span class="howto-kind">Klasse</span>' in page
    assert "definiert in <code>skyfeed/_client.py</code>, Zeilen 8\u201347" in page
    assert "<strong>Methoden</strong>" in page and "<th>Zusammenfassung</th>" in page
    assert ">aus der Signatur erzeugt</span>" in page
    assert "Quelltext: skyfeed/_client.py, Zeilen 8\u201347" in page
    index = site.html("howto/skyfeed/index.html")
    assert "<th>Objekt</th>" in index and "<th>Art</th>" in index
    assert "<strong>Module</strong>" in index
    assert "Anleitungen" in site.html("index.html")  # the nav section's title
    # the narration stays English
    assert "Sets <code>retries</code> to <code>3</code>" in page


def test_labels_override_the_language_and_nav_title_wins(tmp_path: Path) -> None:
    labels = {"usage_example": "So geht's", "verified": "geprüft_*ok*"}
    site = _demo(tmp_path, {"language": "de"}, {"labels": labels, "nav_title": "Rezepte"})
    page = site.html(STATION)
    assert _headings(page, 2)[1] == "So geht's"
    assert ">geprüft_*ok*</span>" in page  # escaped: shown as written
    assert "Rezepte" in page and "Anleitungen" not in page


def test_hebrew_demo_is_right_to_left_with_hebrew_titles(tmp_path: Path) -> None:
    site = _demo(tmp_path, {"language": "he"}, {})
    page = site.html(STATION)
    assert '<body dir="rtl"' in page  # Material's, for he
    # a class page: its example before its methods' sections (issue 12)
    assert _headings(page, 2) == ["תיאור", "דוגמת שימוש", "שלבי הביצוע", "קוד מקור"]


def test_an_unknown_language_is_english_with_one_info_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    site = _demo(tmp_path, {"language": "ja"}, {})
    assert _headings(site.html(STATION), 2)[0] == "Description"
    said = [r.getMessage() for r in caplog.records if "theme's language" in r.getMessage()]
    assert said == [
        "mkdocs_howto: no texts in the theme's language 'ja': the pages' titles and badges "
        "are in English (set `labels` to translate them)"
    ]
    assert all(r.levelno == logging.INFO for r in caplog.records if r.getMessage() in said)


def test_a_bad_label_is_a_configuration_error_naming_the_option(
    package: Callable[[dict[str, str]], Path], caplog: pytest.LogCaptureFixture
) -> None:
    src = package(PKG)
    with pytest.raises(Abort, match="configuration error"):
        build_site(src.parent, {"packages": ["pkg"], "labels": {"parameter": "Parameter"}})
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "Plugin 'howto' option 'labels': 'parameter' is not a label" in errors[0]
    assert "did you mean 'parameters'?" in errors[0]


def test_parameter_table_texts_follow_the_language(
    package: Callable[[dict[str, str]], Path],
) -> None:
    src = package(PKG)
    site = build_site(
        src.parent,
        {"packages": ["pkg"]},
        extra_config={"theme": {"name": "material", "language": "fr"}},
    )
    page = site.html("howto/pkg/hello/index.html")
    assert "<th>Nom</th>" in page and "<th>Valeur par défaut</th>" in page
    assert "<strong>Paramètres</strong>" in page
    assert "Paramètre privé, non listé :" in page
    assert '<span class="howto-kind">fonction</span>' in page


def test_docs_list_every_label() -> None:
    docs = (ROOT / "docs/configure.md").read_text(encoding="utf-8")
    missing = [key for key in table(DEFAULT_LANGUAGE) if f"| `{key}` |" not in docs]
    assert missing == []
