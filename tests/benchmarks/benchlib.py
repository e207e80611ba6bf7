"""Shared pieces of the benchmarks in this directory (scripts, not tests).

The benchmarks drive the plugin only from the outside: they write a site directory (a synthetic
corpus from tests/synthetic.py, docs/ and mkdocs.yml) and run `python -m mkdocs build` or
`serve` in a fresh process. They import one pure function of this checkout's plugin (its nav
grouping, so that the plain site groups its nav the same way) and otherwise build any checkout
(`--repo`).

- `Checkout`: which copy of the plugin a build uses (PYTHONPATH, plus a shim that registers that
  copy's `mkdocs.plugins` entry points, in case they moved).
- `measure`: one command in a fresh process; wall time, CPU time and peak RSS from os.wait4.
- `write_plugin_site` / `write_plain_site`: the two sites of the build benchmark. The plain site
  is written from the plugin's own built pages (see `write_plain_site`), and `verify_plain`
  checks after a build that both sites carry the same bodies, titles, navs and tables of
  contents.
- `nav_groups`: the plugin's own nav grouping (`mkdocs_plugins.spoilers.nav`), which
  `verify_plain` checks against each checkout's rendered nav.
"""

from __future__ import annotations

import html
import importlib.metadata
import json
import math
import os
import platform
import posixpath
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO = TESTS.parent
for _path in (TESTS, REPO):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import synthetic  # noqa: E402

from mkdocs_plugins.spoilers.nav import nav_groups  # noqa: E402

SITE_NAME = "Build benchmark"
GROUP_SIZE = 50  # the plugin's default nav_group_size
NAV_TITLE = "Films"  # the plugin's default nav_title
HOME_MARKER = "<!-- spoilers:films -->"
CARDS_START = "<!-- bench:cards -->"
CARDS_END = "<!-- bench:end-cards -->"
HOME_INTRO = """\
# Film explainers, at your own spoiler level

Pick a film below. Its first page is spoiler-free: premise, credits, cast and content notes.

"""

# Both sites share everything but the nav and the spoilers plugin (as in the repo's mkdocs.yml).
COMMON_CONFIG = f"""\
site_name: {SITE_NAME}
site_url: https://example.org/
docs_dir: docs
theme:
  name: material
  language: en
  font: false
  features:
    - navigation.instant
    - navigation.sections
    - navigation.prune
    - navigation.top
    - toc.follow
    - search.highlight
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: deep purple
      accent: amber
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: deep purple
      accent: amber
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
markdown_extensions:
  - admonition
  - attr_list
  - toc:
      permalink: true
"""

BASE_ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}


def yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- checkouts ---------------------------------------------------------------------------------


@dataclass
class Checkout:
    """A copy of the project whose plugin a build runs (`--repo [LABEL=]PATH`)."""

    label: str
    path: Path
    shim: Path | None = None

    def env(self) -> dict[str, str]:
        """Environment for a build with this checkout's plugin first on the path."""
        paths = [str(p) for p in (self.shim, self.path) if p is not None]
        return {**os.environ, **BASE_ENV, "PYTHONPATH": os.pathsep.join(paths)}


def parse_checkouts(specs: Sequence[str], work: Path) -> list[Checkout]:
    """`[LABEL=]PATH` for each --repo; no --repo means this checkout, labelled "this"."""
    if not specs:
        specs = [f"this={REPO}"]
    out = []
    for i, spec in enumerate(specs):
        label, sep, path = spec.partition("=")
        if not sep:
            label, path = (chr(ord("a") + i) if len(specs) > 1 else "this"), spec
        root = Path(path).expanduser().resolve()
        if not (root / "mkdocs_plugins").is_dir():
            raise SystemExit(f"--repo {spec}: no mkdocs_plugins/ in {root}")
        co = Checkout(label, root)
        co.shim = _entry_point_shim(root, work / "shims" / label)
        out.append(co)
    if len({c.label for c in out}) != len(out):
        raise SystemExit("--repo labels must differ (use LABEL=PATH)")
    return out


