"""What the schema cannot say: ids, levels, citations, the spoiler lint, markup safety."""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs_plugins.spoilers.diagnostics import Diagnostic, Severity
from mkdocs_plugins.spoilers.load import LoadResult, discover, load_film, load_films, schema_path
from mkdocs_plugins.spoilers.markup import check_inline, url_is_safe
from mkdocs_plugins.spoilers.model import RESERVED_IDS, Entity, Film, Ladder
from mkdocs_plugins.spoilers.yamlload import Path as KeyPath


def _diag(
    film: Film, path: KeyPath, code: str, message: str, severity: Severity = Severity.ERROR
) -> Diagnostic:
    m = film.mark(path)
    return Diagnostic(film.source_path, m.line, m.col, code, message, severity)


_WORD = re.compile(r"\w+")


def name_words(text: str) -> tuple[str, ...]:
    """Words for whole-word matching: case-folded; `-`, spaces, `'` and `.` all separate."""
    return tuple(_WORD.findall(text.casefold()))


@dataclass(frozen=True)
class EntityLint:
    """Entity names indexed by their first word, so each text is scanned once, word by word.

    Whole words, case-insensitive; `Min-hee`, `min hee` and `MIN HEE` are the same name, and
    `Choi's` mentions `Choi`. No regex is compiled per film, which matters at 1,000 films.
    """

    index: dict[str, list[tuple[tuple[str, ...], int, Entity]]]  # first word -> names
    top: int  # highest introduction rank of any entity

    @classmethod
    def build(cls, film: Film, ladder: Ladder) -> EntityLint:
        index: dict[str, list[tuple[tuple[str, ...], int, Entity]]] = {}
        top = -1
        for e in film.entities:
            if e.introduced not in ladder:
                continue
            rank = ladder.rank(e.introduced)
            for n in e.names:
                words = name_words(n)
                if not words:
                    continue  # the schema refuses blank names; never match an empty one
                index.setdefault(words[0], []).append((words, rank, e))
                top = max(top, rank)
        for names in index.values():
            names.sort(key=lambda item: -len(item[0]))
        return cls(index, top)

    def mentions(self, text: str, rank: int) -> Iterator[tuple[str, Entity]]:
        if self.top <= rank:
            return
        found = list(_WORD.finditer(text.casefold()))
        words = [m.group() for m in found]
        i = 0
        while i < len(words):
            # Longest name first, so `Min-hee` is reported once, not also as `Min`.
            for name, entity_rank, entity in self.index.get(words[i], ()):
                if entity_rank > rank and tuple(words[i : i + len(name)]) == name:
                    # casefold() can change lengths (ß -> ss); fall back to the words then.
                    said = (
                        text[found[i].start() : found[i + len(name) - 1].end()]
                        if len(text) == len(text.casefold())
                        else " ".join(name)
                    )
                    yield said, entity
                    i += len(name) - 1
                    break
            i += 1


def validate_film(film: Film, ladder: Ladder) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    out += _check_ids(film)
    out += _check_levels(film, ladder)
    out += _check_sources(film)
    out += _check_references(film, ladder)
    out += _check_markup(film, ladder)
    out += _check_spoilers(film, ladder)
    return out


def _check_ids(film: Film) -> Iterator[Diagnostic]:
    if not film.id.endswith(f"-{film.year}"):
        yield _diag(
            film,
            ("id",),
            "year-mismatch",
            f"the id `{film.id}` should end with the film's year, -{film.year}",
        )
    groups: dict[str, list[tuple[str, KeyPath]]] = {
        "section": [(s.id, s.path) for s in film.sections],
        "fact": [(f.id, f.path) for s in film.sections for f in s.facts],
        "entity": [(e.id, e.path) for e in film.entities],
        "source": [(s.id, s.path) for s in film.sources],
        "content note": [(n.id, n.path) for n in film.content_notes],
        "disagreement": [(d.id, d.path) for d in film.disagreements],
    }
    for kind, items in groups.items():
        first: dict[str, KeyPath] = {}
        for item_id, path in items:
            if item_id in first:
                line = film.mark((*first[item_id], "id")).line
                yield _diag(
                    film,
                    (*path, "id"),
                    "duplicate-id",
                    f"the {kind} id `{item_id}` is already used on line {line}",
                )
            else:
                first[item_id] = path
    for s in film.sections:
        if s.id in RESERVED_IDS or s.id.startswith("source-"):
            yield _diag(
                film,
                (*s.path, "id"),
                "reserved-id",
                f"the section id `{s.id}` is used by the page itself; choose another",
            )
    names: dict[str, tuple[Entity, KeyPath]] = {}
    for e in film.entities:
        for i, n in enumerate(e.names):
            key = " ".join(name_words(n))  # the lint's notion of "the same name"
            if key in names and names[key][0].id != e.id:
                yield _diag(
                    film,
                    (*e.path, "names", i),
                    "duplicate-name",
                    f"the name `{n}` is also a name of entity `{names[key][0].id}`",
                )
            names.setdefault(key, (e, (*e.path, "names", i)))


