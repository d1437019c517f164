"""Run an example as a reader would paste it (`verify_examples: run`): opt-in, bounded.

Each example runs in a fresh interpreter, in a scratch folder that is deleted afterwards
(nothing written there is read back), with stdin closed and under a timeout that ends the
whole process group (a child the example starts is stopped too). What comes back is its
captured standard output, truncated and stripped of terminal escapes, and one line saying
why it failed; an example that fails because the network is out of reach says so.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: Most lines and characters of captured output shown under an example.
MAX_OUTPUT_LINES = 25
MAX_OUTPUT_CHARS = 2500
#: Traceback text that means "the network is out of reach", not "the example is wrong":
#: name resolution, unreachable hosts, and the connection errors of common HTTP clients.
_NETWORK = re.compile(
    r"socket\.gaierror|Name or service not known|Temporary failure in name resolution|"
    r"nodename nor servname|No address associated with hostname|Network is unreachable|"
    r"No route to host|urllib\.error\.URLError|requests\.exceptions\.ConnectionError|"
    r"httpx\.ConnectError|httpx\.ConnectTimeout|ClientConnectorError|"
    r"ClientConnectorDNSError|ConnectTimeoutError|NameResolutionError"
)
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|[\x00-\x08\x0b-\x1f\x7f]")
_DOCTEST_FAILURE = re.compile(
    r"Failed example:\n\s+(?P<source>.+?)\n"
    r"(?:Expected:\n\s+(?P<expected>.+?)\nGot:\n\s+(?P<got>.+?)\n|Exception raised:)",
    re.S,
)
_ERROR_LINE = re.compile(r"^[\w.]*(Error|Exception|Exit|Interrupt|error)\b")


@dataclass(frozen=True)
class Run:
    """What running one example gave."""

    problems: tuple[str, ...]
    """Empty when it exited 0; else one line: the exception, the timeout, the network."""
    output: str = ""
    """Its standard output, truncated (`MAX_OUTPUT_LINES`), terminal escapes removed."""
    needs_network: bool = False
    """It failed because a host could not be reached (the build has no network)."""


def run_example(code: str, *, doctest: bool, paths: Sequence[Path], timeout: float) -> Run:
    """Run an example in a fresh interpreter (it imports the user's code): a script with
    `python`, a doctest with `python -m doctest`."""
    with tempfile.TemporaryDirectory(prefix="mkdocs-howto-") as folder:
        script = Path(folder) / ("example.txt" if doctest else "example.py")
        script.write_text(code, encoding="utf-8")
        command = [sys.executable, *(["-m", "doctest"] if doctest else []), str(script)]
        finished = _run(command, folder, paths, timeout)
    if finished is None:
        return Run((f"did not finish within {timeout:g} s when run (stopped)",))
    returncode, stdout, stderr = finished
    output = "" if doctest else shown_output(stdout)
    if returncode == 0:
        return Run((), output)
    report = stdout + stderr
    if _NETWORK.search(report):
        reason = f"needs the network, which the build could not reach ({_failure(report, doctest)})"
        return Run((f"fails when run: {reason}",), output, needs_network=True)
    return Run((f"fails when run: {_failure(report, doctest)}",), output)


def _run(
    command: list[str], folder: str, paths: Sequence[Path], timeout: float
) -> tuple[int, str, str] | None:
    """Exit code, stdout and stderr; None when it ran out of time (its group is killed)."""
    path = os.pathsep.join([*map(str, paths), os.environ.get("PYTHONPATH", "")])
    env = {
        **os.environ,
        "PYTHONPATH": path.strip(os.pathsep),
        # no __pycache__ in the watched source folders: it would trigger a rebuild
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "NO_COLOR": "1",
    }
    process = subprocess.Popen(
        command,
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,  # its own process group: a timeout ends its children too
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()
        return None
    return process.returncode, stdout, stderr


def _kill_group(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def shown_output(stdout: str) -> str:
    """Output as the page shows it: escapes and control characters removed, at most
    `MAX_OUTPUT_LINES` lines and `MAX_OUTPUT_CHARS` characters, the cut said."""
    text = _ESCAPES.sub("", stdout.replace("\r\n", "\n")).rstrip()
    lines = text.split("\n") if text else []
    kept: list[str] = []
    size = 0
    for line in lines[:MAX_OUTPUT_LINES]:
        if size + len(line) > MAX_OUTPUT_CHARS:
            kept.append(line[: MAX_OUTPUT_CHARS - size] + " …")
            break
        kept.append(line)
        size += len(line) + 1
    cut = len(lines) - len(kept)
    return "\n".join([*kept, *([f"… ({cut} more lines)"] if cut > 0 else [])])


def _failure(output: str, doctest: bool) -> str:
    """One line saying what went wrong, from a traceback or a doctest report."""
    match = _DOCTEST_FAILURE.search(output) if doctest else None
    if match and match["expected"]:
        return (
            f"`{match['source']}` gives `{match['got']}`, the docstring expects "
            f"`{match['expected']}`"
        )
    lines = [line.strip() for line in output[match.end() if match else 0 :].splitlines()]
    error = next((line for line in reversed(lines) if _ERROR_LINE.match(line)), None)
    if match:
        return f"`{match['source']}` raises {error or 'an exception'}"
    return error or next((line for line in reversed(lines) if line), "it exits with an error")
