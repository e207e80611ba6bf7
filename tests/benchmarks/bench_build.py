"""Build benchmark: the spoilers plugin against plain MkDocs + Material (a script, not a test).

    .venv/bin/python tests/benchmarks/bench_build.py                    # N = 10, 100
    .venv/bin/python tests/benchmarks/bench_build.py --large            # N = 10, 100, 1000
    .venv/bin/python tests/benchmarks/bench_build.py --films 10,300 --repeat 5 --json out.json

For each N it writes a synthetic corpus (tests/synthetic.py: N films, ~60 facts each, every level
used) and two sites that produce the same pages under the same URLs:

  (a) plugin  the spoilers plugin over the corpus: films/<id>/ and films/<id>/<level>/;
  (b) plain   plain MkDocs + Material over pre-written Markdown pages with equivalent content
              (the same headings, facts, citations, cast, sources, switcher links and gate text),
              the same nav (one entry per film, grouped exactly as the plugin groups them, level
              pages `not_in_nav`), the same theme, features, extensions and plugins except spoilers
              (search on in both; level pages excluded from search in both).

Builds run interleaved (a b a b ...), each in a fresh `python -m mkdocs build -q -d <dir>`
process, started by a tiny launcher that times it and reads its CPU time and peak RSS from
os.wait4 (ru_maxrss). The report is a Markdown table (medians; "a per added film" is the plugin's
extra time per extra film from the previous N) plus the targets with PASS/MISS.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))

from synthetic import write_corpus  # noqa: E402

from mkdocs_plugins.spoilers.model import Film, Ladder  # noqa: E402
from mkdocs_plugins.spoilers.render import nav_groups  # noqa: E402
from mkdocs_plugins.spoilers.validate import check  # noqa: E402

THEME_ASSETS = REPO / "mkdocs_plugins" / "spoilers" / "theme" / "spoilers"
DEFAULT_GROUP_SIZE = 50  # SpoilersConfig.nav_group_size's default
HOME_MARKER = "<!-- spoilers:films -->"

# Targets (issue 8).
TARGET_RATIO = 1.0
TARGET_LARGE_N = 1000
TARGET_LARGE_SECONDS = 300.0
TARGET_PER_FILM_SPREAD = 1.5
TARGET_CHECK_SECONDS = 5.0
TARGET_ASSET_BYTES = 4096

# Both sites share everything but the nav and the spoilers plugin (as in the repo's mkdocs.yml).
COMMON_CONFIG = """\
site_name: Build benchmark
site_url: https://example.org/
docs_dir: docs
theme:
  name: material
  language: en
  font: false
  features:
    - navigation.instant
    - navigation.sections
    - navigation.prune
    - navigation.top
    - toc.follow
    - search.highlight
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: deep purple
      accent: amber
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: deep purple
      accent: amber
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
markdown_extensions:
  - admonition
  - attr_list
  - toc:
      permalink: true
"""

HOME_INTRO = """\
# Film explainers, at your own spoiler level

Pick a film below. Its first page is spoiler-free: premise, credits, cast and content notes.

