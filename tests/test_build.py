"""Real strict builds of the fixture site (Material theme, built in-process) and what they hold.

Each fixture film carries marker words graded at one level each (aardvark at none, buffalo at
setup, ...). A guarantee holds when each marker shows up exactly where its level allows: in a
level's text (reveal.html) from that level on, and nowhere a reader who chose less can receive,
above all not at a level's own address (the gate), which a shared link opens.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from support.paths import LADDER, LEVELS
from support.sites import BuildError, build, make_content_dir

from mkdocs_plugins.spoilers import render
from mkdocs_plugins.spoilers.urls import REVEAL

pytestmark = pytest.mark.build

FIXTURE = Path(__file__).parent / "fixtures" / "site"
FILM = "test-film-2020"
OTHER = "paper-lantern-2019"
# Marker words and the level at which each first appears, per film.
MARKERS = {
    FILM: {
        "aardvark": "none",
        "buffalo": "setup",
        "ocelot": "setup",
        "chinchilla": "middle",
        "kangaroo": "middle",
        "Marlow": "middle",
        "mongoose": "middle",
        "elephant": "climax",
        "falcon": "climax",
        "zebrafish": "climax",
        "ostrich": "climax",
        "quokka": "climax",
        "dolphin": "ending",
        "koala": "ending",
    },
    OTHER: {
        "walrus": "none",
        "axolotl": "setup",
        "octopus": "climax",
        "heron": "climax",
        "pelican": "ending",
    },
}


# Shown at exactly one level: each level's recap replaces the one before it.
RECAPS = {"setup": "gazelle", "middle": "hedgehog", "climax": "ibex", "ending": "jackal"}


def make_site(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    make_content_dir(dest)
    return dest


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_site(tmp_path_factory.mktemp("build") / "site-src"))


def level_dir(site: Path, film: str, level: str) -> Path:
    return site / "films" / film / ("" if level == "none" else level)


def page(site: Path, film: str, level: str) -> str:
    """The level's text: the first level's page, or reveal.html above it."""
    name = "index.html" if level == "none" else REVEAL
    return (level_dir(site, film, level) / name).read_text(encoding="utf-8")


def gate(site: Path, film: str, level: str) -> str:
    """What the level's own address serves."""
    return (level_dir(site, film, level) / "index.html").read_text(encoding="utf-8")


def rank(level: str) -> int:
    return LEVELS.index(level)


def head(html: str) -> str:
    return html.split("</head>", 1)[0]


def present(word: str, html: str) -> bool:
    return re.search(rf"\b{word}\b", html, re.IGNORECASE) is not None


def test_one_gate_and_one_text_per_film_per_level(site: Path) -> None:
    for film in MARKERS:
        assert (site / "films" / film / "index.html").is_file()
        assert not (site / "films" / film / REVEAL).exists()
        for level in LEVELS[1:]:
            assert (site / "films" / film / level / "index.html").is_file()
            assert (site / "films" / film / level / REVEAL).is_file()


@pytest.mark.parametrize("film", list(MARKERS))
@pytest.mark.parametrize("level", LEVELS)
def test_level_text_is_cumulative_and_holds_nothing_above(
    site: Path, film: str, level: str
) -> None:
    html = page(site, film, level)
    for word, at in MARKERS[film].items():
        assert present(word, html) == (rank(at) <= rank(level)), f"{word} ({at}) at {level}"
    if film == FILM:
        for at, word in RECAPS.items():
            assert present(word, html) == (at == level), f"recap {word} ({at}) at {level}"


def test_nothing_above_the_first_level_outside_the_level_texts(site: Path) -> None:
    """Every file but reveal.html: what a visitor receives before saying yes, as `curl` sees it.
    Gates, home, 404, search index, sitemap, assets and every first-level page: first level only.
    """
    hidden = [w for film in MARKERS.values() for w, at in film.items() if at != "none"]
    hidden += list(RECAPS.values())
    checked = 0
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix not in {".html", ".json", ".js", ".css", ".xml"}:
            continue
        if path.name == REVEAL:
            continue
        checked += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        for word in hidden:
            assert not present(word, text), f"{word} in {path.relative_to(site)}"
    assert checked > 20


