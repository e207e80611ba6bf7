"""Hostile writer input: XSS payloads in every writer-controlled string.

For each payload and each field, either `spoilers check` rejects the film with a clear, located
error, or the film is rendered (every level page, the head tags, the home card) and the output is
scanned: no script other than the plugin's own gate script, no event handler attribute, no
dangerous URL, no active element. One real strict MkDocs build then carries every accepted payload
at once, and the whole built site is scanned the same way.
"""

from __future__ import annotations

import contextlib
import copy
import html
import io
import json
import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from reporting import report
from support.paths import REPO_ROOT
from support.sites import build

from mkdocs_plugins.spoilers import validate
from mkdocs_plugins.spoilers.cli import main
from mkdocs_plugins.spoilers.model import Ladder
from mkdocs_plugins.spoilers.render import (
    LevelPage,
    render_cards,
    render_gate,
    render_head,
    render_level,
    render_preview,
)
from mkdocs_plugins.spoilers.urls import relative_href
from mkdocs_plugins.spoilers.validate import check

REPO = REPO_ROOT
LADDER = Ladder.from_config(None)

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "<javascript:alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '"><script>alert(1)</script>',
    "</title><script>alert(1)</script>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    "<details open ontoggle=alert(1)>",
    "<math><mtext></table><img src=x onerror=alert(1)>",
    "[x](//evil.example/)",
    "{{ 7*7 }} {% raw %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<style>body{display:none}</style>",
    '[x](https://ok.example/"onclick="alert(1))',
    "--><script>alert(1)</script><!--",
    "ok \u202e gnp.exe",
    "[x](https://ok.example/ 'title\" onmouseover=\"alert(1)')",
]

# Where each payload goes: a path into the film data (a list index selects the first item).
FIELDS: dict[str, tuple[Any, ...]] = {
    "title": ("title",),
    "director": ("director",),
    "premise": ("premise",),
    "fact": ("sections", 0, "facts", 0, "text"),
    "section-title": ("sections", 0, "title"),
    "source-title": ("sources", 0, "title"),
    "source-url": ("sources", 0, "url"),
    "source-note": ("sources", 0, "note"),
    "entity-name": ("entities", 0, "names", 0),
    "entity-description": ("entities", 0, "descriptions", 0, "text"),
    "content-note-label": ("content_notes", 0, "label"),
    "content-note-detail": ("content_notes", 0, "detail"),
    "claim": ("disagreements", 0, "claims", 0, "text"),
    "disagreement-topic": ("disagreements", 0, "topic"),
    "cast-actor": ("cast", 0, "actor"),
    "reception": ("reception", 0, "text"),
}

BASE: dict[str, Any] = {
    "id": "hostile-film-2021",
    "title": "Hostile Film",
    "year": 2021,
    "director": "A Director",
    "runtime_minutes": 90,
    "release": {"date": "2021-02-03", "platform": "cinemas"},
    "premise": "A premise.",
    "premise_sources": ["src-a"],
    "reception": [{"text": "Reviewers liked it.", "sources": ["src-a"]}],
    "cast": [{"actor": "An Actor", "entity": "hero"}],
    "content_notes": [{"id": "violence", "label": "Violence", "detail": "Some fights."}],
    "sources": [
        {
            "id": "src-a",
            "title": "A review",
            "kind": "review",
            "url": "https://ok.example/a",
            "note": "A note.",
        },
        {"id": "src-b", "title": "An explainer", "kind": "explainer"},
    ],
    "entities": [
        {
            "id": "hero",
            "kind": "character",
            "names": ["Hero"],
            "introduced": "none",
            "descriptions": [{"level": "none", "text": "The lead.", "sources": ["src-a"]}],
        },
    ],
    "sections": [
        {
            "id": "what-happens",
            "level": "none",
            "title": "What happens?",
            "facts": [
                {"id": "f1", "level": "none", "text": "Things happen.", "sources": ["src-a"]},
                {"id": "f2", "level": "ending", "text": "It ends.", "sources": ["src-b"]},
            ],
        },
    ],
    "disagreements": [
        {
            "id": "d1",
            "level": "setup",
            "section": "what-happens",
            "topic": "Who?",
            "claims": [
                {"text": "One says this.", "sources": ["src-a"]},
                {"text": "One says that.", "sources": ["src-b"]},
            ],
        },
    ],
}

_DANGEROUS_URL = re.compile(r"^(?:javascript|data|vbscript|file):", re.IGNORECASE)
_ACTIVE_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "base",
    "form",
    "frame",
    "frameset",
    "applet",
    "link",
    "meta",
    "img",
    "video",
    "audio",
}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "poster", "data"}
# The plugin's own markup: the gate script, Material's scripts, and head tags.
_OWN_SCRIPT = re.compile(r'^try\{if\(" [a-z0-9 -]+ "\.indexOf\(')


