# ruff: noqa: RUF001 - the probes are made of look-alike letters on purpose
"""The adversarial corpus: one-probe films that try to slip a hidden secret onto a lower level.

Every probe film is the same small film with one secret entity introduced at `climax` and one
climax-only section; the probe plants the secret (disguised one way) in one lower-level field.
Each probe says which diagnostic `spoilers check` must give and on which line (the line holding
`mark`), and whether the leak is one the audit can see on the built pages (`audit`: a probe whose
disguise is rejected as unsafe markup never builds).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

BASE = """\
id: {id}
title: {title}
year: 2020
director: Jane Doe
runtime_minutes: 100
release: {{date: "2020-05-01", platform: Netflix}}
details_sources: [src-a]
premise: "A lighthouse keeper on a quiet island finds a letter in a bottle."
premise_sources: [src-a]
cast:
  - {{entity: keeper, actor: Ann Actor, sources: [src-a]}}
content_notes:
  - {{id: peril, label: Peril, detail: "Scenes of danger at sea."}}
sources:
  - id: src-a
    title: A review of the island film
    kind: review
entities:
  - id: keeper
    kind: character
    names: [the keeper]
    introduced: none
  - id: secret
    kind: character
    names: [{name}]
    introduced: climax
    descriptions:
      - {{level: climax, text: "The one who wrote the letter.", sources: [src-a]}}
sections:
  - id: what-kind-of-film-is-it
    level: none
    title: What kind of film is it?
    facts:
      - {{id: genre, level: none, text: "A slow mystery on an island.", sources: [src-a]}}
      - {{id: mood, level: setup, text: "The keeper starts to doubt the tides.", sources: [src-a]}}
  - id: who-wrote-the-letter
    level: climax
    title: Who wrote the letter?
    facts:
      - id: wrote
        level: climax
        text: "{name} wrote it years ago, then drowned the harbour master beneath the frozen pier."
        sources: [src-a]
