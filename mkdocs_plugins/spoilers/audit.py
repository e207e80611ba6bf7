"""`spoilers audit`: prove that a built site leaks nothing above each level.

The promise: a reader at level L of film F receives no byte of anything graded above L. For F at
L the reader can receive

* F's page at L (`films/F/L/index.html`, or `films/F/index.html` for the first level),
* every first-level film page (F's and every other film's), every non-film page, the home page,
  `404.html`, `sitemap.xml(.gz)`, `search/search_index.json`, and every JS/JSON/CSS/XML/TXT/SVG
  file of the site ("site-wide" files),

but not other films' level pages. Every site-wide file is receivable at every level, and what is
allowed only grows with L, so a site-wide file leaks at some level only if it leaks at the first
one: site-wide files are checked once against "hidden at the first level", and such leaks are
reported at the first level (the `what` says at which level the text really belongs). Level
pages are checked against their own level.

Matching works on normalised words (NFKC, casefold, curly quotes made straight, entities decoded,
invisible characters dropped, punctuation and hyphens as word separators, a trailing possessive
`'s` dropped). Every hidden thing becomes one or more "needles", tuples of words:

* a graded text of k >= 5 words gives its 5-word shingles; a shorter one gives itself as a phrase;
* an entity name gives its words (whole words, case-insensitive, `-` and spaces alike: the rule of
  `validate.EntityLint`, applied to words so that one pass serves every film).

A needle is *distinctive* at L when no text the reader of L may see contains it (every film's
graded text at rank <= L, credits and other first-level details, level ids, labels and
descriptions). All needles of all films live in one dictionary, so each file is tokenised once and
each of its word windows is looked up once: the cost is linear in the size of the site.

Channels (where in a file a match was found): `text`, `script` (inline <script>), `style` (inline
<style>), `comment`, `attribute` (every attribute value), `title`, `meta` (every <meta content>),
`toc` (anything inside Material's `nav.md-nav--secondary`), `heading-id` (element ids and href
fragments naming a hidden section, and links to anchors that only a higher level has); whole
files override the element channel: `home` (index.html), `404`, `search-index`, `sitemap`
(sitemap.xml and .gz), `asset` (JS/CSS/JSON/...); `page` for missing pages and preview dirs.

Policy (kind `policy`): level pages carry `<meta name="robots" content="noindex">` and a canonical
link to the first-level page, are in neither the sitemap nor the search index; no file contains
`data-spoilers-preview` and no `films/*/preview/` exists. Missing film pages are kind `missing`.

One line per leak on stdout, a summary on stderr:

    LEAK film=<id> level=<L> file=<path> channel=<channel> match=<kind>:<what> snippet="<...>"
    spoilers audit: <N> films x <M> levels, <F> files, <K> checks: <X> leak(s)
"""

from __future__ import annotations

import gzip
import html
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from mkdocs_plugins.spoilers.diagnostics import format_all, has_errors
from mkdocs_plugins.spoilers.markup import to_plain
from mkdocs_plugins.spoilers.model import Film, GradedText, Ladder
from mkdocs_plugins.spoilers.validate import check

SHINGLE = 5  # words per shingle: long enough to be distinctive, short enough to survive edits
SNIPPET = 80  # characters of context shown around a match
PREVIEW_MARKER = "data-spoilers-preview"
MAX_GZIP_BYTES = 64 * 1024 * 1024  # a sitemap.xml.gz never expands to more than this

SCANNED_SUFFIXES = frozenset(
    {
        ".html",
        ".htm",
        ".js",
        ".mjs",
        ".json",
        ".css",
        ".xml",
        ".txt",
        ".svg",
        ".map",
        ".webmanifest",
    }
)
HTML_SUFFIXES = frozenset({".html", ".htm"})
JS_SUFFIXES = frozenset({".js", ".mjs", ".json", ".map", ".webmanifest"})
SEARCH_INDEX = "search/search_index.json"
SITEMAPS = frozenset({"sitemap.xml", "sitemap.xml.gz"})

# Channels (the `channel=` of a leak line).
TEXT, SCRIPT, STYLE, COMMENT = "text", "script", "style", "comment"
ATTRIBUTE, TITLE, META, HEADING_ID, TOC = "attribute", "title", "meta", "heading-id", "toc"
SEARCH, SITEMAP, NOT_FOUND, HOME, ASSET, PAGE = (
    "search-index",
    "sitemap",
    "404",
    "home",
    "asset",
    "page",
)
CHANNELS = (
    TEXT,
    SCRIPT,
    STYLE,
    COMMENT,
    ATTRIBUTE,
    TITLE,
    META,
    HEADING_ID,
    TOC,
    SEARCH,
    SITEMAP,
    NOT_FOUND,
    HOME,
    ASSET,
    PAGE,
)

