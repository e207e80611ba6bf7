"""Own-words check: no run of N consecutive words in a film file may be copied from a seed article.

The seed articles are not in this repository (their text must never be committed). What is
committed is INDEX_FILE: for every run of RUN consecutive normalised words of every article, a
64-bit BLAKE2b hash of the run, and nothing else. The check hashes each run of writer text the
same way and looks it up, so it works wherever the repository is checked out, GitHub included.
`bash scripts/own-words-index` regenerates the index from the articles.

Used by tests/test_own_words.py. Plain functions, no pytest and no project imports, so the check
can also be run by hand:

    python tests/own_words.py                      # films against the committed index
    python tests/own_words.py --seeds [SEEDS_DIR]  # films against the articles themselves
    python tests/own_words.py --write-index [SEEDS_DIR]   # regenerate the committed index
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RUN = 10  # a run of this many consecutive words, shared with a seed, is a copy

REPO = Path(__file__).resolve().parent.parent
FILMS_DIR = REPO / "content" / "films"
SEEDS_ENV = "SPOILERS_SEEDS_DIR"
INDEX_FILE = Path(__file__).resolve().parent / "own_words_index.json"
INDEX_FORMAT = 1
HASH_BYTES = 8  # 64-bit digests: ~6,000 seed runs against a few thousand writer runs never collide
HASH_PATTERN = re.compile(f"[0-9a-f]{{{HASH_BYTES * 2}}}")
# A fixed text whose normalised words are hashed into the index: if normalise() or words() ever
# change, the committed index no longer matches and must be regenerated from the articles.
NORMALISATION_PROBE = (
    "\u201cOk-Ju\u2019s\u201d \u2013 the ball\u2014room, 2023! \ufb01sh It\u2019s \u00c9t\u00c9"
)

# Bibliographic fields that must reproduce an article verbatim (a title "as the article gives it"),
# so they are citations, not prose. Matched against the key path: ("sources", <index>, "title").
CITATION_KEYS: frozenset[tuple[str, str]] = frozenset({("sources", "title")})

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_ASCII = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)

KeyPath = tuple[str | int, ...]
Gram = tuple[str, ...]


def normalise(text: str) -> str:
    """NFKC, curly quotes and dashes to ASCII, lowercase."""
    return unicodedata.normalize("NFKC", text).translate(_ASCII).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def grams(ws: list[str], n: int = RUN) -> Iterator[Gram]:
    for i in range(len(ws) - n + 1):
        yield tuple(ws[i : i + n])


def gram_hash(gram: Gram) -> str:
    """The index key of one run: BLAKE2b-64 of its words joined by single spaces, in hex."""
    data = " ".join(gram).encode("utf-8")
    return hashlib.blake2b(data, digest_size=HASH_BYTES).hexdigest()


def normalisation_fingerprint() -> str:
    return gram_hash(tuple(words(NORMALISATION_PROBE)))


def seeds_dir() -> Path:
    """$SPOILERS_SEEDS_DIR, else <repo>/../shared/seeds."""
    env = os.environ.get(SEEDS_ENV)
    return Path(env) if env else REPO.parent / "shared" / "seeds"


def seed_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.txt") if p.is_file())


def build_index(files: Iterable[Path], n: int = RUN) -> dict[str, str]:
    """Hash of every n-word run of every seed -> the name of the first seed it occurs in."""
    index: dict[str, str] = {}
    for path in files:
        for gram in grams(words(path.read_text(encoding="utf-8")), n):
            index.setdefault(gram_hash(gram), path.name)
    return index


def index_document(files: Iterable[Path]) -> dict[str, Any]:
    """What INDEX_FILE holds: the settings, and per seed file the sorted hashes of its runs."""
    seeds: dict[str, list[str]] = {}
    for path in sorted(files, key=lambda p: p.name):
        hashes = {gram_hash(g) for g in grams(words(path.read_text(encoding="utf-8")))}
        seeds[path.name] = sorted(hashes)
    return {
        "about": (
            "Own-words index: 64-bit BLAKE2b hashes of every run of "
            f"{RUN} normalised words of each seed article (tests/own_words.py); never the text. "
            "Regenerate with: bash scripts/own-words-index"
        ),
        "format": INDEX_FORMAT,
        "run": RUN,
        "hash": f"blake2b-{HASH_BYTES * 8}",
        "normalisation": normalisation_fingerprint(),
        "seeds": seeds,
    }


def dump_index(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=True) + "\n"


class BadIndex(ValueError):
    """The committed index is missing, malformed or made with other settings."""


def load_index(path: Path = INDEX_FILE) -> dict[str, str]:
    """INDEX_FILE -> {hash: first seed name}, refusing an index built with other settings."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadIndex(f"cannot read the own-words index {path}: {exc}") from exc
    expected = {
        "format": INDEX_FORMAT,
        "run": RUN,
        "hash": f"blake2b-{HASH_BYTES * 8}",
        "normalisation": normalisation_fingerprint(),
    }
    for key, value in expected.items():
        if not isinstance(document, dict) or document.get(key) != value:
            raise BadIndex(
                f"the own-words index {path} was made with other settings ({key}); regenerate "
                "it from the articles with: bash scripts/own-words-index"
            )
    seeds = document.get("seeds")
    if not isinstance(seeds, dict):
        raise BadIndex(f"the own-words index {path} has no `seeds` mapping")
    index: dict[str, str] = {}
    for name, hashes in seeds.items():
        if not isinstance(hashes, list) or not all(
            isinstance(h, str) and HASH_PATTERN.fullmatch(h) for h in hashes
        ):
            raise BadIndex(f"the own-words index {path}: seed {name!r} holds something else")
        for h in hashes:
            index.setdefault(h, name)
    return index