def _entry_point_shim(root: Path, shim: Path) -> Path | None:
    """A tiny dist-info that registers this checkout's MkDocs entry points.

    MkDocs finds plugins by entry point, and the venv's are those of the checkout it was
    installed from. Put first on PYTHONPATH, this shadows them with `root`'s pyproject.toml,
    so a checkout whose plugin module moved still loads its own plugin.
    """
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return None
    meta = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    eps = meta.get("entry-points", {}).get("mkdocs.plugins")
    if not eps:
        return None
    name = meta.get("name", "mkdocs-spoilers")
    dist = shim / f"{name.replace('-', '_')}-{meta.get('version', '0')}.dist-info"
    shutil.rmtree(shim, ignore_errors=True)
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {meta.get('version', '0')}\n",
        encoding="utf-8",
    )
    lines = ["[mkdocs.plugins]", *(f"{k} = {v}" for k, v in eps.items())]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return shim


def plain_env() -> dict[str, str]:
    env = {**os.environ, **BASE_ENV}
    env.pop("PYTHONPATH", None)
    return env


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Usage:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its children
    rss_mb: float  # peak resident set size (MiB) of the largest process

    def as_dict(self) -> dict[str, float]:
        return {"wall": self.wall, "cpu": self.cpu, "rss_mb": self.rss_mb}


# The command runs under a tiny launcher that times it and reads its rusage from os.wait4. Linux
# carries a process's peak RSS across fork and exec, so a child forked straight from a benchmark
# script would report at least the script's own peak; the launcher is a ~10 MB process.
LAUNCHER = """\
import json, os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(sys.argv[1], "w") as f:
    json.dump({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss": ru.ru_maxrss}, f)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(cmd: Sequence[str], cwd: Path, env: dict[str, str], log: Path) -> Usage:
    """Run `cmd` once in a fresh process: wall time, CPU time and peak RSS (os.wait4)."""
    log = log.resolve()
    usage_file = log.with_suffix(".usage.json")
    with log.open("wb") as fh:
        proc = subprocess.run(
            [sys.executable, "-I", "-S", "-c", LAUNCHER, str(usage_file), *cmd],
            cwd=cwd,
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise SystemExit(f"`{' '.join(cmd)}` in {cwd} failed ({proc.returncode}):\n{tail}")
    u = json.loads(usage_file.read_text(encoding="utf-8"))
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes / KiB
    return Usage(u["wall"], u["cpu"], u["maxrss"] / scale)


def mkdocs_build(site: Path, out: Path, env: dict[str, str], log: Path) -> Usage:
    """`python -m mkdocs build --strict -q -d out` in `site`, measured."""
    out = out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)]
    return measure(cmd, site, env, log)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Least squares y = a + b x: (a, b, r squared)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return a, b, (1 - ss_res / ss_tot) if ss_tot else 1.0


def machine() -> dict[str, Any]:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    return {
        "cpus": os.cpu_count(),
        "memory": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
    }


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"Machine: {info['cpus']} CPUs, {info['memory']} RAM, {info['platform']}; Python "
        f"{info['python']}, MkDocs {info['mkdocs']}, Material {info['mkdocs-material']}"
    )


def git_describe(path: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(path), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(path), "status", "--porcelain", "--", "mkdocs_plugins"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out[:72] + (" (+ uncommitted changes in mkdocs_plugins/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


# --- the plugin's site -------------------------------------------------------------------------


def write_corpus(content: Path, films: int, facts: int, seed: int) -> list[str]:
    shutil.rmtree(content, ignore_errors=True)
    return synthetic.write_corpus(content, films, facts, seed=seed)


def write_plugin_site(root: Path, content: Path, options: str = "") -> None:
    """docs/index.md (home, with the cards marker) and mkdocs.yml with search + spoilers."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    home = f"{HOME_INTRO}{CARDS_START}\n{HOME_MARKER}\n{CARDS_END}\n"
    (root / "docs" / "index.md").write_text(home, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        COMMON_CONFIG
        + "nav:\n  - Home: index.md\n"
        + "plugins:\n  - search\n  - spoilers:\n"
        + f"      content_dir: {yaml_str(str(content.resolve()))}\n"
        + options,
        encoding="utf-8",
    )


_TITLE_LINE = re.compile(r'^title: (".*")$', re.MULTILINE)


