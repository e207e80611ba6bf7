"""What the browser tests know about the site: its ladder and films, read from the same files the
site is built from, and helpers to compare writer text with what a reader sees.

Nothing here hard-codes content: tests pick facts, words and section ids at run time, so the
suite keeps working as the film files change.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page

REPO = Path(__file__).resolve().parents[2]
PREFIX = "/spoilers-site/"
EXTRA_FILM = REPO / "tests" / "fixtures" / "site" / "content" / "films" / "paper-lantern-2019.yml"
BALLERINA = "ballerina-2023"
LANTERN = "paper-lantern-2019"


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml uses `!ENV`; read it as plain data."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _any_tag)


def normalise(text: str) -> str:
    """Entities decoded, straight quotes, single spaces: writer text and page text compare."""
    text = html.unescape(text)
    for curly, straight in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()


def plain(markdown: str) -> str:
    """Inline Markdown -> the text a reader sees (close enough to compare substrings)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # links -> their text
    text = re.sub(r"[*_`]+", "", text)
    return normalise(text)


def html_text(markup: str) -> str:
    """All text of an HTML document, tags dropped, as `plain` would write it."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.DOTALL | re.IGNORECASE)
    return normalise(re.sub(r"<[^>]+>", "", markup))


def snippet(markdown: str, length: int = 40) -> str:
    """A distinctive piece of a fact: the first `length` characters of its plain text."""
    return plain(markdown)[:length].strip()


@dataclass(frozen=True)
class Ladder:
    ids: tuple[str, ...]
    labels: dict[str, str]
    descriptions: dict[str, str]

    def rank(self, level: str) -> int:
        return self.ids.index(level)

    @property
    def first(self) -> str:
        return self.ids[0]


@dataclass(frozen=True)
class Film:
    id: str
    title: str
    data: dict[str, Any]
    ladder: Ladder

    def label(self, level: str) -> str:
        return str((self.data.get("level_labels") or {}).get(level, self.ladder.labels[level]))

    def facts(self, level: str) -> list[str]:
        """Markdown text of every fact graded exactly at `level`, in page order."""
        return [
            f["text"]
            for s in self.data.get("sections", ())
            for f in s.get("facts", ())
            if f["level"] == level
        ]

    def fact(self, level: str) -> str:
        """A snippet of the first fact graded exactly at `level` that is distinctive: free of
        Markdown and quotes in its first 40 characters, and found in no other level's text."""
        others = " ".join(
            plain(t) for lv in self.ladder.ids if lv != level for t in self.texts_at(lv)
        )
        for text in self.facts(level):
            head = text[:45]
            if re.search(r"[*_`\[\"']", head):
                continue
            piece = snippet(text)
            if piece not in others:
                return piece
        raise AssertionError(f"{self.id}: no distinctive fact at {level}")

    def fact_snippets_above(self, level: str) -> list[str]:
        """A snippet of every fact graded above `level` (for checks that they are absent)."""
        r = self.ladder.rank(level)
        return [snippet(t) for lv in self.ladder.ids[r + 1 :] for t in self.facts(lv)]

    def sections(self) -> list[dict[str, Any]]:
        return list(self.data.get("sections", ()))

    def section_titles(self, up_to: str) -> list[str]:
        """Titles of the sections a reader of `up_to` has, in page order."""
        r = self.ladder.rank(up_to)
        return [normalise(s["title"]) for s in self.sections() if self.ladder.rank(s["level"]) <= r]

    def texts_at(self, level: str) -> list[str]:
        """Every writer string graded exactly at `level`, read from the film file on its own
        (a second opinion to the package's `Film.graded_texts`): facts, section titles, names,
        descriptions, recaps, disagreements, source titles kept back to a level, and "what the
        ending means" at the last level. The spoiler-free level also holds everything shown on
        every page (premise, verdict, credits, cast, reception, content notes, sources)."""
        d = self.data
        first, last = self.ladder.first, self.ladder.ids[-1]
        out: list[str] = []
        if level == first:
            out += [d["premise"], d["title"], d.get("original_title", ""), d.get("director", "")]
            out += [w for w in d.get("writers", ())]
            out += [str(d.get("release", {}).get("platform", ""))]
            out += [str(v) for v in (d.get("level_labels") or {}).values()]
            out += [(d.get("verdict") or {}).get("text", "")]
            out += [r["text"] for r in d.get("reception", ())]
            out += [f"{n['label']} {n.get('detail', '')}" for n in d.get("content_notes", ())]
            for c in d.get("cast", ()):
                out += [c["actor"], *c.get("also_credited_as", ()), c.get("role", "")]
            for s in d.get("sources", ()):
                out += [s.get(k, "") for k in ("author", "publisher", "note", "description")]
        for s in d.get("sources", ()):
            if s.get("title_level", first) == level:
                out += [s["title"]]
        out += [
            f["text"]
            for s in d.get("sections", ())
            for f in s.get("facts", ())
            if f["level"] == level
        ]
        out += [s["title"] for s in d.get("sections", ()) if s["level"] == level]
        for e in d.get("entities", ()):
            if e["introduced"] == level:
                out += e["names"]
            out += [x["text"] for x in e.get("descriptions", ()) if x["level"] == level]
        out += [r["text"] for r in d.get("recaps", ()) if r["level"] == level]
        for dis in d.get("disagreements", ()):
            if dis["level"] == level:
                out += [dis["topic"], dis.get("note", "")]
                out += [c["text"] for c in dis["claims"]]
        if level == last:
            out += [m["text"] for m in d.get("meaning", ())]
        return [t for t in out if t]

    # -- what a reader of a level must not receive

    def _allowed(self, level: str) -> str:
        r = self.ladder.rank(level)
        return " ".join(plain(t) for lv in self.ladder.ids[: r + 1] for t in self.texts_at(lv))

    def hidden_snippets(self, level: str) -> list[str]:
        """Distinctive pieces (the first and the last 40 characters) of every text graded above
        `level`; a piece that also occurs in text a reader of `level` has is left out."""
        r = self.ladder.rank(level)
        allowed = self._allowed(level)
        out: list[str] = []
        for lv in self.ladder.ids[r + 1 :]:
            for text in self.texts_at(lv):
                words = plain(text)
                for piece in (words[:40].strip(), words[-40:].strip()):
                    if len(piece) >= 12 and piece not in allowed and piece not in out:
                        out.append(piece)
        return out

    def names_above(self, level: str) -> list[str]:
        """Names of entities introduced above `level` that no text of `level` uses."""
        r = self.ladder.rank(level)
        allowed = self._allowed(level)
        return [
            name
            for e in self.data.get("entities", ())
            if self.ladder.rank(e["introduced"]) > r
            for name in e["names"]
            if not _word(name).search(allowed)
        ]

    def section_ids_above(self, level: str) -> list[str]:
        r = self.ladder.rank(level)
        return [str(s["id"]) for s in self.sections() if self.ladder.rank(s["level"]) > r]

    def leaks(self, text: str, level: str) -> list[str]:
        """What of the text graded above `level` occurs in `text` (a page's text, normalised):
        distinctive pieces of writer text, and entity names as whole words."""
        text = normalise(text)
        found = [p for p in self.hidden_snippets(level) if p in text]
        found += [f"name {n!r}" for n in self.names_above(level) if _word(n).search(text)]
        return found

    def raw_leaks(self, markup: str, level: str) -> list[str]:
        """`leaks` over an HTML document's text, and hidden section ids anywhere in its bytes
        (attributes, links, scripts)."""
        found = self.leaks(html_text(markup), level)
        found += [f"id {i!r}" for i in self.section_ids_above(level) if i in markup]
        return found