"""


# --- the two sites -------------------------------------------------------------------------


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_plugin_site(root: Path, content: Path, group_size: int | None) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text(HOME_INTRO + HOME_MARKER + "\n", encoding="utf-8")
    option = f"\n      nav_group_size: {group_size}" if group_size is not None else ""
    (root / "mkdocs.yml").write_text(
        COMMON_CONFIG
        + "nav:\n  - Home: index.md\n"
        + "plugins:\n  - search\n  - spoilers:\n"
        + f"      content_dir: {_yaml(str(content))}{option}\n",
        encoding="utf-8",
    )


def _rel(from_level: str, to_level: str, first: str) -> str:
    """Markdown link between two level pages of one film (index.md files)."""
    if from_level == first:
        return "index.md" if to_level == first else f"{to_level}/index.md"
    return "../index.md" if to_level == first else f"../{to_level}/index.md"


def film_markdown(film: Film, ladder: Ladder, level: str) -> str:
    """What the plugin shows at `level`, written as ordinary Markdown."""
    first = ladder.first.id
    r = ladder.rank(level)
    number = {s.id: i for i, s in enumerate(film.sources, start=1)}
    by_source = {s.id: s for s in film.sources}
    labels = [(lv.id, film.label(ladder, lv.id), lv.description) for lv in ladder.levels]

    def cites(ids: Sequence[str]) -> str:
        out = " ".join(f'[{number[i]}](#source-{i} "Source: {by_source[i].title}")' for i in ids)
        return out + (" *single source*" if len(ids) == 1 else "")

    title = f"{film.title} ({film.year})"
    front = ["---", f"title: {_yaml(title)}", f"description: {_yaml(film.premise)}"]
    if r > 0:
        front += ["search:", "  exclude: true"]
    lines = [*front, "---", "", f"# {film.title} *({film.year})*", ""]
    lines.append("How much of the film to reveal:")
    lines.append("")
    for k, (lid, label, desc) in enumerate(labels, start=1):
        here = " **(you are here)**" if lid == level else ""
        lines.append(f"{k}. [{label} {desc}]({_rel(level, lid, first)}){here}")
    lines.append("")
    if r > 0:
        lines += [
            f"This page reveals **{labels[r][1]}** of *{film.title}*: {labels[r][2]}.",
            "",
            f"[Show me](#) [Take me to the spoiler-free page]({_rel(level, first, first)})",
            "",
        ]
    lines += [film.premise, ""]
    credits = f"Directed by {film.director}"
    if film.writers and list(film.writers) != [film.director]:
        credits += " · Written by " + ", ".join(film.writers)
    credits += f" · {film.runtime_minutes} min · Released {film.release_date}"
    if film.release_platform:
        credits += f" on {film.release_platform}"
    lines += [credits, ""]
    if film.content_notes:
        lines.append('!!! note "Content notes (kinds of content only, no plot)"')
        lines.append("")
        for n in film.content_notes:
            lines.append(f"    - **{n.label}**" + (f": {n.detail}" if n.detail else ""))
        lines.append("")
    entities = {e.id: e for e in film.entities}
    visible_entities = [e for e in film.entities if ladder.rank(e.introduced) <= r]
    if film.cast or visible_entities:
        lines += ["## Cast and characters {#characters}", ""]
        for c in film.cast:
            row = f"- **{c.actor}**"
            if c.also_credited_as:
                row += f" (also credited as {', '.join(c.also_credited_as)})"
            ent = entities.get(c.entity) if c.entity else None
            if ent is not None and ladder.rank(ent.introduced) <= r:
                row += f" as {ent.display_name}"
            lines.append(row)
        lines.append("")
        for e in visible_entities:
            known = [d for d in e.descriptions if ladder.rank(d.level) <= r]
            row = f"- **{e.names[0]}**"
            if e.names[1:]:
                row += f" *also {', '.join(e.names[1:])}*"
            if known:
                latest = max(known, key=lambda d: ladder.rank(d.level))
                row += f": {latest.text} {cites(latest.sources)}"
            else:
                row += ": *No description at this level.*"
            lines.append(row)
        lines.append("")
    shown = [s for s in film.sections if ladder.rank(s.level) <= r]
    shown_ids = {s.id for s in shown}
    dis = [d for d in film.disagreements if ladder.rank(d.level) <= r]
    nxt = labels[r + 1] if r + 1 < len(labels) else None

    def disagreement(d: Any) -> list[str]:
        out = [f'!!! note "Sources disagree: {d.topic}"', ""]
        out += [f"    - {c.text} {cites(c.sources)}" for c in d.claims]
        if d.note:
            out += ["", f"    {d.note}"]
        return [*out, ""]

    for s in shown:
        lines += [f"## {s.title} {{#{s.id}}}", ""]
        facts = [f for f in s.facts if ladder.rank(f.level) <= r]
        lines += [f"- {f.text} {cites(f.sources)}" for f in facts]
        lines.append("")
        for d in dis:
            if d.section == s.id:
                lines += disagreement(d)
        if nxt is not None:
            link = _rel(level, nxt[0], first)
            lines += [f"More may be revealed at [{nxt[1]}]({link}#{s.id}).", ""]
    loose = [d for d in dis if d.section not in shown_ids]
    if loose:
        lines += ["## Where the sources disagree {#sources-disagree}", ""]
        for d in loose:
            lines += disagreement(d)
    if film.reception:
        lines += ["## What reviewers say {#reception}", ""]
        lines += [f"- {x.text} {cites(x.sources)}" for x in film.reception]
        lines.append("")
    lines += ["## Sources {#sources}", ""]
    for s in film.sources:
        name = f"[{s.title}]({s.url})" if s.url else f"*{s.title}*"
        row = f'{number[s.id]}. <span id="source-{s.id}"></span>{name}'
        if s.author:
            row += f", by {s.author}"
        if s.publisher:
            row += f", {s.publisher}"
        if s.published:
            row += f", published {s.published}"
        if s.updated:
            row += f" (updated {s.updated})"
        row += f". {s.kind.capitalize()}."
        if s.note:
            row += f" {s.note}"
        lines.append(row)
    return "\n".join(lines) + "\n"


def write_plain_site(root: Path, films: list[Film], ladder: Ladder, group_size: int) -> None:
    """Plain MkDocs over pre-written Markdown: same pages, same URLs, same nav as the plugin."""
    docs = root / "docs"
    films = sorted(films, key=lambda f: f.title)  # the plugin's nav order
    cards = []
    for film in films:
        cards += [
            f"## [{film.title}](films/{film.id}/index.md) *({film.year})* {{#film-{film.id}}}",
            "",
            f"Directed by {film.director}",
            "",
            film.premise,
            "",
            f"[Read the spoiler-free page](films/{film.id}/index.md){{ .md-button }}",
            "",
        ]
        for lv in ladder.levels:
            sub = "" if lv.id == ladder.first.id else f"{lv.id}/"
            page = docs / "films" / film.id / sub / "index.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(film_markdown(film, ladder, lv.id), encoding="utf-8")
    (docs / "index.md").write_text(HOME_INTRO + "\n".join(cards), encoding="utf-8")

    def entry(f: Film, indent: str) -> str:
        return f"{indent}- {_yaml(f'{f.title} ({f.year})')}: films/{f.id}/index.md"

    nav = ["nav:", "  - Home: index.md", "  - Films:"]
    groups = nav_groups([f.title for f in films], group_size)
    if groups:
        for g in groups:
            nav.append(f"    - {_yaml(g.label)}:")
            nav += [entry(f, "      ") for f in films[g.start : g.stop]]
    else:
        nav += [entry(f, "    ") for f in films]
    (root / "mkdocs.yml").write_text(
        COMMON_CONFIG
        + "\n".join(nav)
        + "\nnot_in_nav: |\n  /films/*/*/index.md\n"
        + "plugins:\n  - search\n",
        encoding="utf-8",
    )


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the child (less sensitive to other load)
    peak_mb: float


# The build runs under a tiny launcher that times it and reads its rusage from os.wait4. Linux
# carries a process's peak RSS across fork and exec, so a child forked straight from this
# script would report at least this script's own peak (hundreds of MB once it has loaded a
# 1,000-film corpus); the launcher's child is forked from a ~10 MB process instead.
LAUNCHER = """\
import json, os, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[2:])
_, status, ru = os.wait4(p.pid, 0)
seconds = time.perf_counter() - t0
with open(sys.argv[1], "w") as f:
    json.dump({"seconds": seconds, "cpu": ru.ru_utime + ru.ru_stime, "maxrss": ru.ru_maxrss}, f)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def build(site: Path, out: Path, env: dict[str, str], log: Path) -> Run:
    """One `mkdocs build` in a fresh process: its wall time, CPU time and peak RSS (wait4)."""
    shutil.rmtree(out, ignore_errors=True)
    usage_file = log.with_suffix(".usage.json")
    with log.open("wb") as fh:
        proc = subprocess.run(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                LAUNCHER,
                str(usage_file),
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "-q",
                "-d",
                str(out),
            ],
            cwd=site,
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"build of {site} failed ({proc.returncode}):\n{tail}")
    usage = json.loads(usage_file.read_text(encoding="utf-8"))
    # ru_maxrss: KiB on Linux, bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Run(usage["seconds"], usage["cpu"], usage["maxrss"] / scale)


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def asset_bytes_gzipped() -> int:
    return sum(
        len(gzip.compress(p.read_bytes(), compresslevel=9))
        for p in sorted(THEME_ASSETS.iterdir())
        if p.suffix in {".js", ".css"}
    )