NEVER = 1 << 30  # "allowed at no level"
LABEL_RANK = -1  # labels and descriptions of levels: allowed everywhere

# --------------------------------------------------------------------------------------------
# Normalisation


_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e", None),
    }
)
# A word: letters and digits, with intra-word apostrophes; a trailing possessive 's is left out
# of the group (so "keeper's" and "keeper" are the same word) but consumed, so no stray "s".
_WORD = re.compile(r"([^\W_]+(?:'(?!s(?![^\W_]))[^\W_]+)*)(?:'s(?![^\W_]))?")
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_JS_ESCAPE = re.compile(
    r"\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))", re.DOTALL
)
_JS_SIMPLE = {"n": " ", "r": " ", "t": " ", "f": " ", "v": " ", "b": " ", "0": " "}


def fold(text: str) -> str:
    """The comparison form of a text: NFKC, casefolded, straight quotes, no invisibles."""
    once = unicodedata.normalize("NFKC", text)
    return unicodedata.normalize("NFKC", once.casefold()).translate(_FOLD)


def words(text: str) -> list[str]:
    """The normalised words of a plain text (hyphens and punctuation separate words)."""
    return [sys.intern(w) for w in _WORD.findall(fold(text))]


def _js_unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2) or m.group(3)
        if code:
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return " "
        ch = m.group(4)
        return _JS_SIMPLE.get(ch, ch)

    return _JS_ESCAPE.sub(one, text) if "\\" in text else text


def _variants(text: str, *, js: bool = False) -> list[str]:
    """A raw string as a reader may see it: escapes and entities decoded, tags stripped too."""
    t = _js_unescape(text) if js else text
    if "&" in t:
        t = html.unescape(t)
    out = [t]
    if "<" in t:
        stripped = _TAG.sub(" ", t)
        if stripped != t:
            out.append(stripped)
    return out


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, order=True)
class Leak:
    film: str
    level: str
    file: str
    channel: str
    kind: str  # fact, section-title, section-id, description, claim, disagreement, entity,
    # anchor, policy, missing
    what: str
    snippet: str = field(default="", compare=False)

    def line(self) -> str:
        snip = " ".join(self.snippet.split()).replace("\\", "\\\\").replace('"', '\\"')
        return (
            f"LEAK film={self.film} level={self.level} file={self.file} channel={self.channel} "
            f'match={self.kind}:{self.what} snippet="{snip}"'
        )


@dataclass
class AuditResult:
    leaks: list[Leak]
    films: int
    levels: int
    files: int
    checks: int

    def summary(self) -> str:
        return (
            f"spoilers audit: {self.films} films x {self.levels} levels, {self.files} files, "
            f"{self.checks} checks: {len(self.leaks)} leak(s)"
        )


# --------------------------------------------------------------------------------------------
# Needles: everything hidden, indexed by word tuple


@dataclass(frozen=True)
class HiddenText:
    film: int
    kind: str
    what: str


@dataclass(frozen=True)
class HiddenName:
    film: int
    rank: int  # the rank at which the entity is introduced
    what: str


class Entry:
    """One needle: who owns it, and from which rank some allowed text already contains it.

    Compact on purpose (a big site has millions): one owning text inline, more in a list.
    """

    __slots__ = ("allowed", "film_allowed", "in_labels", "more", "names", "text")

    def __init__(self) -> None:
        self.allowed = NEVER  # min rank of any allowed-candidate text (all films) containing it
        self.in_labels = False
        self.text = -1  # the first HiddenText id owning it, or -1
        self.more: list[int] | None = None  # further HiddenText ids
        self.names: list[HiddenName] | None = None
        self.film_allowed: dict[int, int] | None = None  # for names: per-film min rank

    def texts(self) -> list[int]:
        if self.text < 0:
            return []
        return [self.text] if self.more is None else [self.text, *self.more]

    def add_text(self, tid: int) -> None:
        if self.text < 0:
            self.text = tid
        elif self.text != tid and (self.more is None or self.more[-1] != tid):
            if self.more is None:
                self.more = []
            self.more.append(tid)

    def name_allowed(self, film: int) -> int:
        if self.in_labels:
            return LABEL_RANK
        return (self.film_allowed or {}).get(film, NEVER)


