"""axe-core over every page a reader can reach: the home and levels pages, every level page of
every film with its gate accepted (so the content itself is checked), and one gated page.

Every violation found, of any impact, is printed and written to test-artifacts/axe/<page>.json
for the record. The per-page tests fail on any "serious" or "critical" violation that is not a
known, reported bug (KNOWN below, empty now: every violation found so far was fixed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, expect

from .conftest import ARTIFACTS
from .support import BALLERINA, LANTERN, Site, read_ladder

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
_LADDER = read_ladder()
TOP = _LADDER.ids[-1]
PAGES = (
    [("home", None, None), ("levels", None, None)]
    + [(f"{film}-{level}", film, level) for film in (BALLERINA, LANTERN) for level in _LADDER.ids]
    + [(f"{BALLERINA}-{TOP}-gated", BALLERINA, "gated")]
)


@dataclass(frozen=True)
class Known:
    rule: str
    target: str  # regex over the node's selector
    owner: str  # "project" (spoilers.css / film.html) or "theme" (Material's own markup)


# Violations found once and fixed (spoilers.css, film.html, spoilers.js). Add an entry here
# only for a reported bug that cannot be fixed yet; each entry must name its owner.
KNOWN: tuple[Known, ...] = ()

_cache: dict[str, list[dict[str, Any]]] = {}


def _is_known(rule: str, target: str, owner: str | None = None) -> bool:
    return any(
        k.rule == rule and re.search(k.target, target) and (owner is None or k.owner == owner)
        for k in KNOWN
    )


def _violations(
    site: Site,
    open_context: Callable[..., BrowserContext],
    name: str,
    film: str | None,
    level: str | None,
) -> list[dict[str, Any]]:
    if name in _cache:
        return _cache[name]
    context = open_context()
    if film and level != "gated":
        # The reader has chosen the top level for this film: every level page opens unlocked.
        context.add_init_script(
            f"try {{ localStorage.setItem('spoilers:{film}', '{TOP}') }} catch (e) {{}}"
        )
    page = context.new_page()
    if film is None:
        url = site.url() if name == "home" else site.url("levels/")
    else:
        url = site.film_url(film, TOP if level == "gated" else level)
    page.goto(url)
    page.wait_for_load_state("load")
    if level == "gated":
        expect(page.locator(".spoilers-gate")).to_be_visible()
    elif film is not None and level != _LADDER.first:
        expect(page.locator(".spoilers-body")).to_be_visible()

    violations: list[dict[str, Any]] = Axe().run(page).response["violations"]
    lines = [f"axe {name}: {len(violations)} violation(s)"]
    for v in violations:
        targets = sorted(
            {re.sub(r":nth-child\(\d+\)", "", str(n["target"][-1]))[-70:] for n in v["nodes"]}
        )
        lines.append(f"  {v['id']} ({v['impact']}) x{len(v['nodes'])}: {v['help']}")
        lines += [f"      {t}" for t in targets[:4]]
    print("\n".join(lines))
    out = ARTIFACTS / "axe"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    _cache[name] = violations
    return violations


def _blocking(violations: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (v["id"], str(n["target"][-1]))
        for v in violations
        if v["impact"] in BLOCKING
        for n in v["nodes"]
    ]


@pytest.mark.parametrize(("name", "film", "level"), PAGES, ids=[p[0] for p in PAGES])
def test_no_new_serious_accessibility_violations(
    site: Site,
    open_context: Callable[..., BrowserContext],
    name: str,
    film: str | None,
    level: str | None,
) -> None:
    found = _blocking(_violations(site, open_context, name, film, level))
    new = [f"{rule}: {target}" for rule, target in found if not _is_known(rule, target)]
    assert not new, f"{name}: serious/critical accessibility violations:\n" + "\n".join(new)


_REPRESENTATIVE = [
    p
    for p in PAGES
    if p[0]
    in {
        "home",
        f"{BALLERINA}-none",
        f"{BALLERINA}-middle",
        f"{BALLERINA}-{TOP}",
        f"{BALLERINA}-{TOP}-gated",
    }
]


def test_project_has_no_serious_accessibility_violations(
    site: Site, open_context: Callable[..., BrowserContext]
) -> None:
    found = [
        f"{name}: {rule}: {target}"
        for name, film, level in _REPRESENTATIVE
        for rule, target in _blocking(_violations(site, open_context, name, film, level))
        if not _is_known(rule, target, "theme")
    ]
    assert not found, "\n".join(found)


def test_theme_has_no_serious_accessibility_violations(
    site: Site, open_context: Callable[..., BrowserContext]
) -> None:
    found = [
        f"{name}: {rule}: {target}"
        for name, film, level in _REPRESENTATIVE
        for rule, target in _blocking(_violations(site, open_context, name, film, level))
        if _is_known(rule, target, "theme")
    ]
    assert not found, "\n".join(found)
