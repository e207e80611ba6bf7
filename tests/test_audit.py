"""The leak audit over hand-made fake sites: no MkDocs build, just files in tmp_path.

A small film carries one marker word per level (zarnowick at none, quillfeather at setup,
brambleton at middle, obsidrake at climax, mirelunde at ending) and an entity introduced at
`middle`. `write_site` writes a clean site shaped like the real one (Material's TOC, level pages
with noindex and canonical, sitemap, search index, assets). Each planted leak then edits one file
and must be caught on its channel.
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

from mkdocs_plugins.spoilers.audit import (
    Leak,
    Needles,
    audit,
    audit_site,
    fold,
    run_audit,
    words,
)
from mkdocs_plugins.spoilers.markup import to_plain
from mkdocs_plugins.spoilers.model import Film, Ladder
from mkdocs_plugins.spoilers.validate import check

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "content" / "schema" / "film.schema.json"
LADDER = Ladder.from_config(None)
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
        text: "The film ends where it began: a lighthouse keeper on a remote island, alone again."
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
premise: "The cartographer of the title returns to the harbour town where she grew up."
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


# --------------------------------------------------------------------------------------------
# A fake site


@dataclass
class Site:
    root: Path
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
        return audit_site(self.root, self.films, LADDER)


def e(text: str) -> str:
    return html.escape(text, quote=True)


def page_rel(film_id: str, rank: int) -> str:
    return (
        f"films/{film_id}/index.html"
        if rank == 0
        else (f"films/{film_id}/{LADDER.ids[rank]}/index.html")
    )


def plain(text: str) -> str:
    return to_plain(text)


def film_page(film: Film, rank: int) -> str:
    """One level page, cumulative, with Material's chrome around it."""
    r = LADDER.rank
    up = "../../" if rank == 0 else "../../../"
    level = LADDER.ids[rank]
    head = [
        '<meta charset="utf-8">',
        f'<meta name="description" content="{e(plain(film.premise))}">',
        f'<meta property="og:title" content="{e(film.title)} ({film.year})">',
        f'<meta property="og:description" content="{e(plain(film.premise))}">',
        '<meta name="twitter:card" content="summary">',
        f'<meta name="twitter:title" content="{e(film.title)} ({film.year})">',
        f'<link rel="canonical" href="{SITE_URL}films/{film.id}/">',
        f'<link rel="stylesheet" href="{up}assets/stylesheets/main.css">',
        f'<link rel="stylesheet" href="{up}spoilers/spoilers.css">',
        f"<title>{e(film.title)} ({film.year}) - Explainers</title>",
    ]
    if rank > 0:
        head.insert(1, '<meta name="robots" content="noindex">')
    sections = [s for s in film.sections if r(s.level) <= rank]
    toc = "".join(
        f'<li class="md-nav__item"><a href="#{s.id}" class="md-nav__link">'
        f'<span class="md-ellipsis">{e(s.title)}</span></a></li>'
        for s in sections
    )
    hrefs = {
        lv.id: ("" if i == rank else ("../" if rank else "") + (f"{lv.id}/" if i else ""))
        for i, lv in enumerate(LADDER.levels)
    }
    switcher = "".join(
        f'<li><a href="{hrefs[lv.id] or "./"}" data-spoilers-level="{lv.id}">'
        f"{e(film.label(LADDER, lv.id))} <span>{e(lv.description)}</span></a></li>"
        for lv in LADDER.levels
    )
    body = [f'<p class="spoilers-premise">{e(plain(film.premise))}</p>']
    body.append(f"<p>Directed by {e(film.director)} · {film.runtime_minutes} min</p>")
    cast = []
    for c in film.cast:
        ent = film.entity(c.entity) if c.entity else None
        role = f" as {e(ent.display_name)}" if ent and r(ent.introduced) <= rank else ""
        cast.append(f"<li><strong>{e(c.actor)}</strong>{role}</li>")
    body.append(f'<ul class="spoilers-cast">{"".join(cast)}</ul>')
    for ent in film.entities:
        if r(ent.introduced) <= rank:
            descs = [d for d in ent.descriptions if r(d.level) <= rank]
            text = e(plain(descs[-1].text)) if descs else "No description at this level."
            body.append(f"<dl><dt>{e(ent.display_name)}</dt><dd>{text}</dd></dl>")
    next_level = LADDER.levels[rank + 1] if rank + 1 < len(LADDER.levels) else None
    for s in sections:
        facts = "".join(f"<li>{e(plain(f.text))}</li>" for f in s.facts if r(f.level) <= rank)
        body.append(
            f'<section data-spoilers-section="{s.id}"><h2 id="{s.id}">{e(s.title)}'
            f'<a class="headerlink" href="#{s.id}" title="Permanent link">&para;</a></h2>'
            f"<ul>{facts}</ul>"
        )
        for d in film.disagreements:
            if d.section == s.id and r(d.level) <= rank:
                claims = "".join(f"<li>{e(plain(c.text))}</li>" for c in d.claims)
                body.append(f"<h3>{e(d.topic)}</h3><ul>{claims}</ul>")
        if next_level:
            body.append(
                f'<p class="spoilers-more">More may be revealed at <a href="'
                f'{hrefs[next_level.id]}#{s.id}">{e(next_level.label)}</a>.</p>'
            )
        body.append("</section>")
    return (
        '<!doctype html>\n<html lang="en" class="no-js">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + f'<header class="md-header"><a href="{up}" title="Explainers" '
        'aria-label="Explainers" class="md-logo">Explainers</a>\n'
        '<input class="md-search__input" placeholder="Search" aria-label="Search"></header>\n'
        '<nav class="md-nav md-nav--secondary" aria-label="Table of contents">\n'
        '<label class="md-nav__title" for="__toc">Table of contents</label>\n'
        f'<ul class="md-nav__list" data-md-component="toc">{toc}</ul>\n</nav>\n'
        f'<article class="md-content__inner md-typeset" data-spoilers-level="{level}">\n'
        f'<h1 id="film-title">{e(film.title)}</h1>\n'
        f'<nav class="spoilers-switcher" aria-label="Spoiler level"><ol>{switcher}</ol></nav>\n'
        + "\n".join(body)
        + "\n</article>\n"
        + f'<script id="__config" type="application/json">{{"base": "{up[:-1]}"}}</script>\n'
        + f'<script src="{up}assets/javascripts/bundle.js"></script>\n'
        + "</body>\n</html>\n"
    )


