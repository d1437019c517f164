"""bench/probe_examples.py: the run-time check of examples used on real packages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PROBE = ROOT / "bench" / "probe_examples.py"


def probe(tmp_path: Path, **examples: str) -> dict[str, dict[str, object]]:
    payload = tmp_path / "examples.json"
    payload.write_text(json.dumps([{"id": k, "code": v} for k, v in examples.items()]))
    done = subprocess.run(
        [sys.executable, str(PROBE), str(payload)], capture_output=True, text=True, check=True
    )
    return {item["id"]: item for item in json.loads(done.stdout)}


def test_the_probe_reports_what_breaks_at_run_time(tmp_path: Path) -> None:
    found = probe(
        tmp_path,
        missing="from json import nowhere\n",
        arity="import json\n\njson.loads()\n",
        keyword="from pathlib import Path\n\np = Path('x')\np.with_suffix(suffx='.md')\n",
        abstract="from collections.abc import Sized\n\nSized()\n",
        guarded='import sys\n\nif sys.platform == "no-such-os":\n    from json import nowhere\n',
        fine="import json\n\njson.dumps({}, indent=2)\n",
    )
    assert "cannot import name 'nowhere'" in found["missing"]["imports"][0]
    assert found["arity"]["calls"] == ["json.loads(): missing a required argument: 's'"]
    assert found["keyword"]["calls"] == ["p.with_suffix(): missing a required argument: 'suffix'"]
    assert found["abstract"]["calls"] == ["Sized(): abstract class instantiated"]
    assert found["guarded"]["imports"] == []
    assert (found["fine"]["imports"], found["fine"]["calls"], found["fine"]["checked"]) == (
        [],
        [],
        1,
    )
