"""The leak audit on real built sites: two films built strictly by the real plugin, then one
planted leak at a time, each of which must be caught on its channel.

The first film carries one marker word per level (zarnowick at none, quillfeather at setup,
brambleton at middle, obsidrake at climax, mirelunde at ending) and an entity introduced at
`middle`. The site is built once per module; each test audits its own copy.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from reporting import report
from support.paths import LADDER
from support.sites import build, write_site

from mkdocs_plugins.spoilers.audit import Leak, audit
from mkdocs_plugins.spoilers.cli import run_audit
from mkdocs_plugins.spoilers.hidden import hidden_runs, read_texts
from mkdocs_plugins.spoilers.model import Film
from mkdocs_plugins.spoilers.urls import level_file, reveal_file
from mkdocs_plugins.spoilers.validate import check
from mkdocs_plugins.spoilers.visible import fold, words

pytestmark = pytest.mark.build

FILM = "lantern-keeper-2024"
OTHER = "quiet-harbour-2023"
SITE_URL = "https://example.com/"

FILM_YAML = """\
# yaml-language-server: $schema=../schema/film.schema.json
id: lantern-keeper-2024
title: The Lantern Keeper
year: 2024
director: Jane Director
runtime_minutes: 101
release: {date: "2024-03-01", platform: cinemas}
details_sources: [src-a]
premise: "A lighthouse keeper on a remote island finds a sealed letter washed up by the tide."
premise_sources: [src-a]
cast:
  - {entity: vexley, actor: Sam Actorson, sources: [src-a]}
sources:
  - {id: src-a, title: A review of the lighthouse film, kind: review}
entities:
  - id: vexley
    kind: character
    names: [Vexley Quorn, the cartographer]
    introduced: middle
    descriptions:
      - level: middle
        text: "A mapmaker who arrives on the brambleton supply boat."
        sources: [src-a]
sections:
  - id: what-kind-of-film-is-it
    level: none
    title: What kind of film is it?
    facts:
      - id: genre
        level: none
        text: "A slow coastal mystery with almost no dialogue, shot around zarnowick bay."
        sources: [src-a]
  - id: who-wrote-the-letter
    level: setup
    title: Who wrote the letter?
    facts:
      - id: letter-author
        level: setup
        text: "The letter was written by an estranged sister who signs it quillfeather."
        sources: [src-a]
  - id: what-is-in-the-cellar
    level: middle
    title: What is hidden in the cellar?
    facts:
      - id: cellar
        level: middle
        text: "Vexley Quorn has been hiding maps of the brambleton reef in the cellar."
        sources: [src-a]
  - id: who-lights-the-last-lamp
    level: climax
    title: Who lights the last lamp?
    facts:
      - id: last-lamp
        level: climax
        text: >-
          During the storm the keeper's daughter climbs the tower and lights the obsidrake
          lamp.
        sources: [src-a]
      - id: watch
        level: climax
        text: "Only a lighthouse keeper on watch could have seen the signal from the wreck."
        sources: [src-a]
  - id: what-happens-to-the-island
    level: ending
    title: What happens to the island?
    facts:
      - id: island-fate
        level: ending
        text: >-
          In the final scene the keeper's daughter burns her father's last letter in the
          mirelunde fog.
        sources: [src-a]
      - id: echo
        level: ending
        text: "The film ends where it began, with the keeper alone again on her rock."
        sources: [src-a]
disagreements:
  - id: sister-fate
    level: climax
    section: who-lights-the-last-lamp
    topic: Does the sister survive the storm?
    claims:
      - {text: "One review says the sister drowns off the obsidrake rocks.", sources: [src-a]}
      - {text: "Another says she is rescued by a passing trawler.", sources: [src-a]}
"""

OTHER_YAML = """\
# yaml-language-server: $schema=../schema/film.schema.json
id: quiet-harbour-2023
title: Quiet Harbour
year: 2023
director: John Director
runtime_minutes: 88
release: {date: "2023-06-01"}
premise: "A mapmaker returns to the harbour town where she grew up."
premise_sources: [src-b]
sources:
  - {id: src-b, title: A harbour review, kind: review}
sections:
  - id: what-kind-of-film-is-it
    level: none
    title: What kind of film is it?
    facts:
      - {id: genre, level: none, text: "A gentle drama about walruses and old maps.",
         sources: [src-b]}
  - id: why-did-she-leave
    level: setup
    title: Why did she leave?
    facts:
      - {id: left, level: setup, text: "She left after a fire destroyed the axolotl cannery.",
         sources: [src-b]}
