"""Golden tests: small valid films -> the loaded model, and the repository's own content.

Each `tests/golden/<film-id>.yml` is loaded and validated; the model (dataclasses.asdict without
`marks`, tuples as lists) plus the graded texts must equal `tests/golden/<film-id>.json`.
Regenerate after an intended model change with:

    SPOILERS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from support.paths import REPO_ROOT

from mkdocs_plugins.spoilers.cli import main
from mkdocs_plugins.spoilers.load import load_film
from mkdocs_plugins.spoilers.model import Film, Ladder
from mkdocs_plugins.spoilers.validate import validate_film

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SPOILERS_UPDATE_GOLDEN") == "1"
LADDER = Ladder.from_config(None)


def _plain(value: Any) -> Any:
    """Tuples -> lists, recursively (JSON has no tuples); key paths -> `a.0.b` strings."""
    if isinstance(value, dict):
        return {k: ".".join(map(str, v)) if k == "path" else _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def serialise(film: Film) -> dict[str, Any]:
    data = dataclasses.asdict(film)
    del data["marks"]
    return _plain(
        {
            "film": data,
            "graded_texts": [
                {
                    "path": g.path,
                    "level": g.level,
                    "kind": g.kind,
                    "markdown": g.markdown,
                    "text": g.text,
                }
                for g in film.graded_texts(LADDER)
            ],
        }
    )


def golden_inputs() -> list[str]:
    return sorted(p.stem for p in GOLDEN_DIR.glob("*.yml"))


def test_golden_inputs_exist() -> None:
    assert len(golden_inputs()) >= 2
    for stem in golden_inputs():
        assert (GOLDEN_DIR / f"{stem}.json").is_file() or UPDATE, (
            "run with SPOILERS_UPDATE_GOLDEN=1"
        )


@pytest.mark.parametrize("stem", golden_inputs())
def test_golden_model(stem: str, content_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content_dir.parent)
    path = content_dir / "films" / f"{stem}.yml"
    shutil.copyfile(GOLDEN_DIR / f"{stem}.yml", path)
    film, diags = load_film(Path("content/films") / f"{stem}.yml", Path("content"))
    assert diags == []
    assert film is not None
    assert validate_film(film, LADDER) == []
    got = serialise(film)
    expected_file = GOLDEN_DIR / f"{stem}.json"
    if UPDATE:
        expected_file.write_text(
            json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert got == expected


def test_golden_marks_point_into_the_file(content_dir: Path) -> None:
    """Every model element's path has a mark, on a line that exists in the file."""
    stem = "full-2021"
    path = content_dir / "films" / f"{stem}.yml"
    shutil.copyfile(GOLDEN_DIR / f"{stem}.yml", path)
    film, _ = load_film(path, content_dir)
    assert film is not None
    lines = path.read_text(encoding="utf-8").splitlines()
    for g in film.graded_texts(LADDER):
        if g.kind == "section-id":
            continue
        m = film.mark(g.path)
        assert g.path in film.marks.values, g.path
        assert 1 <= m.line <= len(lines) and 1 <= m.col <= len(lines[m.line - 1]), g.path


# ------------------------------------------------------------------ the repository's content


def test_repository_content_passes_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`spoilers check` over the real content/ (with the real mkdocs.yml ladder) is clean."""
    films = sorted((REPO_ROOT / "content" / "films").glob("*.yml"))
    assert films, "content/films/ holds no film yet"
    monkeypatch.chdir(REPO_ROOT)
    code = main(["check"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert " error[" not in captured.out, captured.out
    assert code == 0, captured.out
    assert f"{len(films)} film(s) loaded, 0 error(s)" in captured.err
