"""Figures that tests report (payloads tried, leaks caught, films fuzzed...).

Tests write one line each into test-artifacts/reports/; conftest.py prints them all in pytest's
terminal summary, which also works under pytest-xdist (workers' stdout is not shown).
"""

from __future__ import annotations

from pathlib import Path

REPORTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "reports"


def report(name: str, line: str) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.txt").write_text(line.rstrip() + "\n", encoding="utf-8")


def collected() -> list[str]:
    if not REPORTS.is_dir():
        return []
    return [p.read_text(encoding="utf-8").rstrip() for p in sorted(REPORTS.glob("*.txt"))]


def clear() -> None:
    if REPORTS.is_dir():
        for p in REPORTS.glob("*.txt"):
            p.unlink()
