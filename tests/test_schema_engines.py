"""The two schema engines agree: fastjsonschema (the fast path for valid files) says "valid"
exactly when jsonschema (which reports the errors) finds none. Checked on every case file, the
golden inputs, the repo's films and a synthetic corpus, plus targeted edge values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.cases import case_films
from support.paths import REPO_ROOT
from synthetic import write_corpus

from mkdocs_plugins.spoilers.load import get_validator, is_schema_valid
from mkdocs_plugins.spoilers.yamlload import load_yaml

REPO = REPO_ROOT
CONTENT = REPO / "content"


def documents() -> list[tuple[str, Any]]:
    docs = []
    sources = [
        *(REPO / "tests" / "golden").rglob("*.yml"),
        *(CONTENT / "films").glob("*.yml"),
    ]
    texts = [(f"tests/cases/{name}", text) for name, text in case_films()]
    texts += [(p.relative_to(REPO).as_posix(), p.read_text(encoding="utf-8")) for p in sources]
    for name, text in sorted(texts):
        doc = load_yaml(text.removeprefix("\ufeff"))
        if doc.data is not None:
            docs.append((name, doc.data))
    return docs


def agree(data: Any) -> tuple[bool, bool]:
    slow = not any(True for _ in get_validator(CONTENT).iter_errors(data))
    return is_schema_valid(data, CONTENT), slow


@pytest.mark.parametrize(
    ("name", "data"), documents(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_engines_agree_on_every_case(name: str, data: Any) -> None:
    fast, slow = agree(data)
    assert fast == slow, name


def test_engines_agree_on_a_synthetic_corpus(tmp_path: Path) -> None:
    write_corpus(tmp_path / "content", 20, 30)
    for path in sorted((tmp_path / "content" / "films").glob("*.yml")):
        fast, slow = agree(load_yaml(path.read_text(encoding="utf-8")).data)
        assert fast and slow, path.name


@pytest.mark.parametrize(
    "value", ["2023-10-06", "2023-02-30", "2023-1-06", "06-10-2023", "20231006", "2023-10-06x"]
)
def test_engines_agree_on_dates(value: str, tmp_path: Path) -> None:
    data = load_yaml((REPO / "tests" / "golden" / "minimal-2020.yml").read_text()).data
    data["release"]["date"] = value
    fast, slow = agree(data)
    assert fast == slow, value