@pytest.mark.parametrize("level", LEVELS[1:])
def test_gate_offers_the_level_and_links_to_its_text(site: Path, level: str) -> None:
    html = gate(site, FILM, level)
    assert "data-spoilers-gated" in html
    gate_box = re.search(r'<div class="spoilers-gate".*?</div>', html, re.DOTALL)
    assert gate_box, "no gate"
    assert f'href="{REVEAL}" data-spoilers-reveal' in gate_box.group(0)
    assert "Take me to the spoiler-free page" in gate_box.group(0)
    # The spoiler-free essentials are there, and the table of contents lists nothing.
    assert "must deliver a parcel" in html
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.DOTALL)
    assert toc and "md-nav__link" not in toc.group(0)
    assert "data-spoilers-gated" not in page(site, FILM, level)


def test_first_level_has_no_gate(site: Path) -> None:
    first = page(site, FILM, "none")
    assert "spoilers-gate" not in first and "data-spoilers-gated" not in first


def test_noindex_and_canonical_on_every_page_above_first_level(site: Path) -> None:
    canonical = f'<link rel="canonical" href="http://127.0.0.1:8000/films/{FILM}/">'
    first = head(page(site, FILM, "none"))
    assert 'name="robots"' not in first
    assert first.count('rel="canonical"') == 1 and canonical in first
    for level in LEVELS[1:]:
        for html in (gate(site, FILM, level), page(site, FILM, level)):
            h = head(html)
            assert '<meta name="robots" content="noindex">' in h
            assert h.count('rel="canonical"') == 1, level
            assert canonical in h, level


def test_title_description_and_social_tags_come_from_first_level(site: Path) -> None:
    def tags(html: str) -> list[str]:
        h = head(html)
        found = re.findall(
            r"<title>.*?</title>"
            r'|<meta (?:name|property)="(?:description|og:[a-z_]+|twitter:[a-z]+)"'
            r' content="[^"]*">',
            h,
        )
        return [t for t in found if "og:url" not in t]

    first = tags(page(site, FILM, "none"))
    assert "<title>Test Film (2020) - Fixture Site</title>" in first
    assert any(
        'og:description" content="A courier named Ana must deliver a parcel."' in t for t in first
    )
    assert any("twitter:title" in t for t in first)
    for level in LEVELS[1:]:
        assert tags(gate(site, FILM, level)) == first, level
        assert tags(page(site, FILM, level)) == first, level


def test_heading_anchors_are_section_ids_and_toc_lists_only_visible_sections(site: Path) -> None:
    setup = page(site, FILM, "setup")
    assert '<h2 id="what-is-it">' in setup
    assert 'id="who-sent-it"' not in setup and "#who-sent-it" not in setup
    middle = page(site, FILM, "middle")
    assert '<h2 id="who-sent-it">' in middle
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', middle, re.DOTALL)
    assert toc and "#who-sent-it" in toc.group(0) and "#spoilers-recap" in toc.group(0)
    toc_setup = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', setup, re.DOTALL)
    assert toc_setup and "#what-is-it" in toc_setup.group(0)
    assert "Who sent the parcel" not in toc_setup.group(0)


