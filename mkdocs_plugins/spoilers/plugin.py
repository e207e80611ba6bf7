"""MkDocs adapter: a thin layer that feeds the core's output to MkDocs and Material.

Everything a level page contains is decided by render.py; this module only places the pages,
keeps level pages out of the nav, search and sitemap (through MkDocs' own hooks), stops the build
on bad content, and writes each gated level's text beside its page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from mkdocs_plugins.spoilers import urls
from mkdocs_plugins.spoilers.config import SpoilersConfig
from mkdocs_plugins.spoilers.diagnostics import Diagnostic, Severity, format_all
from mkdocs_plugins.spoilers.incremental import Keeper, fingerprint, titles, tree_files
from mkdocs_plugins.spoilers.markup import to_plain
from mkdocs_plugins.spoilers.model import Film, Ladder, LadderError
from mkdocs_plugins.spoilers.nav import nav_groups
from mkdocs_plugins.spoilers.render import (
    LevelPage,
    page_title,
    render_cards,
    render_errors,
    render_gate,
    render_head,
    render_level,
    render_preview,
    render_toc,
)
from mkdocs_plugins.spoilers.validate import Checker

log = get_plugin_logger("spoilers")

HOME_MARKER = "<!-- spoilers:films -->"
THEME_DIR = Path(__file__).parent / "theme"
ASSETS = ("spoilers/spoilers.css", "spoilers/spoilers.js")
# render.py wraps every film body in these, so the revealed text can replace the gate's.
BEGIN, END = '<div class="spoilers" ', "<!-- /spoilers -->"


class _Target:
    """What one generated page shows: a film at a level (gated above the first), or the preview."""

    __slots__ = ("dir", "film", "level", "preview")

    def __init__(self, film: Film, level: str, directory: str, preview: bool = False):
        self.film, self.level, self.dir, self.preview = film, level, directory, preview


class _TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory across the rebuilds of one `mkdocs serve`.

    MkDocs makes a new Jinja environment for every build, which compiles Material's templates
    again: about 0.15 s of every rebuild, whatever the size of the site. Jinja checks each
    template's source against the checksum stored with its code, so an edited template is
    compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class SpoilersPlugin(BasePlugin[SpoilersConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # With on_startup defined, MkDocs keeps this object across the rebuilds of one
        # `mkdocs serve`: the last good build's pages can still answer while content is broken.
        self.command: str | None = None
        self.ladder = Ladder.from_config(None)
        self.films: list[Film] = []
        self.targets: dict[str, _Target] = {}  # src_uri -> target
        self.content_dir = Path("content")
        self.errors: list[Diagnostic] = []  # under `mkdocs serve`: shown in the browser
        self.checker: Checker | None = None  # kept across serve rebuilds: reads changed files
        self.keeper: Keeper | None = None  # serve only: unchanged films' pages between builds
        self.templates: _TemplateCodeCache | None = None  # serve only: compiled templates
        self.rebuilt: set[str] | None = None  # films built this time (None: all of them)
        self._left: dict[str, int] = {}  # film id -> pages not yet written (one-off builds)
        self.fingerprint = ""
        self.social: list[BasePlugin[Any]] = []  # Material's social plugin(s), if enabled

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        if command == "serve":
            self.keeper = Keeper()
            self.templates = _TemplateCodeCache()

    def on_shutdown(self) -> None:
        if self.keeper is not None:
            self.keeper.close()
            self.keeper = None

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
        if (
            self.checker is None
            or self.checker.content_dir != self.content_dir
            or self.checker.ladder != self.ladder
        ):
            self.checker = Checker(self.content_dir, self.ladder)
        # Material's social plugin makes a card and OpenGraph tags per page from the page's
        # title and description. Ours are the first level's too; where it makes a card, we
        # step aside, and it makes none for a level or preview page (see on_page_markdown).
        self.social = [
            p
            for name, p in config.plugins.items()
            if name.split("/")[-1] == "social" and getattr(p.config, "enabled", False)
        ]
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
        assert self.checker is not None  # made in on_config
        result = self.checker.run()
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        self.errors = []
        if errors:
            message = f"spoilers: {len(errors)} content error(s)\n" + format_all(errors)
            if self.command != "serve":
                # Nothing is written: the build stops here, with `spoilers check`'s own lines.
                raise PluginError(message)
            # Under `mkdocs serve` the writer sees the errors in the browser, on every page the
            # last good build had, and the page reloads once the file is fixed. (A failed build
            # would leave the browser waiting, with the errors only in the terminal.)
            log.info(message)
            self.errors = errors
            if self.keeper is not None:
                self.keeper.forget()
            for uri in self.targets:
                files.append(
                    File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
                )
            return files
        for d in result.diagnostics:
            log.warning(d.human())
        # The marks (line and column of every YAML value) only serve diagnostics: once the
        # content passed, drop them, which is most of a loaded film's memory.
        self.films = sorted(result.films, key=lambda f: f.title)
        self.rebuilt = self._incremental(config)
        if self.keeper is None:
            # A one-off build: what the checker kept for later runs is not needed again.
            self.checker = None
        self.targets = {}
        self._left = {}
        for film in self.films:
            if self.rebuilt is not None and film.id not in self.rebuilt:
                continue  # kept from the last build (incremental.py)
            for lv in self.ladder.levels:
                self._add(
                    files, config, _Target(film, lv.id, urls.level_dir(film.id, lv.id, self.ladder))
                )
            if self.config.preview:
                self._add(
                    files,
                    config,
                    _Target(film, self.ladder.last.id, urls.preview_dir(film.id), True),
                )
        return files

    def _incremental(self, config: MkDocsConfig) -> set[str] | None:
        """Under `mkdocs serve`: the films to build when only film files changed since the last
        good build, or None for a full build (see incremental.py)."""
        if self.keeper is None or self.checker is None:
            return None
        custom = config.theme.custom_dir
        self.fingerprint = fingerprint(
            tree_files(
                Path(config.docs_dir), Path(__file__).parent, Path(custom) if custom else None
            ),
            [
                Path(config.config_file_path).read_text(encoding="utf-8", errors="replace"),
                *titles({f.id: f"{f.title} ({f.year})" for f in self.films}),
            ],
        )
        if not self.keeper.ready or self.keeper.fingerprint != self.fingerprint:
            self.keeper.forget()
            return None
        return {f.id for f in self.films} & self.checker.changed

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        if self.templates is not None:
            env.bytecode_cache = self.templates
        return env

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.keeper is not None:
            # Before MkDocs empties the site directory: keep the last build's film pages.
            self.keeper.take(Path(config.site_dir))

    @event_priority(-100)  # after the search plugin wrote its index: ours goes back last
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.keeper is None or self.errors:
            return
        site = Path(config.site_dir)
        if self.rebuilt is not None:
            self.keeper.give_back(site, self.rebuilt)
        self.keeper.keep(site, self.fingerprint)

    def _add(self, files: Files, config: MkDocsConfig, target: _Target) -> None:
        uri = target.dir + "index.md"
        self.targets[uri] = target
        self._left[target.film.id] = self._left.get(target.film.id, 0) + 1
        # NOT_IN_NAV for every page: on_nav adds the first-level page itself, so an explicit
        # `nav:` in mkdocs.yml needs no film entries and warns about none.
        files.append(File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))

    def _first(self, target: _Target) -> bool:
        return target.level == self.ladder.first.id and not target.preview

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """One entry per film, in one section; level pages never appear in the nav.

        With more than `nav_group_size` films the section holds groups of films instead (see
        nav.nav_groups): with `navigation.prune`, Material then renders only the current page's
        group, not every film on every one of the N x levels pages.
        """
        if not self.films:
            return nav
        first = self.ladder.first.id
        films: list[tuple[str, Page | Link]] = []
        for film in self.films:
            f = files.get_file_from_path(urls.level_src_uri(film.id, first, self.ladder))
            if f is not None and isinstance(f.page, Page):
                films.append((film.title, f.page))
            elif self.rebuilt is not None:  # kept from the last build: a link, same markup
                films.append((film.title, Link(page_title(film), urls.film_dir(film.id))))
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
        pages = [p for p in nav.pages if id(p) not in in_films]
        pages += [p for p in film_pages if isinstance(p, Page)]
        return Navigation(items, pages)

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.keeper is not None:
            # Under serve, an incremental build puts the last full build's search index back
            # (incremental.py): what the search plugin would index now is thrown away, so it is
            # spared the parse (at 1,000 films the home page's cards took a third of a rebuild).
            # Every page gets the key in every serve build, because Material's templates write
            # other whitespace for a page with no metadata: incremental and full builds stay
            # byte for byte the same. A production build never comes here.
            search = page.meta.setdefault("search", {})
            if self.rebuilt is not None and isinstance(search, dict):
                page.meta["search"] = {**search, "exclude": True}
        if self.errors and page.file.src_uri in self.targets:
            page.meta["title"] = "Content errors"
            return ""
        target = self.targets.get(page.file.src_uri)
        if target is None:
            return markdown
        page.meta["title"] = page_title(target.film)
        page.meta["description"] = to_plain(target.film.premise)
        if not self._first(target):
            # Material's search reads this; level pages must stay out of the index.
            page.meta["search"] = {"exclude": True}
            # No social card for a level: a shared link's card is the spoiler-free page's.
            page.meta["social"] = {"cards": False}
        return ""  # the body is built from the model in on_page_content

    def _hrefs(self, target: _Target, config: MkDocsConfig) -> dict[str, str]:
        return {
            lv.id: urls.relative_href(
                target.dir,
                urls.level_dir(target.film.id, lv.id, self.ladder),
                config.use_directory_urls,
            )
            for lv in self.ladder.levels
        }

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.errors:
            page.toc = get_toc([])
            return render_errors(self.errors, self.content_dir)
        target = self.targets.get(page.file.src_uri)
        if target is None:
            return self._home(html, page, config) if page.is_homepage else html
        hrefs = self._hrefs(target, config)
        if target.preview:
            page.toc = get_toc([])
            return render_preview(target.film, self.ladder, hrefs)
        view = LevelPage(target.film, self.ladder, target.level, hrefs)
        if self._first(target):
            page.toc = _toc(view.toc)
            return render_level(view)
        page.toc = get_toc([])  # the gate lists nothing until the text arrives
        return render_gate(view)

    def _home(self, html: str, page: Page, config: MkDocsConfig) -> str:
        home_dir = page.file.dest_uri.rsplit("/", 1)[0] + "/" if "/" in page.file.dest_uri else ""
        first = self.ladder.first.id
        hrefs = {
            film.id: urls.relative_href(
                home_dir, urls.level_dir(film.id, first, self.ladder), config.use_directory_urls
            )
            for film in self.films
        }
        cards = render_cards(self.films, hrefs)
        if HOME_MARKER in html:
            return html.replace(HOME_MARKER, cards, 1)
        return html + cards

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        target = self.targets.get(page.file.src_uri)
        if target is not None and not self._first(target) and config.site_url:
            # Every level and the preview name the spoiler-free page as the canonical one.
            page.canonical_url = config.site_url.rstrip("/") + "/" + urls.film_dir(target.film.id)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        target = self.targets.get(page.file.src_uri)
        if target is None or self.errors:
            return output
        above_first = not self._first(target)
        # Material writes page.canonical_url (set in on_page_context); without a site_url the
        # level pages still need one, relative, to the spoiler-free page.
        link = None
        if above_first and not page.canonical_url:
            link = urls.relative_href(
                target.dir, urls.film_dir(target.film.id), config.use_directory_urls
            )
        cards = any(_makes_card(p, page) for p in self.social)
        head = render_head(
            target.film, above_first, page.canonical_url, link, config.site_name, og=not cards
        )
        output = output.replace("</head>", head + "</head>", 1)
        if above_first and not target.preview:
            self._write_reveal(output, target, config)
        if self.keeper is None:
            self._done(page.file.src_uri, target)
        return output

    def _done(self, uri: str, target: _Target) -> None:
        """A one-off build holds each film only until its last page is written: MkDocs builds
        the home page and the nav (which list every film) before any film page, and a film's
        pages one after the other, so memory stays flat however many films there are."""
        del self.targets[uri]
        left = self._left.get(target.film.id, 1) - 1
        self._left[target.film.id] = left
        if left <= 0:
            self._left.pop(target.film.id, None)
            self.films = []  # the nav and the home page are built

    def _write_reveal(self, gate: str, target: _Target, config: MkDocsConfig) -> None:
        """The level's text, in the gate page's own frame: reveal.html beside it.

        Same directory, so every relative link of the frame still resolves; not a MkDocs page,
        so it is in neither the sitemap nor the search index. spoilers.js fetches it in place.
        """
        view = LevelPage(target.film, self.ladder, target.level, self._hrefs(target, config))
        start = gate.find(BEGIN)
        end = gate.find(END, start)
        if start < 0 or end < 0:  # pragma: no cover - our own templates write both markers
            raise PluginError(f"spoilers: cannot find the film body in {target.dir}")
        page = gate[:start] + render_level(view) + gate[end + len(END) :]
        toc_start = page.find('<nav class="md-nav md-nav--secondary"')
        if toc_start >= 0:
            toc_end = page.find("</nav>", toc_start) + len("</nav>")
            page = page[:toc_start] + render_toc(view.toc) + page[toc_end:]
        path = Path(config.site_dir) / urls.reveal_file(target.film.id, target.level, self.ladder)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext | None:
        if template_name == "sitemap.xml":
            # Only spoiler-free pages go in the sitemap (MkDocs gzips what this renders).
            context["pages"] = [
                f
                for f in context["pages"]
                if (t := self.targets.get(f.src_uri)) is None or self._first(t)
            ]
        return context

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if self.errors and template_name == "404.html":
            panel = render_errors(self.errors, self.content_dir)
            return output_content.replace("<article", panel + "<article", 1)
        return output_content

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        # Writers edit content/ and developers edit the plugin: both trigger a rebuild.
        server.watch(str(self.content_dir))
        server.watch(str(Path(__file__).parent))
        return server


def _makes_card(social: BasePlugin[Any], page: Page) -> bool:
    """Whether Material's social plugin makes a card (and its OpenGraph tags) for `page`."""
    excluded = getattr(social, "_is_excluded", None)
    try:
        return bool(excluded is not None and not excluded(page))
    except Exception:  # pragma: no cover - a future social plugin: keep our own tags
        return False


def _toc(items: list[tuple[str, str]]) -> Any:
    return get_toc([{"level": 2, "id": i, "name": t, "children": []} for i, t in items])
