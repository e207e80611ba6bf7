"""Scanning the site: every file a reader can receive, against what is hidden from that reader.

Scope, from the URL scheme alone:

- a level page `films/F/L/` (L above the first, and anything else under that directory) is checked
  against film F's needles hidden above L;
- every shared file (every film's first-level page, home, 404, other pages, search index,
  sitemap, assets) against the needles of *every* film hidden above the first level.

Nothing a writer wrote takes a needle off the list: a name of an entity introduced above L, a
distinctive run of a text graded above L, or a section id graded above L, found anywhere a reader
of L receives, is a leak. Two things are known not to be writer text and are not reported: files
byte-identical to the theme's or the plugin's own files, and names that fall inside a longer
fixed phrase of the theme's templates (site.Trusted).

Why one module of about 500 lines: the needles (what is hidden, per film and level) and the scan
that looks for them share one index and one notion of scope; parsing pages (page.py), classifying
files (site.py) and printing (report.py) are already apart.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from mkdocs_plugins.spoilers import urls
from mkdocs_plugins.spoilers.audit.page import (
    ATTRIBUTE,
    META,
    PREVIEW_MARKER,
    SCRIPT,
    PageReader,
    variants,
)
from mkdocs_plugins.spoilers.audit.report import AuditResult, Leak
from mkdocs_plugins.spoilers.audit.site import (
    ASSET,
    JS_SUFFIXES,
    PAGE,
    SEARCH,
    SITEMAP,
    SiteFile,
    Trusted,
    default_theme_dirs,
    discover,
)
from mkdocs_plugins.spoilers.hidden import (
    HiddenName,
    HiddenText,
    hidden_runs,
    name_index,
    read_texts,
    run_index,
    run_key,
    section_levels,
)
from mkdocs_plugins.spoilers.model import Film, Ladder
from mkdocs_plugins.spoilers.visible import BLOCK, Index, Tokens, fold

SNIPPET = 80  # characters of context shown around a match
MAX_GZIP_BYTES = 64 * 1024 * 1024  # a sitemap.xml.gz never expands to more than this


@dataclass
class PageInfo:
    file: SiteFile
    ids: set[str]
    id_list: list[tuple[str, str]]
    hrefs: list[tuple[str, str]]
    robots: list[str]
    canonical: list[str]


class Audit:
    def __init__(
        self,
        site_dir: Path,
        films: Sequence[Film],
        ladder: Ladder,
        trusted: Trusted | None = None,
    ) -> None:
        self.site = site_dir
        self.films = list(films)
        self.ladder = ladder
        self.trusted = trusted if trusted is not None else Trusted(default_theme_dirs())
        self.film_ids = {f.id: i for i, f in enumerate(self.films)}
        self.leaks: dict[tuple[str, str, str, str, str, str], Leak] = {}
        self.checks = 0
        self.files: list[SiteFile] = []
        self.pages: dict[str, PageInfo] = {}
        self._runs: Index[HiddenText] = Index()
        self._runs_of = -1
        self._keys: dict[int, array[int]] = {}
        self._needles = 0
        # Text of files shared by every film (home, 404, docs, sitemap, assets), by the key of
        # each of its runs of words: checked against every film's hidden runs once all are read.
        self._pending: dict[int, list[tuple[SiteFile, str, Tokens, int, int]]] = {}
        self._lengths = range(2, 13)  # a run is 5 words of prose: up to a dozen parts

    # -- what is hidden

    @cached_property
    def names(self) -> Any:
        return name_index([(f.id, f.entities) for f in self.films], self.ladder)

    def film_runs(self, film: int) -> Index[HiddenText]:
        """One film's hidden runs, indexed (a film's files are read one after another, so only
        the latest film's index is kept); their keys are kept for the shared files."""
        if self._runs_of != film:
            runs = hidden_runs(self.films[film], read_texts(self.films[film], self.ladder))
            self._runs, self._runs_of = run_index(runs), film
            if film not in self._keys:
                self._keys[film] = array("Q", sorted({run_key(ws) for ws, _ in runs}))
                self._needles += len(self._runs)
        return self._runs

    def film_keys(self, film: int) -> array[int]:
        """The keys of a film's hidden runs: 8 bytes each, kept for check_shared."""
        if film not in self._keys:
            self.film_runs(film)
        return self._keys[film]

    @cached_property
    def sections(self) -> list[dict[str, int]]:
        """Per film: section id -> rank."""
        return [
            {sid: self.ladder.rank(lv) for sid, lv in section_levels(f, self.ladder).items()}
            for f in self.films
        ]

    def hidden_sections(self, film: int, rank: int) -> dict[str, str]:
        return {sid: self.ladder.ids[r] for sid, r in self.sections[film].items() if r > rank}

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

    def policy(self, sf: SiteFile, channel: str, what: str, snippet: str) -> None:
        film: int | str = sf.film if sf.film is not None else "*"
        self.leak(film, sf.rank, sf.rel, channel, "policy", what, snippet)

    # -- text

    def scan_segment(self, sf: SiteFile, channel: str, text: str, owner: int | None = -1) -> None:
        """Look for every needle in one piece of received text.

        `owner` names the film a piece of a shared file belongs to (a search-index document
        located on that film's page); by default, the file's own film.
        """
        tokens = Tokens(text)
        if not tokens.words:
            return
        film_of_text = sf.film if owner == -1 else owner
        at = (sf.rank or 0) if owner == -1 else 0
        level_text = not sf.shared and owner == -1  # a level's text: its own film only
        channel = sf.channel or channel
        for hit in self.names.find(tokens):
            hn: HiddenName = hit.payload
            if hn.rank <= at or (level_text and self.film_ids[hn.film] != sf.film):
                continue
            if self.trusted.masks(tokens, hit.start, hit.length):
                continue
            what = f"{hn.entity}({'_'.join(hn.name.split())})@{hn.level}"
            snip = _snippet(tokens, hit.start, hit.length)
            self.leak(self.film_ids[hn.film], at, sf.rel, channel, "entity", what, snip)
        if film_of_text is None:
            # Shared by every film: its runs wait for every film's hidden runs (check_shared).
            ws = tokens.words
            for n in self._lengths:
                for i in range(len(ws) - n + 1):
                    entry = (sf, channel, tokens, i, n)
                    self._pending.setdefault(run_key(ws[i : i + n]), []).append(entry)
            return
        for rhit in self.film_runs(film_of_text).find(tokens):
            run: HiddenText = rhit.payload
            if run.rank > at:
                snip = _snippet(tokens, rhit.start, rhit.length)
                what = f"{run.where}@{run.level}"
                self.leak(film_of_text, at, sf.rel, channel, run.kind, what, snip)

    def check_shared(self) -> None:
        """The shared files' runs of words against every film's hidden runs, one film at a
        time (so a thousand films' runs are never all in memory)."""
        if not self._pending:
            return
        for fi in range(len(self.films)):
            for key in self.film_keys(fi):
                for sf, channel, tokens, i, n in self._pending.get(key, ()):
                    words = tuple(tokens.words[i : i + n])
                    for run in self.film_runs(fi).payloads(words):  # none: another run's key
                        what = f"{run.where}@{run.level}"
                        snip = _snippet(tokens, i, n)
                        self.leak(fi, 0, sf.rel, channel, run.kind, what, snip)

    def scan_html(self, sf: SiteFile, text: str) -> None:
        reader = PageReader()
        try:
            reader.feed(text)
            reader.close()
        except AssertionError:  # pragma: no cover - html.parser on pathological input
            pass
        for channel, value in reader.segments():
            self.scan_segment(sf, channel, value)
        if reader.preview or PREVIEW_MARKER in text:
            self.policy(sf, sf.channel or ATTRIBUTE, "preview", _around(text, PREVIEW_MARKER))
        self.pages[sf.rel] = PageInfo(
            sf,
            {v for _, v in reader.ids},
            reader.ids,
            reader.hrefs,
            reader.robots,
            reader.canonical,
        )

    def scan_json_strings(self, sf: SiteFile, data: Any, owner: int | None = -1) -> None:
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
                for v in variants(item):
                    self.scan_segment(sf, ASSET, v, owner)

    def scan_search_index(self, sf: SiteFile, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError:
            for v in variants(text, js=True):
                self.scan_segment(sf, SEARCH, v)
            return
        docs = data.get("docs") if isinstance(data, dict) else None
        rest = {k: v for k, v in data.items() if k != "docs"} if isinstance(data, dict) else data
        self.scan_json_strings(sf, rest)
        for doc in docs if isinstance(docs, list) else ():
            location = doc.get("location") if isinstance(doc, dict) else None
            owner: int | None = None
            if isinstance(location, str):
                self.check_location(sf, location, location)
                page = urls.page_of(urls.url_path(location), self.film_ids, self.ladder.ids)
                if page is not None:
                    owner = self.film_ids[page[0]]  # that film's spoiler-free page
            self.scan_json_strings(sf, doc, owner)

    def scan_sitemap(self, sf: SiteFile, text: str) -> None:
        for v in variants(text):
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
        for v in variants(text, js=js):
            self.scan_segment(sf, ASSET, v)

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

    def check_location(self, sf: SiteFile, url: str, shown: str) -> None:
        """A search-index location or sitemap <loc>: no level page, no hidden section id."""
        page = urls.page_of(urls.url_path(url), self.film_ids, self.ladder.ids)
        self.checks += 1
        if page is None:
            return
        film_id, level = page
        fi = self.film_ids[film_id]
        if level:
            what = "search-listed" if sf.kind == "search" else "sitemap-listed"
            rank = self.ladder.rank(level) if level in self.ladder else None
            self.leak(fi, rank, sf.rel, sf.channel or SEARCH, "policy", what, shown)
        fragment = unquote(urlsplit(url).fragment)
        hidden = self.hidden_sections(fi, 0)
        if fragment and not level and fragment in hidden:
            what = f"{fragment}@{hidden[fragment]}"
            self.leak(fi, 0, sf.rel, sf.channel or SEARCH, "section-id", what, shown)

    def page_file(self, film: int, rank: int) -> PageInfo | None:
        """The page holding the film's text at `rank`."""
        fid, level = self.films[film].id, self.ladder.ids[rank]
        return self.pages.get(urls.reveal_file(fid, level, self.ladder))

    @cached_property
    def film_ids_by_rank(self) -> list[list[set[str]]]:
        out = []
        for fi in range(len(self.films)):
            row = []
            for r in range(len(self.ladder.levels)):
                page = self.page_file(fi, r)
                row.append(page.ids if page else set())
            out.append(row)
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
        found = urls.page_of(path, self.film_ids, self.ladder.ids)
        if found and found[1] != urls.PREVIEW:
            fid, level = found
            return self.pages.get(
                urls.level_file(fid, level or self.ladder.first.id, self.ladder)
            ), fragment
        return None, fragment

    def check_links(self, page: PageInfo) -> None:
        sf = page.file
        own, at = sf.film, (sf.rank or 0)
        for channel, value in page.id_list:
            self.checks += 1
            owners = range(len(self.films)) if own is None else (own,)
            for fi in owners:
                hidden = self.hidden_sections(fi, 0 if own is None else at)
                if value in hidden:
                    what = f"{value}@{hidden[value]}"
                    self.leak(
                        fi, at, sf.rel, sf.channel or channel, "section-id", what, f'id="{value}"'
                    )
        for channel, href in page.hrefs:
            self.checks += 1
            resolved = self.resolve(page, href)
            if resolved is None:
                continue
            target, fragment = resolved
            if target is None or target.file.film is None:
                continue
            film = target.file.film
            if not sf.shared and film != own:
                continue  # not receivable by that film's readers without choosing this level
            rank = at if film == own else 0
            hidden = self.hidden_sections(film, rank)
            ch = sf.channel or channel
            if fragment in hidden:
                what = f"{fragment}@{hidden[fragment]}"
                self.leak(film, rank, sf.rel, ch, "section-id", what, f'href="{href}"')
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
        first = urls.film_dir(self.films[sf.film].id)
        targets = [
            urls.url_path(urljoin("http://site.invalid/" + sf.rel, c)).removesuffix(urls.INDEX)
            for c in page.canonical
        ]
        if not any(t == first or t.endswith("/" + first) for t in targets):
            shown = ", ".join(page.canonical) or "no <link rel=canonical>"
            self.policy(sf, ATTRIBUTE, "canonical", shown)

    def check_structure(self) -> None:
        present = {sf.rel for sf in self.files}
        for fi, film in enumerate(self.films):
            for r, level in enumerate(self.ladder.ids):
                for rel in dict.fromkeys(
                    (
                        urls.level_file(film.id, level, self.ladder),
                        urls.reveal_file(film.id, level, self.ladder),
                    )
                ):
                    self.checks += 1
                    if rel not in present:
                        self.leak(
                            fi, r, rel, PAGE, "missing", "page", "expected but not in the site"
                        )
        films_dir = self.site / urls.FILMS
        if films_dir.is_dir():
            for preview in sorted(films_dir.glob(f"*/{urls.PREVIEW}")):
                self.checks += 1
                if preview.is_dir():
                    fid = preview.parent.name
                    owner: int | str = self.film_ids.get(fid, fid)
                    rel = preview.relative_to(self.site).as_posix() + "/"
                    self.leak(owner, None, rel, PAGE, "policy", "preview-page", "a writer preview")

    # -- the whole audit

    def run(self) -> AuditResult:
        self.files = list(discover(self.site, self.film_ids, self.ladder, self.trusted))
        for sf in self.files:
            if sf.theme_file:
                continue  # the theme's own bytes: no writer text can be in them
            self.scan_file(sf)
            self.checks += len(self.films) if sf.shared else 1
        self.check_shared()
        needles = len(self.names) + self._needles + sum(len(s) for s in self.sections)
        for page in self.pages.values():
            self.check_links(page)
            if page.file.is_level_page:
                self.check_level_page(page)
        self.check_structure()
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
            sum(1 for sf in self.files if sf.theme_file),
            needles,
        )