"""

HIDDEN_FACT = (  # `last-lamp`, at climax
    "During the storm the keeper's daughter climbs the tower and lights the obsidrake lamp."
)
HIDDEN_TITLE = "Who lights the last lamp?"  # the climax section's title
HIDDEN_ID = "who-lights-the-last-lamp"
DOCS = {"docs/levels.md": "# How levels work\n\nEach level adds to the one before.\n"}


# --------------------------------------------------------------------------------------------
# A real site


@dataclass
class Site:
    root: Path  # the built site
    content: Path
    films: list[Film]

    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        p = self.path(rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def insert(self, rel: str, before: str, text: str) -> None:
        old = self.read(rel)
        assert before in old, f"{before!r} not in {rel}"
        self.write(rel, old.replace(before, text + before, 1))

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def leaks(self) -> list[Leak]:
        return audit(self.root, self.films, LADDER).leaks


def e(text: str) -> str:
    return html.escape(text, quote=True)


def page_rel(film_id: str, rank: int) -> str:
    """The file holding a level's text: the first level's page, or reveal.html above it."""
    return reveal_file(film_id, LADDER.ids[rank], LADDER)


def gate_rel(film_id: str, rank: int) -> str:
    """A level's own address: the gate (shared: a visitor of a shared link receives it)."""
    return level_file(film_id, LADDER.ids[rank], LADDER)


FIRST = page_rel(FILM, 0)
SETUP = page_rel(FILM, 1)
MIDDLE = page_rel(FILM, 2)
CLIMAX = page_rel(FILM, 3)
ENDING = page_rel(FILM, 4)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = write_site(
        tmp_path_factory.mktemp("audit") / "src",
        {FILM: FILM_YAML, OTHER: OTHER_YAML},
        config={"site_url": SITE_URL, "nav": ["index.md", "levels.md"]},
        files=DOCS,
    )
    site = build(root)
    result = check([], root / "content", LADDER)
    assert not result.diagnostics, result.diagnostics
    return Site(site, root / "content", result.films)


@pytest.fixture
def site(built: Site, tmp_path: Path) -> Site:
    copy = tmp_path / "site"
    shutil.copytree(built.root, copy)
    return Site(copy, built.content, built.films)


# --------------------------------------------------------------------------------------------
# Clean site


