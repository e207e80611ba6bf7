"""Film x level -> HTML fragments. Pure functions over the model; no MkDocs.

Every writer string is rendered once per film (`RenderedFilm`), then each level page is a filter
over that cache: nothing is re-parsed per level. What a level page contains is decided here and
only here, by comparing ranks, so the rules are easy to audit:

- an item is on the page of level L if and only if its level's rank <= rank(L);
- an entity's name appears only at levels >= its introduction;
- hidden items leave no trace: no count, no id, no placeholder. The only forward-looking line,
  "More may be revealed at <next level>", is printed under every section below the top level
  whether or not that section continues, so it carries no information.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from mkdocs_plugins.spoilers.markup import render_inline, to_plain
from mkdocs_plugins.spoilers.model import Entity, Film, Ladder, Level, Source

PREVIEW_DIR = "preview"


def level_dir(film_id: str, level_id: str, ladder: Ladder) -> str:
    """Site-relative directory of a level page: films/<id>/ or films/<id>/<level>/."""
    if level_id == ladder.first.id:
        return f"films/{film_id}/"
    return f"films/{film_id}/{level_id}/"


def level_src_uri(film_id: str, level_id: str, ladder: Ladder) -> str:
    return level_dir(film_id, level_id, ladder) + "index.md"


@cache  # pure, and called for every level of every page: posixpath.relpath is not cheap
def relative_href(from_dir: str, to_dir: str, directory_urls: bool = True) -> str:
    """Link between two page directories, as MkDocs writes links for either URL style."""
    rel = posixpath.relpath(to_dir.rstrip("/") or ".", from_dir.rstrip("/") or ".")
    rel = "./" if rel == "." else rel + "/"
    return rel if directory_urls else rel + "index.html"


@dataclass(frozen=True)
class Cite:
    number: int
    source_id: str
    title: str


@dataclass(frozen=True)
class RFact:
    rank: int
    level: str
    html: Markup
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class RClaim:
    html: Markup
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class RDisagreement:
    rank: int
    level: str
    topic: str
    note: Markup | None
    claims: tuple[RClaim, ...]
    section: str | None


@dataclass(frozen=True)
class RSection:
    rank: int
    level: str
    id: str
    title: str
    facts: tuple[RFact, ...]


@dataclass(frozen=True)
class REntity:
    rank: int
    kind: str
    name: str
    other_names: tuple[str, ...]
    descriptions: tuple[tuple[int, Markup, tuple[Cite, ...]], ...]  # (rank, html, cites)


@dataclass(frozen=True)
class RCast:
    actor: str
    also: tuple[str, ...]
    role: str | None
    role_rank: int


@dataclass
class RenderedFilm:
    """A film with every writer string rendered once, ready to be filtered per level."""

    film: Film
    ladder: Ladder
    premise: Markup
    premise_plain: str
    sections: tuple[RSection, ...]
    disagreements: tuple[RDisagreement, ...]
    entities: tuple[REntity, ...]
    cast: tuple[RCast, ...]
    reception: tuple[tuple[Markup, tuple[Cite, ...]], ...]
    notes: tuple[tuple[str, Markup | None], ...]
    sources: tuple[Source, ...]
    levels: tuple[Level, ...] = field(default=())  # with per-film label overrides


class _Citer:
    """A film's citations, built once per film: one dict lookup per cited source id."""

    def __init__(self, film: Film) -> None:
        number = {s.id: i for i, s in enumerate(film.sources, start=1)}
        first: dict[str, Source] = {}
        for s in film.sources:
            first.setdefault(s.id, s)  # as Film.source() finds it
        self.cites = {sid: Cite(number[sid], sid, s.title) for sid, s in first.items()}

    def __call__(self, ids: Sequence[str]) -> tuple[Cite, ...]:
        return tuple(c for sid in ids if (c := self.cites.get(sid)) is not None)


def _html(text: str) -> Markup:
    return Markup(render_inline(text))  # sanitised by nh3 in render_inline