def _page_candidates(path: str) -> list[str]:
    if path == "" or path.endswith("/"):
        return [path + urls.INDEX]
    return [path, path + "/" + urls.INDEX]


def _read_text(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as fh:
            data = fh.read(MAX_GZIP_BYTES)
    else:
        data = path.read_bytes()
    return data.decode("utf-8", errors="replace")


def _around(text: str, needle: str) -> str:
    i = text.find(needle)
    return text[max(0, i - 30) : i + len(needle) + 30] if i >= 0 else needle


def _snippet(tokens: Tokens, start: int, length: int) -> str:
    """The matched words with a few words of context, as normalised text."""
    ws = [w if w != BLOCK else "|" for w in tokens.words]
    a, b = max(0, start - 6), min(len(ws), start + length + 6)
    inner = " ".join(ws[a:start]) + " [" + " ".join(ws[start : start + length]) + "] "
    snip = (inner + " ".join(ws[start + length : b])).strip()
    return ("..." if a > 0 else "") + snip[: 2 * SNIPPET] + ("..." if b < len(ws) else "")


def audit(
    site_dir: Path, films: Sequence[Film], ladder: Ladder, trusted: Trusted | None = None
) -> AuditResult:
    """Audit a built site against the films' grading; see the module docstring."""
    return Audit(site_dir, films, ladder, trusted).run()


__all__ = ["SCRIPT", "Audit", "audit", "fold"]
