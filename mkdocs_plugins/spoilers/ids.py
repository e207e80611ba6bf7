"""Element ids the film page itself uses: one list, read by the templates and by validate.py.

Section ids become heading ids on the same page, so a section may not take one of these, nor
start with a reserved prefix (citation targets, notes, the plugin's own elements).
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class PageIds:
    # Ids a film file valid before 0.2 could not use as section ids: kept, so they stay valid.
    title: str = "film-title"
    characters: str = "characters"
    disagree: str = "sources-disagree"
    reception: str = "reception"
    sources: str = "sources"
    # Newer elements take the reserved `spoilers-` prefix, which no section id could use anyway.
    recap: str = "spoilers-recap"
    verdict: str = "spoilers-verdict"
    spellings: str = "spoilers-spellings"
    meaning: str = "spoilers-meaning"
    glossary: str = "spoilers-glossary"
    first_new: str = "spoilers-first-new"
    main: str = "spoilers-main"
    gate_title: str = "spoilers-gate-title"
    status: str = "spoilers-status"


IDS = PageIds()
RESERVED_IDS = frozenset(getattr(IDS, f.name) for f in fields(IDS))
# Citation targets (`source-<id>`), and the plugin's own elements (notes are `spoilers-note-...`).
RESERVED_PREFIXES = ("source-", "spoilers-")


def is_reserved(section_id: str) -> bool:
    return section_id in RESERVED_IDS or section_id.startswith(RESERVED_PREFIXES)


def source_id(source: str) -> str:
    return f"source-{source}"


def note_id(section: str, number: int) -> str:
    return f"spoilers-note-{section}-{number}"
