"""Analysis: turn one public class or function into a `HowTo` of plain facts.

Everything here reads Griffe objects and the syntax tree; nothing imports MkDocs or writes
Markdown, so other front ends (a Markdown extension, a CLI) can reuse it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import griffe

from mkdocs_howto.analyze.classes import constructor_params
from mkdocs_howto.analyze.code import (
    FunctionShape,
    ParsedSource,
    bound_names,
    function_shape,
    load_memo,
    parse_object,
)
from mkdocs_howto.analyze.description import (
    describe,
    parse_docstring,
    structure_of_class,
    structure_of_function,
)
from mkdocs_howto.analyze.docexamples import complete, module_of
from mkdocs_howto.analyze.example import ExampleBuilder, doctest_source
from mkdocs_howto.analyze.failures import failures_of
from mkdocs_howto.analyze.links import link_steps, link_types, local_imports
from mkdocs_howto.analyze.members import attribute_rows, documented_params
from mkdocs_howto.analyze.params import params_of
from mkdocs_howto.analyze.phases import fold_long_phases, shape_steps
from mkdocs_howto.analyze.running import run_example
from mkdocs_howto.analyze.sentences import join, sentence
from mkdocs_howto.analyze.steps import StepNarrator
from mkdocs_howto.analyze.symbols import Lookup
from mkdocs_howto.analyze.targets import callable_of, class_target, hints_for
from mkdocs_howto.analyze.usage import Snippet, UsageIndex, best_snippets
from mkdocs_howto.analyze.verify import check_example, installed
from mkdocs_howto.docstrings import rest_to_markdown, rest_to_plain
from mkdocs_howto.errors import display_path
from mkdocs_howto.facts import (
    Code,
    Description,
    Example,
    HowTo,
    Member,
    Param,
    Phase,
    Source,
    Step,
    Text,
)
from mkdocs_howto.guards import definition_guard, sentence_of
from mkdocs_howto.load import PublicObject
from mkdocs_howto.pages import PageLinks

#: Special methods whose steps a reader needs: construction, calling, context management,
#: iteration. Other dunders (`__repr__`, `__eq__`…) stay out of the page.
_SHOWN_SPECIAL = (
    "__init__",
    "__post_init__",
    "__call__",
    "__enter__",
    "__exit__",
    "__aenter__",
    "__aexit__",
    "__iter__",
    "__next__",
    "__aiter__",
    "__anext__",
)
_NO_SHAPE = FunctionShape(False, False, (), (), ())


@dataclass(frozen=True)
class AnalyzeOptions:
    packages: frozenset[str]
    extra_calls: Mapping[str, str] = field(default_factory=dict)
    repo_url: str | None = None
    """Base URL of the repository's files at a revision (`…/blob/HEAD`), for source links."""
    repo_root: Path | None = None
    """The checkout's root folder: source paths in links are relative to it."""
    examples_from: tuple[str, ...] = ("docstring", "signature")
    """Sources of the usage example, tried in the order docstring, usage, signature."""
    usage: UsageIndex | None = None
    """Snippets mined from the project's tests, examples and docs (`usage` source)."""
    verify_examples: str = "static"
    """`static` checks examples against the API; `run` also runs every example that passes
    (docstring, mined and generated), shows its output and reports its failures; `off`."""
    run_paths: tuple[Path, ...] = ()
    """Folders put on `PYTHONPATH` when examples are run."""
    run_timeout: float = 10.0


class Generated(NamedTuple):
    code: str
    placeholders: tuple[str, ...]


