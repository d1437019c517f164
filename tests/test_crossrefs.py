"""Cross-references (issue 16): the how-to pages registered with mkdocs-autorefs next to
mkdocstrings-python, links both ways, and `objects.inv` read by sphobjinv and by another site's
mkdocstrings. Real builds, real plugins.

Sites with mkdocstrings are built by `mkdocs build` in a child process: importing its Python
handler moves Griffe's logger for the whole process (`patch_loggers`), which would change what
later tests' builds count as warnings.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sphobjinv as soi
from conftest import BuiltSite, element_ids, write_config, write_package
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_howto.inventory import inventory_lines

PACKAGES = {
    "howpkg/__init__.py": '''
        """The client side."""
        from howpkg._client import Client, Client as Session, connect

        __all__ = ["Client", "Session", "connect"]
    ''',
    "howpkg/_client.py": '''
        """Clients that send records."""


        class Client:
            """Sends records; each is a [refpkg.Record][] (documented by mkdocstrings)."""

            def __init__(self, url: str) -> None:
                self.url = url

            def send(self, record: object) -> str:
                """Send one record."""
                return f"{self.url}/{record}"


        def connect(url: str) -> Client:
            """Open a client."""
            return Client(url)
    ''',
    "refpkg/__init__.py": '''
        """Records."""


        class Record:
            """One record, sent with [howpkg.Client.send][] (see the [guide][howpkg.Client])."""

            def __init__(self, name: str) -> None:
                self.name = name
    ''',
}

USER_PAGE = """# Home

