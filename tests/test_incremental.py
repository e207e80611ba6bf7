"""`mkdocs serve` keeps one Checker between rebuilds: after any edit, what it reports must be
exactly what a fresh check reports, while it reads again only the films that changed."""

from __future__ import annotations

import os
from pathlib import Path

from support.cases import BASE_FILM
from support.paths import LADDER
from support.sites import make_content_dir

from mkdocs_plugins.spoilers.validate import Checker, check


def films(content: Path) -> Path:
    return content / "films"


def write(content: Path, name: str, text: str) -> None:
    path = films(content) / name
    path.write_text(text, encoding="utf-8")
    st = path.stat()  # a new mtime even within the filesystem's clock tick
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def other_film(film_id: str, title: str) -> str:
    year = film_id.rsplit("-", 1)[1]
    return (
        BASE_FILM.read_text(encoding="utf-8")
        .replace("id: sample-2020", f"id: {film_id}")
        .replace("title: Sample\n", f"title: {title}\n", 1)
        .replace("year: 2020", f"year: {year}")
        .replace("names: [the client, Mr Vance]", "names: [the boss, Mr Greer]")
        .replace("Mr Vance hired", "Mr Greer hired")
        .replace("The client dies", "The boss dies")
    )


def same(checker: Checker, content: Path) -> set[str]:
    got = checker.run()
    fresh = check([], content, LADDER)
    key = lambda d: (d.path, d.line, d.col, d.code, d.message)  # noqa: E731
    assert sorted(map(key, got.diagnostics)) == sorted(map(key, fresh.diagnostics))
    assert [f.id for f in got.films] == [f.id for f in fresh.films]
    return checker.changed


def test_a_checker_reads_only_what_changed_and_agrees_with_a_fresh_check(tmp_path: Path) -> None:
    content = make_content_dir(tmp_path)
    base = BASE_FILM.read_text(encoding="utf-8")
    write(content, "sample-2020.yml", base)
    write(content, "greer-2021.yml", other_film("greer-2021", "Greer"))
    checker = Checker(content, LADDER)
    assert same(checker, content) == {"sample-2020", "greer-2021"}
    assert same(checker, content) == set()  # nothing changed: nothing read
    # A new title that names the other film's hidden entity: a cross-film error appears...
    write(content, "greer-2021.yml", other_film("greer-2021", "Mr Vance Returns"))
    assert same(checker, content) == {"greer-2021"}
    assert any(d.code == "spoiler-cross-film" for d in checker.run().diagnostics)
    # ...and goes when the other film hides that name no more.
    write(content, "sample-2020.yml", base.replace("Mr Vance", "Mr Vantage"))
    assert same(checker, content) == {"sample-2020"}
    assert not any(d.code == "spoiler-cross-film" for d in checker.run().diagnostics)
    # ...and comes back when that film hides it again: the unchanged film's title is read
    # against the changed film's names (CrossFilm keeps a word -> films map to find it).
    write(content, "sample-2020.yml", base)
    assert same(checker, content) == {"sample-2020"}
    assert any(d.code == "spoiler-cross-film" for d in checker.run().diagnostics)
    # A broken file, a fixed one, a duplicate id, a removed file.
    write(content, "sample-2020.yml", base.replace("level: setup", "level: sequel", 1))
    assert same(checker, content) == {"sample-2020"}
    write(content, "sample-2020.yml", base)
    write(content, "copy-2020.yml", base)
    assert "sample-2020" in same(checker, content)
    (films(content) / "copy-2020.yml").unlink()
    (films(content) / "greer-2021.yml").unlink()
    assert same(checker, content) == {"sample-2020", "greer-2021"}
