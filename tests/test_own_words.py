"""Film files are written in the project's own words.

Fails if any string in content/films/*.yml shares a run of 10 consecutive normalised words with a
seed article. The articles are not in this repository: the check uses the committed index of
hashed 10-word runs (tests/own_words_index.json), so it runs the same everywhere, GitHub included.
Where the articles are present (SPOILERS_SEEDS_DIR, else <repo>/../shared/seeds) the index must
also be up to date with them; elsewhere that one test is skipped, and says so.

Source titles (`sources[i].title`) are exempt: they must reproduce the article's own title.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

try:  # tests/ may or may not become a package
    from . import own_words as ow
except ImportError:
    import own_words as ow  # type: ignore[no-redef]

# A made-up "article" for the tests that must prove the checker fails: 40+ distinct words.
MADE_UP_SEED = (
    "Harbour lights flicker while the ferry pilot counts crates of salt beside a rusted crane. "
    "Nobody on the quay remembers when the lighthouse keeper stopped answering letters from "
    "the mainland, yet every Tuesday a parcel still arrives wrapped in yesterday's newspaper "
    "and tied with green string that smells faintly of tar."
)


@functools.cache
def committed_index() -> dict[str, str]:
    return ow.load_index()


@functools.cache
def seed_files() -> tuple[Path, ...]:
    directory = ow.seeds_dir()
    return tuple(ow.seed_files(directory)) if directory.is_dir() else ()


def needs_seeds() -> tuple[Path, ...]:
    files = seed_files()
    if not files:
        pytest.skip(
            f"the seed articles are not here ({ow.seeds_dir()}; set {ow.SEEDS_ENV}); the films "
            "are still checked against the committed index"
        )
    return files


def made_up_index(tmp_path: Path) -> tuple[dict[str, str], list[str]]:
    """The committed index's whole round trip (document, JSON file, loader) on a made-up seed."""
    seed = tmp_path / "seeds" / "made-up.txt"
    seed.parent.mkdir()
    seed.write_text(MADE_UP_SEED, encoding="utf-8")
    index_file = tmp_path / "index.json"
    index_file.write_text(ow.dump_index(ow.index_document([seed])), encoding="utf-8")
    return ow.load_index(index_file), ow.words(MADE_UP_SEED)


# --- the rule, on the real films ------------------------------------------------------------


def test_films_are_in_own_words() -> None:
    films = sorted(ow.FILMS_DIR.glob("*.yml"))
    assert films, f"no film files found in {ow.FILMS_DIR}"
    copies = ow.check_films(films, committed_index())
    assert not copies, "text copied from a seed article:\n" + "\n".join(map(str, copies))


def test_committed_index_is_up_to_date_with_the_articles() -> None:
    files = needs_seeds()
    fresh = ow.dump_index(ow.index_document(files))
    assert ow.INDEX_FILE.read_text(encoding="utf-8") == fresh, (
        f"{ow.INDEX_FILE.name} does not match the articles in {ow.seeds_dir()}; "
        "regenerate it with `bash scripts/own-words-index` and commit it"
    )


def test_committed_index_catches_a_run_copied_from_a_real_article() -> None:
    files = needs_seeds()
    ws = ow.words(files[0].read_text(encoding="utf-8"))
    assert len(ws) >= 40, f"seed {files[0].name} is too short for this test"
    copied = " ".join(ws[20:30]).upper()  # case must not matter
    copies = ow.find_copies({"premise": copied}, "x.yml", committed_index())
    assert len(copies) == 1
    assert copies[0].seed in {p.name for p in files}


# --- the index holds hashes, never text -----------------------------------------------------


def test_committed_index_holds_only_hashes() -> None:
    document: dict[str, Any] = json.loads(ow.INDEX_FILE.read_text(encoding="utf-8"))
    assert set(document) == {"about", "format", "run", "hash", "normalisation", "seeds"}
    assert document["run"] == ow.RUN == 10
    assert document["seeds"], "the index lists no seed article"
    for name, hashes in document["seeds"].items():
        assert re.fullmatch(r"[\w.-]+\.txt", name), name
        assert hashes == sorted(set(hashes)), f"{name}: hashes not sorted and unique"
        assert all(re.fullmatch(r"[0-9a-f]{16}", h) for h in hashes), name
    assert len(committed_index()) > 1000  # five articles of ~1,000 words each


def test_an_index_made_with_other_settings_is_refused(tmp_path: Path) -> None:
    document = json.loads(ow.INDEX_FILE.read_text(encoding="utf-8"))
    for key, value in (("run", 9), ("normalisation", "0" * 16), ("hash", "sha1")):
        bad = tmp_path / f"bad-{key}.json"
        bad.write_text(json.dumps({**document, key: value}), encoding="utf-8")
        with pytest.raises(ow.BadIndex, match="bash scripts/own-words-index"):
            ow.load_index(bad)
    text = tmp_path / "text.json"
    text.write_text(
        json.dumps({**document, "seeds": {"a.txt": ["the quick brown fox"]}}), encoding="utf-8"
    )
    with pytest.raises(ow.BadIndex):
        ow.load_index(text)
    with pytest.raises(ow.BadIndex, match="cannot read"):
        ow.load_index(tmp_path / "missing.json")


# --- the checker can fail -------------------------------------------------------------------


def test_checker_catches_a_copied_run(tmp_path: Path) -> None:
    index, ws = made_up_index(tmp_path)
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
    assert copies[0].seed == "made-up.txt"


def test_checker_catches_a_copy_with_curly_quotes_and_dashes(tmp_path: Path) -> None:
    index, _ = made_up_index(tmp_path)
    text = "every Tuesday a parcel still arrives wrapped in yesterday\u2019s newspaper \u2014 and"
    assert len(ow.find_copies({"premise": text}, "x.yml", index)) == 1


def test_checker_allows_nine_words(tmp_path: Path) -> None:
    index, ws = made_up_index(tmp_path)
    # Nine seed words, then a word that breaks the run.
    text = " ".join(ws[20:29]) + " zzqxj " + " ".join(ws[30:39])
    assert ow.find_copies({"premise": text}, "example.yml", index) == []


def test_source_titles_are_citations(tmp_path: Path) -> None:
    index, ws = made_up_index(tmp_path)
    copied = " ".join(ws[:10])
    assert ow.find_copies({"sources": [{"title": copied}]}, "x.yml", index) == []
    assert ow.find_copies({"sources": [{"note": copied}]}, "x.yml", index) != []


def test_check_films_reads_yaml_files(tmp_path: Path) -> None:
    index, ws = made_up_index(tmp_path)
    film = tmp_path / "copy-2000.yml"
    film.write_text(f"id: copy-2000\npremise: {' '.join(ws[5:15])}\n", encoding="utf-8")
    (copy,) = ow.check_films([film], index)
    assert copy.path == ("premise",)


def test_normalisation() -> None:
    curly = "\u201cOk-Ju\u2019s\u201d \u2013 the ball\u2014room, 2023!"
    assert ow.words(curly) == ["ok", "ju's", "the", "ball", "room", "2023"]
    assert ow.words("It\u2019s") == ow.words("it's") == ["it's"]
    assert ow.words("\ufb01sh") == ["fish"]  # NFKC folds the ligature
