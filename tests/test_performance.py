"""Work done once per build: each source file is parsed once (by Griffe), not again per object."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import generate, load

from mkdocs_howto.analyze.code import parse_object

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
    src = package({"pkg/__init__.py": "", "pkg/client.py": MODULE})
    reused = generate(src, "pkg").pages
    monkeypatch.setattr("mkdocs_howto.sources._KeepTrees.on_module_node", lambda *a, **k: None)
    assert generate(src, "pkg").pages == reused
