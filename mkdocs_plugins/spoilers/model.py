"""The content model: plain, frozen data. No I/O, no MkDocs.

Every element keeps `path`, its key path inside the film's YAML document, so any rule can point a
writer at the exact line and column through `Film.marks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mkdocs_plugins.spoilers.yamlload import Mark, Marks, Path

# Element ids the film page itself uses (templates/film.html); section ids become heading ids,
# so they may not take these, nor start with "source-" (citation targets). validate.py enforces it.
RESERVED_IDS = frozenset(
    {
        "characters",
        "sources-disagree",
        "reception",
        "sources",
        "spoilers-reveal",
        "spoilers-gate-title",
        "film-title",
    }
)


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    description: str


DEFAULT_LEVELS: tuple[dict[str, str], ...] = (
    {"id": "none", "label": "Spoiler-free", "description": "Premise, credits and cast only"},
    {"id": "setup", "label": "Setup", "description": "The first act: who and why"},
    {"id": "middle", "label": "Middle", "description": "The hunt and its turns"},
    {"id": "climax", "label": "Climax", "description": "The final confrontation"},
    {"id": "ending", "label": "Ending", "description": "Everything, up to the last image"},
)


class LadderError(ValueError):
    """The site's level ladder itself is malformed (a site configuration error)."""


@dataclass(frozen=True)
class Ladder:
    """The site-wide, ordered spoiler levels. The first is the spoiler-free one."""

    levels: tuple[Level, ...]

    def __post_init__(self) -> None:
        if len(self.levels) < 2:
            raise LadderError("the level ladder needs at least two levels")
        ids = [lv.id for lv in self.levels]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise LadderError(f"level ids must be unique; repeated: {', '.join(dupes)}")
        for lv in self.levels:
            if not re.fullmatch(r"[a-z][a-z0-9-]*", lv.id):
                raise LadderError(
                    f"level id {lv.id!r} must be a lowercase slug (a-z, 0-9, -), "
                    "starting with a letter"
                )
            if not lv.label.strip():
                raise LadderError(f"level {lv.id!r} needs a label")

    @classmethod
    def from_config(cls, items: Sequence[Mapping[str, Any]] | None = None) -> Ladder:
        """Build from plain data, e.g. the `levels` list of the plugin config."""
        raw = DEFAULT_LEVELS if items is None else items
        levels = []
        for item in raw:
            try:
                levels.append(
                    Level(
                        id=str(item["id"]),
                        label=str(item.get("label") or item["id"]),
                        description=str(item.get("description") or ""),
                    )
                )
            except (KeyError, TypeError, AttributeError) as exc:
                raise LadderError(f"each level needs an `id`; got {item!r}") from exc
        return cls(tuple(levels))

    @property
    def ids(self) -> tuple[str, ...]:
        return self._ids

    @cached_property
    def _ids(self) -> tuple[str, ...]:
        return tuple(lv.id for lv in self.levels)

    @cached_property
    def _ranks(self) -> dict[str, int]:
        return {lv.id: i for i, lv in enumerate(self.levels)}

    @property
    def first(self) -> Level:
        return self.levels[0]

    def __contains__(self, level_id: object) -> bool:
        return level_id in self._ranks

    def rank(self, level_id: str) -> int:
        try:
            return self._ranks[level_id]
        except KeyError:
            raise ValueError(f"{level_id!r} is not a level") from None

    def get(self, level_id: str) -> Level:
        return self.levels[self.rank(level_id)]

    def next(self, level_id: str) -> Level | None:
        r = self.rank(level_id) + 1
        return self.levels[r] if r < len(self.levels) else None


@dataclass(frozen=True)
class Source:
    path: Path
    id: str
    title: str
    kind: str
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    updated: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Description:
    path: Path
    level: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Entity:
    path: Path
    id: str
    kind: str
    names: tuple[str, ...]
    introduced: str
    descriptions: tuple[Description, ...] = ()

    @property
    def display_name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Fact:
    path: Path
    id: str
    level: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    path: Path
    id: str
    level: str
    title: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Claim:
    path: Path
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    path: Path
    id: str
    level: str
    topic: str
    claims: tuple[Claim, ...]
    section: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class CastMember:
    path: Path
    actor: str
    entity: str | None = None
    also_credited_as: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContentNote:
    path: Path
    id: str
    label: str
    detail: str | None = None


@dataclass(frozen=True)
class Reception:
    path: Path
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class GradedText:
    """One piece of writer text with the level at which readers first receive it."""

    path: Path  # the path of the text value itself
    level: str
    text: str
    kind: str  # fact, section-title, section-id, description, claim, premise, ...
    markdown: bool  # inline Markdown (True) or plain text (False)