def _locator(film: Film, gt: GradedText) -> str:
    p = gt.path
    try:
        if p[0] == "sections":
            sec = film.sections[int(p[1])]
            if len(p) >= 4 and p[2] == "facts":
                return sec.facts[int(p[3])].id
            return sec.id
        if p[0] == "entities":
            ent = film.entities[int(p[1])]
            return f"{ent.id}.descriptions[{p[3]}]" if len(p) >= 4 else ent.id
        if p[0] == "disagreements":
            dis = film.disagreements[int(p[1])]
            return f"{dis.id}.claims[{p[3]}]" if len(p) >= 4 and p[2] == "claims" else dis.id
    except (IndexError, ValueError):
        pass
    return ".".join(str(x) for x in p)


class Needles:
    """Every hidden needle of every film, with the rank from which it is allowed."""

    def __init__(self, films: Sequence[Film], ladder: Ladder) -> None:
        self.films = films
        self.ladder = ladder
        self.index: dict[tuple[str, ...], Entry] = {}
        self.texts: list[HiddenText] = []
        allowed_candidates: list[tuple[int, int, list[str]]] = []  # (film, rank, words)

        rank_of = {lv: i for i, lv in enumerate(ladder.ids)}
        index = self.index
        for fi, film in enumerate(films):
            for gt in film.graded_texts(ladder):
                if gt.level not in rank_of:
                    continue
                rank = rank_of[gt.level]
                toks = words(to_plain(gt.text) if gt.markdown else gt.text)
                if not toks:
                    continue
                allowed_candidates.append((fi, rank, toks))
                if rank == 0:
                    continue
                tid = len(self.texts)
                self.texts.append(HiddenText(fi, gt.kind, f"{_locator(film, gt)}@{gt.level}"))
                if len(toks) < SHINGLE:
                    keys: Iterable[tuple[str, ...]] = (tuple(toks),)
                else:
                    keys = (tuple(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1))
                for key in keys:
                    entry = index.get(key)
                    if entry is None:
                        entry = index[key] = Entry()
                    entry.add_text(tid)
            for ent in film.entities:
                rank = rank_of.get(ent.introduced, 0)
                if rank == 0:
                    continue
                for name in ent.names:
                    toks = words(name)
                    if toks:
                        shown = "_".join(name.split())  # leak lines stay space-separated
                        hn = HiddenName(fi, rank, f"{ent.id}({shown})@{ent.introduced}")
                        entry = index.setdefault(tuple(toks), Entry())
                        entry.names = [*(entry.names or ()), hn]
            for detail in _first_level_details(film):
                toks = words(detail)
                if toks:
                    allowed_candidates.append((fi, 0, toks))

        self._rebuild_first()
        # What a reader may see at each rank: min rank of any text containing the needle.
        for fi, rank, toks in allowed_candidates:
            for _, _, entry in self.find(toks):
                entry.allowed = min(entry.allowed, rank)
                if entry.names:
                    if entry.film_allowed is None:
                        entry.film_allowed = {}
                    entry.film_allowed[fi] = min(entry.film_allowed.get(fi, NEVER), rank)
        for label in _labels(films, ladder):
            for _, _, entry in self.find(words(label)):
                entry.allowed = LABEL_RANK
                entry.in_labels = True
        # Drop what can never leak: needles allowed at the first level (text) and names of
        # entities introduced at the first level.
        for key in list(index):
            entry = index[key]
            if entry.allowed <= 0:
                entry.text, entry.more = -1, None
            if entry.in_labels:
                entry.names = None
            if entry.text < 0 and not entry.names:
                del index[key]
        self._rebuild_first()

    def _rebuild_first(self) -> None:
        first: dict[str, set[int]] = {}
        for key in self.index:
            first.setdefault(key[0], set()).add(len(key))
        self.first = {w: tuple(sorted(ns)) for w, ns in first.items()}

    def find(self, toks: Sequence[str]) -> Iterator[tuple[int, int, Entry]]:
        """(start, length, entry) of every needle among the word windows of `toks`."""
        first, index, count = self.first, self.index, len(toks)
        for i, tok in enumerate(toks):
            lengths = first.get(tok)
            if lengths is None:
                continue
            for n in lengths:
                if i + n > count:
                    break
                entry = index.get((tok,) if n == 1 else tuple(toks[i : i + n]))
                if entry is not None:
                    yield i, n, entry


def _first_level_details(film: Film) -> Iterator[str]:
    """Spoiler-free details that graded_texts does not list but first-level pages show."""
    yield film.id.replace("-", " ")
    yield str(film.year)
    yield film.director
    yield from film.writers
    for text in (film.original_title, film.release_platform, film.release_date):
        if text:
            yield text
    for c in film.cast:
        yield from c.also_credited_as
    for s in film.sources:
        for text in (s.author, s.publisher, s.url):
            if text:
                yield text


