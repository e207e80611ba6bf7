"""What a reader sees in a real browser: spoiler-free first visits, remembered choices, the
deep-link gate (with and without JavaScript, at first paint), keeping place, keyboard use,
search, and clean pages in light and dark.

Every check is on what is visible (or present at all), and every piece of content is picked at
run time from the same film files the site is built from (see support.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Error, Locator, Page, expect

from .support import REPO, ConsoleWatch, Film, Site, html_text, normalise, plain

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]


# --- helpers ---------------------------------------------------------------------------------


def body_text(page: Page) -> str:
    """What the reader can read right now (innerText skips undisplayed and hidden text)."""
    return normalise(page.evaluate("document.body ? document.body.innerText : ''"))


def switcher_links(page: Page) -> Locator:
    return page.locator("nav.spoilers-switcher a[data-spoilers-level]")


def level_link(page: Page, level: str) -> Locator:
    return page.locator(f"nav.spoilers-switcher a[data-spoilers-level='{level}']")


def fact_item(page: Page, text: str) -> Locator:
    return page.locator(".spoilers-facts li", has_text=text).first


def stored_level(page: Page, film: Film) -> str | None:
    value = page.evaluate(f"localStorage.getItem('spoilers:{film.id}')")
    return value if value is None else str(value)


def expect_unlocked(page: Page, film: Film, level: str) -> None:
    """The page shows `level`'s content without asking: no gate, the body and its facts."""
    expect(page.locator(".spoilers-gate")).to_be_hidden()
    expect(page.locator(".spoilers-body")).to_be_visible()
    expect(fact_item(page, film.fact(level))).to_be_visible()
    expect(page.locator(".md-sidebar--secondary")).to_be_visible()


def expect_gated(page: Page, film: Film, level: str) -> None:
    """The page asks first: the gate is shown, and nothing graded at `level` can be read."""
    gate = page.locator(".spoilers-gate")
    expect(gate).to_be_visible()
    expect(gate.get_by_text("Show me", exact=True)).to_be_visible()
    expect(gate.get_by_role("link", name="Take me to the spoiler-free page")).to_be_visible()
    expect(page.locator(".spoilers-body")).to_be_hidden()
    expect(fact_item(page, film.fact(level))).to_be_hidden()
    # Material draws the table of contents outside the gated body; it must not show either.
    expect(page.locator(".md-sidebar--secondary")).to_be_hidden()
    text = body_text(page)
    for piece in [plain(t)[:40] for t in film.texts_at(level)] + [film.fact(level)]:
        if len(piece) >= 12:  # names like "diary" also occur in lower-level text
            assert piece not in text, f"{level} text readable behind the gate: {piece!r}"


def choose(page: Page, film: Film, site: Site, level: str) -> None:
    """Pick `level` from the switcher on the film's spoiler-free page, like a reader."""
    page.goto(site.film_url(film.id))
    level_link(page, level).click()
    page.wait_for_url(site.film_url(film.id, level))


# --- 1. first visit --------------------------------------------------------------------------


def test_first_visit_is_spoiler_free(site: Site, page: Page) -> None:
    film = site.ballerina
    response = page.goto(site.film_url(film.id))
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_contain_text(film.title)
    expect(fact_item(page, film.fact(site.ladder.first))).to_be_visible()
    expect(page.locator(".spoilers-gate, #spoilers-reveal")).to_have_count(0)
    expect(page.locator("[data-spoilers-continue]")).to_be_hidden()
    current = level_link(page, site.ladder.first)
    expect(current).to_have_attribute("aria-current", "page")

    visible, dom = body_text(page), html_text(page.content())
    hidden = film.fact_snippets_above(site.ladder.first)
    assert len(hidden) > 10
    for piece in hidden:
        assert piece not in visible, f"above-first fact visible: {piece!r}"
        assert piece not in dom, f"above-first fact in the DOM: {piece!r}"


# --- 2. a choice is remembered ---------------------------------------------------------------


