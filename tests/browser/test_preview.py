"""The writer preview (`preview: true`, under `mkdocs serve` only) on a 1920 px screen: every
level's column side by side, all of each column on screen, and nothing scrolling inside a box.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from .support import Site

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]
WIDE = {"width": 1920, "height": 1080}


def test_preview_shows_every_level_side_by_side(
    preview_site: Site, open_context: OpenContext, artifacts: Path
) -> None:
    site = preview_site
    page = open_context(viewport=WIDE).new_page()
    for film in site.films.values():
        response = page.goto(site.url(f"films/{film.id}/preview/"))
        assert response is not None and response.status == 200
        grid = page.locator(".spoilers-preview__grid")
        expect(grid).to_be_visible()
        columns = grid.locator(".spoilers-preview__col")
        expect(columns).to_have_count(len(site.levels))
        expect(columns.locator("h2")).to_have_text([film.label(lv) for lv in site.levels])

        boxes: list[dict[str, Any]] = page.evaluate(
            """() => [document.querySelector('.spoilers-preview__grid'),
                ...document.querySelectorAll('.spoilers-preview__col')].map(e => {
                const r = e.getBoundingClientRect();
                return {left: r.left, right: r.right, top: r.top, width: r.width,
                        scrollWidth: e.scrollWidth, clientWidth: e.clientWidth,
                        overflow: getComputedStyle(e).overflowX};
            })"""
        )
        grid_box, cols = boxes[0], boxes[1:]
        for box in boxes:
            assert box["scrollWidth"] <= box["clientWidth"], f"{film.id}: scrolls inside {box}"
        assert len({round(c["top"]) for c in cols}) == 1, f"{film.id}: columns not in one row"
        for left, right in itertools.pairwise(cols):
            assert left["right"] <= right["left"], f"{film.id}: columns overlap"
        for c in cols:
            assert c["left"] >= 0 and c["right"] <= WIDE["width"], f"{film.id}: off screen {c}"
            assert c["width"] >= 250, f"{film.id}: a column too narrow to read: {c}"
        assert grid_box["width"] >= 0.7 * WIDE["width"], f"{film.id}: preview not full width"
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        # Every passage of the top level is somewhere in the preview.
        text = page.locator(".spoilers-preview__grid").inner_text()
        assert film.fact(site.levels[-1])[:30] in text
    page.goto(site.url(f"films/{site.ballerina.id}/preview/"))
    page.screenshot(path=artifacts / "preview-1920.png", full_page=True, animations="disabled")
