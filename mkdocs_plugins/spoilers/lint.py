"""The spoiler lint: no text a reader receives at a level names, repeats or points at anything
graded above that level.

It reads every graded text (`Film.graded_texts`, the one list) the way a browser shows it, through
visible.py, and looks for the needles of hidden.py: the same module and the same needles the leak
audit uses on the built pages. Four rules:

- `spoiler-entity`: a text received at L names an entity introduced above L (every spelling in
  `names` and `also_match`, with the variants visible.name_forms allows);
- `spoiler-repeat`: a text received at L repeats a distinctive run of words (visible.runs) of a
  text graded above L: a paraphrase that keeps five words of the hidden sentence gives it away;
- `spoiler-link`: a link in a text received at L points at the anchor of a section graded above L;
- `spoiler-cross-film`: a film's first-level text names another film's hidden entity or repeats
  its hidden text. Every reader of every film can receive it: the home page shows titles and
  premises, every page's navigation the titles, the search index every spoiler-free page.

Each message says what the writer can do for that field: raise it, keep a source title back with
`title_level`, or reword it where the field is shown at every level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from mkdocs_plugins.spoilers.diagnostics import Diagnostic
from mkdocs_plugins.spoilers.hidden import (
    NOT_PROSE,
    HiddenName,
    HiddenRun,
    hidden_runs,
    name_index,
    read_texts,
    run_index,
    section_levels,
)
from mkdocs_plugins.spoilers.model import RAISE, TITLE_LEVEL, Entity, Film, GradedText, Ladder
from mkdocs_plugins.spoilers.visible import Index, Tokens


def _where(kind: str) -> str:
    return {
        "section-id": "section id",
        "film-id": "film id",
        "source-id": "source id",
        "source-url": "source URL",
        "source-title": "source title",
        "entity-name": "name",
        "cast-role": "cast role",
        "level-label": "level label",
    }.get(kind, kind.replace("-", " "))


def fix_for(gt: GradedText, needed: str) -> str:
    """What the writer can do about a text that is received below `needed`."""
    if gt.kind == "entity-name":
        return f"raise the entity's `introduced` to `{needed}` or choose another name"
    if gt.fix == RAISE:
        return f"raise this text to `{needed}` or reword it"
    if gt.fix == TITLE_LEVEL:
        return (
            f"keep the title back with `title_level: {needed}` and a neutral `description` "
            '(e.g. "An ending explainer by ..."), or reword it'
        )
    if gt.kind == "film-id":
        return "the id is the page address at every level: choose another id and rename the file"
    if gt.kind == "source-id":
        return "source ids are element ids on every level's page: choose another id"
    if gt.kind == "premise":
        return "the premise is shown at every level and on the home page: reword it"
    return f"every level shows the {_where(gt.kind)}, so it cannot be raised: reword it"


@dataclass(frozen=True)
class SharedText:
    path: tuple[str | int, ...]
    line: int
    col: int
    kind: str
    strings: tuple[str, ...]


@dataclass(frozen=True)
class FilmSummary:
    """What the cross-film rule needs of a film (small enough to cross a process boundary)."""

    id: str
    source_path: str
    id_line: int
    id_col: int
    entities: tuple[Entity, ...]  # those introduced above the first level
    shared: tuple[SharedText, ...]
    runs: tuple[HiddenRun, ...]


@dataclass
class FilmLint:
    diagnostics: list[Diagnostic]
    summary: FilmSummary  # for the cross-film rule


def lint_film(film: Film, ladder: Ladder) -> FilmLint:
    """Every spoiler-entity, spoiler-repeat and spoiler-link problem of one film."""
    texts = read_texts(film, ladder)
    names = name_index([(film.id, film.entities)], ladder)
    runs = hidden_runs(film, texts)
    repeated = run_index(runs)
    sections = section_levels(film, ladder)
    out: list[Diagnostic] = []

    def report(gt: GradedText, code: str, message: str) -> None:
        m = film.mark(gt.path)
        out.append(Diagnostic(film.source_path, m.line, m.col, code, message))

    for t in texts:
        gt, rank = t.gt, t.rank
        named: set[str] = set()
        seen: set[str] = set()
        for tokens in t.tokens:
            for hit in names.find(tokens):
                hn = hit.payload
                if hn.rank <= rank or hn.entity in named:
                    continue
                named.add(hn.entity)
                report(
                    gt,
                    "spoiler-entity",
                    f"this {_where(gt.kind)} is shown at `{gt.level}` but names `{hn.name}` "
                    f"(entity `{hn.entity}`, introduced at `{hn.level}`); "
                    f"{fix_for(gt, hn.level)}",
                )
            if gt.kind in NOT_PROSE and gt.kind != "source-url":
                continue
            for rhit in repeated.find(tokens):
                run = rhit.payload
                if run.rank <= rank or run.where in seen:
                    continue
                seen.add(run.where)
                report(
                    gt,
                    "spoiler-repeat",
                    f"this {_where(gt.kind)} is shown at `{gt.level}` but repeats "
                    f"\u201c{' '.join(run.words)}\u201d from the {_where(run.kind)} on line "
                    f"{run.line}, graded `{run.level}`; reword one of them, or "
                    f"{fix_for(gt, run.level)}",
                )
        for href in t.received.hrefs:
            fragment = unquote(urlsplit(href.strip()).fragment)
            level = sections.get(fragment)
            if fragment and level is not None and ladder.rank(level) > rank:
                report(
                    gt,
                    "spoiler-link",
                    f"this link is shown at `{gt.level}` but points at `#{fragment}`, a section "
                    f"graded `{level}`; link to a section at or below `{gt.level}`, or "
                    f"{fix_for(gt, level)}",
                )
    shared = tuple(
        SharedText(t.gt.path, *film.mark(t.gt.path), t.gt.kind, tuple(t.received.strings()))
        for t in texts
        if t.rank == 0
    )
    hidden_entities = tuple(
        e for e in film.entities if e.introduced in ladder and ladder.rank(e.introduced) > 0
    )
    id_mark = film.mark(("id",))
    summary = FilmSummary(
        film.id, film.source_path, id_mark.line, id_mark.col, hidden_entities, shared, tuple(runs)
    )
    return FilmLint(out, summary)


def _cross_film(
    film: FilmSummary,
    st: SharedText,
    tokens: Tokens,
    names: Index[HiddenName],
    runs: Index[HiddenRun],
) -> list[tuple[str, Diagnostic]]:
    """(other film, diagnostic) for each other film whose secret one shared text gives away."""
    found = [
        (
            h.payload.film,
            f"names `{h.payload.name}`, which `{h.payload.film}` introduces at `{h.payload.level}`",
        )
        for h in names.find(tokens)
        if h.payload.film != film.id
    ] + [
        (
            r.payload.film,
            f"repeats \u201c{' '.join(r.payload.words)}\u201d, graded `{r.payload.level}` in "
            f"`{r.payload.film}`",
        )
        for r in runs.find(tokens)
        if r.payload.film != film.id
    ]
    out: list[tuple[str, Diagnostic]] = []
    reported: set[str] = set()
    for other, what in found:
        if other in reported:
            continue
        reported.add(other)
        message = (
            f"this {_where(st.kind)} is shown on the spoiler-free page and in the search index, "
            f"where readers of every film receive it, but it {what}; reword one of the two (a "
            "more distinctive name for the hidden entity also works)"
        )
        out.append(
            (other, Diagnostic(film.source_path, st.line, st.col, "spoiler-cross-film", message))
        )
    return out


class CrossFilm:
    """`spoiler-cross-film` over a set of films that changes one film at a time.

    `mkdocs serve` keeps one across rebuilds: when a film changes, only its own shared text is
    read against every other film's secrets, and every other film's shared text against its new
    secrets. (`lint_across` is the one-shot use.)
    """

    def __init__(self, ladder: Ladder) -> None:
        self.ladder = ladder
        self.films: dict[str, FilmSummary] = {}
        self._tokens: dict[str, list[tuple[SharedText, Tokens]]] = {}
        self._names: Index[HiddenName] = Index()
        self._runs: Index[HiddenRun] = Index()
        # film -> other film -> what film's shared text gives away of the other's secrets
        self._hits: dict[str, dict[str, list[Diagnostic]]] = {}

    def _needles(self, films: Sequence[FilmSummary]) -> tuple[Index[HiddenName], Index[HiddenRun]]:
        return (
            name_index([(f.id, f.entities) for f in films], self.ladder),
            run_index(run for f in films for run in f.runs),
        )

    def _read(
        self, film: FilmSummary, names: Index[HiddenName], runs: Index[HiddenRun]
    ) -> dict[str, list[Diagnostic]]:
        hits: dict[str, list[Diagnostic]] = {}
        for st, tokens in self._tokens[film.id]:
            for other, diag in _cross_film(film, st, tokens, names, runs):
                hits.setdefault(other, []).append(diag)
        return hits

    def update(self, changed: Sequence[FilmSummary], removed: Sequence[str] = ()) -> None:
        gone = {*removed, *(f.id for f in changed)}
        for film_id in gone:
            self.films.pop(film_id, None)
            self._tokens.pop(film_id, None)
            self._hits.pop(film_id, None)
        for hits in self._hits.values():
            for film_id in gone:
                hits.pop(film_id, None)
        self._names.discard_where(lambda h: h.film in gone)
        self._runs.discard_where(lambda r: r.film in gone)
        for film in changed:
            self.films[film.id] = film
            self._tokens[film.id] = [(st, Tokens(s)) for st in film.shared for s in st.strings]
        new_names, new_runs = self._needles(changed)
        self._names.merge(new_names)
        self._runs.merge(new_runs)
        if len(self.films) < 2:
            return
        # The changed films' shared text against every film's secrets...
        for film in changed:
            self._hits[film.id] = self._read(film, self._names, self._runs)
        # ...and every other film's shared text against the changed films' new secrets.
        if changed:
            changed_ids = {f.id for f in changed}
            for film_id, film in self.films.items():
                if film_id in changed_ids:
                    continue
                for other, diags in self._read(film, new_names, new_runs).items():
                    self._hits.setdefault(film_id, {})[other] = diags

    def diagnostics(self) -> list[Diagnostic]:
        if len(self.films) < 2:
            return []
        return [d for hits in self._hits.values() for diags in hits.values() for d in diags]


def lint_across(films: Sequence[FilmSummary], ladder: Ladder) -> list[Diagnostic]:
    """`spoiler-cross-film`: shared first-level text naming or repeating another film's secret."""
    if len(films) < 2:
        return []
    cross = CrossFilm(ladder)
    cross.update(films)
    return cross.diagnostics()