def test_choice_is_remembered_across_reload_navigation_and_instant_loading(
    site: Site, page: Page
) -> None:
    film = site.ballerina
    choose(page, film, site, "climax")  # the click counts as choosing: no gate
    expect_unlocked(page, film, "climax")
    assert stored_level(page, film) == "climax"
    dom = html_text(page.content())
    assert not [p for p in film.fact_snippets_above("climax") if p in dom]

    page.reload()
    expect_unlocked(page, film, "climax")
    # A returning reader is never shown the gate, not even for a frame while the page loads.
    samples = _texts_while_loading(page, site.film_url(film.id, "climax"))
    assert not [s for s in samples if "Show me" in s or "This page reveals" in s]

    page.goto(site.film_url(film.id, "climax"))
    expect_unlocked(page, film, "climax")

    # Material's instant navigation swaps the page in place: the film page arrives by XHR, and
    # the switcher on it must still record and honour the choice.
    page.goto(site.url())
    page.evaluate("window.__spoilersMarker = 'same document'")
    page.locator(".md-sidebar--primary").get_by_role("link", name=film.title).click()
    page.wait_for_url(site.film_url(film.id))
    expect(page.locator("nav.spoilers-switcher")).to_be_visible()
    assert page.evaluate("window.__spoilersMarker") == "same document", "instant nav reloaded"
    expect(page.get_by_role("link", name=f"Continue at {film.label('climax')}")).to_be_visible()
    level_link(page, "climax").click()
    page.wait_for_url(site.film_url(film.id, "climax"))
    expect_unlocked(page, film, "climax")


# --- 3. choices are per film -----------------------------------------------------------------


def test_choice_is_per_film(site: Site, page: Page) -> None:
    choose(page, site.ballerina, site, "climax")
    other = site.lantern
    page.goto(site.film_url(other.id, "climax"))
    expect_gated(page, other, "climax")
    page.goto(site.film_url(other.id))
    expect(fact_item(page, other.fact(site.ladder.first))).to_be_visible()
    expect(page.locator("[data-spoilers-continue]")).to_be_hidden()
    expect(page.get_by_text(re.compile(r"Continue at"))).to_have_count(0)
    assert stored_level(page, other) is None
    assert stored_level(page, site.ballerina) == "climax"


# --- 4. the spoiler-free page offers to continue, never jumps ---------------------------------


def test_spoiler_free_page_offers_to_continue_without_jumping(site: Site, page: Page) -> None:
    film = site.ballerina
    choose(page, film, site, "climax")
    page.goto(site.film_url(film.id))
    offer = page.get_by_role("link", name=f"Continue at {film.label('climax')}")
    expect(offer).to_be_visible()
    assert offer.evaluate("a => a.href") == site.film_url(film.id, "climax")
    time.sleep(1)  # no silent redirect, however late
    assert page.url == site.film_url(film.id)
    expect(fact_item(page, film.fact("climax"))).to_have_count(0)

    offer.click()
    page.wait_for_url(site.film_url(film.id, "climax"))
    expect_unlocked(page, film, "climax")

    page.goto(site.film_url(film.id))
    page.get_by_role("button", name="Forget my choice").click()
    expect(page.locator("[data-spoilers-continue]")).to_be_hidden()
    assert stored_level(page, film) is None
    page.goto(site.film_url(film.id, "climax"))
    expect_gated(page, film, "climax")


# --- 5. a shared deep link asks first --------------------------------------------------------


def test_deep_link_asks_first(site: Site, open_context: OpenContext) -> None:
    film, top = site.ballerina, site.levels[-1]
    page = open_context().new_page()
    page.goto(site.film_url(film.id, top))
    expect_gated(page, film, top)
    text = body_text(page)
    for piece in film.fact_snippets_above(site.levels[-2]):
        assert piece not in text, f"{top} fact readable behind the gate: {piece!r}"

    page.get_by_text("Show me", exact=True).click()
    expect_unlocked(page, film, top)
    assert stored_level(page, film) == top  # accepting the gate counts as choosing

    page = open_context().new_page()
    page.goto(site.film_url(film.id, top))
    page.get_by_role("link", name="Take me to the spoiler-free page").click()
    page.wait_for_url(site.film_url(film.id))
    expect(fact_item(page, film.fact(site.ladder.first))).to_be_visible()
    assert stored_level(page, film) is None


def _texts_while_loading(page: Page, url: str) -> list[str]:
    """innerText sampled from the first committed bytes until the page has settled."""
    page.goto(url, wait_until="commit")
    seen: list[str] = []
    settled = 0
    deadline = time.monotonic() + 15
    while settled < 3 and time.monotonic() < deadline:
        try:
            state, text = page.evaluate(
                "[document.readyState, document.body ? document.body.innerText : '']"
            )
        except Error:  # the document was replaced mid-evaluation: sample again
            continue
        seen.append(normalise(text))
        if state == "complete":
            settled += 1
    assert settled, "the page never finished loading"
    return seen


