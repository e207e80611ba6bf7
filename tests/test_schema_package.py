"""The film schema ships with the package, so a second site can `pip install` it and work.

- The canonical schema is package data (mkdocs_plugins/spoilers/schema/film.schema.json); every
  check validates against it, and a content dir without a schema is fine.
- Editors read a copy at <content>/schema/film.schema.json, the path the modeline of every film
  file points at. `spoilers new` writes it when missing and refreshes it when stale; in this
  repository it must be identical to the packaged one.
- The wheel built from this repository, installed into a fresh virtualenv, serves a brand-new
  second site: `spoilers new`, `mkdocs build --strict`, `spoilers check` and `spoilers audit`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from mkdocs_plugins.spoilers.cli import main
from mkdocs_plugins.spoilers.load import schema_path

REPO = REPO_ROOT
PACKAGED = REPO / "mkdocs_plugins" / "spoilers" / "schema" / "film.schema.json"
EDITOR_COPY = REPO / "content" / "schema" / "film.schema.json"
MODELINE = "# yaml-language-server: $schema=../schema/film.schema.json"


def test_checks_use_the_packaged_schema() -> None:
    assert schema_path() == PACKAGED.resolve()
    assert schema_path(Path("/nowhere/content")) == PACKAGED.resolve()


def test_editor_copy_is_identical_to_the_packaged_schema() -> None:
    assert EDITOR_COPY.read_bytes() == PACKAGED.read_bytes(), (
        "content/schema/film.schema.json differs from the packaged schema. Edit "
        "mkdocs_plugins/spoilers/schema/film.schema.json (the one checks use), then copy it: "
        "cp mkdocs_plugins/spoilers/schema/film.schema.json content/schema/"
    )


def test_film_modelines_resolve_to_the_editor_copy() -> None:
    for film in sorted((REPO / "content" / "films").glob("*.yml")):
        first = film.read_text(encoding="utf-8").splitlines()[0]
        assert first == MODELINE, film.name
        assert (film.parent / first.split("=", 1)[1]).resolve() == EDITOR_COPY.resolve()


def test_check_needs_no_schema_in_the_content_dir(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    valid_film_text: Callable[..., str],
) -> None:
    films = tmp_path / "content" / "films"
    films.mkdir(parents=True)
    (films / "sample-2020.yml").write_text(valid_film_text(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert "1 film(s) loaded, 0 error(s)" in capsys.readouterr().err
    assert not (tmp_path / "content" / "schema").exists()


def test_spoilers_new_writes_then_refreshes_the_editor_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "content" / "schema" / "film.schema.json"

    assert main(["new", "night-ferry-2022"]) == 0
    film = tmp_path / "content" / "films" / "night-ferry-2022.yml"
    first = film.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    # The modeline resolves, from the film file, to the copy just written.
    assert (film.parent / first.split("=", 1)[1]).resolve() == copy.resolve()
    assert copy.read_bytes() == PACKAGED.read_bytes()
    assert "wrote content/schema/film.schema.json" in capsys.readouterr().out

    assert main(["new", "night-ferry-2023"]) == 0  # up to date: left alone, not mentioned
    assert "schema" not in capsys.readouterr().out

    copy.write_text("{}\n", encoding="utf-8")  # stale (an older release's schema, say)
    assert main(["new", "night-ferry-2024"]) == 0
    assert copy.read_bytes() == PACKAGED.read_bytes()
    assert "refreshed content/schema/film.schema.json" in capsys.readouterr().out


def test_spoilers_new_reports_an_unwritable_content_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "content").write_text("a file where the content dir should be\n")
    monkeypatch.chdir(tmp_path)
    assert main(["new", "night-ferry-2022"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write")
    assert "Traceback" not in err


# --- the built wheel serves a second site -----------------------------------------------------


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if ok:
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}"
    return proc


def fill_placeholders(film: Path) -> None:
    """What the writer does after `spoilers new`: replace every "Replace: ..." text."""
    count = iter(range(1, 100))
    text = re.sub(
        r"Replace: [^\"\n]*",
        lambda _: f"Writer text number {next(count)}.",
        film.read_text(encoding="utf-8"),
    )
    film.write_text(text, encoding="utf-8")


SECOND_SITE = """\
site_name: A second film site
site_url: https://example.org/second/
theme:
  name: material
plugins:
  - search
  - spoilers
