"""A synthetic, valid film corpus of any size, for benchmarks (check now, build later).

    from synthetic import write_corpus
    ids = write_corpus(Path("/tmp/x/content"), films=1000, facts_per_film=60)

Each film uses every level of the default ladder, ~12 sections, entities introduced at different
levels (named only in text at or above that level, so the spoiler lint stays quiet), several
sources (all cited), disagreements placed in sections, content notes, cast and reception. Fact
texts are 20-40 words of inline Markdown. The output is deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = REPO_ROOT / "content" / "schema" / "film.schema.json"
LEVELS = ("none", "setup", "middle", "climax", "ending")
SECTIONS_PER_FILM = 12

_WORDS = (  # noqa: SIM905
    "the a an and but or so then while after before when where because although she he they it "
    "we her his their its one two three first last next old new quiet loud dark bright cold "
    "warm long short small large city town harbour station road bridge house room door window "
    "roof street market office factory train car boat phone letter note photo camera bag key "
    "knife coat ring map plan deal debt job night morning evening week year hour moment rain "
    "snow wind fire smoke water light shadow friend sister brother mother father partner "
    "stranger neighbour driver doctor teacher officer lawyer dancer singer writer finds loses "
    "follows meets leaves returns hides watches waits runs calls writes reads opens closes "
    "breaks keeps takes gives tells asks answers learns forgets remembers believes doubts "
    "fears trusts helps warns saves chases escapes arrives refuses agrees slowly quickly "
    "quietly suddenly finally again never always almost only still even together alone inside "
    "outside above below across through toward without within evidence secret promise warning "
    "threat reward choice mistake truth rumour story memory silence signal pattern message "
    "reason answer question problem price cost risk chance"
).split()

_SYLLABLES = ("ka", "lo", "mi", "ren", "tas", "vo", "zu", "bel", "dra", "qui", "shen", "yor")
_PEOPLE = (  # noqa: SIM905
    "Ashford Bellamy Castell Dunmore Everly Fairholm Garrow Hartwell Iverson Jessop Kendrick "
    "Lowry Marlow Norcross Oakley Prescott Quinlan Rowntree Sefton Thorne"
).split()
_KINDS = ("character", "object", "place", "group")
_SOURCE_KINDS = ("explainer", "review", "summary", "news", "other")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, low: int, high: int) -> str:
        n = self.rng.randint(low, high)
        out = [self.rng.choice(_WORDS) for _ in range(n)]
        # A little inline Markdown, as writers use it.
        if n > 6 and self.rng.random() < 0.3:
            i = self.rng.randrange(n)
            out[i] = f"*{out[i]}*"
        if n > 6 and self.rng.random() < 0.1:
            i = self.rng.randrange(n)
            out[i] = f"[{out[i]}](https://example.com/{out[i]})"
        text = " ".join(out)
        return text[0].upper() + text[1:] + "."

    def text_naming(self, names: list[str], low: int, high: int) -> str:
        """Words with some allowed entity names mixed in."""
        text = self.words(low, high)
        if names and self.rng.random() < 0.6:
            text = f"{self.rng.choice(names)} {text[0].lower()}{text[1:]}"
        return text


def _names(rng: random.Random, count: int) -> list[str]:
    """Distinct invented names (never words of the vocabulary)."""
    names: list[str] = []
    while len(names) < count:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if name.lower() not in _WORDS and name not in _PEOPLE and name not in names:
            names.append(name)
    return names


def _person(rng: random.Random) -> str:
    """A credit (director, writer, actor): never an entity name, so the lint stays quiet."""
    return " ".join(rng.sample(_PEOPLE, 2))


def film_text(index: int, facts_per_film: int, rng: random.Random) -> tuple[str, str]:
    """(film id, YAML text) of one valid synthetic film."""
    w = _Writer(rng)
    year = 1950 + index % 70
    film_id = f"synthetic-{index:05d}-{year}"
    sources = [f"src-{k}" for k in range(rng.randint(4, 6))]

    def cite() -> str:
        return "[" + ", ".join(rng.sample(sources, rng.randint(1, 2))) + "]"

    # Entities: one per level at least, two names each.
    entity_names = _names(rng, 2 * 8)
    entities = []
    for k in range(8):
        introduced = LEVELS[k % len(LEVELS)]
        entities.append(
            {
                "id": f"entity-{k}",
                "kind": _KINDS[k % len(_KINDS)],
                "names": [entity_names[2 * k], f"{entity_names[2 * k + 1]} {entity_names[2 * k]}"],
                "introduced": introduced,
            }
        )

    def allowed(level: str) -> list[str]:
        rank = LEVELS.index(level)
        return [e["names"][0] for e in entities if LEVELS.index(e["introduced"]) <= rank]

    lines = [
        "# yaml-language-server: $schema=../schema/film.schema.json",
        f"id: {film_id}",
        f"title: {_q(w.words(1, 4).rstrip('.'))}",
        f"year: {year}",
        f"director: {_q(_person(rng))}",
        f"writers: [{_q(_person(rng))}]",
        f"runtime_minutes: {rng.randint(80, 160)}",
        f'release: {{date: "{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", platform: Cinemas}}',
        f"details_sources: [{sources[0]}]",
        f"premise: {_q(w.text_naming(allowed('none'), 25, 45))}",
        f"premise_sources: {cite()}",
        "reception:",
    ]
    for _ in range(2):
        lines += [f"  - text: {_q(w.words(15, 30))}", f"    sources: {cite()}"]
    lines.append("cast:")
    for e in entities[:4]:
        lines += [
            f"  - entity: {e['id']}",
            f"    actor: {_q(_person(rng))}",
            f"    sources: {cite()}",
        ]
    lines += [
        "content_notes:",
        "  - id: violence",
        "    label: Violence",
        f"    detail: {_q(w.words(8, 14))}",
        "sources:",
    ]
    for sid in sources:
        lines += [
            f"  - id: {sid}",
            f"    title: {_q(w.words(4, 9))}",
            f"    kind: {rng.choice(_SOURCE_KINDS)}",
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
                f"        text: {_q(w.text_naming(allowed(level), 10, 20))}",
                f"        sources: {cite()}",
            ]
    # Sections in story order; section levels rise through the ladder.
    lines.append("sections:")
    section_levels = [
        LEVELS[min(k * len(LEVELS) // SECTIONS_PER_FILM, len(LEVELS) - 1)]
        for k in range(SECTIONS_PER_FILM)
    ]
    per_section = [facts_per_film // SECTIONS_PER_FILM] * SECTIONS_PER_FILM
    for k in range(facts_per_film % SECTIONS_PER_FILM):
        per_section[k] += 1
    fact_no = 0
    for k, (slevel, count) in enumerate(zip(section_levels, per_section, strict=True)):
        lines += [
            f"  - id: question-{k}",
            f"    level: {slevel}",
            f"    title: {_q(w.words(4, 9).rstrip('.') + '?')}",
            "    facts:",
        ]
        srank = LEVELS.index(slevel)
        for _ in range(max(count, 1)):
            flevel = LEVELS[rng.randint(srank, min(srank + 2, len(LEVELS) - 1))]
            lines += [
                f"      - id: fact-{fact_no}",
                f"        level: {flevel}",
                f"        text: {_q(w.text_naming(allowed(flevel), 20, 40))}",
                f"        sources: {cite()}",
            ]
            fact_no += 1
    lines.append("disagreements:")
    for k in range(3):
        section = rng.randrange(SECTIONS_PER_FILM)
        slevel = section_levels[section]
        dlevel = LEVELS[rng.randint(LEVELS.index(slevel), len(LEVELS) - 1)]
        lines += [
            f"  - id: disagreement-{k}",
            f"    level: {dlevel}",
            f"    section: question-{section}",
            f"    topic: {_q(w.words(4, 8).rstrip('.') + '?')}",
            "    claims:",
        ]
        for sid in rng.sample(sources, 2):
            lines += [
                f"      - text: {_q(w.text_naming(allowed(dlevel), 10, 25))}",
                f"        sources: [{sid}]",
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
    rng = random.Random(seed)
    ids = []
    for i in range(films):
        film_id, text = film_text(i, facts_per_film, rng)
        (films_dir / f"{film_id}.yml").write_text(text, encoding="utf-8")
        ids.append(film_id)
    return ids
