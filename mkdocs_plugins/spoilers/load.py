"""Reading film files: safe file access, strict YAML, the JSON Schema, then the model.

Every problem becomes a located Diagnostic; nothing here raises on bad content.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from mkdocs_plugins.spoilers.diagnostics import Diagnostic, Severity
from mkdocs_plugins.spoilers.model import (
    ANY_CASE,
    MAJOR,
    CastMember,
    Cited,
    Claim,
    ContentNote,
    Description,
    Disagreement,
    Entity,
    Fact,
    Film,
    KeyPath,
    Locator,
    Recap,
    Section,
    Source,
)
from mkdocs_plugins.spoilers.yamlload import Document, Mark, load_yaml

MAX_FILE_BYTES = 512 * 1024  # a long film is ~60 KB; the cap stops accidents and abuse
FILMS_DIR = "films"
# The film schema ships inside the package (package data), so every site that installs it
# validates against the same file and it cannot go missing. `spoilers new` keeps an identical copy
# at <content>/schema/film.schema.json for editors (the modeline of every film file points there).
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "film.schema.json"
EDITOR_SCHEMA = Path("schema") / "film.schema.json"  # relative to the content dir
FILM_SUFFIXES = (".yml", ".yaml")


@dataclass
class LoadResult:
    films: list[Film] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def schema_path(content_dir: Path | None = None) -> Path:
    """The schema every film is validated against: the packaged one, whatever the content dir."""
    return SCHEMA_FILE


def editor_schema_path(content_dir: Path) -> Path:
    """Where the editors' copy of the schema lives (the film files' modeline points there)."""
    return content_dir / EDITOR_SCHEMA


@lru_cache(maxsize=4)
def _validator(path: str, mtime_ns: int) -> jsonschema.protocols.Validator:
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


@lru_cache(maxsize=4)
def _fast_validator(path: str, mtime_ns: int) -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema: ~20x faster on valid files.

    It only answers "valid or not"; every invalid file goes through jsonschema, which reports
    every error with its path. fastjsonschema speaks draft-07, and the schema uses only keywords
    draft-07 shares with 2020-12 (tests/test_schema_engines.py checks both engines agree).
    """
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    compiled: Callable[[Any], Any] = fastjsonschema.compile(schema, formats={"date": _is_date})
    return compiled


def is_schema_valid(data: Any, content_dir: Path | None = None) -> bool:
    p = schema_path(content_dir).resolve()
    try:
        _fast_validator(str(p), p.stat().st_mtime_ns)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def get_validator(content_dir: Path | None = None) -> jsonschema.protocols.Validator:
    """The validator for the packaged schema (cached per mtime)."""
    p = schema_path(content_dir).resolve()
    return _validator(str(p), p.stat().st_mtime_ns)


def display_path(path: Path) -> str:
    """Paths relative to the working directory when possible, as editors and CI expect."""
    # abspath, not resolve(): a symlink is reported under its own name, never its target's.
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(Path.cwd())).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: Iterable[Path], content_dir: Path) -> Iterator[Path]:
    """Film files named by `paths` (files or directories); default: content/films/."""
    given = list(paths) or [content_dir / FILMS_DIR]
    seen: set[Path] = set()
    for p in given:
        if p.is_dir():
            candidates = sorted(c for c in p.rglob("*") if c.suffix in FILM_SUFFIXES)
        else:
            candidates = [p]
        for c in candidates:
            if c not in seen:
                seen.add(c)
                yield c


