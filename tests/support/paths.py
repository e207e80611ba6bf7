"""Where things are, computed once."""

from __future__ import annotations

from pathlib import Path

from mkdocs_plugins.spoilers.model import Ladder

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTS = REPO_ROOT / "tests"
# The schema ships in the package; content/schema/ holds the editors' copy of it.
SCHEMA_FILE = REPO_ROOT / "mkdocs_plugins" / "spoilers" / "schema" / "film.schema.json"
SEEDS_README = REPO_ROOT.parent / "shared" / "seeds" / "README.md"
LADDER = Ladder.from_config(None)
LEVELS = LADDER.ids
