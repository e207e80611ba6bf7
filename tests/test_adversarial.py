"""The adversarial corpus (support/probes.py): every probe fails `spoilers check` with the right
code and line, and, with the lint switched off, the audit alone catches every probe on the pages
the real renderer built. Target: 0 probes that pass both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from reporting import report
from support.paths import LADDER
from support.probes import BASE, PROBES, Probe
from support.sites import build, make_content_dir, write_site

from mkdocs_plugins.spoilers import validate
from mkdocs_plugins.spoilers.audit import audit
from mkdocs_plugins.spoilers.cli import main as cli_main
from mkdocs_plugins.spoilers.lint import FilmLint

SPOILER_CODES = {"spoiler-entity", "spoiler-repeat", "spoiler-link", "spoiler-cross-film"}


def check_codes(content: Path) -> list[tuple[str, int]]:
    result = validate.check([], content, LADDER)
    return sorted((d.code, d.line) for d in result.diagnostics if d.is_error)


@pytest.mark.parametrize("probe", PROBES, ids=[p.id for p in PROBES])
def test_check_fails_on_the_probe_line(probe: Probe, tmp_path: Path) -> None:
    content = make_content_dir(tmp_path)
    (content / "films" / f"{probe.film_id()}.yml").write_text(probe.text(), encoding="utf-8")
    got = check_codes(content)
    assert (probe.code, probe.line()) in got, got
    # Nothing unrelated fires: a probe is one secret in one place.
    assert {c for c, _ in got} <= SPOILER_CODES | {probe.code}, got


def test_the_base_probe_film_is_clean(tmp_path: Path) -> None:
    content = make_content_dir(tmp_path)
    text = BASE.format(id="base-2020", title="Base", name="Quorlan")
    (content / "films" / "base-2020.yml").write_text(text, encoding="utf-8")
    assert check_codes(content) == []


def test_check_cli_reports_a_probe_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    probe = next(p for p in PROBES if p.id == "cyrillic")
    content = make_content_dir(tmp_path)
    (content / "films" / f"{probe.film_id()}.yml").write_text(probe.text(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli_main(["check"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert f"films/{probe.film_id()}.yml:{probe.line()}:" in out
    assert "error[spoiler-entity]" in out and "introduced at `climax`" in out


def cross_film_pair() -> dict[str, str]:
    """Film A hides an entity; film B's title names it (a sequel title on the home page)."""
    a = BASE.format(id="first-film-2020", title="First Film", name="Oskarion")
    b = BASE.format(id="second-film-2020", title="Oskarion Returns", name="Belvedra")
    return {"first-film-2020": a, "second-film-2020": b}


def test_cross_film_title_is_an_error(tmp_path: Path) -> None:
    content = make_content_dir(tmp_path)
    for fid, text in cross_film_pair().items():
        (content / "films" / f"{fid}.yml").write_text(text, encoding="utf-8")
    assert check_codes(content) == [("spoiler-cross-film", 2)]
    # The parallel path of `spoilers check` agrees with the in-process one.
    _, diags = validate.check_files([], content, LADDER, jobs=1)
    assert [(d.code, d.line) for d in diags] == [("spoiler-cross-film", 2)]


@pytest.fixture
def lint_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Switch the spoiler lint off, so the build publishes whatever the writer wrote."""
    real = validate.lint_film

    def no_lint(film, ladder):  # type: ignore[no-untyped-def]
        return FilmLint([], real(film, ladder).summary)

    monkeypatch.setattr(validate, "lint_film", no_lint)
    monkeypatch.setattr(validate.CrossFilm, "diagnostics", lambda self: [])
    yield


@pytest.mark.build
def test_the_audit_alone_catches_every_probe(tmp_path: Path, lint_off: None) -> None:
    probes = [p for p in PROBES if p.audit]
    films = {p.film_id(): p.text() for p in probes} | cross_film_pair()
    root = write_site(tmp_path / "src", films)
    site = build(root)
    assert validate.check([], root / "content", LADDER).diagnostics == []  # the lint is off
    result = audit(site, validate.check([], root / "content", LADDER).films, LADDER)
    leaked = {leak.film for leak in result.leaks}
    missed = [p.id for p in probes if p.film_id() not in leaked]
    assert "first-film-2020" in leaked  # the cross-film title
    assert missed == [], missed
    caught_by_check = sum(1 for p in PROBES)  # every probe: test_check_fails_on_the_probe_line
    report(
        "adversarial",
        f"adversarial corpus: {len(PROBES)} probes + 1 cross-film; `spoilers check` fails on "
        f"{caught_by_check}; with the lint off, the audit alone catches "
        f"{len(probes) - len(missed)} of {len(probes)} buildable "
        f"({len(result.leaks)} leak lines over {result.files} files); "
        f"0 pass both",
    )
