"""On a phone (390 x 844 CSS px): the switcher's level labels never break inside a word and all
fit; Material's sticky header and the sticky switcher together cover at most 100 px of the
screen; and every citation number, note link, switcher link and button is a target of at least
24 x 24 px (WCAG 2.2, 2.5.8; links inside running prose are exempt under its inline exception).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import PHONE
from .reader import REVEAL, expect_gate, expect_revealed
from .support import Site, preset_choice

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]
MAX_COVER = 100  # px of header + switcher when scrolled
MIN_TARGET = 24  # px, WCAG 2.2 target size (minimum)
# Targets: citation numbers, the notes' links, the switcher, and anything that is a button.
TARGETS = (
    ".spoilers-ref a, ol.spoilers-notes a, nav.spoilers-switcher a, .spoilers button,"
    " .spoilers .md-button, .spoilers summary, .spoilers-continue a, .md-header__button"
)


def _phone(open_context: OpenContext, **options: Any) -> Page:
    context = open_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    return context.new_page()


def _labels(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(
        """() => [...document.querySelectorAll('.spoilers-step__label')].map(l => {
            const r = l.getBoundingClientRect(), a = l.closest('a').getBoundingClientRect();
            return {
                text: l.textContent, lines: l.getClientRects().length, height: r.height,
                lineHeight: parseFloat(getComputedStyle(l).lineHeight), right: r.right,
                left: r.left, linkRight: a.right, linkLeft: a.left,
                fits: l.scrollWidth <= l.clientWidth,
            };
        })"""
    )
    return found


def _cover(page: Page) -> dict[str, float]:
    """After scrolling well into the page: where the header and the stuck switcher end."""
    page.evaluate("window.scrollTo(0, Math.min(1500, document.body.scrollHeight))")
    page.wait_for_function("scrollY > 0")
    box: dict[str, float] = page.evaluate(
        """() => ({
            header: document.querySelector('.md-header').getBoundingClientRect().bottom,
            top: document.querySelector('.spoilers-switcher').getBoundingClientRect().top,
            bottom: document.querySelector('.spoilers-switcher').getBoundingClientRect().bottom,
        })"""
    )
    return box


def _small_targets(page: Page) -> list[str]:
    small: list[str] = page.evaluate(
        """([selector, min]) => [...document.querySelectorAll(selector)]
            .filter(el => el.checkVisibility())
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.width < min - 0.01 || r.height < min - 0.01)
            .map(([el, r]) => `${el.outerHTML.slice(0, 90)} is ${r.width.toFixed(1)} x `
                + `${r.height.toFixed(1)}`)""",
        [TARGETS, MIN_TARGET],
    )
    return small


def _check_phone_page(page: Page, where: str, scrolls: bool = True) -> int:
    labels = _labels(page)
    assert labels
    for label in labels:
        assert label["lines"] == 1 and label["height"] <= 1.5 * label["lineHeight"], (where, label)
        assert label["fits"], (where, label)
        assert label["linkLeft"] - 0.5 <= label["left"], (where, label)
        assert label["right"] <= label["linkRight"] + 0.5, (where, label)
    steps = page.locator("nav.spoilers-switcher ol")
    assert steps.evaluate("o => o.scrollWidth <= o.clientWidth"), f"{where}: levels scroll"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), where

    small = _small_targets(page)
    assert not small, f"{where}: targets under {MIN_TARGET}px:\n" + "\n".join(small[:10])
    count = int(page.locator(TARGETS).count())

    box = _cover(page)
    assert box["top"] >= box["header"] - 1, f"{where}: the switcher slides under the header {box}"
    if scrolls:  # long enough for the switcher to stick under the header
        assert box["top"] <= box["header"] + 1, f"{where}: the switcher did not stick {box}"
        assert box["bottom"] <= MAX_COVER, f"{where}: header + switcher cover {box['bottom']}px"
    return count


def test_phone_layout_and_targets(site: Site, open_context: OpenContext) -> None:
    film, top = site.ballerina, site.levels[-1]
    gate = _phone(open_context)
    gate.goto(site.film_url(film.id, top))
    expect_gate(gate, film, top)
    targets = _check_phone_page(gate, "gate", scrolls=False)  # a short page

    page = _phone(open_context)
    preset_choice(page.context, film.id, top)
    for level in site.levels:
        page.goto(site.film_url(film.id, level))
        expect_revealed(page, film, level)
        if level == site.ladder.first:
            expect(page.get_by_role("button", name="Forget my choice")).to_be_visible()
        targets += _check_phone_page(page, level)
    assert targets > 100, "too few targets measured"


def test_phone_reveal_html_without_javascript(site: Site, open_context: OpenContext) -> None:
    """The no-JavaScript page of a level's text is laid out for a phone too."""
    film, level = site.ballerina, "middle"
    page = _phone(open_context, java_script_enabled=False)
    page.goto(site.film_url(film.id, level) + REVEAL)
    expect_revealed(page, film, level)
    _check_phone_page(page, "reveal.html")
