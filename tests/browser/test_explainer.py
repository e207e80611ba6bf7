"""The film page as an explainer (issue 12), in the browser: the spoiler-free first visit, the
shape of each level's page (recap, prose with one note number per paragraph, notes, cards, the
verdict first, the meaning last, the way on), and the marks for what is new since the level below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .reader import expect_revealed, film_root, level_link
from .support import Film, Site, body_text, html_text, preset_choice

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]


def test_first_visit_is_spoiler_free(site: Site, page: Page) -> None:
    film, first = site.ballerina, site.ladder.first
    response = page.goto(site.film_url(film.id))
    assert response is not None and response.status == 200
    assert not film.raw_leaks(response.text(), first)
    expect(page.locator("h1")).to_contain_text(film.title)
    expect(page.locator(".spoilers-gate")).to_have_count(0)
    expect(page.locator("[data-spoilers-continue]")).to_be_hidden()
    expect(level_link(page, first)).to_have_attribute("aria-current", "page")
    expect(page.locator(".spoilers-main p", has_text=film.fact(first)).first).to_be_visible()
    expect(page.locator("#spoilers-verdict")).to_be_visible()
    assert not film.leaks(body_text(page), first)
    assert not film.leaks(html_text(page.content()), first)
    # The check does see text above the first level where there is some.
    page.goto(site.film_url(film.id, "setup") + "reveal.html")
    assert film.leaks(body_text(page), first)


def _people_at(film: Film, site: Site, level: str) -> list[str]:
    r = site.ladder.rank(level)
    return [
        str(e["id"])
        for e in film.data.get("entities", ())
        if e["kind"] in ("character", "group") and site.ladder.rank(e["introduced"]) <= r
    ]


def test_every_level_reads_as_an_explainer(site: Site, open_context: OpenContext) -> None:
    film = site.ballerina
    context = open_context()
    preset_choice(context, film.id, site.levels[-1])
    page = context.new_page()
    for rank, level in enumerate(site.levels):
        page.goto(site.film_url(film.id, level))
        expect_revealed(page, film, level)
        first, last = rank == 0, rank == len(site.levels) - 1
        headings = page.locator(".spoilers-main h2[id]")
        expect(page.locator("#spoilers-verdict")).to_have_count(1 if first else 0)
        expect(page.locator("#spoilers-meaning")).to_have_count(1 if last else 0)
        if not first:
            # "Where the story stands" opens every level above the first.
            expect(headings.first).to_have_attribute("id", "spoilers-recap")
            expect(headings.first).to_have_text(re.compile("^Where the story stands"))
        nxt = page.locator(".spoilers-next a")
        if last:
            expect(nxt).to_have_count(0)
        else:
            following = site.levels[rank + 1]
            expect(nxt).to_have_text(f"Go on to {film.label(following)}")
            assert nxt.evaluate("a => a.href").startswith(site.film_url(film.id, following))
        expect(page.locator("article.spoilers-person")).to_have_count(
            len(_people_at(film, site, level))
        )
        problems = _notes_problems(page)
        assert not problems, f"{level}: {problems[:5]}"


def _notes_problems(page: Page) -> list[str]:
    """Every answer is prose with one note number per paragraph; every number leads to its
    note in the section's quiet list, and every note leads back."""
    result: list[str] = page.evaluate(
        """() => {
        const problems = [];
        for (const s of document.querySelectorAll('.spoilers-section')) {
            const id = s.getAttribute('data-spoilers-section');
            const paras = s.querySelectorAll(':scope > p');
            if (!paras.length) problems.push(id + ': no paragraph');
            for (const p of paras) {
                const refs = p.querySelectorAll('sup.spoilers-ref');
                if (refs.length !== 1) problems.push(id + ': ' + refs.length + ' note numbers');
            }
            const notes = s.querySelectorAll(':scope > ol.spoilers-notes > li');
            if (notes.length !== paras.length)
                problems.push(id + ': ' + notes.length + ' notes, ' + paras.length + ' paragraphs');
        }
        for (const a of document.querySelectorAll('.spoilers-main sup.spoilers-ref a')) {
            const note = document.getElementById(a.hash.slice(1));
            if (!note || !note.closest('ol.spoilers-notes')) problems.push('dangling ' + a.hash);
            const back = note && note.querySelector('a.spoilers-back');
            if (!back || back.hash !== '#' + a.id) problems.push('no way back to ' + a.id);
            if (!/^Sources: ./.test(a.title)) problems.push('no sources named on ' + a.id);
        }
        return problems;
    }"""
    )
    return result


# --- 8. what is new since the level below ----------------------------------------------------


def _marks(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(
        """() => [...document.querySelectorAll('.spoilers-main .spoilers-new,'
                 + ' .spoilers-main .spoilers-section--new')].map(el => {
            const label = el.querySelector(
                '.spoilers-new__label, .spoilers-person__when, .spoilers-badge');
            const box = label && label.getBoundingClientRect();
            return {
                html: el.outerHTML.slice(0, 120),
                label: label ? label.innerText : '',
                shown: !!label && box.width > 0 && box.height > 0 && label.checkVisibility(),
            };
        })"""
    )
    return found


def test_what_is_new_is_marked_in_words(site: Site, open_context: OpenContext) -> None:
    film, level = site.ballerina, "middle"
    label = film.label(level)
    context = open_context()
    preset_choice(context, film.id, level)
    page = context.new_page()
    page.goto(site.film_url(film.id, level))
    expect_revealed(page, film, level)

    marks = _marks(page)
    assert len(marks) >= 5, marks
    for mark in marks:
        # Every mark says so in words, not by its tint alone.
        assert mark["shown"], f"a 'new' mark without a visible label: {mark['html']}"
        assert re.fullmatch(rf"(new at {label}:?|new)", mark["label"].strip(), re.I), mark

    # "Jump to what is new" leads to the first mark on the page, and shows it below the switcher.
    jump = page.get_by_role("link", name=f"Jump to what is new at {label}")
    expect(jump).to_be_visible()
    first_mark = page.evaluate(
        "() => document.querySelector('.spoilers-main .spoilers-new, .spoilers-main"
        " .spoilers-badge').id"
    )
    assert first_mark == "spoilers-first-new"
    assert jump.evaluate("a => a.hash") == "#spoilers-first-new"
    jump.click()
    target = page.locator("#spoilers-first-new")
    expect(target).to_be_in_viewport()
    box = target.evaluate(
        "t => { const r = t.getBoundingClientRect(), s = document.querySelector("
        "'.spoilers-switcher').getBoundingClientRect(); return [r.top, s.bottom, innerHeight]; }"
    )
    assert box[1] - 1 <= box[0] <= box[2] / 2, f"the first new passage is not in view: {box}"

    # Nothing is marked new on the spoiler-free page, and a later level marks only its own.
    page.goto(site.film_url(film.id))
    expect(film_root(page, film)).to_have_attribute("data-spoilers-level", site.ladder.first)
    expect(page.locator(".spoilers-new, .spoilers-badge, .spoilers-whatsnew")).to_have_count(0)
