"""`spoilers new <film-id>`: a film file that passes `spoilers check` as written."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs_plugins.spoilers.load import display_path, editor_schema_path, schema_path
from mkdocs_plugins.spoilers.model import Ladder

FILM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-(\d{4})$")

TEMPLATE = """\
# yaml-language-server: $schema=../schema/film.schema.json
# Scaffolded by `spoilers new`. Replace every "Replace:" text, then run `spoilers check`.
# The writers' guide (CONTRIBUTING.md) explains each key; your editor shows the schema's help.
id: {film_id}
title: "{title}"
year: {year}
director: "Replace: the director, as the sources credit them"
runtime_minutes: 100
release: {{date: "{year}-01-01", platform: "Replace: platform or cinemas"}}
details_sources: [src-first]
premise: >-
  Replace: what a viewer knows before pressing play, with no plot beyond the set-up.
premise_sources: [src-first]
cast: []
content_notes: []
sources:
  - id: src-first
    title: "Replace: the article's title, exactly as it gives it"
    kind: review
entities: []
sections:
  # The questions readers come with, in story order. The first level, `{first}`, is
  # spoiler-free; each later level ({later}) adds to it.
  - id: what-kind-of-film-is-it
    level: {first}
    title: What kind of film is it?
    facts:
      - id: genre
        level: {first}
        text: "Replace: a spoiler-free fact, in your own words."
        sources: [src-first]
disagreements: []
"""


def scaffold(
    film_id: str, content_dir: Path, ladder: Ladder, title: str | None, force: bool
) -> int:
    m = FILM_ID.match(film_id)
    if not m:
        print(
            f"error: `{film_id}` is not a film id; use slug-year, e.g. ballerina-2023",
            file=sys.stderr,
        )
        return 2
    target = content_dir / "films" / f"{film_id}.yml"
    if target.exists() and not force:
        print(f"error: {target} already exists (use --force to overwrite)", file=sys.stderr)
        return 1
    guessed = title or film_id.rsplit("-", 1)[0].replace("-", " ").title()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            TEMPLATE.format(
                film_id=film_id,
                title=guessed.replace('"', "'"),
                year=m.group(1),
                first=ladder.first.id,
                later=", ".join(ladder.ids[1:]),
            ),
            encoding="utf-8",
        )
        schema_done = ensure_editor_schema(content_dir)
    except OSError as exc:
        print(
            f"error: cannot write {exc.filename or target}: {exc.strerror or exc}", file=sys.stderr
        )
        return 1
    print(f"created {target}")
    if schema_done:
        shown = display_path(editor_schema_path(content_dir))
        print(f"{schema_done} {shown} (the copy of the schema that editors read)")
    print(f"next: fill it in, then run `spoilers check {target}`")
    return 0


def ensure_editor_schema(content_dir: Path) -> str | None:
    """Make <content>/schema/film.schema.json a copy of the packaged schema.

    The modeline of every film file (`$schema=../schema/film.schema.json`) points at that copy,
    so editors find the schema in any site, wherever the package is installed. Returns "wrote"
    or "refreshed" when it changed the file, None when it was already up to date.
    """
    target = editor_schema_path(content_dir)
    packaged = schema_path().read_bytes()
    try:
        current: bytes | None = target.read_bytes()
    except OSError:
        current = None
    if current == packaged:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(packaged)
    return "wrote" if current is None else "refreshed"
