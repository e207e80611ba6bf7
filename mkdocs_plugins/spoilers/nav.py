"""Grouping the films in the site's navigation: pure logic beside the MkDocs adapter.

With more films than the group size, the nav section holds groups of films instead of one long
list, so Material's `navigation.prune` renders only the current page's group on each page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_DASH = "\u2013"  # en dash, as in "Apple \u2013 Banana"


@dataclass(frozen=True)
class NavGroup:
    """A run of films in the nav, by position in the title-sorted list: [start, stop)."""

    label: str
    start: int
    stop: int


def _guide(title: str, neighbour: str | None) -> str:
    """The shortest run of whole words of `title` that tells it apart from `neighbour`.

    Whole words only, never a fragment such as "Bri": a label then holds nothing but words of
    a title, and every film's full title was in every page's nav before grouping anyway.
    """
    words = title.split()
    if not words:
        return title
    if neighbour is None:
        return words[0]
    common = 0  # in characters of `title` (casefold per character keeps the indices aligned)
    for x, y in zip(title, neighbour, strict=False):
        if x.casefold() != y.casefold():
            break
        common += 1
    end = len(title)
    for i in range(common, len(title)):
        if title[i].isspace() and i > common:
            end = i
            break
    return title[:end].strip() or words[0]


def nav_groups(titles: Sequence[str], size: int) -> list[NavGroup]:
    """Split title-sorted films into nav groups of at most `size`, labelled like guide words.

    Returns [] (no grouping) when `size` <= 0 or there are at most `size` films. Groups are as
    even as possible (1,000 films, size 50 -> 20 groups of 50). A label is made of guide words,
    as in a dictionary: the fewest whole words of its first and last titles that tell them apart
    from the neighbouring groups, e.g. "Apple - Banana", "Blue - Dark" (with an en dash).
    """
    n = len(titles)
    if size <= 0 or n <= size:
        return []
    count = -(-n // size)
    base, extra = divmod(n, count)
    groups: list[NavGroup] = []
    start = 0
    for k in range(count):
        stop = start + base + (1 if k < extra else 0)
        first, last = titles[start], titles[stop - 1]
        head = _guide(first, titles[start - 1] if start > 0 else None)
        # The last group's tail only has its own first title to be told apart from.
        tail = _guide(last, titles[stop] if stop < n else first) if stop - start > 1 else head
        label = head if head.casefold() == tail.casefold() else f"{head} {_DASH} {tail}"
        groups.append(NavGroup(label, start, stop))
        start = stop
    return groups
