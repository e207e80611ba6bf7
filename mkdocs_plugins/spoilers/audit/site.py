"""The built site as the audit sees it: which file belongs to which film and level, and which
files and phrases are the theme's own.

Ownership comes from the URL scheme (urls.py), never from what a page says: a level's text
(`films/F/L/reveal.html`, and anything else under `films/F/L/`) is film F at level L, received
only by readers who chose L for F. Everything else is shared, and checked as the first level of
every film: every film's first-level page, every level's own address `films/F/L/` (the gate,
which any visitor of a shared link receives), home, 404, other pages, the search index, the
sitemap and the assets.

The theme's own text is known, not guessed: a file byte-identical to one the theme or the plugin
ships (Material's JavaScript, its search workers and stop-word lists, source maps, stylesheets,
spoilers.js) cannot hold writer text, and the literal text of the theme's and the plugin's
templates (Material's interface strings, "More may be revealed at") is a fixed phrase: a name
that is also an ordinary word is not a leak inside such a phrase.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mkdocs_plugins.spoilers import urls
from mkdocs_plugins.spoilers.model import Ladder
from mkdocs_plugins.spoilers.visible import BLOCK, Index, Tokens, words

SCANNED_SUFFIXES = frozenset(
    {".html", ".htm", ".js", ".mjs", ".json", ".css", ".xml", ".txt", ".svg", ".map"}
    | {".webmanifest"}
)
HTML_SUFFIXES = frozenset({".html", ".htm"})
JS_SUFFIXES = frozenset({".js", ".mjs", ".json", ".map", ".webmanifest"})
SEARCH_INDEX = "search/search_index.json"
SITEMAPS = frozenset({"sitemap.xml", "sitemap.xml.gz"})
HOME, NOT_FOUND, SEARCH, SITEMAP, ASSET, PAGE = (
    "home",
    "404",
    "search-index",
    "sitemap",
    "asset",
    "page",
)
MIN_PHRASE_WORDS = 3  # a fixed phrase shorter than this could hide a one-word name anywhere


@dataclass
class SiteFile:
    rel: str  # posix path relative to the site dir
    path: Path
    kind: str  # html | search | sitemap | asset
    film: int | None = None  # the film whose page (or page directory) this is
    rank: int | None = None  # level rank of a film page; None for shared files
    channel: str | None = None  # a file channel overriding element channels (404, home, ...)
    is_level_page: bool = False  # a level above the first: its gate or its text (policy checks)
    theme_file: bool = False  # byte-identical to a file the theme or plugin ships

    @property
    def shared(self) -> bool:
        """Received by every reader of every film: everything but the pages above the first
        level (a first-level film page is in the search index, and one click from home)."""
        return self.rank is None or self.rank == 0


def classify(site: Path, path: Path, film_ids: dict[str, int], ladder: Ladder) -> SiteFile | None:
    rel = path.relative_to(site).as_posix()
    suffix = path.suffix.lower()
    inner = Path(path.stem).suffix.lower() if suffix == ".gz" else suffix
    if inner not in SCANNED_SUFFIXES:
        return None
    kind = "html" if inner in HTML_SUFFIXES else "asset"
    sf = SiteFile(rel, path, kind)
    if rel == SEARCH_INDEX:
        sf.kind, sf.channel = "search", SEARCH
    elif rel in SITEMAPS:
        sf.kind, sf.channel = "sitemap", SITEMAP
    elif rel == "index.html":
        sf.channel = HOME
    elif rel == "404.html":
        sf.channel = NOT_FOUND
    elif kind == "asset":
        sf.channel = ASSET
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] == urls.FILMS and parts[1] in film_ids:
        fi = film_ids[parts[1]]
        if len(parts) == 3:
            sf.film, sf.rank = fi, 0
        elif parts[2] in ladder.ids[1:]:
            gate = parts[3:] == [urls.INDEX]
            sf.film, sf.rank = fi, 0 if gate else ladder.rank(parts[2])
            sf.is_level_page = gate or parts[3:] == [urls.REVEAL]
    return sf


def discover(
    site: Path, film_ids: dict[str, int], ladder: Ladder, trusted: Trusted
) -> Iterator[SiteFile]:
    for path in sorted(site.rglob("*")):
        if path.is_file():
            sf = classify(site, path, film_ids, ladder)
            if sf is not None:
                sf.theme_file = (
                    sf.film is None and sf.kind == "asset" and trusted.is_theme_file(path)
                )
                yield sf


# --------------------------------------------------------------------------------------------
# What the theme and the plugin ship


def default_theme_dirs() -> list[Path]:
    """The plugin's own templates and assets, and the installed Material and MkDocs themes.

    Found with importlib's finder, which locates a package without importing it.
    """
    here = Path(__file__).resolve().parents[1]
    dirs = [here / "templates", here / "theme"]
    for package, sub in (("material", "templates"), ("mkdocs", "themes"), ("mkdocs", "contrib")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                candidate = Path(location) / sub
                if candidate.is_dir():
                    dirs.append(candidate)
    return dirs


_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_STRING = re.compile(r""""([^"\\\n]{3,})"|'([^'\\\n]{3,})'""")
_TAG_OR_BREAK = re.compile(r"<[^>]*>|\n")
_ATTRIBUTE = re.compile(r"""\s[\w:.-]+=(?:"([^"<>]*)"|'([^'<>]*)')""")