def plain_page(title: str, body: str, up: str = "") -> str:
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="description" content="Film explainers at the level you choose.">\n'
        f"<title>{e(title)} - Explainers</title>\n"
        f'<link rel="stylesheet" href="{up}assets/stylesheets/main.css">\n</head>\n<body>\n'
        f'<nav class="md-nav md-nav--secondary" aria-label="Table of contents">'
        f'<ul class="md-nav__list"></ul></nav>\n'
        f'<article class="md-content__inner">\n{body}\n</article>\n'
        f'<script src="{up}assets/javascripts/bundle.js"></script>\n</body>\n</html>\n'
    )


def sitemap(films: list[Film]) -> str:
    urls = [SITE_URL, SITE_URL + "levels/"] + [f"{SITE_URL}films/{f.id}/" for f in films]
    body = "".join(f"<url>\n<loc>{u}</loc>\n</url>\n" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n"
    )


def search_index(films: list[Film]) -> str:
    docs = [{"location": "", "title": "Home", "text": "<p>Film explainers.</p>"}]
    for f in films:
        docs.append(
            {
                "location": f"films/{f.id}/",
                "title": f.title,
                "text": f"<p>{e(plain(f.premise))}</p>",
            }
        )
        for s in f.sections:
            if LADDER.rank(s.level) == 0:
                text = " ".join(e(plain(x.text)) for x in s.facts if LADDER.rank(x.level) == 0)
                docs.append(
                    {
                        "location": f"films/{f.id}/#{s.id}",
                        "title": s.title,
                        "text": f"<p>{text}</p>",
                    }
                )
    config = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": ["stopWordFilter"]}
    return json.dumps({"config": config, "docs": docs}, separators=(",", ":"))


