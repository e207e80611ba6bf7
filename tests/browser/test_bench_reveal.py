"""bench_reveal.py runs end to end (both designs built and served, one timed run each); its
figures go to the run's summary, but no timing is asserted (run the script for the real table)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from reporting import report

from .support import REPO

pytestmark = pytest.mark.browser

BENCH = Path(__file__).with_name("bench_reveal.py")


def test_bench_reveal_runs_and_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--runs", "1", "--workdir", str(tmp_path), "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| reader | design | network requests | of which HTML |" in proc.stdout
    assert "ratio new/old" in proc.stdout
    f = json.loads(out.read_text(encoding="utf-8"))
    for reader in ("confirming", "returning"):
        old, new = f[reader]["old"], f[reader]["new"]
        # The gate's own address, then its text: one HTML request more than the old page.
        assert (old["html_requests"], new["html_requests"]) == (1, 2), (reader, old, new)
        assert new["html"] > 0 and old["html"] > 0
        assert new["gate_seen"] is False or reader == "confirming"
    assert len(f["times"]["old"]) == len(f["times"]["new"]) == 1
    assert f["html_sizes"]["new"]["files"] == 2 and f["html_sizes"]["old"]["files"] == 1

    c, r, g = f["confirming"], f["returning"], f["html_sizes"]["gate"]
    ratio = f["times"]["new"][0] / f["times"]["old"][0]
    report(
        "issue15-bytes",
        f"gate vs {f['old_commit']} ({f['level']}): confirming reader "
        f"{c['new']['html_requests'] - c['old']['html_requests']:+d} HTML request, "
        f"{(c['new']['bytes'] - c['old']['bytes']) / 1000:+.1f} kB; returning reader "
        f"{r['new']['html_requests'] - r['old']['html_requests']:+d} HTML request, "
        f"{(r['new']['bytes'] - r['old']['bytes']) / 1000:+.1f} kB (each commit's own text); "
        f"same text: + the gate page, {g['raw'] / 1000:.1f} kB ({g['gzip'] / 1000:.1f} kB gzip)",
    )
    report(
        "issue15-time",
        f"returning reader, navigation -> {f['level']} text shown: new/old {ratio:.2f} "
        "(1 run under test load; tests/browser/bench_reveal.py gives the median of 9)",
    )
