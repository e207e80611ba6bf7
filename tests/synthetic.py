"""A synthetic, valid film corpus of any size, for benchmarks and tests.

    from synthetic import write_corpus
    ids = write_corpus(Path("/tmp/x/content"), films=1000, facts_per_film=60)

Each film uses every level of the default ladder, 12 sections, 8 entities introduced at different
levels (named only in text at or above that level, so the spoiler lint stays quiet), 4 to 6
sources (all cited), disagreements placed in sections, a content note, cast and reception. Fact
texts are 20 to 40 words of inline Markdown (some emphasis, some links).

Every film has its own vocabulary, so no cache, index or interning can serve one film's text to
another and a benchmark measures N films' worth of distinct work:

- Film i's invented words (its names, its people, its title, most of its prose, the words in its
  ids) are pseudo-words made from the integers i * 256 + j, scrambled and spelled in syllables:
  two films never share one. The prose mixes in common English words ("the", "finds", ...), but
  never two in a row, so every run of 5 words holds invented words of its own film: no two
  films share a 5-word run, a sentence, a hidden name or a section id.
- Within a film, no run of 5 words (case-folded, as a reader sees the text: emphasis and link
  targets stripped) appears in two texts or twice in one text. So no text at a lower level
  repeats 5 words of a text graded above it, and `spoilers audit` has nothing to find.

Each film is a function of (seed, index) alone: the first 100 films of a 1,000-film corpus are the
100-film corpus. `corpus_properties` re-reads a corpus and checks the promises above.
"""

from __future__ import annotations

import json
import math
import random
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = REPO_ROOT / "content" / "schema" / "film.schema.json"
LEVELS = ("none", "setup", "middle", "climax", "ending")
SECTIONS_PER_FILM = 12
ENTITIES_PER_FILM = 8
RUN = 5  # no run of this many words is shared (between films, or between texts of a film)

# Common English words mixed into the prose (never two in a row: see the module docstring).
COMMON = (  # noqa: SIM905
    "the a an and but or so then while after before when where because she he they it her his "
    "their its one two first last next old new quiet dark cold long small city town harbour "
    "station road bridge house room door window street market office train car boat phone "
    "letter photo camera bag key coat ring map plan deal night morning evening week year rain "
    "snow wind fire water light shadow friend sister brother mother father partner stranger "
    "driver doctor teacher officer lawyer finds loses follows meets leaves returns hides "
    "watches waits runs calls writes reads opens closes breaks keeps takes gives tells asks "
    "learns forgets believes doubts fears trusts helps warns saves chases escapes arrives "
    "refuses slowly quickly quietly suddenly finally again never always only still even "
    "together alone inside outside across through without evidence secret promise warning "
    "threat reward choice mistake truth rumour story memory silence signal message reason"
).split()
_COMMON_SET = frozenset(COMMON)

# --- invented words ----------------------------------------------------------------------------

_CONSONANTS = "bcdfghjklmnprstvwz"  # 18
_VOWELS = "aeiou"  # 5
_SYLLABLES = tuple(c + v for c in _CONSONANTS for v in _VOWELS)  # 90, all two letters
_SUFFIXES = ("", "", "", "n", "r", "s", "l")
WORDS_PER_FILM = 256
_NAMES_FROM = 200  # j >= this: names (entities, people, title); below: prose and ids
_SHORT = len(_SYLLABLES) ** 3  # 729,000 three-syllable words: films 0 to 2,846
_LONG = len(_SYLLABLES) ** 4  # then four syllables
_MULT = 7919 * 7927  # coprime with 90 (primes other than 2, 3, 5): a bijection mod 90**k


def pseudo_word(film: int, j: int) -> str:
    """The j-th invented word of a film: distinct for every (film, j), 0 <= j < 256.

    u = film * 256 + j is scrambled by an affine bijection (so neighbouring films do not look
    alike) and spelled as 3 two-letter syllables, or 4 once the 3-syllable space is used up;
    a consonant may follow. Different u give different spellings: the syllable count fixes the
    stem's length and a suffix is always a consonant after the stem's final vowel.
    """
    if not 0 <= j < WORDS_PER_FILM:
        raise ValueError(f"j must be in [0, {WORDS_PER_FILM})")
    u = film * WORDS_PER_FILM + j
    if u < _SHORT:
        space, digits, v = _SHORT, 3, u
    else:
        space, digits, v = _LONG, 4, u - _SHORT
        if v >= _LONG:
            raise ValueError("too many films for distinct words")
    v = (v * _MULT + 12345) % space
    stem = []
    for _ in range(digits):
        v, d = divmod(v, len(_SYLLABLES))
        stem.append(_SYLLABLES[d])
    suffix = _SUFFIXES[(u * 2654435761) % len(_SUFFIXES)]
    return "".join(stem) + suffix