@dataclass
class Row:
    films: int
    pages: int
    plugin_s: float
    plugin_mb: float
    plain_s: float
    plain_mb: float
    ratio: float
    per_film_ms: float
    check_s: float  # check() in process, as the plugin runs it at the start of a build
    check_cli_s: float  # `spoilers check` (the CLI, a fresh process, its default --jobs)
    site_kb_per_film: float
    plugin_cpu_s: float = 0.0
    plain_cpu_s: float = 0.0
    plugin_runs: list[float] = field(default_factory=list)
    plain_runs: list[float] = field(default_factory=list)
    check_runs: list[float] = field(default_factory=list)
    check_cli_runs: list[float] = field(default_factory=list)


def time_check(content: Path, ladder: Ladder, repeat: int) -> list[float]:
    """`spoilers check` over the corpus, in process (as tests/bench_check.py measures it)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = check([], content, ladder)
        times.append(time.perf_counter() - t0)
        errors = [d for d in result.diagnostics if d.is_error]
        if errors:
            raise SystemExit("the synthetic corpus is not clean:\n" + errors[0].human())
    return times


def time_check_cli(site: Path, env: dict[str, str], repeat: int) -> list[float]:
    """`spoilers check` as writers and CI run it: a fresh process over the site's content."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs_plugins.spoilers",
                "--config",
                str(site / "mkdocs.yml"),
                "check",
            ],
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise SystemExit(
                f"spoilers check failed ({proc.returncode}):\n{proc.stdout[-2000:]}"
                f"{proc.stderr[-2000:]}"
            )
    return times