def corpus_titles(content: Path) -> dict[str, str]:
    """film id -> title, read from the corpus files (their `title:` line)."""
    out = {}
    for path in sorted((content / "films").glob("*.yml")):
        m = _TITLE_LINE.search(path.read_text(encoding="utf-8"))
        if m:
            out[path.stem] = json.loads(m.group(1))
    return out


# --- reading built pages -----------------------------------------------------------------------

_ARTICLE_OPEN = '<article class="md-content__inner md-typeset">'


def article(page: str) -> str:
    """The article body Material wraps around page.content (stripped)."""
    i = page.find(_ARTICLE_OPEN)
    j = page.rfind("</article>")
    if i < 0 or j < i:
        raise ValueError("no Material article in the page")
    return page[i + len(_ARTICLE_OPEN) : j].strip()


def _element(page: str, opening: str, tag: str) -> str:
    """The element that starts with `opening`, up to its balanced closing tag."""
    i = page.find(opening)
    if i < 0:
        return ""
    depth, pos = 0, i
    pattern = re.compile(rf"<(/?){tag}\b")
    for m in pattern.finditer(page, i):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            end = page.find(">", m.end()) + 1
            return page[i:end]
        pos = m.end()
    return page[i:pos]


def primary_nav(page: str) -> str:
    return _element(page, '<nav class="md-nav md-nav--primary"', "nav")


def toc_nav(page: str) -> str:
    return _element(page, '<nav class="md-nav md-nav--secondary"', "nav")


_TOC_ENTRY = re.compile(
    r'<a href="#([^"]+)" class="md-nav__link">\s*<span class="md-ellipsis">(.*?)</span>', re.DOTALL
)


def toc_entries(page: str) -> dict[str, str]:
    """id -> name of each entry in the page's table of contents (Material's secondary nav)."""
    return {i: " ".join(name.split()) for i, name in _TOC_ENTRY.findall(toc_nav(page))}


def page_title(page: str) -> str:
    m = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    title = html.unescape(m.group(1).strip()) if m else ""
    suffix = f" - {SITE_NAME}"
    return title[: -len(suffix)] if title.endswith(suffix) else title


def meta_description(page: str) -> str | None:
    m = re.search(r'<meta name="description" content="([^"]*)">', page)
    return html.unescape(m.group(1)) if m else None


def squeeze(fragment: str) -> str:
    """HTML with the whitespace between tags dropped, for comparing bodies and navs."""
    return re.sub(r">\s+<", "><", fragment).strip()


# --- the plain page: the plugin's body as Markdown with raw HTML ------------------------------

_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)


@dataclass
class _Node:
    tag: str | None  # None: text or comment
    start: int
    end: int = -1
    inner_start: int = -1  # after the start tag
    inner_end: int = -1  # before the end tag
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[_Node] = field(default_factory=list)


