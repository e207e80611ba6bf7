"""The page URL scheme, in one place: where each film's level pages live in the built site.

    films/<film-id>/                     the first (spoiler-free) level
    films/<film-id>/<level>/             every later level's own address: the gate, which holds
                                         nothing above the first level
    films/<film-id>/<level>/reveal.html  that level's text, cumulative, fetched in place by
                                         spoilers.js once the reader says yes

The renderer, the MkDocs adapter and the leak audit all ask this module; none spells a path.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from mkdocs_plugins.spoilers.model import Ladder

FILMS = "films"
PREVIEW = "preview"  # films/<id>/preview/: the writer preview, under `mkdocs serve` only
INDEX = "index.html"
REVEAL = "reveal.html"


def film_dir(film_id: str) -> str:
    return f"{FILMS}/{film_id}/"


def level_dir(film_id: str, level_id: str, ladder: Ladder) -> str:
    """Site-relative directory of a level page: films/<id>/ or films/<id>/<level>/."""
    if level_id == ladder.first.id:
        return film_dir(film_id)
    return f"{FILMS}/{film_id}/{level_id}/"


def level_src_uri(film_id: str, level_id: str, ladder: Ladder) -> str:
    """The page's source path, as MkDocs names generated pages."""
    return level_dir(film_id, level_id, ladder) + "index.md"


def level_file(film_id: str, level_id: str, ladder: Ladder) -> str:
    """The built file of a level page."""
    return level_dir(film_id, level_id, ladder) + INDEX


def reveal_file(film_id: str, level_id: str, ladder: Ladder) -> str:
    """The built file holding a level's text (the first level's page holds its own)."""
    if level_id == ladder.first.id:
        return level_file(film_id, level_id, ladder)
    return level_dir(film_id, level_id, ladder) + REVEAL


def preview_dir(film_id: str) -> str:
    return f"{FILMS}/{film_id}/{PREVIEW}/"


@lru_cache(maxsize=4096)  # called for every level of every page: relpath is not cheap
def relative_href(from_dir: str, to_dir: str, directory_urls: bool = True) -> str:
    """Link between two page directories, as MkDocs writes links for either URL style."""
    rel = posixpath.relpath(to_dir.rstrip("/") or ".", from_dir.rstrip("/") or ".")
    rel = "./" if rel == "." else rel + "/"
    return rel if directory_urls else rel + INDEX


def url_path(url: str) -> str:
    """The path of a URL, relative to the site root, without a leading slash."""
    return unquote(urlsplit(url).path).lstrip("/")


def page_of(
    path: str, film_ids: Collection[str], level_ids: Collection[str]
) -> tuple[str, str] | None:
    """(film id, level id or "" for the first level, or PREVIEW) if `path` names a film page.

    Works on site-relative paths and on URL paths below a sub-path
    (`/project/films/f-2020/setup/`), with or without `index.html`.
    """
    parts = [p for p in path.split("/") if p]
    if parts and parts[-1] in (INDEX, "index.htm"):
        parts = parts[:-1]
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] != FILMS or i + 1 >= len(parts):
            continue
        rest = parts[i + 1 :]
        if rest[0] not in film_ids or len(rest) > 2:
            continue
        if len(rest) == 2 and rest[1] not in level_ids and rest[1] != PREVIEW:
            continue
        return rest[0], rest[1] if len(rest) == 2 else ""
    return None