def _squash(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def test_revealed_toc_has_materials_own_markup(site: Path) -> None:
    """reveal.html draws its table of contents itself: it must look exactly like Material's."""
    first = page(site, FILM, "none")
    material = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', first, re.DOTALL)
    assert material
    items = re.findall(
        r'<a href="#([^"]+)" class="md-nav__link">\s*<span[^>]*>\s*(.*?)\s*<', material.group(0)
    )
    assert items
    ours = render.render_toc(items)
    assert _squash(ours) == _squash(material.group(0))


def test_search_index_holds_first_level_pages_only(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert f"films/{FILM}/" in locations
    for level in LEVELS[1:]:
        assert f"films/{FILM}/{level}/" not in locations
    text = json.dumps(index)
    assert "aardvark" in text and "buffalo" not in text and REVEAL not in text


def test_sitemap_lists_first_level_pages_only(site: Path) -> None:
    xml = (site / "sitemap.xml").read_text(encoding="utf-8")
    gz = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8")
    assert xml == gz
    locs = re.findall(r"<loc>([^<]*)</loc>", xml)
    assert f"http://127.0.0.1:8000/films/{FILM}/" in locs
    assert all(not re.search(r"/films/[^/]+/[^/]+/$", loc) for loc in locs), locs
    assert REVEAL not in xml


def test_404_and_home_are_spoiler_free_and_home_lists_every_film(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    for title, year, director, premise in (
        ("Test Film", 2020, "Jane Doe", "must deliver a parcel"),
        ("Paper Lantern", 2019, "Sam Invented", "keeps the lanterns burning"),
    ):
        card = re.search(
            rf'<article class="spoilers-home__card">.*?{title}.*?</article>', home, re.DOTALL
        )
        assert card, title
        for needle in (f"({year})", director, premise):
            assert needle in card.group(0)
    assert "<!-- spoilers:films -->" not in home
    assert (site / "404.html").is_file()


def test_nav_has_one_entry_per_film_and_no_level_pages(site: Path) -> None:
    html = (site / "404.html").read_text(encoding="utf-8")
    nav = re.search(
        r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', html, re.DOTALL
    )
    assert nav
    links = re.findall(r'href="([^"]*films/[^"]*)"', nav.group(0))
    assert sorted(links) == sorted({f"/films/{f}/" for f in MARKERS}), links


@pytest.mark.parametrize("level", LEVELS)
def test_switcher_is_a_labelled_landmark_of_plain_links(site: Path, level: str) -> None:
    for html in {page(site, FILM, level), gate(site, FILM, level)}:
        nav = re.search(
            r'<nav class="spoilers-switcher" aria-label="([^"]+)">(.*?)</nav>', html, re.DOTALL
        )
        assert nav and nav.group(1) == "Spoiler level for Test Film"
        links = re.findall(
            r'<a href="([^"]*)" data-spoilers-level="([a-z]+)"( aria-current="page")?>',
            nav.group(2),
        )
        assert [lv for _, lv, _ in links] == list(LEVELS)
        assert [lv for _, lv, cur in links if cur] == [level]
        here = level_dir(site, FILM, level)
        for href, lv, _ in links:
            target = (here / href / "index.html").resolve()
            assert target == (level_dir(site, FILM, lv) / "index.html").resolve(), (href, lv)
        for label in ("Spoiler-free", "Setup", "The first act: who and why"):
            assert label in nav.group(2)


def test_each_level_opens_with_its_recap_and_marks_what_is_new(site: Path) -> None:
    middle = page(site, FILM, "middle")
    recap = re.search(r'<section class="spoilers-block spoilers-recap">.*?</section>', middle, re.S)
    assert recap and "hedgehog" in recap.group(0) and "gazelle" not in recap.group(0)
    assert 'href="#spoilers-first-new"' in recap.group(0)
    assert middle.count('id="spoilers-first-new"') == 1
    # New at middle: Marlow's card, the middle section, the place; buffalo (setup) is not new.
    new = re.findall(r'class="[^"]*spoilers-new[^"]*"[^>]*>(.*?)</', middle, re.S)
    assert new
    assert "New at Middle" in middle
    assert not re.search(r'spoilers-new"[^>]*>[^<]*buffalo', middle)
    assert 'class="spoilers-badge"' in middle  # the whole section "Who sent the parcel?" is new
    assert "spoilers-new" not in page(site, FILM, "none")


def test_prose_paragraphs_with_one_note_each(site: Path) -> None:
    ending = page(site, FILM, "ending")
    section = re.search(
        r'<section class="spoilers-section[^"]*" data-spoilers-section="who-sent-it".*?</section>',
        ending,
        re.S,
    )
    assert section
    paragraphs = re.findall(r"<p>(.*?)</p>", section.group(0), re.S)
    # f3 alone; f5 starts a new paragraph and f4 follows it in the same one.
    assert len(paragraphs) == 2
    assert (
        "chinchilla" in paragraphs[0] and "ostrich" in paragraphs[1] and "dolphin" in paragraphs[1]
    )
    assert all(p.count('class="spoilers-ref"') == 1 for p in paragraphs)
    notes = re.search(r'<ol class="spoilers-notes".*?</ol>', section.group(0), re.S)
    assert notes and notes.group(0).count("<li ") == 2
    for sid in re.findall(r'href="#(source-[a-z0-9-]+)"', notes.group(0)):
        assert f'id="{sid}"' in ending
    assert "(one source)" in notes.group(0)  # f3 rests on Bob's explainer alone
    assert "spoilers-cite" not in ending and "single source" not in ending


def test_disagreements_weighted(site: Path) -> None:
    climax = page(site, FILM, "climax")
    aside = re.search(r'<aside class="spoilers-aside[^"]*".*?</aside>', climax, re.S)
    assert aside and "The sources differ: Who fires first?" in aside.group(0)
    assert "elephant" in aside.group(0) and "falcon" in aside.group(0)
    spellings = re.search(
        r'<section class="spoilers-block spoilers-spellings">.*?</section>', climax, re.S
    )
    assert spellings and "How is the town spelled?" in spellings.group(0)
    assert "admonition" not in climax and "warning" not in climax
    assert "spoilers-aside" not in page(site, FILM, "middle")


def test_cards_keep_who_people_are_and_add_what_came_later(site: Path) -> None:
    none = page(site, FILM, "none")
    assert "<strong>Actor One</strong> as Ana" in none
    assert "Actor Two" not in none  # the row waits until Marlow may be named
    assert "<strong>Actor Three</strong> as a ferry pilot" in none
    assert "Also in the cast: Actor Four." in none
    assert "A courier." in none and "betrays" not in none
    middle = page(site, FILM, "middle")
    assert "<strong>Actor Two</strong> as Marlow" in middle
    climax = page(site, FILM, "climax")
    card = re.search(r'<article class="spoilers-person[^"]*">.*?Ana.*?</article>', climax, re.S)
    assert card and "A courier." in card.group(0) and "betrays everyone" in card.group(0)
    assert "New at Climax" in card.group(0)
    # Places and things are a glossary, not characters; the lint's spellings are never shown.
    assert 'id="spoilers-glossary"' in middle and "the old mill" in middle
    assert not re.search(r'class="spoilers-person[^"]*">[^<]*<h3[^>]*>[^<]*the old mill', middle)


def test_verdict_first_level_and_meaning_last_level(site: Path) -> None:
    none = page(site, FILM, "none")
    assert 'id="spoilers-verdict"' in none and "lemur" in none
    for level in LEVELS[1:]:  # readers past the first level have decided already
        assert "lemur" not in page(site, FILM, level)
    ending = page(site, FILM, "ending")
    assert 'id="spoilers-meaning"' in ending and "What the ending means" in ending
    assert "What the ending means" not in page(site, FILM, "climax")


def test_a_source_title_waits_for_its_level(site: Path) -> None:
    for level in ("none", "setup", "middle"):
        html = page(site, FILM, level)
        assert "quokka" not in html and "A short review" in html
    assert "Review C quokka" in page(site, FILM, "climax")


def test_content_notes_are_collapsed(site: Path) -> None:
    html = page(site, FILM, "none")
    details = re.search(r'<details class="spoilers-content-notes">(.*?)</details>', html, re.S)
    assert details and "<strong>Violence</strong>" in details.group(1)
    assert "<details open" not in html


def test_plugin_assets_are_small(site: Path) -> None:
    total = sum(
        len(gzip.compress((site / "spoilers" / name).read_bytes(), compresslevel=9))
        for name in ("spoilers.js", "spoilers.css")
    )
    print(f"plugin JS+CSS gzipped: {total} bytes")
    assert total <= 6 * 1024


def test_bad_content_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    root = make_site(tmp_path / "bad")
    film = root / "content" / "films" / f"{FILM}.yml"
    film.write_text(
        film.read_text(encoding="utf-8").replace(
            "level: setup, text: The parcel", "level: sequel, text: The parcel"
        ),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as err:
        build(root, root / "out")
    assert re.search(rf"content/films/{FILM}\.yml:\d+:\d+: error\[unknown-level\]", str(err.value))
    assert not (root / "out" / "films").exists()


def _with_preview(root: Path) -> None:
    cfg = root / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            "  - spoilers\n", "  - spoilers:\n      preview: true\n"
        ),
        encoding="utf-8",
    )


def test_preview_is_refused_by_a_production_build(tmp_path: Path) -> None:
    root = make_site(tmp_path / "preview")
    _with_preview(root)
    with pytest.raises(BuildError) as err:
        build(root, root / "out")
    assert "preview is for `mkdocs serve` only" in str(err.value)


def test_preview_under_serve_shows_every_level_tinted(tmp_path: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    root = make_site(tmp_path / "serve")
    _with_preview(root)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "out"))
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config)
    html = (root / "out" / "films" / FILM / "preview" / "index.html").read_text(encoding="utf-8")
    assert f'data-spoilers-preview="{FILM}"' in html
    for word, at in MARKERS[FILM].items():
        if word in ("Marlow", "ocelot", "quokka", "mongoose"):
            continue  # names, the verdict, spellings, sources and places are not in the preview
        assert re.search(rf'class="spoilers-lv spoilers-lv-{rank(at)}"[^\n]*{word}', html), word
    assert '<meta name="robots" content="noindex">' in html
    assert "preview" not in (root / "out" / "sitemap.xml").read_text(encoding="utf-8")


