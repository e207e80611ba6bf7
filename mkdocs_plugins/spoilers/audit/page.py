"""Reading a built page: text per channel, as visible.HtmlText reads it, plus what policy needs.

Channels (where in a page a match was found): `text`, `title`, `toc` (anything inside Material's
secondary nav, the table of contents), `attribute` (every attribute value; link targets
percent-decoded), `meta` (`<meta content>`), `script`, `style`, `comment`, and `heading-id` (element
ids and link fragments).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from mkdocs_plugins.spoilers.visible import SEPARATOR, HtmlText, url_text

TEXT, TITLE, TOC, ATTRIBUTE, META = "text", "title", "toc", "attribute", "meta"
SCRIPT, STYLE, COMMENT, HEADING_ID = "script", "style", "comment", "heading-id"
PREVIEW_MARKER = "data-spoilers-preview"

_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_JS_ESCAPE = re.compile(
    r"\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))", re.DOTALL
)
_JS_SIMPLE = {"n": " ", "r": " ", "t": " ", "f": " ", "v": " ", "b": " ", "0": " "}
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "content", "data", "poster", "srcset"})


def js_unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2) or m.group(3)
        if code:
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return " "
        ch = m.group(4)
        return _JS_SIMPLE.get(ch, ch)

    return _JS_ESCAPE.sub(one, text) if "\\" in text else text


def variants(text: str, *, js: bool = False) -> list[str]:
    """A raw string as a reader may see it: escapes and references decoded, tags stripped too."""
    t = js_unescape(text) if js else text
    if "&" in t:
        t = html.unescape(t)
    out = [t]
    if "<" in t:
        stripped = _TAG.sub("", t)  # as a browser would join `An<em>sel</em>`
        if stripped != t:
            out += [stripped, _TAG.sub(" ", t)]
    return out


class PageReader(HtmlText):
    """One pass over a page: text per channel, attribute values, ids, links, policy markers."""

    def __init__(self) -> None:
        super().__init__()
        self.channel_text: dict[str, list[str]] = {TEXT: [], TITLE: [], TOC: []}
        self.raw: list[tuple[str, str]] = []  # (channel, text): scripts, styles, comments
        self.attrs: list[tuple[str, str]] = []  # (channel, value)
        self.ids: list[tuple[str, str]] = []  # (channel, id or <a name>)
        self.hrefs: list[tuple[str, str]] = []  # (channel, href)
        self.robots: list[str] = []
        self.canonical: list[str] = []
        self.preview = False
        self._title = 0
        self._toc = 0  # depth of <nav> inside the secondary (table of contents) nav
        self._cdata: str | None = None
        self._cdata_text: list[str] = []

    def separate(self) -> None:
        for pieces in self.channel_text.values():
            if pieces and pieces[-1] != SEPARATOR:
                pieces.append(SEPARATOR)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        values = {k: v for k, v in attrs if v is not None}
        if tag == "nav":
            if self._toc:
                self._toc += 1
            elif "md-nav--secondary" in values.get("class", "").split():
                self._toc = 1
        if tag == "title":
            self._title += 1
        elif tag in ("script", "style"):
            self._cdata = SCRIPT if tag == "script" else STYLE
            self._cdata_text = []
        in_toc = self._toc > 0
        for name, value in attrs:
            if name == PREVIEW_MARKER:
                self.preview = True
            if value is None:
                continue
            if in_toc:
                channel = TOC
            elif tag == "meta" and name == "content":
                channel = META
            else:
                channel = ATTRIBUTE
            self.attrs.append((channel, url_text(value) if name in _URL_ATTRIBUTES else value))
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.append((TOC if in_toc else HEADING_ID, value))
            elif name == "href":
                self.hrefs.append((TOC if in_toc else HEADING_ID, value))
        if tag == "meta" and values.get("name", "").strip().lower() == "robots":
            self.robots.append(values.get("content", ""))
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical.append(values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        super().handle_endtag(tag)
        if tag == "nav" and self._toc:
            self._toc -= 1
        elif tag == "title" and self._title:
            self._title -= 1
        elif tag in ("script", "style") and self._cdata is not None:
            self.raw.append((self._cdata, "".join(self._cdata_text)))
            self._cdata = None
            self._cdata_text = []

    def handle_data(self, data: str) -> None:
        if self._cdata is not None:
            self._cdata_text.append(data)
        elif self._title:
            self.channel_text[TITLE].append(data)
        elif self._toc:
            self.channel_text[TOC].append(data)
        else:
            self.channel_text[TEXT].append(data)

    def handle_comment(self, data: str) -> None:
        self.raw.append((COMMENT, data))

    def close(self) -> None:
        super().close()
        if self._cdata is not None:  # an unterminated <script>
            self.raw.append((self._cdata, "".join(self._cdata_text)))
            self._cdata = None

    def segments(self) -> Iterator[tuple[str, str]]:
        for channel, pieces in self.channel_text.items():
            text = "".join(pieces)
            if text.strip():
                yield channel, text
        # Attribute values, one segment per channel: a window may span two neighbouring values,
        # which can only make the audit stricter.
        joined: dict[str, list[str]] = {}
        for channel, value in self.attrs:
            joined.setdefault(channel, []).append(value)
        for channel, values in joined.items():
            yield channel, SEPARATOR.join(values)
        for channel, text in self.raw:
            for v in variants(text, js=channel == SCRIPT):
                yield channel, v
