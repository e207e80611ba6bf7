"""The build benchmark runs end to end (2 films, one build per site); its speed is not tested."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

BENCH = Path(__file__).parent / "benchmarks" / "bench_build.py"


def test_bench_build_runs_and_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--films",
            "2",
            "--repeat",
            "1",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| films | pages | plugin (a) | plain (b) | a/b |" in proc.stdout
    assert "| 2 | 10 |" in proc.stdout
    assert "| target | measured | result |" in proc.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert [r["films"] for r in figures["rows"]] == [2]
    # Both sites wrote the same level pages.
    for site in ("out-plugin", "out-plain"):
        pages = sorted((tmp_path / "work" / "n2" / site / "films").glob("*/**/index.html"))
        assert len(pages) == 10, (site, pages)