def test_site_url_subpath_links_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path / "sub")
    monkeypatch.setenv("SITE_URL", "https://example.org/project/")
    out = build(root, root / "out")
    for name in ("index.html", REVEAL):
        html = (out / "films" / FILM / "setup" / name).read_text(encoding="utf-8")
        assert (
            '<link rel="canonical" href="https://example.org/project/films/test-film-2020/">'
            in html
        )
    assert "<loc>https://example.org/project/films/test-film-2020/</loc>" in (
        out / "sitemap.xml"
    ).read_text(encoding="utf-8")


def test_serve_watches_content_and_the_plugin(tmp_path: Path) -> None:
    """`mkdocs serve` rebuilds when a writer edits content/ or a developer edits the plugin."""
    from mkdocs.config import load_config

    import mkdocs_plugins.spoilers.plugin as plugin_module

    root = make_site(tmp_path / "serve-watch")
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    config.plugins.on_serve(Server(), config=config, builder=lambda: None)
    assert str(root / "content") in watched
    assert str(Path(plugin_module.__file__).parent) in watched


def test_ladder_is_the_default_one() -> None:
    assert LADDER.ids == LEVELS


def test_serve_shows_content_errors_in_the_browser_and_recovers(tmp_path: Path) -> None:
    """Under `mkdocs serve` a content error is a page listing it with file:line, on every page
    the last good build had (not a build that fails and leaves the browser waiting); once the
    file is fixed, the next rebuild serves the film again."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    root = make_site(tmp_path / "serve-errors")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "out"))
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config)
    film = root / "content" / "films" / f"{FILM}.yml"
    good = film.read_text(encoding="utf-8")
    film.write_text(
        good.replace("level: setup, text: The parcel", "level: sequel, text: The parcel")
    )
    mkdocs_build(config)  # no exception: the errors are pages
    for rel in (f"films/{FILM}/index.html", f"films/{FILM}/middle/index.html", "index.html"):
        html = (root / "out" / rel).read_text(encoding="utf-8")
        assert 'class="spoilers-errors' in html, rel
        assert re.search(rf"content/films/{FILM}\.yml:\d+:\d+</code> <strong>unknown-level", html)
        assert "aardvark" not in html
    film.write_text(good)
    mkdocs_build(config)
    html = (root / "out" / "films" / FILM / "index.html").read_text(encoding="utf-8")
    assert "spoilers-errors" not in html and "aardvark" in html


def test_with_materials_social_plugin_cards_only_for_spoiler_free_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Material's social plugin makes a card and OpenGraph tags from a page's title and
    description. The spoilers plugin steps aside where it does (no second set of tags) and keeps
    it away from level pages, which keep the first level's tags. Drawing a card needs Cairo and
    fonts from the network, so that one step is stubbed; everything else is the real plugin."""
    social = pytest.importorskip("material.plugins.social.plugin")
    from mkdocs.structure.files import File

    made: list[str] = []

    def fake_generate(self: object, name: str, page: object, config: object) -> File:
        src = page.file.src_uri  # type: ignore[attr-defined]
        made.append(src)
        card = tmp_path / "cards" / src.replace("/", "_").replace(".md", ".png")
        card.parent.mkdir(parents=True, exist_ok=True)
        card.write_bytes(b"\x89PNG\r\n\x1a\n")
        return File(card.name, str(card.parent), str(config["site_dir"]) + "/assets/cards", False)  # type: ignore[index]

    (tmp_path / "cache").mkdir()
    monkeypatch.setattr(social, "import_errors", set())
    monkeypatch.setattr(social.SocialPlugin, "_generate", fake_generate)
    root = make_site(tmp_path / "social")
    cfg = root / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            "  - search\n", f"  - search\n  - social:\n      cache_dir: {tmp_path / 'cache'}\n"
        ),
        encoding="utf-8",
    )
    out = build(root, root / "out")
    assert f"films/{FILM}/index.md" in made
    assert not [m for m in made if re.match(rf"films/{FILM}/[a-z]+/index\.md", m)], made
    first = head((out / "films" / FILM / "index.html").read_text(encoding="utf-8"))
    assert first.count('property="og:title"') == 1 and "og:image" in first
    assert 'content="article"' not in first  # the social plugin's tags, not ours
    for level in LEVELS[1:]:
        for name in ("index.html", REVEAL):
            h = head((out / "films" / FILM / level / name).read_text(encoding="utf-8"))
            assert h.count('property="og:title"') == 1 and "og:image" not in h, (level, name)
            assert 'content="Test Film (2020)"' in h