def _word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(normalise(name))}(?![\w-])", re.IGNORECASE)


def read_ladder() -> Ladder:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), _TolerantLoader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "spoilers" in plugin:
            levels = plugin["spoilers"]["levels"]
            return Ladder(
                tuple(lv["id"] for lv in levels),
                {lv["id"]: lv["label"] for lv in levels},
                {lv["id"]: lv.get("description", "") for lv in levels},
            )
    raise AssertionError("no spoilers plugin block in mkdocs.yml")


def read_film(path: Path, ladder: Ladder) -> Film:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Film(data["id"], data["title"], data, ladder)


@dataclass
class Site:
    root: str  # http://127.0.0.1:<port>/spoilers-site/
    out: Path
    ladder: Ladder
    films: dict[str, Film] = field(default_factory=dict)

    @property
    def levels(self) -> tuple[str, ...]:
        return self.ladder.ids

    def url(self, path: str = "") -> str:
        return self.root + path.lstrip("/")

    def film_url(self, film_id: str, level: str | None = None) -> str:
        if level is None or level == self.ladder.first:
            return self.url(f"films/{film_id}/")
        return self.url(f"films/{film_id}/{level}/")

    def all_film_pages(self) -> list[tuple[str, str, str]]:
        """(film id, level, url) for every level page of every film."""
        return [(f, lv, self.film_url(f, lv)) for f in self.films for lv in self.levels]

    @property
    def ballerina(self) -> Film:
        return self.films[BALLERINA]

    @property
    def lantern(self) -> Film:
        return self.films[LANTERN]


class ConsoleWatch:
    """Console errors and page errors of every page opened in the watched contexts."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._allowed: list[re.Pattern[str]] = []

    def allow(self, pattern: str) -> None:
        self._allowed.append(re.compile(pattern))

    def attach(self, page: Page) -> None:
        def on_console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                self._record(f"console error on {page.url}: {msg.text} ({msg.location})")

        def on_pageerror(err: Error) -> None:
            self._record(f"uncaught exception on {page.url}: {err}")

        page.on("console", on_console)
        page.on("pageerror", on_pageerror)

    def _record(self, line: str) -> None:
        if not any(p.search(line) for p in self._allowed):
            self.errors.append(line)


# --- what a reader sees, in the browser ------------------------------------------------------

SAMPLER = Path(__file__).with_name("sampler.js")
TOC_LINKS = "nav.md-nav--secondary a.md-nav__link"


def body_text(page: Page) -> str:
    """What the reader can read right now (innerText skips undisplayed and hidden text)."""
    return normalise(page.evaluate("document.body ? document.body.innerText : ''"))


def toc_titles(page: Page) -> list[str]:
    """The entries of Material's table of contents (empty when it lists nothing)."""
    return [normalise(t) for t in page.locator(TOC_LINKS).all_text_contents()]


def stored(page: Page, key: str) -> str | None:
    """spoilers.js's memory in this browser: `<film id>` or `place:<film id>`."""
    value = page.evaluate("k => localStorage.getItem('spoilers:' + k)", key)
    return value if value is None else str(value)


def sampler(page: Page) -> dict[str, Any]:
    """What sampler.js (added with `add_init_script(path=SAMPLER)`) recorded in this window."""
    state = page.evaluate("window.__spoilersSampler || null")
    assert state is not None, "sampler.js is not installed in this page"
    return dict(state)


def preset_choice(context: BrowserContext, film: str, level: str) -> None:
    """Every document of `context` starts with `level` chosen for `film` (a returning reader)."""
    context.add_init_script(
        f"try {{ localStorage.setItem('spoilers:{film}', '{level}') }} catch (e) {{}}"
    )
