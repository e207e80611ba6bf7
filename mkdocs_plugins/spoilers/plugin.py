"""MkDocs adapter: a thin layer that feeds the core's output to MkDocs and Material.

All decisions about what a level contains are made in render.py; this module only places the
pages, keeps level pages out of the nav, search and sitemap, and stops the build on bad content.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from mkdocs_plugins.spoilers.config import SpoilersConfig
from mkdocs_plugins.spoilers.diagnostics import Severity, format_all
from mkdocs_plugins.spoilers.model import Ladder, LadderError
from mkdocs_plugins.spoilers.render import (
    PREVIEW_DIR,
    RenderedFilm,
    level_dir,
    level_src_uri,
    level_view,
    nav_groups,
    page_title,
    relative_href,
    render_cards,
    render_film,
    render_head,
    render_level_page,
    render_preview,
)
from mkdocs_plugins.spoilers.validate import check

log = get_plugin_logger("spoilers")

HOME_MARKER = "<!-- spoilers:films -->"
THEME_DIR = Path(__file__).parent / "theme"
ASSETS = ("spoilers/spoilers.css", "spoilers/spoilers.js")


class _Target:
    """What one generated page shows: a film at a level, or the film's writer preview."""

    __slots__ = ("dir", "level", "preview", "rf")

    def __init__(self, rf: RenderedFilm, level: str, directory: str, preview: bool = False):
        self.rf, self.level, self.dir, self.preview = rf, level, directory, preview


