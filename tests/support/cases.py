"""The check cases' base film and patches (tests/cases/patched.yml), for any test to reuse."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import yaml

from support.paths import TESTS

CASES_DIR = TESTS / "cases"
PATCHED = CASES_DIR / "patched.yml"
BASE_FILM = CASES_DIR / "good-base" / "films" / "sample-2020.yml"


@functools.cache
def patched_cases() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(PATCHED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def apply_patch(text: str, patch: list[dict[str, str]]) -> str:
    """Each `old` is found from where the previous replacement ended and replaced by `new`."""
    cursor = 0
    for hunk in patch:
        at = text.find(hunk["old"], cursor)
        assert at >= 0, f"patch text not found: {hunk['old']!r}"
        text = text[:at] + hunk["new"] + text[at + len(hunk["old"]) :]
        cursor = at + len(hunk["new"])
    return text


def case_film(name: str) -> str:
    """The film text of a patched case."""
    return apply_patch(BASE_FILM.read_text(encoding="utf-8"), patched_cases()[name]["patch"])


def case_films() -> Iterator[tuple[str, str]]:
    """(name, text) of every film file of every case that is UTF-8 text: the files of the case
    directories and the patched films."""
    for p in sorted(CASES_DIR.rglob("*.y*ml")):
        if p.name == "expect.yml" or p == PATCHED or p.is_symlink() or not p.is_file():
            continue
        try:
            text = p.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        yield p.relative_to(CASES_DIR).as_posix(), text
    for name in sorted(patched_cases()):
        yield f"{name}/films/{BASE_FILM.name}", case_film(name)


__all__ = ["BASE_FILM", "CASES_DIR", "apply_patch", "case_film", "case_films", "patched_cases"]
