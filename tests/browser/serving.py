"""Building the site and serving it the way GitHub Pages serves a project site: everything under
`/spoilers-site/`, the site's own 404.html for anything missing, and GitHub Pages' caching header.
Used by conftest.py's fixtures and by bench_reveal.py (a script), so it needs nothing from pytest.
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

from .support import PREFIX, REPO

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_browser() -> str:
    """SPOILERS_CHROMIUM, else what scripts/find-browser finds (the same search as scripts/test);
    never a download."""
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "find-browser")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or "scripts/find-browser found no browser")
    return proc.stdout.strip()


class Handler(SimpleHTTPRequestHandler):
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
    if proc.returncode != 0:
        raise RuntimeError(f"site build failed:\n{proc.stdout}\n{proc.stderr}")


def build(dest: Path, site_url: str, extra_films: tuple[Path, ...]) -> Path:
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


def build_preview(dest: Path, site_url: str, extra_films: tuple[Path, ...]) -> Path:
    """The same site with `preview: true`, built as `mkdocs serve` builds it."""
    src = copy_site(dest, extra_films)
    config = src / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "      content_dir: content\n"
    if anchor not in text:
        raise RuntimeError("mkdocs.yml: no `content_dir: content` line in the spoilers block")
    config.write_text(text.replace(anchor, anchor + "      preview: true\n", 1), encoding="utf-8")
    out = dest / "out"
    run_build([sys.executable, "-c", _SERVE_BUILD, str(out)], src, site_url)
    return out


Builder = Callable[[Path, str, tuple[Path, ...]], Path]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a page mid-response (a test ending) is not an error worth a
        # traceback; anything else still gets one.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve_dir(out: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """Serve `out` (which need not exist yet) under PREFIX on a free port; yields (root URL,
    start). The port is bound at once, so a build can use the URL and no one can take it."""
    handler = partial(
        type("SiteHandler", (Handler,), {"not_found_page": out / "404.html"}), directory=str(out)
    )
    server = _Server(("127.0.0.1", 0), handler)
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
def served(
    dest: Path, extra_films: tuple[Path, ...], builder: Builder = build
) -> Iterator[tuple[str, Path]]:
    """Build and serve under PREFIX on a free port; yields (root URL, out dir)."""
    with serve_dir(dest / "out") as (root, start):
        out = builder(dest, root, extra_films)
        start()
        yield root, out
