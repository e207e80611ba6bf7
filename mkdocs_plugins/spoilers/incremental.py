"""Rebuilding only what a save changed, under a development server (no MkDocs here).

A development server rebuilds the whole site on every save: at 1,000 films that is 5,000 pages
rendered again for one changed sentence. When only film files changed, and nothing that every
page shows (the navigation's titles, the site's config, the docs, the theme), the pages of the
unchanged films are the same bytes as last time. So between builds they are kept aside, whole:

- before the build (and before the generator empties the site directory), the films' pages are
  moved out of it into a directory of our own, `films/` and the search index and sitemaps with
  them: one rename each, whatever the number of films;
- the build renders only the changed films' pages (and every non-film page, which is cheap);
- after it, the changed films' new pages replace their old ones in the kept tree, and the tree is
  moved back: again a rename per changed film and one for the tree.

A production build never comes here. Anything that is not a film file (config, docs, plugin,
theme overrides) changing, a film added, removed or retitled, or a build that failed: the next
build is a full one. The search index and sitemap of an incremental build are the last full
build's (a changed film's spoiler-free text reaches search at the next full build).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from mkdocs_plugins.spoilers import urls

KEPT = ("search/search_index.json", "sitemap.xml", "sitemap.xml.gz")


def fingerprint(files: Iterable[Path], texts: Iterable[str] = ()) -> str:
    """What forces a full build when it changes: these files' names, sizes and mtimes."""
    h = hashlib.blake2b(digest_size=16)
    for text in texts:
        h.update(text.encode("utf-8", "replace"))
        h.update(b"\0")
    for path in sorted(files):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "replace"))
    return h.hexdigest()


def tree_files(*roots: Path | None) -> list[Path]:
    out: list[Path] = []
    for root in roots:
        if root is not None and root.is_dir():
            out += [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return out


class Keeper:
    """The last good build's film pages (and search index, sitemaps), kept between builds."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="spoilers-serve-"))
        self.ready = False  # holds a complete, good build
        self.fingerprint = ""  # of what was built: config, docs, theme, films and titles

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def take(self, site_dir: Path) -> None:
        """Before a build: move the films' pages (and kept files) out of the site directory."""
        if not self.ready:
            return
        films = site_dir / urls.FILMS
        if films.is_dir():
            kept = self.root / urls.FILMS
            if kept.exists():
                shutil.rmtree(kept)
            films.rename(kept)
        for rel in KEPT:
            src = site_dir / rel
            if src.is_file():
                dest = self.root / "kept" / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                src.replace(dest)

    def give_back(self, site_dir: Path, rebuilt: Iterable[str]) -> None:
        """After an incremental build: the films just built replace their kept pages, and the
        kept tree goes back into the site directory."""
        kept = self.root / urls.FILMS
        new = site_dir / urls.FILMS
        for film_id in rebuilt:
            built = new / film_id
            old = kept / film_id
            if old.exists():
                shutil.rmtree(old)
            if built.is_dir():
                built.rename(old)
        if new.exists():
            shutil.rmtree(new)
        kept.rename(new)
        for rel in KEPT:
            src = self.root / "kept" / rel
            if src.is_file():
                (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                src.replace(site_dir / rel)

    def keep(self, site_dir: Path, fingerprint: str) -> None:
        """After a full build: what the next incremental build will give back."""
        self.ready = (site_dir / urls.FILMS).is_dir()
        self.fingerprint = fingerprint

    def forget(self) -> None:
        self.ready = False
        self.fingerprint = ""
        shutil.rmtree(self.root / urls.FILMS, ignore_errors=True)
        shutil.rmtree(self.root / "kept", ignore_errors=True)


def titles(films: Mapping[str, str]) -> list[str]:
    """The film ids and titles, as fingerprint text: a film added, removed or retitled changes
    every page's navigation."""
    return [f"{fid}={title}" for fid, title in sorted(films.items())]