class SpoilersPlugin(BasePlugin[SpoilersConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.ladder = Ladder.from_config(None)
        self.films: list[RenderedFilm] = []
        self.targets: dict[str, _Target] = {}  # src_uri -> target
        self.content_dir = Path("content")

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        try:
            self.ladder = Ladder.from_config(
                [dict(lv) for lv in self.config.levels] if self.config.levels else None
            )
        except LadderError as exc:
            raise PluginError(f"plugins.spoilers.levels: {exc}") from exc
        if self.config.preview and self.command != "serve":
            # A preview shows every level on one page: it must never reach readers.
            raise PluginError(
                "plugins.spoilers.preview is for `mkdocs serve` only; a production build "
                "refuses it. Remove `preview: true` from mkdocs.yml."
            )
        self.content_dir = Path(config.config_file_path).parent / self.config.content_dir
        # Assets ship as a theme directory, as MkDocs' own search plugin does.
        config.theme.dirs.append(str(THEME_DIR))
        for asset in ASSETS:
            target = config.extra_css if asset.endswith(".css") else config.extra_javascript
            if asset not in target:
                target.append(asset)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        result = check([], self.content_dir, self.ladder)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if errors:
            # Nothing is written: the build stops here, with `spoilers check`'s own lines.
            raise PluginError(
                f"spoilers: {len(errors)} content error(s)\n" + format_all(result.diagnostics)
            )
        for d in result.diagnostics:
            log.warning(d.human())
        self.films = sorted(
            (render_film(f, self.ladder) for f in result.films), key=lambda rf: rf.film.title
        )
        self.targets = {}
        for rf in self.films:
            for lv in self.ladder.levels:
                uri = level_src_uri(rf.film.id, lv.id, self.ladder)
                self.targets[uri] = _Target(rf, lv.id, level_dir(rf.film.id, lv.id, self.ladder))
                # NOT_IN_NAV for every level: on_nav adds the first-level page itself, so an
                # explicit `nav:` in mkdocs.yml needs no film entries and warns about none.
                files.append(
                    File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
                )
            if self.config.preview:
                directory = f"films/{rf.film.id}/{PREVIEW_DIR}/"
                uri = directory + "index.md"
                self.targets[uri] = _Target(rf, self.ladder.ids[-1], directory, preview=True)
                files.append(
                    File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
                )
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """One entry per film, in one section; level pages never appear in the nav.

        With more than `nav_group_size` films the section holds groups of films instead (see
        render.nav_groups): with `navigation.prune`, Material then renders only the current
        page's group, not every film on every one of the N x levels pages.
        """
        if not self.films:
            return nav
        first = self.ladder.first.id
        films: list[tuple[str, Page]] = []
        for rf in self.films:
            f = files.get_file_from_path(level_src_uri(rf.film.id, first, self.ladder))
            if f is not None and isinstance(f.page, Page):
                films.append((rf.film.title, f.page))
        film_pages = [p for _, p in films]
        section = Section(self.config.nav_title, [])
        groups = nav_groups([t for t, _ in films], self.config.nav_group_size)
        if groups:
            for g in groups:
                children: list[StructureItem] = list(film_pages[g.start : g.stop])
                group = Section(g.label, children)
                group.parent = section
                for p in group.children:
                    p.parent = group
                section.children.append(group)
        else:
            section.children = list(film_pages)
            for p in film_pages:
                p.parent = section
        items = [*nav.items, section]
        in_films = set(map(id, film_pages))
        pages = [p for p in nav.pages if id(p) not in in_films] + film_pages
        return Navigation(items, pages)

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        target = self.targets.get(page.file.src_uri)
        if target is None:
            return markdown
        film = target.rf.film
        page.meta["title"] = page_title(film)
        page.meta["description"] = target.rf.premise_plain
        if target.preview or target.level != self.ladder.first.id:
            # Material's search reads this; level pages must stay out of the index.
            page.meta["search"] = {"exclude": True}
        return ""  # the body is built from the core's cache in on_page_content

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        target = self.targets.get(page.file.src_uri)
        if target is None:
            if page.is_homepage:
                return self._home(html, page, config)
            return html
        hrefs = {
            lv.id: relative_href(
                target.dir,
                level_dir(target.rf.film.id, lv.id, self.ladder),
                config.use_directory_urls,
            )
            for lv in self.ladder.levels
        }
        if target.preview:
            body = render_preview(target.rf, hrefs)
            page.toc = get_toc([])
            return body
        view = level_view(target.rf, target.level, hrefs)
        page.toc = get_toc([{"level": 2, "id": i, "name": t, "children": []} for i, t in view.toc])
        return render_level_page(view)

    def _home(self, html: str, page: Page, config: MkDocsConfig) -> str:
        home_dir = page.file.dest_uri.rsplit("/", 1)[0] + "/" if "/" in page.file.dest_uri else ""
        hrefs = {
            rf.film.id: relative_href(
                home_dir,
                level_dir(rf.film.id, self.ladder.first.id, self.ladder),
                config.use_directory_urls,
            )
            for rf in self.films
        }
        cards = render_cards(self.films, hrefs)
        if HOME_MARKER in html:
            return html.replace(HOME_MARKER, cards, 1)
        return html + cards

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        target = self.targets.get(page.file.src_uri)
        if target is None:
            return output
        first_dir = level_dir(target.rf.film.id, self.ladder.first.id, self.ladder)
        if config.site_url:
            canonical = config.site_url.rstrip("/") + "/" + first_dir
        else:
            canonical = relative_href(target.dir, first_dir, config.use_directory_urls)
        head = render_head(target.rf, target.level, canonical, config.site_name)
        if target.level != self.ladder.first.id or target.preview:
            # Material wrote this page's own URL as canonical; point at the spoiler-free page.
            output = _CANONICAL.sub("", output, count=1)
        return output.replace("</head>", head + "</head>", 1)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Drop level and preview pages from the sitemap (MkDocs lists every page)."""
        hidden = {
            t.dir for t in self.targets.values() if t.preview or t.level != self.ladder.first.id
        }
        sitemap = Path(config.site_dir) / "sitemap.xml"
        if not hidden or not sitemap.is_file():
            return
        xml = sitemap.read_text(encoding="utf-8")
        # Suffix lookups by length: one set probe per distinct length, not one test per hidden
        # directory (5,000 entries x 4,000 hidden pages was quadratic).
        lengths = sorted({len(d) for d in hidden})

        def is_hidden(loc: str) -> bool:
            """loc ends with "/" + d or with d + "index.html", for some hidden d."""
            stem = loc[: -len("index.html")] if loc.endswith("index.html") else None
            for n in lengths:
                if len(loc) > n and loc[-n - 1] == "/" and loc[-n:] in hidden:
                    return True
                if stem is not None and len(stem) >= n and stem[len(stem) - n :] in hidden:
                    return True
            return False

        kept = _URL_ENTRY.sub(lambda m: "" if is_hidden(m.group(1)) else m.group(0), xml)
        sitemap.write_text(kept, encoding="utf-8")
        gz = sitemap.with_name("sitemap.xml.gz")
        if gz.is_file():
            # Same settings as MkDocs: mtime 0 so identical content gives identical bytes.
            with gzip.GzipFile(gz, "wb", mtime=0) as f:
                f.write(kept.encode("utf-8"))

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        # Writers edit content/ and developers edit the plugin: both trigger a rebuild.
        server.watch(str(self.content_dir))
        server.watch(str(Path(__file__).parent))
        return server


_CANONICAL = re.compile(r'<link rel="canonical" href="[^"]*">\s*')
_URL_ENTRY = re.compile(r"\s*<url>\s*<loc>([^<]*)</loc>.*?</url>", re.DOTALL)
