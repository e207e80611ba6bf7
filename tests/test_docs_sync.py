"""The writers' guide documents exactly the diagnostic codes the validator emits."""

from __future__ import annotations

import re

from support.paths import REPO_ROOT

from mkdocs_plugins.spoilers.diagnostics import CODES

REPO = REPO_ROOT
SCHEMA = REPO / "mkdocs_plugins" / "spoilers" / "schema" / "film.schema.json"


def test_contributing_lists_every_code_and_no_other() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    text = text.split("<!-- codes: keep in sync", 1)[1]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, re.MULTILINE))
    assert documented == set(CODES)


def test_architecture_and_schema_name_the_same_top_level_keys() -> None:
    import json

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    arch = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    shape = arch.split("## Film file shape", 1)[1].split("```", 2)[1]
    keys = set(re.findall(r"^([a-z_]+):", shape, re.MULTILINE))
    # original_title is optional and rare; the contract shows every other key.
    assert keys == set(schema["properties"]) - {"original_title"}, keys ^ set(schema["properties"])


def _contributing_shapes() -> dict[str, list[dict[str, object]]]:
    import yaml

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## The shape of entities, cast and disagreements", 1)[1]
    section = section.split("\n## ", 1)[0]
    shapes: dict[str, list[dict[str, object]]] = {}
    for block in re.findall(r"^```yaml\n(.*?)^```", section, re.MULTILINE | re.DOTALL):
        shapes.update(yaml.safe_load(block))
    return shapes


def test_contributing_shows_every_field_of_entities_cast_and_disagreements() -> None:
    """The writers' guide shows every key the schema allows there, and no other."""
    import json

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    shapes = _contributing_shapes()
    assert set(shapes) == {"entities", "cast", "disagreements"}
    nested = {"entities": "descriptions", "disagreements": "claims"}
    for key, rows in shapes.items():
        item = schema["properties"][key]["items"]
        shown = {k for row in rows for k in row}
        assert shown == set(item["properties"]), (key, shown ^ set(item["properties"]))
        if key in nested:
            inner = item["properties"][nested[key]]["items"]["properties"]
            shown_inner = {k for row in rows for sub in row.get(nested[key], []) for k in sub}
            assert shown_inner == set(inner), (key, shown_inner ^ set(inner))


def test_contributing_shapes_pass_the_schema() -> None:
    import yaml
    from conftest import valid_film_text

    from mkdocs_plugins.spoilers.load import get_validator

    data = yaml.safe_load(valid_film_text())
    data.update(_contributing_shapes())
    errors = [e.message for e in get_validator(REPO / "content").iter_errors(data)]
    assert errors == []