class Analyzer:
    """Build the facts of one page; `lookup` gives the signature facts of a dotted path,
    `links` where each documented path's page is (docstring roles link to it)."""

    def __init__(
        self, options: AnalyzeOptions, lookup: Lookup, links: PageLinks | None = None
    ) -> None:
        self.options = options
        self.lookup = lookup
        self.links = links
        self._usage: dict[str, Snippet] | None = None

    def converter(self, page_uri: str | None, scope: griffe.Object) -> Callable[[str], str]:
        """Docstring text of `scope` as Markdown for the page `page_uri`: reST roles link to
        the pages of their targets, relative to that page."""
        links = self.links
        if links is None or page_uri is None:
            return rest_to_markdown

        def resolve(target: str, role: str) -> str | None:
            found = links.find(_candidates(target, scope))
            return links.link(page_uri, found) if found else None

        return lambda text: rest_to_markdown(text, resolve)

    def _convert(self, item: PublicObject, scope: griffe.Object) -> Callable[[str], str]:
        page = self.links.targets.get(item.public_path) if self.links else None
        return self.converter(page, scope)

    def analyze(self, item: PublicObject) -> HowTo:
        if isinstance(item.obj, griffe.Class):
            howto = self._class(item, item.obj)
        else:
            howto = self._function(item, item.obj)
        return replace(howto, type_links=self._type_links(item, howto))

    def _type_links(self, item: PublicObject, howto: HowTo) -> tuple[tuple[str, str], ...]:
        """Links for the type names of the page's tables. A name the module binds (its own
        class, an import) links only where that binding is documented; a name it does not
        bind (a docstring's type) is looked up like a docstring role's target."""
        links = self.links
        page = links.targets.get(item.public_path) if links else None
        if links is None or page is None:
            return ()
        module = item.obj.module
        d = howto.description
        texts = [p.annotation or "" for p in d.params]
        texts += [doc.annotation or doc.name for doc in (*d.returns, *d.yields, *d.raises)]
        texts += [attribute.annotation or "" for attribute in howto.attributes]

        def resolve(name: str) -> str | None:
            if name.rsplit(".", 1)[-1].startswith("_"):
                return None
            path = _module_path(module, name)
            target = links.find([name]) if path is None else links.targets.get(path)
            return links.link(page, target) if target and target != page else None

        return link_types(texts, resolve)

    def _function(self, item: PublicObject, func: griffe.Function) -> HowTo:
        parsed = parse_object(func)
        shape = _shape(parsed.node if parsed else None)
        steps = shape_steps(self._narrator(parsed).narrate(parsed.node.body)) if parsed else ()
        steps = self._linked(steps, item, func, None, parsed.node if parsed else None)
        docstring = parse_docstring(func, self._convert(item, func))
        params, private = documented_params(params_of(func), docstring)
        structure = structure_of_function(item.name, shape, set(func.labels), list(params))
        builder = ExampleBuilder(self._import_path(item), hints_for([func], self.lookup))
        code = builder.for_function(callable_of(func, item.name))
        generated = Generated(code, tuple(builder.placeholders))
        return HowTo(
            name=item.name,
            public_path=item.public_path,
            canonical_path=func.path,
            kind=shape.kind,
            signature=wrapped_signature(func, item.name),
            description=_available(describe(docstring, params, structure, private), func),
            steps=steps,
            phases=(),
            example=self._example(func.path, docstring.examples, generated),
            source=self._source(func),
            failures=failures_of(func),
        )

    def _class(self, item: PublicObject, cls: griffe.Class) -> HowTo:
        parsed = parse_object(cls)
        narrator = self._narrator(parsed)
        methods = _methods(cls)
        convert = self._convert(item, cls)
        docstring = parse_docstring(cls, convert)
        init = cls.members.get("__init__")
        if isinstance(init, griffe.Function) and init.docstring is not None:
            # parameters documented on `__init__` rather than on the class
            for name, doc in parse_docstring(init, convert).params.items():
                docstring.params.setdefault(name, doc)
        # the same constructor the example is built from: inherited `__init__`, model fields…
        signature_params = tuple(constructor_params(cls) or ())
        attributes = attribute_rows(cls, docstring, convert)
        params, private = documented_params(signature_params, docstring, attributes)
        phases = self._class_phases(item, cls, parsed, narrator, methods)
        public = [name for name in methods if not name.startswith("_")]
        return HowTo(
            name=item.name,
            public_path=item.public_path,
            canonical_path=cls.path,
            kind="dataclass" if "dataclass" in cls.labels else "class",
            signature=wrap_signature(f"class {item.name}", _param_parts(signature_params), ""),
            description=_available(
                describe(docstring, params, structure_of_class(cls, public), private), cls
            ),
            steps=(),
            phases=phases,
            example=self._example(
                cls.path, docstring.examples, self._class_example(item, cls, methods)
            ),
            source=self._source(cls),
            members=tuple(
                _member(method, self._convert(item, method)) for method in methods.values()
            ),
            attributes=tuple(a for a in attributes if a.name not in {p.name for p in params}),
            bases=tuple(str(base) for base in cls.bases),
        )

    def _class_phases(
        self,
        item: PublicObject,
        cls: griffe.Class,
        parsed: object,
        narrator: StepNarrator,
        methods: dict[str, griffe.Function],
    ) -> tuple[Phase, ...]:
        phases = []
        node = getattr(parsed, "node", None)
        if node is not None:
            attribute_steps = self._linked(
                _attribute_steps(cls, node.body, narrator), item, cls, cls, _class_level(node)
            )
            if attribute_steps:
                title = sentence("Initialization: class attributes, set when the class is defined")
                phases.append(Phase(title, "class-attributes", attribute_steps))
        # `__init__` first: it is the rest of the initialization story
        ordered = sorted(methods.items(), key=lambda item: item[0] != "__init__")
        for name, method in ordered:
            method_parsed = parse_object(method)
            if method_parsed is None:
                steps: tuple[Step, ...] = ()
            else:
                narrated = self._narrator(method_parsed).narrate(method_parsed.node.body)
                steps = self._linked(shape_steps(narrated), item, method, cls, method_parsed.node)
            title = sentence("{name}", name=f"{name}()")
            signature_block = wrapped_signature(method, name)
            phases.append(Phase(title, method_anchor(name), steps, signature_block))
        return tuple(fold_long_phases(phases))

    def _linked(
        self,
        steps: tuple[Step, ...],
        item: PublicObject,
        scope: griffe.Object,
        cls: griffe.Class | None,
        body: ast.AST | None,
    ) -> tuple[Step, ...]:
        """`steps` with calls and references to documented objects linked to their pages.
        Names the code of `body` binds itself (parameters, variables) are never linked, even
        when a documented object shares the name."""
        links = self.links
        page = links.targets.get(item.public_path) if links else None
        if links is None or page is None or not steps or body is None:
            return steps
        imported = local_imports(body, scope.module)

        @functools.cache
        def bound() -> set[str]:
            # walked only for a body holding a name that would link: most hold none
            return bound_names(body) - {"self", "cls"} - set(imported)

        # a name is resolved once per body: a method calls `self.send` in many steps
        @functools.cache
        def resolve(name: str) -> str | None:
            first, _, rest = name.partition(".")
            last = name.rsplit(".", 1)[-1]
            if last.startswith("_") and last not in _SHOWN_SPECIAL:
                return None  # a private member: plain code
            if first in ("self", "cls") and cls is not None:
                target = _own_member(cls, rest, links.targets.get)
            else:
                # a bare name in a body is the module's (Python never looks in the class)
                path = _module_path(scope.module, name, imported)
                target = links.targets.get(path) if path else None
            if target is None or target == page or first in bound():
                return None  # nothing documented, this page, or a name the body binds
            return links.link(page, target)

        return link_steps(steps, resolve)

    def _narrator(self, parsed: ParsedSource | None) -> StepNarrator:
        if parsed is None:
            return StepNarrator({}, self.options.extra_calls)
        return StepNarrator(
            parsed.comments, self.options.extra_calls, parsed.blank_lines, parsed.lines
        )

    def _class_example(
        self, item: PublicObject, cls: griffe.Class, methods: dict[str, griffe.Function]
    ) -> Generated:
        target = class_target(cls, item.name, methods, self.lookup)
        hints = hints_for([cls, *methods.values()], self.lookup)
        builder = ExampleBuilder(self._import_path(item), hints)
        return Generated(builder.for_class(target), tuple(builder.placeholders))

    def _import_path(self, item: PublicObject) -> str:
        """The public path, unless it exists only under `if TYPE_CHECKING:` (then where the
        object is defined, which always imports)."""
        symbol = self.lookup(item.import_path)
        return item.import_path if symbol is None or symbol.runtime else item.obj.path

    def _example(self, path: str, docstring_examples: list[str], generated: Generated) -> Example:
        """The first example found in the sources `examples_from` allows, checked."""
        sources = self.options.examples_from
        if "docstring" in sources and docstring_examples:
            shown = self._docstring_example(docstring_examples[0], path)
            if not shown.problems or _parses(shown.code, shown.language):
                return shown
            # a docstring example that is not Python helps no reader: the next source's is
            # shown, and the build still warns about the docstring's
            following = self._example(path, [], generated)
            if following.origin == "none" or following.problems:
                return shown
            return replace(following, docstring_problems=shown.problems)
        snippet = self._usage_snippets().get(path) if "usage" in sources else None
        if snippet is not None:
            example = Example(snippet.code, "usage", False, found_in=snippet.where)
            return self._checked(example, self._check(snippet.code))
        if "signature" in sources:
            code, placeholders = generated
            example = Example(code, "signature", False, placeholders=placeholders)
            return self._checked(example, self._check(code))
        return Example("", "none", False, checked=False)

    def _docstring_example(self, text: str, path: str) -> Example:
        doctest = doctest_source(text)
        code = text.strip() + "\n"
        module = module_of(path, self.lookup)
        undefined: tuple[str, ...] = ()
        if module is not None and self.options.verify_examples != "off":
            # the module's own names used the doctest way get their import, shown
            done = complete(
                doctest or code,
                code,
                doctest=doctest is not None,
                module=module,
                lookup=self.lookup,
                installed=installed,
            )
            code, undefined = done.code, done.undefined
            doctest = doctest_source(code) if doctest is not None else None
        problems = self._check(doctest or code, top_level_await=doctest is None, docstring=True)
        problems += tuple(f"`{name}` is used but never defined or imported" for name in undefined)
        language = "pycon" if doctest is not None else "python"
        return self._checked(Example(code, "docstring", False, language=language), problems)

    def _check(
        self, code: str, *, top_level_await: bool = False, docstring: bool = False
    ) -> tuple[str, ...]:
        if self.options.verify_examples == "off":
            return ()
        return check_example(
            code,
            self.options.packages,
            self.lookup,
            top_level_await=top_level_await,
            self_contained=not docstring,
        )

    def _checked(self, example: Example, problems: tuple[str, ...]) -> Example:
        """The example with its static check's verdict and, under `verify_examples: run`,
        what running it gave (only an example that passed the static check is run)."""
        checked = self.options.verify_examples != "off"
        example = replace(
            example, verified=checked and not problems, problems=problems, checked=checked
        )
        if problems or not example.code or self.options.verify_examples != "run":
            return example
        if example.placeholders:  # `...` is for the reader to fill in: it does not run as is
            return example
        doctest = example.language == "pycon"
        run = run_example(
            example.code,
            doctest=doctest,
            paths=self.options.run_paths,
            timeout=self.options.run_timeout,
        )
        return replace(
            example,
            verified=not run.problems,
            problems=run.problems,
            ran=True,
            output=run.output,
            needs_network=run.needs_network,
        )

    def _usage_snippets(self) -> dict[str, Snippet]:
        """The shortest mined snippet per canonical path (built once per build)."""
        if self._usage is None:
            usage = self.options.usage
            self._usage = best_snippets(usage, self.lookup) if usage is not None else {}
        return self._usage

    def _source(self, obj: griffe.Object) -> Source | None:
        if obj.lineno is None or obj.endlineno is None:
            return None
        try:
            code = obj.source
        except (OSError, ValueError):
            return None
        relative = obj.relative_package_filepath.as_posix()
        shown = display_path(obj.filepath) if isinstance(obj.filepath, Path) else relative
        return Source(relative, obj.lineno, obj.endlineno, code, self._source_url(obj), shown)

    def _source_url(self, obj: griffe.Object) -> str | None:
        """A link to the lines in the repository; None for files outside the checkout."""
        root, base = self.options.repo_root, self.options.repo_url
        if root is None or base is None or not isinstance(obj.filepath, Path):
            return None
        try:
            in_repo = obj.filepath.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
        return f"{base}/{in_repo}#L{obj.lineno}-L{obj.endlineno}"


