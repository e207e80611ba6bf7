"""Reader View on a shared link: Firefox's Reader View (Mozilla's Readability, the same library)
reads the page's markup, not what CSS shows, so text merely hidden would come out in it. On every
gate page of every film, what it extracts holds nothing graded above the first level.

Readability comes from npm at test time (conftest.py's `readability_js`, pinned, installed into
test-artifacts/node/); the test skips, saying why, where npm is unavailable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from .reader import REVEAL
from .support import Site, normalise, plain

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]

# As Firefox runs it, except that charThreshold 0 makes it extract whatever it can find rather
# than give up on a short page (a stricter test: nothing is left out for being short).
PARSE = """() => {
    const article = new Readability(document.cloneNode(true), {charThreshold: 0}).parse();
    return article && {
        title: article.title, byline: article.byline, excerpt: article.excerpt,
        siteName: article.siteName, text: article.textContent, html: article.content,
    };
}"""


def _reader_view(page: Page, script: Path, url: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.add_script_tag(path=script)
    article = page.evaluate(PARSE)
    assert article is not None, f"Readability found no article in {url}"
    return dict(article)


def test_reader_view_of_every_gate_holds_nothing_above_the_first_level(
    site: Site, open_context: OpenContext, readability_js: Path
) -> None:
    first = site.ladder.first
    page = open_context(java_script_enabled=True).new_page()
    checked = 0
    for film in site.films.values():
        premise = plain(film.data["premise"])
        for level in site.levels[1:]:
            article = _reader_view(page, readability_js, site.film_url(film.id, level))
            text = normalise(" ".join(str(article[k] or "") for k in article if k != "html"))
            # It did read the page: the spoiler-free premise is what it found.
            assert premise[:40] in text, (film.id, level, text[:200])
            leaks = film.leaks(text, first) + film.raw_leaks(str(article["html"] or ""), first)
            assert not leaks, f"Reader View of {film.id}/{level} shows: {leaks[:5]}"
            checked += 1
    assert checked == len(site.films) * (len(site.levels) - 1)

    # The same extraction of a level's text does find what is graded above the first level.
    film, top = site.ballerina, site.levels[-1]
    article = _reader_view(page, readability_js, site.film_url(film.id, top) + REVEAL)
    assert len(film.leaks(str(article["text"]), first)) > 50
