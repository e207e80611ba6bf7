"""The content model: plain, frozen data. No I/O, no MkDocs, no YAML.

Every element keeps `path`, its key path inside the film's source document, so any rule can point
a writer at the exact line and column through `Film.marks` (any `Locator`: the YAML loader's marks
satisfy it, and a film built from other data can bring its own).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, Protocol

KeyPath = tuple[str | int, ...]
"""A key path inside a film document, e.g. ("sections", 2, "facts", 0, "text")."""


class Position(NamedTuple):
    line: int  # 1-based
    col: int  # 1-based


class Locator(Protocol):
    """Where each value (and each mapping key) of a film's source document starts."""

    def value(self, path: KeyPath, /) -> tuple[int, int]: ...

    def key(self, path: KeyPath, /) -> tuple[int, int]: ...


class NoLocator:
    """For films built without a source document, or whose marks were dropped once checked:
    everything is at 1:1."""

    def value(self, path: KeyPath, /) -> tuple[int, int]:
        return (1, 1)

    def key(self, path: KeyPath, /) -> tuple[int, int]:
        return (1, 1)

    def __reduce__(self) -> str:
        return "NO_MARKS"  # one instance, also in a film sent back by a checking process


NO_MARKS = NoLocator()


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

    @property
    def last(self) -> Level:
        return self.levels[-1]


@dataclass(frozen=True)
class Source:
    path: KeyPath
    id: str
    title: str
    kind: str
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    updated: str | None = None
    url: str | None = None
    note: str | None = None
    title_level: str | None = None  # the title (and URL) is withheld below this level
    description: str | None = None  # shown instead of a withheld title


@dataclass(frozen=True)
class Description:
    path: KeyPath
    level: str
    text: str
    sources: tuple[str, ...]


# How an entity's names are matched by the spoiler lint and the leak audit.
ANY_CASE, CAPITALISED = "any-case", "capitalised"
# Entity kinds shown as people (character cards); the others go in a short glossary.
PEOPLE_KINDS = frozenset({"character", "group"})


@dataclass(frozen=True)
class Entity:
    path: KeyPath
    id: str
    kind: str
    names: tuple[str, ...]  # what readers see; the first is the display name
    introduced: str
    descriptions: tuple[Description, ...] = ()
    also_match: tuple[str, ...] = ()  # matched by the lint and the audit, never shown
    match: str = ANY_CASE

    @property
    def display_name(self) -> str:
        return self.names[0]

    @property
    def matched_names(self) -> tuple[str, ...]:
        """Every spelling the lint and the audit look for."""
        return self.names + self.also_match


@dataclass(frozen=True)
class Fact:
    path: KeyPath
    id: str
    level: str
    text: str
    sources: tuple[str, ...]
    new_paragraph: bool = False


@dataclass(frozen=True)
class Section:
    path: KeyPath
    id: str
    level: str
    title: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Claim:
    path: KeyPath
    text: str
    sources: tuple[str, ...]


MAJOR, MINOR = "major", "minor"


@dataclass(frozen=True)
class Disagreement:
    path: KeyPath
    id: str
    level: str
    topic: str
    claims: tuple[Claim, ...]
    section: str | None = None
    note: str | None = None
    weight: str = MAJOR


@dataclass(frozen=True)
class CastMember:
    path: KeyPath
    actor: str
    entity: str | None = None
    role: str | None = None  # spoiler-free description of the part
    also_credited_as: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContentNote:
    path: KeyPath
    id: str
    label: str
    detail: str | None = None


@dataclass(frozen=True)
class Cited:
    """A cited piece of prose: reception notes, the verdict, paragraphs of the meaning."""

    path: KeyPath
    text: str
    sources: tuple[str, ...]


Reception = Cited


@dataclass(frozen=True)
class Recap:
    """ "Where the story stands" at one level."""

    path: KeyPath
    level: str
    text: str
    sources: tuple[str, ...]


# How a text is written, which decides how a reader receives it (visible.received_text).
MARKDOWN, PLAIN, SLUG, URL = "markdown", "plain", "slug", "url"
# What a writer can do about a text graded too low: raise its level, reword it (it is shown at
# every level), or keep a source title back with `title_level`.
RAISE, REWORD, TITLE_LEVEL = "raise", "reword", "title-level"


@dataclass(frozen=True)
class GradedText:
    """One piece of writer text with the level at which readers first receive it."""

    path: KeyPath  # the path of the text value itself
    level: str
    text: str
    kind: str  # fact, section-title, section-id, description, claim, premise, ...
    form: str = PLAIN  # MARKDOWN, PLAIN, SLUG (an id that becomes a URL or element id), URL
    fix: str = RAISE

    @property
    def markdown(self) -> bool:
        return self.form == MARKDOWN


