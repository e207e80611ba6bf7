"""What a reader sees: the one definition of reader-visible text.

The spoiler lint (validate.py) and the leak audit (audit/) read text only through this module, so
the lint checks exactly what the audit looks for, and both see text the way a browser shows it:

1. **Received** (`received`): writer text becomes what the browser gets. Inline Markdown is rendered
   by the same code that renders the page (markup.render_inline) and read back as HTML
   (`HtmlText`): tags dropped, inline elements joined *without* a space (`An*sel*` is "Ansel"),
   character references decoded; link targets and titles are received too. Plain text reaches the
   page escaped, so it is received as written. URLs and ids are percent-decoded.
2. **Normalised** (`fold`): Unicode NFKC (fullwidth and styled letters become plain ones); every
   default-ignorable code point removed (zero-width space and joiner, soft hyphen, bidi marks,
   variation selectors, tag characters, invisible operators, the combining grapheme joiner);
   look-alike letters of other scripts mapped to the Latin letter they imitate (Unicode's
   confusables data, TR39); curly quotes made straight; case folded (so the Turkish dotted capital
   I is an i); diacritics removed (`Zoë` and `Zoe` are one word).
3. **Tokenised** (`Tokens`): runs of letters and digits; apostrophes, hyphens and punctuation
   separate words, and a possessive `'s` is dropped (`Sven's` is `sven`). Scripts written without
   spaces (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan) and Hangul become one token per character,
   so a Chinese name is found inside a longer run and a Korean name before an attached particle.
4. **Matched** (`Index`, `name_forms`, `runs`): an entity's name matches as a whole run of words,
   also with a plural or slug `s` on its last word (`Olaf` in `olafs-boat`) and with its words
   joined (`Min-hee` in `Minhee`); a name whose entity says `match: capitalised` matches only where
   its capitalised words are written with a capital (May, Will, Hope). Hidden prose is matched by
   its distinctive runs of words (`runs`).

No MkDocs here; markup.py is the only other module it uses. Why one module of about 500 lines:
the four steps above are the one definition the promise rests on, and keeping them together is the
point (issue 11); splitting them would invite a second idea of a word.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html.parser import HTMLParser
from typing import Generic, TypeVar
from urllib.parse import unquote

import regex
from confusable_homoglyphs import utils as confusables_data

from mkdocs_plugins.spoilers.markup import needs_parse, render_inline
from mkdocs_plugins.spoilers.model import CAPITALISED, MARKDOWN, URL, GradedText

RUN = 5  # words per run of hidden prose: long enough to be distinctive, short enough to survive
MIN_CONTENT_WORDS = 2  # a run counts only if it has this many words that are not function words

# --------------------------------------------------------------------------------------------
# Normalisation

_DEFAULT_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
_COMBINING = regex.compile(r"[\p{Mn}\p{Me}]+")
_QUOTES = {
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033"), '"'),
}
_NO_SPACE = (
    r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}"
)
# Between two blocks (paragraphs, headings, list items) the page reader puts BLOCK: a word no
# needle contains, so a run of words never spans two blocks by accident (a source's name at the
# end of one list and the next heading are not one sentence).
BLOCK = "\ue000"
_TOKEN = regex.compile(rf"[{_NO_SPACE}]|[^\W_{_NO_SPACE}]+|{BLOCK}")
# The same words in ASCII text (no joined script, no BLOCK there), five times faster.
_ASCII_TOKEN = re.compile(r"[^\W_]+")
_NO_SPACE_CHAR = regex.compile(rf"[{_NO_SPACE}]")
_POSSESSIVE = regex.compile(r"(?<=[^\W_])'s(?![^\W_])")
# Markdown's marks between two letters that a renderer left as text ("Ok*ju*" when no emphasis
# was made): a reader reads the letters as one word.
_JOINERS = regex.compile(r"(?<=[^\W_])[*_~`^]+(?=[^\W_])")
# A hyphenated compound is one word of prose ("Ok-ju" is one of the five words a run counts),
# though it is matched as its separate parts, like everything else.
_COMPOUND = regex.compile(
    rf"[{_NO_SPACE}]|[^\W_{_NO_SPACE}]+(?:[\-\u2010\u2011][^\W_{_NO_SPACE}]+)*"
)


@cache
def _lookalikes() -> dict[int, str]:
    """Non-ASCII letters that imitate an ASCII letter or digit -> that character.

    From Unicode's confusables data (TR39) as shipped by confusable-homoglyphs. Case is kept (a
    Cyrillic capital En becomes a Latin capital H), so case folding afterwards treats look-alikes
    and the real letters alike. ASCII itself is never remapped: `l`, `I` and `1` stay distinct.
    """
    data = confusables_data.load("confusables.json")

    def ascii_candidates(ch: str) -> list[str]:
        return [
            h["c"]
            for h in data.get(ch, ())
            if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalnum()
        ]

    table: dict[int, str] = {}
    for ch in data:
        if len(ch) != 1 or ch.isascii():
            continue
        found = ascii_candidates(ch)
        partner = ch.lower() if ch.isupper() else ch.upper() if ch.islower() else ch
        via_partner = [c.swapcase() for c in ascii_candidates(partner)] if partner != ch else []
        pool = via_partner + found if ch.isupper() else found + via_partner
        letters = [c for c in pool if c.isalpha()]
        same_case = [c for c in letters if c.isupper() == ch.isupper()]
        choice = same_case or letters or pool
        if choice:
            table[ord(ch)] = choice[0]
    return table


@cache
def _translate_table() -> dict[int, str]:
    return {**_lookalikes(), **_QUOTES}


def _prepare(text: str) -> str:
    """Steps shared by `fold` and the case-keeping form: NFKC, invisibles, look-alikes, quotes."""
    t = unicodedata.normalize("NFKC", text)
    t = str(_DEFAULT_IGNORABLE.sub("", t))
    return t.translate(_translate_table())


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed.isascii():
        return decomposed
    return unicodedata.normalize("NFC", str(_COMBINING.sub("", decomposed)))


def _finish(t: str) -> str:
    if "'" in t:
        t = _POSSESSIVE.sub("", t)
    if any(c in t for c in "*_~`^"):
        t = str(_JOINERS.sub("", t))
    return t


def fold(text: str) -> str:
    """The comparison form of a text (see the module docstring, step 2)."""
    # Writer texts and names come back again and again; whole pages (the audit's) do not.
    return _fold_short(text) if len(text) <= 512 else _fold(text)


@lru_cache(maxsize=16384)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    if text.isascii():
        return _finish(text.lower())
    return _finish(_strip_marks(_prepare(text).casefold()))


def _cased(text: str) -> str:
    """Like `fold` but keeping case: to tell `May` from `may`."""
    return _finish(_strip_marks(_prepare(text)))


def _find_words(folded: str) -> list[str]:
    found: list[str] = (_ASCII_TOKEN if folded.isascii() else _TOKEN).findall(folded)
    return found


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    found: list[str] = _find_words(fold(text))
    return found


_HYPHENS = frozenset("-\u2010\u2011")


def prose_groups(text: str) -> list[int]:
    """For each of `words(text)`, the index of the word of prose it belongs to: the parts of a
    hyphenated compound share one (one pass: a single hyphen between two words joins them)."""
    folded = fold(text)
    if not any(h in folded for h in _HYPHENS):
        return list(range(len(_find_words(folded))))  # no compound: one word each
    groups: list[int] = []
    group = -1
    end = -2
    for m in _TOKEN.finditer(folded):
        start = m.start()
        joined = start == end + 1 and folded[end] in _HYPHENS and not is_joined_script(m.group())
        if not joined or not groups:
            group += 1
        groups.append(group)
        end = m.end()
    return groups


class Tokens:
    """The words of one received text, with their case and grouping available on demand."""

    __slots__ = ("_caps", "_groups", "source", "words")

    def __init__(self, text: str) -> None:
        self.source = text
        self.words: list[str] = words(text)
        self._caps: list[bool] | None = None
        self._groups: list[int] | None = None

    @property
    def groups(self) -> list[int]:
        if self._groups is None:
            if not any(h in fold(self.source) for h in _HYPHENS):
                self._groups = list(range(len(self.words)))  # no compound: one word each
                return self._groups
            groups = prose_groups(self.source)
            self._groups = (
                groups if len(groups) == len(self.words) else list(range(len(self.words)))
            )
        return self._groups

    @property
    def prose_starts(self) -> list[int]:
        """Where each word of prose starts (a compound's parts share one), and the end."""
        groups = self.groups
        if not groups or groups[-1] == len(groups) - 1:
            return list(range(len(groups) + 1))  # no compound: every word starts one
        starts = [i for i in range(len(groups)) if i == 0 or groups[i - 1] != groups[i]]
        starts.append(len(groups))
        return starts

    def __len__(self) -> int:
        return len(self.words)

    def capitalised(self, i: int) -> bool:
        """Whether word `i` starts with a capital letter, as the reader sees it."""
        if self._caps is None:
            cased = _find_words(_cased(self.source))
            if len(cased) == len(self.words):
                self._caps = [w[:1].isupper() for w in cased]
            else:  # case mapping changed the words (rare): assume capitals, the safe side
                self._caps = [True] * len(self.words)
        return self._caps[i]


def is_joined_script(word: str) -> bool:
    """A one-character token of a script written without spaces (or Hangul)."""
    return bool(_NO_SPACE_CHAR.fullmatch(word))


# --------------------------------------------------------------------------------------------
# What a browser receives

# Elements that do not separate words: `<em>An</em>sel` reads "Ansel". Every other element does.
INLINE_TAGS = frozenset(
    """a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strong
    sub sup time u var wbr""".split()  # noqa: SIM905 - a list of names reads better as words
)


SEPARATOR = f" {BLOCK} "


class HtmlText(HTMLParser):
    """Text as a browser shows it: inline elements joined, others separated, references decoded.

    Collects the visible text and every attribute value (a browser receives those too: link
    targets, titles, alt text). The audit's page reader extends it with channels.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)

    def separate(self) -> None:
        if self.pieces and self.pieces[-1] != SEPARATOR:
            self.pieces.append(SEPARATOR)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in INLINE_TAGS:
            self.separate()
        for name, value in attrs:
            if value is not None:
                self.attributes.append((tag, name, value))

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE_TAGS:
            self.separate()

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)

    def text(self) -> str:
        return "".join(self.pieces)


def html_text(fragment: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(visible text, attribute values) of an HTML fragment."""
    parser = HtmlText()
    parser.feed(fragment)
    parser.close()
    return parser.text(), parser.attributes


def url_text(url: str) -> str:
    """A URL as words: percent-encoding undone (twice encoded too), entities decoded."""
    t = html.unescape(url) if "&" in url else url
    for _ in range(3):
        decoded = unquote(t)
        if decoded == t:
            break
        t = decoded
    return t


@dataclass(frozen=True)
class Received:
    """What a reader receives for one piece of writer text."""

    text: str  # the visible text
    extra: tuple[str, ...] = ()  # link targets and titles (decoded): received, not displayed
    hrefs: tuple[str, ...] = ()  # raw link targets, for fragment checks

    def strings(self) -> Iterator[str]:
        yield self.text
        yield from self.extra


@lru_cache(maxsize=8192)
def received_markdown(text: str) -> Received:
    if not needs_parse(text):
        return Received(" ".join(text.split()))
    visible, attrs = html_text(render_inline(text))
    hrefs = tuple(v for tag, name, v in attrs if tag == "a" and name == "href")
    # Only what the writer controls: markup.sanitise allows `href` and `title` on links.
    extra = tuple(url_text(v) if name == "href" else v for _, name, v in attrs if name != "rel")
    return Received(visible, extra, hrefs)


def received(gt: GradedText) -> Received:
    """What a reader receives for a graded text (see the module docstring, step 1)."""
    if gt.form == MARKDOWN:
        return received_markdown(gt.text)
    if gt.form == URL:
        return Received(url_text(gt.text), (), (gt.text,))
    return Received(gt.text)


# --------------------------------------------------------------------------------------------
# Needles: names and runs of words

# English function words. A run of hidden prose made only of these (plus one content word) is
# not distinctive: "at the end of the" must not make two unrelated sentences a leak.
FUNCTION_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    even ever every few for from further had has have having he her here hers herself him
    himself his how i if in into is it its itself just least less like many may me might more
    most much must my myself neither no nor not now of off on once one only or other others our
    ours ourselves out over own same shall she should since so some such than that the their
    theirs them themselves then there these they this those though through thus to too under
    until up upon us very was we were what when where whether which while who whom whose why
    will with within without would yet you your yours yourself yourselves
    """.split()  # noqa: SIM905 - a word list reads better as words
)


def runs(tokens: Tokens) -> list[tuple[str, ...]]:
    """The distinctive runs of a hidden text: every window of RUN words of prose (a hyphenated
    compound is one word; the window lists its parts) with at least MIN_CONTENT_WORDS words that
    are not function words, or the whole text if it is shorter but as distinctive."""
    ws = tokens.words
    if not ws:
        return []
    starts = tokens.prose_starts
    count = len(starts) - 1
    simple = count == len(ws)  # no compound: word k of prose is ws[k]
    # prefix[k]: how many of the first k words of prose have a word that is not a function word
    prefix = [0]
    total = 0
    if simple:
        for w in ws:
            total += w not in FUNCTION_WORDS
            prefix.append(total)
    else:
        for k in range(count):
            part = ws[starts[k] : starts[k + 1]]
            total += any(w not in FUNCTION_WORDS for w in part)
            prefix.append(total)
    if count < RUN:
        ok = count >= 2 and total >= MIN_CONTENT_WORDS
        return [tuple(ws)] if ok else []
    out: dict[tuple[str, ...], None] = {}
    for a in range(count - RUN + 1):
        if prefix[a + RUN] - prefix[a] >= MIN_CONTENT_WORDS:
            out[tuple(ws[a : a + RUN] if simple else ws[starts[a] : starts[a + RUN]])] = None
    return list(out)


Caps = tuple[bool, ...] | None  # per word: must the reader see it capitalised? None: any case


def name_forms(name: str, match: str) -> list[tuple[tuple[str, ...], Caps]]:
    """Every word sequence that counts as `name` on a page, with its capitalisation rule."""
    ws = tuple(words(name))
    if not ws:
        return []
    caps: Caps = None
    if match == CAPITALISED:
        declared = Tokens(name)
        caps = tuple(declared.capitalised(i) for i in range(len(ws)))
    forms: list[tuple[tuple[str, ...], Caps]] = [(ws, caps)]
    if not is_joined_script(ws[-1]):
        forms.append(((*ws[:-1], ws[-1] + "s"), caps))  # plural, or a slug's possessive
    if len(ws) > 1 and not any(is_joined_script(w) for w in ws):
        joined = "".join(ws)
        joined_caps: Caps = None if caps is None else (caps[0],)
        forms += [((joined,), joined_caps), ((joined + "s",), joined_caps)]
    return forms


T = TypeVar("T")


@dataclass
class Hit(Generic[T]):
    start: int  # word index
    length: int  # in words
    payload: T


@dataclass
class Index(Generic[T]):
    """Word sequences -> payloads. Each text is scanned once, each window looked up once, so
    the cost of a scan does not depend on how many needles there are."""

    _needles: dict[tuple[str, ...], list[tuple[Caps, T]]] = field(default_factory=dict)
    _lengths: dict[str, tuple[int, ...]] | None = None

    def add(self, ws: Sequence[str], payload: T, caps: Caps = None) -> None:
        if ws:
            key = tuple(ws)
            self._needles.setdefault(key, []).append((caps, payload))
            if self._lengths is not None:  # else it is made on the first find()
                self._note_length(key)

    def _note_length(self, key: tuple[str, ...]) -> None:
        # Kept up to date rather than recomputed: `mkdocs serve` adds one film's needles to an
        # index of every film's. After a removal a length may stay listed with no needle left:
        # find() then looks up a window that is not there, which costs a lookup, not a result.
        if self._lengths is not None:
            have = self._lengths.get(key[0], ())
            if len(key) not in have:
                self._lengths[key[0]] = tuple(sorted((*have, len(key)), reverse=True))

    def __len__(self) -> int:
        return len(self._needles)

    def __contains__(self, ws: tuple[str, ...]) -> bool:
        return ws in self._needles

    def keys(self) -> Iterable[tuple[str, ...]]:
        return self._needles.keys()

    def payloads(self, ws: tuple[str, ...]) -> list[T]:
        return [p for _, p in self._needles.get(ws, ())]

    def merge(self, other: Index[T]) -> None:
        """Add every needle of `other`."""
        for key, entries in other._needles.items():
            self._needles.setdefault(key, []).extend(entries)
            self._note_length(key)

    def discard_where(
        self, drop: Callable[[T], bool], keys: Iterable[tuple[str, ...]] | None = None
    ) -> None:
        """Remove every payload for which `drop` is true (and needles left with none), looking
        only under `keys` if given."""
        for key in list(self._needles) if keys is None else keys:
            entries = self._needles.get(key)
            if entries is None:
                continue
            kept = [(c, p) for c, p in entries if not drop(p)]
            if len(kept) != len(entries):
                if kept:
                    self._needles[key] = kept
                else:
                    del self._needles[key]

    def first_words(self) -> Iterable[str]:
        """The first word of every needle: a text without one of them holds no needle."""
        return self._first().keys()

    def _first(self) -> dict[str, tuple[int, ...]]:
        if self._lengths is None:
            lengths: dict[str, set[int]] = {}
            for key in self._needles:
                lengths.setdefault(key[0], set()).add(len(key))
            # Longest first: `Min-hee` is found before `Min` at the same place.
            self._lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        return self._lengths

    def find(self, tokens: Tokens) -> Iterator[Hit[T]]:
        """Every needle among the word windows of `tokens` (its capitalisation rule honoured)."""
        first, needles, ws = self._first(), self._needles, tokens.words
        count = len(ws)
        for i, w in enumerate(ws):
            lengths = first.get(w)
            if lengths is None:
                continue
            for n in lengths:
                if i + n > count:
                    continue
                found = needles.get((w,) if n == 1 else tuple(ws[i : i + n]))
                if not found:
                    continue
                for caps, payload in found:
                    if caps is None or all(
                        tokens.capitalised(i + k) for k, must in enumerate(caps) if must
                    ):
                        yield Hit(i, n, payload)


__all__ = [
    "BLOCK",
    "FUNCTION_WORDS",
    "INLINE_TAGS",
    "RUN",
    "Caps",
    "Hit",
    "HtmlText",
    "Index",
    "Received",
    "Tokens",
    "fold",
    "html_text",
    "name_forms",
    "prose_groups",
    "received",
    "received_markdown",
    "runs",
    "url_text",
    "words",
]