def iter_strings(node: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every string value in plain YAML data, with its key path."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from iter_strings(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_strings(value, (*path, i))


def format_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "<document>"


def _is_citation(path: KeyPath) -> bool:
    keys = tuple(p for p in path if isinstance(p, str))
    return len(path) == 3 and keys in CITATION_KEYS


@dataclass(frozen=True)
class Copy:
    film: str
    path: KeyPath
    run: str
    seed: str

    def __str__(self) -> str:
        return (
            f"{self.film}: `{format_path(self.path)}` copies {RUN} words from seed "
            f'{self.seed}: "{self.run}"'
        )


def find_copies(data: Any, film: str, index: Mapping[str, str]) -> list[Copy]:
    """One Copy per string that shares a run with a seed (the first such run reported)."""
    found: list[Copy] = []
    for path, text in iter_strings(data):
        if _is_citation(path):
            continue
        for gram in grams(words(text)):
            seed = index.get(gram_hash(gram))
            if seed is not None:
                found.append(Copy(film, path, " ".join(gram), seed))
                break
    return found


def check_films(films: Iterable[Path], index: Mapping[str, str]) -> list[Copy]:
    found: list[Copy] = []
    for film in films:
        data = yaml.safe_load(film.read_text(encoding="utf-8"))
        try:
            name = str(film.relative_to(REPO))
        except ValueError:
            name = str(film)
        found += find_copies(data, name, index)
    return found


def main(argv: list[str]) -> int:
    films = sorted(FILMS_DIR.glob("*.yml"))
    if argv and argv[0] in ("--seeds", "--write-index"):
        directory = Path(argv[1]) if len(argv) > 1 else seeds_dir()
        files = seed_files(directory) if directory.is_dir() else []
        if not files:
            print(f"error: no seed articles (*.txt) in {directory}", file=sys.stderr)
            return 2
        if argv[0] == "--write-index":
            INDEX_FILE.write_text(dump_index(index_document(files)), encoding="utf-8")
            print(f"wrote {INDEX_FILE} from {len(files)} article(s) in {directory}")
            return 0
        index = build_index(files)
    elif argv:
        print("usage: own_words.py [--seeds [DIR] | --write-index [DIR]]", file=sys.stderr)
        return 2
    else:
        try:
            index = load_index()
        except BadIndex as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    copies = check_films(films, index)
    for c in copies:
        print(c)
    return 1 if copies else 0


if __name__ == "__main__":  # pragma: no cover - manual use
    sys.exit(main(sys.argv[1:]))