def profile_build(site: Path, out: Path, env: dict[str, str], report: Path) -> str:
    """One plugin build under cProfile (in a child); the top functions by own time."""
    stats_file = report.with_suffix(".pstats")
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(stats_file),
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-d",
            str(out),
        ],
        cwd=site,
        env=env,
        check=True,
        capture_output=True,
    )
    buf = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=buf)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(30)
    report.write_text(buf.getvalue(), encoding="utf-8")
    return buf.getvalue()


def bench_one(
    n: int,
    work: Path,
    args: argparse.Namespace,
    ladder: Ladder,
    env_a: dict[str, str],
    env_b: dict[str, str],
) -> Row:
    root = work / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    content = root / "content"
    ids = write_corpus(content, n, args.facts, seed=args.seed)
    check_runs = time_check(content, ladder, args.repeat)
    films = check([], content, ladder).films
    group_size = DEFAULT_GROUP_SIZE if args.nav_group_size is None else args.nav_group_size
    write_plugin_site(root / "plugin", content.resolve(), args.nav_group_size)
    write_plain_site(root / "plain", films, ladder, group_size)
    check_cli_runs = time_check_cli(root / "plugin", env_a, args.repeat)
    out_a, out_b = root / "out-plugin", root / "out-plain"
    runs_a: list[Run] = []
    runs_b: list[Run] = []
    for i in range(args.repeat):
        runs_a.append(build(root / "plugin", out_a, env_a, root / "plugin.log"))
        runs_b.append(build(root / "plain", out_b, env_b, root / "plain.log"))
        print(
            f"  N={n} run {i + 1}/{args.repeat}: plugin {runs_a[-1].seconds:.2f} s, "
            f"plain {runs_b[-1].seconds:.2f} s (CPU {runs_a[-1].cpu_seconds:.2f} / "
            f"{runs_b[-1].cpu_seconds:.2f} s)",
            file=sys.stderr,
            flush=True,
        )
    for film_id in ids[:1]:
        for lv in ladder.levels:
            sub = "" if lv.id == ladder.first.id else f"{lv.id}/"
            for out in (out_a, out_b):
                if not (out / "films" / film_id / sub / "index.html").is_file():
                    raise SystemExit(f"missing page films/{film_id}/{sub} in {out}")
    if args.profile:
        report = work / f"profile-n{n}.txt"
        text = profile_build(root / "plugin", root / "out-profile", env_a, report)
        print(f"  cProfile of the plugin build at N={n}: {report}", file=sys.stderr)
        print("\n".join(text.splitlines()[:45]), file=sys.stderr)
    a = statistics.median(r.seconds for r in runs_a)
    b = statistics.median(r.seconds for r in runs_b)
    size = statistics.mean(tree_bytes(out_a / "films" / i) for i in ids)
    return Row(
        films=n,
        pages=n * len(ladder.levels),
        plugin_s=a,
        plugin_mb=max(r.peak_mb for r in runs_a),
        plain_s=b,
        plain_mb=max(r.peak_mb for r in runs_b),
        ratio=a / b,
        per_film_ms=1000 * a / n,
        check_s=statistics.median(check_runs),
        check_cli_s=statistics.median(check_cli_runs),
        site_kb_per_film=size / 1024,
        plugin_runs=[r.seconds for r in runs_a],
        plain_runs=[r.seconds for r in runs_b],
        plugin_cpu_s=statistics.median(r.cpu_seconds for r in runs_a),
        plain_cpu_s=statistics.median(r.cpu_seconds for r in runs_b),
        check_runs=check_runs,
        check_cli_runs=check_cli_runs,
    )