assert math.gcd(_MULT, _SHORT) == 1 and math.gcd(_MULT, _LONG) == 1


# --- one film ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def reader_words(text: str) -> list[str]:
    """Words of inline Markdown as a reader sees them: link targets dropped, case-folded."""
    return _TOKEN.findall(_LINK.sub(r"\1", text).casefold())


class _Prose:
    """A film's writer: text from its own words, never repeating a run of RUN words."""

    def __init__(self, film: int, rng: random.Random) -> None:
        self.film = film
        self.rng = rng
        self.words = [pseudo_word(film, j) for j in range(_NAMES_FROM)]
        self.shingles: set[tuple[str, ...]] = set()
        self.next_name = _NAMES_FROM

    def name(self) -> str:
        """A fresh invented name (each call a new word of this film)."""
        word = pseudo_word(self.film, self.next_name)
        self.next_name += 1
        return word.capitalize()

    def _word(self, previous_common: bool) -> str:
        if not previous_common and self.rng.random() < 0.4:
            return self.rng.choice(COMMON)
        return self.rng.choice(self.words)

    def text(
        self, low: int, high: int, *, lead: str | None = None, markdown: bool = True, end: str = "."
    ) -> str:
        """low..high words (plus `lead`, e.g. a name), capitalised, with an ending.

        Each word is redrawn until the last RUN words are new to this film; the shingles of the
        accepted text are then added to the film's set.
        """
        n = self.rng.randint(low, high)
        lead_words = lead.split() if lead else []
        seen = [w.casefold() for w in lead_words]
        out: list[str] = []
        local: set[tuple[str, ...]] = set()
        for _ in range(n):
            for _attempt in range(200):
                w = self._word(bool(seen) and seen[-1] in _COMMON_SET)
                cand = (*seen[-(RUN - 1) :], w.casefold())
                if len(cand) < RUN or (cand not in self.shingles and cand not in local):
                    break
            else:  # pragma: no cover - 200 draws from ~200 words never all collide
                raise RuntimeError("could not avoid a repeated run")
            if len(cand) == RUN:
                local.add(cand)
            seen.append(w.casefold())
            out.append(w)
        self.shingles |= local
        if markdown and n > 6 and self.rng.random() < 0.3:
            i = self.rng.randrange(n)
            out[i] = f"*{out[i]}*"
        if markdown and n > 6 and self.rng.random() < 0.1:
            i = self.rng.randrange(n)
            word = out[i].strip("*")
            out[i] = f"[{word}](https://example.com/{self.film}/{word})"
        words = [*lead_words, *out]
        text = " ".join(words)
        return text[0].upper() + text[1:] + end

    def plain(self, low: int, high: int, end: str = "") -> str:
        return self.text(low, high, markdown=False, end=end)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def film_rng(index: int, seed: int = 0) -> random.Random:
    return random.Random(f"synthetic-film/{seed}/{index}")


