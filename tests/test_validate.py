"""Unit tests of the semantic rules, the spoiler lint, the ladder and the markup checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.cases import case_film

from mkdocs_plugins.spoilers.diagnostics import Severity
from mkdocs_plugins.spoilers.lint import lint_film as lint_film_rules
from mkdocs_plugins.spoilers.load import load_film
from mkdocs_plugins.spoilers.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    check_inline,
    render_inline,
    to_plain,
    url_is_safe,
)
from mkdocs_plugins.spoilers.model import DEFAULT_LEVELS, Film, Ladder, LadderError
from mkdocs_plugins.spoilers.validate import validate_film
from mkdocs_plugins.spoilers.visible import Index, Tokens, name_forms

LADDER = Ladder.from_config(None)
FilmText = Callable[..., str]


def load(content_dir: Path, text: str, name: str = "sample-2020.yml") -> Film:
    path = content_dir / "films" / name
    path.write_text(text, encoding="utf-8")
    film, diags = load_film(path, content_dir)
    assert film is not None, diags
    assert diags == []
    return film


def codes_at(film: Film, ladder: Ladder = LADDER) -> list[tuple[str, int, int]]:
    return sorted((d.code, d.line, d.col) for d in validate_film(film, ladder))


# ------------------------------------------------------------------ validate_film


def test_valid_film_has_no_diagnostics(content_dir: Path, valid_film_text: FilmText) -> None:
    film = load(content_dir, valid_film_text())
    assert validate_film(film, LADDER) == []


def test_diagnostics_carry_the_film_path(
    content_dir: Path, valid_film_text: FilmText, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(content_dir.parent)
    text = valid_film_text().replace("level: setup, text", "level: finale, text")
    (d,) = validate_film(load(content_dir, text), LADDER)
    assert (d.path, d.code, d.severity) == (
        "content/films/sample-2020.yml",
        "unknown-level",
        Severity.ERROR,
    )
    assert "use one of: none, setup, middle, climax, ending" in d.message


def test_a_different_ladder_changes_what_is_known(
    content_dir: Path, valid_film_text: FilmText
) -> None:
    film = load(content_dir, valid_film_text())
    ladder = Ladder.from_config([{"id": "none"}, {"id": "middle"}, {"id": "end"}])
    assert codes_at(film, ladder) == [("unknown-level", 35, 35)]  # the `setup` fact


def test_unused_source_is_a_warning(content_dir: Path, valid_film_text: FilmText) -> None:
    text = valid_film_text().replace(
        "entities:\n", "  - {id: spare, title: Spare, kind: other}\nentities:\n"
    )
    (d,) = validate_film(load(content_dir, text), LADDER)
    assert (d.code, d.severity, d.is_error) == ("unused-source", Severity.WARNING, False)


def test_unknown_levels_do_not_cascade(content_dir: Path, valid_film_text: FilmText) -> None:
    """An unknown section/entity level is reported once; the rules built on it stay quiet."""
    text = (
        valid_film_text()
        .replace(
            "    level: middle\n    title: Who hired her?",
            "    level: act-two\n    title: Who hired her?",
        )
        .replace("introduced: middle", "introduced: act-two")
    )
    got = codes_at(load(content_dir, text))
    assert [c for c, *_ in got] == ["unknown-level", "unknown-level"]


def test_fact_below_section_and_description_before_introduced(
    content_dir: Path, valid_film_text: FilmText
) -> None:
    text = (
        valid_film_text()
        .replace("{id: hired, level: middle", "{id: hired, level: setup")
        .replace("{level: middle, text: The man", "{level: setup, text: The man")
    )
    got = [c for c, *_ in codes_at(load(content_dir, text))]
    assert got.count("fact-below-section") == 1
    assert got.count("description-before-introduced") == 1
    # The fact now sits at `setup` and names Mr Vance: the lint says so too.
    assert got.count("spoiler-entity") == 1


def test_year_mismatch(content_dir: Path, valid_film_text: FilmText) -> None:
    text = valid_film_text().replace("year: 2020", "year: 2021")
    assert codes_at(load(content_dir, text)) == [("year-mismatch", 2, 5)]


def test_spoiler_message_names_the_level_and_entity(
    content_dir: Path, valid_film_text: FilmText
) -> None:
    text = valid_film_text().replace("She once worked", "She once worked for mr  vance and")
    (d,) = validate_film(load(content_dir, text), LADDER)
    assert d.code == "spoiler-entity"
    assert "shown at `setup`" in d.message
    assert "names `Mr Vance`" in d.message  # the name as declared, whatever the text's spelling
    assert "entity `the-client`, introduced at `middle`" in d.message


FIRST_LEVEL_KINDS = (
    "film-id",
    "title",
    "credits",
    "premise",
    "verdict",
    "cast",
    "cast-role",
    "source-id",
    "source",
    "reception",
    "content-note",
)


def test_graded_texts_cover_every_kind(content_dir: Path) -> None:
    text = case_film("good-new-fields")
    film = load(content_dir, text)
    kinds = {g.kind for g in film.graded_texts(LADDER)}
    assert kinds == {
        *FIRST_LEVEL_KINDS,
        "source-title",
        "source-url",
        "entity-name",
        "description",
        "recap",
        "section-id",
        "section-title",
        "fact",
        "disagreement",
        "claim",
        "meaning",
    }
    first = LADDER.first.id
    for g in film.graded_texts(LADDER):
        if g.kind in FIRST_LEVEL_KINDS:
            assert g.level == first, g
        if g.kind == "meaning":
            assert g.level == LADDER.last.id
    titles = {g.text: g.level for g in film.graded_texts(LADDER) if g.kind == "source-title"}
    assert titles == {"Sample review": "none", "Sample explained": "middle"}


# ------------------------------------------------------------------ name matching


@pytest.mark.parametrize(
    ("name", "text", "hit"),
    [
        ("Min-hee", "min hee", True),
        ("Min-hee", "MIN-HEE", True),
        ("Min-hee", "how does min hee die", True),  # a section id, hyphens read as spaces
        ("Min-hee", "Min - hee", True),
        ("Min-hee", "Min\nhee", True),
        ("Min-hee", "minhee", True),  # the words joined, as a soft hyphen would show them
        ("Min hee", "min-hee", True),
        ("Choi", "Choi's", True),
        ("Choi", "Choi\u2019s", True),
        ("Choi", "(Choi)", True),
        ("Choi", "Choi-like", True),
        ("Choi", "Choir", False),
        ("Choi", "a choice", False),
        ("Choi", "Choi2", False),
        ("Choi", "_choi", True),  # an underscore separates words: err towards catching
        ("Choi", "Lee Choi", True),
        ("Dr. No", "dr. no", True),
        ("Dr. No", "dr no", True),  # punctuation inside a name does not count: err towards catching
        ("the pier", "the piers", True),  # a plural is the same thing
        ("the pier", "THE PIER.", True),
        ("Olaf", "olafs-boat", True),  # a slug's possessive
        ("Éric", "éric", True),
        ("Éric", "Eric", True),  # a dropped diacritic
        ("Éric", "Érica", False),
        ("Ok-ju", "ok ju's", True),
        ("a+b (c)", "A+B (C)", True),  # regex metacharacters mean nothing
        ("a+b (c)", "aab (c)", False),
    ],
)
def test_entity_names_match_whole_words(name: str, text: str, hit: bool) -> None:
    """The shared matcher (visible.py), as the lint and the audit use it."""
    index: Index[str] = Index()
    for ws, caps in name_forms(name, "any-case"):
        index.add(ws, name, caps)
    assert bool(list(index.find(Tokens(text)))) is hit


# ------------------------------------------------------------------ the lint on a film


@pytest.fixture
def lint_film(content_dir: Path) -> Film:
    text = (
        (Path(__file__).parent / "cases" / "good-base" / "films" / "sample-2020.yml")
        .read_text()
        .replace(
            "  - id: the-client\n",
            "  - id: the-pier\n    kind: place\n    names: [the pier]\n    introduced: climax\n"
            "  - id: min\n    kind: character\n    names: [Min, Min-hee]\n    introduced: setup\n"
            "  - id: the-client\n",
        )
    )
    return load(content_dir, text)


def test_lint_reports_each_entity_once_per_text(lint_film: Film) -> None:
    """One message per hidden entity a text names, longest name first."""
    texts = [gt for gt in lint_film.graded_texts(LADDER) if gt.kind == "premise"]
    assert texts
    diags = lint_film_rules(
        replace(
            lint_film,
            premise="Mara met MR VANCE, Min-hee and the client at the pier; Choir, Minx.",
        ),
        LADDER,
    ).diagnostics
    said = sorted(d.message.split("names `")[1].split("`")[0] for d in diags)
    assert said == ["Min-hee", "Mr Vance", "the pier"]  # the longest name at each place
    assert all(d.code == "spoiler-entity" for d in diags)


def test_lint_skips_unknown_levels(content_dir: Path, valid_film_text: FilmText) -> None:
    text = valid_film_text().replace("introduced: middle", "introduced: act-two")
    diags = validate_film(load(content_dir, text), LADDER)
    assert [d.code for d in diags] == ["unknown-level"]


# ------------------------------------------------------------------ Ladder


def test_default_ladder() -> None:
    assert LADDER.ids == tuple(lv["id"] for lv in DEFAULT_LEVELS)
    assert LADDER.first.id == "none"
    assert LADDER.rank("climax") == 3
    assert LADDER.last.id == "ending"
    assert "middle" in LADDER and "finale" not in LADDER


def test_ladder_labels_default_to_the_id() -> None:
    ladder = Ladder.from_config([{"id": "free"}, {"id": "all", "label": "Everything"}])
    assert [(lv.id, lv.label, lv.description) for lv in ladder.levels] == [
        ("free", "free", ""),
        ("all", "Everything", ""),
    ]


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([], "at least two levels"),
        ([{"id": "only"}], "at least two levels"),
        ([{"id": "a"}, {"id": "b"}, {"id": "a"}], "repeated: a"),
        ([{"id": "Setup"}, {"id": "b"}], "lowercase"),
        ([{"id": "1st"}, {"id": "b"}], "lowercase slug"),
        ([{"id": ""}, {"id": "b"}], "lowercase slug"),
        ([{"id": "a b"}, {"id": "b"}], "lowercase slug"),
        ([{"id": "a_b"}, {"id": "b"}], "lowercase slug"),
        ([{"id": "a", "label": "  "}, {"id": "b"}], "needs a label"),
        ([{"label": "No id"}, {"id": "b"}], "needs an `id`"),
        (["none", "setup"], "needs an `id`"),
        ([None, {"id": "b"}], "needs an `id`"),
    ],
)
def test_ladder_errors(levels: list[object], message: str) -> None:
    with pytest.raises(LadderError, match=re.escape(message)):
        Ladder.from_config(levels)  # type: ignore[arg-type]


def test_ladder_error_is_a_value_error() -> None:
    assert issubclass(LadderError, ValueError)


def test_ladder_ids_match_the_schema_pattern() -> None:
    with pytest.raises(LadderError):
        Ladder.from_config([{"id": "ça"}, {"id": "b"}])


# ------------------------------------------------------------------ url_is_safe


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a?b=c#d",
        "http://example.com",
        "HTTPS://EXAMPLE.COM",
        "/films/ballerina-2023/",
        "#who-is-choi",
        "other/page/",
        "../up/",
        "?q=1",
        "  https://example.com  ",
    ],
)
def test_safe_urls(url: str) -> None:
    assert url_is_safe(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "mailto:a@example.com",
        "tel:123",
        "ftp://example.com/",
        "file:///etc/passwd",
        "//evil.example/",
        "\\\\evil.example\\x",
        "https://example.com/a b",
        "https://example.com/\u202e",
        "https://example.com/\x00",
    ],
)
def test_unsafe_urls(url: str) -> None:
    assert not url_is_safe(url)


def test_slash_backslash_is_protocol_relative() -> None:
    assert not url_is_safe("/\\evil.example")


# ------------------------------------------------------------------ check_inline


@pytest.mark.parametrize(
    "text",
    [
        "Plain words.",
        "*em*, _em_, **strong**, `code` and a [link](https://example.com).",
        "A [site link](/films/x/), a [fragment](#a) and a [page](other/).",
        "An autolink <https://example.com>.",
        "Line one\nline two (a soft break).",
        "Hard  \nbreak.",
        "5 < 6 > 4 and a <3 heart, Tom &amp; Jerry, C# and F#.",
        "[A titled link](https://example.com 'A title').",
    ],
)
def test_inline_markdown_is_fine(text: str) -> None:
    assert check_inline(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("<script>alert(1)</script>", "markup-html"),
        ("a <img src=x onerror=alert(1)> b", "markup-html"),
        ("<div>block</div>", "markup-html"),
        ("a <!-- comment --> b", "markup-html"),
        ("<b>bold</b>", "markup-html"),
        ("# Heading", "markup-block"),
        ("Title\n=====", "markup-block"),
        ("- item", "markup-block"),
        ("1. item", "markup-block"),
        ("> quote", "markup-block"),
        ("```\ncode\n```", "markup-block"),
        ("    indented code", "markup-block"),
        ("***", "markup-block"),
        ("one\n\ntwo", "markup-block"),
        ("![image](https://example.com/i.png)", "markup-block"),
        ("[x](//evil.example)", "markup-url"),
        ("[x](mailto:a@example.com)", "markup-url"),
        ("[x](ftp://example.com)", "markup-url"),
        ("javascript:alert(1)", "markup-url"),
        ("right\u202eleft", "markup-control"),
        ("isolate\u2066x\u2069", "markup-control"),
        ("bell\x07", "markup-control"),
        ("c1\x9b", "markup-control"),
        ("del\x7f", "markup-control"),
    ],
)
def test_inline_problems(text: str, code: str) -> None:
    assert code in {p.code for p in check_inline(text)}


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "see <javascript:alert(1)>",
        "[x]: javascript:alert(1)\n[x]",
    ],
)
def test_unsafe_links_are_reported(text: str) -> None:
    assert "markup-url" in {p.code for p in check_inline(text)}


def test_plain_text_checks() -> None:
    assert check_inline("Who is <b>Choi</b>?", markdown=False)[0].code == "markup-html"
    assert check_inline("a < b, 5 <3", markdown=False) == []
    assert check_inline("# not a heading in plain text", markdown=False) == []
    assert check_inline("x\u202ey", markdown=False)[0].code == "markup-control"


def test_each_problem_has_a_message() -> None:
    for p in check_inline("<b>x</b>\n\n# h\n\n[x](//e) \u202e"):
        assert p.message and p.code.startswith("markup-")


# ------------------------------------------------------------------ render_inline


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](//evil.example)",
    '[x](https://ok.example "a" onmouseover="alert(1)")',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example>",
    "![img](https://example.com/x.png)",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "`<script>`",
    "*<b onmouseover=alert(1)>x</b>*",
    "<style>body{}</style>",
    "[x](<javascript:alert(1)>)",
    '<https://ok.example/"onmouseover="alert(1)>',
]


@pytest.mark.parametrize("text", NASTY)
def test_render_inline_is_sanitised(text: str) -> None:
    html = render_inline(text)
    parser = _Collector()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, html
            if name == "href":
                assert value is not None
                assert re.match(r"^(https?:|/|#|[^:]*$)", value), html
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<svg" not in lowered
    assert not re.search(r"<[^>]*\son\w+\s*=", lowered), html


def test_render_inline_output() -> None:
    assert render_inline("*a* **b** `c`") == "<em>a</em> <strong>b</strong> <code>c</code>"
    assert render_inline("[a](https://example.com)") == (
        '<a href="https://example.com" rel="noopener noreferrer">a</a>'
    )
    assert render_inline("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert render_inline("  padded  ") == "padded"


def test_to_plain() -> None:
    assert to_plain("*a* **b** `c` [d](https://example.com)") == "a b c d"
    assert to_plain("one\ntwo  \nthree") == "one two three"
    assert to_plain("Tom &amp; Jerry") == "Tom & Jerry"
    assert to_plain("  spaced   out  ") == "spaced out"
    assert to_plain("") == ""
