"""Own-words check: no run of N consecutive words in a film file may be copied from a seed article.

Used by tests/test_own_words.py. Plain functions, no pytest and no project imports, so the check
can also be run by hand:

    python tests/own_words.py [SEEDS_DIR]
"""

from __future__ import annotations

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


def seeds_dir() -> Path:
    """$SPOILERS_SEEDS_DIR, else <repo>/../shared/seeds."""
    env = os.environ.get(SEEDS_ENV)
    return Path(env) if env else REPO.parent / "shared" / "seeds"


def seed_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.txt") if p.is_file())


def build_index(files: Iterable[Path], n: int = RUN) -> dict[Gram, str]:
    """Every n-word run of every seed -> the name of the first seed it occurs in."""
    index: dict[Gram, str] = {}
    for path in files:
        for gram in grams(words(path.read_text(encoding="utf-8")), n):
            index.setdefault(gram, path.name)
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


def find_copies(data: Any, film: str, index: Mapping[Gram, str]) -> list[Copy]:
    """One Copy per string that shares a run with a seed (the first such run reported)."""
    found: list[Copy] = []
    for path, text in iter_strings(data):
        if _is_citation(path):
            continue
        for gram in grams(words(text)):
            seed = index.get(gram)
            if seed is not None:
                found.append(Copy(film, path, " ".join(gram), seed))
                break
    return found


def check_films(films: Iterable[Path], index: Mapping[Gram, str]) -> list[Copy]:
    found: list[Copy] = []
    for film in films:
        data = yaml.safe_load(film.read_text(encoding="utf-8"))
        try:
            name = str(film.relative_to(REPO))
        except ValueError:
            name = str(film)
        found += find_copies(data, name, index)
    return found


if __name__ == "__main__":  # pragma: no cover - manual use
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else seeds_dir()
    copies = check_films(sorted(FILMS_DIR.glob("*.yml")), build_index(seed_files(directory)))
    for c in copies:
        print(c)
    sys.exit(1 if copies else 0)