def template_phrases(text: str) -> Iterator[str]:
    """The fixed text of a Jinja template: literal text between tags, literal attribute values,
    and string literals."""
    text = _JINJA_COMMENT.sub("\n", text)
    for block in _JINJA.findall(text):
        for m in _STRING.finditer(block):
            yield m.group(1) or m.group(2)
    plain = _JINJA.sub("\n", text)
    for tag in re.findall(r"<[^>]*>", plain):
        for m in _ATTRIBUTE.finditer(tag):
            yield m.group(1) or m.group(2) or ""
    for piece in _TAG_OR_BREAK.split(plain):
        if piece.strip():
            yield piece


class Trusted:
    """Files and phrases the theme and the plugin ship: known, so never a false alarm."""

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.dirs = tuple(dirs)

    def is_theme_file(self, path: Path) -> bool:
        """Byte-identical to a file the theme or the plugin ships (sizes first, then hashes)."""
        candidates = _theme_files_by_size(self.dirs).get(path.stat().st_size)
        if not candidates:
            return False
        digest = _digest(path)
        return any(_digest(c) == digest for c in candidates)

    @property
    def phrases(self) -> Index[int]:
        return _phrases(self.dirs)[0]

    def masks(self, tokens: Tokens, start: int, length: int) -> bool:
        """Whether words [start, start+length) are the theme's own: the whole of a block (an
        attribute value, a line of text) that the templates write literally, or inside a
        longer fixed phrase of them."""
        ws = tokens.words
        a, b = start, start + length
        while a > 0 and ws[a - 1] != BLOCK:
            a -= 1
        while b < len(ws) and ws[b] != BLOCK:
            b += 1
        if tuple(ws[a:b]) in _phrases(self.dirs)[1]:
            return True
        for hit in self.phrases.find(tokens):
            if (
                hit.start <= start
                and start + length <= hit.start + hit.length
                and (hit.length > length)
            ):
                return True
        return False


@cache
def _theme_files_by_size(dirs: tuple[Path, ...]) -> dict[int, list[Path]]:
    """Every file the theme dirs hold, by size: the audit hashes only same-size candidates."""
    by_size: dict[int, list[Path]] = {}
    for d in dirs:
        for p in d.rglob("*"):
            if p.suffix != ".py" and p.is_file():
                by_size.setdefault(p.stat().st_size, []).append(p)
    return by_size


@cache
def _phrases(dirs: tuple[Path, ...]) -> tuple[Index[int], frozenset[tuple[str, ...]]]:
    """(fixed phrases of at least MIN_PHRASE_WORDS words, every literal of any length)."""
    index: Index[int] = Index()
    literals: set[tuple[str, ...]] = set()
    for d in dirs:
        for p in d.rglob("*.html"):
            try:
                text = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for phrase in template_phrases(text):
                ws = words(phrase)
                if ws:
                    literals.add(tuple(ws))
                if len(ws) >= MIN_PHRASE_WORDS:
                    index.add(ws, len(ws))
    return index, frozenset(literals)


@cache
def _digest_cached(path: Path, size: int, mtime: int) -> bytes:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()


def _digest(path: Path) -> bytes:
    st = path.stat()
    return _digest_cached(path, st.st_size, st.st_mtime_ns)