# --- report --------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    return {
        "cpus": os.cpu_count(),
        "memory": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
    }


@dataclass
class Target:
    name: str
    value: str
    status: str  # PASS | MISS | n/a


def targets(rows: list[Row], assets: int) -> list[Target]:
    out = []
    worst = max(rows, key=lambda r: r.ratio)
    out.append(
        Target(
            f"plugin / plain build time <= {TARGET_RATIO:.1f} at every N",
            ", ".join(f"N={r.films}: {r.ratio:.2f}" for r in rows),
            "PASS" if worst.ratio <= TARGET_RATIO else "MISS",
        )
    )
    large = next((r for r in rows if r.films >= TARGET_LARGE_N), None)
    out.append(
        Target(
            f"{TARGET_LARGE_N:,} films x 5 levels <= {TARGET_LARGE_SECONDS / 60:.0f} min",
            f"{large.plugin_s:.1f} s" if large else "not run (use --large)",
            ("PASS" if large.plugin_s <= TARGET_LARGE_SECONDS else "MISS") if large else "n/a",
        )
    )
    small, big = min(rows, key=lambda r: r.films), max(rows, key=lambda r: r.films)
    if small is big:
        out.append(Target(f"per-film cost grows <= {TARGET_PER_FILM_SPREAD}x", "one N", "n/a"))
    else:
        growth = big.per_film_ms / small.per_film_ms
        span = f"N={small.films} -> {big.films}"
        partial = "" if big.films >= TARGET_LARGE_N else " (partial: use --large)"
        out.append(
            Target(
                f"per-film cost grows <= {TARGET_PER_FILM_SPREAD}x from 10 to {TARGET_LARGE_N:,}",
                f"{small.per_film_ms:.0f} -> {big.per_film_ms:.0f} ms/film, x{growth:.2f} "
                f"({span}){partial}",
                "PASS" if growth <= TARGET_PER_FILM_SPREAD else "MISS",
            )
        )
    out.append(
        Target(
            f"`spoilers check` over {TARGET_LARGE_N:,} films <= {TARGET_CHECK_SECONDS:.0f} s",
            f"{large.check_cli_s:.2f} s (CLI; check() in process: {large.check_s:.2f} s)"
            if large
            else "not run (use --large)",
            ("PASS" if large.check_cli_s <= TARGET_CHECK_SECONDS else "MISS") if large else "n/a",
        )
    )
    out.append(
        Target(
            f"plugin JS+CSS <= {TARGET_ASSET_BYTES / 1024:.0f} KB gzipped (level 9)",
            f"{assets:,} bytes",
            "PASS" if assets <= TARGET_ASSET_BYTES else "MISS",
        )
    )
    return out