def render_film(film: Film, ladder: Ladder) -> RenderedFilm:
    rank = ladder.rank
    cites = _Citer(film)
    entities: dict[str, Entity] = {}
    for e in film.entities:
        entities.setdefault(e.id, e)  # as Film.entity() finds it
    return RenderedFilm(
        film=film,
        ladder=ladder,
        premise=_html(film.premise),
        premise_plain=to_plain(film.premise),
        sections=tuple(
            RSection(
                rank(s.level),
                s.level,
                s.id,
                s.title,
                tuple(
                    RFact(rank(f.level), f.level, _html(f.text), cites(f.sources)) for f in s.facts
                ),
            )
            for s in film.sections
        ),
        disagreements=tuple(
            RDisagreement(
                rank(d.level),
                d.level,
                d.topic,
                _html(d.note) if d.note else None,
                tuple(RClaim(_html(c.text), cites(c.sources)) for c in d.claims),
                d.section,
            )
            for d in film.disagreements
        ),
        entities=tuple(_render_entity(e, cites, ladder) for e in film.entities),
        cast=tuple(
            RCast(
                c.actor,
                c.also_credited_as,
                ent.display_name if ent is not None else None,
                rank(ent.introduced) if ent is not None else 0,
            )
            for c in film.cast
            for ent in [entities.get(c.entity) if c.entity else None]
        ),
        reception=tuple((_html(r.text), cites(r.sources)) for r in film.reception),
        notes=tuple((n.label, _html(n.detail) if n.detail else None) for n in film.content_notes),
        sources=film.sources,
        levels=tuple(
            Level(lv.id, film.label(ladder, lv.id), lv.description) for lv in ladder.levels
        ),
    )


def _render_entity(e: Entity, cites: _Citer, ladder: Ladder) -> REntity:
    return REntity(
        ladder.rank(e.introduced),
        e.kind,
        e.display_name,
        e.names[1:],
        tuple((ladder.rank(d.level), _html(d.text), cites(d.sources)) for d in e.descriptions),
    )


# --- level views -------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    level: str
    facts: tuple[RFact, ...]
    disagreements: tuple[RDisagreement, ...]


@dataclass(frozen=True)
class EntityView:
    kind: str
    name: str
    other_names: tuple[str, ...]
    description: Markup | None
    cites: tuple[Cite, ...]
    rank: int  # of the description shown (the entity's own rank if none)


@dataclass(frozen=True)
class LevelView:
    """Exactly what a reader of one level receives."""

    rf: RenderedFilm
    level: Level
    rank: int
    hrefs: Mapping[str, str]  # level id -> relative link from this page
    sections: tuple[SectionView, ...]
    loose_disagreements: tuple[RDisagreement, ...]
    entities: tuple[EntityView, ...]
    cast: tuple[tuple[str, tuple[str, ...], str | None], ...]
    next_level: Level | None

    @property
    def is_first(self) -> bool:
        return self.rank == 0

    @property
    def toc(self) -> list[tuple[str, str]]:
        """(id, title) of the headings below the film title, in page order."""
        items: list[tuple[str, str]] = []
        if self.cast or self.entities:
            items.append(("characters", "Cast and characters"))
        items += [(s.id, s.title) for s in self.sections]
        if self.loose_disagreements:
            items.append(("sources-disagree", "Where the sources disagree"))
        if self.rf.reception:
            items.append(("reception", "What reviewers say"))
        items.append(("sources", "Sources"))
        return items


def level_view(rf: RenderedFilm, level_id: str, hrefs: Mapping[str, str]) -> LevelView:
    ladder = rf.ladder
    r = ladder.rank(level_id)
    section_ids = {s.id for s in rf.sections if s.rank <= r}
    visible_dis = [d for d in rf.disagreements if d.rank <= r]
    sections = tuple(
        SectionView(
            s.id,
            s.title,
            s.level,
            tuple(f for f in s.facts if f.rank <= r),
            tuple(d for d in visible_dis if d.section == s.id),
        )
        for s in rf.sections
        if s.rank <= r
    )
    entities = []
    for e in rf.entities:
        if e.rank > r:
            continue
        known = [d for d in e.descriptions if d[0] <= r]
        latest = max(known, key=lambda d: d[0]) if known else None
        entities.append(
            EntityView(
                e.kind,
                e.name,
                e.other_names,
                latest[1] if latest else None,
                latest[2] if latest else (),
                latest[0] if latest else e.rank,
            )
        )
    nxt = rf.levels[r + 1] if r + 1 < len(rf.levels) else None
    return LevelView(
        rf=rf,
        level=rf.levels[r],
        rank=r,
        hrefs=hrefs,
        sections=sections,
        loose_disagreements=tuple(d for d in visible_dis if d.section not in section_ids),
        entities=tuple(entities),
        cast=tuple(
            (c.actor, c.also, c.role if c.role is not None and c.role_rank <= r else None)
            for c in rf.cast
        ),
        next_level=nxt,
    )