@pytest.mark.parametrize("mode", ["scripts", "scripts-blocked", "javascript-off"])
def test_deep_link_hides_everything_from_first_paint(
    site: Site, open_context: OpenContext, console: ConsoleWatch, artifacts: Path, mode: str
) -> None:
    film, top = site.ballerina, site.levels[-1]
    url = site.film_url(film.id, top)
    context = open_context(java_script_enabled=mode != "javascript-off")
    if mode == "scripts-blocked":
        context.route("**/*.js", lambda route: route.abort())
        console.allow(r"Failed to load resource: net::ERR_FAILED")
    page = context.new_page()

    page.goto(url, wait_until="commit")
    page.wait_for_load_state("domcontentloaded")
    first = body_text(page)
    page.screenshot(path=artifacts / f"first-paint-{top}-{mode}.png")

    hidden = film.fact_snippets_above(site.levels[-2])
    hidden += [s["title"] for s in film.sections() if s["level"] == top]
    samples = [first, *_texts_while_loading(page, url)]
    assert any("Show me" in s for s in samples)
    for n, text in enumerate(samples):
        for piece in hidden:
            assert piece not in text, f"sample {n}/{len(samples)} ({mode}) shows {piece!r}"
    expect_gated(page, film, top)


# --- 6. without JavaScript -------------------------------------------------------------------


def test_without_javascript_the_css_gate_holds_and_levels_work(
    site: Site, open_context: OpenContext
) -> None:
    film, top = site.ballerina, site.levels[-1]
    page = open_context(java_script_enabled=False).new_page()
    page.goto(site.film_url(film.id, top))
    assert page.evaluate("document.documentElement.classList.contains('no-js')")
    expect_gated(page, film, top)
    page.locator("label[for='spoilers-reveal']").click()
    expect(fact_item(page, film.fact(top))).to_be_visible()
    expect(page.locator(".spoilers-gate")).to_be_hidden()

    # The switcher is plain links: each level is a page of its own.
    level_link(page, "setup").click()
    page.wait_for_url(site.film_url(film.id, "setup"))
    expect_gated(page, film, "setup")  # nothing remembers without JavaScript: it asks again
    page.get_by_text("Show me", exact=True).click()
    expect(fact_item(page, film.fact("setup"))).to_be_visible()
    expect(fact_item(page, film.fact(top))).to_have_count(0)

    level_link(page, site.ladder.first).click()
    page.wait_for_url(site.film_url(film.id))
    expect(fact_item(page, film.fact(site.ladder.first))).to_be_visible()
    expect(page.locator("[data-spoilers-continue]")).to_be_hidden()

    # Rendered as designed: Material's styles and the switcher's progress-bar layout apply.
    _expect_styled(page)


def _expect_styled(page: Page) -> None:
    header_bg = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent"), "Material CSS missing"
    steps = page.locator("nav.spoilers-switcher ol")
    assert steps.evaluate("e => getComputedStyle(e).display") == "flex", "spoilers.css missing"
    boxes = [b for b in (a.bounding_box() for a in switcher_links(page).all()) if b]
    assert len({round(b["y"]) for b in boxes}) == 1, "switcher steps are not laid out in a row"


# --- 7. keeping place ------------------------------------------------------------------------


