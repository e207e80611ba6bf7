"""Shared fixtures: the repository root, a throwaway content directory, a valid film."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

VALID_FILM = """\
# yaml-language-server: $schema=../schema/film.schema.json
id: {film_id}
title: Sample
year: {year}
director: Jane Doe
runtime_minutes: 101
release: {{date: "{year}-05-01", platform: Netflix}}
details_sources: [src-a]
premise: A retired courier takes *one last job* in a quiet coastal town.
premise_sources: [src-a]
cast:
  - {{entity: mara, actor: Ann Actor, sources: [src-a]}}
sources:
  - id: src-a
    title: Sample review
    kind: review
    url: https://example.com/review
entities:
  - id: mara
    kind: character
    names: [Mara]
    introduced: none
  - id: the-client
    kind: character
    names: [the client, Mr Vance]
    introduced: middle
    descriptions:
      - {{level: middle, text: The man who hired her., sources: [src-a]}}
sections:
  - id: who-is-the-courier
    level: none
    title: Who is the courier?
    facts:
      - {{id: courier-job, level: none, text: Mara delivers packages., sources: [src-a]}}
      - {{id: courier-past, level: setup, text: She once worked for a cartel., sources: [src-a]}}
  - id: who-hired-her
    level: middle
    title: Who hired her?
    facts:
      - {{id: hired, level: middle, text: Mr Vance hired her., sources: [src-a]}}
"""


def valid_film_text(film_id: str = "sample-2020", year: int | None = None) -> str:
    """A small film that passes `spoilers check` under the default ladder."""
    if year is None:
        year = int(film_id.rsplit("-", 1)[1])
    return VALID_FILM.format(film_id=film_id, year=year)


def make_content_dir(root: Path) -> Path:
    """`root/content` with an empty `films/` (the schema ships with the package)."""
    content = root / "content"
    (content / "films").mkdir(parents=True, exist_ok=True)
    return content


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A fresh `tmp_path/content` holding an empty `films/`."""
    return make_content_dir(tmp_path)


@pytest.fixture(name="valid_film_text")
def valid_film_text_fixture() -> Callable[..., str]:
    """`valid_film_text(film_id="sample-2020")` -> the text of a valid film file."""
    return valid_film_text


# --- figures the tests report (tests/reporting.py) ------------------------------------------


def pytest_sessionstart(session: pytest.Session) -> None:
    # Only the controller clears old figures; xdist workers share the same folder.
    if not hasattr(session.config, "workerinput"):
        import reporting

        reporting.clear()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    import reporting

    lines = reporting.collected()
    if lines:
        terminalreporter.section("spoiler safety figures")
        for line in lines:
            terminalreporter.write_line(line)