def _parses(code: str, language: str) -> bool:
    source = doctest_source(code) if language == "pycon" else code
    try:
        compile(
            source or "", "<example>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
    except (SyntaxError, ValueError):
        return False
    return True


def _attribute_steps(
    cls: griffe.Class, body: list[ast.stmt], narrator: StepNarrator
) -> tuple[Step, ...]:
    """A step per class-level assignment, with the attribute's docstring saying what it is for."""
    docs = {
        attr.lineno: rest_to_plain(attr.docstring.value.split("\n\n")[0].strip())
        for attr in cls.attributes.values()
        if not attr.is_alias and attr.docstring is not None and attr.lineno
    }
    steps = []
    for statement in body:
        if not isinstance(statement, ast.Assign | ast.AnnAssign):
            continue
        if isinstance(statement, ast.AnnAssign) and statement.value is None:
            continue  # a bare declaration: the Attributes table shows its name and type
        step = narrator.step(statement)
        if step is None:
            continue
        why = docs.get(statement.lineno)
        if why:
            # the author's words, quoted: what the attribute is for
            step = replace(step, sentence=join(step.sentence, (Text(f" — “{why}”"),)))
        steps.append(step)
    return tuple(steps)


def _shape(node: object) -> FunctionShape:
    if node is None or type(node).__name__ not in ("FunctionDef", "AsyncFunctionDef"):
        return _NO_SHAPE
    return function_shape(node)  # type: ignore[arg-type]


def _methods(cls: griffe.Class) -> dict[str, griffe.Function]:
    return {
        name: member
        for name, member in cls.members.items()
        if not member.is_alias
        and isinstance(member, griffe.Function)
        and (not name.startswith("_") or name in _SHOWN_SPECIAL)
        and member.lineno  # `__init__` made up by the dataclasses extension has no source
    }


#: Section ids of a page; a method with one of these names gets a suffixed anchor.
SECTION_IDS = frozenset(
    {"description", "execution-steps", "usage-example", "source", "class-attributes"}
)


def method_anchor(name: str) -> str:
    """The id of a method's section. `__init__` becomes `init-special`: Markdown reads the
    underscores of `{ #__init__ }` as bold before the id is set, and MkDocs, which collects a
    page's ids at that point, would report every link to it (`validation.anchors: warn`)."""
    if name.startswith("_"):
        return f"{name.strip('_')}-special"
    if name.endswith("_"):
        # `and_` next to `__and__` on one page: ids stay distinct (an escaped `_` at the end
        # of an id is not the id MkDocs checks links against, inside tables either)
        return f"{name.rstrip('_')}-trailing"
    return f"{name}-method" if name in SECTION_IDS else name


def method_sections(cls: griffe.Class) -> dict[str, str]:
    """Method name -> the id of its section on the class page, for every method shown
    (asked for each of a class's names by the inventory, the links and its page: kept for
    the load; not to be changed by callers)."""
    memo = load_memo(cls)
    key = ("method sections", cls.path)
    found: dict[str, str] | None = memo.get(key)
    if found is None:
        found = memo[key] = {name: method_anchor(name) for name in _methods(cls)}
    return found


def link_anchors(cls: griffe.Class) -> dict[str, str]:
    """Method name -> the anchor of its section on the class page, for links to it."""
    return method_sections(cls)


def _class_level(node: ast.ClassDef) -> ast.Module:
    """The statements a class body runs when the class is defined, without its methods: the
    names they bind are the ones its attribute steps may not link."""
    body = [s for s in node.body if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
    return ast.Module(body=body, type_ignores=[])


def _own_member(cls: griffe.Class, name: str, target_of: Callable[[str], str | None]) -> str | None:
    """Where `self.name` is documented: on this class's page, else on the page of the base
    class that defines it (an inherited method), searched in method resolution order."""
    if not name or "." in name:
        return None  # `self.attr.method()`: the attribute's type is not known here
    try:
        bases = [base for base in cls.mro() if isinstance(base, griffe.Class)]
    except (ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        bases = []
    for owner in (cls, *bases):
        target = target_of(f"{owner.path}.{name}")
        if target is not None:
            return target
    return None


def _module_path(
    module: griffe.Module, name: str, imported: Mapping[str, str] | None = None
) -> str | None:
    """The dotted path code in `module` means by `name` (`models.Request`): its first part
    through `imported` (a function's own imports), else the module's names and imports."""
    first, _, rest = name.partition(".")
    path = (imported or {}).get(first) or _module_level(module, first)
    return f"{path}.{rest}" if path and rest else path


def _module_level(module: griffe.Module, name: str) -> str | None:
    """The path a bare name means at the top of `module`: one of its own names or imports.
    Unlike Griffe's `resolve`, never a name of an enclosing package (`repr` in
    `rich.protocol` is the builtin, not the module `rich.repr`): Python does not look there."""
    member = module.members.get(name)
    if member is None:
        return module.imports.get(name)
    return member.target_path if isinstance(member, griffe.Alias) else member.path


def _resolved(scope: griffe.Object, name: str) -> str | None:
    """The path `name` means in `scope` (its imports, its module's names), or None."""
    try:
        return scope.resolve(name)
    except (griffe.NameResolutionError, griffe.AliasResolutionError, KeyError, ValueError):
        return None


def _candidates(target: str, scope: griffe.Object) -> Iterator[str]:
    """Paths a role's target may mean, nearest first: as written, inside each enclosing
    object (`:meth:`log`` in a class), and as the scope's imports resolve its first name."""
    yield target
    node: griffe.Object | None = scope
    while node is not None:
        yield f"{node.path}.{target}"
        node = node.parent
    first, _, rest = target.partition(".")
    resolved = _resolved(scope, first)
    if resolved is not None:
        yield f"{resolved}.{rest}" if rest else resolved


def _member(method: griffe.Function, convert: Callable[[str], str]) -> Member:
    docstring = parse_docstring(method, convert)
    kind = (
        "property"
        if "property" in method.labels
        else _shape(getattr(parse_object(method), "node", None)).kind.replace("function", "method")
    )
    return Member(
        method.name,
        method_anchor(method.name),
        kind,
        signature(method, method.name),
        docstring.summary,
        method.lineno,
        method.endlineno,
    )


_MARKERS = {"variadic positional": "*", "variadic keyword": "**"}


def _param_list(params: tuple[Param, ...]) -> str:
    return ", ".join(_param_parts(params))


def _param_parts(params: tuple[Param, ...]) -> list[str]:
    parts: list[str] = []
    star_done = slash_pending = False
    for param in params:
        if param.kind == "positional-only":
            slash_pending = True
        elif slash_pending:
            parts.append("/")
            slash_pending = False
        if param.kind == "keyword-only" and not star_done:
            parts.append("*")
            star_done = True
        if param.kind == "variadic positional":
            star_done = True
        text = _MARKERS.get(param.kind, "") + param.name
        if param.annotation:
            text += f": {param.annotation}"
        if param.default is not None:
            text += f" = {param.default}" if param.annotation else f"={param.default}"
        parts.append(text)
    if slash_pending:
        parts.append("/")
    return parts


def signature(func: griffe.Function, name: str) -> str:
    """`name(a: int, *, b: str = "x") -> bool`, from Griffe's parameters, on one line."""
    prefix = "async def " if "async" in func.labels else "def "
    returns = f" -> {func.returns}" if func.returns is not None else ""
    return f"{prefix}{name}({_param_list(params_of(func))}){returns}"


def wrapped_signature(func: griffe.Function, name: str) -> str:
    """The signature as Black or Ruff lay it out: one line when it fits, else one
    parameter per line."""
    prefix = "async def " if "async" in func.labels else "def "
    returns = f" -> {func.returns}" if func.returns is not None else ""
    return wrap_signature(f"{prefix}{name}", _param_parts(params_of(func)), returns)


#: Longer signatures go one parameter per line: mkdocstrings' `separate_signature` default,
#: and what fits a Material code block at 1280 px without wrapping.
LINE_LENGTH = 60


def wrap_signature(head: str, parts: list[str], tail: str) -> str:
    one_line = f"{head}({', '.join(parts)}){tail}"
    if len(one_line) <= LINE_LENGTH or not parts:
        return one_line
    inner = "".join(f"    {part},\n" for part in parts)
    return f"{head}(\n{inner}){tail}"


def _available(description: Description, obj: griffe.Class | griffe.Function) -> Description:
    """The description saying when the name exists, for a guarded definition."""
    home = obj.parent
    guard = definition_guard(home, obj) if isinstance(home, griffe.Module) else None
    if guard is None:
        return description
    pieces = tuple(Code(text) if code else Text(text) for code, text in sentence_of(guard))
    return replace(description, availability=pieces)