class _Tree(HTMLParser):
    """Element tree of an HTML fragment, with source offsets (so slices stay byte-exact)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self._lines = [0]
        for m in re.finditer("\n", source):
            self._lines.append(m.end())
        self.root = _Node(None, 0, len(source))
        self._stack = [self.root]
        self.feed(source)
        self.close()
        for node in self._stack[1:]:  # unclosed: end at the end of the fragment
            node.end = node.inner_end = len(source)

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        text = self.get_starttag_text() or ""
        node = _Node(tag, start, inner_start=start + len(text), attrs=dict(attrs))
        self._stack[-1].children.append(node)
        if tag in _VOID:
            node.end = node.inner_end = node.inner_start
        else:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        text = self.get_starttag_text() or ""
        end = start + len(text)
        self._stack[-1].children.append(_Node(tag, start, end, end, end, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self.source.find(">", start) + 1
        for k in range(len(self._stack) - 1, 0, -1):
            if self._stack[k].tag == tag:
                for node in self._stack[k + 1 :]:  # left open: they end here
                    node.inner_end = node.end = start
                self._stack[k].inner_end, self._stack[k].end = start, end
                del self._stack[k:]
                return

    def _leaf(self, length: int) -> None:
        start = self._offset()
        self._stack[-1].children.append(_Node(None, start, start + length))

    def handle_data(self, data: str) -> None:
        self._leaf(len(data))

    def handle_entityref(self, name: str) -> None:
        self._leaf(len(name) + 2)

    def handle_charref(self, name: str) -> None:
        self._leaf(len(name) + 3)

    def handle_comment(self, data: str) -> None:
        self._leaf(len(data) + 7)


def _block_level() -> frozenset[str]:
    import markdown  # MkDocs' own Markdown library: which tags it passes through as raw blocks

    return frozenset(markdown.Markdown().block_level_elements)


_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]#])")


@dataclass
class PlainPage:
    markdown: str  # the body, as Markdown for the plain site
    expected: str  # the HTML the plain page's article should have (squeezed)
    unwrapped: int  # bytes of wrapper tags dropped from the plugin's body
    wrapped: int  # bytes of <p></p> Python-Markdown adds around top-level inline elements


def body_to_markdown(
    body: str, toc: dict[str, str] | Sequence[str], block: frozenset[str]
) -> PlainPage:
    """The plugin's page body as Markdown that renders to the same HTML and the same TOC.

    The headings listed in the plugin's table of contents become Markdown headings
    (`## Title {#id}`, with `data-toc-label` when the TOC names the heading otherwise than its
    text), so Python-Markdown's toc extension gives the plain page the same TOC as the one
    the plugin sets. Everything else is copied byte for byte as raw HTML blocks. Raw
    HTML cannot contain a Markdown heading, so the elements that enclose those headings (on the
    plugin's film pages: the page wrapper, the body wrapper and each section) are unwrapped:
    their own tags are left out, their contents kept. Python-Markdown puts a top-level inline
    element (the gate's checkbox) in a <p>; `wrapped` counts those bytes.
    """
    tree = _Tree(body)
    names = dict(toc) if isinstance(toc, dict) else {i: None for i in toc}
    wanted = set(names)
    headings: set[int] = set()
    wrappers: set[int] = set()

    def mark(node: _Node, ancestors: list[_Node]) -> None:
        for child in node.children:
            if child.tag and re.fullmatch(r"h[1-6]", child.tag) and child.attrs.get("id") in wanted:
                headings.add(id(child))
                wrappers.update(id(a) for a in ancestors)
            elif child.tag:
                mark(child, [*ancestors, child])

    for top in tree.root.children:
        if top.tag:
            mark(top, [top])
    parts: list[str] = []
    expected: list[str] = []
    unwrapped = wrapped = 0

    def emit(node: _Node) -> None:
        nonlocal unwrapped, wrapped
        for child in node.children:
            src = body[child.start : child.end]
            if id(child) in wrappers:
                unwrapped += (child.inner_start - child.start) + (child.end - child.inner_end)
                emit(child)
            elif id(child) in headings:
                inner = body[child.inner_start : child.inner_end]
                inner = re.sub(r'<a class="headerlink"[^>]*>.*?</a>$', "", inner, flags=re.DOTALL)
                level = int(child.tag[1])  # type: ignore[index]
                text = _MD_ESCAPE.sub(r"\\\1", inner.strip())
                hid = child.attrs["id"] or ""
                attrs = f"#{hid}"
                name = names.get(hid)
                plain_text = " ".join(html.unescape(re.sub(r"<[^>]*>", "", inner)).split())
                if name is not None and name != plain_text:
                    attrs += f' data-toc-label="{html.escape(name)}"'
                parts.append(f"{'#' * level} {text} {{{attrs}}}")
                expected.append(src)
            elif child.tag is None and not src.strip():
                continue
            elif (child.tag is None and src.startswith("<!--")) or child.tag in block:
                parts.append(src)
                expected.append(src)
            else:  # inline at the top level: Python-Markdown makes it a paragraph
                parts.append(src.strip())
                expected.append(f"<p>{src.strip()}</p>")
                wrapped += 7

    emit(tree.root)
    return PlainPage("\n\n".join(parts) + "\n", squeeze("".join(expected)), unwrapped, wrapped)


# --- the plain site ----------------------------------------------------------------------------


@dataclass
class PlainSite:
    root: Path
    # plugin's output file -> (the plain site's output file, the expected article, squeezed)
    pages: dict[str, tuple[str, str]]
    static: list[str] = field(default_factory=list)  # files copied as they are
    body_bytes_plugin: int = 0
    body_bytes_plain: int = 0
    unwrapped: int = 0
    wrapped: int = 0
    fingerprint: str = ""


def _plain_path(rel: str) -> str:
    """Where plain MkDocs (directory URLs) writes the page for the plugin's file `rel`:
    x/index.html stays, any other x/name.html page becomes x/name/index.html."""
    if rel.endswith("/index.html") or rel == "index.html":
        return rel
    return rel.removesuffix(".html") + "/index.html"


def _assets(home: str) -> tuple[list[str], list[str]]:
    """extra_css / extra_javascript the plugin added (links outside Material's own assets)."""
    css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', home)
    js = re.findall(r'<script src="([^"]+)"', home)

    def own(hrefs: list[str]) -> list[str]:
        return [h for h in hrefs if not h.startswith(("assets/", "http:", "https:", "//"))]

    return own(css), own(js)


def write_plain_site(
    plugin_out: Path, root: Path, titles: dict[str, str], group_size: int = GROUP_SIZE
) -> PlainSite:
    """Plain MkDocs + Material pages carrying the bodies of the plugin's built pages.

    For every HTML page (a Material page) the plugin wrote under films/, a Markdown page at the
    same place (x/name.html: x/name/index.md, as MkDocs only writes directory URLs here) with
    the same title and description (front matter), the plugin's body (`body_to_markdown`),
    `search: exclude: true` when the plugin kept the page out of the search index, and
    `not_in_nav` for all but the films' first pages. Any other file the plugin wrote under
    films/ is copied as a static file. The home page gets the plugin's cards. The nav lists
    the films' first pages sorted by title, grouped as the plugin groups them (`nav_groups`).
    The plugin's own CSS and JS are copied and listed in extra_css and extra_javascript. Same
    theme, features, extensions and search plugin (COMMON_CONFIG).
    """
    shutil.rmtree(root, ignore_errors=True)
    docs = root / "docs"
    docs.mkdir(parents=True)
    block = _block_level()
    site = PlainSite(root, {})
    index = json.loads((plugin_out / "search" / "search_index.json").read_text("utf-8"))
    searched = {d["location"].split("#", 1)[0] for d in index["docs"]}
    nav_titles: dict[str, str] = {}
    for path in sorted(p for p in (plugin_out / "films").rglob("*") if p.is_file()):
        rel = path.relative_to(plugin_out).as_posix()
        page = path.read_text(encoding="utf-8") if path.suffix == ".html" else ""
        if _ARTICLE_OPEN not in page:
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / rel)
            site.static.append(rel)
            continue
        body = article(page)
        plain = body_to_markdown(body, toc_entries(page), block)
        title = page_title(page)
        front = ["---", f"title: {yaml_str(title)}"]
        desc = meta_description(page)
        if desc is not None:
            front.append(f"description: {yaml_str(desc)}")
        location = rel.removesuffix("index.html")
        if location not in searched:
            front += ["search:", "  exclude: true"]
        target = _plain_path(rel)
        md = (docs / target).with_suffix(".md")
        md.parent.mkdir(parents=True, exist_ok=True)
        md.write_text("\n".join([*front, "---", "", plain.markdown]), encoding="utf-8")
        site.pages[rel] = (target, plain.expected)
        site.body_bytes_plugin += len(squeeze(body))
        site.body_bytes_plain += len(plain.expected)
        site.unwrapped += plain.unwrapped
        site.wrapped += plain.wrapped
        if rel.count("/") == 2 and rel.endswith("/index.html"):  # films/<id>/index.html
            nav_titles[rel.split("/")[1]] = title
    home = (plugin_out / "index.html").read_text(encoding="utf-8")
    home_article = article(home)
    i, j = home_article.find(CARDS_START), home_article.find(CARDS_END)
    cards = home_article[i + len(CARDS_START) : j].strip() if 0 <= i < j else ""
    (docs / "index.md").write_text(
        f"{HOME_INTRO}{CARDS_START}\n{cards}\n{CARDS_END}\n", encoding="utf-8"
    )
    site.pages["index.html"] = ("index.html", squeeze(home_article))
    css, js = _assets(home)
    for href in [*css, *js]:
        src = plugin_out / href
        if src.is_file():
            (docs / href).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, docs / href)
    films = sorted(nav_titles, key=lambda fid: titles[fid])

    def entry(fid: str, indent: str) -> str:
        return f"{indent}- {yaml_str(nav_titles[fid])}: films/{fid}/index.md"

    nav = ["nav:", "  - Home: index.md", f"  - {yaml_str(NAV_TITLE)}:"]
    groups = nav_groups([titles[f] for f in films], group_size)
    if groups:
        for g in groups:
            nav.append(f"    - {yaml_str(g.label)}:")
            nav += [entry(f, "      ") for f in films[g.start : g.stop]]
    else:
        nav += [entry(f, "    ") for f in films]
    extra = ""
    if css:
        extra += "extra_css:\n" + "".join(f"  - {yaml_str(h)}\n" for h in css)
    if js:
        extra += "extra_javascript:\n" + "".join(f"  - {yaml_str(h)}\n" for h in js)
    (root / "mkdocs.yml").write_text(
        COMMON_CONFIG
        + "\n".join(nav)
        + "\nnot_in_nav: |\n  /films/*/*/**/*.md\n"
        + extra
        + "plugins:\n  - search\n",
        encoding="utf-8",
    )
    site.fingerprint = str(
        hash((tuple(sorted(site.pages.items())), tuple(site.static), tuple(nav), extra))
    )
    return site


@dataclass
class Verification:
    pages: int = 0
    static: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_HREF = re.compile(r'href="([^"#]*)(#[^"]*)?"')


def _absolute_links(fragment: str, page: str) -> str:
    """Links made site-absolute (against the page's own file), so that pages written at other
    depths (x/name.html in one site, x/name/index.html in the other) compare equal."""
    base = posixpath.dirname(page)

    def fix(m: re.Match[str]) -> str:
        href, frag = m.group(1), m.group(2) or ""
        if not href or "://" in href or href.startswith(("/", "mailto:")):
            return m.group(0)
        target = posixpath.normpath(posixpath.join(base, href))
        target = target.removesuffix("/index.html").removesuffix("index.html")
        return f'href="/{target.strip(".").strip("/")}{frag}"'

    return _HREF.sub(fix, fragment)


def _blank(fragment: str) -> str:
    """All whitespace next to a tag dropped, other runs made one space (for navs, which
    templates may indent differently)."""
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", fragment)).strip()


def verify_plain(site: PlainSite, plugin_out: Path, plain_out: Path) -> Verification:
    """After a build of each: the plain pages have the expected body, and the same title,
    description, table of contents and primary nav (links compared site-absolute) as the
    plugin's; the static files are there."""
    v = Verification()

    def problem(d: str, what: str, a: str, b: str) -> None:
        if len(v.problems) < 20:
            k = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
            v.problems.append(f"{d}: {what} differs at {k}: {a[k : k + 80]!r} vs {b[k : k + 80]!r}")
        else:
            v.problems.append(f"{d}: {what} differs")

    for rel, (target, expected) in site.pages.items():
        p = (plugin_out / rel).read_text(encoding="utf-8")
        q_path = plain_out / target
        if not q_path.is_file():
            v.problems.append(f"{rel}: missing in the plain site ({target})")
            continue
        q = q_path.read_text(encoding="utf-8")
        v.pages += 1
        got = squeeze(article(q))
        if got != expected:
            problem(rel, "body", expected, got)
        for what, get in (("title", page_title), ("description", meta_description)):
            a, b = get(p) or "", get(q) or ""
            if a != b:
                problem(rel, what, a, b)
        for what, nav in (("toc", toc_nav), ("nav", primary_nav)):
            a = _absolute_links(_blank(nav(p)), rel)
            b = _absolute_links(_blank(nav(q)), target)
            if a != b:
                problem(rel, what, a, b)
    for rel in site.static:
        v.static += 1
        if not (plain_out / rel).is_file():
            v.problems.append(f"{rel}: static file missing in the plain site")
    return v


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def fmt_mb(value: float) -> str:
    return f"{value:,.0f} MB"


def fmt_s(value: float) -> str:
    return f"{value:,.2f} s" if value < 100 else f"{value:,.1f} s"


def ratio(a: float, b: float) -> float:
    return a / b if b else math.nan
