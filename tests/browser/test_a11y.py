"""axe-core over the pages a reader can reach: home, the 404 page, every film's
spoiler-free page, gate pages (a level's own address before "Show me"), and levels' texts revealed
in place by "Show me" (so the content and the swapped-in table of contents are checked as a
reader gets them); and one level's text in the dark scheme.

Every violation found, of any impact, is printed, written to test-artifacts/axe/<page>.json and
summed up in the figures at the end of the run. A page fails on any "serious" or "critical"
violation that is not a known, reported bug (KNOWN below, empty: every one found was fixed).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import BrowserContext, Page, expect
from reporting import report

from .conftest import ARTIFACTS
from .reader import expect_gate, expect_revealed, show_me
from .support import BALLERINA, LANTERN, ConsoleWatch, Site, read_ladder

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
_LADDER = read_ladder()
FIRST, TOP = _LADDER.ids[0], _LADDER.ids[-1]

# (name, kind, film, level): kind is page | first | gate | revealed | missing
PAGES = [
    ("home", "page", None, None),
    ("404", "missing", None, None),
    *[(f"{film}-{FIRST}", "first", film, FIRST) for film in (BALLERINA, LANTERN)],
    # Gates differ between levels only in the level's name: one per film.
    *[(f"{film}-{TOP}-gate", "gate", film, TOP) for film in (BALLERINA, LANTERN)],
    # A middle level (recap, "new" marks, asides) and the last (meaning, everything).
    *[(f"{BALLERINA}-{lv}-revealed", "revealed", BALLERINA, lv) for lv in ("middle", TOP)],
    (f"{LANTERN}-{TOP}-revealed", "revealed", LANTERN, TOP),
    # Dark: the same colours checked against Material's slate scheme.
    (f"{BALLERINA}-middle-revealed-dark", "revealed", BALLERINA, "middle"),
]


@dataclass(frozen=True)
class Known:
    rule: str
    target: str  # regex over the node's selector
    owner: str  # "project" (spoilers.css, spoilers.js, templates) or "theme" (Material's markup)


# Add an entry only for a reported bug that cannot be fixed yet; each must name its owner.
KNOWN: tuple[Known, ...] = ()


def _is_known(rule: str, target: str) -> bool:
    return any(k.rule == rule and re.search(k.target, target) for k in KNOWN)


def _open(site: Site, page: Page, kind: str, film: str | None, level: str | None) -> None:
    if kind == "page":
        page.goto(site.url())
    elif kind == "missing":
        page.goto(site.url("films/no-such-film-1999/"))
        expect(page.locator("h1")).to_have_text(re.compile("404"))
        return
    else:
        assert film is not None and level is not None
        page.goto(site.film_url(film, level))
    page.wait_for_load_state("load")
    if film is None or level is None:
        return
    f = site.films[film]
    if kind == "gate":
        expect_gate(page, f, level)
    elif kind == "revealed":
        show_me(page).click()
        expect_revealed(page, f, level)
    else:
        expect_revealed(page, f, level)


@pytest.mark.parametrize(("name", "kind", "film", "level"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_accessibility_violations(
    site: Site,
    open_context: Callable[..., BrowserContext],
    console: ConsoleWatch,
    name: str,
    kind: str,
    film: str | None,
    level: str | None,
) -> None:
    if kind == "missing":
        console.allow(r"status of 404")
    page = open_context(color_scheme="dark" if name.endswith("-dark") else "light").new_page()
    _open(site, page, kind, film, level)

    violations: list[dict[str, Any]] = Axe().run(page).response["violations"]
    impacts = Counter(str(v["impact"]) for v in violations for _ in v["nodes"])
    lines = [f"axe {name}: {len(violations)} rule(s) violated"]
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
    summary = ", ".join(f"{n} {i}" for i, n in sorted(impacts.items())) or "none"
    report(f"axe-{name}", f"axe {name}: violations {summary}")

    blocking = [
        f"{v['id']}: {n['target'][-1]}"
        for v in violations
        if v["impact"] in BLOCKING
        for n in v["nodes"]
        if not _is_known(str(v["id"]), str(n["target"][-1]))
    ]
    assert not blocking, f"{name}: serious/critical accessibility violations:\n" + "\n".join(
        blocking
    )
