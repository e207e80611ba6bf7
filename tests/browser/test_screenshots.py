"""Screenshots for people to look at, full page, in test-artifacts/screenshots/ (git-ignored): the
Ballerina page at every level (its text revealed) and a gate, on a desktop (1280 px) and a phone
(390 px), light, and dark for the spoiler-free page and the last level; and the README's
screenshot of the spoiler-free page, taken from the real site as published.

A test run writes only under test-artifacts/: the README's copy (assets/, outside docs/ so it is
never published, and spoiler-free so the README spoils nothing) is replaced only when a maintainer
asks for it with `bash scripts/update-readme-screenshot` (which sets UPDATE_ENV below).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from .conftest import PHONE, VIEWPORT
from .reader import expect_gate, expect_revealed
from .support import BALLERINA, REPO, Site, preset_choice

pytestmark = pytest.mark.browser

README_SCREENSHOT = REPO / "assets" / "screenshot-spoiler-free-light.png"
README_MAX_BYTES = 300_000
UPDATE_ENV = "SPOILERS_UPDATE_README_SCREENSHOT"

DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": VIEWPORT},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize(
    ("device", "scheme"), [("desktop", "light"), ("phone", "light"), ("desktop", "dark")]
)
def test_ballerina_screenshots(
    site: Site,
    open_context: Callable[..., BrowserContext],
    artifacts: Path,
    device: str,
    scheme: str,
) -> None:
    film, top = site.ballerina, site.levels[-1]
    levels = site.levels if scheme == "light" else (site.ladder.first, top)
    options = {**DEVICES[device], "color_scheme": scheme}
    page = open_context(**options).new_page()
    page.goto(site.film_url(BALLERINA, top))
    expect_gate(page, film, top)
    _shoot(page, artifacts / f"{BALLERINA}-{top}-gate-{device}-{scheme}.png")

    context = open_context(**options)
    preset_choice(context, BALLERINA, top)
    page = context.new_page()
    for level in levels:
        page.goto(site.film_url(BALLERINA, level))
        expect_revealed(page, film, level)
        page.wait_for_load_state("load")
        _shoot(page, artifacts / f"{BALLERINA}-{level}-{device}-{scheme}.png")


def _shoot(page: Any, path: Path) -> None:
    page.screenshot(path=path, full_page=True, animations="disabled")
    assert path.stat().st_size > 10_000


def test_readme_screenshot(
    real_site: Site, open_context: Callable[..., BrowserContext], artifacts: Path
) -> None:
    page = open_context(color_scheme="light").new_page()
    page.goto(real_site.film_url(BALLERINA, real_site.ladder.first))
    page.wait_for_load_state("load")
    expect_revealed(page, real_site.films[BALLERINA], real_site.ladder.first)
    expect(page.locator(".md-nav__link", has_text="Paper Lantern")).to_have_count(0)
    png = page.screenshot(animations="disabled")  # the 1280x900 viewport
    assert len(png) < README_MAX_BYTES, f"README screenshot is {len(png)} bytes"
    (artifacts / README_SCREENSHOT.name).write_bytes(png)
    if os.environ.get(UPDATE_ENV) == "1":
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        tmp = README_SCREENSHOT.with_name(README_SCREENSHOT.name + ".tmp")
        tmp.write_bytes(png)
        os.replace(tmp, README_SCREENSHOT)  # atomic: a concurrent reader never sees half a file