@dataclass(frozen=True)
class Film:
    source_path: str
    marks: Marks = field(repr=False, compare=False)
    id: str
    title: str
    year: int
    director: str
    runtime_minutes: int
    release_date: str
    premise: str
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]
    release_platform: str | None = None
    original_title: str | None = None
    writers: tuple[str, ...] = ()
    details_sources: tuple[str, ...] = ()
    premise_sources: tuple[str, ...] = ()
    level_labels: Mapping[str, str] = field(default_factory=dict)
    reception: tuple[Reception, ...] = ()
    cast: tuple[CastMember, ...] = ()
    content_notes: tuple[ContentNote, ...] = ()
    entities: tuple[Entity, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()

    def mark(self, path: Path) -> Mark:
        return self.marks.value(path)

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def label(self, ladder: Ladder, level_id: str) -> str:
        return self.level_labels.get(level_id) or ladder.get(level_id).label

    def graded_texts(self, ladder: Ladder) -> Iterator[GradedText]:
        """Every piece of writer text a reader can receive, with its level.

        This is the one list both the spoiler lint and the leak audit walk, so a new kind of
        text cannot be protected by one and forgotten by the other.
        """
        first = ladder.first.id
        yield GradedText(("title",), first, self.title, "title", False)
        plain_first: list[tuple[Path, str]] = [
            (("director",), self.director),
            *((("writers", i), w) for i, w in enumerate(self.writers)),
            *((("level_labels", k), v) for k, v in self.level_labels.items()),
        ]
        if self.original_title:
            plain_first.append((("original_title",), self.original_title))
        if self.release_platform:
            plain_first.append((("release", "platform"), self.release_platform))
        for path, value in plain_first:
            yield GradedText(path, first, value, "credits", False)
        yield GradedText(("premise",), first, self.premise, "premise", True)
        for c in self.cast:
            yield GradedText((*c.path, "actor"), first, c.actor, "cast", False)
            for i, alt in enumerate(c.also_credited_as):
                yield GradedText((*c.path, "also_credited_as", i), first, alt, "cast", False)
        for src in self.sources:
            yield GradedText((*src.path, "title"), first, src.title, "source", False)
            for key in ("author", "publisher"):
                value = getattr(src, key)
                if value:
                    yield GradedText((*src.path, key), first, value, "source", False)
            if src.note:
                yield GradedText((*src.path, "note"), first, src.note, "source", False)
        for r in self.reception:
            yield GradedText((*r.path, "text"), first, r.text, "reception", True)
        for n in self.content_notes:
            yield GradedText((*n.path, "label"), first, n.label, "content-note", False)
            if n.detail:
                yield GradedText((*n.path, "detail"), first, n.detail, "content-note", True)
        for e in self.entities:
            for d in e.descriptions:
                yield GradedText((*d.path, "text"), d.level, d.text, "description", True)
        for s in self.sections:
            yield GradedText((*s.path, "id"), s.level, s.id.replace("-", " "), "section-id", False)
            yield GradedText((*s.path, "title"), s.level, s.title, "section-title", False)
            for f in s.facts:
                yield GradedText((*f.path, "text"), f.level, f.text, "fact", True)
        for dis in self.disagreements:
            yield GradedText((*dis.path, "topic"), dis.level, dis.topic, "disagreement", False)
            if dis.note:
                yield GradedText((*dis.path, "note"), dis.level, dis.note, "disagreement", True)
            for claim in dis.claims:
                yield GradedText((*claim.path, "text"), dis.level, claim.text, "claim", True)


def _t(items: Any) -> tuple[str, ...]:
    return tuple(items or ())


def film_from_data(data: Mapping[str, Any], source_path: str, marks: Marks) -> Film:
    """Build the model from schema-valid data. (Call only after the schema passed.)"""
    release = data["release"]
    return Film(
        source_path=source_path,
        marks=marks,
        id=data["id"],
        title=data["title"],
        year=data["year"],
        director=data["director"],
        runtime_minutes=data["runtime_minutes"],
        release_date=release["date"],
        release_platform=release.get("platform"),
        premise=data["premise"],
        original_title=data.get("original_title"),
        writers=_t(data.get("writers")),
        details_sources=_t(data.get("details_sources")),
        premise_sources=_t(data.get("premise_sources")),
        level_labels=dict(data.get("level_labels") or {}),
        reception=tuple(
            Reception(("reception", i), r["text"], _t(r["sources"]))
            for i, r in enumerate(data.get("reception") or ())
        ),
        cast=tuple(
            CastMember(
                ("cast", i),
                actor=c["actor"],
                entity=c.get("entity"),
                also_credited_as=_t(c.get("also_credited_as")),
                sources=_t(c.get("sources")),
            )
            for i, c in enumerate(data.get("cast") or ())
        ),
        content_notes=tuple(
            ContentNote(("content_notes", i), n["id"], n["label"], n.get("detail"))
            for i, n in enumerate(data.get("content_notes") or ())
        ),
        sources=tuple(
            Source(
                ("sources", i),
                id=s["id"],
                title=s["title"],
                kind=s["kind"],
                author=s.get("author"),
                publisher=s.get("publisher"),
                published=s.get("published"),
                updated=s.get("updated"),
                url=s.get("url"),
                note=s.get("note"),
            )
            for i, s in enumerate(data["sources"])
        ),
        entities=tuple(
            Entity(
                ("entities", i),
                id=e["id"],
                kind=e["kind"],
                names=_t(e["names"]),
                introduced=e["introduced"],
                descriptions=tuple(
                    Description(
                        ("entities", i, "descriptions", j), d["level"], d["text"], _t(d["sources"])
                    )
                    for j, d in enumerate(e.get("descriptions") or ())
                ),
            )
            for i, e in enumerate(data.get("entities") or ())
        ),
        sections=tuple(
            Section(
                ("sections", i),
                id=s["id"],
                level=s["level"],
                title=s["title"],
                facts=tuple(
                    Fact(
                        ("sections", i, "facts", j),
                        f["id"],
                        f["level"],
                        f["text"],
                        _t(f["sources"]),
                    )
                    for j, f in enumerate(s["facts"])
                ),
            )
            for i, s in enumerate(data["sections"])
        ),
        disagreements=tuple(
            Disagreement(
                ("disagreements", i),
                id=d["id"],
                level=d["level"],
                topic=d["topic"],
                section=d.get("section"),
                note=d.get("note"),
                claims=tuple(
                    Claim(("disagreements", i, "claims", j), c["text"], _t(c["sources"]))
                    for j, c in enumerate(d["claims"])
                ),
            )
            for i, d in enumerate(data.get("disagreements") or ())
        ),
    )
