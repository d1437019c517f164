"""The theme's templates, compiled once per `serve` session instead of once per rebuild,
and in a `mkdocs build` while MkDocs waits for the worker (`Warmer`).

MkDocs makes a new Jinja environment for every build (`Theme.get_env`), so every rebuild
parses and compiles Material's templates again: about 0.13 s of a 0.25 s `--dirty` rebuild
on a site of 340 pages, more than the pages it re-renders. Jinja can keep compiled code in
a bytecode cache (`Environment.bytecode_cache`); this one lives in memory for the process.

A template's code is reused only for the same source (Jinja compares a checksum of it, so an
edited override is compiled again) in an environment with the same compile settings: the
syntax, the extensions, the escaping and finalizing, and the filters and tests with how
they are called (Jinja reads those while compiling, `compiler.py`, `_filter_test_common`).
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterable

from jinja2 import BytecodeCache, Environment, TemplateError
from jinja2.bccache import Bucket

#: A template named literally where another is extended, included or imported.
_NAMED = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+(["'])([^"'{}~]+)\1""")


class CompiledTemplates(BytecodeCache):
    """The compiled code of each template file, kept in memory with the source checksum and
    compile settings it was compiled for (so it holds one entry per file however often
    those change)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.reused = 0
        """Templates loaded from here instead of compiled, since the process started."""

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        # One entry per template file, holding the code of its last compilation: what Jinja
        # compares before reusing it is the source's checksum and the compile settings.
        checksum = self.get_source_checksum(source) + compile_settings(environment)
        bucket = Bucket(environment, self.get_cache_key(name, filename), checksum)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # resets the bucket if source or settings changed
            self.reused += bucket.code is not None

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def compile_settings(environment: Environment) -> str:
    """A digest of what a template's compiled code depends on besides its source."""
    env = environment
    calls = [
        (kind, name, repr(getattr(function, "jinja_pass_arg", None)))
        for kind, functions in (("filter", env.filters), ("test", env.tests))
        for name, function in functions.items()
    ]
    settings = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        sorted(env.extensions),
        getattr(env, "newstyle_gettext", None),  # the i18n extension's `{% trans %}` code
        env.optimized,
        env.is_async,
        env.autoescape,  # a function's repr names the object: another one compiles again
        env.finalize,
        env.undefined,
        env.code_generator_class,
        env.context_class,
        sorted(calls),
    )
    return hashlib.sha1(repr(settings).encode(), usedforsecurity=False).hexdigest()


class Warmer:
    """Compiles a theme's templates into a `CompiledTemplates`, one per `step`, while the
    frontend has nothing else to do (a `mkdocs build` waits for the worker to load the
    packages and write the first page); the build's own environment, given the same cache,
    then loads their code instead of compiling them (`CompiledTemplates` checks the source
    and compile settings).

    Starts from `names` and follows the templates they name literally (`{% extends
    "base.html" %}`, `{% include "partials/nav.html" %}`). A template that does not load is
    left alone: the build meets it and reports it as it always does."""

    def __init__(
        self, environment: Environment, cache: CompiledTemplates, names: Iterable[str]
    ) -> None:
        environment.bytecode_cache = cache
        self.environment = environment
        self.todo = deque(names)
        self.seen = set(self.todo)
        self.compiled = 0

    def step(self) -> bool:
        """Compile the next template; False once there is none left."""
        loader = self.environment.loader
        while self.todo and loader is not None:
            name = self.todo.popleft()
            try:
                source = loader.get_source(self.environment, name)[0]
                self.environment.get_template(name)
            except (TemplateError, OSError, UnicodeError):
                continue
            self.compiled += 1
            for match in _NAMED.finditer(source):
                if match[2] not in self.seen:
                    self.seen.add(match[2])
                    self.todo.append(match[2])
            return True
        return False