def _check_levels(film: Film, ladder: Ladder) -> Iterator[Diagnostic]:
    known = ", ".join(ladder.ids)

    def unknown(level: str, path: KeyPath) -> Diagnostic | None:
        if level in ladder:
            return None
        return _diag(
            film,
            path,
            "unknown-level",
            f"`{level}` is not a level of this site; use one of: {known}",
        )

    for key in film.level_labels:
        if key not in ladder:
            m = film.marks.key(("level_labels", key))
            yield Diagnostic(
                film.source_path,
                m.line,
                m.col,
                "unknown-level",
                f"`{key}` is not a level of this site; use one of: {known}",
            )
    for e in film.entities:
        d = unknown(e.introduced, (*e.path, "introduced"))
        if d:
            yield d
        for desc in e.descriptions:
            d = unknown(desc.level, (*desc.path, "level"))
            if d:
                yield d
            elif e.introduced in ladder and ladder.rank(desc.level) < ladder.rank(e.introduced):
                yield _diag(
                    film,
                    (*desc.path, "level"),
                    "description-before-introduced",
                    f"this description of `{e.id}` is at `{desc.level}`, but the entity "
                    f"is introduced at `{e.introduced}`",
                )
    for s in film.sections:
        d = unknown(s.level, (*s.path, "level"))
        if d:
            yield d
        for f in s.facts:
            d = unknown(f.level, (*f.path, "level"))
            if d:
                yield d
            elif s.level in ladder and ladder.rank(f.level) < ladder.rank(s.level):
                yield _diag(
                    film,
                    (*f.path, "level"),
                    "fact-below-section",
                    f"fact `{f.id}` is at `{f.level}`, below its section `{s.id}` at "
                    f"`{s.level}`; readers at `{f.level}` would never see it",
                )
    for dis in film.disagreements:
        d = unknown(dis.level, (*dis.path, "level"))
        if d:
            yield d


def _citations(film: Film) -> Iterator[tuple[str, KeyPath]]:
    for i, sid in enumerate(film.details_sources):
        yield sid, ("details_sources", i)
    for i, sid in enumerate(film.premise_sources):
        yield sid, ("premise_sources", i)
    cited: Iterable[tuple[KeyPath, Sequence[str]]] = (
        *((r.path, r.sources) for r in film.reception),
        *((c.path, c.sources) for c in film.cast),
        *((d.path, d.sources) for e in film.entities for d in e.descriptions),
        *((f.path, f.sources) for s in film.sections for f in s.facts),
        *((c.path, c.sources) for d in film.disagreements for c in d.claims),
    )
    for path, sources in cited:
        for i, sid in enumerate(sources):
            yield sid, (*path, "sources", i)


def _check_sources(film: Film) -> Iterator[Diagnostic]:
    known = {s.id for s in film.sources}
    used: set[str] = set()
    for sid, path in _citations(film):
        used.add(sid)
        if sid not in known:
            yield _diag(
                film,
                path,
                "unknown-source",
                f"`{sid}` is not in `sources`; known: {', '.join(sorted(known))}",
            )
    for s in film.sources:
        if s.id not in used:
            yield _diag(
                film,
                (*s.path, "id"),
                "unused-source",
                f"source `{s.id}` is never cited",
                Severity.WARNING,
            )
        if s.url is not None and not url_is_safe(s.url):
            yield _diag(
                film,
                (*s.path, "url"),
                "markup-url",
                f"the URL `{s.url}` is not allowed; use http(s)",
            )