"""


@pytest.mark.build
def test_the_wheel_serves_a_second_site(tmp_path: Path) -> None:
    # 1. The wheel, as `pip install` of a release would get it, built from a clean copy of the
    #    sources (a stale build/ directory could smuggle deleted modules into it, and the test
    #    must not write into the checkout).
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(
        REPO / "mkdocs_plugins",
        src / "mkdocs_plugins",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)], src)
    (wheel,) = dist.glob("mkdocs_spoilers-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # Every file of the package (modules, subpackages, templates, theme assets, the schema).
    sources = {
        p.relative_to(src).as_posix()
        for p in (src / "mkdocs_plugins").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "mkdocs_plugins/spoilers/schema/film.schema.json" in sources
    assert sorted(sources - names) == [], "missing from the wheel"

    # 2. A fresh venv with the wheel; its dependencies come from this interpreter's
    #    site-packages through a .pth line (cheap, offline), where this project is installed
    #    only in editable form, which a .pth line does not activate.
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    purelib = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            tmp_path,
        ).stdout.strip()
    )
    (purelib / "_locked_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    run([*pip, "install", "--no-deps", "--no-index", "-q", str(wheel)], tmp_path)
    where = run(
        [str(python), "-c", "import mkdocs_plugins.spoilers as m; print(m.__file__)"], tmp_path
    ).stdout
    assert Path(where.strip()).is_relative_to(venv), f"not the wheel's copy: {where}"

    # 3. A brand-new site that knows nothing of this repository.
    site = tmp_path / "second-site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Films\n\n<!-- spoilers:films -->\n")
    (site / "mkdocs.yml").write_text(SECOND_SITE, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{bindir}{os.pathsep}/usr/bin:/bin"}
    env.pop("SITE_URL", None)
    spoilers = str(bindir / "spoilers")
    new = run([spoilers, "new", "night-ferry-2022", "--title", "Night Ferry"], site, env=env)
    assert "wrote content/schema/film.schema.json" in new.stdout
    film = site / "content" / "films" / "night-ferry-2022.yml"
    first = film.read_text(encoding="utf-8").splitlines()[0]
    assert (film.parent / first.split("=", 1)[1]).resolve().is_file(), "the modeline resolves"

    # As written, the scaffold is valid against the packaged schema: the only complaints allowed
    # are the placeholders the writer has yet to replace (scaffold-placeholder).
    first_check = run([spoilers, "check"], site, env=env, ok=False)
    codes = set(re.findall(r"(?:error|warning)\[([a-z0-9-]+)\]", first_check.stdout))
    assert codes <= {"scaffold-placeholder"}, first_check.stdout
    fill_placeholders(film)

    check = run([spoilers, "check"], site, env=env)
    assert "1 film(s) loaded, 0 error(s)" in check.stderr
    run([str(python), "-m", "mkdocs", "build", "--strict", "-d", "out"], site, env=env)
    assert (site / "out" / "films" / "night-ferry-2022" / "index.html").is_file()
    run([spoilers, "audit", "out"], site, env=env)


# --- examples and snippets for editors --------------------------------------------------------


def _nodes(node: object, path: str = "") -> list[tuple[str, dict[str, object]]]:
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        found.append((path, node))
        for key, value in node.items():
            found += _nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _nodes(value, f"{path}/{i}")
    return found


def _schema() -> dict[str, object]:
    import json

    data: dict[str, object] = json.loads(PACKAGED.read_text(encoding="utf-8"))
    return data


def test_every_example_is_valid_where_it_stands() -> None:
    import jsonschema

    nodes = [(p, n) for p, n in _nodes(_schema()) if "examples" in n and "/examples" not in p]
    assert len(nodes) >= 10, "examples for levels, facts, sections, entities, cast, disagreements"
    for path, node in nodes:
        sub = {k: v for k, v in node.items() if k not in ("examples", "defaultSnippets")}
        for example in node["examples"]:  # type: ignore[union-attr]
            errors = [e.message for e in jsonschema.Draft202012Validator(sub).iter_errors(example)]
            assert errors == [], (path, example, errors)


def _check_snippet(body: object, sub: dict[str, object], where: str) -> None:
    if not isinstance(body, dict):
        return
    props = sub.get("properties") or {}
    assert isinstance(props, dict)
    assert set(body) <= set(props), (where, set(body) - set(props))
    assert set(sub.get("required") or []) <= set(body), (where, "a required key is missing")  # type: ignore[arg-type]
    for key, value in body.items():
        inner = props[key]
        if (
            isinstance(value, list)
            and isinstance(inner, dict)
            and isinstance(inner.get("items"), dict)
        ):
            for item in value:
                _check_snippet(item, inner["items"], f"{where}.{key}")


def test_snippets_use_only_keys_the_schema_allows_and_every_required_one() -> None:
    with_snippets = {p: n for p, n in _nodes(_schema()) if "defaultSnippets" in n}
    wanted = ("/cast/items", "/entities/items", "/disagreements/items", "/facts/items")
    for tail in wanted:
        assert any(p.endswith(tail) for p in with_snippets), f"no snippet for {tail}"
    for path, node in with_snippets.items():
        for snippet in node["defaultSnippets"]:  # type: ignore[union-attr]
            assert snippet["label"] and snippet["description"], path
            _check_snippet(snippet["body"], node, f"{path}:{snippet['label']}")
