"""Film files are written in the project's own words.

Fails if any string in content/films/*.yml shares a run of 10 consecutive normalised words with a
seed article (SPOILERS_SEEDS_DIR, else <repo>/../shared/seeds). A missing seeds directory is a
failure, not a skip: CI always has it, and a skipped check would pass silently.

Source titles (`sources[i].title`) are exempt: they must reproduce the article's own title.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

try:  # tests/ may or may not become a package
    from . import own_words as ow
except ImportError:
    import own_words as ow  # type: ignore[no-redef]


@functools.cache
def _seeds() -> tuple[tuple[Path, ...], dict[ow.Gram, str]]:
    """The seed files and their 10-gram index, built once per session."""
    directory = ow.seeds_dir()
    if not directory.is_dir():
        pytest.fail(
            f"seed articles not found: {directory} is not a directory. Set {ow.SEEDS_ENV} to "
            "the folder holding the seed .txt files (CI always provides it).",
            pytrace=False,
        )
    files = tuple(ow.seed_files(directory))
    if not files:
        pytest.fail(f"no seed articles (*.txt) in {directory}", pytrace=False)
    return files, ow.build_index(files)


def test_films_are_in_own_words() -> None:
    index = _seeds()[1]
    films = sorted(ow.FILMS_DIR.glob("*.yml"))
    assert films, f"no film files found in {ow.FILMS_DIR}"
    copies = ow.check_films(films, index)
    assert not copies, "text copied from a seed article:\n" + "\n".join(map(str, copies))


def test_checker_catches_a_copied_run() -> None:
    seed_paths, index = _seeds()
    seed = seed_paths[0]
    ws = ow.words(seed.read_text(encoding="utf-8"))
    assert len(ws) >= 40, f"seed {seed.name} is too short for this test"
    copied = " ".join(ws[20:30]).upper()  # case must not matter
    data = {
        "id": "example-2000",
        "sections": [{"facts": [{"text": "Fine words. " + copied + " More words."}]}],
    }
    copies = ow.find_copies(data, "example-2000.yml", index)
    assert len(copies) == 1
    message = str(copies[0])
    assert "example-2000.yml" in message
    assert "sections[0].facts[0].text" in message
    assert " ".join(ws[20:30]) in message
    assert copies[0].seed in {p.name for p in seed_paths}


def test_checker_allows_nine_words() -> None:
    seed_paths, index = _seeds()
    ws = ow.words(seed_paths[0].read_text(encoding="utf-8"))
    # Nine seed words, then a word that breaks the run.
    text = " ".join(ws[20:29]) + " zzqxj " + " ".join(ws[30:39])
    assert ow.find_copies({"premise": text}, "example.yml", index) == []


def test_source_titles_are_citations() -> None:
    index = _seeds()[1]
    some_run = next(iter(index))
    copied = " ".join(some_run)
    assert ow.find_copies({"sources": [{"title": copied}]}, "x.yml", index) == []
    assert ow.find_copies({"sources": [{"note": copied}]}, "x.yml", index) != []


def test_normalisation() -> None:
    curly = "\u201cOk-Ju\u2019s\u201d \u2013 the ball\u2014room, 2023!"
    assert ow.words(curly) == ["ok", "ju's", "the", "ball", "room", "2023"]
    assert ow.words("It\u2019s") == ow.words("it's") == ["it's"]
    assert ow.words("\ufb01sh") == ["fish"]  # NFKC folds the ligature