def film_text(index: int, facts_per_film: int, seed: int = 0) -> tuple[str, str]:
    """(film id, YAML text) of one valid synthetic film; a function of (index, seed) alone."""
    rng = film_rng(index, seed)
    w = _Prose(index, rng)
    year = 1950 + index % 70
    film_id = f"synthetic-{index:05d}-{year}"
    tag = pseudo_word(index, 0)  # the film's own word, in its internal ids
    sources = [f"{tag}-src-{k}" for k in range(rng.randint(4, 6))]

    def cite() -> str:
        return "[" + ", ".join(rng.sample(sources, rng.randint(1, 2))) + "]"

    def person() -> str:
        return f"{w.name()} {w.name()}"

    # Entities: 8, introduced at every level; each has its own name and a two-word long name.
    entities = []
    for k in range(ENTITIES_PER_FILM):
        short, other = w.name(), w.name()
        entities.append(
            {
                "id": f"{tag}-entity-{k}",
                "kind": ("character", "object", "place", "group")[k % 4],
                "names": [short, f"{other} {short}"],
                "introduced": LEVELS[k % len(LEVELS)],
            }
        )

    def allowed(level: str) -> list[str]:
        rank = LEVELS.index(level)
        return [e["names"][0] for e in entities if LEVELS.index(e["introduced"]) <= rank]

    def naming(level: str, low: int, high: int) -> str:
        """Prose that may start with a name already introduced at `level`."""
        names = allowed(level)
        lead = rng.choice(names) if names and rng.random() < 0.6 else None
        return w.text(low, high, lead=lead)

    title_words = [w.name() for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        title_words.insert(0, "The")
    lines = [
        "# yaml-language-server: $schema=../schema/film.schema.json",
        f"id: {film_id}",
        f"title: {_q(' '.join(title_words))}",
        f"year: {year}",
        f"director: {_q(person())}",
        f"writers: [{_q(person())}]",
        f"runtime_minutes: {rng.randint(80, 160)}",
        f'release: {{date: "{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", platform: Cinemas}}',
        f"details_sources: [{sources[0]}]",
        f"premise: {_q(naming('none', 25, 45))}",
        f"premise_sources: {cite()}",
        "reception:",
    ]
    for _ in range(2):
        lines += [f"  - text: {_q(w.text(15, 30))}", f"    sources: {cite()}"]
    lines.append("cast:")
    for e in entities[:4]:
        lines += [
            f"  - entity: {e['id']}",
            f"    actor: {_q(person())}",
            f"    sources: {cite()}",
        ]
    lines += [
        "content_notes:",
        f"  - id: {tag}-violence",
        "    label: Violence",
        f"    detail: {_q(w.text(8, 14))}",
        "sources:",
    ]
    for sid in sources:
        lines += [
            f"  - id: {sid}",
            f"    title: {_q(w.plain(4, 9))}",
            f"    kind: {rng.choice(('explainer', 'review', 'summary', 'news', 'other'))}",
            f"    url: https://example.com/{film_id}/{sid}",
            f'    published: "{year}-1{rng.randint(0, 2)}-0{rng.randint(1, 9)}"',
        ]
    lines.append("entities:")
    for e in entities:
        lines += [
            f"  - id: {e['id']}",
            f"    kind: {e['kind']}",
            "    names: [" + ", ".join(_q(n) for n in e["names"]) + "]",
            f"    introduced: {e['introduced']}",
            "    descriptions:",
        ]
        for level in LEVELS[LEVELS.index(e["introduced"]) :][:2]:
            lines += [
                f"      - level: {level}",
                f"        text: {_q(naming(level, 10, 20))}",
                f"        sources: {cite()}",
            ]
    # Sections in story order; section levels rise through the ladder. Each section's first
    # fact is at the section's own level (so the first section has a first-level fact).
    lines.append("sections:")
    section_levels = [
        LEVELS[min(k * len(LEVELS) // SECTIONS_PER_FILM, len(LEVELS) - 1)]
        for k in range(SECTIONS_PER_FILM)
    ]
    section_ids = []
    for _ in range(SECTIONS_PER_FILM):
        while True:
            sid = f"{rng.choice(w.words)}-{rng.choice(w.words)}"
            if sid not in section_ids:
                break
        section_ids.append(sid)
    per_section = [facts_per_film // SECTIONS_PER_FILM] * SECTIONS_PER_FILM
    for k in range(facts_per_film % SECTIONS_PER_FILM):
        per_section[k] += 1
    fact_no = 0
    for sid, slevel, count in zip(section_ids, section_levels, per_section, strict=True):
        lines += [
            f"  - id: {sid}",
            f"    level: {slevel}",
            f"    title: {_q(w.plain(4, 9, end='?'))}",
            "    facts:",
        ]
        srank = LEVELS.index(slevel)
        for i in range(max(count, 1)):
            flevel = slevel if i == 0 else LEVELS[rng.randint(srank, min(srank + 2, 4))]
            lines += [
                f"      - id: {tag}-fact-{fact_no}",
                f"        level: {flevel}",
                f"        text: {_q(naming(flevel, 20, 40))}",
                f"        sources: {cite()}",
            ]
            fact_no += 1
    lines.append("disagreements:")
    for k in range(3):
        section = rng.randrange(SECTIONS_PER_FILM)
        slevel = section_levels[section]
        dlevel = LEVELS[rng.randint(LEVELS.index(slevel), len(LEVELS) - 1)]
        lines += [
            f"  - id: {tag}-disagreement-{k}",
            f"    level: {dlevel}",
            f"    section: {section_ids[section]}",
            f"    topic: {_q(w.plain(4, 8, end='?'))}",
            "    claims:",
        ]
        for source in rng.sample(sources, 2):
            lines += [
                f"      - text: {_q(naming(dlevel, 10, 25))}",
                f"        sources: [{source}]",
            ]
    # Every source is cited at least once.
    lines[lines.index("reception:") + 2] = "    sources: [" + ", ".join(sources) + "]"
    return film_id, "\n".join(lines) + "\n"


def write_corpus(content_dir: Path, films: int, facts_per_film: int, seed: int = 0) -> list[str]:
    """Write `films` valid films to content_dir/films/ and the schema to content_dir/schema/.

    Returns the film ids, in order.
    """
    (content_dir / "schema").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SCHEMA_FILE, content_dir / "schema" / "film.schema.json")
    films_dir = content_dir / "films"
    films_dir.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(films):
        film_id, text = film_text(i, facts_per_film, seed)
        (films_dir / f"{film_id}.yml").write_text(text, encoding="utf-8")
        ids.append(film_id)
    return ids


# --- edits, for the writer-loop benchmark ------------------------------------------------------

_FIRST_FACT = re.compile(r'(\n      - id: [^\n]*\n        level: none\n        text: ")')


def with_marker(text: str, marker: str) -> str:
    """The film file with `marker` as the first word of its first first-level fact.

    That fact is on the film's spoiler-free page (films/<id>/), so a server that picked up the
    edit serves the marker there. `marker` should be one invented word, e.g. "zqx0042".
    """
    new, count = _FIRST_FACT.subn(lambda m: m.group(1) + marker + " ", text, count=1)
    if count != 1:
        raise ValueError("no first-level fact found")
    return new


# --- the promises, checked ---------------------------------------------------------------------


@dataclass
class CorpusReport:
    films: int = 0
    texts: int = 0
    shared_words: set[str] = field(default_factory=set)  # invented words in two films
    shared_runs: int = 0  # 5-word runs in two films
    shared_section_ids: set[str] = field(default_factory=set)
    shared_names: set[str] = field(default_factory=set)
    repeated_runs: list[str] = field(default_factory=list)  # within a film: "film: run"

    @property
    def ok(self) -> bool:
        return not (
            self.shared_words
            or self.shared_runs
            or self.shared_section_ids
            or self.shared_names
            or self.repeated_runs
        )


_TEXT_KEYS = {"title", "premise", "text", "detail", "topic"}


def _texts(data: object) -> Iterator[str]:
    """Every writer string under a prose key (titles, premise, texts, details, topics)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k in _TEXT_KEYS and isinstance(v, str):
                yield v
            else:
                yield from _texts(v)
    elif isinstance(data, list):
        for v in data:
            yield from _texts(v)


def _runs(words: list[str]) -> Iterable[tuple[str, ...]]:
    return (tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))


def corpus_properties(films_dir: Path) -> CorpusReport:
    """Re-read a corpus and check: no shared invented word, name, section id or 5-word run
    between films; no 5-word run in two texts of one film (or twice in one text)."""
    import yaml  # a test dependency here; write_corpus itself needs only the standard library

    report = CorpusReport()
    owner_word: dict[str, str] = {}
    owner_run: dict[tuple[str, ...], str] = {}
    owner_sid: dict[str, str] = {}
    owner_name: dict[str, str] = {}
    for path in sorted(films_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        fid = data["id"]
        report.films += 1
        seen_here: set[tuple[str, ...]] = set()
        for text in _texts(data):
            report.texts += 1
            words = reader_words(text)
            for word in words:
                if word not in _COMMON_SET and owner_word.setdefault(word, fid) != fid:
                    report.shared_words.add(word)
            for run in _runs(words):
                if run in seen_here:
                    report.repeated_runs.append(f"{fid}: {' '.join(run)}")
                seen_here.add(run)
                if owner_run.setdefault(run, fid) != fid:
                    report.shared_runs += 1
        for s in data["sections"]:
            if owner_sid.setdefault(s["id"], fid) != fid:
                report.shared_section_ids.add(s["id"])
        for e in data["entities"]:
            for n in e["names"]:
                if owner_name.setdefault(n.casefold(), fid) != fid:
                    report.shared_names.add(n)
    return report