# --- HTML --------------------------------------------------------------------------------


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def render_level_page(view: LevelView) -> str:
    """The page body for one level: switcher, gate (above the first level), content."""
    return _env().get_template("film.html").render(v=view, film=view.rf.film)


def render_head(rf: RenderedFilm, level_id: str, canonical: str | None, site_name: str) -> str:
    """Tags for <head>: always from the first level; `noindex` and canonical above it."""
    return (
        _env()
        .get_template("head.html")
        .render(
            rf=rf,
            film=rf.film,
            above_first=rf.ladder.rank(level_id) > 0,
            canonical=canonical,
            site_name=site_name,
        )
    )


def render_cards(films: Sequence[RenderedFilm], hrefs: Mapping[str, str]) -> str:
    """Spoiler-free cards for the home page: title, year, director, premise."""
    return _env().get_template("cards.html").render(films=films, hrefs=hrefs)


def render_preview(rf: RenderedFilm, hrefs: Mapping[str, str]) -> str:
    """Writer preview: every level side by side, each fact coloured by its level."""
    views = [level_view(rf, lv.id, hrefs) for lv in rf.ladder.levels]
    return _env().get_template("preview.html").render(rf=rf, film=rf.film, views=views)


def page_title(film: Film) -> str:
    return f"{film.title} ({film.year})"


# --- navigation --------------------------------------------------------------------------


_DASH = "\u2013"  # en dash, as in "Apple \u2013 Banana"


@dataclass(frozen=True)
class NavGroup:
    """A run of films in the nav, by position in the title-sorted list: [start, stop)."""

    label: str
    start: int
    stop: int


def _guide(title: str, neighbour: str | None) -> str:
    """The shortest run of whole words of `title` that tells it apart from `neighbour`.

    Whole words only, never a fragment such as "Bri": a label then holds nothing but words of
    a title, and every film's full title was in every page's nav before grouping anyway.
    """
    words = title.split()
    if not words:
        return title
    if neighbour is None:
        return words[0]
    common = 0  # in characters of `title` (casefold per character keeps the indices aligned)
    for x, y in zip(title, neighbour, strict=False):
        if x.casefold() != y.casefold():
            break
        common += 1
    end = len(title)
    for i in range(common, len(title)):
        if title[i].isspace() and i > common:
            end = i
            break
    return title[:end].strip() or words[0]


def nav_groups(titles: Sequence[str], size: int) -> list[NavGroup]:
    """Split title-sorted films into nav groups of at most `size`, labelled like guide words.

    Returns [] (no grouping) when `size` <= 0 or there are at most `size` films. Groups are as
    even as possible (1,000 films, size 50 -> 20 groups of 50). A label is made of guide words,
    as in a dictionary: the fewest whole words of its first and last titles that tell them apart
    from the neighbouring groups, e.g. "Apple - Banana", "Blue - Dark" (with an en dash).
    """
    n = len(titles)
    if size <= 0 or n <= size:
        return []
    count = -(-n // size)
    base, extra = divmod(n, count)
    groups: list[NavGroup] = []
    start = 0
    for k in range(count):
        stop = start + base + (1 if k < extra else 0)
        first, last = titles[start], titles[stop - 1]
        head = _guide(first, titles[start - 1] if start > 0 else None)
        # The last group's tail only has its own first title to be told apart from.
        tail = _guide(last, titles[stop] if stop < n else first) if stop - start > 1 else head
        label = head if head.casefold() == tail.casefold() else f"{head} {_DASH} {tail}"
        groups.append(NavGroup(label, start, stop))
        start = stop
    return groups
