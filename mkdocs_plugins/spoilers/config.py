"""The plugin's typed config (MkDocs adapter)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class LevelConfig(base.Config):
    id = c.Type(str)
    label = c.Type(str)
    description = c.Type(str, default="")


class SpoilersConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # Relative to mkdocs.yml. Holds films/<id>.yml (and schema/, the editors' copy of the schema).
    content_dir = c.Type(str, default="content")
    # The site's level ladder, first = spoiler-free. Empty means the default five levels.
    levels = c.ListOfItems(c.SubConfig(LevelConfig), default=[])
    # Title of the nav section that lists the films.
    nav_title = c.Type(str, default="Films")
    # With more films than this, the nav section holds groups of at most this many films
    # (labelled with guide words, e.g. "Apple - Banana"), so Material's navigation.prune renders
    # only the current page's group instead of every film on every page. 0 never groups.
    nav_group_size = c.Type(int, default=50)
    # Writer preview pages (films/<id>/preview/). Refused outside `mkdocs serve`.
    preview = c.Type(bool, default=False)
