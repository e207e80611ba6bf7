"""Real-browser fixtures: the real site, built once per session and served under a subpath.

The site is the repository's own (mkdocs.yml, docs/, content/) plus one made-up film
(tests/fixtures/site/content/films/paper-lantern-2019.yml), so per-film behaviour can be shown.
It is served the way GitHub Pages serves a project site (serving.py): everything lives under
`/spoilers-site/`, and anything missing gets the site's own 404.html. Under pytest-xdist each
worker builds and serves its own copy, on its own free port. A second site, built only where a
test asks for it, is the writer preview (`preview: true`, which only `mkdocs serve` accepts, so
it is built the way `mkdocs serve` builds: see serving.build_preview).

The browser is the Chrome or Chromium named by `SPOILERS_CHROMIUM` (scripts/test sets it), else
the one scripts/find-browser finds; it is never downloaded. Every test gets a fresh context (so
fresh localStorage), and every page opened in a context made here has its console errors and
uncaught exceptions recorded: a test fails at teardown if any were seen, unless it declared them
expected with `console.allow(pattern)`.

The Reader View test needs Mozilla's Readability from npm: `readability_js` installs the pinned
version into test-artifacts/node/ (git-ignored) on first use and skips, saying why, without npm.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from .serving import CHROMIUM_ARGS, build_preview, find_browser, served
from .support import EXTRA_FILM, REPO, ConsoleWatch, Film, Site, read_film, read_ladder

ARTIFACTS = REPO / "test-artifacts"
# Wide enough for Material to show both sidebars (navigation and table of contents).
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


# --- the built, served site ------------------------------------------------------------------


def _films(*paths: Path) -> dict[str, Film]:
    ladder = read_ladder()
    return {f.id: f for f in (read_film(p, ladder) for p in paths)}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real site plus the made-up second film, served under PREFIX."""
    films = _films(REPO / "content" / "films" / "ballerina-2023.yml", EXTRA_FILM)
    with served(tmp_path_factory.mktemp("browser-site"), (EXTRA_FILM,)) as (root, out):
        yield Site(root, out, read_ladder(), films)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real site alone, exactly as published (for the README screenshot)."""
    films = _films(*sorted((REPO / "content" / "films").glob("*.yml")))
    with served(tmp_path_factory.mktemp("real-site"), ()) as (root, out):
        yield Site(root, out, read_ladder(), films)


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site with the writer preview (films/<id>/preview/), built as `mkdocs serve` does."""
    films = _films(REPO / "content" / "films" / "ballerina-2023.yml", EXTRA_FILM)
    dest = tmp_path_factory.mktemp("preview-site")
    with served(dest, (EXTRA_FILM,), build_preview) as (root, out):
        yield Site(root, out, read_ladder(), films)


# --- Mozilla's Readability (Firefox's Reader View), from npm ---------------------------------

READABILITY = "@mozilla/readability"
READABILITY_VERSION = "0.6.0"
NODE_DIR = ARTIFACTS / "node"  # git-ignored, like everything under test-artifacts/


@pytest.fixture(scope="session")
def readability_js() -> Path:
    """Readability.js, installed with npm into test-artifacts/node/ on first use (xdist workers
    take turns through a lock file). Skips, saying why, when npm is missing or fails."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(
            f"npm not found: the Reader View test runs {READABILITY}@{READABILITY_VERSION} "
            "from npm (on Debian: apt-get install npm)"
        )
    package = NODE_DIR / "node_modules" / "@mozilla" / "readability"
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    with (NODE_DIR / ".install-lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _npm_version(package) != READABILITY_VERSION:
            proc = subprocess.run(
                [
                    *(npm, "install", "--prefix", str(NODE_DIR)),
                    *("--ignore-scripts", "--no-audit", "--no-fund", "--save-exact"),
                    f"{READABILITY}@{READABILITY_VERSION}",
                ],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if _npm_version(package) != READABILITY_VERSION:
                output = (proc.stderr or proc.stdout).strip()[-600:]
                pytest.skip(
                    f"npm could not install {READABILITY}@{READABILITY_VERSION} into "
                    f"{NODE_DIR} (exit {proc.returncode}): {output}"
                )
    return package / "Readability.js"


def _npm_version(package: Path) -> str | None:
    try:
        return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    try:
        executable = find_browser()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    return {"executable_path": executable, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    """No defaults from pytest-playwright: `open_context` sets the viewport, tests the rest."""
    return {}


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


@pytest.fixture
def open_context(
    new_context: Callable[..., BrowserContext], console: ConsoleWatch
) -> Iterator[Callable[..., BrowserContext]]:
    """`open_context(**options)`: a fresh context whose pages are all watched."""

    def _open(**kwargs: Any) -> BrowserContext:
        kwargs.setdefault("viewport", VIEWPORT)
        ctx = new_context(**kwargs)
        ctx.on("page", console.attach)
        return ctx

    yield _open
    assert not console.errors, "console errors:\n" + "\n".join(console.errors)


@pytest.fixture
def context(open_context: Callable[..., BrowserContext]) -> BrowserContext:
    return open_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
