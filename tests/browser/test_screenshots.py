"""Screenshots for people to look at: the Ballerina page spoiler-free and at the top level (gate
accepted), light and dark, full page, in test-artifacts/screenshots/ (git-ignored); and the
README's screenshot of the spoiler-free page, taken from the real site as published.

A test run writes only under test-artifacts/: the README's copy (assets/, outside docs/ so it is
never published, and spoiler-free so the README spoils nothing) is replaced only when a maintainer
asks for it with `bash scripts/update-readme-screenshot` (which sets UPDATE_ENV below).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from .support import BALLERINA, REPO, Site

pytestmark = pytest.mark.browser

README_SCREENSHOT = REPO / "assets" / "screenshot-spoiler-free-light.png"
README_MAX_BYTES = 300_000
UPDATE_ENV = "SPOILERS_UPDATE_README_SCREENSHOT"


def _unlocked_context(
    open_context: Callable[..., BrowserContext], film: str, level: str, **options: object
) -> BrowserContext:
    context = open_context(**options)
    context.add_init_script(
        f"try {{ localStorage.setItem('spoilers:{film}', '{level}') }} catch (e) {{}}"
    )
    return context


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_ballerina_screenshots(
    site: Site, open_context: Callable[..., BrowserContext], artifacts: Path, scheme: str
) -> None:
    top = site.levels[-1]
    page = _unlocked_context(open_context, BALLERINA, top, color_scheme=scheme).new_page()
    for level in (site.ladder.first, top):
        page.goto(site.film_url(BALLERINA, level))
        page.wait_for_load_state("load")
        expect(page.locator(".spoilers-body")).to_be_visible()
        expect(page.locator(".spoilers-gate")).to_have_count(0 if level == site.ladder.first else 1)
        expect(page.locator(".spoilers-gate")).to_be_hidden()
        path = artifacts / f"{BALLERINA}-{level}-{scheme}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        assert path.stat().st_size > 10_000


def test_readme_screenshot(
    real_site: Site, open_context: Callable[..., BrowserContext], artifacts: Path
) -> None:
    page = open_context(color_scheme="light").new_page()
    page.goto(real_site.film_url(BALLERINA, real_site.ladder.first))
    page.wait_for_load_state("load")
    expect(page.locator(".spoilers-body")).to_be_visible()
    expect(page.locator(".spoilers-gate")).to_have_count(0)
    expect(page.locator(".md-nav__link", has_text="Paper Lantern")).to_have_count(0)
    png = page.screenshot(animations="disabled")  # the 1280x900 viewport
    assert len(png) < README_MAX_BYTES, f"README screenshot is {len(png)} bytes"
    (artifacts / README_SCREENSHOT.name).write_bytes(png)
    if os.environ.get(UPDATE_ENV) == "1":
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        tmp = README_SCREENSHOT.with_name(README_SCREENSHOT.name + ".tmp")
        tmp.write_bytes(png)
        os.replace(tmp, README_SCREENSHOT)  # atomic: a concurrent reader never sees half a file
