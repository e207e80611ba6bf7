"""Real strict builds of a temporary site (Material theme) and assertions over the built files.

Each fixture film carries one unique marker word per level (aardvark at none, buffalo at setup,
...). A guarantee holds when each marker shows up exactly where its level allows.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "site"
LEVELS = ("none", "setup", "middle", "climax", "ending")
FILM = "test-film-2020"
OTHER = "paper-lantern-2019"
# Marker words and the level at which each first appears, per film.
MARKERS = {
    FILM: {
        "aardvark": "none",
        "buffalo": "setup",
        "chinchilla": "middle",
        "kangaroo": "middle",
        "Marlow": "middle",
        "elephant": "climax",
        "falcon": "climax",
        "zebrafish": "climax",
        "dolphin": "ending",
    },
    OTHER: {
        "walrus": "none",
        "axolotl": "setup",
        "octopus": "climax",
        "heron": "climax",
        "pelican": "ending",
    },
}


def make_site(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    schema = dest / "content" / "schema"
    schema.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content" / "schema" / "film.schema.json", schema)
    return dest


def mkdocs(
    site: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("build") / "site-src")
    proc = mkdocs(root, "build", "--strict", "-d", "out")
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    return root / "out"


def page(site: Path, film: str, level: str) -> str:
    sub = "" if level == "none" else f"{level}/"
    return (site / "films" / film / sub / "index.html").read_text(encoding="utf-8")


def rank(level: str) -> int:
    return LEVELS.index(level)


def head(html: str) -> str:
    return html.split("</head>", 1)[0]


def test_one_page_per_film_per_level(site: Path) -> None:
    for film in MARKERS:
        assert (site / "films" / film / "index.html").is_file()
        for level in LEVELS[1:]:
            assert (site / "films" / film / level / "index.html").is_file()


@pytest.mark.parametrize("film", list(MARKERS))
@pytest.mark.parametrize("level", LEVELS)
def test_level_pages_are_cumulative_and_hold_nothing_above(
    site: Path, film: str, level: str
) -> None:
    html = page(site, film, level)
    for word, at in MARKERS[film].items():
        present = re.search(rf"\b{word}\b", html, re.IGNORECASE) is not None
        assert present == (rank(at) <= rank(level)), f"{word} ({at}) on the {level} page"


def test_no_marker_above_first_level_outside_its_own_level_pages(site: Path) -> None:
    """Home, 404, search index, sitemap, assets and every first-level page: first level only."""
    hidden = [w for film in MARKERS.values() for w, at in film.items() if at != "none"]
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix not in {".html", ".json", ".js", ".css", ".xml"}:
            continue
        rel = path.relative_to(site).as_posix()
        parts = rel.split("/")
        if parts[0] == "films" and len(parts) == 4:  # films/<id>/<level>/index.html
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for word in hidden:
            assert not re.search(rf"\b{word}\b", text, re.IGNORECASE), f"{word} in {rel}"


def test_noindex_and_canonical_only_above_first_level(site: Path) -> None:
    canonical = f'<link rel="canonical" href="http://127.0.0.1:8000/films/{FILM}/">'
    first = head(page(site, FILM, "none"))
    assert 'name="robots"' not in first
    assert first.count('rel="canonical"') == 1 and canonical in first
    for level in LEVELS[1:]:
        h = head(page(site, FILM, level))
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
        assert tags(page(site, FILM, level)) == first, level


def test_heading_anchors_are_section_ids_and_toc_lists_only_visible_sections(site: Path) -> None:
    setup = page(site, FILM, "setup")
    assert '<h2 id="what-is-it">' in setup
    assert 'id="who-sent-it"' not in setup and "#who-sent-it" not in setup
    middle = page(site, FILM, "middle")
    assert '<h2 id="who-sent-it">' in middle
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', middle, re.DOTALL)
    assert toc and "#who-sent-it" in toc.group(0)
    toc_setup = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', setup, re.DOTALL)
    assert toc_setup and "#what-is-it" in toc_setup.group(0)
    assert "Who sent the parcel" not in toc_setup.group(0)


def test_search_index_holds_first_level_pages_only(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert f"films/{FILM}/" in locations
    for level in LEVELS[1:]:
        assert f"films/{FILM}/{level}/" not in locations
    text = json.dumps(index)
    assert "aardvark" in text and "buffalo" not in text


def test_sitemap_lists_first_level_pages_only(site: Path) -> None:
    xml = (site / "sitemap.xml").read_text(encoding="utf-8")
    gz = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8")
    assert xml == gz
    locs = re.findall(r"<loc>([^<]*)</loc>", xml)
    assert f"http://127.0.0.1:8000/films/{FILM}/" in locs
    assert all(not re.search(r"/films/[^/]+/[^/]+/$", loc) for loc in locs), locs


def test_404_and_home_are_spoiler_free_and_home_lists_every_film(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    for title, year, director, premise in (
        ("Test Film", 2020, "Jane Doe", "must deliver a parcel"),
        ("Paper Lantern", 2019, "Sam Invented", "keeps the lanterns burning"),
    ):
        card = re.search(
            rf'<article class="spoilers-card">.*?{title}.*?</article>', home, re.DOTALL
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
    html = page(site, FILM, level)
    nav = re.search(
        r'<nav class="spoilers-switcher" aria-label="([^"]+)">(.*?)</nav>', html, re.DOTALL
    )
    assert nav and nav.group(1) == "Spoiler level for Test Film"
    links = re.findall(
        r'<a href="([^"]*)" data-spoilers-level="([a-z]+)"( aria-current="page")?>', nav.group(2)
    )
    assert [lv for _, lv, _ in links] == list(LEVELS)
    assert [lv for _, lv, cur in links if cur] == [level]
    here = site / "films" / FILM / ("" if level == "none" else level)
    for href, lv, _ in links:
        target = (here / href / "index.html").resolve()
        expected = site / "films" / FILM / ("" if lv == "none" else lv) / "index.html"
        assert target == expected.resolve(), (href, lv)
    for label in ("Spoiler-free", "Setup", "The first act: who and why"):
        assert label in nav.group(2)


def test_gate_wraps_the_body_above_first_level_only(site: Path) -> None:
    first = page(site, FILM, "none")
    assert "spoilers-gate" not in first and 'id="spoilers-reveal"' not in first
    for level in LEVELS[1:]:
        html = page(site, FILM, level)
        toggle = html.index(
            '<input type="checkbox" id="spoilers-reveal" class="spoilers-gate__toggle">'
        )
        gate = html.index('class="spoilers-gate"')
        body = html.index('<div class="spoilers-body">')
        assert toggle < gate < body
        # Nothing graded at this level may come before the body (the gate text is generic).
        assert "buffalo" not in html[:body]
        assert "Take me to the spoiler-free page" in html[gate:body]


def test_more_line_is_identical_whether_or_not_a_section_continues(site: Path) -> None:
    """`what-is-it` has nothing above setup; `who-sent-it` does. Same line for both."""
    html = page(site, FILM, "middle")
    mores = re.findall(r'<p class="spoilers-more">(.*?)</p>', html)
    assert len(mores) == 2
    assert [re.sub(r"#[a-z0-9-]+", "#", m) for m in mores] == [
        'More may be revealed at <a href="../climax/#" data-spoilers-level="climax">Climax</a>.'
    ] * 2
    assert "spoilers-more" not in page(site, FILM, "ending")


def test_citations_single_source_and_disagreements(site: Path) -> None:
    html = page(site, FILM, "climax")
    for sid in re.findall(r'class="spoilers-cite" href="#source-([a-z0-9-]+)"', html):
        assert f'id="source-{sid}"' in html
    fact = re.search(r"<li>A thriller aardvark\..*?</li>", html, re.DOTALL)
    assert fact and "single source" in fact.group(0)
    both = re.search(r"<li>The parcel is stolen early on buffalo\..*?</li>", html, re.DOTALL)
    assert both and "single source" not in both.group(0)
    callout = re.search(r'<div class="admonition spoilers-disagree">.*?</div>', html, re.DOTALL)
    assert callout and "Sources disagree: Who fires first?" in callout.group(0)
    assert "elephant" in callout.group(0) and "falcon" in callout.group(0)
    assert "spoilers-disagree" not in page(site, FILM, "middle")


def test_characters_as_known_at_each_level_and_cast_roles(site: Path) -> None:
    none = page(site, FILM, "none")
    assert "<strong>Actor One</strong> as Ana" in none
    assert "<strong>Actor Two</strong></li>" in none  # role hidden until `middle`
    assert "A courier." in none and "betrays" not in none
    middle = page(site, FILM, "middle")
    assert "<strong>Actor Two</strong> as Marlow" in middle
    climax = page(site, FILM, "climax")
    assert "betrays everyone" in climax and "<dd>A courier. " not in climax


def test_content_notes_are_collapsed(site: Path, tmp_path: Path) -> None:
    root = make_site(tmp_path / "notes")
    film = root / "content" / "films" / f"{FILM}.yml"
    film.write_text(
        film.read_text(encoding="utf-8").replace(
            "sources:\n",
            "content_notes:\n  - {id: violence, label: Violence, detail: Some fights.}\nsources:\n",
            1,
        ),
        encoding="utf-8",
    )
    proc = mkdocs(root, "build", "--strict", "-d", "out")
    assert proc.returncode == 0, proc.stderr
    html = (root / "out" / "films" / FILM / "index.html").read_text(encoding="utf-8")
    details = re.search(r'<details class="spoilers-notes[^"]*">(.*?)</details>', html, re.DOTALL)
    assert details and "<strong>Violence</strong>" in details.group(1)
    assert "<details open" not in html


def test_plugin_assets_are_small(site: Path) -> None:
    total = sum(
        len(gzip.compress((site / "spoilers" / name).read_bytes(), compresslevel=9))
        for name in ("spoilers.js", "spoilers.css")
    )
    print(f"plugin JS+CSS gzipped: {total} bytes")
    assert total <= 4096


def test_bad_content_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    root = make_site(tmp_path / "bad")
    film = root / "content" / "films" / f"{FILM}.yml"
    film.write_text(
        film.read_text(encoding="utf-8").replace(
            "level: setup, text: The parcel", "level: sequel, text: The parcel"
        ),
        encoding="utf-8",
    )
    proc = mkdocs(root, "build", "--strict", "-d", "out")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert re.search(rf"content/films/{FILM}\.yml:\d+:\d+: error\[unknown-level\]", proc.stderr), (
        proc.stderr
    )
    assert not (root / "out" / "films").exists()


def test_preview_is_refused_by_a_production_build(tmp_path: Path) -> None:
    root = make_site(tmp_path / "preview")
    cfg = root / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            "  - spoilers\n", "  - spoilers:\n      preview: true\n"
        ),
        encoding="utf-8",
    )
    proc = mkdocs(root, "build", "-d", "out")
    assert proc.returncode != 0
    assert "preview is for `mkdocs serve` only" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_preview_under_serve_shows_every_level_coloured(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = make_site(tmp_path / "serve")
    cfg_file = root / "mkdocs.yml"
    cfg_file.write_text(
        cfg_file.read_text(encoding="utf-8").replace(
            "  - spoilers\n", "  - spoilers:\n      preview: true\n"
        ),
        encoding="utf-8",
    )
    config = load_config(str(cfg_file), site_dir=str(root / "out"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    html = (root / "out" / "films" / FILM / "preview" / "index.html").read_text(encoding="utf-8")
    assert f'data-spoilers-preview="{FILM}"' in html
    for word, at in MARKERS[FILM].items():
        if word != "Marlow":
            assert re.search(rf'class="spoilers-lv spoilers-lv-{rank(at)}"[^\n]*{word}', html), word
    assert '<meta name="robots" content="noindex">' in html
    assert "preview" not in (root / "out" / "sitemap.xml").read_text(encoding="utf-8")


def test_site_url_subpath_links_resolve(tmp_path: Path) -> None:
    root = make_site(tmp_path / "sub")
    proc = mkdocs(
        root, "build", "--strict", "-d", "out", env={"SITE_URL": "https://example.org/project/"}
    )
    assert proc.returncode == 0, proc.stderr
    html = (root / "out" / "films" / FILM / "setup" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/project/films/test-film-2020/">' in html
    assert "<loc>https://example.org/project/films/test-film-2020/</loc>" in (
        root / "out" / "sitemap.xml"
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
