"""Real-browser fixtures: the real site, built once per session and served under a subpath.

The site is the repository's own (mkdocs.yml, docs/, content/) plus one made-up film
(tests/fixtures/site/content/films/paper-lantern-2019.yml), so per-film behaviour can be shown.
It is served the way GitHub Pages serves a project site: everything lives under
`/spoilers-site/`, and anything missing gets the site's own 404.html. Under pytest-xdist each
worker builds and serves its own copy, on its own free port. A second site, built only where a
test asks for it, is the writer preview (`preview: true`, which only `mkdocs serve` accepts, so
it is built the way `mkdocs serve` builds: see `_build_preview`).

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

from .support import EXTRA_FILM, PREFIX, REPO, ConsoleWatch, Film, Site, read_film, read_ladder

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
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


# --- the built, served site ------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """Serves `out/` under PREFIX only, like a GitHub Pages project site, quietly, with the
    caching GitHub Pages asks for (`Cache-Control: max-age=600` on every response)."""

    not_found_page: Path

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

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


def copy_site(dest: Path, extra_films: tuple[Path, ...]) -> Path:
    """The repository's site (mkdocs.yml, docs/, content/, overrides/) plus `extra_films`."""
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
    return src


def run_build(args: list[str], cwd: Path, site_url: str, pythonpath: str | None = None) -> None:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, f"site build failed:\n{proc.stdout}\n{proc.stderr}"


def _build(dest: Path, site_url: str, extra_films: tuple[Path, ...]) -> Path:
    """The repository's site plus `extra_films`, built strictly (`mkdocs build --strict`)."""
    src = copy_site(dest, extra_films)
    out = dest / "out"
    run_build([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], src, site_url)
    return out


# The build `mkdocs serve` runs, as tests/test_build.py's preview test runs it: the plugin hears
# the command is "serve" before the config is validated, so it accepts `preview: true`.
_SERVE_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config("mkdocs.yml", site_dir=sys.argv[1])
config.plugins.on_startup(command="serve", dirty=False)
build(config)
"""


def _build_preview(dest: Path, site_url: str, extra_films: tuple[Path, ...]) -> Path:
    """The same site with `preview: true`, built as `mkdocs serve` builds it."""
    src = copy_site(dest, extra_films)
    config = src / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "      content_dir: content\n"
    assert anchor in text, "mkdocs.yml: no `content_dir: content` line in the spoilers block"
    config.write_text(text.replace(anchor, anchor + "      preview: true\n", 1), encoding="utf-8")
    out = dest / "out"
    run_build([sys.executable, "-c", _SERVE_BUILD, str(out)], src, site_url)
    return out


Builder = Callable[[Path, str, tuple[Path, ...]], Path]


@contextmanager
def serve_dir(out: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """Serve `out` (which need not exist yet) under PREFIX on a free port; yields (root URL,
    start). The port is bound at once, so a build can use the URL and no one can take it."""
    handler = partial(
        type("Handler", (_Handler,), {"not_found_page": out / "404.html"}), directory=str(out)
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    root = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    try:
        yield root, thread.start
    finally:
        if thread.is_alive():
            server.shutdown()
            thread.join(timeout=5)
        server.server_close()


@contextmanager
def _served(
    dest: Path, extra_films: tuple[Path, ...], builder: Builder = _build
) -> Iterator[tuple[str, Path]]:
    """Build and serve under PREFIX on a free port; yields (root URL, out dir)."""
    with serve_dir(dest / "out") as (root, start):
        out = builder(dest, root, extra_films)
        start()
        yield root, out


def _films(*paths: Path) -> dict[str, Film]:
    ladder = read_ladder()
    return {f.id: f for f in (read_film(p, ladder) for p in paths)}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real site plus the made-up second film, served under PREFIX."""
    films = _films(REPO / "content" / "films" / "ballerina-2023.yml", EXTRA_FILM)
    with _served(tmp_path_factory.mktemp("browser-site"), (EXTRA_FILM,)) as (root, out):
        yield Site(root, out, read_ladder(), films)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real site alone, exactly as published (for the README screenshot)."""
    films = _films(*sorted((REPO / "content" / "films").glob("*.yml")))
    with _served(tmp_path_factory.mktemp("real-site"), ()) as (root, out):
        yield Site(root, out, read_ladder(), films)


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site with the writer preview (films/<id>/preview/), built as `mkdocs serve` does."""
    films = _films(REPO / "content" / "films" / "ballerina-2023.yml", EXTRA_FILM)
    dest = tmp_path_factory.mktemp("preview-site")
    with _served(dest, (EXTRA_FILM,), _build_preview) as (root, out):
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
