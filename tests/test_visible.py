# ruff: noqa: RUF001 - look-alike letters on purpose
"""The one definition of what a reader sees (visible.py): disguised names are still names, and
names that are ordinary words do not make false alarms, in the lint and in the audit alike."""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.paths import LADDER
from support.sites import build, write_site

from mkdocs_plugins.spoilers.audit import audit
from mkdocs_plugins.spoilers.audit.page import PageReader
from mkdocs_plugins.spoilers.markup import check_inline, render_inline
from mkdocs_plugins.spoilers.validate import check
from mkdocs_plugins.spoilers.visible import Index, Tokens, name_forms, received_markdown, words

# -- disguised names, generated ----------------------------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u034f", "\ufe0f", "\u2062"]
INVISIBLE += ["\U000e0041", "\u200e", "\u3164"]
LOOKALIKE = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і"}
LOOKALIKE |= {"A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О"}
LOOKALIKE |= {"P": "Р", "T": "Т", "X": "Х"}


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    """(a name, the name as a writer might disguise it in inline Markdown)."""
    word = draw(st.from_regex(r"[A-Z][a-z]{3,8}", fullmatch=True))
    wrap = draw(st.sampled_from(["", "*", "**", "`"]))
    # Inside a code span a reference stays literal text ("&#97;"), so it disguises nothing there.
    kinds = ["plain", "look", "wide", "accent", "case"] + (["ref"] if wrap != "`" else [])
    chars = list(word)
    out: list[str] = []
    for i, ch in enumerate(chars):
        kind = draw(st.sampled_from(kinds))
        if kind == "look" and ch in LOOKALIKE:
            ch = LOOKALIKE[ch]
        elif kind == "wide":
            ch = chr(ord(ch) + 0xFEE0)
        elif kind == "accent" and ch.isalpha():
            ch = (
                unicodedata.normalize("NFD", ch + "\u0301")
                if draw(st.booleans())
                else ch + "\u0308"
            )
        elif kind == "ref":
            ch = f"&#{ord(ch)};" if draw(st.booleans()) else f"&#x{ord(ch):x};"
        elif kind == "case":
            ch = ch.swapcase()
        out.append(ch)
        if i < len(chars) - 1 and draw(st.booleans()):
            out.append(draw(st.sampled_from(INVISIBLE)))
    split = draw(st.integers(0, len(out)))
    text = "".join(out)
    if wrap and 0 < split < len(out):
        text = "".join(out[:split]) + wrap + "".join(out[split:]) + wrap
    return word, text


def finds(name: str, text: str) -> bool:
    index: Index[str] = Index()
    for ws, caps in name_forms(name, "any-case"):
        index.add(ws, name, caps)
    return any(True for _ in index.find(Tokens(text)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=disguised())
def test_a_disguised_name_is_the_name_for_the_lint_and_the_audit(case: tuple[str, str]) -> None:
    name, text = case
    source = f"They met {text} at dawn."
    if any(p.code != "markup-control" for p in check_inline(source)):
        return  # refused as unsafe markup anyway
    # The lint: what the reader receives from the writer's text.
    assert finds(name, received_markdown(source).text), source
    # The audit: the same text as it arrives on a built page, read by the page reader.
    reader = PageReader()
    reader.feed(f"<article><p>{render_inline(source)}</p></article>")
    reader.close()
    assert any(finds(name, text) for _, text in reader.segments()), source


def test_escaped_text_is_not_decoded_twice() -> None:
    """A plain field reaches the page escaped: `&#65;nsel` shows literally, not as Ansel."""
    page = html.escape("&#65;nsel")
    reader = PageReader()
    reader.feed(f"<p>{page}</p>")
    reader.close()
    assert not any(finds("Ansel", text) for _, text in reader.segments())


# -- names that are ordinary words -----------------------------------------------------------

ORDINARY = """\
id: ordinary-words-2021
title: The Keeper
year: 2021
director: Jane Doe
runtime_minutes: 90
release: {date: "2021-01-01"}
premise: "A keeper may stay, and will not leave the island; there is hope, and a widow's walk."
premise_sources: [src-a]
sources:
  - {id: src-a, title: A review, kind: review}
entities:
  - {id: may, kind: character, names: [May], introduced: climax, match: capitalised}
  - {id: will, kind: character, names: [Will], introduced: climax, match: capitalised}
  - {id: hope, kind: character, names: [Hope], introduced: ending, match: capitalised}
  - {id: widow, kind: character, names: [the Widow], introduced: middle, match: capitalised}
sections:
  - id: what-is-it
    level: none
    title: What kind of film is it?
    facts:
      - {id: f1, level: none, text: "You may like it; it will surprise you.", sources: [src-a]}
  - id: who-returns
    level: climax
    title: Who returns?
    facts:
      - {id: f2, level: climax, text: "May and Will return to meet the Widow.", sources: [src-a]}
      - {id: f3, level: ending, text: "Hope was waiting on the shore.", sources: [src-a]}
"""
DOCS = {
    "docs/about.md": "# About\n\nYou may read any level; we will never hope to spoil it.\n"
    "A widow's walk is a rooftop platform.\n"
}


def test_ordinary_words_pass_the_lint(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"ordinary-words-2021": ORDINARY}, files=DOCS)
    result = check([], root / "content", LADDER)
    assert [d.code for d in result.diagnostics] == []


