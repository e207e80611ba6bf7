"""The writers' guide documents exactly the diagnostic codes the validator emits."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs_plugins.spoilers.diagnostics import CODES

REPO = Path(__file__).resolve().parents[1]


def test_contributing_lists_every_code_and_no_other() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    text = text.split("<!-- codes: keep in sync", 1)[1]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, re.MULTILINE))
    assert documented == set(CODES)


def test_architecture_and_schema_name_the_same_top_level_keys() -> None:
    import json

    schema = json.loads((REPO / "content/schema/film.schema.json").read_text(encoding="utf-8"))
    arch = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    shape = arch.split("## Film file shape", 1)[1].split("```", 2)[1]
    keys = set(re.findall(r"^([a-z_]+):", shape, re.MULTILINE))
    # original_title is optional and rare; the contract shows every other key.
    assert keys == set(schema["properties"]) - {"original_title"}, keys ^ set(schema["properties"])