def read_text(path: Path, content_dir: Path) -> tuple[str | None, list[Diagnostic]]:
    """Read one file with the checks that must come before any parsing."""
    shown = display_path(path)

    def fail(code: str, message: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(shown, 1, 1, code, message)]

    if path.is_symlink():
        target = path.resolve()
        root = content_dir.resolve()
        if not target.is_relative_to(root):
            return fail(
                "file-outside-content",
                f"this symlink points outside {display_path(content_dir)}/ (to {target}); "
                "commit the file itself instead",
            )
    try:
        if not path.is_file():
            return fail("file-unreadable", "not a regular file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(
                "file-too-large",
                f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}. "
                "Split long prose or remove pasted material",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return fail("file-unreadable", f"cannot read the file: {exc.strerror or exc}")
    if b"\x00" in raw:
        return fail("file-not-utf8", "this looks like a binary file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        return None, [
            Diagnostic(
                shown,
                line,
                col,
                "file-not-utf8",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


def _schema_diagnostics(
    doc: Document, validator: jsonschema.protocols.Validator, shown: str
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for err in validator.iter_errors(doc.data):
        path = tuple(err.absolute_path)
        where = ".".join(str(p) for p in path) or "the file"
        mark: Mark = doc.marks.value(path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            schema = err.schema if isinstance(err.schema, Mapping) else {}
            allowed = sorted((schema.get("properties") or {}).keys())
            for key in sorted(set(err.instance) - set(allowed)):
                m = doc.marks.key((*path, key))
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                tip = (
                    f"; did you mean `{close[0]}`?" if close else f"; allowed: {', '.join(allowed)}"
                )
                out.append(
                    Diagnostic(
                        shown,
                        m.line,
                        m.col,
                        "schema-unknown-key",
                        f"unknown key `{key}` in {where}{tip}",
                    )
                )
            continue
        if err.validator == "required":
            out.append(
                Diagnostic(
                    shown, mark.line, mark.col, "schema-missing-key", f"{where}: {err.message}"
                )
            )
            continue
        if err.validator == "type":
            out.append(
                Diagnostic(
                    shown,
                    mark.line,
                    mark.col,
                    "schema-type",
                    f"{where}: {_short(err.instance)} is not of type {err.validator_value}",
                )
            )
            continue
        hint = err.schema.get("description") if isinstance(err.schema, Mapping) else None
        msg = f"{where}: {err.message}"
        if hint and err.validator in ("pattern", "format", "enum"):
            msg += f" ({hint})"
        out.append(Diagnostic(shown, mark.line, mark.col, "schema-value", msg))
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------------------------
# Plain data -> model


def _t(items: Any) -> tuple[str, ...]:
    return tuple(items or ())


def _cited(path: KeyPath, item: Mapping[str, Any]) -> Cited:
    return Cited(path, item["text"], _t(item["sources"]))


def film_from_data(data: Mapping[str, Any], source_path: str, marks: Locator) -> Film:
    """Build the model from schema-valid data. (Call only after the schema passed.)"""
    release = data["release"]
    verdict = data.get("verdict")
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
        verdict=_cited(("verdict",), verdict) if verdict else None,
        recaps=tuple(
            Recap(("recaps", i), r["level"], r["text"], _t(r["sources"]))
            for i, r in enumerate(data.get("recaps") or ())
        ),
        reception=tuple(
            _cited(("reception", i), r) for i, r in enumerate(data.get("reception") or ())
        ),
        cast=tuple(
            CastMember(
                ("cast", i),
                actor=c["actor"],
                entity=c.get("entity"),
                role=c.get("role"),
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
                title_level=s.get("title_level"),
                description=s.get("description"),
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
                also_match=_t(e.get("also_match")),
                match=e.get("match", ANY_CASE),
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
                        bool(f.get("new_paragraph", False)),
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
                weight=d.get("weight", MAJOR),
                claims=tuple(
                    Claim(("disagreements", i, "claims", j), c["text"], _t(c["sources"]))
                    for j, c in enumerate(d["claims"])
                ),
            )
            for i, d in enumerate(data.get("disagreements") or ())
        ),
        meaning=tuple(_cited(("meaning", i), p) for i, p in enumerate(data.get("meaning") or ())),
    )


def load_film(path: Path, content_dir: Path) -> tuple[Film | None, list[Diagnostic]]:
    """Load one film file. Returns the model only if the file is clean up to the schema."""
    shown = display_path(path)
    text, diags = read_text(path, content_dir)
    if text is None:
        return None, diags
    doc = load_yaml(text)
    diags = [Diagnostic(shown, p.mark.line, p.mark.col, p.code, p.message) for p in doc.problems]
    if doc.data is None and not diags:
        diags.append(Diagnostic(shown, 1, 1, "schema-type", "the file is empty"))
    if doc.data is None:
        return None, diags
    if diags or not is_schema_valid(doc.data, content_dir):
        diags += _schema_diagnostics(doc, get_validator(content_dir), shown)
    if diags:
        return None, diags
    film = film_from_data(doc.data, shown, doc.marks)
    stem = path.name.rsplit(".", 1)[0]
    if stem != film.id:
        m = film.mark(("id",))
        diags.append(
            Diagnostic(
                shown,
                m.line,
                m.col,
                "file-name-mismatch",
                f"the film id is `{film.id}` but the file is named `{path.name}`; "
                f"rename it to `{film.id}.yml`",
            )
        )
    return film, diags


def first_of_each_id(
    found: Sequence[tuple[str, str, tuple[int, int]]],
) -> tuple[list[bool], list[Diagnostic]]:
    """The one rule for two files with the same film id: the first (in discovery order) is kept,
    each later one is a `duplicate-film-id` error. `found` holds (film id, shown path, mark of the
    id); returns which entries to keep, and the errors."""
    first: dict[str, str] = {}
    keep: list[bool] = []
    errors: list[Diagnostic] = []
    for film_id, shown, (line, col) in found:
        if film_id in first:
            keep.append(False)
            errors.append(
                Diagnostic(
                    shown,
                    line,
                    col,
                    "duplicate-film-id",
                    f"the film id `{film_id}` is already used by {first[film_id]}",
                )
            )
        else:
            first[film_id] = shown
            keep.append(True)
    return keep, errors


def load_films(paths: Iterable[Path], content_dir: Path) -> LoadResult:
    result = LoadResult()
    films: list[Film] = []
    for path in discover(paths, content_dir):
        film, diags = load_film(path, content_dir)
        result.diagnostics += diags
        if film is not None:
            films.append(film)
    keep, errors = first_of_each_id([(f.id, f.source_path, f.mark(("id",))) for f in films])
    result.diagnostics += errors
    result.films = [f for f, kept in zip(films, keep, strict=True) if kept]
    return result


__all__ = [
    "MAX_FILE_BYTES",
    "LoadResult",
    "Severity",
    "first_of_each_id",
    "load_film",
    "load_films",
    "read_text",
]
