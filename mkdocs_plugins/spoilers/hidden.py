"""What each level keeps back: the needles the spoiler lint and the leak audit both look for.

Built from the films' graded texts (`Film.graded_texts`) read through visible.py:

- every matched spelling of every entity introduced above the first level (`name_index`), with
  the rank from which the entity may be named;
- every distinctive run of words of every text graded above the first level (`run_index`);
- every section id with its level (`section_levels`).

What is *allowed* at a level is never taken from writer text: a needle of rank r is hidden from
every level below r, whatever other text says. Only the ladder decides.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mkdocs_plugins.spoilers.model import Entity, Film, GradedText, KeyPath, Ladder
from mkdocs_plugins.spoilers.visible import Index, Received, Tokens, name_forms, received, runs

# Kinds whose words are not prose: never a source of runs (names have their own rule).
NOT_PROSE = frozenset({"entity-name", "film-id", "source-id", "source-url"})


@dataclass
class ReadText:
    """A graded text with what its reader receives, tokenised once for every rule."""

    gt: GradedText
    rank: int
    received: Received
    tokens: list[Tokens]  # the visible text first, then link targets and titles


def read_texts(film: Film, ladder: Ladder) -> list[ReadText]:
    out = []
    for gt in film.graded_texts(ladder):
        if gt.level not in ladder:
            continue  # reported as unknown-level; nothing to compare with
        rec = received(gt)
        out.append(ReadText(gt, ladder.rank(gt.level), rec, [Tokens(s) for s in rec.strings()]))
    return out


@dataclass(frozen=True)
class HiddenName:
    film: str
    rank: int  # the entity may be named from this rank on
    level: str
    entity: str
    name: str  # the spelling as the writer declared it


@dataclass(frozen=True)
class HiddenText:
    """A text graded above the first level, as the owner of its runs."""

    film: str
    rank: int
    level: str
    kind: str
    where: str  # locator() of the text: also what tells two hidden texts apart
    line: int


HiddenRun = tuple[tuple[str, ...], HiddenText]  # (the run's words, the text it comes from)


def name_index(films: Iterable[tuple[str, Sequence[Entity]]], ladder: Ladder) -> Index[HiddenName]:
    """Every matched spelling of every entity introduced above the first level."""
    index: Index[HiddenName] = Index()
    for film_id, entities in films:
        for e in entities:
            if e.introduced not in ladder:
                continue
            rank = ladder.rank(e.introduced)
            if rank == 0:
                continue
            for name in e.matched_names:
                hidden = HiddenName(film_id, rank, e.introduced, e.id, name)
                for ws, caps in name_forms(name, e.match):
                    index.add(ws, hidden, caps)
    return index


def locator(film: Film, path: KeyPath) -> str:
    """A short name for the text at `path`: `last-lamp` (a fact), `who-dies.title`,
    `choi.descriptions[1]`, `sister-fate.claims[0]`, or the dotted path."""
    try:
        head, i, *rest = path
        if head == "sections" and isinstance(i, int):
            section = film.sections[i]
            if rest[:1] == ["facts"] and isinstance(rest[1], int):
                return section.facts[rest[1]].id
            return section.id if rest == ["id"] else f"{section.id}.{rest[0]}"
        if head in ("entities", "disagreements") and isinstance(i, int):
            owner = film.entities[i] if head == "entities" else film.disagreements[i]
            if len(rest) >= 2 and isinstance(rest[1], int):
                return f"{owner.id}.{rest[0]}[{rest[1]}]"
            return f"{owner.id}.{rest[0]}"
    except (ValueError, IndexError):
        pass
    return ".".join(f"[{k}]" if isinstance(k, int) else k for k in path).replace(".[", "[")


def hidden_runs(film: Film, texts: Sequence[ReadText]) -> list[HiddenRun]:
    """The distinctive runs of every text of `film` graded above the first level."""
    out: list[HiddenRun] = []
    for t in texts:
        if t.rank == 0 or t.gt.kind in NOT_PROSE:
            continue
        found = runs(t.tokens[0])  # the visible text; link targets are not prose
        if found:
            where = locator(film, t.gt.path)
            owner = HiddenText(
                film.id, t.rank, t.gt.level, t.gt.kind, where, film.mark(t.gt.path).line
            )
            out += [(ws, owner) for ws in found]
    return out


def run_key(words: Sequence[str]) -> int:
    """A run's words as a 56-bit number, the same in every process (unlike hash(), which
    varies): eight bytes a run, so every hidden run of a thousand films fits in megabytes.
    CRC-32 and Adler-32 together, both computed in C; where a match matters the words are
    compared again (the audit), or only a message quotes them (the lint)."""
    data = "\x1f".join(words).encode("utf-8", "surrogatepass")
    return ((zlib.crc32(data) << 32) | zlib.adler32(data)) & 0xFFFFFFFFFFFFFF


def run_index(items: Iterable[HiddenRun]) -> Index[HiddenText]:
    index: Index[HiddenText] = Index()
    for ws, owner in items:
        index.add(ws, owner)
    return index


def section_levels(film: Film, ladder: Ladder) -> dict[str, str]:
    """Section id -> its level (sections on an unknown level are left out)."""
    return {s.id: s.level for s in film.sections if s.level in ladder}
