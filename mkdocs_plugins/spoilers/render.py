"""Film x level -> HTML. Pure functions over the model; no MkDocs.

What a level page contains is decided here and only here, by one comparison: an item graded at
level X is on the page of level L if and only if rank(X) <= rank(L). Entity names follow their
entity's `introduced`; a source title kept back with `title_level` follows that level.

The templates (templates/) read the model itself. `LevelPage` only adds what the model does not
say and the templates should not compute: the rank of the page, which items it shows, how a
section's facts fall into paragraphs, the numbering of notes, and what is new since the level
below. Writer Markdown is rendered through one cached filter (`md`, markup.render_inline).

Hidden items leave no trace: no count, no id, no placeholder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup

from mkdocs_plugins.spoilers import ids, urls
from mkdocs_plugins.spoilers.diagnostics import Diagnostic
from mkdocs_plugins.spoilers.markup import render_inline, to_plain
from mkdocs_plugins.spoilers.model import (
    MINOR,
    PEOPLE_KINDS,
    Cited,
    Description,
    Disagreement,
    Entity,
    Fact,
    Film,
    Ladder,
    Level,
    Recap,
    Section,
    Source,
)


def film_levels(film: Film, ladder: Ladder) -> tuple[Level, ...]:
    """The ladder as this film's readers see it (with the film's own labels)."""
    return tuple(Level(lv.id, film.label(ladder, lv.id), lv.description) for lv in ladder.levels)


def page_title(film: Film) -> str:
    return f"{film.title} ({film.year})"


# --------------------------------------------------------------------------------------------
# What one level page shows


@dataclass(frozen=True)
class Note:
    """The citation note that closes a paragraph: its number in the section and its sources."""

    id: str
    number: int
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Paragraph:
    facts: tuple[Fact, ...]
    new: tuple[bool, ...]  # per fact: graded at this very level (new since the level below)
    note: Note

    @property
    def runs(self) -> list[tuple[bool, list[Fact]]]:
        """Consecutive facts that are new (or not) together: one "new" mark per run."""
        out: list[tuple[bool, list[Fact]]] = []
        for fact, new in zip(self.facts, self.new, strict=True):
            if not out or out[-1][0] != new:
                out.append((new, []))
            out[-1][1].append(fact)
        return out


@dataclass(frozen=True)
class SectionView:
    section: Section
    paragraphs: tuple[Paragraph, ...]
    asides: tuple[Disagreement, ...]  # major disagreements placed in this section
    new: bool  # the whole section is new at this level


@dataclass(frozen=True)
class Card:
    """A person as a reader at this level knows them: who they are, then what came later."""

    entity: Entity
    first: Description | None
    later: tuple[tuple[Level, Description, bool], ...]  # (level, description, new here)
    new: bool  # the person first appears at this level


@dataclass(frozen=True)
class CastRow:
    actor: str
    also: tuple[str, ...]
    part: str  # the entity's name, or the spoiler-free role


class LevelPage:
    """Exactly what a reader of one level of one film receives."""

    def __init__(self, film: Film, ladder: Ladder, level_id: str, hrefs: Mapping[str, str]) -> None:
        self.film = film
        self.ladder = ladder
        self.levels = film_levels(film, ladder)
        self.rank = ladder.rank(level_id)
        self.level = self.levels[self.rank]
        self.hrefs = hrefs  # level id -> link to that level's page, relative to this one
        self.ids = ids.IDS
        self._new_ids: list[str] = []

    # -- the one rule

    def shows(self, level_id: str) -> bool:
        return self.ladder.rank(level_id) <= self.rank

    def is_new(self, level_id: str) -> bool:
        """Graded at this very level: new to a reader coming from the level below."""
        return self.rank > 0 and self.ladder.rank(level_id) == self.rank

    @property
    def is_first(self) -> bool:
        return self.rank == 0

    @property
    def is_last(self) -> bool:
        return self.rank == len(self.levels) - 1

    @property
    def next_level(self) -> Level | None:
        return self.levels[self.rank + 1] if not self.is_last else None

    @property
    def first_level(self) -> Level:
        return self.levels[0]

    # -- sources

    @cached_property
    def _sources(self) -> dict[str, Source]:
        found: dict[str, Source] = {}
        for s in self.film.sources:
            found.setdefault(s.id, s)
        return found

    def title_shown(self, source: Source) -> bool:
        return source.title_level is None or self.shows(source.title_level)

    def source_label(self, source: Source) -> str:
        """A short name for notes and asides: the author's surname, the publisher, or the kind
        and the source's number in the Sources list ("Summary 2")."""
        if source.author:
            return source.author.split()[-1]
        if source.publisher:
            return source.publisher
        number = next((n for n, s in enumerate(self.film.sources, 1) if s is source), 0)
        return f"{source.kind.capitalize()} {number}"

    def cited(self, source_ids: Sequence[str]) -> tuple[Source, ...]:
        return tuple(s for sid in source_ids if (s := self._sources.get(sid)) is not None)

    def note(self, section: str, number: int, source_ids: Sequence[str]) -> Note:
        return Note(ids.note_id(section, number), number, self.cited(source_ids))

    def cited_notes(self, key: str, items: Sequence[Cited]) -> list[Note]:
        """The notes of a run of cited paragraphs (the meaning, the reception)."""
        return [self.note(key, n, item.sources) for n, item in enumerate(items, start=1)]

    # -- the story

    @cached_property
    def recap(self) -> Recap | None:
        """The recap for this level, or the closest one below it."""
        shown = [r for r in self.film.recaps if r.level in self.ladder and self.shows(r.level)]
        return max(shown, key=lambda r: self.ladder.rank(r.level), default=None)

    @cached_property
    def sections(self) -> tuple[SectionView, ...]:
        asides: dict[str, list[Disagreement]] = {}
        for d in self.majors:
            if d.section is not None:
                asides.setdefault(d.section, []).append(d)
        out = []
        for s in self.film.sections:
            if not self.shows(s.level):
                continue
            facts = [f for f in s.facts if self.shows(f.level)]
            out.append(
                SectionView(
                    s,
                    self._paragraphs(s.id, facts),
                    tuple(asides.get(s.id, ())),
                    self.is_new(s.level),
                )
            )
        return tuple(out)

    def _paragraphs(self, section: str, facts: Sequence[Fact]) -> tuple[Paragraph, ...]:
        """Consecutive facts flow as one paragraph; `new_paragraph` starts another."""
        groups: list[list[Fact]] = []
        for f in facts:
            if not groups or f.new_paragraph:
                groups.append([])
            groups[-1].append(f)
        paragraphs = []
        for n, group in enumerate(groups, start=1):
            sources: dict[str, None] = {}
            for f in group:
                sources.update(dict.fromkeys(f.sources))
            paragraphs.append(
                Paragraph(
                    tuple(group),
                    tuple(self.is_new(f.level) for f in group),
                    self.note(section, n, list(sources)),
                )
            )
        return tuple(paragraphs)

    @cached_property
    def _disagreements(self) -> tuple[Disagreement, ...]:
        return tuple(
            d for d in self.film.disagreements if d.level in self.ladder and self.shows(d.level)
        )

    @property
    def majors(self) -> tuple[Disagreement, ...]:
        return tuple(d for d in self._disagreements if d.weight != MINOR)

    @property
    def minors(self) -> tuple[Disagreement, ...]:
        return tuple(d for d in self._disagreements if d.weight == MINOR)

    @property
    def loose_majors(self) -> tuple[Disagreement, ...]:
        """Major disagreements whose section is not on this page (or that name none)."""
        here = {v.section.id for v in self.sections}
        return tuple(d for d in self.majors if d.section not in here)

    @property
    def meaning(self) -> tuple[Cited, ...]:
        return self.film.meaning if self.is_last else ()

    # -- people and things

    def _entity_shown(self, e: Entity) -> bool:
        return e.introduced in self.ladder and self.shows(e.introduced)

    @cached_property
    def cards(self) -> tuple[Card, ...]:
        out = []
        for e in self.film.entities:
            if e.kind not in PEOPLE_KINDS or not self._entity_shown(e):
                continue
            known = sorted(
                (d for d in e.descriptions if d.level in self.ladder and self.shows(d.level)),
                key=lambda d: self.ladder.rank(d.level),
            )
            later = tuple(
                (self.levels[self.ladder.rank(d.level)], d, self.is_new(d.level)) for d in known[1:]
            )
            out.append(Card(e, known[0] if known else None, later, self.is_new(e.introduced)))
        return tuple(out)

    @cached_property
    def glossary(self) -> tuple[tuple[Entity, Description | None, bool], ...]:
        """Places and things: the latest description a reader of this level may see."""
        out = []
        for e in self.film.entities:
            if e.kind in PEOPLE_KINDS or not self._entity_shown(e):
                continue
            known = [d for d in e.descriptions if d.level in self.ladder and self.shows(d.level)]
            latest = max(known, key=lambda d: self.ladder.rank(d.level), default=None)
            new = self.is_new(e.introduced) or (latest is not None and self.is_new(latest.level))
            out.append((e, latest, new))
        return tuple(out)

    @cached_property
    def cast(self) -> tuple[CastRow, ...]:
        """Rows with their part; a row whose part may not be named yet waits."""
        rows = []
        for c in self.film.cast:
            entity = self.film.entity(c.entity) if c.entity else None
            if entity is not None and self._entity_shown(entity):
                part = entity.display_name
            elif c.role:
                part = c.role
            else:
                continue
            rows.append(CastRow(c.actor, c.also_credited_as, part))
        return tuple(rows)

    @property
    def also_in_cast(self) -> tuple[str, ...]:
        """Actors the sources name without a part: the same list at every level."""
        return tuple(c.actor for c in self.film.cast if c.entity is None and c.role is None)

    # -- navigation

    def new_id(self) -> str:
        """Mark the next new passage; the first one gets the id the "what's new" link targets."""
        self._new_ids.append(ids.IDS.first_new if not self._new_ids else "")
        return self._new_ids[-1]

    @cached_property
    def has_new(self) -> bool:
        if self.is_first:
            return False
        return (
            any(v.new or any(any(p.new) for p in v.paragraphs) for v in self.sections)
            or any(c.new or any(n for _, _, n in c.later) for c in self.cards)
            or bool(self.meaning)
        )

    @cached_property
    def toc(self) -> list[tuple[str, str]]:
        """(id, title) of the headings below the film title, in page order."""
        i = self.ids
        items: list[tuple[str, str]] = []
        if not self.is_first and self.recap is not None:
            items.append((i.recap, "Where the story stands"))
        if self.is_first and self.film.verdict is not None:
            items.append((i.verdict, "Should I watch it?"))
        if self.cast or self.cards or self.also_in_cast:
            items.append((i.characters, "Cast and characters"))
        items += [(v.section.id, v.section.title) for v in self.sections]
        if self.meaning:
            items.append((i.meaning, "What the ending means"))
        if self.loose_majors:
            items.append((i.disagree, "Where the sources disagree"))
        if self.glossary:
            items.append((i.glossary, "Places and things"))
        if self.minors:
            items.append((i.spellings, "Names and spellings"))
        if self.is_first and self.film.reception:
            items.append((i.reception, "What reviewers say"))
        items.append((i.sources, "Sources"))
        return items