def _labels(films: Sequence[Film], ladder: Ladder) -> Iterator[str]:
    for lv in ladder.levels:
        yield lv.id.replace("-", " ")
        yield lv.label
        if lv.description:
            yield lv.description
    for film in films:
        yield from film.level_labels.values()


# --------------------------------------------------------------------------------------------
# HTML


# Tags that do not separate words (everything else does: `<p>a</p><p>b</p>` is "a b").
_INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    }
)


class PageParser(HTMLParser):
    """One pass over a page: text per channel, attribute values, ids, links, policy markers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: dict[str, list[str]] = {TEXT: [], TITLE: [], TOC: []}
        self.raw: list[tuple[str, str]] = []  # (channel, text): scripts, styles, comments
        self.attrs: list[tuple[str, str]] = []  # (channel, value)
        self.ids: list[tuple[str, str]] = []  # (channel, id or <a name>)
        self.hrefs: list[tuple[str, str]] = []  # (channel, href)
        self.robots: list[str] = []
        self.canonical: list[str] = []
        self.preview = False
        self._title = 0
        self._toc = 0  # depth of <nav> inside the secondary (table of contents) nav
        self._cdata: str | None = None
        self._cdata_text: list[str] = []

    def _sep(self) -> None:
        for pieces in self.text.values():
            if pieces and pieces[-1] != " ":
                pieces.append(" ")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE_TAGS:
            self._sep()
        values = {k: v for k, v in attrs if v is not None}
        if tag == "nav":
            if self._toc:
                self._toc += 1
            elif "md-nav--secondary" in values.get("class", "").split():
                self._toc = 1
        if tag == "title":
            self._title += 1
        elif tag in ("script", "style"):
            self._cdata = SCRIPT if tag == "script" else STYLE
            self._cdata_text = []
        in_toc = self._toc > 0
        for name, value in attrs:
            if name == PREVIEW_MARKER:
                self.preview = True
            if value is None:
                continue
            if tag == "meta" and name == "content":
                channel = TOC if in_toc else META
            else:
                channel = TOC if in_toc else ATTRIBUTE
            self.attrs.append((channel, value))
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.append((TOC if in_toc else HEADING_ID, value))
            elif name == "href":
                self.hrefs.append((TOC if in_toc else HEADING_ID, value))
        if tag == "meta" and values.get("name", "").strip().lower() == "robots":
            self.robots.append(values.get("content", ""))
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical.append(values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._toc:
            self._toc -= 1
        elif tag == "title" and self._title:
            self._title -= 1
        elif tag in ("script", "style") and self._cdata is not None:
            self.raw.append((self._cdata, "".join(self._cdata_text)))
            self._cdata = None
            self._cdata_text = []
        if tag not in _INLINE_TAGS:
            self._sep()

    def handle_data(self, data: str) -> None:
        if self._cdata is not None:
            self._cdata_text.append(data)
        elif self._title:
            self.text[TITLE].append(data)
        elif self._toc:
            self.text[TOC].append(data)
        else:
            self.text[TEXT].append(data)

    def handle_comment(self, data: str) -> None:
        self.raw.append((COMMENT, data))

    def close(self) -> None:
        super().close()
        if self._cdata is not None:  # an unterminated <script>
            self.raw.append((self._cdata, "".join(self._cdata_text)))
            self._cdata = None

    def segments(self) -> Iterator[tuple[str, str]]:
        for channel, pieces in self.text.items():
            text = "".join(pieces)
            if text.strip():
                yield channel, html.unescape(text) if "&" in text else text
        # Attribute values, one segment per channel: a window may span two neighbouring values,
        # which can only make the audit stricter.
        joined: dict[str, list[str]] = {}
        for channel, value in self.attrs:
            joined.setdefault(channel, []).append(value)
        for channel, values in joined.items():
            text = " \n ".join(values)
            yield channel, html.unescape(text) if "&" in text else text
        for channel, text in self.raw:
            for v in _variants(text, js=channel == SCRIPT):
                yield channel, v


# --------------------------------------------------------------------------------------------
# The site


@dataclass
class SiteFile:
    rel: str  # posix path relative to the site dir
    path: Path
    kind: str  # html | search | sitemap | asset
    film: int | None = None  # the film whose page (or page directory) this is
    rank: int | None = None  # level rank of a film page; None for site-wide files
    channel: str | None = None  # file channel overriding element channels (404, home, ...)
    is_level_page: bool = False  # films/F/L/index.html for L above the first
    is_first_page: bool = False  # films/F/index.html

    @property
    def site_wide(self) -> bool:
        return self.rank is None or self.rank == 0


@dataclass
class PageInfo:
    file: SiteFile
    ids: set[str]
    id_list: list[tuple[str, str]]
    hrefs: list[tuple[str, str]]
    robots: list[str]
    canonical: list[str]


def _read_text(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as fh:
            data = fh.read(MAX_GZIP_BYTES)
    else:
        data = path.read_bytes()
    return data.decode("utf-8", errors="replace")


def _url_path(url: str) -> str:
    """The path of a URL, relative to the site root, without a leading slash."""
    return unquote(urlsplit(url).path).lstrip("/")


def _film_page_of(path: str, film_ids: dict[str, int], ladder: Ladder) -> tuple[str, str] | None:
    """(film id, level id or '') if `path` names a film page, e.g. `x/films/f-2020/setup/`."""
    parts = [p for p in path.split("/") if p]
    if parts and parts[-1] in ("index.html", "index.htm"):
        parts = parts[:-1]
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] != "films" or i + 1 >= len(parts):
            continue
        rest = parts[i + 1 :]
        if rest[0] not in film_ids or len(rest) > 2:
            continue
        return rest[0], rest[1] if len(rest) == 2 else ""
    return None


class Audit:
    def __init__(self, site_dir: Path, films: Sequence[Film], ladder: Ladder) -> None:
        self.site = site_dir
        self.films = list(films)
        self.ladder = ladder
        self.film_ids = {f.id: i for i, f in enumerate(self.films)}
        self.leaks: dict[tuple[str, str, str, str, str, str], Leak] = {}
        self.checks = 0
        self.files: list[SiteFile] = []
        self.pages: dict[str, PageInfo] = {}
        self._hidden: dict[tuple[int, int], dict[str, str]] = {}

    @cached_property
    def needles(self) -> Needles:
        return Needles(self.films, self.ladder)

    # -- reporting

    def leak(
        self,
        film: int | str,
        rank: int | None,
        file: str,
        channel: str,
        kind: str,
        what: str,
        snippet: str,
    ) -> None:
        film_id = self.films[film].id if isinstance(film, int) else film
        level = self.ladder.ids[rank] if rank is not None else "*"
        key = (film_id, level, file, channel, kind, what)
        if key not in self.leaks:
            self.leaks[key] = Leak(film_id, level, file, channel, kind, what, snippet)

    # -- discovery

    def classify(self, path: Path) -> SiteFile | None:
        rel = path.relative_to(self.site).as_posix()
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
        if len(parts) >= 3 and parts[0] == "films" and parts[1] in self.film_ids:
            sf.film = self.film_ids[parts[1]]
            if len(parts) == 3 and parts[2] == "index.html":
                sf.rank, sf.is_first_page = 0, True
            elif len(parts) >= 4 and parts[2] in self.ladder.ids[1:]:
                sf.rank = self.ladder.rank(parts[2])
                sf.is_level_page = parts[3:] == ["index.html"]
        return sf

    def discover(self) -> None:
        for path in sorted(self.site.rglob("*")):
            if path.is_file():
                sf = self.classify(path)
                if sf is not None:
                    self.files.append(sf)

    # -- scanning

    def scan_segment(self, sf: SiteFile, channel: str, text: str) -> None:
        folded = fold(text)
        toks = _WORD.findall(folded)
        if not toks:
            return
        spans: list[tuple[int, int]] = []
        channel = sf.channel or channel
        own, rank = sf.film, (sf.rank if sf.rank is not None else 0)
        level_page = not sf.site_wide
        for start, n, entry in self.needles.find(toks):
            hits: list[tuple[int, str, str]] = []  # (film, kind, what)
            if entry.allowed > rank:
                for tid in entry.texts():
                    ht = self.needles.texts[tid]
                    if not level_page or ht.film == own:
                        hits.append((ht.film, ht.kind, ht.what))
            for hn in entry.names or ():
                if hn.rank <= rank:
                    continue
                if level_page and hn.film != own:
                    continue
                allowed = entry.name_allowed(hn.film) if hn.film == own else entry.allowed
                if allowed > rank:
                    hits.append((hn.film, "entity", hn.what))
            if hits:
                if not spans:  # positions, only once something matched
                    spans = [m.span(1) for m in _WORD.finditer(folded)]
                a, b = spans[start][0], spans[start + n - 1][1]
                snip = _snippet(text, folded, a, b)
                for film, kind, what in hits:
                    self.leak(film, rank, sf.rel, channel, kind, what, snip)

    def scan_html(self, sf: SiteFile, text: str) -> None:
        parser = PageParser()
        try:
            parser.feed(text)
            parser.close()
        except AssertionError:  # pragma: no cover - html.parser on pathological input
            pass
        for channel, value in parser.segments():
            self.scan_segment(sf, channel, value)
        if parser.preview or PREVIEW_MARKER in text:
            self.policy(
                sf,
                sf.channel or ATTRIBUTE,
                "preview",
                _around(text, PREVIEW_MARKER) or PREVIEW_MARKER,
            )
        self.pages[sf.rel] = PageInfo(
            sf,
            {v for _, v in parser.ids},
            parser.ids,
            parser.hrefs,
            parser.robots,
            parser.canonical,
        )

    def scan_json_strings(self, sf: SiteFile, data: Any) -> None:
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for k, v in item.items():
                    stack.append(k)
                    stack.append(v)
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str):
                for v in _variants(item):
                    self.scan_segment(sf, ASSET, v)

    def scan_search_index(self, sf: SiteFile, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError:
            for v in _variants(text, js=True):
                self.scan_segment(sf, SEARCH, v)
            return
        self.scan_json_strings(sf, data)
        docs = data.get("docs") if isinstance(data, dict) else None
        for doc in docs if isinstance(docs, list) else ():
            location = doc.get("location") if isinstance(doc, dict) else None
            if isinstance(location, str):
                self.check_location(sf, location, location)

    def scan_sitemap(self, sf: SiteFile, text: str) -> None:
        for v in _variants(text):
            self.scan_segment(sf, SITEMAP, v)
        for m in re.finditer(r"<loc>\s*([^<]*?)\s*</loc>", text):
            self.check_location(sf, html.unescape(m.group(1)), m.group(0))

    def scan_asset(self, sf: SiteFile, text: str) -> None:
        js = Path(sf.rel.removesuffix(".gz")).suffix.lower() in JS_SUFFIXES
        if sf.rel.endswith(".json"):
            try:
                data = json.loads(text)
            except ValueError:
                pass
            else:
                self.scan_json_strings(sf, data)
                return
        for v in _variants(text, js=js):
            self.scan_segment(sf, ASSET, v)

    def check_location(self, sf: SiteFile, url: str, shown: str) -> None:
        """A search-index location or sitemap <loc>: no level page, no hidden section id."""
        page = _film_page_of(_url_path(url), self.film_ids, self.ladder)
        self.checks += 1
        if page is None:
            return
        film_id, level = page
        fi = self.film_ids[film_id]
        if level in self.ladder.ids[1:] or level == "preview":
            what = "search-listed" if sf.kind == "search" else "sitemap-listed"
            rank = self.ladder.rank(level) if level in self.ladder else None
            self.leak(fi, rank, sf.rel, sf.channel or SEARCH, "policy", what, shown)
        fragment = unquote(urlsplit(url).fragment)
        if fragment and not level:
            hidden = self.hidden_sections(fi, 0)
            if fragment in hidden:
                self.leak(
                    fi,
                    0,
                    sf.rel,
                    sf.channel or SEARCH,
                    "section-id",
                    f"{fragment}@{hidden[fragment]}",
                    shown,
                )

    def policy(self, sf: SiteFile, channel: str, what: str, snippet: str) -> None:
        film: int | str = sf.film if sf.film is not None else "*"
        self.leak(film, sf.rank, sf.rel, channel, "policy", what, snippet)

    def scan_file(self, sf: SiteFile) -> None:
        try:
            text = _read_text(sf.path)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            self.policy(sf, sf.channel or PAGE, "unreadable", str(exc))
            return
        if sf.kind == "html":
            self.scan_html(sf, text)
            return
        if PREVIEW_MARKER in text:
            self.policy(sf, sf.channel or ASSET, "preview", _around(text, PREVIEW_MARKER))
        if sf.kind == "search":
            self.scan_search_index(sf, text)
        elif sf.kind == "sitemap":
            self.scan_sitemap(sf, text)
        else:
            self.scan_asset(sf, text)

    # -- structure: pages, ids, links

    def hidden_sections(self, film: int, rank: int) -> dict[str, str]:
        """Section id -> level, for the film's sections graded above `rank`."""
        key = (film, rank)
        found = self._hidden.get(key)
        if found is None:
            rank_of = {lv: i for i, lv in enumerate(self.ladder.ids)}
            found = self._hidden[key] = {
                s.id: s.level for s in self.films[film].sections if rank_of.get(s.level, -1) > rank
            }
        return found

    def film_page(self, film: int, rank: int) -> PageInfo | None:
        fid = self.films[film].id
        rel = (
            f"films/{fid}/index.html"
            if rank == 0
            else (f"films/{fid}/{self.ladder.ids[rank]}/index.html")
        )
        return self.pages.get(rel)

    @cached_property
    def film_ids_by_rank(self) -> dict[int, list[set[str]]]:
        out: dict[int, list[set[str]]] = {}
        for fi in range(len(self.films)):
            out[fi] = []
            for r in range(len(self.ladder.levels)):
                page = self.film_page(fi, r)
                out[fi].append(page.ids if page else set())
        return out

    def hidden_anchor(self, film: int, rank: int, fragment: str) -> str | None:
        """The level of the film's lowest page above `rank` that has this id, if no page at or
        below `rank` has it."""
        by_rank = self.film_ids_by_rank[film]
        if any(fragment in ids for ids in by_rank[: rank + 1]):
            return None
        for r in range(rank + 1, len(by_rank)):
            if fragment in by_rank[r]:
                return self.ladder.ids[r]
        return None

    def resolve(self, page: PageInfo, href: str) -> tuple[PageInfo | None, str] | None:
        """The page an href points to (if it is in this site) and its fragment."""
        base = "http://site.invalid/" + page.file.rel
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
        if parts.netloc != "site.invalid" or not parts.fragment:
            return None
        fragment = unquote(parts.fragment)
        path = unquote(parts.path).lstrip("/")
        if href.strip().startswith("#"):
            return page, fragment
        for candidate in _page_candidates(path):
            if candidate in self.pages:
                return self.pages[candidate], fragment
        # Absolute links on a site served below a sub-path: /sub/films/f/ -> films/f/.
        found = _film_page_of(path, self.film_ids, self.ladder)
        if found:
            fid, level = found
            rel = f"films/{fid}/{level + '/' if level else ''}index.html"
            return self.pages.get(rel), fragment
        return None, fragment

    def check_links(self, page: PageInfo) -> None:
        sf = page.file
        own, src_rank = sf.film, (sf.rank if sf.rank is not None else 0)
        level_page = not sf.site_wide
        if own is not None and sf.rank is not None:
            hidden = self.hidden_sections(own, src_rank)
            for channel, value in page.id_list:
                self.checks += 1
                if value in hidden:
                    self.leak(
                        own,
                        src_rank,
                        sf.rel,
                        sf.channel or channel,
                        "section-id",
                        f"{value}@{hidden[value]}",
                        f'id="{value}"',
                    )
        for channel, href in page.hrefs:
            self.checks += 1
            resolved = self.resolve(page, href)
            if resolved is None:
                continue
            target, fragment = resolved
            if target is None or target.file.film is None or target.file.rank is None:
                continue
            film = target.file.film
            if level_page and film != own:
                continue
            rank = src_rank if film == own else 0
            hidden = self.hidden_sections(film, rank)
            ch = sf.channel or channel
            if fragment in hidden:
                self.leak(
                    film,
                    rank,
                    sf.rel,
                    ch,
                    "section-id",
                    f"{fragment}@{hidden[fragment]}",
                    f'href="{href}"',
                )
                continue
            if fragment in target.ids:
                continue
            above = self.hidden_anchor(film, rank, fragment)
            if above is not None:
                self.leak(film, rank, sf.rel, ch, "anchor", f"{fragment}@{above}", f'href="{href}"')

    def check_level_page(self, page: PageInfo) -> None:
        sf = page.file
        assert sf.film is not None and sf.rank is not None
        self.checks += 2
        if not any("noindex" in re.split(r"[\s,]+", c.lower()) for c in page.robots):
            shown = ", ".join(page.robots) or "no <meta name=robots>"
            self.policy(sf, META, "noindex", shown)
        first = f"films/{self.films[sf.film].id}/"
        targets = [
            _url_path(urljoin("http://site.invalid/" + sf.rel, c)).removesuffix("index.html")
            for c in page.canonical
        ]
        if not any(t == first or t.endswith("/" + first) for t in targets):
            shown = ", ".join(page.canonical) or "no <link rel=canonical>"
            self.policy(sf, ATTRIBUTE, "canonical", shown)

    def check_structure(self) -> None:
        present = {sf.rel for sf in self.files}
        for fi, film in enumerate(self.films):
            for r, level in enumerate(self.ladder.ids):
                rel = (
                    f"films/{film.id}/index.html"
                    if r == 0
                    else (f"films/{film.id}/{level}/index.html")
                )
                self.checks += 1
                if rel not in present:
                    self.leak(fi, r, rel, PAGE, "missing", "page", "expected but not in the site")
        films_dir = self.site / "films"
        if films_dir.is_dir():
            for preview in sorted(films_dir.glob("*/preview")):
                self.checks += 1
                if preview.is_dir():
                    fid = preview.parent.name
                    owner: int | str = self.film_ids.get(fid, fid)
                    rel = preview.relative_to(self.site).as_posix() + "/"
                    self.leak(
                        owner,
                        None,
                        rel,
                        PAGE,
                        "policy",
                        "preview-page",
                        "a writer preview is in the build",
                    )

    # -- the whole audit

    def run(self) -> AuditResult:
        self.discover()
        self.needles  # noqa: B018 - build the index before timing-sensitive scanning
        for sf in self.files:
            self.scan_file(sf)
        for page in self.pages.values():
            self.check_links(page)
            if page.file.is_level_page:
                self.check_level_page(page)
        self.check_structure()
        site_wide = sum(1 for sf in self.files if sf.site_wide)
        level_files = len(self.files) - site_wide
        self.checks += len(self.films) * len(self.ladder.levels) * site_wide + level_files
        ladder_ids = self.ladder.ids

        def order(leak: Leak) -> tuple[str, int, str, str, str, str]:
            rank = ladder_ids.index(leak.level) if leak.level in ladder_ids else -1
            return (leak.film, rank, leak.file, leak.channel, leak.kind, leak.what)

        return AuditResult(
            sorted(self.leaks.values(), key=order),
            len(self.films),
            len(self.ladder.levels),
            len(self.files),
            self.checks,
        )


