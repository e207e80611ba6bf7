"""Inline Markdown: the one place writer text is checked, rendered and sanitised.

markdown-it-py parses (CommonMark, with raw HTML recognised so it can be refused), and nh3
(Rust's ammonia) sanitises the rendered HTML with an allowlist as a second line of defence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Recognise raw HTML while checking, so it can be reported rather than silently escaped.
_CHECKER = MarkdownIt("commonmark", {"html": True})
# markdown-it quietly turns `javascript:` links into text; the checker keeps them as links so
# that url_is_safe() sees (and reports) every destination, including entity-encoded ones.
_CHECKER.validateLink = lambda url: True  # type: ignore[method-assign]
# Render with raw HTML off: even if a check were skipped, HTML would come out as text.
_RENDERER = MarkdownIt("commonmark", {"html": False}).disable(["image"])

ALLOWED_TAGS = {"a", "em", "strong", "code", "br", "s"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https"}

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# C0/C1 controls other than tab and newline, and bidirectional overrides ("Trojan Source").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Text with none of these cannot hold HTML, a link, or a block construct, so it skips the parse:
# markup characters (emphasis, code, links, HTML, entities, escapes, line breaks), a bare
# dangerous URL (reported as a mistake), and at the start a heading, list, quote, fence,
# indented code, rule or setext underline. test_visible checks that such text is received as
# the full parse would give it.
_MARKUP_CHAR = re.compile(r"[*_`\[\]<>&\\\n\r]")
_BARE_SCHEME = re.compile(r"(?i:\b(?:javascript|data|vbscript):)")
_LINE_START = re.compile(
    r"\s{0,3}(?:#{1,6}|\d+[.)]|[-+>]|~~~)(?:\s|$)|\s{4}|\s{0,3}(?:-{3,}|={3,}|\*{3,})\s*$"
)
_BLOCK_HINT = re.compile(
    r"[\n\r]|^\s{0,3}(?:#{1,6}|\d+[.)]|[-+*>]|~~~|```|<)(?:\s|$|[a-zA-Z!?/])?|^\s{4}"
)
_BLOCK_NAMES = {
    "heading_open": "headings",
    "bullet_list_open": "lists",
    "ordered_list_open": "lists",
    "blockquote_open": "block quotes",
    "fence": "code blocks",
    "code_block": "code blocks",
    "hr": "horizontal rules",
    "table_open": "tables",
}


@dataclass(frozen=True)
class MarkupProblem:
    code: str
    message: str


def needs_parse(text: str) -> bool:
    """False for plain prose: text markdown-it would render as itself (no markup, no entity)."""
    return (
        _MARKUP_CHAR.search(text) is not None
        or (":" in text and _BARE_SCHEME.search(text) is not None)
        or _LINE_START.match(text) is not None
    )


def url_is_safe(url: str) -> bool:
    """http(s) or site-relative (`/…`, `#…`, `page/…`); never `//host` or another scheme."""
    u = url.strip()
    if _CONTROL.search(u) or any(c.isspace() for c in u):
        return False
    if u.startswith(("//", "\\", "/\\")):
        return False
    m = _SCHEME.match(u)
    return m is None or m.group(1).lower() in ALLOWED_SCHEMES


def check_inline(text: str, *, markdown: bool = True) -> list[MarkupProblem]:
    """Problems with one piece of writer text (empty if it is safe inline Markdown)."""
    problems: list[MarkupProblem] = []
    bad = _CONTROL.search(text)
    if bad:
        problems.append(
            MarkupProblem("markup-control", f"control character U+{ord(bad.group()):04X} found")
        )
    if markdown and not needs_parse(text):
        return problems  # plain prose: nothing markdown-it could object to
    if not markdown:
        if "<" in text and re.search(r"<[a-zA-Z/!?]", text):
            problems.append(MarkupProblem("markup-html", "raw HTML is not allowed here"))
        return problems
    if not _BLOCK_HINT.search(text):
        # No line-start construct and one line: the inline parser alone sees everything.
        return problems + _check_children(
            [c for t in _CHECKER.parseInline(text) for c in (t.children or [])]
        )
    tokens = _CHECKER.parse(text)
    paragraphs = 0
    for tok in tokens:
        if tok.type == "html_block":
            problems.append(MarkupProblem("markup-html", "raw HTML is not allowed; use Markdown"))
        elif tok.type in _BLOCK_NAMES:
            problems.append(
                MarkupProblem(
                    "markup-block",
                    f"{_BLOCK_NAMES[tok.type]} are not allowed; write one inline paragraph",
                )
            )
        elif tok.type == "paragraph_open":
            paragraphs += 1
        elif tok.type == "inline":
            problems += _check_children(tok.children or [])
    if paragraphs > 1:
        problems.append(
            MarkupProblem("markup-block", "only one paragraph is allowed; remove blank lines")
        )
    return problems


def _check_children(children: list[Token]) -> list[MarkupProblem]:
    problems: list[MarkupProblem] = []
    in_link = 0
    for child in children:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        if child.type == "html_inline":
            problems.append(
                MarkupProblem("markup-html", f"raw HTML `{child.content}` is not allowed")
            )
        elif child.type == "image":
            problems.append(MarkupProblem("markup-block", "images are not allowed"))
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            if not url_is_safe(href):
                problems.append(
                    MarkupProblem(
                        "markup-url",
                        f"the link `{href}` is not allowed; use an http(s) or site-relative URL",
                    )
                )
        elif child.type == "text" and not in_link and _SCHEME.match(child.content.strip()):
            # markdown-it refuses `<javascript:…>` autolinks and leaves them as text;
            # such text is harmless, but it is almost certainly a mistake.
            scheme = _SCHEME.match(child.content.strip())
            if scheme and scheme.group(1).lower() in {"javascript", "data", "vbscript"}:
                problems.append(
                    MarkupProblem("markup-url", f"`{scheme.group(1)}:` URLs are not allowed")
                )
    return problems


def sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )


# A film's pages are built one after another, and each repeats the level below it: a few
# thousand recent strings is all the cache needs to hold (memory stays flat with the site).
@lru_cache(maxsize=8192)
def render_inline(text: str) -> str:
    """Writer inline Markdown -> sanitised HTML. Cached: each string is rendered once."""
    return sanitise(_RENDERER.renderInline(text.strip()))


@lru_cache(maxsize=8192)
def to_plain(text: str) -> str:
    """Inline Markdown -> plain text, e.g. for meta descriptions and the leak audit."""
    out: list[str] = []
    for tok in _RENDERER.parseInline(text.strip()):
        for child in tok.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return re.sub(r"\s+", " ", "".join(out)).strip()