# --------------------------------------------------------------------------------------------
# HTML


def _md(text: str | None) -> Markup:
    return Markup(render_inline(text)) if text else Markup("")  # sanitised by nh3


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = _md
    env.filters["plain"] = to_plain
    env.globals["ids"] = ids.IDS
    env.globals["source_anchor"] = ids.source_id
    return env


def render_level(page: LevelPage) -> str:
    """The whole body of a level page: header, switcher, then everything graded up to it."""
    return _env().get_template("page.html").render(p=page, film=page.film)


def render_gate(page: LevelPage) -> str:
    """What a level's own address serves until the reader says yes: the header, the gate, and
    the first level's essentials. Nothing graded above the first level."""
    return _env().get_template("gate.html").render(p=page, film=page.film, reveal=urls.REVEAL)


def render_toc(items: Sequence[tuple[str, str]], title: str = "Table of contents") -> str:
    """A table of contents shaped exactly as Material's partials/toc.html draws one."""
    return _env().get_template("toc.html").render(items=items, title=title)


def render_head(
    film: Film,
    above_first: bool,
    url: str | None,
    canonical: str | None,
    site_name: str,
    *,
    og: bool = True,
) -> str:
    """Tags for <head>: always from the first level; `noindex` above it. `url` is the page's
    canonical address for og:url; `canonical` a canonical link to add (when the theme has none);
    `og=False` leaves OpenGraph and Twitter tags to Material's social plugin."""
    return (
        _env()
        .get_template("head.html")
        .render(
            film=film,
            above_first=above_first,
            url=url,
            canonical=canonical,
            site_name=site_name,
            description=to_plain(film.premise),
            og=og,
        )
    )


def render_cards(films: Sequence[Film], hrefs: Mapping[str, str]) -> str:
    """Spoiler-free cards for the home page: title, year, director, premise."""
    return _env().get_template("cards.html").render(films=films, hrefs=hrefs)


def render_errors(errors: Sequence[Diagnostic], content_dir: Path) -> str:
    """Under `mkdocs serve`: the content errors, in the browser, until the files are fixed."""
    return _env().get_template("errors.html").render(errors=errors, content_dir=content_dir)


def render_preview(film: Film, ladder: Ladder, hrefs: Mapping[str, str]) -> str:
    """Writer preview: every level side by side, each passage marked with its level."""
    pages = [LevelPage(film, ladder, lv.id, hrefs) for lv in ladder.levels]
    return _env().get_template("preview.html").render(film=film, pages=pages, ladder=ladder)