def _check_references(film: Film, ladder: Ladder) -> Iterator[Diagnostic]:
    for c in film.cast:
        if c.entity is not None and film.entity(c.entity) is None:
            yield _diag(
                film,
                (*c.path, "entity"),
                "unknown-entity",
                f"`{c.entity}` is not declared in `entities`",
            )
    sections = {s.id: s for s in film.sections}
    for d in film.disagreements:
        if d.section is None:
            continue
        sec = sections.get(d.section)
        if sec is None:
            yield _diag(
                film,
                (*d.path, "section"),
                "unknown-section",
                f"`{d.section}` is not a section id of this film",
            )
        elif (
            sec.level in ladder
            and d.level in ladder
            and ladder.rank(d.level) < ladder.rank(sec.level)
        ):
            yield _diag(
                film,
                (*d.path, "level"),
                "disagreement-below-section",
                f"disagreement `{d.id}` is at `{d.level}` but its section `{sec.id}` "
                f"only appears at `{sec.level}`",
            )


def _check_markup(film: Film, ladder: Ladder) -> Iterator[Diagnostic]:
    for gt in film.graded_texts(ladder):
        if gt.kind == "section-id":
            continue
        for p in check_inline(gt.text, markdown=gt.markdown):
            yield _diag(film, gt.path, p.code, p.message)
    for e in film.entities:
        for i, n in enumerate(e.names):
            for p in check_inline(n, markdown=False):
                yield _diag(film, (*e.path, "names", i), p.code, p.message)


def _check_spoilers(film: Film, ladder: Ladder) -> Iterator[Diagnostic]:
    lint = EntityLint.build(film, ladder)
    for gt in film.graded_texts(ladder):
        if gt.level not in ladder:
            continue
        rank = ladder.rank(gt.level)
        for said, entity in lint.mentions(gt.text, rank):
            where = "section id" if gt.kind == "section-id" else gt.kind.replace("-", " ")
            yield _diag(
                film,
                gt.path,
                "spoiler-entity",
                f"this {where} is shown at `{gt.level}` but names `{said}` "
                f"(entity `{entity.id}`, introduced at `{entity.introduced}`); "
                f"raise this text to `{entity.introduced}` or reword it",
            )


def check(paths: Iterable[Path], content_dir: Path, ladder: Ladder) -> LoadResult:
    """Load and validate films: everything `spoilers check` and the plugin report."""
    with _no_cyclic_gc():
        result = load_films(paths, content_dir)
        for film in result.films:
            result.diagnostics += validate_film(film, ladder)
    return result


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Loading makes millions of small objects and no reference cycles: the cyclic GC's passes
    over the growing heap free nothing and cost about a third of the time at 1,000 films.
    Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


PARALLEL_FROM = 64  # below this many files a process pool costs more than it saves


@dataclass(frozen=True)
class _FileOutcome:
    diagnostics: list[Diagnostic]
    film_id: str | None
    shown: str
    id_mark: tuple[int, int]


def _check_one(path: Path, content_dir: Path, ladder: Ladder) -> _FileOutcome:
    film, diags = load_film(path, content_dir)
    if film is None:
        return _FileOutcome(diags, None, "", (1, 1))
    diags += validate_film(film, ladder)
    m = film.mark(("id",))
    # Only what the parent needs crosses the process boundary, never the model.
    return _FileOutcome(diags, film.id, film.source_path, (m.line, m.col))


def check_files(
    paths: Iterable[Path], content_dir: Path, ladder: Ladder, jobs: int | None = None
) -> tuple[int, list[Diagnostic]]:
    """What `spoilers check` reports: (films loaded, diagnostics), over several processes.

    Unlike check(), it keeps no model, so it can spread files over every core.
    """
    missing = load_films([], content_dir) if not schema_path(content_dir).is_file() else None
    if missing is not None:
        return 0, missing.diagnostics
    files = list(discover(paths, content_dir))
    jobs = jobs or os.cpu_count() or 1
    work = functools.partial(_check_one, content_dir=content_dir, ladder=ladder)
    if jobs > 1 and len(files) >= PARALLEL_FROM:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs, initializer=gc.disable
        ) as pool:
            outcomes = list(pool.map(work, files, chunksize=max(1, len(files) // (jobs * 8))))
    else:
        with _no_cyclic_gc():
            outcomes = [work(f) for f in files]
    diagnostics: list[Diagnostic] = []
    first_seen: dict[str, str] = {}
    loaded = 0
    for out in outcomes:
        diagnostics += out.diagnostics
        if out.film_id is None:
            continue
        if out.film_id in first_seen:
            diagnostics.append(
                Diagnostic(
                    out.shown,
                    *out.id_mark,
                    "duplicate-film-id",
                    f"the film id `{out.film_id}` is already used by {first_seen[out.film_id]}",
                )
            )
            continue
        first_seen[out.film_id] = out.shown
        loaded += 1
    return loaded, diagnostics