def _page_candidates(path: str) -> Iterator[str]:
    if path == "" or path.endswith("/"):
        yield path + "index.html"
    else:
        yield path
        yield path + "/index.html"


def _around(text: str, needle: str) -> str:
    i = text.find(needle)
    if i < 0:
        return ""
    return text[max(0, i - 30) : i + len(needle) + 30]


def _snippet(text: str, folded: str, start: int, end: int) -> str:
    """About SNIPPET characters around folded[start:end], in the original text when possible."""
    source = unicodedata.normalize("NFKC", text)
    if len(source) != len(folded):
        mapped = _map_offsets(source, folded)
        if mapped is not None:
            start, end = mapped[start], mapped[end]
        else:
            source = folded
    pad = max(15, (SNIPPET - (end - start)) // 2)
    a, b = max(0, start - pad), min(len(source), end + pad)
    snip = " ".join(source[a:b].split())
    if len(snip) > 2 * SNIPPET:
        snip = snip[: 2 * SNIPPET] + "..."
    return ("..." if a > 0 else "") + snip + ("..." if b < len(source) else "")


def _map_offsets(source: str, folded: str) -> list[int] | None:
    """For each offset of `folded`, the offset of `source` it came from (None if unmappable)."""
    out: list[int] = []
    pieces: list[str] = []
    for i, ch in enumerate(source):
        piece = unicodedata.normalize("NFKC", ch.casefold()).translate(_FOLD)
        pieces.append(piece)
        out.extend([i] * len(piece))
    if "".join(pieces) != folded:
        return None
    out.append(len(source))
    return out


# --------------------------------------------------------------------------------------------
# Entry points


def audit(site_dir: Path, films: Iterable[Film], ladder: Ladder) -> AuditResult:
    """Audit a built site against the films' grading; see the module docstring."""
    return Audit(site_dir, list(films), ladder).run()


def audit_site(site_dir: Path, films: Iterable[Film], ladder: Ladder) -> list[Leak]:
    """Every leak of the built site at `site_dir`, sorted by film, level, file and channel."""
    return audit(site_dir, films, ladder).leaks


def run_audit(site_dir: Path, content_dir: Path, ladder: Ladder) -> int:
    """`spoilers audit SITE_DIR`: 0 clean, 1 on any leak, 2 if there is nothing to audit."""
    if not site_dir.is_dir():
        print(f"error: {site_dir} is not a directory (build the site first)", file=sys.stderr)
        return 2
    result = check([], content_dir, ladder)
    if has_errors(result.diagnostics):
        print(format_all(result.diagnostics), file=sys.stderr)
        print("spoilers audit: the content has errors; run `spoilers check`", file=sys.stderr)
        return 2
    if not result.films:
        print(f"error: no films in {content_dir / 'films'}; nothing to audit", file=sys.stderr)
        return 2
    expected = [
        site_dir / "films" / film.id / level / "index.html"
        for film in result.films
        for level in ("", *ladder.ids[1:])
    ]
    if not any(p.is_file() for p in expected):
        print(f"error: {site_dir} has no film pages; is it the built site?", file=sys.stderr)
        return 2
    report = audit(site_dir, result.films, ladder)
    for leak in report.leaks:
        print(leak.line())
    print(report.summary(), file=sys.stderr)
    return 1 if report.leaks else 0


__all__ = ["CHANNELS", "AuditResult", "Leak", "audit", "audit_site", "fold", "run_audit", "words"]