def test_clean_site_passes(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    assert site.leaks() == []
    assert run_audit(site.root, site.content, LADDER) == 0
    out, err = capsys.readouterr()
    assert out == ""
    m = re.fullmatch(
        r"spoilers audit: 2 films x 5 levels, (\d+) files \((\d+) identical to theme files\), "
        r"(\d+) needles, (\d+) checks: 0 leak\(s\)\n",
        err,
    )
    assert m, err
    files, theme, needles, checks = map(int, m.groups())
    assert theme > 10 and files > theme + 10  # Material's assets are recognised as the theme's
    assert needles > 20 and checks >= 2 * 5 * (files - theme - 10)


def test_four_words_in_a_row_are_not_a_leak(site: Site) -> None:
    """Hidden facts share words with visible text, but no distinctive run of five."""
    site.insert(FIRST, "</article>", "<p>She climbs the tower and waves at the boats.</p>")
    site.insert(FIRST, "</article>", "<p>The daughter climbs the stairs of the storm tower.</p>")
    assert site.leaks() == []


def test_runs_of_function_words_are_not_needles(built: Site) -> None:
    film = built.films[[f.id for f in built.films].index(FILM)]
    runs = {ws for ws, _ in hidden_runs(film, read_texts(film, LADDER))}
    assert tuple(words("keeper's daughter climbs the tower")) in runs
    assert not any(all(w in {"the", "of", "and", "on", "a", "in"} for w in r) for r in runs)


def test_normalisation() -> None:
    assert fold("\uff2f\uff22\uff33\uff29\uff24\uff32\uff21\uff2b\uff25") == "obsidrake"
    assert words("The Keeper\u2019s  DAUGHTER\u2014climbs\n\u201cthe\u201d tower!") == [
        "the",
        "keeper",
        "daughter",
        "climbs",
        "the",
        "tower",
    ]
    assert words(html.unescape("keeper&#39;s")) == words("keeper's")
    assert words("Vex\u00adley Quorn") == ["vexley", "quorn"]
    assert words("Min-hee") == words("min hee")


# Planted leaks: one per channel


@dataclass(frozen=True)
class Plant:
    id: str
    apply: Callable[[Site], None]
    channel: str
    kind: str
    level: str = "none"
    film: str = FILM
    file: str | None = None

    def caught_by(self, leaks: list[Leak]) -> list[Leak]:
        return [
            leak
            for leak in leaks
            if leak.channel == self.channel
            and leak.kind == self.kind
            and leak.level == self.level
            and leak.film == self.film
            and (self.file is None or leak.file == self.file)
        ]


def _body(rel: str, snippet: str) -> Callable[[Site], None]:
    return lambda s: s.insert(rel, "</article>", snippet)


def _head(rel: str, snippet: str) -> Callable[[Site], None]:
    return lambda s: s.insert(rel, "</head>", snippet)


def _set_title(s: Site) -> None:
    text = s.read(FIRST)
    s.write(FIRST, re.sub(r"<title>.*?</title>", f"<title>{e(HIDDEN_FACT)}</title>", text))


def _toc(s: Site) -> None:
    text = s.read(FIRST)
    m = re.search(r'<nav class="md-nav md-nav--secondary"[^>]*>', text)
    assert m, "no table of contents on the page"
    item = (
        f'<ul><li class="md-nav__item"><a href="#" class="md-nav__link">'
        f'<span class="md-ellipsis">{e(HIDDEN_TITLE)}</span></a></li></ul>'
    )
    s.write(FIRST, text[: m.end()] + item + text[m.end() :])


def _search_doc(doc: dict[str, str]) -> Callable[[Site], None]:
    def apply(s: Site) -> None:
        data = json.loads(s.read("search/search_index.json"))
        data["docs"].append(doc)
        s.write("search/search_index.json", json.dumps(data))

    return apply


def _sitemap_entry(s: Site) -> None:
    s.insert(
        "sitemap.xml", "</urlset>", f"<url>\n<loc>{SITE_URL}films/{FILM}/setup/</loc>\n</url>\n"
    )


def _sitemap_gz(s: Site) -> None:
    xml = s.read("sitemap.xml").replace(
        "</urlset>", f"<url><loc>{SITE_URL}films/{FILM}/climax/</loc></url></urlset>"
    )
    s.path("sitemap.xml.gz").write_bytes(gzip.compress(xml.encode("utf-8")))


def _js_asset(s: Site) -> None:
    text = HIDDEN_FACT.replace("'", "\\u2019")
    s.write("assets/javascripts/extra.js", f'window.__x = {{note: "{text}"}};\n')


def _json_asset(s: Site) -> None:
    s.write("assets/extra.json", json.dumps({"items": [{"note": HIDDEN_FACT}]}))


def _no_noindex(s: Site) -> None:
    s.replace(SETUP, '<meta name="robots" content="noindex">', "")


def _no_canonical(s: Site) -> None:
    s.replace(
        MIDDLE,
        f'<link rel="canonical" href="{SITE_URL}films/{FILM}/">',
        f'<link rel="canonical" href="{SITE_URL}films/{FILM}/middle/">',
    )


def _preview_dir(s: Site) -> None:
    s.write(f"films/{FILM}/preview/index.html", "<html><body><p>preview</p></body></html>")


def _paraphrase(s: Site) -> None:
    # `island-fate` (ending), with changed case, punctuation, curly quotes, an entity for the
    # apostrophe, and extra whitespace and newlines.
    s.insert(
        SETUP,
        "</article>",
        "<p>IN THE FINAL   scene,\n the Keeper&#39;s daughter \u2014\n\n burns her "
        "\u201cFATHER\u2019S\u201d last-letter\tin the Mirelunde fog!!</p>",
    )


def _anchor(s: Site) -> None:
    s.insert(CLIMAX, "</article>", '<p id="the-storm-scene">The storm scene.</p>')
    s.insert(SETUP, "</article>", '<p><a href="../#the-storm-scene">Jump</a></p>')


def _missing_page(s: Site) -> None:
    s.path(ENDING).unlink()


def _other_film_page(s: Site) -> None:
    """Another film's spoiler-free page is shared (one click from home, in search): a hidden
    name of this film on it is a leak. (Its own text is checked for runs against its own film:
    two films may share an ordinary phrase without either telling the other's story.)"""
    s.insert(page_rel(OTHER, 0), "</article>", "<p>Ask Vexley Quorn about it.</p>")


PLANTS = [
    Plant("text-node", _body(FIRST, f"<p>{e(HIDDEN_FACT)}</p>"), "text", "fact"),
    Plant(
        "attr-title", _body(FIRST, f'<span title="{e(HIDDEN_FACT)}">i</span>'), "attribute", "fact"
    ),
    Plant(
        "attr-alt", _body(FIRST, f'<img alt="{e(HIDDEN_FACT)}" src="x.png">'), "attribute", "fact"
    ),
    Plant(
        "attr-aria-label",
        _body(FIRST, f'<button aria-label="{e(HIDDEN_FACT)}"></button>'),
        "attribute",
        "fact",
    ),
    Plant("attr-data", _body(FIRST, f'<div data-x="{e(HIDDEN_FACT)}"></div>'), "attribute", "fact"),
    Plant("html-title", _set_title, "title", "fact"),
    Plant(
        "meta-description",
        _head(FIRST, f'<meta name="description" content="{e(HIDDEN_FACT)}">'),
        "meta",
        "fact",
    ),
    Plant(
        "og-description",
        _head(FIRST, f'<meta property="og:description" content="{e(HIDDEN_FACT)}">'),
        "meta",
        "fact",
    ),
    Plant(
        "twitter-title",
        _head(FIRST, f'<meta name="twitter:title" content="{e(HIDDEN_TITLE)}">'),
        "meta",
        "section-title",
    ),
    Plant(
        "heading-id",
        _body(SETUP, f'<h2 id="{HIDDEN_ID}">Next</h2>'),
        "heading-id",
        "section-id",
        "setup",
    ),
    Plant(
        "href-fragment",
        _body(SETUP, f'<a href="#{HIDDEN_ID}">Next</a>'),
        "heading-id",
        "section-id",
        "setup",
    ),
    Plant("toc", _toc, "toc", "section-title"),
    Plant(
        "search-index-text",
        _search_doc(
            {"location": f"films/{FILM}/", "title": "x", "text": f"<p>{e(HIDDEN_FACT)}</p>"}
        ),
        "search-index",
        "fact",
    ),
    Plant(
        "search-index-level-page",
        _search_doc({"location": f"films/{FILM}/climax/", "title": "x", "text": "y"}),
        "search-index",
        "policy",
        "climax",
    ),
    Plant("sitemap-level-page", _sitemap_entry, "sitemap", "policy", "setup", file="sitemap.xml"),
    Plant("sitemap-gz", _sitemap_gz, "sitemap", "policy", "climax", file="sitemap.xml.gz"),
    Plant("404", _body("404.html", f"<p>{e(HIDDEN_FACT)}</p>"), "404", "fact"),
    Plant("home", _body("index.html", f"<p>{e(HIDDEN_FACT)}</p>"), "home", "fact"),
    Plant(
        "home-link-to-hidden-section",
        _body("index.html", f'<a href="films/{FILM}/#{HIDDEN_ID}">More</a>'),
        "home",
        "section-id",
    ),
    Plant("js-asset", _js_asset, "asset", "fact", file="assets/javascripts/extra.js"),
    Plant("json-asset", _json_asset, "asset", "fact", file="assets/extra.json"),
    Plant(
        "inline-script",
        _body(FIRST, f"<script>var s = {json.dumps(HIDDEN_FACT)};</script>"),
        "script",
        "fact",
    ),
    Plant(
        "inline-style",
        _head(FIRST, f'<style>.x::after{{content:"{HIDDEN_FACT}"}}</style>'),
        "style",
        "fact",
    ),
    Plant(
        "preview-marker-asset",
        lambda s: s.write("spoilers/spoilers.css", "[data-spoilers-preview]{outline:0}\n"),
        "asset",
        "policy",
        "*",
        "*",
        file="spoilers/spoilers.css",
    ),
    Plant("html-comment", _body(FIRST, f"<!-- {HIDDEN_FACT} -->"), "comment", "fact"),
    Plant("missing-noindex", _no_noindex, "meta", "policy", "setup", file=SETUP),
    Plant("wrong-canonical", _no_canonical, "attribute", "policy", "middle", file=MIDDLE),
    Plant(
        "preview-marker",
        _body("levels/index.html", "<div data-spoilers-preview></div>"),
        "attribute",
        "policy",
        "*",
        "*",
        file="levels/index.html",
    ),
    Plant("preview-dir", _preview_dir, "page", "policy", "*"),
    Plant("paraphrase", _paraphrase, "text", "fact", "setup", file=SETUP),
    Plant(
        "entity-lower-level",
        _body(SETUP, "<p>Ask THE CARTOGRAPHER\u2019S mate.</p>"),
        "text",
        "entity",
        "setup",
        file=SETUP,
    ),
    Plant(
        "entity-in-attribute",
        _body(FIRST, '<a href="#" title="vexley-quorn">?</a>'),
        "attribute",
        "entity",
    ),
    Plant(
        "disagreement-topic",
        _body(FIRST, "<h3>Does the sister survive the storm?</h3>"),
        "text",
        "disagreement",
    ),
    Plant(
        "description",
        _body(SETUP, "<dd>A mapmaker who arrives on the brambleton supply boat.</dd>"),
        "text",
        "description",
        "setup",
    ),
    Plant(
        "own-level-page",
        _body(MIDDLE, f"<p>{e(HIDDEN_FACT)}</p>"),
        "text",
        "fact",
        "middle",
        file=MIDDLE,
    ),
    Plant("other-film-page", _other_film_page, "text", "entity", file=page_rel(OTHER, 0)),
    Plant(
        "gate-holds-level-text",
        _body(gate_rel(FILM, 2), f"<p>{e(HIDDEN_FACT)}</p>"),
        "text",
        "fact",
        file=gate_rel(FILM, 2),
    ),
    Plant(
        "gate-holds-its-own-level",
        _body(gate_rel(FILM, 1), "<p>The letter was written by an estranged sister.</p>"),
        "text",
        "fact",
        file=gate_rel(FILM, 1),
    ),
    Plant(
        "gate-missing-noindex",
        lambda s: s.replace(gate_rel(FILM, 3), '<meta name="robots" content="noindex">', ""),
        "meta",
        "policy",
        file=gate_rel(FILM, 3),
    ),
    Plant(
        "missing-reveal",
        lambda s: s.path(page_rel(OTHER, 1)).unlink(),
        "page",
        "missing",
        "setup",
        OTHER,
        file=page_rel(OTHER, 1),
    ),
    Plant("anchor", _anchor, "heading-id", "anchor", "setup", file=SETUP),
    Plant("missing-page", _missing_page, "page", "missing", "ending", file=ENDING),
]


@pytest.mark.parametrize("plant", PLANTS, ids=[p.id for p in PLANTS])
def test_planted_leak_is_caught(
    plant: Plant, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    plant.apply(site)
    leaks = site.leaks()
    assert plant.caught_by(leaks), "\n".join(x.line() for x in leaks) or "no leak reported"
    assert run_audit(site.root, site.content, LADDER) == 1
    out, err = capsys.readouterr()
    assert out and all(LEAK_LINE.fullmatch(line) for line in out.splitlines()), out
    assert re.search(r": [1-9]\d* leak\(s\)$", err.strip()), err


LEAK_LINE = re.compile(
    r'LEAK film=\S+ level=\S+ file=\S+ channel=[a-z0-9-]+ match=[a-z-]+:\S+ snippet=".*"'
)


def test_all_planted_leaks_at_once(site: Site) -> None:
    for plant in PLANTS:
        plant.apply(site)
    result = audit(site.root, site.films, LADDER)
    missed = [p.id for p in PLANTS if not p.caught_by(result.leaks)]
    caught = len(PLANTS) - len(missed)
    summary = f"audit: planted {len(PLANTS)} leaks, caught {caught}"
    report("audit-planted", f"{summary} (real built pages, every channel and kind)")
    assert not missed, f"{summary}; missed: {', '.join(missed)}"


# --------------------------------------------------------------------------------------------
# Details of matching and reporting


def test_leak_line_format(site: Site) -> None:
    site.insert(FIRST, "</article>", f"<p>Intro. {e(HIDDEN_FACT)} Outro.</p>")
    leaks = [x for x in site.leaks() if x.channel == "text"]
    assert {x.what for x in leaks} == {"last-lamp@climax"}
    (leak,) = leaks
    assert leak.film == FILM and leak.level == "none" and leak.file == FIRST
    assert "intro [during the storm the keeper]" in leak.snippet
    assert len(leak.snippet) < 200
    assert leak.line().startswith(
        f"LEAK film={FILM} level=none file={FIRST} channel=text "
        'match=fact:last-lamp@climax snippet="'
    )


def test_allowed_level_is_not_a_leak(site: Site) -> None:
    """The climax fact on the climax and ending pages is what those readers chose."""
    for rel in (CLIMAX, ENDING):
        assert "obsidrake" in site.read(rel)
    site.insert(ENDING, "</article>", f"<p title='{e(HIDDEN_FACT)}'>{e(HIDDEN_FACT)}</p>")
    assert site.leaks() == []


def test_other_films_level_pages_are_not_receivable(site: Site) -> None:
    """A film's hidden text on another film's level page is outside this audit's promise."""
    site.insert(page_rel(OTHER, 1), "</article>", f"<p>{e(HIDDEN_FACT)}</p>")
    assert site.leaks() == []


def test_scope_comes_from_the_url_not_from_writer_text(site: Site) -> None:
    """`the cartographer` is hidden in the first film until `middle`. Another film's level page
    may say the words (only readers who chose that film's level receive it); its spoiler-free
    page, a shared page or the first film's own pages below `middle` may not, whatever any
    film's text says."""
    site.insert(page_rel(OTHER, 1), "</article>", "<p>Meet the cartographer.</p>")
    site.insert(MIDDLE, "</article>", "<p>Meet the cartographer.</p>")
    assert site.leaks() == []
    for rel in (FIRST, SETUP, page_rel(OTHER, 0), "levels/index.html"):
        site.insert(rel, "</article>", "<p>Meet the cartographer.</p>")
    leaks = site.leaks()
    assert {(x.file, x.kind, x.what) for x in leaks} == {
        (rel, "entity", "vexley(the_cartographer)@middle")
        for rel in (FIRST, SETUP, page_rel(OTHER, 0), "levels/index.html")
    }


def test_short_hidden_text_is_a_phrase(site: Site) -> None:
    """A hidden section title under 5 words is matched as a whole phrase, on word boundaries."""
    site.insert(FIRST, "</article>", "<p>So, who wrote the letters now?</p>")
    assert site.leaks() == []
    site.insert(FIRST, "</article>", "<p>So: WHO WROTE THE LETTER</p>")
    kinds = {(x.kind, x.what) for x in site.leaks()}
    assert ("section-title", "who-wrote-the-letter.title@setup") in kinds


def test_noindex_variants_and_relative_canonical(site: Site) -> None:
    site.replace(SETUP, 'content="noindex"', 'content="NoIndex, nofollow"')
    site.replace(SETUP, f'href="{SITE_URL}films/{FILM}/"', 'href="../"')
    assert site.leaks() == []


def test_anchor_names_the_level_that_has_it(site: Site) -> None:
    _anchor(site)
    (leak,) = site.leaks()
    assert (leak.kind, leak.what, leak.level) == ("anchor", "the-storm-scene@climax", "setup")


def test_search_index_of_level_page_fragment(site: Site) -> None:
    _search_doc({"location": f"films/{FILM}/#{HIDDEN_ID}", "title": "x", "text": "y"})(site)
    leaks = site.leaks()
    assert any(x.kind == "section-id" and x.channel == "search-index" for x in leaks), leaks


def test_theme_files_are_recognised_not_skipped(site: Site) -> None:
    """A theme file is skipped only while it is byte-identical to the theme's own; an edited
    copy is read like any other file."""
    rel = next(
        p.relative_to(site.root).as_posix()
        for p in sorted((site.root / "assets" / "javascripts").rglob("*.js"))
    )
    assert site.leaks() == []
    site.write(rel, site.read(rel) + f"\n/* {HIDDEN_FACT} */\n")
    assert any(x.file == rel for x in site.leaks())


def test_run_audit_exit_codes(site: Site, tmp_path: Path) -> None:
    assert run_audit(tmp_path / "nope", site.content, LADDER) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    assert run_audit(empty, site.content, LADDER) == 2
    bad = tmp_path / "bad"
    shutil.copytree(site.content, bad)
    (bad / "films" / f"{FILM}.yml").write_text(
        FILM_YAML.replace("level: climax", "level: nope"), encoding="utf-8"
    )
    assert run_audit(site.root, bad, LADDER) == 2
    assert run_audit(site.root, site.content, LADDER) == 0