Use [the client][howpkg.Client] or [howpkg.connect][]; its method [howpkg.Client.send][];
the package [howpkg][]; another name [howpkg.Session][]; where it is defined
[howpkg._client.Client][].
"""


def _site(tmp_path: Path, reference: str = "::: refpkg\n") -> BuiltSite:
    write_package(tmp_path / "src", PACKAGES)
    plugins = [
        "search",
        "autorefs",
        {"mkdocstrings": {"handlers": {"python": {"paths": ["src"]}}}},
        {"howto": {"packages": ["howpkg"], "paths": ["src"]}},
    ]
    docs = {"index.md": USER_PAGE, "reference.md": f"# Reference\n\n{reference}"}
    return build_apart(tmp_path, {"plugins": plugins, "markdown_extensions": ["attr_list"]}, docs)


def build_apart(
    root: Path, config: dict[str, object], docs: dict[str, str], *, fails_with: str = ""
) -> BuiltSite:
    """`mkdocs build --strict` of `root` in a child process (see the module's docstring);
    `fails_with`: the build must fail, saying this."""
    for name, text in docs.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    config_file = write_config(root, {}, config)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    env = {**os.environ, "XDG_CACHE_HOME": str(root / ".cache")}  # no day-old inventory
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if fails_with:
        assert done.returncode != 0 and fails_with in done.stderr, done.stderr
    else:
        assert done.returncode == 0, done.stderr
    return BuiltSite(root, root / "site")


def _links(html: str) -> list[str]:
    return re.findall(r'<a class="autorefs autorefs-internal"[^>]*href="([^"]+)"', html)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site builds `--strict`: every reference below resolved."""
    return _site(tmp_path_factory.mktemp("xref"))


def test_user_page_links_land_on_how_to_pages_and_sections(site: BuiltSite) -> None:
    links = _links(site.html("index.html"))
    assert links == [
        "howto/howpkg/Client/#client",
        "howto/howpkg/connect/#connect",
        "howto/howpkg/Client/#send",
        "howto/howpkg/#howpkg",
        "howto/howpkg/Client/#client",  # Session is another name for Client
        "howto/howpkg/Client/#client",
    ]
    for link in links:
        page, anchor = link.split("#")
        assert anchor in element_ids(site.html(f"{page}index.html")), link


def test_how_to_page_links_to_mkdocstrings_page_and_back(site: BuiltSite) -> None:
    howto = site.html("howto/howpkg/Client/index.html")
    assert "../../../reference/#refpkg.Record" in _links(howto)
    reference = site.html("reference/index.html")
    assert _links(reference) == [
        "../howto/howpkg/Client/#send",
        "../howto/howpkg/Client/#client",
    ]


def test_headings_get_permalinks(site: BuiltSite) -> None:
    howto = site.html("howto/howpkg/Client/index.html")
    for anchor in ("client", "description", "execution-steps", "usage-example", "send"):
        assert f'<a class="headerlink" href="#{anchor}"' in howto, anchor


def test_an_api_reference_keeps_the_paths_it_documents(tmp_path: Path) -> None:
    """mkdocstrings documents `howpkg.connect` too: its entry wins, no duplicate warning."""
    site = _site(tmp_path, reference="::: refpkg\n\n::: howpkg.connect\n")
    assert _links(site.html("index.html"))[1] == "reference/#howpkg.connect"
    entries = _entries(site.site_dir / "objects.inv")
    assert next(e for e in entries if e.name == "howpkg.connect").uri.startswith("reference/")
    names = [(e.name, e.role) for e in entries]
    assert len(names) == len(set(names))


def _entries(path: Path) -> list[soi.DataObjStr]:
    return list(soi.Inventory(fname_zlib=str(path)).objects)


def test_one_inventory_lists_both_plugins_objects(site: BuiltSite) -> None:
    entries = {(e.name, e.domain, e.role): e.uri for e in _entries(site.site_dir / "objects.inv")}
    assert entries[("refpkg.Record", "py", "class")].startswith("reference/")
    ours = {key: uri for key, uri in entries.items() if key[0].startswith("howpkg")}
    assert ours == {
        ("howpkg", "py", "module"): "howto/howpkg/",
        ("howpkg.Client", "py", "class"): "howto/howpkg/Client/",
        ("howpkg.Client.__init__", "py", "method"): "howto/howpkg/Client/#init-special",
        ("howpkg.Client.send", "py", "method"): "howto/howpkg/Client/#send",
        ("howpkg.connect", "py", "function"): "howto/howpkg/connect/",
    }


def test_demo_inventory_round_trips_with_every_object_at_an_existing_url(
    demo_copy: Path,
) -> None:
    site_dir = demo_copy / "site"
    build(load_config(str(demo_copy / "mkdocs.yml"), site_dir=str(site_dir), strict=True))
    inventory = soi.Inventory(fname_zlib=str(site_dir / "objects.inv"))
    again = soi.Inventory(soi.compress(inventory.data_file()))
    assert [o.data_line() for o in again.objects] == [o.data_line() for o in inventory.objects]
    pages = sorted(p.parent for p in (site_dir / "howto").rglob("index.html"))
    names = [o.name for o in inventory.objects]
    assert len(names) == len(set(names))
    classes_and_functions = [o for o in inventory.objects if o.role in ("class", "function")]
    modules = [o for o in inventory.objects if o.role == "module"]
    assert len(classes_and_functions) + len(modules) == len(pages)
    assert {o.role for o in inventory.objects} <= {"module", "class", "function", "method"}
    for entry in inventory.objects:
        page, _, anchor = entry.uri_expanded.partition("#")
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        assert anchor in element_ids(html) if anchor else page.endswith("/"), entry.uri


def test_another_site_links_in_through_the_inventory(demo_copy: Path, tmp_path: Path) -> None:
    """mkdocstrings-python's `inventories` reads `objects.inv`: `[skyfeed.StationFeed][]`
    in a second site becomes a link to the published how-to page."""
    build(load_config(str(demo_copy / "mkdocs.yml"), site_dir=str(demo_copy / "site")))
    other = tmp_path / "other"
    (other / "src").mkdir(parents=True)
    inventory = {
        "url": (demo_copy / "site" / "objects.inv").as_uri(),
        "base_url": "https://skyfeed.example/",
    }
    plugins = [{"mkdocstrings": {"handlers": {"python": {"inventories": [inventory]}}}}]
    page = "# Other\n\n[skyfeed.StationFeed][] and [readings][skyfeed.StationFeed.readings]\n"
    site = build_apart(other, {"plugins": plugins}, {"index.md": page})
    links = re.findall(
        r'<a class="autorefs autorefs-external"[^>]*href="([^"]+)"', site.html("index.html")
    )
    assert links == [
        "https://skyfeed.example/howto/skyfeed/StationFeed/",
        "https://skyfeed.example/howto/skyfeed/StationFeed/#readings",
    ]


def test_an_unknown_path_is_one_warning_naming_it(tmp_path: Path) -> None:
    """A reference to something nobody documents fails `--strict` with autorefs' warning."""
    write_package(tmp_path / "src", PACKAGES)
    plugins = ["autorefs", {"howto": {"packages": ["howpkg"], "paths": ["src"]}}]
    docs = {"index.md": "# Home\n\n[howpkg.Missing][]\n"}
    warning = "index.md: Could not find cross-reference target 'howpkg.Missing'"
    build_apart(tmp_path, {"plugins": plugins}, docs, fails_with=warning)


def test_inventory_lines_refuses_other_files() -> None:
    with pytest.raises(ValueError, match="not a Sphinx inventory"):
        inventory_lines(b"# Sphinx inventory version 1\n# Project: x\n# Version: 1\nabc\n")