"""

# The hidden sentence's words (graded climax), for probes that paraphrase it.
HIDDEN_RUN = "drowned the harbour master beneath the frozen pier"


@dataclass(frozen=True)
class Probe:
    id: str  # also the film id's stem: <id>-2020
    klass: str  # the class of disguise, as the issue names it
    code: str  # the diagnostic `spoilers check` must report
    mark: str | Callable[[str], str]  # text (or name -> text) on the line the error points at
    edit: Callable[[str, str], str]  # (film text, secret name) -> probed film text
    name: str = ""  # the secret's name; by default one made up for this probe alone
    audit: bool = True  # the lint-off build can carry it (no non-spoiler error)

    def secret(self) -> str:
        return self.name or made_up_name(self.id)

    def text(self) -> str:
        title = " ".join(w.capitalize() for w in self.id.split("-"))
        film_id = f"{self.id}-2020"
        text = BASE.format(id=film_id, title=json.dumps(title), name=self.secret())
        return self.edit(text, self.secret())

    def film_id(self) -> str:
        return self.text().split("\n", 1)[0].removeprefix("id: ")

    def line(self) -> int:
        mark = self.mark(self.secret()) if callable(self.mark) else self.mark
        for i, line in enumerate(self.text().splitlines(), start=1):
            if mark in line:
                return i
        raise AssertionError(f"{self.id}: {mark!r} is not in the probe film")


_SYLLABLES = ("qua", "vel", "dor", "mik", "zan", "tho", "rus", "pel", "gor", "lin", "bex", "wen")


def made_up_name(seed: str) -> str:
    """A name no other probe uses (so probes built into one site stay independent)."""
    h = int.from_bytes(hashlib.blake2b(seed.encode(), digest_size=8).digest(), "big")
    parts = [_SYLLABLES[(h >> (4 * k)) % 12] for k in range(4)]
    return ("".join(parts) + "ar").capitalize()


def in_fact(disguised: Callable[[str], str]) -> Callable[[str, str], str]:
    """Plant the disguised name in the spoiler-free `genre` fact."""

    def edit(text: str, name: str) -> str:
        planted = json.dumps(
            f"A slow mystery; {disguised(name)} watches the island.", ensure_ascii=False
        )
        return text.replace('"A slow mystery on an island."', planted, 1)

    return edit


def replace(old: str, new: str) -> Callable[[str, str], str]:
    def edit(text: str, name: str) -> str:
        assert old in text, old
        planted = new.replace("{name}", name).replace("{{", "{").replace("}}", "}")
        return text.replace(old, planted, 1)

    return edit


def _split(at: int, wrap: Callable[[str], str]) -> Callable[[str], str]:
    return lambda n: n[:at] + wrap(n[at:])


def _insert(ch: str, at: int = 3) -> Callable[[str], str]:
    return lambda n: n[:at] + ch + n[at:]


_CYRILLIC = str.maketrans("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху")
_GREEK = str.maketrans("ABEHIKMNOPTXYZo", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖο")

GENRE = "A slow mystery"

PROBES: list[Probe] = [
    # -- markup inside a name: the reader sees one word
    Probe(
        "emphasis",
        "emphasis inside a name",
        "spoiler-entity",
        GENRE,
        in_fact(_split(3, lambda s: f"*{s}*")),
    ),
    Probe(
        "strong",
        "emphasis inside a name",
        "spoiler-entity",
        GENRE,
        in_fact(_split(2, lambda s: f"**{s}**")),
    ),
    Probe(
        "code-span",
        "code inside a name",
        "spoiler-entity",
        GENRE,
        in_fact(_split(4, lambda s: f"`{s}`")),
    ),
    Probe(
        "link-inside",
        "a link inside a name",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: f"[{n[:3]}](https://example.com/){n[3:]}"),
    ),
    Probe(
        "charref-decimal",
        "HTML character references",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: n[:2] + f"&#{ord(n[2])};" + n[3:]),
    ),
    Probe(
        "charref-hex",
        "HTML character references",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: f"&#x{ord(n[0]):x};" + n[1:]),
    ),
    Probe(
        "charref-named",
        "HTML character references",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: n[:1] + "&shy;" + n[1:]),
    ),
    # -- invisible code points inside a name
    Probe(
        "zero-width-space",
        "invisible code points",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\u200b")),
    ),
    Probe(
        "zero-width-joiner",
        "invisible code points",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\u200d")),
    ),
    Probe(
        "zero-width-non-joiner",
        "invisible code points",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\u200c")),
    ),
    Probe(
        "word-joiner", "invisible code points", "spoiler-entity", GENRE, in_fact(_insert("\u2060"))
    ),
    Probe(
        "soft-hyphen", "invisible code points", "spoiler-entity", GENRE, in_fact(_insert("\u00ad"))
    ),
    Probe(
        "bidi-mark",
        "invisible code points (bidi marks)",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\u200e")),
    ),
    Probe(
        "grapheme-joiner",
        "invisible code points (combining grapheme joiner)",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\u034f")),
    ),
    Probe(
        "variation-selector",
        "invisible code points (variation selectors)",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\ufe0f")),
    ),
    Probe(
        "tag-characters",
        "invisible code points (tag characters)",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\U000e0041\U000e0042")),
    ),
    Probe(
        "invisible-times",
        "invisible code points (invisible operators)",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\u2062")),
    ),
    Probe(
        "hangul-filler",
        "invisible code points",
        "spoiler-entity",
        GENRE,
        in_fact(_insert("\u3164")),
    ),
    # -- other forms of the same letters
    Probe(
        "fullwidth",
        "fullwidth forms",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "".join(chr(ord(c) + 0xFEE0) for c in n)),
    ),
    Probe(
        "math-bold",
        "styled letters",
        "spoiler-entity",
        GENRE,
        in_fact(
            lambda n: "".join(
                chr(0x1D400 + ord(c) - 65) if c.isupper() else chr(0x1D41A + ord(c) - 97) for c in n
            )
        ),
    ),
    Probe(
        "cyrillic",
        "look-alike letters from another script",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: n.translate(_CYRILLIC)),
        name="Hepcamo",
    ),
    Probe(
        "greek",
        "look-alike letters from another script",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: n.translate(_GREEK)),
        name="Tozmark",
    ),
    Probe(
        "nfd",
        "decomposed accents",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "Zoe\u0308lle"),
        name="Zoëlle",
    ),
    Probe(
        "dropped-diacritic",
        "a dropped diacritic",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "Zoella"),
        name="Zoëlla",
    ),
    Probe(
        "added-diacritic",
        "an added diacritic",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: n.replace("a", "á", 1)),
    ),
    Probe(
        "dotted-capital-i",
        "Turkish dotted capital I",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "İSMERA"),
        name="Ismera",
    ),
    Probe(
        "dotless-i",
        "Turkish dotless i",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "Ismeri".replace("i", "ı")),
        name="Ismeri",
    ),
    Probe("all-caps", "case", "spoiler-entity", GENRE, in_fact(str.upper)),
    Probe("plural", "a plural", "spoiler-entity", GENRE, in_fact(lambda n: n + "s")),
    Probe(
        "possessive-curly",
        "a possessive",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: n + "\u2019s"),
    ),
    Probe(
        "hyphen-joined",
        "a hyphenated name written joined",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "Minhee"),
        name="Min-hee",
    ),
    Probe(
        "hyphen-spaced",
        "a hyphenated name written with a space",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "jin hee"),
        name="Jin-hee",
    ),
    # -- scripts without spaces and attached particles
    Probe(
        "chinese",
        "a script written without spaces",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "他说张伟来了"),
        name="张伟",
    ),
    Probe(
        "japanese",
        "a script written without spaces",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "ハルカが来た"),
        name="ハルカ",
    ),
    Probe(
        "korean-particle",
        "an attached particle",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: "민희는 웃었다"),
        name="민희",
    ),
    # -- fields that were not graded
    Probe(
        "film-id",
        "the film id (the URL)",
        "spoiler-entity",
        lambda n: f"id: {n.lower()}-returns-2020",
        lambda t, n: t.replace("id: film-id-2020", f"id: {n.lower()}-returns-2020", 1),
    ),
    Probe(
        "source-id",
        "a source id (an element id)",
        "spoiler-entity",
        lambda n: f"  - id: src-{n.lower()}",
        lambda t, n: t.replace("[src-a]", f"[src-{n.lower()}]").replace(
            "  - id: src-a", f"  - id: src-{n.lower()}"
        ),
    ),
    Probe(
        "source-url",
        "a source URL",
        "spoiler-entity",
        "url: https://example.com/",
        replace(
            "    kind: review\n",
            "    url: https://example.com/reviews/{name}-did-it\n    kind: review\n",
        ),
    ),
    Probe(
        "source-url-percent",
        "percent-encoding in a URL",
        "spoiler-entity",
        "url: https://example.com/",
        lambda t, n: t.replace(
            "    kind: review\n",
            f"    url: https://example.com/reviews/%{ord(n[0]):02X}{n[1:]}\n    kind: review\n",
            1,
        ),
    ),
    Probe(
        "source-title",
        "a source title",
        "spoiler-entity",
        "title: How",
        replace("title: A review of the island film", "title: How {name} fooled everyone"),
    ),
    Probe(
        "section-id-slug",
        "a section id written as a slug",
        "spoiler-entity",
        "s-boat",
        lambda t, n: t.replace("  - id: what-kind-of-film-is-it", f"  - id: {n.lower()}s-boat", 1),
    ),
    Probe(
        "possessive-alias",
        "a possessive alias",
        "spoiler-entity",
        GENRE,
        lambda t, n: in_fact(lambda _: "Sven\u2019s twin")(
            t.replace(f"names: [{n}]", f'names: [{n}, "Sven\'s twin"]'), n
        ),
    ),
    Probe(
        "also-match",
        "a spelling the writer declared for the lint",
        "spoiler-entity",
        GENRE,
        lambda t, n: in_fact(lambda _: "K" + n[1:])(
            t.replace(f"names: [{n}]", f"names: [{n}]\n    also_match: [K{n[1:]}]"), n
        ),
    ),
    Probe(
        "premise",
        "the premise",
        "spoiler-entity",
        "premise:",
        replace("finds a letter in a bottle.", "finds a letter from {name}."),
    ),
    Probe(
        "title",
        "a sequel title",
        "spoiler-entity",
        "title:",
        lambda t, n: t.replace('title: "Title"', f"title: {n} Returns", 1),
    ),
    Probe(
        "platform",
        "a field that cannot be raised",
        "spoiler-entity",
        "platform:",
        replace("platform: Netflix", "platform: {name} TV"),
    ),
    Probe(
        "cast-role",
        "a cast role",
        "spoiler-entity",
        "role:",
        # The secret's own row: its spoiler-free role is what readers see before `climax`.
        replace(
            "  - {entity: keeper, actor: Ann Actor, sources: [src-a]}\n",
            "  - {{entity: keeper, actor: Ann Actor, sources: [src-a]}}\n"
            "  - {{entity: secret, actor: Bo Actor, role: {name}'s rival, sources: [src-a]}}\n",
        ),
    ),
    Probe(
        "level-label",
        "a per-film level label",
        "spoiler-entity",
        "level_labels:",
        replace(
            "premise_sources: [src-a]\n",
            "premise_sources: [src-a]\nlevel_labels: {{climax: {name} unmasked}}\n",
        ),
    ),
    Probe(
        "link-title",
        "a link title attribute",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: f'[the island](https://example.com/ "{n}")'),
    ),
    Probe(
        "link-target",
        "a link target",
        "spoiler-entity",
        GENRE,
        in_fact(lambda n: f"[the island](https://example.com/{n.lower()}-wrote-it)"),
    ),
    Probe(
        "setup-fact",
        "a fact graded one level too low",
        "spoiler-entity",
        "The keeper starts",
        replace("The keeper starts to doubt the tides.", "The keeper starts to doubt {name}."),
    ),
    Probe(
        "description",
        "an entity description",
        "spoiler-entity",
        "A man from the mainland",
        replace(
            "    names: [the keeper]\n    introduced: none\n",
            "    names: [the keeper]\n"
            "    introduced: none\n"
            "    descriptions:\n"
            '      - {{level: none, text: "A man from the mainland who fears {name}.",\n'
            "         sources: [src-a]}}\n",
        ),
    ),
    Probe(
        "recap",
        "a recap",
        "spoiler-entity",
        "So far",
        replace(
            "sections:\n",
            "recaps:\n"
            '  - {{level: setup, text: "So far {name} hides.", sources: [src-a]}}\n'
            "sections:\n",
        ),
    ),
    Probe(
        "verdict",
        "the verdict",
        "spoiler-entity",
        "verdict:",
        replace(
            "premise_sources: [src-a]\n",
            "premise_sources: [src-a]\n"
            'verdict: {{text: "Watch it for {name}.", sources: [src-a]}}\n',
        ),
    ),
    # -- repeating hidden prose
    Probe(
        "repeat-fact",
        "a lower text repeating a hidden run",
        "spoiler-repeat",
        GENRE,
        in_fact(lambda n: "Someone " + HIDDEN_RUN),
    ),
    Probe(
        "repeat-reception",
        "reception repeating a hidden fact word for word",
        "spoiler-repeat",
        "A twist",
        replace(
            "cast:\n",
            "reception:\n"
            '  - {{text: "A twist: the writer drowned the harbour master beneath the frozen pier.'
            '",\n'
            "     sources: [src-a]}}\n"
            "cast:\n",
        ),
    ),
    Probe(
        "repeat-content-note",
        "a content note repeating a hidden fact",
        "spoiler-repeat",
        "detail:",
        replace(
            "Scenes of danger at sea.",
            "Someone drowned the harbour master beneath the frozen pier.",
        ),
    ),
    Probe(
        "repeat-label",
        "a level label carrying a hidden section title",
        "spoiler-repeat",
        "level_labels:",
        replace(
            "premise_sources: [src-a]\n",
            "premise_sources: [src-a]\nlevel_labels: {{climax: Who wrote the letter?}}\n",
        ),
    ),
    Probe(
        "repeat-paraphrase",
        "a paraphrase keeping five words",
        "spoiler-repeat",
        GENRE,
        in_fact(lambda n: "Long ago somebody drowned the Harbour-Master beneath the frozen pier"),
    ),
    # -- links and anchors
    Probe(
        "link-anchor",
        "a link from a low level to a higher level's anchor",
        "spoiler-link",
        GENRE,
        in_fact(lambda n: "[see more](#who-wrote-the-letter)"),
    ),
    Probe(
        "link-anchor-page",
        "a link to a higher level page's anchor",
        "spoiler-link",
        GENRE,
        in_fact(lambda n: "[see more](climax/#who-wrote-the-letter)"),
    ),
    # -- content notes tell nothing
    Probe(
        "content-note-name",
        "a content note naming a character",
        "content-note-names",
        "detail:",
        replace("Scenes of danger at sea.", "Scenes of danger at sea, near the keeper."),
        audit=False,
    ),
]


CROSS_FILM = (
    "cross-film",
    "a film's shared text naming another film's hidden entity",
    "spoiler-cross-film",
)
