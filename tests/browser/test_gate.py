"""A shared link to a level (issue 15): the level's own address is a gate that holds nothing graded
above the first level, whatever the browser can or cannot do; the text comes only once asked for.

Every piece of content is picked at run time from the film files the site is built from
(support.py), and every "nothing leaks" check is shown able to fail on the page that does hold
the text (reveal.html).
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from .reader import REVEAL, expect_gate, expect_revealed, film_root, level_link, show_me
from .support import (
    SAMPLER,
    TOC_LINKS,
    ConsoleWatch,
    Site,
    body_text,
    preset_choice,
    sampler,
    stored,
)

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


# --- 1. a shared link, with JavaScript -------------------------------------------------------


def test_shared_link_asks_first_and_reveals_in_place(site: Site, page: Page) -> None:
    film, first, top = site.ballerina, site.ladder.first, site.levels[-1]
    url = site.film_url(film.id, top)

    # What the server sends for the address holds nothing above the first level; the text the
    # check looks for is there, in reveal.html beside it.
    raw = _get(url)
    assert not film.raw_leaks(raw, first)
    assert len(film.raw_leaks(_get(url + REVEAL), first)) > 50, "the check cannot see the text"

    response = page.goto(url)
    assert response is not None and response.status == 200
    assert not film.raw_leaks(response.text(), first)
    expect_gate(page, film, top)
    assert stored(page, film.id) is None

    page.evaluate("window.__sameDocument = true")
    show_me(page).click()
    expect_revealed(page, film, top)
    assert page.url == url, "the address changed"
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    # The whole level, not a part of it: every fact graded at the top level can be read.
    text = body_text(page)
    missing = [t for t in film.hidden_snippets(site.levels[-2]) if t not in text]
    assert not missing, f"{len(missing)} pieces of {top} text not shown, e.g. {missing[:3]}"
    # Every entry of the table of contents leads to a heading on the page.
    for href in page.locator(TOC_LINKS).evaluate_all("links => links.map(a => a.hash)"):
        expect(page.locator(f"h2{href}")).to_have_count(1)

    # Focus moves to the start of the text, and a live region says what happened.
    expect(page.locator(".spoilers-main h2").first).to_be_focused()
    expect(
        page.get_by_role("status").filter(has_text=f"{film.label(top)} is now shown")
    ).to_have_count(1)

    # The choice is remembered: the address now opens on the text.
    assert stored(page, film.id) == top
    page.reload()
    expect_revealed(page, film, top)


def test_take_me_to_the_spoiler_free_page(site: Site, page: Page) -> None:
    film = site.ballerina
    page.goto(site.film_url(film.id, "middle"))
    page.locator(".spoilers-gate").get_by_role(
        "link", name="Take me to the spoiler-free page"
    ).click()
    page.wait_for_url(site.film_url(film.id))
    expect(film_root(page, film)).to_have_attribute("data-spoilers-level", site.ladder.first)
    expect(page.locator(".spoilers-gate")).to_have_count(0)
    assert stored(page, film.id) is None


# --- 2. a shared link, without JavaScript (or with scripts that never load) ------------------


@pytest.mark.parametrize("mode", ["javascript-off", "scripts-blocked"])
def test_shared_link_without_javascript(
    site: Site, open_context: OpenContext, console: ConsoleWatch, mode: str
) -> None:
    film, top = site.ballerina, site.levels[-1]
    context = open_context(java_script_enabled=mode != "javascript-off")
    if mode == "scripts-blocked":
        context.route("**/*.js", lambda route: route.abort())
        console.allow(r"Failed to load resource: net::ERR_FAILED")
    page = context.new_page()
    url = site.film_url(film.id, top)
    page.goto(url)
    expect_gate(page, film, top)
    _expect_styled(page)

    # "Show me" is a plain link: it opens the level's text, a page of its own.
    show_me(page).click()
    page.wait_for_url(url + REVEAL)
    expect_revealed(page, film, top)
    _expect_styled(page)

    # The switcher is plain links too: each level's address asks again (nothing remembers).
    level_link(page, "setup").click()
    page.wait_for_url(site.film_url(film.id, "setup"))
    expect_gate(page, film, "setup")
    show_me(page).click()
    page.wait_for_url(site.film_url(film.id, "setup") + REVEAL)
    expect_revealed(page, film, "setup")
    level_link(page, site.ladder.first).click()
    page.wait_for_url(site.film_url(film.id))
    expect(page.locator("[data-spoilers-continue]")).to_be_hidden()


def _expect_styled(page: Page) -> None:
    """Rendered as designed: Material's styles and the switcher's progress-bar layout apply."""
    header_bg = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent"), "Material CSS missing"
    steps = page.locator("nav.spoilers-switcher ol")
    assert steps.evaluate("e => getComputedStyle(e).display") == "flex", "spoilers.css missing"
    boxes = [
        b for b in (a.bounding_box() for a in page.locator("nav.spoilers-switcher a").all()) if b
    ]
    assert len({round(b["y"]) for b in boxes}) == 1, "switcher steps are not laid out in a row"


# --- 4. a browser without CSS :has() ---------------------------------------------------------


def strip_has(css: str) -> tuple[str, int]:
    """`css` without any rule whose selector (or at-rule prelude) uses `:has(`, at any depth of
    @media/@supports/@layer blocks; and how many rules went. Strings and comments are kept."""
    out: list[str] = []
    dropped = 0
    i, n = 0, len(css)
    start = 0  # where the current prelude began

    def skip_block(j: int) -> int:
        """From just after a `{`, the index just after its matching `}`."""
        depth = 1
        while j < n and depth:
            c = css[j]
            if c in "\"'":
                j = _skip_string(css, j)
                continue
            if css.startswith("/*", j):
                end = css.find("*/", j + 2)
                j = n if end < 0 else end + 2
                continue
            depth += c == "{"
            depth -= c == "}"
            j += 1
        return j

    while i < n:
        c = css[i]
        if c in "\"'":
            i = _skip_string(css, i)
        elif css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c == ";":  # a statement at-rule (@import, @charset) or stray semicolon
            out.append(css[start : i + 1])
            i += 1
            start = i
        elif c == "{":
            prelude = css[start:i]
            end = skip_block(i + 1)
            if ":has(" in re.sub(r"/\*.*?\*/", "", prelude, flags=re.DOTALL):
                dropped += 1
            elif prelude.lstrip().startswith("@") and re.match(
                r"\s*@(media|supports|layer|container|document)\b", prelude
            ):
                inner, k = strip_has(css[i + 1 : end - 1])
                dropped += k
                out.append(prelude + "{" + inner + "}")
            else:
                out.append(css[start:end])
            i = end
            start = i
        elif c == "}":  # unbalanced: keep as is
            i += 1
        else:
            i += 1
    out.append(css[start:])
    return "".join(out), dropped


def _skip_string(css: str, j: int) -> int:
    quote, j = css[j], j + 1
    while j < len(css) and css[j] != quote:
        j += 2 if css[j] == "\\" else 1
    return j + 1


def test_strip_has_removes_only_rules_with_has() -> None:
    css = (
        "a{color:red}b:has(c){x:1}@media (min-width:1px){d:has(e),f{y:2}g{z:3}}"
        '@supports selector(:has(a)){h{w:4}}i::after{content:"{:has(}"}/* j:has(k){} */l{m:n}'
    )
    stripped, dropped = strip_has(css)
    assert dropped == 3
    assert stripped == (
        'a{color:red}@media (min-width:1px){g{z:3}}i::after{content:"{:has(}"}'
        "/* j:has(k){} */l{m:n}"
    )


def test_gate_holds_without_css_has(site: Site, open_context: OpenContext) -> None:
    """As in a browser that does not know `:has()`: every stylesheet arrives without its `:has()`
    rules, and the gate still holds nothing, shows nothing and lists nothing above the first
    level; "Show me" still works."""
    film, first, top = site.ballerina, site.ladder.first, site.levels[-1]
    context = open_context()
    stripped: dict[str, int] = {}

    def without_has(route: Route) -> None:
        response = route.fetch()
        css, dropped = strip_has(response.text())
        stripped[route.request.url.rsplit("/", 1)[-1]] = dropped
        route.fulfill(response=response, body=css)

    context.route(re.compile(r".*\.css(\?.*)?$"), without_has)
    page = context.new_page()
    page.goto(site.film_url(film.id, top))
    page.wait_for_load_state("load")
    assert sum(stripped.values()) > 0, f"no :has() rule found to remove: {stripped}"
    assert any(name.startswith("main.") for name in stripped), stripped  # Material's own CSS
    remaining = page.evaluate(
        """() => {
            const found = [];
            const walk = rules => { for (const r of rules) {
                for (const text of [r.selectorText, r.conditionText])
                    if (text && text.includes(':has(')) found.push(text);
                if (r.cssRules) walk(r.cssRules);
            } };
            for (const s of document.styleSheets) { try { walk(s.cssRules); } catch (e) {} }
            return found;
        }"""
    )
    assert not remaining, f":has() rules still applied: {remaining[:5]}"
    expect_gate(page, film, top)
    assert not film.leaks(body_text(page), first)

    show_me(page).click()
    expect_revealed(page, film, top)


# --- when the text cannot be fetched ---------------------------------------------------------


def test_fetch_failure_brings_the_gate_back_with_an_error(
    site: Site, open_context: OpenContext, console: ConsoleWatch
) -> None:
    """A returning reader whose text cannot be loaded gets the gate back, with a line that says
    so, instead of a "Loading..." that never ends; "Show me" then tries again."""
    film, level = site.ballerina, "climax"
    console.allow(r"Failed to load resource")
    context = open_context()
    preset_choice(context, film.id, level)
    context.route(f"**/{REVEAL}", lambda route: route.abort())
    page = context.new_page()
    page.goto(site.film_url(film.id, level))
    error = page.locator(".spoilers-gate__error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("could not be loaded")
    expect(page.locator(".spoilers-gate")).to_be_visible()
    expect(show_me(page)).to_be_visible()
    expect(film_root(page, film)).not_to_have_class(re.compile("spoilers-returning"))
    expect(page.get_by_role("status").filter(has_text="could not be loaded")).to_have_count(1)

    context.unroute(f"**/{REVEAL}")
    show_me(page).click()
    expect_revealed(page, film, level)


def test_returning_reader_whose_script_never_loads_gets_the_gate(
    site: Site, open_context: OpenContext, console: ConsoleWatch
) -> None:
    """The inline script hides the gate from a returning reader before spoilers.js has run. If
    spoilers.js never runs (blocked, failed), the gate must come back rather than "Loading..."
    forever; "Show me" then opens reveal.html."""
    film, level = site.ballerina, "middle"
    console.allow(r"Failed to load resource: net::ERR_FAILED")
    context = open_context()
    preset_choice(context, film.id, level)
    context.route("**/spoilers/spoilers.js", lambda route: route.abort())
    page = context.new_page()
    # The fallback waits 4s (a CSS animation's delay): run the page's animations 8x faster.
    cdp = context.new_cdp_session(page)
    cdp.send("Animation.enable")
    cdp.send("Animation.setPlaybackRate", {"playbackRate": 8})
    page.goto(site.film_url(film.id, level))
    expect(film_root(page, film)).to_have_class(re.compile("spoilers-returning"))
    expect(page.locator(".spoilers-gate")).to_be_visible(timeout=10_000)
    show_me(page).click()
    page.wait_for_url(site.film_url(film.id, level) + REVEAL)
    expect_revealed(page, film, level)


def test_sampler_sees_a_gate(site: Site, open_context: OpenContext) -> None:
    """The probe the returning-reader tests rely on ("the gate was never shown") does see a gate
    when there is one."""
    context = open_context()
    context.add_init_script(path=SAMPLER)
    page = context.new_page()
    page.goto(site.film_url(site.ballerina.id, "middle"))
    expect(page.locator(".spoilers-gate")).to_be_visible()
    page.wait_for_function("window.__spoilersSampler.frames > 2")
    assert sampler(page)["gate"] is True


# --- keyboard --------------------------------------------------------------------------------


def test_keyboard_can_accept_the_gate(site: Site, page: Page) -> None:
    film, top = site.ballerina, site.levels[-1]
    page.goto(site.film_url(film.id, top))
    link = show_me(page)
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    expect(link).to_be_focused()
    ring = link.evaluate(
        "a => { const s = getComputedStyle(a); return a.matches(':focus-visible') &&"
        " ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)"
        " || s.boxShadow !== 'none'); }"
    )
    assert ring, "the focused Show me link shows no focus ring"
    page.keyboard.press("Enter")
    expect_revealed(page, film, top)
    expect(page.locator(".spoilers-main h2").first).to_be_focused()
