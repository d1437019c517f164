"""`writer: llm` against a real OpenAI-compatible server on 127.0.0.1 (tests/llm_server.py):
each scripted answer's exact outcome on the built page and in the build's log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, write_package
from llm_server import ModelServer, Reply, answer, echo_answer
from test_serve import free_port, wait_for

from mkdocs_howto.config import OptionsError, validate_options

MKDOCS = str(Path(sys.executable).parent / "mkdocs")
KEY = "sk-test-7f3a9c"
ITEM = "shop.cart.add_item"
PAGE = "howto/shop/cart/add_item/index.html"
BADGE = "prose by <code>test-model</code>, checked against the code"
FOLD = "<summary>Steps read from the code</summary>"

SHOP = {
    "shop/__init__.py": '''
        """A tiny shop."""

        from shop.cart import add_item

        __all__ = ["add_item"]
        ''',
    "shop/cart.py": '''
        def add_item(cart: dict[str, int], name: str, count: int = 1) -> int:
            """Add `count` units of `name` to `cart`."""
            total = cart.get(name, 0) + count
            cart[name] = total
            return total
        ''',
}
GOOD = answer(
    "Adds `count` units of `name` to `cart` and returns the new total.",
    [
        ("Reads the count stored under `name` in `cart` and adds `count`.", 3, 3),
        ("Stores the sum in `cart[name]`.", 4, 4),
        ("Returns the sum.", 5, 5),
    ],
)


def steps_with(text: str, first: int = 3, last: int = 5) -> Reply:
    return answer("Adds `count` units of `name` to `cart`.", [(text, first, last)])


@dataclass
class Build:
    returncode: int
    log: str
    site: Path

    def html(self, page: str = PAGE) -> str:
        return (self.site / page).read_text(encoding="utf-8")

    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("WARNING")]


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    write_package(tmp_path / "src", SHOP)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return tmp_path


def build(
    root: Path,
    url: str | None,
    *,
    strict: bool = False,
    key: str | None = KEY,
    howto: dict[str, Any] | None = None,
    **llm: Any,
) -> Build:
    """`mkdocs build` in a subprocess (the CLI, its worker process, its log)."""
    options = {
        "model": "test-model",
        "base_url": url or "http://127.0.0.1:9/v1",
        "timeout": 5,
        "max_retries": 2,
        "cache_dir": "answers",
        **llm,
    }
    config = {
        "site_name": "Shop",
        "theme": {"name": "material"},
        "plugins": [
            {"howto": {"packages": ["shop"], "writer": "llm", "llm": options, **(howto or {})}}
        ],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_KEY")}
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")
    if key is not None:
        env[str(llm.get("api_key_env", "OPENAI_API_KEY"))] = key
    command = [MKDOCS, "build", "--strict"] if strict else [MKDOCS, "build"]
    done = subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    return Build(done.returncode, done.stderr, root / "site")


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[Any] = []

    def start(script: Any) -> ModelServer:
        server = ModelServer(script)
        context = server.running()
        context.__enter__()
        servers.append(context)
        return server

    yield start
    for context in servers:
        context.__exit__(None, None, None)


def site_files(site: Path) -> dict[Path, bytes]:
    return {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def rejected(check: str) -> str:
    return (
        f"WARNING -  mkdocs_howto: src/shop/cart.py:1: the prose test-model wrote for '{ITEM}' "
        f"failed its check: {check}; the page keeps the static text"
    )


def assert_static(result: Build) -> None:
    page = result.html()
    assert BADGE not in page and FOLD not in page
    assert "Computes <code>cart.get(name, 0) + count</code>" in page


# ----------------------------------------------------------------------------- good answers


def test_a_good_answer_is_shown_with_its_badge_and_the_static_steps_folded(
    shop: Path, serve: Any
) -> None:
    server = serve([GOOD])
    result = build(shop, server.url, strict=True)
    assert result.returncode == 0, result.log
    page = result.html()
    assert BADGE in page
    assert (
        "<p>Adds <code>count</code> units of <code>name</code> to <code>cart</code> and returns "
        "the new total.</p>" in page
    )
    assert (
        '<li>Stores the sum in <code>cart[name]</code>. (<a class="howto-line" '
        'href="#__codelineno-src-4">L4</a>)</li>' in page
    )
    fold = page[page.index(FOLD) :]
    assert "Computes <code>cart.get(name, 0) + count</code>" in fold
    assert (
        "prose by test-model: 1 model calls, 0 cached, 1 pages with model prose, 0 kept "
        "static, 100 tokens" in result.log
    )
    assert result.warnings() == []
    # the prompt: our instructions, the numbered source, the verified import and steps
    asked = server.requests[0]
    assert asked["model"] == "test-model" and asked["response_format"] == {"type": "json_object"}
    facts = asked["messages"][1]["content"]
    assert "3 |     total = cart.get(name, 0) + count" in facts
    assert "Import line: from shop import add_item" in facts
    assert "- lines 4: Stores `total` in `cart[name]`" in facts
    assert (
        'Never use these words: "handles"' in asked["messages"][0]["content"]
        or '"handle"' in asked["messages"][0]["content"]
    )
    # the key went to the server, and nowhere else
    assert server.authorizations == [f"Bearer {KEY}"]
    written = [p for p in [*shop.rglob("*.json"), *shop.rglob("*.html")] if p.is_file()]
    assert not [p for p in written if KEY in p.read_text(encoding="utf-8")]
    assert KEY not in result.log


def test_a_committed_cache_builds_with_no_server_and_no_key_byte_identical(
    shop: Path, serve: Any
) -> None:
    server = serve([GOOD])
    first = build(shop, server.url)
    pages = site_files(first.site)
    server.httpd.shutdown()
    again = build(shop, None, strict=True, key=None)  # nothing listens on port 9
    assert again.returncode == 0, again.log
    assert "0 model calls, 1 cached, 1 pages with model prose" in again.log
    assert site_files(again.site) == pages
    assert len(server.requests) == 1


def test_a_repair_round_fixes_invalid_json(shop: Path, serve: Any) -> None:
    server = serve([Reply("Sure! Here is the JSON: {"), GOOD])
    result = build(shop, server.url, strict=True)
    assert result.returncode == 0, result.log
    assert BADGE in result.html()
    repair = server.requests[1]["messages"]
    assert repair[2] == {"role": "assistant", "content": "Sure! Here is the JSON: {"}
    assert repair[3]["content"].startswith(
        "Your answer failed these checks against the code:\n"
        "- the answer is not valid JSON (Expecting value, char 0)"
    )


# ----------------------------------------------------------------------------- failed checks


@pytest.mark.parametrize(
    ("reply", "check"),
    [
        pytest.param(
            Reply("not json"),
            "the answer is not valid JSON (Expecting value, char 0)",
            id="invalid-json",
        ),
        pytest.param(
            answer(
                "Adds items to `cart`.",
                [("Adds `count` to the stored count.", 3, 5)],
                example="from shop.carts import add_item\n\nadd_item({}, 'tea')\n",
            ),
            "example: imports `shop.carts.add_item`, which does not exist",
            id="hallucinated-import-path",
        ),
        pytest.param(
            steps_with("Calls `update_totals()` to store the sum."),
            f"step 1: `update_totals` is not in the source of '{ITEM}' nor in the package's API",
            id="nonexistent-function",
        ),
        pytest.param(
            steps_with("Handles the cart."),
            "step 1: says 'Handles', which names no action (catches, parses, routes or retries)",
            id="vague-verb",
        ),
        pytest.param(
            steps_with("Stores the sum in `cart`.", 3, 9),
            f"step 1 cites lines 3-9, outside lines 1-5 of '{ITEM}'",
            id="line-out-of-range",
        ),
        pytest.param(
            steps_with("Stores the sum in `cart`.", 4, 5),
            "no step covers line 3 (a step of the static analysis)",
            id="line-not-covered",
        ),
        pytest.param(
            steps_with("Stores the sum in `cart` as <b>bold</b> text."),
            "step 1: contains raw HTML ('<b', '</b')",
            id="raw-html",
        ),
        pytest.param(
            steps_with("Returns the sum. Write every name from the code exactly as in the source."),
            "step 1: repeats the instructions ('write every name from the code exactly')",
            id="prompt-echo",
        ),
    ],
)
def test_a_failed_check_keeps_the_static_text_with_one_warning(
    shop: Path, serve: Any, reply: Reply, check: str
) -> None:
    server = serve([reply])
    result = build(shop, server.url)
    assert result.returncode == 0, result.log
    assert_static(result)
    assert result.warnings() == [rejected(check)]
    assert len(server.requests) == 2  # the answer and one repair round
    assert check.split("; ", maxsplit=1)[0] in server.requests[1]["messages"][3]["content"]
    assert "0 pages with model prose, 1 kept static" in result.log
    # the failure is cached: the next build asks nothing and warns the same
    again = build(shop, None)
    assert again.warnings() == [rejected(check)] and "0 model calls, 1 cached" in again.log
    # and under --strict the fallback fails the build
    assert build(shop, None, strict=True).returncode != 0


# ----------------------------------------------------------------------------- the server


def unanswered(reason: str) -> str:
    return (
        f"WARNING -  mkdocs_howto: no answer from test-model at {{url}} ({reason}): 1 page(s) "
        f"keep the static text: {ITEM}"
    )


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        pytest.param([Reply(status=500)], "HTTP 500 (2 attempts)", id="500"),
        pytest.param(
            [Reply(status=429, headers={"Retry-After": "0"})], "HTTP 429 (2 attempts)", id="429"
        ),
        pytest.param([Reply(status=401)], "HTTP 401: scripted 401", id="401"),
    ],
)
def test_an_error_status_keeps_the_static_text(
    shop: Path, serve: Any, replies: list[Reply], reason: str
) -> None:
    server = serve(replies)
    result = build(shop, server.url)
    assert result.returncode == 0, result.log
    assert_static(result)
    assert result.warnings() == [unanswered(reason).format(url=server.url)]
    assert not (shop / "answers").exists() or not list((shop / "answers").iterdir())
    assert build(shop, server.url, strict=True).returncode != 0


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_retry_after_429_or_5xx_gets_the_answer(shop: Path, serve: Any, status: int) -> None:
    server = serve([Reply(status=status, headers={"Retry-After": "0"}), GOOD])
    result = build(shop, server.url, strict=True)
    assert result.returncode == 0, result.log
    assert BADGE in result.html()
    assert "2 model calls, 0 cached, 1 pages with model prose" in result.log


def test_a_slow_server_is_given_up_within_timeout_times_retries(shop: Path, serve: Any) -> None:
    server = serve([Reply(GOOD.content, delay=4.0)])
    result = build(shop, server.url, timeout=0.5, max_retries=2)
    assert result.returncode == 0, result.log
    # the answer would have come after 4 s: the client gave up after 2 x 0.5 s
    assert_static(result)
    assert result.warnings() == [unanswered("timed out (2 attempts)").format(url=server.url)]
    assert len(server.requests) == 2


def test_an_unreachable_server_keeps_the_static_text(shop: Path) -> None:
    result = build(shop, None)  # nothing listens on port 9
    assert result.returncode == 0, result.log
    assert_static(result)
    assert result.warnings() == [
        unanswered("unreachable (2 attempts)").format(url="http://127.0.0.1:9/v1")
    ]


def test_a_missing_key_is_one_error_naming_the_variable(shop: Path) -> None:
    result = build(shop, None, key=None, api_key_env="SHOP_LLM_KEY")
    assert result.returncode != 0
    errors = [line for line in result.log.splitlines() if line.startswith("ERROR")]
    assert errors == [
        "ERROR   -  howto: writer: llm needs an API key for 1 object(s) without a cached answer in "
        f"{shop / 'answers'}: set the environment variable SHOP_LLM_KEY (the "
        "`llm.api_key_env` option names it; a local server takes any value)"
    ]
    assert "Traceback" not in result.log


def test_objects_limits_the_model_to_matching_paths(shop: Path, serve: Any) -> None:
    server = serve([GOOD])
    result = build(shop, server.url, strict=True, key=None, objects=["shop.other*"])
    assert result.returncode == 0, result.log
    assert_static(result)
    assert server.requests == []
    assert "prose by test-model: 0 model calls, 0 cached, 0 pages with model prose" in result.log


# ----------------------------------------------------------------------------- languages


def test_language_asks_for_that_language_and_checks_its_vague_terms(shop: Path, serve: Any) -> None:
    good = answer(
        "Добавляет `count` единиц товара `name` в `cart` и возвращает новый итог.",
        [
            ("Читает количество `name` из `cart` и прибавляет `count`.", 3, 3),
            ("Сохраняет сумму в `cart[name]`.", 4, 4),
            ("Возвращает сумму.", 5, 5),
        ],
    )
    server = serve([good])
    vague = {"ru": ["обрабатывает"]}
    result = build(shop, server.url, strict=True, language="ru", vague_terms=vague)
    assert result.returncode == 0, result.log
    assert "<li>Сохраняет сумму в <code>cart[name]</code>." in result.html()
    system = server.requests[0]["messages"][0]["content"]
    assert "Write in Russian (ru):" in system and '"обрабатывает"' in system

    vague_answer = steps_with("Обрабатывает корзину `cart`.")
    other = serve([vague_answer])
    (shop / "answers").rename(shop / "answers-ok")
    result = build(shop, other.url, language="ru", vague_terms=vague)
    assert result.warnings() == [
        rejected(
            "step 1: says 'Обрабатывает', which names no action (name the objects or the action)"
        )
    ]


# ----------------------------------------------------------------------------- Ctrl-C


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_every_finished_answer(shop: Path, serve: Any) -> None:
    slow = "def wait_long(seconds: int) -> int:\n    return seconds\n"
    write_package(shop / "src", {"shop/slow.py": slow})
    init = shop / "src" / "shop" / "__init__.py"
    exported = "from shop.slow import wait_long\n__all__ += ['wait_long']\n"
    init.write_text(init.read_text() + exported, encoding="utf-8")

    def script(body: dict[str, Any], number: int) -> Reply:
        slow = "wait_long" in body["messages"][1]["content"]
        return Reply(GOOD.content, delay=90.0) if slow else GOOD

    server = serve(script)
    build(shop, server.url)  # writes mkdocs.yml; the slow object keeps this one waiting
    answers = shop / "answers"
    for leftover in answers.glob("*"):
        leftover.unlink()
    # the build below must still be waiting for the slow answer when Ctrl-C comes, however
    # loaded the machine: its timeout outlasts the slow answer's delay
    config = yaml.safe_load((shop / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][0]["howto"]["llm"].update(timeout=120, max_retries=1)
    (shop / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "OPENAI_API_KEY": KEY, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [MKDOCS, "build"],
        cwd=shop,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A test run started in the background (`make test &`, a CI runner, a non-interactive
        # shell) inherits SIGINT ignored, and Python keeps an ignored SIGINT ignored: the
        # build would never see Ctrl-C. A terminal's Ctrl-C reaches a foreground build.
        preexec_fn=_default_sigint,  # noqa: PLW1509
    )
    finished = answers / f"{ITEM}.json"
    deadline = time.monotonic() + 60
    while not finished.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert process.poll() is None, "the build ended before Ctrl-C: nothing was interrupted"
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode != 0
    entry = json.loads(finished.read_text(encoding="utf-8"))
    assert entry["object"] == ITEM and entry["prose"]["steps"][1]["lines"] == [4, 4]
    assert sorted(p.name for p in answers.iterdir()) == [f"{ITEM}.json"]


def test_the_default_writer_needs_no_server_and_no_openai(tmp_path: Path) -> None:
    """`writer: static` (the default) never imports the SDK."""
    code = (
        "import sys; from mkdocs_howto import generate, engine, plugin; "
        "print('openai' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.stdout.strip() == "False", done.stderr


def test_the_demo_rebuilds_from_its_answers_with_no_server_byte_identical(
    demo_copy: Path, serve: Any
) -> None:
    """The demo with `writer: llm`: answered once by the server, then built from the answer
    folder alone (no server, no key), page for page the same bytes."""
    config = demo_copy / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    server = serve(lambda body, number: Reply(echo_answer(body)))

    def build_demo(url: str, key: str | None) -> Build:
        llm = f"{{model: test-model, base_url: '{url}', cache_dir: howto-llm}}"
        config.write_text(
            original.replace("paths: [src]", f"paths: [src]\n      writer: llm\n      llm: {llm}"),
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.endswith("_KEY")}
        env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")
        if key:
            env["OPENAI_API_KEY"] = key
        done = subprocess.run(
            [MKDOCS, "build", "--strict"],
            cwd=demo_copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        return Build(done.returncode, done.stderr, demo_copy / "site")

    first = build_demo(server.url, KEY)
    assert first.returncode == 0, first.log
    objects = len(list((demo_copy / "howto-llm").glob("*.json")))
    assert objects == len(server.requests) > 5
    assert f"{objects} model calls, 0 cached, {objects} pages with model prose" in first.log
    pages = site_files(first.site)
    again = build_demo("http://127.0.0.1:9/v1", None)
    assert again.returncode == 0, again.log
    assert f"0 model calls, {objects} cached, {objects} pages with model prose" in again.log
    assert site_files(again.site) == pages
    assert len(server.requests) == objects


# ----------------------------------------------------------------------------- examples


EXAMPLE = "from shop import add_item\n\ncart = {}\nprint(add_item(cart, 'tea', 2))\n"


def with_example(example: str) -> Reply:
    data = json.loads(GOOD.content)
    return Reply(json.dumps({**data, "example": example}))


def test_a_checked_example_follows_the_pages_own(shop: Path, serve: Any) -> None:
    server = serve([with_example(EXAMPLE)])
    result = build(shop, server.url, strict=True)
    assert result.returncode == 0, result.log
    page = result.html()
    mine = page.index("suggested by <code>test-model</code>")
    assert page.index("generated from the signature") < mine
    assert "checked: parses, imports resolve, calls match the signature" in page[mine:]
    assert 'add_item</span><span class="p">(</span><span class="n">cart' in page[mine:]


def test_under_verify_examples_run_the_models_example_runs_too(shop: Path, serve: Any) -> None:
    failing = "from shop import add_item\n\nprint(add_item({}, 'tea', 1 // 0))\n"
    server = serve([with_example(failing)])
    run = {"verify_examples": "run"}
    result = build(shop, server.url, howto=run)
    assert_static(result)
    [warning] = result.warnings()
    assert warning.startswith(rejected("example: fails when run: ZeroDivisionError").split(";")[0])
    assert warning.endswith("; the page keeps the static text")

    (shop / "answers").rename(shop / "answers-failed")
    server = serve([with_example(EXAMPLE)])
    result = build(shop, server.url, howto=run)
    assert result.returncode == 0 and result.warnings() == [], result.log
    page = result.html()
    mine = page.index("suggested by <code>test-model</code>")
    assert "ran: parses, imports resolve, calls match the signature, runs" in page[mine:]


# ----------------------------------------------------------------------------- the options


@pytest.mark.parametrize(
    ("llm", "message"),
    [
        (
            {},
            "option 'llm': writer: llm needs `llm: {model: ...}`, the model name your server "
            "knows (e.g. gpt-4o-mini, or llama3.1 on Ollama)",
        ),
        (
            {"model": "m", "concurrency": 0},
            "option 'llm': Sub-option 'concurrency': must be at least 1 and at most 64, not 0",
        ),
        (
            {"model": "m", "timeout": -1},
            "option 'llm': Sub-option 'timeout': must be at least 0.1, not -1",
        ),
        (
            {"model": "m", "max_retries": 11},
            "option 'llm': Sub-option 'max_retries': must be at least 1 and at most 10, not 11",
        ),
        (
            {"model": "m", "temperature": "hot"},
            "option 'llm': Sub-option 'temperature': Expected type: <class 'float'> but "
            "received: <class 'str'>",
        ),
    ],
)
def test_the_llm_options_are_checked_before_any_work(llm: dict[str, Any], message: str) -> None:
    with pytest.raises(OptionsError) as error:
        validate_options({"packages": ["shop"], "writer": "llm", "llm": llm}, None)
    assert str(error.value) == message


def test_the_static_writer_needs_no_llm_options() -> None:
    options, warnings = validate_options({"packages": ["shop"]}, None)
    assert options.writer == "static" and warnings == []


# ----------------------------------------------------------------------------- mkdocs serve


def test_serve_shows_the_static_page_until_the_answer_arrives(shop: Path, serve: Any) -> None:
    server = serve([Reply(GOOD.content, delay=3.0)])
    build(shop, server.url, key=None, objects=["none"])  # writes mkdocs.yml, asks nothing
    config = (shop / "mkdocs.yml").read_text(encoding="utf-8")
    (shop / "mkdocs.yml").write_text(config.replace("- none", "- '*'"), encoding="utf-8")
    env = {**os.environ, "OPENAI_API_KEY": KEY, "NO_MKDOCS_2_WARNING": "1"}
    port = free_port()
    log_file = shop / "serve.log"
    command = [MKDOCS, "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    with log_file.open("wb") as output:
        process = subprocess.Popen(command, cwd=shop, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}/{PAGE.removesuffix('index.html')}"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            return ""

    try:
        wait_for(lambda: "add_item" in page(), 60, "the first build")
        assert BADGE not in page()  # the static page while the model answers
        assert FOLD not in page()
        wait_for(lambda: BADGE in page(), 60, "the page with the model's prose")
        log = log_file.read_text(encoding="utf-8")
        assert "0 model calls, 0 cached, 0 pages with model prose, 0 kept static" in log
        assert "1 asked in the background" in log
        assert "0 model calls, 1 cached, 1 pages with model prose" in log
        assert len(server.requests) == 1  # the rebuild its answer triggered asked nothing
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_once_an_object_gets_no_answer_the_others_are_not_asked(shop: Path, serve: Any) -> None:
    """A slow server costs one object's `timeout x max_retries`, not one per object."""
    more = {
        f"shop/extra{n}.py": f"def extra{n}(count: int) -> int:\n    return count + {n}\n"
        for n in range(3)
    }
    write_package(shop / "src", more)
    init = shop / "src" / "shop" / "__init__.py"
    exported = "".join(f"from shop.extra{n} import extra{n}\n" for n in range(3))
    names = "".join(f"__all__ += ['extra{n}']\n" for n in range(3))
    init.write_text(init.read_text() + exported + names, encoding="utf-8")
    server = serve([Reply(GOOD.content, delay=4.0)])
    result = build(shop, server.url, timeout=0.5, max_retries=2, concurrency=1)
    skipped = ", ".join(sorted([ITEM, *(f"shop.extra{n}.extra{n}" for n in range(3))]))
    assert result.warnings() == [
        f"WARNING -  mkdocs_howto: no answer from test-model at {server.url} (timed out "
        f"(2 attempts)): 4 page(s) keep the static text: {skipped}"
    ]
    assert len(server.requests) == 2  # the first object's two attempts, then none