def test_a_capitalised_name_is_still_caught(tmp_path: Path) -> None:
    text = ORDINARY.replace("You may like it", "May may like it")
    root = write_site(tmp_path, {"ordinary-words-2021": text})
    codes = [d.code for d in check([], root / "content", LADDER).diagnostics]
    assert codes == ["spoiler-entity"]


@pytest.mark.build
def test_ordinary_words_make_no_false_alarm_in_the_audit(tmp_path: Path) -> None:
    """Docs pages, Material's search stop-word lists and source maps, and the templates say may,
    will and hope: none of it is a leak of May, Will or Hope."""
    root = write_site(
        tmp_path,
        {"ordinary-words-2021": ORDINARY},
        files=DOCS,
        config={"nav": ["index.md", "about.md"]},
    )
    site = build(root)
    films = check([], root / "content", LADDER).films
    result = audit(site, films, LADDER)
    assert result.leaks == [], [x.line() for x in result.leaks]
    assert result.theme_files > 10  # Material's own files, stop-word lists included, recognised


@pytest.mark.build
def test_the_default_matching_is_the_safe_one(tmp_path: Path) -> None:
    """Without `match: capitalised`, "may" in a docs page is taken for May: a false alarm the
    writer fixes by saying how the name is matched, never a leak let through."""
    text = ORDINARY.replace(
        "names: [May], introduced: climax, match: capitalised", "names: [May], introduced: climax"
    ).replace("A keeper may stay, and", "A keeper stays, and")
    root = write_site(
        tmp_path,
        {"ordinary-words-2021": text.replace("You may like it; ", "")},
        files=DOCS,
        config={"nav": ["index.md", "about.md"]},
    )
    films = check([], root / "content", LADDER)
    assert films.diagnostics == []
    site = build(root)
    leaks = audit(site, films.films, LADDER).leaks
    assert {x.file for x in leaks} >= {"about/index.html"}


@pytest.mark.build
def test_a_name_inside_a_fixed_phrase_of_the_theme_is_not_a_leak(tmp_path: Path) -> None:
    """A character called Skip: Material writes "Skip to content" on every page."""
    text = ORDINARY.replace(
        "  - {id: may,",
        "  - {id: skip, kind: character, names: [Skip], introduced: ending}\n  - {id: may,",
    )
    root = write_site(tmp_path, {"ordinary-words-2021": text})
    films = check([], root / "content", LADDER)
    assert films.diagnostics == []
    site = build(root)
    assert "Skip to content" in (site / "index.html").read_text(encoding="utf-8")
    assert audit(site, films.films, LADDER).leaks == []
    # ...but the name itself, outside the phrase, is caught.
    page = site / "films" / "ordinary-words-2021" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</article>", "<p>Skip dies.</p></article>")
    )
    assert [x.what for x in audit(site, films.films, LADDER).leaks] == ["skip(Skip)@ending"]


# ------------------------------------------------------------------ the quick paths agree


_MARKUPISH = st.lists(
    st.sampled_from(
        [*"ab Z9:#-+>~=*_`[]<>&;\\\n\r\t1.)'\u2019\u00e9\u200b", "javascript:", "DATA:"]
    ),
    max_size=16,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_MARKUPISH)
def test_text_that_skips_the_parse_is_received_as_the_parse_gives_it(text: str) -> None:
    """`needs_parse` lets plain prose skip markdown-it: only where the full parse would show
    the same words, and check_inline would find nothing to object to."""
    from mkdocs_plugins.spoilers.markup import needs_parse
    from mkdocs_plugins.spoilers.visible import Received, html_text

    if needs_parse(text):
        return
    visible, attrs = html_text(render_inline(text))
    assert attrs == []
    assert Received(" ".join(visible.split())) == received_markdown(text)
    assert {p.code for p in check_inline(text)} <= {"markup-control"}


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_text_is_split_into_the_words_the_full_tokenizer_finds(text: str) -> None:
    from mkdocs_plugins.spoilers.visible import _ASCII_TOKEN, _TOKEN

    assert _ASCII_TOKEN.findall(text) == _TOKEN.findall(text)


_PHRASES = ["Min-hee", "Min", "Ok-ju", "the Ballerina", "Choi", "Pro Choi", "Chef Choi"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["add", "drop", "merge"]), st.integers(0, 3), st.sampled_from(_PHRASES)
        ),
        max_size=30,
    )
)
def test_an_index_changed_in_place_finds_what_a_fresh_one_finds(
    ops: list[tuple[str, int, str]],
) -> None:
    # `mkdocs serve` keeps one index of every film's names and changes it one film at a time.
    index: Index[int] = Index()
    text = Tokens(" and ".join(_PHRASES))
    list(index.find(text))  # from here on the index keeps its lookup table up to date
    live: list[tuple[tuple[str, ...], int]] = []
    for op, film, phrase in ops:
        ws = tuple(words(phrase))
        if op == "add":
            index.add(ws, film)
            live.append((ws, film))
        elif op == "merge":
            other: Index[int] = Index()
            other.add(ws, film)
            index.merge(other)
            live.append((ws, film))
        else:
            index.discard_where(lambda f, film=film: f == film, [ws])  # type: ignore[misc]
            live = [(w, f) for w, f in live if (w, f) != (ws, film)]
        fresh: Index[int] = Index()
        for w, f in live:
            fresh.add(w, f)
        key = lambda h: (h.start, h.length, h.payload)  # noqa: E731
        assert sorted(map(key, index.find(text))) == sorted(map(key, fresh.find(text)))