def _mid_section(site: Site, film: Film, target: str) -> str:
    """A section graded at or below `target` that sits mid-page on the top level's page."""
    limit = site.ladder.rank(target)
    ok = [s["id"] for s in film.sections() if site.ladder.rank(s["level"]) <= limit]
    assert len(ok) >= 3
    return str(ok[len(ok) * 2 // 3])


def _heading_in_view(page: Page, section: str) -> dict[str, float]:
    box = page.locator(f"h2#{section}").evaluate(
        "h => { const r = h.getBoundingClientRect();"
        " const bar = document.querySelector('.md-header').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, header: bar.bottom, height: innerHeight}; }"
    )
    assert box["top"] >= box["header"] - 1 and box["bottom"] <= box["height"], box
    return dict(box)


def _read_section(site: Site, page: Page, section: str) -> None:
    film, top = site.ballerina, site.levels[-1]
    choose(page, film, site, top)
    # As a reader would have it: the heading just below Material's fixed header.
    page.locator(f"h2#{section}").evaluate(
        "h => scrollBy(0, h.getBoundingClientRect().top"
        " - document.querySelector('.md-header').getBoundingClientRect().bottom - 16)"
    )
    _heading_in_view(page, section)
    assert page.evaluate("scrollY") > 1000


def test_switcher_carries_the_section_being_read(site: Site, page: Page) -> None:
    """The mechanism: activating the switcher while reading a section appends its anchor.
    (Activated where the reader is, without scrolling to the top: see the next test.)"""
    section = _mid_section(site, site.ballerina, "middle")
    _read_section(site, page, section)
    level_link(page, "middle").evaluate("a => a.click()")
    page.wait_for_url(site.film_url(site.ballerina.id, "middle") + f"#{section}")
    page.wait_for_load_state("load")
    _heading_in_view(page, section)
    expect_unlocked(page, site.ballerina, "middle")


def test_switching_level_keeps_place_with_a_real_click(site: Site, page: Page) -> None:
    section = _mid_section(site, site.ballerina, "middle")
    _read_section(site, page, section)
    level_link(page, "middle").click()  # a real click: Playwright scrolls it into view first
    page.wait_for_url(re.compile(re.escape(site.film_url(site.ballerina.id, "middle"))))
    page.wait_for_load_state("load")
    assert page.url.endswith(f"#{section}"), page.url
    _heading_in_view(page, section)


# --- 8. keyboard -----------------------------------------------------------------------------


def _focused(page: Page) -> dict[str, object]:
    return dict(
        page.evaluate(
            """() => {
            const a = document.activeElement, s = getComputedStyle(a);
            return {
                inSwitcher: !!a.closest('nav.spoilers-switcher'),
                tag: a.tagName, level: a.getAttribute('data-spoilers-level'),
                current: a.getAttribute('aria-current'),
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
    expect_unlocked(page, film, site.levels[1])
    expect(level_link(page, site.levels[1])).to_have_attribute("aria-current", "page")


def test_keyboard_can_accept_the_gate(site: Site, page: Page) -> None:
    film, top = site.ballerina, site.levels[-1]
    page.goto(site.film_url(film.id, top))
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "spoilers-reveal":
            break
    toggle = page.get_by_role("checkbox", name="Show me")
    expect(toggle).to_be_focused()
    label = page.locator("label[for='spoilers-reveal']")
    style = label.evaluate("l => getComputedStyle(l).outlineStyle")
    assert style != "none", "the focused gate toggle shows no focus ring on its label"
    page.keyboard.press("Space")
    expect_unlocked(page, film, top)


# --- 9. search -------------------------------------------------------------------------------


def _ending_only_word(site: Site) -> str:
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
    word = _ending_only_word(site)
    assert _search(page, word) == "No matching documents", word
    expect(page.locator(".md-search-result__item")).to_have_count(0)

    premise_word = max(re.findall(r"[A-Za-z]{7,}", plain(site.ballerina.data["premise"])), key=len)
    meta = _search(page, premise_word)
    assert re.fullmatch(r"\d+ matching documents?", meta), (premise_word, meta)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(results.filter(has_text=site.ballerina.title).first).to_be_visible()


# --- 10. every page is clean, in light and dark ----------------------------------------------


def _site_pages(site: Site) -> list[str]:
    return [site.url(), site.url("levels/")] + [u for _, _, u in site.all_film_pages()]


def test_every_page_loads_cleanly(site: Site, page: Page, console: ConsoleWatch) -> None:
    for url in _site_pages(site):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        expect(page.locator("h1").first).to_be_visible()
        if "/films/" in url:
            expect(page.locator("nav.spoilers-switcher")).to_be_visible()
            _expect_styled(page)

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
    for url in (site.url(), site.film_url(film.id), site.film_url(film.id, site.levels[-1])):
        page.goto(url)
        expected = "slate" if scheme == "dark" else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
        bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        fg = page.locator("article.md-content__inner").evaluate("e => getComputedStyle(e).color")
        if scheme == "dark":
            assert _luminance(bg) < 0.25 < _luminance(fg), (url, bg, fg)
        else:
            assert _luminance(bg) > 0.9 > _luminance(fg), (url, bg, fg)
