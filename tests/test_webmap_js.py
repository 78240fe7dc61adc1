"""The web map's JavaScript unit tests (webmap/test, node's built-in test runner) as part of the
suite: they must all run and pass; a skipped or to-do JS test fails here, as a skipped Python
test fails CI."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

WEBMAP = Path(__file__).resolve().parents[1] / "webmap"


def test_javascript_unit_tests_pass_and_none_is_skipped() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; scripts/setup.sh installs it (Node 20)")
    proc = subprocess.run(
        [node, "--import", "./test/vendor.js", "--test", "--test-reporter=tap", "test/"],
        cwd=WEBMAP,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = proc.stdout
    assert proc.returncode == 0, out[-6000:] + proc.stderr[-2000:]
    summary = re.findall(r"^# (tests|pass|fail|skipped|todo|cancelled) (\d+)$", out, re.M)
    counts = {k: int(v) for k, v in summary}
    assert counts.get("fail") == 0 and counts.get("cancelled") == 0, counts
    assert counts.get("skipped") == 0, f"JS tests were skipped: {counts}"
    assert counts.get("todo") == 0, f"JS tests are marked to-do: {counts}"
    files = sorted(p.name for p in (WEBMAP / "test").glob("*.test.js"))
    assert len(files) >= 8, files
    assert counts["pass"] == counts["tests"] >= 40, counts
