"""The benchmarks run end to end on a tiny site (2 films); their speed is never tested.

Each benchmark is a script that prints figures (tests/benchmarks/, docs/performance.md); these
tests only prove that each one still runs against the current plugin and prints its tables.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

BENCH = Path(__file__).parent / "benchmarks"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(script: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def test_build_benchmark_runs_and_the_plain_site_matches(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    work = tmp_path / "work"
    proc = run(
        "bench_build.py",
        *("--films", "2", "--repeat", "1", "--workdir", str(work), "--keep-sites"),
        *("--json", str(out)),
    )
    assert "| films | pages | plugin (a) | plain (b) | a/b time |" in proc.stdout
    assert "| 2 | 10 |" in proc.stdout
    assert "pages compared, 0 mismatches" in proc.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    (size,) = figures["sizes"]
    assert size["films"] == 2 and size["pages"] == 10
    assert set(size["series"]) == {"plugin:this", "plain:this"}
    assert all(r["rss_mb"] > 0 for s in size["series"].values() for r in s["runs"])
    # 10 film pages + home (and any other page the plugin writes, such as a level's reveal page)
    assert size["notes"]["plain:this"]["pages_verified"] >= 11
    # Both sites built the same film and level pages (films/<id>/ and films/<id>/<level>/).
    for site in ("out-this", "out-plain-this"):
        films = work / "n2" / site / "films"
        pages = [*films.glob("*/index.html"), *films.glob("*/*/index.html")]
        assert len(pages) == 10, (site, pages)


def test_writer_loop_benchmark_serves_each_change_and_stops_its_server(tmp_path: Path) -> None:
    out = tmp_path / "serve.json"
    proc = run(
        "bench_serve.py",
        *("--films", "2", "--saves", "1", "--config-saves", "1", "--template-saves", "1"),
        *("--settle", "0.2", "--json", str(out)),
    )
    assert "| films | checkout | start to served (CPU) | film save to served |" in proc.stdout
    assert "| 2 | this |" in proc.stdout
    assert "never served" not in proc.stdout
    (session,) = json.loads(out.read_text(encoding="utf-8"))["sessions"]
    assert [c["kind"] for c in session["changes"]] == ["film", "config", "template"]
    assert all(c["served_s"] is not None for c in session["changes"])
    # The server is gone: nothing listens on its port any more.
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", session["port"])) != 0


def test_profile_script_reports_time_and_memory(tmp_path: Path) -> None:
    proc = run(
        "profile_build.py",
        *("--films", "2", "--memory-films", "2", "--tracemalloc-films", "0", "--top", "5"),
        *("--import-runs", "1"),
    )
    assert "#### The plugin's hooks (cumulative)" in proc.stdout
    assert "#### RSS after each stage, 2 films" in proc.stdout
    assert "#### The plugin's own objects after `nav`" in proc.stdout
