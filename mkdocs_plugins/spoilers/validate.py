"""What the schema cannot say: ids, levels, citations, the spoiler lint, markup safety.

Why one module of about 500 lines: it is the whole of `spoilers check` (one file's checks, then the
checks across files, and the worker pool that reads files in parallel); the lint itself lives in
lint.py and the text model in visible.py. Splitting the checks further would scatter one list of
rules a writer reads top to bottom.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs_plugins.spoilers.diagnostics import Diagnostic, Severity
from mkdocs_plugins.spoilers.ids import is_reserved
from mkdocs_plugins.spoilers.lint import CrossFilm, FilmSummary, lint_across, lint_film
from mkdocs_plugins.spoilers.load import (
    LoadResult,
    discover,
    first_of_each_id,
    load_film,
)
from mkdocs_plugins.spoilers.markup import check_inline, url_is_safe
from mkdocs_plugins.spoilers.model import (
    MARKDOWN,
    NO_MARKS,
    SLUG,
    URL,
    Entity,
    Film,
    GradedText,
    KeyPath,
    Ladder,
)
from mkdocs_plugins.spoilers.visible import Index, Tokens, name_forms, received, words


def _diag(
    film: Film, path: KeyPath, code: str, message: str, severity: Severity = Severity.ERROR
) -> Diagnostic:
    m = film.mark(path)
    return Diagnostic(film.source_path, m.line, m.col, code, message, severity)


def validate_film(film: Film, ladder: Ladder) -> list[Diagnostic]:
    """Every problem of one film on its own (the cross-film rule needs all films: `check`)."""
    return _validate(film, ladder)[0]


def _validate(film: Film, ladder: Ladder) -> tuple[list[Diagnostic], FilmSummary]:
    out: list[Diagnostic] = []
    out += _check_ids(film)
    out += _check_levels(film, ladder)
    out += _check_sources(film, ladder)
    out += _check_references(film, ladder)
    out += _check_markup(film, ladder)
    out += _check_writing(film, ladder)
    linted = lint_film(film, ladder)
    out += linted.diagnostics
    return out, linted.summary


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
        if is_reserved(s.id):
            yield _diag(
                film,
                (*s.path, "id"),
                "reserved-id",
                f"the section id `{s.id}` is used by the page itself; choose another",
            )
    names: dict[str, tuple[Entity, KeyPath]] = {}
    for e in film.entities:
        for i, n in enumerate(e.matched_names):
            key = " ".join(words(n))  # the lint's notion of "the same name"
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
            m = film.key_mark(("level_labels", key))
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
    recap_at: dict[str, KeyPath] = {}
    for rc in film.recaps:
        d = unknown(rc.level, (*rc.path, "level"))
        if d:
            yield d
        elif rc.level in recap_at:
            line = film.mark((*recap_at[rc.level], "level")).line
            yield _diag(
                film,
                (*rc.path, "level"),
                "duplicate-recap",
                f"there is already a recap for `{rc.level}` on line {line}; "
                "merge the two into one paragraph",
            )
        else:
            recap_at[rc.level] = rc.path
    for src in film.sources:
        if src.title_level is not None:
            d = unknown(src.title_level, (*src.path, "title_level"))
            if d:
                yield d


def _citations(film: Film) -> Iterator[tuple[str, KeyPath]]:
    for i, sid in enumerate(film.details_sources):
        yield sid, ("details_sources", i)
    for i, sid in enumerate(film.premise_sources):
        yield sid, ("premise_sources", i)
    cited: Iterable[tuple[KeyPath, Sequence[str]]] = (
        *(((film.verdict.path, film.verdict.sources),) if film.verdict else ()),
        *((r.path, r.sources) for r in film.recaps),
        *((p.path, p.sources) for p in film.meaning),
        *((r.path, r.sources) for r in film.reception),
        *((c.path, c.sources) for c in film.cast),
        *((d.path, d.sources) for e in film.entities for d in e.descriptions),
        *((f.path, f.sources) for s in film.sections for f in s.facts),
        *((c.path, c.sources) for d in film.disagreements for c in d.claims),
    )
    for path, sources in cited:
        for i, sid in enumerate(sources):
            yield sid, (*path, "sources", i)


def _check_sources(film: Film, ladder: Ladder) -> Iterator[Diagnostic]:
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
        if s.title_level is not None and s.description is None:
            yield _diag(
                film,
                (*s.path, "title_level"),
                "source-description",
                f"the title is kept back until `{s.title_level}`, so readers below it need a "
                'neutral `description` instead, e.g. description: "A review by ..."',
            )
        elif s.description is not None and s.title_level is None:
            yield _diag(
                film,
                (*s.path, "description"),
                "source-description",
                "a `description` is shown only in place of a title kept back with "
                "`title_level`; add `title_level` or remove the description",
            )
        elif s.title_level == ladder.first.id:
            yield _diag(
                film,
                (*s.path, "title_level"),
                "source-description",
                f"`{s.title_level}` is the first level, so nothing is kept back; remove "
                "`title_level` and `description`, or use a later level",
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
        if gt.form in (SLUG, URL):
            continue  # the schema's patterns and url_is_safe cover these
        for p in check_inline(gt.text, markdown=gt.markdown):
            yield _diag(film, gt.path, p.code, p.message)
    for e in film.entities:
        for i, n in enumerate(e.also_match):
            for p in check_inline(n, markdown=False):
                yield _diag(film, (*e.path, "also_match", i), p.code, p.message)


PLACEHOLDER = "Replace:"  # how `spoilers new` marks text the writer must write


def _check_writing(film: Film, ladder: Ladder) -> Iterator[Diagnostic]:
    """Rules about what the text says: placeholders left in, content notes that tell."""
    for gt in film.graded_texts(ladder):
        if gt.text.lstrip().startswith(PLACEHOLDER):
            yield _diag(
                film,
                gt.path,
                "scaffold-placeholder",
                "this is still a placeholder that `spoilers new` wrote; replace it with the "
                "film's own text",
            )
    notes = Index[Entity]()
    for e in film.entities:
        for name in e.matched_names:
            for ws, caps in name_forms(name, e.match):
                notes.add(ws, e, caps)
    for n in film.content_notes:
        for key, text in (("label", n.label), ("detail", n.detail)):
            if text is None:
                continue
            gt = GradedText((*n.path, key), ladder.first.id, text, "content-note", MARKDOWN)
            for tokens in (Tokens(s) for s in received(gt).strings()):
                hit = next(notes.find(tokens), None)
                if hit is not None:
                    yield _diag(
                        film,
                        gt.path,
                        "content-note-names",
                        f"this content note names `{hit.payload.display_name}`; a content note "
                        "names a kind of content, never who, how or when: reword it, e.g. "
                        '"Graphic violence"',
                    )
                    break


def check(paths: Iterable[Path], content_dir: Path, ladder: Ladder) -> LoadResult:
    """Load and validate films: everything `spoilers check` and the plugin report."""
    return Checker(content_dir, ladder).run(paths)


@dataclass
class _Checked:
    signature: tuple[int, int, int]  # (mtime_ns, size, inode): a changed file has a new one
    film: Film | None  # without its marks: diagnostics are made once, when the file is read
    diagnostics: list[Diagnostic]
    summary: FilmSummary | None


class Checker:
    """`check` that remembers every file it read: a later `run` reads again only the files
    whose signature changed, and lints across films only what the change can affect.
    `mkdocs serve` keeps one between rebuilds, so a save costs one film, not the whole site.
    """

    def __init__(self, content_dir: Path, ladder: Ladder) -> None:
        self.content_dir = content_dir
        self.ladder = ladder
        self._files: dict[Path, _Checked] = {}
        self._cross = CrossFilm(ladder)
        self.changed: set[str] = set()  # ids of the films the last run read again

    def run(self, paths: Iterable[Path] = (), jobs: int | None = None) -> LoadResult:
        """Check the files below `paths` (default: the content dir); with many files to read,
        over `jobs` processes (default: one per core)."""
        self.changed = set()
        with _no_cyclic_gc():
            files = list(discover(paths, self.content_dir))
            todo: list[tuple[Path, tuple[int, int, int]]] = []
            for path in files:
                try:
                    st = path.stat()
                    signature = (st.st_mtime_ns, st.st_size, st.st_ino)
                except OSError:
                    signature = (-1, -1, -1)
                known = self._files.get(path)
                if known is not None and known.signature == signature and signature[0] >= 0:
                    continue
                if known is not None and known.film is not None:
                    self.changed.add(known.film.id)
                todo.append((path, signature))
            outcomes = _read_all(
                [p for p, _ in todo], self.content_dir, self.ladder, jobs, keep_films=True
            )
            for (path, signature), out in zip(todo, outcomes, strict=True):
                if out.film is not None:
                    self.changed.add(out.film.id)
                self._files[path] = _Checked(signature, out.film, out.diagnostics, out.summary)
            for gone in set(self._files) - set(files):
                old = self._files.pop(gone)
                if old.film is not None:
                    self.changed.add(old.film.id)
            entries = [self._files[p] for p in files]
            loaded = [e for e in entries if e.film is not None]
            keep, duplicates = first_of_each_id(
                [(e.film.id, e.film.source_path, self._id_mark(e)) for e in loaded if e.film]
            )
            kept = [e for e, k in zip(loaded, keep, strict=True) if k]
            kept_ids = {e.film.id for e in kept if e.film}
            self._cross.update(
                [e.summary for e in kept if e.summary and e.summary.id in self.changed],
                [fid for fid in self._cross.films if fid not in kept_ids or fid in self.changed],
            )
            result = LoadResult()
            result.films = [e.film for e in kept if e.film is not None]
            result.diagnostics = [d for e in entries for d in e.diagnostics] + duplicates
            result.diagnostics += self._cross.diagnostics()
        return result

    @staticmethod
    def _id_mark(entry: _Checked) -> tuple[int, int]:
        summary = entry.summary
        return (summary.id_line, summary.id_col) if summary is not None else (1, 1)


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
# Where a platform cannot fork (Windows), files are read in turn.
_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()
_FORK = multiprocessing.get_context("fork") if _CAN_FORK else None


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class _FileOutcome:
    diagnostics: list[Diagnostic]
    film_id: str | None
    shown: str
    id_mark: tuple[int, int]
    summary: FilmSummary | None = None
    film: Film | None = None  # without its marks, and only when asked for


def _read_one(path: Path, content_dir: Path, ladder: Ladder, keep_film: bool) -> _FileOutcome:
    film, diags = load_film(path, content_dir)
    if film is None:
        return _FileOutcome(diags, None, "", (1, 1))
    more, summary = _validate(film, ladder)
    m = film.mark(("id",))
    # The marks (line and column of every YAML value) only serve diagnostics, made by now;
    # they are most of a loaded film's memory and of what a process would send back.
    kept = replace(film, marks=NO_MARKS) if keep_film else None
    return _FileOutcome(diags + more, film.id, film.source_path, (m.line, m.col), summary, kept)


def _read_all(
    files: Sequence[Path], content_dir: Path, ladder: Ladder, jobs: int | None, keep_films: bool
) -> list[_FileOutcome]:
    """Load and validate each file, over several processes when there are enough of them."""
    jobs = jobs or _cores()
    work = functools.partial(
        _read_one, content_dir=content_dir, ladder=ladder, keep_film=keep_films
    )
    # Workers are forked, which is only safe in a process with one thread: `mkdocs build`,
    # `spoilers check`, and `mkdocs serve`'s first build (its server starts after it). A
    # rebuild under serve, with the server's threads running, reads its few files here.
    if _FORK and jobs > 1 and len(files) >= PARALLEL_FROM and threading.active_count() == 1:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs, initializer=gc.disable, mp_context=_FORK
        ) as pool:
            return list(pool.map(work, files, chunksize=max(1, len(files) // (jobs * 8))))
    with _no_cyclic_gc():
        return [work(f) for f in files]


def check_files(
    paths: Iterable[Path], content_dir: Path, ladder: Ladder, jobs: int | None = None
) -> tuple[int, list[Diagnostic]]:
    """What `spoilers check` reports: (films loaded, diagnostics), over several processes.

    Unlike check(), it keeps no model: only diagnostics and summaries leave the workers.
    """
    files = list(discover(paths, content_dir))
    outcomes = _read_all(files, content_dir, ladder, jobs, keep_films=False)
    diagnostics = [d for out in outcomes for d in out.diagnostics]
    loaded = [out for out in outcomes if out.film_id is not None]
    keep, errors = first_of_each_id([(o.film_id or "", o.shown, o.id_mark) for o in loaded])
    diagnostics += errors
    kept = [o for o, k in zip(loaded, keep, strict=True) if k]
    diagnostics += lint_across([o.summary for o in kept if o.summary is not None], ladder)
    return len(kept), diagnostics
