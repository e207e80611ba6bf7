"""scripts/find-browser: which Chrome or Chromium the browser tests (and scripts/test) use.

Each test runs the real script against fake browsers (small scripts answering `--version`) on a
PATH that holds only those and the few tools the script needs, so the machine's own browsers
never interfere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

REPO = REPO_ROOT
SCRIPT = REPO / "scripts" / "find-browser"
TOOLS = ("readlink", "head", "grep", "timeout", "cat")


def fake_browser(path: Path, body: str = 'echo "Chromium 999.0.0.0"') -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


class Runner:
    """Runs scripts/find-browser with `bindir` and the needed tools as the whole PATH."""

    def __init__(self, tmp_path: Path) -> None:
        self.tools = tmp_path / "tools"
        self.tools.mkdir()
        for name in TOOLS:
            found = shutil.which(name)
            if found:
                (self.tools / name).symlink_to(found)
        self.bindir = tmp_path / "bin"
        self.bindir.mkdir()

    def __call__(
        self, env: dict[str, str] | None = None, fixed: list[Path] | None = None
    ) -> subprocess.CompletedProcess[str]:
        base = {k: v for k, v in os.environ.items() if k not in {"SPOILERS_CHROMIUM", "CHROME_BIN"}}
        base["PATH"] = f"{self.bindir}:{self.tools}"
        base["SPOILERS_BROWSER_FIXED_PATHS"] = ":".join(str(p) for p in fixed or [])
        return subprocess.run(
            [shutil.which("bash") or "/bin/bash", str(SCRIPT)],
            env={**base, **(env or {})},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


@pytest.fixture
def run(tmp_path: Path) -> Runner:
    return Runner(tmp_path)


def test_spoilers_chromium_wins(run: Runner, tmp_path: Path) -> None:
    fake_browser(run.bindir / "chromium")
    chosen = fake_browser(tmp_path / "elsewhere" / "my-chrome")
    proc = run({"SPOILERS_CHROMIUM": str(chosen)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(chosen)


def test_a_broken_spoilers_chromium_is_an_error_not_a_fallback(run: Runner, tmp_path: Path) -> None:
    fake_browser(run.bindir / "chromium")
    proc = run({"SPOILERS_CHROMIUM": str(tmp_path / "missing")})
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "SPOILERS_CHROMIUM" in proc.stderr


def test_fixed_path_comes_before_path_names(run: Runner, tmp_path: Path) -> None:
    fixed = fake_browser(tmp_path / "usr-bin" / "chromium")
    fake_browser(run.bindir / "google-chrome")
    proc = run(fixed=[fixed])
    assert proc.stdout.strip() == str(fixed)


def test_names_on_path_in_order(run: Runner) -> None:
    fake_browser(run.bindir / "google-chrome-stable")
    fake_browser(run.bindir / "google-chrome")
    assert run().stdout.strip() == str(run.bindir / "google-chrome")


def test_ubuntu_snap_handover_is_skipped(run: Runner) -> None:
    # Ubuntu's transitional deb: a launcher that only starts the snap.
    fake_browser(
        run.bindir / "chromium-browser",
        'if [ -x /snap/bin/chromium ]; then exec /snap/bin/chromium "$@"; fi\n'
        'echo "Command requires the chromium snap to be installed."; exit 1',
    )
    chrome = fake_browser(run.bindir / "google-chrome")
    proc = run()
    assert proc.stdout.strip() == str(chrome)
    assert "snap" in proc.stderr


def test_a_candidate_that_does_not_run_is_skipped(run: Runner) -> None:
    fake_browser(run.bindir / "chromium", "exit 3")
    chrome = fake_browser(run.bindir / "google-chrome-stable")
    assert run().stdout.strip() == str(chrome)


def test_chrome_bin_is_used(run: Runner, tmp_path: Path) -> None:
    chrome = fake_browser(tmp_path / "opt" / "google-chrome")
    proc = run({"CHROME_BIN": str(chrome)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(chrome)


def test_fixed_path_comes_before_chrome_bin(run: Runner, tmp_path: Path) -> None:
    fixed = fake_browser(tmp_path / "usr-bin" / "chromium")
    chrome_bin = fake_browser(tmp_path / "opt" / "google-chrome")
    assert run({"CHROME_BIN": str(chrome_bin)}, fixed=[fixed]).stdout.strip() == str(fixed)


def test_nothing_found_says_what_to_install(run: Runner) -> None:
    proc = run()
    assert proc.returncode == 1
    assert proc.stdout == ""
    for needle in ("Debian", "apt-get install chromium", "Ubuntu", "macOS", "GitHub"):
        assert needle in proc.stderr, needle
    assert "SPOILERS_CHROMIUM" in proc.stderr
    assert "Traceback" not in proc.stderr
