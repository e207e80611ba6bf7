"""The CLI's view of the site: the `spoilers` block of mkdocs.yml, read as plain YAML.

The core never depends on MkDocs, so `spoilers check` cannot ask MkDocs for its config. It reads
only the plugin's own block (levels, content_dir) with a YAML loader that ignores MkDocs' custom
tags (`!ENV`, `!!python/name:`), then hands the core plain data, exactly as the plugin does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mkdocs_plugins.spoilers.model import Ladder


class _TolerantLoader(yaml.SafeLoader):
    pass


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class SiteConfig:
    ladder: Ladder
    content_dir: Path


class SiteConfigError(ValueError):
    pass


def plugin_block(config: dict[str, Any]) -> dict[str, Any] | None:
    for item in config.get("plugins") or ():
        if isinstance(item, dict) and "spoilers" in item:
            return dict(item["spoilers"] or {})
        if item == "spoilers":
            return {}
    return None


def read_site_config(config_file: Path | None) -> SiteConfig:
    """Ladder and content dir from mkdocs.yml; defaults when there is none."""
    if config_file is None:
        candidate = Path("mkdocs.yml")
        config_file = candidate if candidate.is_file() else None
    if config_file is None:
        return SiteConfig(Ladder.from_config(None), Path("content"))
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise SiteConfigError(f"{config_file}: cannot read the site config: {exc}") from exc
    block = plugin_block(raw if isinstance(raw, dict) else {}) or {}
    base = config_file.parent
    try:
        ladder = Ladder.from_config(block.get("levels"))
    except ValueError as exc:
        raise SiteConfigError(f"{config_file}: plugins.spoilers.levels: {exc}") from exc
    return SiteConfig(ladder, base / str(block.get("content_dir", "content")))
