"""What a reader does and sees on a film page, as expectations the test files share.

A level's own address (`films/<id>/<level>/`) is a gate: the film's title, the switcher, "This page
reveals ...", "Show me" (a link to reveal.html beside it) and the spoiler-free premise and credits,
with an empty table of contents. Once the reader says yes (or had said yes before), spoilers.js
puts the level's text in place of the film body and Material's table of contents.
"""

from __future__ import annotations

import contextlib
import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from .support import TOC_LINKS, Film, Site, body_text, normalise, plain

REVEAL = "reveal.html"


def level_link(page: Page, level: str) -> Locator:
    return page.locator(f"nav.spoilers-switcher a[data-spoilers-level='{level}']")


def film_root(page: Page, film: Film) -> Locator:
    return page.locator(f"[data-spoilers-film='{film.id}']")


def show_me(page: Page) -> Locator:
    return page.locator(".spoilers-gate").get_by_role("link", name="Show me", exact=True)


# Waits for the film body to be in a state, checked on every frame (Playwright's `expect` retries
# at 100, 250, 500 and 1000 ms, which adds up over a suite of page swaps); `expect` then confirms.
_STATE = """([film, level, gated]) => {
    const root = document.querySelector(`[data-spoilers-film='${film}']`);
    return !!root && root.getAttribute('data-spoilers-level') === level
        && root.hasAttribute('data-spoilers-gated') === gated
        && !!document.querySelector('.spoilers-gate') === gated;
}"""


def _settle(page: Page, film: Film, level: str, gated: bool) -> None:
    with contextlib.suppress(PlaywrightError):  # if it never settles, the expectations say how
        page.wait_for_function(_STATE, arg=[film.id, level, gated], polling="raf", timeout=5000)


def expect_gate(page: Page, film: Film, level: str) -> None:
    """The level's own address, before the reader says yes: the whole gate is there and shown,
    and nothing graded above the first level can be read, in the page or its table of contents."""
    _settle(page, film, level, gated=True)
    first = film.ladder.first
    root = film_root(page, film)
    expect(root).to_have_attribute("data-spoilers-gated", "")
    expect(root).to_have_attribute("data-spoilers-level", level)
    gate = page.locator(".spoilers-gate")
    expect(gate).to_be_visible()
    expect(gate.locator(".spoilers-gate__title")).to_have_text(
        f"This page reveals {film.label(level)} of {film.title}: {film.ladder.descriptions[level]}."
    )
    expect(show_me(page)).to_be_visible()
    # reveal.html beside the page (Material's instant loading makes every href absolute).
    here = page.url.split("#", 1)[0].split("?", 1)[0]
    assert show_me(page).evaluate("a => a.href") == here.rsplit("/", 1)[0] + "/" + REVEAL
    expect(gate.get_by_role("link", name="Take me to the spoiler-free page")).to_be_visible()
    expect(page.locator(".spoilers-premise")).to_have_text(plain(film.data["premise"]))
    expect(page.locator(".spoilers-credits")).to_contain_text(
        f"Directed by {film.data['director']}"
    )
    expect(page.locator(TOC_LINKS)).to_have_count(0)
    expect(page.locator(".spoilers-main h2")).to_have_count(0)
    assert not film.leaks(body_text(page), first), "text above the first level readable"
    dom = str(page.evaluate("document.documentElement.outerHTML"))
    assert not film.raw_leaks(dom, first), "text above the first level in the DOM"


def expect_revealed(page: Page, film: Film, level: str) -> None:
    """The level's text is shown (in place of the gate, or as reveal.html): its facts, its table
    of contents, and nothing graded above it."""
    _settle(page, film, level, gated=False)
    root = film_root(page, film)
    expect(root).to_have_attribute("data-spoilers-level", level)
    expect(root).not_to_have_attribute("data-spoilers-gated", re.compile(".*"))
    expect(page.locator(".spoilers-gate")).to_have_count(0)
    if film.facts(level):
        fact = page.locator(".spoilers-main p", has_text=film.fact(level)).first
        expect(fact).to_be_visible()
    titles = film.section_titles(level)
    toc = page.locator(TOC_LINKS)
    expect(toc).to_contain_text(titles)
    viewport = page.viewport_size
    if viewport is not None and viewport["width"] >= 1220:  # Material's sidebar breakpoint
        expect(page.locator(".md-sidebar--secondary")).to_be_visible()
    above = [
        normalise(s["title"]) for s in film.sections() if s["id"] in film.section_ids_above(level)
    ]
    shown = [normalise(t) for t in toc.all_text_contents()]
    assert not [t for t in above if t in shown], f"sections above {level} in the TOC"
    assert not film.leaks(body_text(page), level), f"text above {level} readable"


def choose(page: Page, site: Site, film: Film, level: str) -> None:
    """Pick `level` from the switcher on the film's spoiler-free page, like a reader."""
    page.goto(site.film_url(film.id))
    level_link(page, level).click()
    page.wait_for_url(site.film_url(film.id, level))
    expect_revealed(page, film, level)
