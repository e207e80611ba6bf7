"""A reader who has chosen a level before: never shown the gate again, per film, across reloads,
instant navigation and the back button; and the reader's place is kept between visits.

"Never shown" is measured, not assumed: sampler.js (added to every document with add_init_script)
checks on every DOM change and every frame whether a `.spoilers-gate` is displayed with a size,
and test_gate.py's test_sampler_sees_a_gate shows it does see one when there is one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .reader import choose, expect_gate, expect_revealed, film_root, level_link, show_me
from .support import SAMPLER, Film, Site, sampler, stored

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]


def _sampled(open_context: OpenContext) -> Page:
    context = open_context()
    context.add_init_script(path=SAMPLER)
    return context.new_page()


def _never_gated(page: Page, where: str) -> None:
    page.wait_for_function("window.__spoilersSampler.frames > 2")
    assert sampler(page)["gate"] is False, f"{where}: the gate was shown to a returning reader"


# --- 5. a returning reader -------------------------------------------------------------------


def test_returning_reader_never_sees_the_gate(site: Site, open_context: OpenContext) -> None:
    film = site.ballerina
    page = _sampled(open_context)
    choose(page, site, film, "climax")  # the switcher click counts as choosing
    _never_gated(page, "climax, chosen from the switcher")
    assert stored(page, film.id) == "climax"

    for level in ("climax", "middle"):  # the chosen level, and one below it
        page.goto(site.film_url(film.id, level))
        expect_revealed(page, film, level)
        _never_gated(page, f"{level}, opened directly")
        page.reload()
        expect_revealed(page, film, level)
        _never_gated(page, f"{level}, reloaded")

    # A level above the choice still asks.
    page.goto(site.film_url(film.id, "ending"))
    expect_gate(page, film, "ending")


def test_instant_navigation_between_levels(site: Site, open_context: OpenContext) -> None:
    """Material's instant loading swaps pages in place (spoiler-free pages are in its sitemap;
    level pages are not, so it leaves them to the browser): every way between levels works."""
    film = site.ballerina
    page = _sampled(open_context)
    page.goto(site.url())
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-sidebar--primary").get_by_role("link", name=film.title).click()
    page.wait_for_url(site.film_url(film.id))
    expect(page.locator("nav.spoilers-switcher")).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "home -> film was not instant"

    level_link(page, "climax").click()
    page.wait_for_url(site.film_url(film.id, "climax"))
    expect_revealed(page, film, "climax")
    _never_gated(page, "climax from the spoiler-free page")

    level_link(page, "middle").click()
    page.wait_for_url(re.compile(re.escape(site.film_url(film.id, "middle"))))
    expect_revealed(page, film, "middle")
    _never_gated(page, "middle from climax")

    # Back to the spoiler-free page in place: it offers to continue, and a level from there
    # opens on its text.
    page.evaluate("window.__sameDocument = true")
    level_link(page, site.ladder.first).click()
    page.wait_for_url(re.compile(re.escape(site.film_url(film.id)) + "(#.*)?$"))
    expect(film_root(page, film)).to_have_attribute("data-spoilers-level", site.ladder.first)
    assert page.evaluate("window.__sameDocument === true"), "level -> spoiler-free was not instant"
    expect(
        page.get_by_role("link", name=re.compile(f"^Continue at {film.label('middle')}"))
    ).to_be_visible()
    _never_gated(page, "spoiler-free page")
    level_link(page, "setup").click()
    page.wait_for_url(re.compile(re.escape(site.film_url(film.id, "setup"))))
    expect_revealed(page, film, "setup")
    _never_gated(page, "setup from the spoiler-free page")
    assert stored(page, film.id) == "setup"


def test_choice_is_per_film(site: Site, page: Page) -> None:
    choose(page, site, site.ballerina, "climax")
    other = site.lantern
    page.goto(site.film_url(other.id, "climax"))
    expect_gate(page, other, "climax")
    page.goto(site.film_url(other.id))
    expect(page.locator("[data-spoilers-continue]")).to_be_hidden()
    expect(page.get_by_text(re.compile(r"Continue at"))).to_have_count(0)
    assert stored(page, other.id) is None
    assert stored(page, site.ballerina.id) == "climax"


def test_spoiler_free_page_offers_to_continue_and_forgets(site: Site, page: Page) -> None:
    film = site.ballerina
    choose(page, site, film, "climax")
    page.goto(site.film_url(film.id))
    offer = page.get_by_role("link", name=re.compile(f"^Continue at {film.label('climax')}"))
    expect(offer).to_be_visible()
    assert offer.evaluate("a => a.href").startswith(site.film_url(film.id, "climax"))
    time.sleep(0.5)  # no silent redirect, however late
    assert page.url == site.film_url(film.id)
    assert not film.leaks(page.inner_text("body"), site.ladder.first)

    page.get_by_role("button", name="Forget my choice").click()
    expect(page.locator("[data-spoilers-continue]")).to_be_hidden()
    assert stored(page, film.id) is None
    page.goto(site.film_url(film.id, "climax"))
    expect_gate(page, film, "climax")


# --- 6. the back button ----------------------------------------------------------------------


def test_back_button_after_revealing(site: Site, open_context: OpenContext) -> None:
    film, top = site.ballerina, site.levels[-1]
    page = open_context().new_page()
    page.goto(site.film_url(film.id, top))
    show_me(page).click()
    expect_revealed(page, film, top)

    # Elsewhere in place (Material's instant loading), then back: the remembered text returns.
    level_link(page, site.ladder.first).click()
    page.wait_for_url(re.compile(re.escape(site.film_url(film.id)) + "(#.*)?$"))
    page.go_back()
    page.wait_for_url(site.film_url(film.id, top))
    expect_revealed(page, film, top)
    _usable(page, film)

    # Elsewhere by a full page load, then back.
    page.goto(site.url())
    page.go_back()
    page.wait_for_url(re.compile(re.escape(site.film_url(film.id, top)) + "(#.*)?$"))
    expect_revealed(page, film, top)
    _usable(page, film)
    page.go_forward()
    page.wait_for_url(site.url())
    expect(page.locator("h1").first).to_be_visible()


def test_back_button_to_a_gate_not_accepted(site: Site, open_context: OpenContext) -> None:
    film = site.ballerina
    page = open_context().new_page()
    page.goto(site.film_url(film.id, "middle"))
    page.locator(".spoilers-gate").get_by_role(
        "link", name="Take me to the spoiler-free page"
    ).click()
    page.wait_for_url(site.film_url(film.id))
    page.go_back()
    page.wait_for_url(site.film_url(film.id, "middle"))
    expect_gate(page, film, "middle")
    show_me(page).click()
    expect_revealed(page, film, "middle")
    _usable(page, film)


def _usable(page: Page, film: Film) -> None:
    """The table of contents leads to its sections and the switcher still records choices."""
    link = page.locator("nav.md-nav--secondary a.md-nav__link").nth(3)
    target = str(link.evaluate("a => a.hash"))
    link.click()
    expect(page.locator(f"h2{target}")).to_be_in_viewport()
    assert page.evaluate("document.querySelectorAll('[data-spoilers-film]').length") == 1


# --- 7. keeping place ------------------------------------------------------------------------


def _sections_at(site: Site, film: Film, level: str) -> list[str]:
    limit = site.ladder.rank(level)
    return [str(s["id"]) for s in film.sections() if site.ladder.rank(s["level"]) <= limit]


def _read(page: Page, section: str) -> None:
    """Scroll like a reader to `section`: its heading just below the sticky switcher (twice: the
    switcher is where it sticks only once the page has scrolled)."""
    for _ in range(2):
        page.locator(f"h2#{section}").evaluate(
            "h => scrollBy(0, h.getBoundingClientRect().top"
            " - document.querySelector('.spoilers-switcher').getBoundingClientRect().bottom - 16)"
        )


def _heading_in_view(page: Page, section: str) -> dict[str, float]:
    """The heading is in view below the sticky header and switcher, in the upper part."""
    box = page.locator(f"h2#{section}").evaluate(
        "h => { const r = h.getBoundingClientRect();"
        " const bar = document.querySelector('.spoilers-switcher').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, covered: bar.bottom, height: innerHeight}; }"
    )
    assert box["top"] >= box["covered"] - 1, f"{section} is under the switcher: {box}"
    assert box["bottom"] <= box["height"] / 2, f"{section} is not near the top: {box}"
    return dict(box)


def test_continue_where_you_left_off(site: Site, open_context: OpenContext) -> None:
    film, level = site.ballerina, "climax"
    page = _sampled(open_context)
    choose(page, site, film, level)
    sections = _sections_at(site, film, level)
    section = sections[len(sections) * 2 // 3]
    _read(page, section)
    page.wait_for_function(
        f"localStorage.getItem('spoilers:place:{film.id}') === '{level}#{section}'", timeout=5000
    )

    page.goto(site.film_url(film.id))
    # Reading the spoiler-free page does not move the place kept at the chosen level.
    page.mouse.wheel(0, 1500)
    time.sleep(0.6)
    assert stored(page, f"place:{film.id}") == f"{level}#{section}"
    offer = page.get_by_role("link", name=f"Continue at {film.label(level)}, where you left off")
    expect(offer).to_be_visible()
    offer.click()
    page.wait_for_url(site.film_url(film.id, level) + f"#{section}")
    expect_revealed(page, film, level)
    page.wait_for_function("window.__spoilersSampler.frames > 2")
    _heading_in_view(page, section)
    _never_gated(page, "continue where you left off")


def test_switching_level_keeps_the_section(site: Site, open_context: OpenContext) -> None:
    """Reading a section at one level and choosing another from the switcher lands on the same
    section there, when it exists at that level."""
    film, top = site.ballerina, site.levels[-1]
    page = open_context().new_page()
    choose(page, site, film, top)
    sections = _sections_at(site, film, "middle")
    section = sections[len(sections) * 2 // 3]
    _read(page, section)
    _heading_in_view(page, section)
    assert page.evaluate("scrollY") > 1000
    level_link(page, "middle").click()  # a real click: Playwright scrolls it into view first
    page.wait_for_url(site.film_url(film.id, "middle") + f"#{section}")
    expect_revealed(page, film, "middle")
    _heading_in_view(page, section)