def write_site(root: Path, films: list[Film]) -> None:
    for f in films:
        for rank in range(len(LADDER.levels)):
            p = root / page_rel(f.id, rank)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(film_page(f, rank), encoding="utf-8")
    cards = "".join(
        f'<div class="spoilers-card"><h2><a href="films/{f.id}/">{e(f.title)}</a></h2>'
        f"<p>{e(plain(f.premise))}</p></div>"
        for f in films
    )
    (root / "index.html").write_text(plain_page("Home", cards), encoding="utf-8")
    (root / "404.html").write_text(
        plain_page("Not found", "<h1>404 - Not found</h1>"), encoding="utf-8"
    )
    levels = "".join(f"<li>{e(lv.label)}: {e(lv.description)}</li>" for lv in LADDER.levels)
    (root / "levels").mkdir()
    (root / "levels" / "index.html").write_text(
        plain_page(
            "How spoiler levels work", f'<h1 id="levels">Levels</h1><ul>{levels}</ul>', "../"
        ),
        encoding="utf-8",
    )
    xml = sitemap(films)
    (root / "sitemap.xml").write_text(xml, encoding="utf-8")
    (root / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode("utf-8")))
    (root / "search").mkdir()
    (root / "search" / "search_index.json").write_text(search_index(films), encoding="utf-8")
    for rel, text in {
        "assets/javascripts/bundle.js": '!function(){var t="Copy to clipboard";'
        'document.addEventListener("DOMContentLoaded",function(){return t<2})}();\n',
        "assets/stylesheets/main.css": ".md-nav{display:block}\n.md-typeset h2{margin:0}\n",
        "spoilers/spoilers.js": '(function(){var k="spoilers:";localStorage.getItem(k)})();\n',
        "spoilers/spoilers.css": ".spoilers-gate{display:block}\n",
        "assets/manifest.json": json.dumps({"name": "Explainers", "lang": "en"}),
    }.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def make_content(root: Path) -> Path:
    content = root / "content"
    (content / "schema").mkdir(parents=True)
    (content / "films").mkdir()
    shutil.copyfile(SCHEMA, content / "schema" / "film.schema.json")
    (content / "films" / f"{FILM}.yml").write_text(FILM_YAML, encoding="utf-8")
    (content / "films" / f"{OTHER}.yml").write_text(OTHER_YAML, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> list[Film]:
    content = make_content(tmp_path_factory.mktemp("films"))
    result = check([], content, LADDER)
    assert not result.diagnostics, "\n".join(d.human() for d in result.diagnostics)
    return sorted(result.films, key=lambda f: f.id)


@pytest.fixture
def site(tmp_path: Path, films: list[Film]) -> Site:
    content = make_content(tmp_path)
    root = tmp_path / "site"
    root.mkdir()
    write_site(root, films)
    return Site(root, content, films)


FIRST = page_rel(FILM, 0)
SETUP = page_rel(FILM, 1)
MIDDLE = page_rel(FILM, 2)
CLIMAX = page_rel(FILM, 3)
ENDING = page_rel(FILM, 4)


# --------------------------------------------------------------------------------------------
# Clean site


def test_clean_site_passes(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    assert site.leaks() == []
    assert run_audit(site.root, site.content, LADDER) == 0
    out, err = capsys.readouterr()
    assert out == ""
    m = re.fullmatch(
        r"spoilers audit: 2 films x 5 levels, (\d+) files, (\d+) checks: 0 leak\(s\)\n", err
    )
    assert m, err
    # 10 film pages, home, 404, levels, 2 sitemaps, the search index, 5 assets
    assert int(m.group(1)) == 21
    assert int(m.group(2)) >= 2 * 5 * 11  # every film x level x site-wide file, at least


def test_shared_words_are_not_a_leak(site: Site) -> None:
    """Hidden facts share words with allowed text, but no 5 in a row that are distinctive."""
    # `watch` (climax) shares "a lighthouse keeper on" (4 words) with the premise, and `echo`
    # (ending) repeats 7 words of it: both appear on every page, which is fine.
    assert "lighthouse keeper on a remote island" in site.read(FIRST)
    # Four words in a row of a hidden fact, then something else.
    site.insert(FIRST, "</article>", "<p>She climbs the tower and waves at the boats.</p>")
    site.insert(FIRST, "</article>", "<p>The daughter climbs the stairs of the storm tower.</p>")
    assert site.leaks() == []


def test_shared_shingles_are_not_distinctive(films: list[Film]) -> None:
    needles = Needles(films, LADDER)
    shared = tuple(words("a lighthouse keeper on a"))
    assert shared not in needles.index  # in the premise: allowed at the first level
    assert tuple(words("keeper's daughter climbs the tower")) in needles.index


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
    assert words("keeper&#39;s") != words("keeper's")  # entities are decoded by the caller
    assert words(html.unescape("keeper&#39;s")) == words("keeper's")
    assert words("Vex\u00adley Quorn") == ["vexley", "quorn"]
    assert words("Min-hee") == words("min hee")


# --------------------------------------------------------------------------------------------
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
    s.insert(
        FIRST,
        "</ul>\n</nav>",
        f'<li class="md-nav__item"><a href="#" class="md-nav__link">'
        f'<span class="md-ellipsis">{e(HIDDEN_TITLE)}</span></a></li>',
    )


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
    s.write(
        f"films/{FILM}/preview/index.html", plain_page("Preview", "<p>preview</p>", "../../../")
    )


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
    s.insert(page_rel(OTHER, 0), "</article>", f"<p>{e(HIDDEN_FACT)}</p>")


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
    Plant("other-film-page", _other_film_page, "text", "fact", file=page_rel(OTHER, 0)),
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
    report("audit-planted", f"{summary} (unit fixtures, every channel and kind)")
    assert not missed, f"{summary}; missed: {', '.join(missed)}"


# --------------------------------------------------------------------------------------------
# Details of matching and reporting


def test_leak_line_format(site: Site) -> None:
    site.insert(FIRST, "</article>", f"<p>Intro. {e(HIDDEN_FACT)} Outro.</p>")
    (leak,) = [x for x in site.leaks() if x.channel == "text"]
    assert leak.film == FILM and leak.level == "none" and leak.file == FIRST
    assert leak.what == "last-lamp@climax"
    assert "During the storm the keeper's daughter" in leak.snippet  # original case and text
    assert len(leak.snippet) < 200
    assert leak.line().startswith(
        f"LEAK film={FILM} level=none file={FIRST} channel=text match=fact:last-lamp@climax "
        'snippet="'
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


def test_entity_name_allowed_elsewhere(site: Site) -> None:
    """`the cartographer` is hidden for one film, but another film's premise says "cartographer"
    plainly; as a whole name, only the first film's own pages must not carry it."""
    site.insert(page_rel(OTHER, 0), "</article>", "<p>Meet the cartographer.</p>")
    assert site.leaks() == []  # the other film's page: not a mention of this film's entity
    site.insert(FIRST, "</article>", "<p>Meet the cartographer.</p>")
    (leak,) = site.leaks()
    assert (leak.kind, leak.file, leak.what) == ("entity", FIRST, "vexley(the_cartographer)@middle")


def test_short_hidden_text_is_a_phrase(site: Site) -> None:
    """A hidden section title under 5 words is matched as a whole phrase, on word boundaries."""
    site.insert(FIRST, "</article>", "<p>So, who wrote the letters?</p>")
    assert site.leaks() == []
    site.insert(FIRST, "</article>", "<p>So: WHO WROTE THE LETTER</p>")
    kinds = {(x.kind, x.what) for x in site.leaks()}
    assert ("section-title", "who-wrote-the-letter@setup") in kinds


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


def test_many_films_scale(tmp_path: Path) -> None:
    """Forty copies of the film under new ids: one pass, every copy's pages audited."""
    content = make_content(tmp_path)
    many: list[Film] = []
    for i in range(40):
        fid = f"copy-{i}-2024"
        text = FILM_YAML.replace(FILM, fid).replace("obsidrake", f"obsidrake{i}")
        (content / "films" / f"{fid}.yml").write_text(text, encoding="utf-8")
    result = check([], content, LADDER)
    assert not [d for d in result.diagnostics if d.is_error]
    many = result.films
    root = tmp_path / "site"
    root.mkdir()
    write_site(root, many)
    report = audit(root, many, LADDER)
    assert report.leaks == []
    seventh = next(f for f in many if f.id == "copy-7-2024")
    (root / page_rel(seventh.id, 0)).write_text(
        film_page(seventh, 0).replace(
            "</article>", "<p>and lights the obsidrake7 lamp</p></article>"
        ),
        encoding="utf-8",
    )
    leaks = audit_site(root, many, LADDER)
    assert {(x.film, x.kind) for x in leaks} == {("copy-7-2024", "fact")}, leaks
