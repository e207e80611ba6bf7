"""Real-browser fixtures: the real site, built once per session and served under a subpath.

The site is the repository's own (mkdocs.yml, docs/, content/) plus one made-up film
(tests/fixtures/site/content/films/paper-lantern-2019.yml), so per-film behaviour can be shown.
It is served the way GitHub Pages serves a project site: everything lives under
`/spoilers-site/`, and anything missing gets the site's own 404.html. Under pytest-xdist each
worker builds and serves its own copy, on its own free port.

The browser is the Chrome or Chromium named by `SPOILERS_CHROMIUM` (scripts/test sets it), else
the one scripts/find-browser finds; it is never downloaded. Every test gets a fresh context (so
fresh localStorage), and every page opened in a context made here has its console errors and
uncaught exceptions recorded: a test fails at teardown if any were seen, unless it declared them
expected with `console.allow(pattern)`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from .support import EXTRA_FILM, PREFIX, REPO, ConsoleWatch, Site, read_film, read_ladder

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"
# Wide enough for Material to show both sidebars (navigation and table of contents).
VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


# --- the built, served site ------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """Serves `out/` under PREFIX only, like a GitHub Pages project site, quietly."""

    not_found_page: Path

    def translate_path(self, path: str) -> str:
        bare = path.split("?", 1)[0].split("#", 1)[0]
        if not bare.startswith(PREFIX):
            # No such file: send_error serves the 404 page.
            return str(Path(self.directory) / "__not_served__" / "missing")
        return super().translate_path("/" + path[len(PREFIX) :])

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == PREFIX.rstrip("/"):
            self.send_response(301)
            self.send_header("Location", PREFIX)
            self.end_headers()
            return
        super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404 or not self.not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _build(dest: Path, site_url: str, extra_films: tuple[Path, ...]) -> Path:
    """The repository's site (mkdocs.yml, docs/, content/) plus `extra_films`, built strictly."""
    src = dest / "src"
    src.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", src / "mkdocs.yml")
    # The README screenshot may be rewritten by a test while another xdist worker copies docs/.
    shutil.copytree(
        REPO / "docs", src / "docs", ignore=shutil.ignore_patterns("screenshot-*.png", "*.tmp")
    )
    shutil.copytree(REPO / "content", src / "content")
    shutil.copytree(REPO / "overrides", src / "overrides")  # theme custom_dir (404.html)
    for film in extra_films:
        shutil.copy(film, src / "content" / "films" / film.name)
    out = dest / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@contextmanager
def _served(dest: Path, extra_films: tuple[Path, ...]) -> Iterator[tuple[str, Path]]:
    """Build and serve under PREFIX on a free port; yields (root URL, out dir)."""
    out = dest / "out"
    handler = partial(
        type("Handler", (_Handler,), {"not_found_page": out / "404.html"}), directory=str(out)
    )
    # Bound to a free port before the build (which needs the port for SITE_URL), so nothing
    # else, another xdist worker included, can take the port in between.
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    root = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    try:
        _build(dest, root, extra_films)
        thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
        thread.start()
        try:
            yield root, out
        finally:
            server.shutdown()
            thread.join(timeout=5)
    finally:
        server.server_close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real site plus the made-up second film, served under PREFIX."""
    ladder = read_ladder()
    films = {
        f.id: f
        for f in (
            read_film(REPO / "content" / "films" / "ballerina-2023.yml", ladder),
            read_film(EXTRA_FILM, ladder),
        )
    }
    with _served(tmp_path_factory.mktemp("browser-site"), (EXTRA_FILM,)) as (root, out):
        yield Site(root, out, ladder, films)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real site alone, exactly as published (for the README screenshot)."""
    ladder = read_ladder()
    films = {
        f.id: f
        for f in (
            read_film(path, ladder) for path in sorted((REPO / "content" / "films").glob("*.yml"))
        )
    }
    with _served(tmp_path_factory.mktemp("real-site"), ()) as (root, out):
        yield Site(root, out, ladder, films)


# --- the browser -----------------------------------------------------------------------------


def find_browser() -> str:
    """SPOILERS_CHROMIUM, else what scripts/find-browser finds (the same search as scripts/test)."""
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "find-browser")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(proc.stderr.strip() or "scripts/find-browser found no browser", pytrace=False)
    return proc.stdout.strip()


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {"executable_path": find_browser(), "args": CHROMIUM_ARGS, "headless": True}


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