def table(rows: list[Row]) -> str:
    head = (
        "| films | pages | plugin (a) | plain (b) | a/b | a per film | a per added film "
        "| CPU a / b | peak RSS a | peak RSS b | `spoilers check` | check() | site per film |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    body = []
    prev: Row | None = None
    for r in rows:
        added = (
            f"{1000 * (r.plugin_s - prev.plugin_s) / (r.films - prev.films):.0f} ms"
            if prev is not None
            else "-"
        )
        body.append(
            f"| {r.films:,} | {r.pages:,} | {r.plugin_s:.2f} s | {r.plain_s:.2f} s "
            f"| {r.ratio:.2f} | {r.per_film_ms:.0f} ms | {added} "
            f"| {r.plugin_cpu_s:.1f} / {r.plain_cpu_s:.1f} s "
            f"| {r.plugin_mb:.0f} MB | {r.plain_mb:.0f} MB "
            f"| {r.check_cli_s:.2f} s | {r.check_s:.2f} s | {r.site_kb_per_film:.0f} KB |"
        )
        prev = r
    return "\n".join([head, *body])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--films", default="10,100", help="comma-separated film counts (10,100)")
    p.add_argument("--large", action="store_true", help=f"add N={TARGET_LARGE_N}")
    p.add_argument("--repeat", type=int, default=3, help="builds per site per N (median)")
    p.add_argument("--facts", type=int, default=60, help="facts per film")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("--workdir", type=Path, help="keep the sites here (default: a temp dir)")
    p.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile one plugin build per N (report in the work dir)",
    )
    p.add_argument(
        "--nav-group-size",
        type=int,
        default=None,
        help="set the plugin's nav_group_size (default: the plugin's own default)",
    )
    p.add_argument(
        "--plugin-path",
        type=Path,
        default=None,
        help="put this directory first on PYTHONPATH for the plugin builds "
        "(to benchmark another copy of mkdocs_plugins/)",
    )
    args = p.parse_args(argv)
    counts = [int(x) for x in args.films.split(",") if x.strip()]
    if args.large and TARGET_LARGE_N not in counts:
        counts.append(TARGET_LARGE_N)
    counts = sorted(set(counts))

    ladder = Ladder.from_config(None)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    env_a = dict(env)
    if args.plugin_path is not None:
        env_a["PYTHONPATH"] = os.pathsep.join(
            [str(args.plugin_path.resolve()), *filter(None, [env.get("PYTHONPATH")])]
        )
    cleanup = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="spoilers-bench-build-")) if cleanup else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for n in counts:
            print(f"N={n}: {n * len(ladder.levels)} pages per site", file=sys.stderr, flush=True)
            rows.append(bench_one(n, work, args, ladder, env_a, env))
    finally:
        if cleanup:
            shutil.rmtree(work, ignore_errors=True)
    assets = asset_bytes_gzipped()
    results = targets(rows, assets)
    info = machine()
    print(f"## Build benchmark ({args.facts} facts per film, median of {args.repeat})\n")
    print(
        f"Machine: {info['cpus']} CPUs, {info['memory']} RAM, {info['platform']}; Python "
        f"{info['python']}, MkDocs {info['mkdocs']}, Material {info['mkdocs-material']}\n"
    )
    print(table(rows))
    print(f"\nPlugin JS+CSS, gzip -9: {assets:,} bytes\n")
    print("| target | measured | result |\n|---|---|---|")
    for t in results:
        print(f"| {t.name} | {t.value} | {t.status} |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "facts_per_film": args.facts,
                    "repeat": args.repeat,
                    "rows": [asdict(r) for r in rows],
                    "assets_gzip_bytes": assets,
                    "targets": [asdict(t) for t in results],
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