@dataclass(frozen=True)
class Film:
    source_path: str
    marks: Locator = field(repr=False, compare=False)
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
    verdict: Cited | None = None
    recaps: tuple[Recap, ...] = ()
    reception: tuple[Cited, ...] = ()
    cast: tuple[CastMember, ...] = ()
    content_notes: tuple[ContentNote, ...] = ()
    entities: tuple[Entity, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    meaning: tuple[Cited, ...] = ()

    def mark(self, path: KeyPath) -> Position:
        return Position(*self.marks.value(path))

    def key_mark(self, path: KeyPath) -> Position:
        return Position(*self.marks.key(path))

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def label(self, ladder: Ladder, level_id: str) -> str:
        return self.level_labels.get(level_id) or ladder.get(level_id).label

    def graded_texts(self, ladder: Ladder) -> Iterator[GradedText]:
        """Every piece of writer text a reader can receive, with its level.

        This is the one list both the spoiler lint and the leak audit walk, so a new kind of
        text cannot be protected by one and forgotten by the other. It includes what is not
        prose but still reaches the reader: the film id (the URL), source ids (element ids),
        source URLs (hrefs), section ids (heading anchors) and every name readers see.
        """
        first, last = ladder.first.id, ladder.last.id
        G = GradedText

        def at_first(path: KeyPath, text: str, kind: str, form: str = PLAIN) -> GradedText:
            return G(path, first, text, kind, form, REWORD)

        yield at_first(("id",), self.id, "film-id", SLUG)
        yield at_first(("title",), self.title, "title")
        if self.original_title:
            yield at_first(("original_title",), self.original_title, "title")
        yield at_first(("director",), self.director, "credits")
        for i, w in enumerate(self.writers):
            yield at_first(("writers", i), w, "credits")
        if self.release_platform:
            yield at_first(("release", "platform"), self.release_platform, "credits")
        for k, v in self.level_labels.items():
            yield at_first(("level_labels", k), v, "level-label")
        yield at_first(("premise",), self.premise, "premise", MARKDOWN)
        if self.verdict:
            yield at_first((*self.verdict.path, "text"), self.verdict.text, "verdict", MARKDOWN)
        for c in self.cast:
            yield at_first((*c.path, "actor"), c.actor, "cast")
            for i, alt in enumerate(c.also_credited_as):
                yield at_first((*c.path, "also_credited_as", i), alt, "cast")
            if c.role:
                yield at_first((*c.path, "role"), c.role, "cast-role")
        for src in self.sources:
            yield at_first((*src.path, "id"), src.id, "source-id", SLUG)
            title_level = src.title_level or first
            yield G(
                (*src.path, "title"), title_level, src.title, "source-title", PLAIN, TITLE_LEVEL
            )
            if src.url:
                yield G((*src.path, "url"), title_level, src.url, "source-url", URL, TITLE_LEVEL)
            if src.description:
                yield at_first((*src.path, "description"), src.description, "source")
            for key in ("author", "publisher", "note"):
                value = getattr(src, key)
                if value:
                    yield at_first((*src.path, key), value, "source")
        for r in self.reception:
            yield at_first((*r.path, "text"), r.text, "reception", MARKDOWN)
        for n in self.content_notes:
            yield at_first((*n.path, "label"), n.label, "content-note")
            if n.detail:
                yield at_first((*n.path, "detail"), n.detail, "content-note", MARKDOWN)
        for e in self.entities:
            for i, name in enumerate(e.names):
                yield G((*e.path, "names", i), e.introduced, name, "entity-name")
            for d in e.descriptions:
                yield G((*d.path, "text"), d.level, d.text, "description", MARKDOWN)
        for rc in self.recaps:
            yield G((*rc.path, "text"), rc.level, rc.text, "recap", MARKDOWN)
        for s in self.sections:
            yield G((*s.path, "id"), s.level, s.id, "section-id", SLUG)
            yield G((*s.path, "title"), s.level, s.title, "section-title")
            for f in s.facts:
                yield G((*f.path, "text"), f.level, f.text, "fact", MARKDOWN)
        for dis in self.disagreements:
            yield G((*dis.path, "topic"), dis.level, dis.topic, "disagreement")
            if dis.note:
                yield G((*dis.path, "note"), dis.level, dis.note, "disagreement", MARKDOWN)
            for claim in dis.claims:
                yield G((*claim.path, "text"), dis.level, claim.text, "claim", MARKDOWN)
        for p in self.meaning:
            # "What the ending means" is shown at the last level only; it cannot be lowered.
            yield G((*p.path, "text"), last, p.text, "meaning", MARKDOWN, REWORD)
