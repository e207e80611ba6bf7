"""Site-wide reader checks in a real browser: the switcher by keyboard, search finding nothing
above the first level, every page (levels' texts included) loading cleanly, and the colour
scheme following the system.

The gate and shared links are in test_gate.py, returning readers in test_returning.py, the
explainer page and its "new" marks in test_explainer.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .reader import REVEAL, expect_revealed, level_link
from .support import REPO, ConsoleWatch, Site, plain

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]


# --- keyboard --------------------------------------------------------------------------------


def _focused(page: Page) -> dict[str, object]:
    return dict(
        page.evaluate(
            """() => {
            const a = document.activeElement, s = getComputedStyle(a);
            return {
                inSwitcher: !!a.closest('nav.spoilers-switcher'),
                tag: a.tagName, level: a.getAttribute('data-spoilers-level'),
                focusVisible: a.matches(':focus-visible'),
                outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
                boxShadow: s.boxShadow,
            };
        }"""
        )
    )


def _focus_is_visible(f: dict[str, object]) -> bool:
    outline = f["outlineStyle"] != "none" and float(str(f["outlineWidth"])) > 0
    return bool(f["focusVisible"]) and (outline or f["boxShadow"] not in ("none", ""))


def test_keyboard_reaches_the_switcher_with_visible_focus(site: Site, page: Page) -> None:
    film = site.ballerina
    page.goto(site.film_url(film.id))
    for _ in range(40):
        page.keyboard.press("Tab")
        if _focused(page)["inSwitcher"]:
            break
    focus = _focused(page)
    assert focus["inSwitcher"], "40 presses of Tab never reached the level switcher"
    assert focus["tag"] == "A" and focus["level"] in site.levels, focus
    assert _focus_is_visible(focus), f"no visible focus indicator: {focus}"

    nav = page.get_by_role("navigation", name=f"Spoiler level for {film.title}")
    expect(nav).to_be_visible()
    for level in site.levels:
        link = nav.get_by_role("link", name=re.compile(rf"^{re.escape(film.label(level))}\b"))
        expect(link).to_have_count(1)
        if level == site.ladder.first:
            expect(link).to_have_attribute("aria-current", "page")
        else:
            expect(link).not_to_have_attribute("aria-current", re.compile(".*"))
    snapshot = nav.aria_snapshot()
    assert len(re.findall(r"^\s*- '?link ", snapshot, re.MULTILINE)) == len(site.levels), snapshot

    # Tab on to the next level and press Enter: the keyboard choice counts like a click.
    for _ in range(len(site.levels)):
        if _focused(page)["level"] == site.levels[1]:
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(site.film_url(film.id, site.levels[1]))
    expect_revealed(page, film, site.levels[1])
    expect(level_link(page, site.levels[1])).to_have_attribute("aria-current", "page")


# --- search ----------------------------------------------------------------------------------


def _top_only_word(site: Site) -> str:
    """The longest word of 7+ letters in the top level's facts whose stem (all but its last two
    letters, as search stems and prefix-matches) occurs in nothing a spoiler-free page, the
    hand-written pages or the site config could contain."""
    top = site.levels[-1]
    lower = " ".join(
        plain(t)
        for f in site.films.values()
        for lv in site.levels
        if lv != top
        for t in f.texts_at(lv)
    )
    lower += " ".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("**/*.md"))
    lower += (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    lower = lower.lower()
    words = [
        word
        for text in site.ballerina.facts(top)
        for word in re.findall(r"[A-Za-z]{7,}", plain(text))
        if word.lower()[:-2] not in lower
    ]
    assert words, "no word found only in top-level facts"
    return str(max(words, key=len))


def _search(page: Page, query: str) -> str:
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    for _ in range(3):  # the search worker may still be loading the index
        box.click()
        box.fill("")
        box.press_sequentially(query, delay=20)
        try:
            expect(meta).to_have_text(re.compile(r"matching document"), timeout=5000)
            break
        except AssertionError:
            continue
    return meta.inner_text()


def test_search_finds_spoiler_free_text_and_nothing_graded_higher(site: Site, page: Page) -> None:
    page.goto(site.url())
    word = _top_only_word(site)
    assert _search(page, word) == "No matching documents", word
    expect(page.locator(".md-search-result__item")).to_have_count(0)

    premise_word = max(re.findall(r"[A-Za-z]{7,}", plain(site.ballerina.data["premise"])), key=len)
    meta = _search(page, premise_word)
    assert re.fullmatch(r"\d+ matching documents?", meta), (premise_word, meta)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(results.filter(has_text=site.ballerina.title).first).to_be_visible()


# --- every page is clean, in light and dark --------------------------------------------------


def _site_pages(site: Site) -> list[str]:
    pages = [site.url(), site.url("levels/")]
    for film, level, url in site.all_film_pages():
        pages.append(url)
        if level != site.ladder.first and film == site.ballerina.id:
            pages.append(url + REVEAL)
    return pages


def test_every_page_loads_cleanly(site: Site, page: Page, console: ConsoleWatch) -> None:
    for url in _site_pages(site):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        expect(page.locator("h1").first).to_be_visible()
        if "/films/" in url:
            expect(page.locator("nav.spoilers-switcher")).to_be_visible()
            header_bg = page.locator(".md-header").evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent"), url

    console.allow(r"status of 404")  # the document itself
    missing = site.url("films/no-such-film-1999/")
    response = page.goto(missing)
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text(re.compile("404"))
    header_bg = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent"), "404 page unstyled under subpath"
    page.locator(".md-header__button.md-logo").click()
    page.wait_for_url(site.url())
    # The page's own way back works from any depth under the subpath.
    page.goto(site.url("films/no-such-film-1999/setup/deeper/"))
    page.get_by_role("link", name="Go to the home page").click()
    page.wait_for_url(site.url())


def _luminance(css: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+(?:\.\d+)?", css)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_scheme_follows_the_system(
    site: Site, open_context: OpenContext, scheme: str
) -> None:
    page = open_context(color_scheme=scheme).new_page()
    film = site.ballerina
    top = site.film_url(film.id, site.levels[-1])
    for url in (site.film_url(film.id), top, top + REVEAL):
        page.goto(url)
        expected = "slate" if scheme == "dark" else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
        bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        fg = page.locator("article.md-content__inner").evaluate("e => getComputedStyle(e).color")
        if scheme == "dark":
            assert _luminance(bg) < 0.25 < _luminance(fg), (url, bg, fg)
        else:
            assert _luminance(bg) > 0.9 > _luminance(fg), (url, bg, fg)
