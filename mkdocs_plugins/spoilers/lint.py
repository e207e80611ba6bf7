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

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from mkdocs_plugins.spoilers.diagnostics import Diagnostic
from mkdocs_plugins.spoilers.hidden import (
    NOT_PROSE,
    HiddenName,
    hidden_runs,
    name_index,
    read_texts,
    run_index,
    run_key,
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


# Texts every page's navigation and the home page show: there a film's words meet other films'.
HOME_PATHS = frozenset({("title",), ("original_title",), ("director",), ("premise",)})


@dataclass(frozen=True)
class FilmSummary:
    """What the cross-film rule needs of a film (small enough to cross a process boundary)."""

    id: str
    source_path: str
    id_line: int
    id_col: int
    entities: tuple[Entity, ...]  # those introduced above the first level
    shared: tuple[SharedText, ...]  # every first-level text
    run_keys: array[int]  # sorted run_key(words) << 8 | rank, of every hidden run
    run_lengths: frozenset[int]  # how many words those runs have


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
    top = max((owner.rank for _, owner in runs), default=0)
    name_top = max(
        (ladder.rank(e.introduced) for e in film.entities if e.introduced in ladder), default=0
    )
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
            for hit in names.find(tokens) if rank < name_top else ():
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
            if rank >= top:
                continue  # nothing is graded above this text
            for rhit in repeated.find(tokens):
                run = rhit.payload
                if run.rank <= rank or run.where in seen:
                    continue
                seen.add(run.where)
                said = " ".join(tokens.words[rhit.start : rhit.start + rhit.length])
                report(
                    gt,
                    "spoiler-repeat",
                    f"this {_where(gt.kind)} is shown at `{gt.level}` but repeats "
                    f"\u201c{said}\u201d from the {_where(run.kind)} on line "
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
    keys = array("Q", sorted({run_key(ws) << 8 | owner.rank for ws, owner in runs}))
    lengths = frozenset(len(ws) for ws, _ in runs)
    summary = FilmSummary(
        film.id, film.source_path, id_mark.line, id_mark.col, hidden_entities, shared, keys, lengths
    )
    return FilmLint(out, summary)


def _diag(film: FilmSummary, st: SharedText, what: str) -> Diagnostic:
    message = (
        f"this {_where(st.kind)} is shown on the spoiler-free page and in the search index, where "
        f"readers of every film receive it, but it {what}; reword one of the two (a more "
        "distinctive name for the hidden entity also works)"
    )
    return Diagnostic(film.source_path, st.line, st.col, "spoiler-cross-film", message)


def _has_key(keys: array[int], key: int) -> int | None:
    """The rank a film's hidden run with this key is graded at, or None (keys are sorted)."""
    i = bisect_left(keys, key << 8)
    if i < len(keys) and keys[i] >> 8 == key:
        return keys[i] & 0xFF
    return None


class CrossFilm:
    """`spoiler-cross-film` over a set of films that changes one film at a time.

    Names: any first-level text of a film (its spoiler-free page is in the search index, which
    every reader searches) naming another film's hidden entity. Runs: a film's title, director or
    premise (on the home page and in every page's navigation) repeating a run of another film's
    hidden text. Hidden runs are kept as sorted 56-bit keys, eight bytes each, so a thousand
    films cost megabytes, not the gigabyte their words would. `mkdocs serve` keeps one across
    rebuilds: a changed film is read against every film, and every film against it.
    """

    def __init__(self, ladder: Ladder) -> None:
        self.ladder = ladder
        self.films: dict[str, FilmSummary] = {}
        self._tokens: dict[str, list[tuple[SharedText, Tokens]]] = {}
        self._films_with: dict[str, set[str]] = {}  # word -> films whose first-level text has it
        self._names: Index[HiddenName] = Index()
        # key of a run of home text -> where it is: (film id, shared text, start, length)
        self._home: dict[int, list[tuple[str, SharedText, Tokens, int, int]]] = {}
        self._home_keys: dict[str, list[int]] = {}
        self._lengths: set[int] = set()
        self._hits: dict[str, dict[str, list[Diagnostic]]] = {}  # film -> other -> diagnostics

    def _home_windows(self, film: FilmSummary) -> list[tuple[int, SharedText, Tokens, int, int]]:
        out = []
        for st, tokens in self._tokens[film.id]:
            if st.path not in HOME_PATHS:
                continue
            ws = tokens.words
            for n in self._lengths:
                for i in range(len(ws) - n + 1):
                    out.append((run_key(ws[i : i + n]), st, tokens, i, n))
        return out

    def _index_home(self, film: FilmSummary) -> None:
        keys = []
        for key, st, tokens, i, n in self._home_windows(film):
            self._home.setdefault(key, []).append((film.id, st, tokens, i, n))
            keys.append(key)
        self._home_keys[film.id] = keys

    def _unindex_home(self, film_id: str) -> None:
        for key in self._home_keys.pop(film_id, ()):
            kept = [w for w in self._home.get(key, ()) if w[0] != film_id]
            if kept:
                self._home[key] = kept
            else:
                self._home.pop(key, None)

    def _add_hit(self, film: str, other: str, diag: Diagnostic) -> None:
        hits = self._hits.setdefault(film, {}).setdefault(other, [])
        if all((d.line, d.col) != (diag.line, diag.col) for d in hits):
            hits.append(diag)

    def _names_of(self, film: FilmSummary, names: Index[HiddenName]) -> None:
        for st, tokens in self._tokens[film.id]:
            for h in names.find(tokens):
                other = h.payload
                if other.film != film.id:
                    what = (
                        f"names `{other.name}`, which `{other.film}` introduces at `{other.level}`"
                    )
                    self._add_hit(film.id, other.film, _diag(film, st, what))

    def _runs_of(self, owner: FilmSummary) -> None:
        """Every film's home text against `owner`'s hidden runs."""
        for packed in owner.run_keys:
            for film_id, st, tokens, i, n in self._home.get(packed >> 8, ()):
                if film_id == owner.id:
                    continue
                said = " ".join(tokens.words[i : i + n])
                level = self.ladder.ids[packed & 0xFF]
                what = f"repeats \u201c{said}\u201d, graded `{level}` in `{owner.id}`"
                self._add_hit(film_id, owner.id, _diag(self.films[film_id], st, what))

    def update(self, changed: Sequence[FilmSummary], removed: Sequence[str] = ()) -> None:
        gone = {*removed, *(f.id for f in changed)}
        # Where the gone films' names sit in the index of every film's names: look only there.
        old_names = name_index(
            [(f.id, f.entities) for f in map(self.films.get, gone) if f is not None], self.ladder
        )
        for film_id in gone:
            self.films.pop(film_id, None)
            for _, tokens in self._tokens.pop(film_id, ()):
                for w in tokens.words:
                    self._films_with.get(w, set()).discard(film_id)
            self._hits.pop(film_id, None)
            self._unindex_home(film_id)
        for hits in self._hits.values():
            for film_id in gone:
                hits.pop(film_id, None)
        self._names.discard_where(lambda h: h.film in gone, list(old_names.keys()))
        new_lengths = {n for f in changed for n in f.run_lengths} - self._lengths
        for film in changed:
            self.films[film.id] = film
            self._tokens[film.id] = [(st, Tokens(s)) for st in film.shared for s in st.strings]
            for _, tokens in self._tokens[film.id]:
                for w in tokens.words:
                    self._films_with.setdefault(w, set()).add(film.id)
        if new_lengths:  # runs of a new length: every film's home text gets those windows too
            self._lengths |= new_lengths
            for film_id in list(self._home_keys):
                self._unindex_home(film_id)
            for film in self.films.values():
                if film.id not in gone:
                    self._index_home(film)
        for film in changed:
            self._index_home(film)
        new_names = name_index([(f.id, f.entities) for f in changed], self.ladder)
        self._names.merge(new_names)
        if len(self.films) < 2:
            return
        changed_ids = {f.id for f in changed}
        everything = changed_ids >= set(self.films)  # a first run: _runs_of sees every pair
        for film in changed:
            self._names_of(film, self._names)  # its first-level text against every secret
            self._runs_of(film)  # every film's home text against its secrets
            if everything:
                continue
            windows = self._home_windows(film)  # its home text against every other's secrets
            for other in self.films.values():
                if other.id == film.id:
                    continue
                for key, st, tokens, i, n in windows:
                    if n not in other.run_lengths:
                        continue
                    rank = _has_key(other.run_keys, key)
                    if rank is not None:
                        said = " ".join(tokens.words[i : i + n])
                        level = self.ladder.ids[rank]
                        what = f"repeats \u201c{said}\u201d, graded `{level}` in `{other.id}`"
                        self._add_hit(film.id, other.id, _diag(film, st, what))
        if len(new_names):  # every other film against its new names
            # Only a film whose first-level text has a name's first word can hold the name: an
            # exact filter, so a save reads a few films here, not every film of the site.
            might = set().union(*(self._films_with.get(w, ()) for w in new_names.first_words()))
            for film_id, film in self.films.items():
                if film_id in might and film_id not in changed_ids:
                    self._names_of(film, new_names)

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