class _Scanner(HTMLParser):
    def __init__(self, allow_head_tags: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        # In a whole built page, Material's own inline scripts are expected: there, a script is
        # only a problem if it carries a payload.
        self.allow_head_tags = allow_head_tags
        self._in_script = False
        self._script_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in _URL_ATTRS and value is not None:
                squashed = re.sub(r"[\s\x00-\x1f]+", "", html.unescape(value))
                if _DANGEROUS_URL.match(squashed) or squashed.startswith("//evil"):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._in_script = True
            self._script_src = "src" in names
        elif tag in _ACTIVE_TAGS and not self.allow_head_tags:
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and not self._script_src and data.strip():
            own = _OWN_SCRIPT.match(data.strip()) or (
                self.allow_head_tags and not re.search(r"alert\(|msgbox\(", data)
            )
            if not own:
                self.problems.append(f"<script>{data[:60]}</script>")


# The plugin's own inline gate rules (film.html, head.html): they hold before spoilers.css.
# The gate's own inline style and script (templates/gate.html), exactly: only slug-shaped level
# and film ids can vary, so no payload can hide in them.
_OWN = re.compile(
    r"<style>\.spoilers-returning \.spoilers-gate\{display:none\}</style>"
    r'|<script>try\{if\(" [a-z0-9 -]+ "\.indexOf\(" "\+localStorage\.getItem\("spoilers:'
    r'[a-z0-9-]+"\)\+" "\)>=0\)document\.currentScript\.parentNode\.classList\.add\('
    r'"spoilers-returning"\)\}catch\(e\)\{\}</script>'
)


def scan(fragment: str, *, allow_head_tags: bool = False) -> list[str]:
    fragment = _OWN.sub("", fragment)
    scanner = _Scanner(allow_head_tags)
    scanner.feed(fragment)
    scanner.close()
    return scanner.problems


def put(data: dict[str, Any], path: tuple[Any, ...], value: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node: Any = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def write_content(root: Path, films: list[dict[str, Any]]) -> Path:
    content = root / "content"
    (content / "films").mkdir(parents=True, exist_ok=True)
    for film in films:
        # JSON is YAML; json.dumps escapes quotes, backslashes and control characters.
        (content / "films" / f"{film['id']}.yml").write_text(
            json.dumps(film, ensure_ascii=True, indent=1), encoding="utf-8"
        )
    return content


def render_everything(content: Path) -> str:
    result = check([], content, LADDER)
    assert not [d for d in result.diagnostics if d.is_error]
    out = []
    for film in result.films:
        hrefs = {lv.id: relative_href("films/x/", f"films/x/{lv.id}/") for lv in LADDER.levels}
        for lv in LADDER.levels:
            page = LevelPage(film, LADDER, lv.id, hrefs)
            out.append(render_level(page))
            out.append(render_gate(page))
        out.append(render_preview(film, LADDER, hrefs))
        out.append(render_cards([film], {film.id: "films/x/"}))
        out.append(render_head(film, True, "https://ok.example/films/x/", "../", "Site"))
    return "\n".join(out)


def try_payload(tmp_path: Path, payload: str, field: str) -> str:
    """'rejected' or 'inert'; raises AssertionError when the payload is live or a message bad."""
    film = put(BASE, FIELDS[field], payload)
    content = write_content(tmp_path, [film])
    stdout, stderr = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(["check"])
    finally:
        os.chdir(cwd)
    out = stdout.getvalue()
    assert "Traceback" not in out + stderr.getvalue()
    if status != 0:
        assert status == 1
        lines = [ln for ln in out.splitlines() if ln.strip()]
        assert lines, "rejected without a message"
        for ln in lines:
            assert re.match(
                r"^content/films/hostile-film-2021\.yml:\d+:\d+: error\[[a-z0-9-]+\]: ", ln
            ), ln
        return "rejected"
    rendered = render_everything(content)
    problems = [p for p in scan(rendered) if p not in ("<meta>", "<link>")]
    assert not problems, problems
    return "inert"


def test_every_payload_in_every_field_is_rejected_or_inert(tmp_path: Path) -> None:
    stats: Counter[str] = Counter()
    failures = []
    for i, payload in enumerate(PAYLOADS):
        for field in FIELDS:
            try:
                stats[try_payload(tmp_path / f"{i}-{field}", payload, field)] += 1
            except AssertionError as exc:
                failures.append(f"payload {payload!r} in {field}: {exc}")
    tried = len(PAYLOADS) * len(FIELDS)
    report(
        "hostile",
        f"hostile input: {len(PAYLOADS)} payloads x {len(FIELDS)} fields = {tried} tried, "
        f"{stats['rejected']} rejected by the validator, {stats['inert']} rendered inert, "
        f"{len(failures)} executable or unclear",
    )
    assert not failures, "\n".join(failures[:20])
    assert stats["rejected"] > 0 and stats["inert"] > 0


def test_a_real_build_with_every_accepted_payload_is_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All payloads that pass `check`, spread over the fields of one film, in a strict build.

    The same payload sits in a hidden field of one film and a spoiler-free field of another, a
    cross-film repeat the spoiler lint would refuse; this test is about markup, so the spoiler
    rules are switched off for the build."""
    films = []
    for i, payload in enumerate(PAYLOADS):
        for field, path in FIELDS.items():
            film = put(BASE, path, payload)
            film["id"] = f"hostile-{i}-{field}-2021".replace("_", "-")
            content = write_content(tmp_path / "probe" / f"{i}-{field}", [film])
            if not [d for d in check([], content, LADDER).diagnostics if d.is_error]:
                films.append(film)
    assert len(films) >= 40  # plenty of payloads are plain text that must be escaped
    site = tmp_path / "site"
    write_content(site, films[:60])
    (site / "docs").mkdir()
    (site / "docs" / "index.md").write_text("# Home\n\n<!-- spoilers:films -->\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        "site_name: Hostile\nsite_url: https://ok.example/\ntheme:\n  name: material\n"
        "  font: false\nplugins:\n  - search\n  - spoilers\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(validate.CrossFilm, "diagnostics", lambda self: [])
    build(site, site / "out")
    problems: list[str] = []
    for page in (site / "out").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        body = text.split("<body", 1)[1]
        problems += [f"{page.name}: {p}" for p in scan(body, allow_head_tags=True)]
    search = (site / "out" / "search" / "search_index.json").read_text(encoding="utf-8")
    for doc in json.loads(search)["docs"]:
        problems += [f"search: {p}" for p in scan(doc["text"]) if p not in ("<meta>", "<link>")]
    assert not problems, problems[:10]
