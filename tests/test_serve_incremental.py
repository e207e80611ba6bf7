"""Under `mkdocs serve`, a save to one film file rebuilds that film's pages only, and the site
is then the same, page for page, as a full build of the same files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from support.sites import make_content_dir

from mkdocs_plugins.spoilers import render

pytestmark = pytest.mark.build

FIXTURE = Path(__file__).parent / "fixtures" / "site"
FILM = "test-film-2020"
OTHER = "paper-lantern-2019"


def fixture_site(tmp_path: Path) -> Path:
    """A copy of the fixture site with its content dir, to change at will."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    make_content_dir(root)
    return root


def serve_session(root: Path, out: Path) -> Any:
    """A config and plugins as `mkdocs serve` keeps them between rebuilds."""
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(out))
    config.plugins.on_startup(command="serve", dirty=False)
    return config


def rebuild(config: Any) -> None:
    from mkdocs.commands.build import build

    build(config, serve_url="http://127.0.0.1:8000/")


def pages(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*.html"))
        if p.is_file()
    }


def touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def test_a_film_save_rebuilds_that_film_only_and_matches_a_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fixture_site(tmp_path)
    out = tmp_path / "out"
    config = serve_session(root, out)
    rendered: list[str] = []
    real = render.render_level

    def counting(page: render.LevelPage) -> str:
        rendered.append(f"{page.film.id}/{page.level.id}")
        return real(page)

    monkeypatch.setattr("mkdocs_plugins.spoilers.plugin.render_level", counting)
    rebuild(config)
    assert {r.split("/")[0] for r in rendered} == {FILM, OTHER}
    other_inode = (out / "films" / OTHER / "index.html").stat().st_ino
    # The writer saves one film: one sentence changed.
    film = root / "content" / "films" / f"{FILM}.yml"
    touch(
        film,
        film.read_text(encoding="utf-8").replace(
            "A thriller aardvark.", "A tense thriller aardvark."
        ),
    )
    rendered.clear()
    rebuild(config)
    assert rendered and {r.split("/")[0] for r in rendered} == {FILM}
    assert (out / "films" / OTHER / "index.html").stat().st_ino == other_inode  # kept, not rebuilt
    assert "A tense thriller aardvark." in (out / "films" / FILM / "index.html").read_text()
    # Page for page, the same site as a full build of the same files.
    full = tmp_path / "full"
    fresh = serve_session(root, full)
    rebuild(fresh)
    assert pages(out) == pages(full)
    # A new title changes every page's navigation: the next save is a full build.
    touch(film, film.read_text(encoding="utf-8").replace("title: Test Film", "title: Test Film II"))
    rendered.clear()
    rebuild(config)
    assert {r.split("/")[0] for r in rendered} == {FILM, OTHER}
    config.plugins.on_shutdown()
    fresh.plugins.on_shutdown()


def test_compiled_templates_are_reused_between_rebuilds_and_an_edit_still_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fixture_site(tmp_path)
    overrides = root / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}First notice{% endblock %}\n',
        encoding="utf-8",
    )
    config_file = root / "mkdocs.yml"
    config_file.write_text(
        config_file.read_text(encoding="utf-8").replace(
            "  name: material\n", "  name: material\n  custom_dir: overrides\n"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    config = serve_session(root, out)
    rebuild(config)
    assert "First notice" in (out / "index.html").read_text(encoding="utf-8")
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: Any = None, *a: Any, **k: Any) -> Any:
        compiled.append(name)
        return real(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    rebuild(config)  # nothing changed: no theme template is compiled again
    assert not [n for n in compiled if n and n.endswith(".html")], compiled
    touch(
        overrides / "main.html",
        '{% extends "base.html" %}\n{% block announce %}Second notice{% endblock %}\n',
    )
    compiled.clear()
    rebuild(config)
    assert "main.html" in compiled  # the edited template, and only what depends on it
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Second notice" in home and "First notice" not in home
    config.plugins.on_shutdown()
