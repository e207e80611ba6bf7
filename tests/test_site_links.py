"""The real site, built under a GitHub Pages project subpath, has no broken internal link, and
`spoilers new` scaffolds a film that passes `spoilers check` and builds at every level."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from support.paths import REPO_ROOT
from support.sites import build as build_site

from mkdocs_plugins.spoilers.cli import main

pytestmark = pytest.mark.build

REPO = REPO_ROOT
BASE = "https://example.org/spoilers-site/"
PREFIX = urlsplit(BASE).path  # /spoilers-site/


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            value = a.get(key)
            if value and not (tag == "link" and a.get("rel") in ("canonical", "preconnect")):
                self.links.append(value)


def parse(path: Path) -> _Links:
    return parse_text(path.read_text(encoding="utf-8"))


def parse_text(markup: str) -> _Links:
    p = _Links()
    p.feed(markup)
    return p


def copy_repo_site(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", dest)
    for name in ("docs", "content", "overrides"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def build(root: Path) -> Path:
    """The site at `root`, built strictly in-process, as published under BASE."""
    old = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = BASE
    try:
        return build_site(root, root / "out")
    finally:
        if old is None:
            del os.environ["SITE_URL"]
        else:
            os.environ["SITE_URL"] = old


def resolve(site: Path, page: Path, link: str) -> tuple[Path, str] | None:
    """The file a link points at (and its fragment), or None for an external link."""
    parts = urlsplit(link)
    if parts.scheme in ("mailto", "data") or (parts.scheme and not link.startswith(BASE)):
        return None
    if parts.netloc and not link.startswith(BASE):
        return None
    path = unquote(parts.path)
    if link.startswith(BASE):
        path = PREFIX + path[len(PREFIX) :]
    if path.startswith("/"):
        # Served under the subpath: absolute links must carry it.
        assert path.startswith(PREFIX), f"{page.relative_to(site)}: {link} escapes {PREFIX}"
        target = site / path[len(PREFIX) :]
    elif path:
        target = page.parent / path
    else:
        target = page
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target.resolve(), parts.fragment


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site, built once for this module under BASE."""
    return build(copy_repo_site(tmp_path_factory.mktemp("site") / "repo"))


def test_no_broken_internal_link_under_a_subpath(repo_site: Path) -> None:
    site = repo_site
    pages = sorted(site.rglob("*.html"))
    ids = {p.resolve(): parse(p).ids for p in pages}
    broken = []
    checked = 0
    for page in pages:
        for link in parse(page).links:
            found = resolve(site, page, link)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            if page.name == "404.html" and not link.startswith(("/", BASE)):
                # GitHub Pages serves 404.html at any depth: its links must be absolute.
                broken.append(f"404.html: relative link {link}")
            elif not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link} (no {target})")
            elif fragment and target in ids and fragment not in ids[target]:
                broken.append(f"{page.relative_to(site)}: {link} (no #{fragment})")
    assert checked > 200
    assert not broken, "\n".join(broken[:20])


def test_404_page_offers_a_way_back_and_no_film_text(repo_site: Path) -> None:
    page = (repo_site / "404.html").read_text(encoding="utf-8")
    article = page.split('<article class="md-content__inner md-typeset">', 1)[1]
    article = article.split("</article>", 1)[0]
    links = parse_text(article).links
    # Absolute, so they work wherever GitHub Pages serves the page; the first goes home.
    assert links[0] == PREFIX
    assert all(link.startswith(PREFIX) for link in links), links
    assert "search" in article.lower()
    assert "404" in article
    # Spoiler-free by construction: no film's title or words appear in the page's own content.
    for film in sorted((REPO / "content" / "films").glob("*.yml")):
        data = yaml.safe_load(film.read_text(encoding="utf-8"))
        for text in (data["title"], data["premise"][:40], data["id"]):
            assert text not in article, f"404.html shows text of {film.name}: {text!r}"


def test_scaffold_fails_check_until_filled_then_builds_at_every_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_repo_site(tmp_path / "writer")
    monkeypatch.chdir(root)
    assert main(["new", "night-ferry-2022", "--title", "Night Ferry"]) == 0
    text = (root / "content/films/night-ferry-2022.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/film.schema.json\n")
    # As written, every placeholder is an error that says what to do.
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    placeholders = sum("Replace:" in ln for ln in text.splitlines() if not ln.startswith("#"))
    assert placeholders >= 4
    assert out.count("error[scaffold-placeholder]") == placeholders
    assert "replace it with the film's own text" in out
    # The writer fills them in: then it passes and builds.
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))
    filled = re.sub(r'"?Replace: ([^"\n]*)"?', lambda m: f'"Night ferry {m.group(1)}"', body)
    (root / "content/films/night-ferry-2022.yml").write_text(filled, encoding="utf-8")
    assert main(["check"]) == 0
    assert "2 film(s) loaded, 0 error(s), 0 warning(s)" in capsys.readouterr().err
    assert main(["new", "night-ferry-2022"]) == 1  # never overwrites a writer's file
    assert main(["new", "Not An Id"]) == 2
    site = build(root)
    for level in ("", "setup/", "middle/", "climax/", "ending/"):
        assert (site / "films/night-ferry-2022" / level / "index.html").is_file()
