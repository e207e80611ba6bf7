"""Bad (and a few good) film files, each checked end to end through `spoilers check`.

Most cases are the base film (tests/cases/good-base/films/sample-2020.yml) with a small patch,
listed in tests/cases/patched.yml. The others, which need more than one edited film (other file
names, several films, raw bytes), are directories: everything in one except `expect.yml` is
copied into a fresh `content/` (the schema ships with the package). Either way,
`spoilers check content/films` runs with content's parent as the working directory, and its
diagnostics must be exactly the ones the case lists:

    description: what the case is about
    exit: 1
    setup: [...]           # optional: things git cannot hold (see `_apply_setup`)
    xfail: "BUG: ..."      # optional: a known bug; the case must fail until it is fixed
    diagnostics:
      - {code: yaml-duplicate-key, file: films/x-2020.yml, line: 7, col: 3}
      - {code: unused-source, file: films/x-2020.yml, line: 9, col: 9, severity: warning}

`file` is relative to `content/`.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.cases import BASE_FILM, case_film, patched_cases

from mkdocs_plugins.spoilers import load, validate
from mkdocs_plugins.spoilers.cli import main
from mkdocs_plugins.spoilers.diagnostics import CODES
from mkdocs_plugins.spoilers.model import NO_MARKS, Ladder

CASES_DIR = Path(__file__).parent / "cases"

HUMAN_LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning)"
    r"\[(?P<code>[a-z0-9-]+)\]: (?P<message>.*)$"
)
GITHUB_LINE = re.compile(r"^::(?P<severity>error|warning) (?P<props>[^:]*)::(?P<message>.*)$")

Diag = tuple[str, str, int, int, str]  # code, file (relative to content/), line, col, severity


def case_names() -> list[str]:
    dirs = {p.name for p in CASES_DIR.iterdir() if (p / "expect.yml").is_file()}
    assert not dirs & set(patched_cases()), "a case is both a directory and a patch"
    return sorted(dirs | set(patched_cases()))


def read_expect(name: str) -> dict[str, Any]:
    if name in patched_cases():
        return patched_cases()[name]
    data = yaml.safe_load((CASES_DIR / name / "expect.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{name}/expect.yml must be a mapping"
    return data


def expected_diags(expect: dict[str, Any]) -> list[Diag]:
    return sorted(
        (d["code"], d["file"], d["line"], d["col"], d.get("severity", "error"))
        for d in expect.get("diagnostics") or ()
    )


def _apply_setup(root: Path, content: Path, steps: list[dict[str, Any]]) -> None:
    """What git cannot (or should not) hold: huge files, outside symlinks.

    `{outside}` in a path is a directory outside both content/ and the working directory;
    `{root}` is the working directory (the parent of content/).
    """
    outside = root.parent / f"{root.name}-outside"

    def where(template: str) -> str:
        return template.format(outside=outside, root=root)

    for step in steps:
        if "large" in step:
            target = content / step["large"]
            target.parent.mkdir(parents=True, exist_ok=True)
            line = "# " + "padding " * 12 + "\n"
            target.write_text(
                "id: sample-2020\n" + line * (step["bytes"] // len(line) + 1), encoding="utf-8"
            )
        elif "deep" in step:
            target = content / step["deep"]
            target.parent.mkdir(parents=True, exist_ok=True)
            n = step["depth"]
            target.write_text("id: sample-2020\nwriters: " + "[" * n + "]" * n + "\n")
        elif "valid_film" in step:
            target = Path(where(step["valid_film"]))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text((CASES_DIR / "good-base" / "films" / "sample-2020.yml").read_text())
        elif "symlink" in step:
            link = content / step["symlink"]
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(where(step["target"]), link)
        else:  # pragma: no cover - a typo in expect.yml
            raise AssertionError(f"unknown setup step {step!r}")


def build_case(name: str, root: Path) -> Path:
    """Lay out case `name` under `root` (content/); return the content dir."""
    content = root / "content"
    if name in patched_cases():
        film = case_film(name)
        (content / "films").mkdir(parents=True)
        (content / "films" / BASE_FILM.name).write_text(film, encoding="utf-8")
        return content
    shutil.copytree(
        CASES_DIR / name, content, ignore=shutil.ignore_patterns("expect.yml"), symlinks=True
    )
    (content / "films").mkdir(exist_ok=True)
    _apply_setup(root, content, read_expect(name).get("setup") or [])
    return content


def parse_human(out: str) -> tuple[list[Diag], list[str]]:
    """Diagnostics in `out` (sorted; paths made relative to content/), and the full lines."""
    diags: list[Diag] = []
    lines: list[str] = []
    for line in out.splitlines():
        m = HUMAN_LINE.match(line)
        assert m, f"not a diagnostic line: {line!r}"
        assert m["code"] in CODES, line
        assert m["message"].strip(), line
        file = m["file"].removeprefix("content/")
        diags.append((m["code"], file, int(m["line"]), int(m["col"]), m["severity"]))
        lines.append(line)
    return sorted(diags), lines


def run_check(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["check", *args, "content/films"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _case_params() -> list[Any]:
    params = []
    for name in case_names():
        reason = read_expect(name).get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, id=name, marks=marks))
    return params


@pytest.mark.parametrize("name", _case_params())
def test_case(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expect = read_expect(name)
    build_case(name, tmp_path)
    code, out, err = run_check(tmp_path, monkeypatch, capsys)
    assert "Traceback" not in out + err
    got, _ = parse_human(out)
    want = expected_diags(expect)
    assert got == want, f"\n{out}"
    assert code == expect["exit"]
    assert re.search(r"spoilers check: \d+ film\(s\) loaded", err)


def test_enough_cases() -> None:
    names = case_names()
    bad = [n for n in names if read_expect(n)["exit"] != 0]
    good = [n for n in names if read_expect(n)["exit"] == 0 and not read_expect(n)["diagnostics"]]
    assert len(bad) >= 60, len(bad)
    assert len(good) >= 3, good


def test_every_code_is_covered() -> None:
    """Each code is produced by at least one case that passes today (not an xfail).

    Every code can be staged with files. Only `file-unreadable` for permission errors cannot
    (the suite runs as root), so that variant is a programmatic test below; the code itself is
    covered by the directory-named-.yml case.
    """
    covered: set[str] = set()
    for name in case_names():
        expect = read_expect(name)
        if not expect.get("xfail"):
            covered |= {d[0] for d in expected_diags(expect)}
    assert sorted(set(CODES) - covered) == []
    assert covered <= set(CODES)


def test_expect_files_are_well_formed() -> None:
    allowed = {"description", "exit", "setup", "xfail", "diagnostics", "patch"}
    for name in case_names():
        expect = read_expect(name)
        assert set(expect) <= allowed, name
        assert expect.get("description"), name
        assert expect["exit"] in (0, 1), name
        for d in expect.get("diagnostics") or ():
            assert d["code"] in CODES, (name, d)
            assert set(d) <= {"code", "file", "line", "col", "severity"}, (name, d)
        if expect["exit"] == 0:
            assert all(d.get("severity") == "warning" for d in expect["diagnostics"] or ())


# ------------------------------------------------------------------ programmatic cases


def test_permission_denied_is_file_unreadable(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Permission errors cannot be staged as root, so simulate the OSError read_bytes raises."""
    build_case("good-base", tmp_path)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "sample-2020.yml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, _ = run_check(tmp_path, monkeypatch, capsys)
    assert code == 1
    assert out.strip() == (
        "content/films/sample-2020.yml:1:1: error[file-unreadable]: "
        "cannot read the file: Permission denied"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_real_permission_denied(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # pragma: no cover - CI runs as root
    content = build_case("good-base", tmp_path)
    film = content / "films" / "sample-2020.yml"
    film.chmod(0)
    try:
        code, out, _ = run_check(tmp_path, monkeypatch, capsys)
    finally:
        film.chmod(0o644)
    assert code == 1
    assert "error[file-unreadable]" in out


def test_missing_path_is_file_unreadable(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_case("good-base", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "content/films/nope-2020.yml"]) == 1
    diags, _ = parse_human(capsys.readouterr().out)
    assert diags == [("file-unreadable", "films/nope-2020.yml", 1, 1, "error")]


def test_file_too_large_boundary(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Exactly MAX_FILE_BYTES is allowed; one byte more is not."""
    build_case("good-base", tmp_path)
    film = tmp_path / "content" / "films" / "sample-2020.yml"
    text = film.read_text()
    film.write_text(text + "#" * (load.MAX_FILE_BYTES - len(text.encode()) - 1) + "\n")
    assert film.stat().st_size == load.MAX_FILE_BYTES
    code, out, _ = run_check(tmp_path, monkeypatch, capsys)
    assert (code, out) == (0, "")
    with film.open("a") as f:
        f.write("#")
    code, out, _ = run_check(tmp_path, monkeypatch, capsys)
    assert code == 1
    assert "error[file-too-large]" in out


def test_no_films_is_clean(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_case("good-base", tmp_path)
    (tmp_path / "content" / "films" / "sample-2020.yml").unlink()
    code, out, err = run_check(tmp_path, monkeypatch, capsys)
    assert (code, out) == (0, "")
    assert "0 film(s) loaded, 0 error(s), 0 warning(s)" in err


def test_explicit_file_argument_and_default_dir(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`spoilers check FILE` checks that file; with no path, content/films is the default."""
    build_case("yaml-duplicate-key-top", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "content/films/sample-2020.yml"]) == 1
    one = capsys.readouterr().out
    assert main(["check"]) == 1
    default = capsys.readouterr().out
    assert one == default
    assert "error[yaml-duplicate-key]" in one


def test_list_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-codes"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == list(CODES)


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_bad_site_config_exits_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_case("good-base", tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - spoilers:\n      levels: [{id: only}]\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "at least two levels" in err
    assert "Traceback" not in err


def test_site_ladder_from_mkdocs_yml(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With a mkdocs.yml, its ladder (not the default) decides which levels exist."""
    build_case("good-base", tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - spoilers:\n"
        "      levels: [{id: none}, {id: setup}, {id: middle}, {id: climax}]\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    diags, _ = parse_human(capsys.readouterr().out)
    assert {d[0] for d in diags} == {"unknown-level"}
    assert ("unknown-level", "films/sample-2020.yml", 70, 16, "error") in diags


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("schema-unknown-key-titel", "unknown key `titel` in the file; did you mean `title`?"),
        (
            "schema-unknown-key-introducd",
            "unknown key `introducd` in entities.1; did you mean `introduced`?",
        ),
        ("schema-unknown-key-no-hint", "unknown key `imdb_rating` in the file; allowed: cast, "),
        ("yaml-duplicate-key-nested", "the key `level` appears twice (first at line 58)"),
        ("yaml-implicit-bool-no", '`No` would be read as the boolean False; quote it: "No"'),
        ("file-invalid-utf8", "byte 0xe9 is not valid UTF-8"),
        ("duplicate-film-id-subdir", "is already used by content/films/old/sample-2020.yml"),
        ("spoiler-entity-section-id", "this section id is shown at `none` but names `Mr Vance`"),
        ("unknown-level-fact", "`finale` is not a level of this site; use one of: none, setup"),
        ("file-name-mismatch", "rename it to `sample-2020.yml`"),
    ],
)
def test_messages_help_the_writer(
    name: str,
    needle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_case(name, tmp_path)
    _, out, _ = run_check(tmp_path, monkeypatch, capsys)
    assert needle in out


# ------------------------------------------------------------------ GitHub format


def _unescape_property(value: str) -> str:
    return (
        value.replace("%2C", ",")
        .replace("%3A", ":")
        .replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%25", "%")
    )


def _unescape_data(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def parse_github(out: str) -> list[dict[str, str]]:
    rows = []
    for line in out.splitlines():
        m = GITHUB_LINE.match(line)
        assert m, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in m["props"].split(","))
        assert set(props) == {"file", "line", "col", "title"}, line
        rows.append(
            {
                "severity": m["severity"],
                "file": _unescape_property(props["file"]),
                "line": props["line"],
                "col": props["col"],
                "title": _unescape_property(props["title"]),
                "message": _unescape_data(m["message"]),
                "raw": line,
            }
        )
    return rows


@pytest.mark.parametrize(
    "name",
    [
        "yaml-duplicate-key-nested",
        "schema-unknown-key-titel",
        "unused-source",
        "markup-html-script",
    ],
)
def test_github_format_matches_human(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expect = read_expect(name)
    build_case(name, tmp_path)
    code, out, err = run_check(tmp_path, monkeypatch, capsys, "--format", "github")
    assert code == expect["exit"]
    assert "Traceback" not in out + err
    rows = parse_github(out)
    got = sorted(
        (
            r["title"].removeprefix("spoilers "),
            r["file"].removeprefix("content/"),
            int(r["line"]),
            int(r["col"]),
            r["severity"],
        )
        for r in rows
    )
    assert got == expected_diags(expect)
    assert all(r["title"].startswith("spoilers ") for r in rows)


def test_github_escaping(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """% , : and newlines are escaped in properties; % and newlines in the message."""
    build_case("good-base", tmp_path)
    films = tmp_path / "content" / "films"
    text = (films / "sample-2020.yml").read_text()
    (films / "sample-2020.yml").unlink()
    # A file name with a comma, a colon and a percent sign; a key with a newline and a percent.
    weird = films / "we,ird:100%-2020.yml"
    weird.write_text(text.replace("title: Sample\n", 'title: Sample\n"bad%key\\nx": 1\n'))
    code, out, _ = run_check(tmp_path, monkeypatch, capsys, "--format", "github")
    assert code == 1
    assert len(out.splitlines()) == 1
    (row,) = parse_github(out)
    raw = row["raw"]
    assert raw.startswith(
        "::error file=content/films/we%2Cird%3A100%25-2020.yml,line=4,col=1,"
        "title=spoilers schema-unknown-key::"
    )
    message = raw.split("::", 2)[2]
    assert "\n" not in message
    assert "bad%25key%0Ax" in message  # data escaping: % and newline
    assert "; allowed: " in message and ", " in message  # data keeps colons and commas
    assert row["message"].startswith("unknown key `bad%key\nx` in the file; allowed: ")
    assert row["file"] == "content/films/we,ird:100%-2020.yml"


# ------------------------------------------------------------------ python -m


def test_python_m_check(tmp_path: Path) -> None:
    build_case("duplicate-id-fact", tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs_plugins.spoilers", "check", "content/films"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    diags, _ = parse_human(proc.stdout)
    assert diags == expected_diags(read_expect("duplicate-id-fact"))
    assert "Traceback" not in proc.stderr
    assert "1 film(s) loaded, 1 error(s), 0 warning(s)" in proc.stderr


def test_python_m_clean_exit_0(tmp_path: Path) -> None:
    build_case("good-base", tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs_plugins.spoilers", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr


# ------------------------------------------------------------------ the synthetic corpus


def test_synthetic_corpus_is_valid(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """tests/synthetic.py (used by the benchmarks) writes films that pass `spoilers check`."""
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from synthetic import write_corpus
    finally:
        sys.path.pop(0)
    ids = write_corpus(tmp_path / "content", films=3, facts_per_film=30, seed=7)
    assert len(ids) == len(set(ids)) == 3
    code, out, err = run_check(tmp_path, monkeypatch, capsys)
    assert (code, out) == (0, ""), out
    assert "3 film(s) loaded, 0 error(s), 0 warning(s)" in err


def test_the_checker_reads_over_processes_as_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough files for a process pool: the films, their order and every diagnostic are the
    ones a read in turn gives, and a film comes back without its marks."""
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from synthetic import write_corpus
    finally:
        sys.path.pop(0)
    content = tmp_path / "content"
    ids = write_corpus(content, films=validate.PARALLEL_FROM + 6, facts_per_film=6, seed=3)
    broken = content / "films" / f"{ids[5]}.yml"
    broken.write_text(broken.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    twin = content / "films" / "zz-twin.yml"
    twin.write_text((content / "films" / f"{ids[9]}.yml").read_text(encoding="utf-8"))

    pools: list[int] = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: Any) -> None:
            pools.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr(validate.concurrent.futures, "ProcessPoolExecutor", Pool)
    ladder = Ladder.from_config()
    in_turn = validate.Checker(content, ladder).run(jobs=1)
    over_two = validate.Checker(content, ladder).run(jobs=2)
    assert [f.id for f in over_two.films] == [f.id for f in in_turn.films]
    assert over_two.films == in_turn.films
    assert all(f.marks is NO_MARKS for f in over_two.films)
    assert [d.human() for d in over_two.diagnostics] == [d.human() for d in in_turn.diagnostics]
    codes = {d.code for d in in_turn.diagnostics}
    assert {"schema-unknown-key", "duplicate-film-id", "file-name-mismatch"} <= codes, codes
    assert pools == [2]
