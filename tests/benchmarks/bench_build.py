"""Build benchmark: the spoilers plugin against plain MkDocs + Material on equal terms.

    .venv/bin/python tests/benchmarks/bench_build.py                         # N = 20, 100
    .venv/bin/python tests/benchmarks/bench_build.py --films 10,20,100,300,1000 --repeat 3 \\
        --json tests/benchmarks/results/build.json
    # two checkouts side by side (A B A B ...), e.g. BASELINE and main:
    git worktree add /tmp/before 9bcff93
    .venv/bin/python tests/benchmarks/bench_build.py --repo before=/tmp/before --repo after=.

For each N it writes a synthetic corpus (tests/synthetic.py: N films, 60 facts each by default,
every level used, every film worded differently) and:

  (a) plugin  a site whose films/<id>/ and films/<id>/<level>/ pages the plugin generates;
  (b) plain   plain MkDocs + Material over Markdown pages written from (a)'s built pages: the
              same body (the plugin's HTML, as raw HTML blocks, with the headings of its table
              of contents as Markdown headings so the plain pages get the same TOC), title and
              description, level pages excluded from search (`search: exclude`) and from the
              nav (`not_in_nav`), first pages in the nav grouped as the plugin groups them, the
              plugin's CSS and JS as extra_css / extra_javascript, and the same theme,
              features, extensions and search plugin. After one build of each, every page is
              compared (body, title, description, TOC, primary nav); a mismatch stops the run.

So (a) - (b) is the plugin's own cost: loading, validating and rendering the content, and its
hooks. Builds run interleaved, a b a b ..., each `python -m mkdocs build --strict` in a fresh
process after one warm-up build of each site; wall time, CPU time and peak RSS come from
os.wait4 (see benchlib.measure). Reported: medians, a/b per round (median), per-page costs,
and a linear fit of time and memory against films (N >= --fit-from) extrapolated to
--extrapolate films.

With several --repo, each checkout's plugin builds the same site (PYTHONPATH, see
benchlib.Checkout), interleaved with the others and with the plain site(s), and a table
compares them pairwise (later / first).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl


@dataclass
class Series:
    """One site built by one interpreter setup, measured `repeat` times."""

    name: str  # "plugin:<label>" or "plain:<label>"
    site: Path
    out: Path
    env: dict[str, str]
    runs: list[bl.Usage] = field(default_factory=list)
    warmup: bl.Usage | None = None

    def med(self, key: str) -> float:
        return bl.median(getattr(r, key) for r in self.runs)


@dataclass
class Size:
    films: int
    pages: int
    series: dict[str, Series]
    pairs: dict[str, str]  # plugin series -> its plain series
    notes: dict[str, Any] = field(default_factory=dict)

    def per_round(self, a: str, b: str, key: str) -> float:
        ra, rb = self.series[a].runs, self.series[b].runs
        return bl.median(getattr(x, key) / getattr(y, key) for x, y in zip(ra, rb, strict=True))


def markdown_seconds(plain_root: Path) -> float:
    """Python-Markdown over every plain page, in this process: the plain site's Markdown pass."""
    import markdown

    md = markdown.Markdown(
        extensions=["admonition", "attr_list", "toc"],
        extension_configs={"toc": {"permalink": True}},
    )
    texts = [
        p.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for p in sorted((plain_root / "docs").rglob("*.md"))
    ]
    t0 = time.perf_counter()
    for text in texts:
        md.reset().convert(text)
    return time.perf_counter() - t0


def bench_size(n: int, args: argparse.Namespace, work: Path, checkouts: list[bl.Checkout]) -> Size:
    root = work / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    content = root / "content"
    bl.write_corpus(content, n, args.facts, args.seed)
    bl.write_plugin_site(root / "plugin", content)
    titles = bl.corpus_titles(content)
    series: dict[str, Series] = {}
    pairs: dict[str, str] = {}
    plains: dict[str, str] = {}  # fingerprint -> plain series name
    notes: dict[str, Any] = {}
    order: list[str] = []
    for co in checkouts:
        a = Series(f"plugin:{co.label}", root / "plugin", root / f"out-{co.label}", co.env())
        if args.plugin_only and args.no_warmup:
            series[a.name] = a
            order.append(a.name)
            continue
        say(f"N={n}: warm-up build, plugin ({co.label})")
        a.warmup = bl.mkdocs_build(a.site, a.out, a.env, root / f"{a.name}.log")
        series[a.name] = a
        order.append(a.name)
        if args.plugin_only:
            continue
        say(f"N={n}: writing the plain site from the plugin's pages ({co.label})")
        plain = bl.write_plain_site(a.out, root / f"plain-{co.label}", titles, args.group_size)
        if plain.fingerprint in plains:
            pairs[a.name] = plains[plain.fingerprint]
            shutil.rmtree(plain.root)
            continue
        b = Series(f"plain:{co.label}", plain.root, root / f"out-plain-{co.label}", bl.plain_env())
        say(f"N={n}: warm-up build, plain ({co.label})")
        b.warmup = bl.mkdocs_build(b.site, b.out, b.env, root / f"{b.name}.log")
        check = bl.verify_plain(plain, a.out, b.out)
        notes[b.name] = {
            "pages_verified": check.pages,
            "static_files": check.static,
            "problems": check.problems[:50],
            "body_bytes_plugin": plain.body_bytes_plugin,
            "body_bytes_plain": plain.body_bytes_plain,
            "unwrapped_bytes": plain.unwrapped,
            "p_wrapped_bytes": plain.wrapped,
        }
        if not check.ok:
            msg = "\n".join(check.problems[:20])
            if not args.allow_mismatch:
                raise SystemExit(f"N={n}: the plain site does not match the plugin's:\n{msg}")
            say(f"N={n}: WARNING: {len(check.problems)} mismatches (--allow-mismatch)\n{msg}")
        if args.markdown_cost:
            notes[b.name]["markdown_seconds"] = markdown_seconds(plain.root)
        series[b.name] = b
        order.append(b.name)
        plains[plain.fingerprint] = b.name
        pairs[a.name] = b.name
    for r in range(args.repeat):
        for name in order:
            s = series[name]
            s.runs.append(bl.mkdocs_build(s.site, s.out, s.env, root / f"{name}.log"))
        say(
            f"N={n} round {r + 1}/{args.repeat}: "
            + ", ".join(f"{k} {series[k].runs[-1].wall:.2f} s" for k in order)
        )
    for name in order:
        s = series[name]
        notes.setdefault(name, {})["site_bytes_per_film"] = bl.tree_bytes(s.out / "films") / n
    pages = sum(1 for _ in (series[order[0]].out / "films").glob("**/index.html"))
    size = Size(n, pages, series, pairs, notes)
    if not args.keep_sites:
        for s in series.values():
            shutil.rmtree(s.out, ignore_errors=True)
    return size


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- report ------------------------------------------------------------------------------------


def main_table(sizes: list[Size], label: str) -> str:
    a_name = f"plugin:{label}"
    md = all("markdown_seconds" in sz.notes.get(sz.pairs[a_name], {}) for sz in sizes)
    head = (
        "| films | pages | plugin (a) | plain (b) | a/b time | CPU a / b | a/b CPU "
        "| peak RSS a | peak RSS b | a/b memory | a per page | b per page | (a-b) per page |"
        + (" b - Markdown pass | a/(b - md) |" if md else "")
        + "\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        + ("---:|---:|" if md else "")
    )
    rows = []
    for sz in sizes:
        a = sz.series[a_name]
        b = sz.series[sz.pairs[a_name]]
        wa, wb = a.med("wall"), b.med("wall")
        ra, rb = a.med("rss_mb"), b.med("rss_mb")
        row = (
            f"| {sz.films:,} | {sz.pages:,} | {bl.fmt_s(wa)} | {bl.fmt_s(wb)} "
            f"| {sz.per_round(a.name, b.name, 'wall'):.2f} "
            f"| {a.med('cpu'):.1f} / {b.med('cpu'):.1f} s "
            f"| {sz.per_round(a.name, b.name, 'cpu'):.2f} "
            f"| {bl.fmt_mb(ra)} | {bl.fmt_mb(rb)} | {ra / rb:.2f} "
            f"| {1000 * wa / sz.pages:.1f} ms | {1000 * wb / sz.pages:.1f} ms "
            f"| {1000 * (wa - wb) / sz.pages:.1f} ms |"
        )
        if md:
            floor = wb - sz.notes[b.name]["markdown_seconds"]
            row += f" {bl.fmt_s(floor)} | {wa / floor:.2f} |"
        rows.append(row)
    note = (
        "\n\nb - Markdown pass: the plain build's median minus Python-Markdown's time over the "
        "plain pages (measured once, in one process, --markdown-cost). The plugin hands its "
        "HTML to MkDocs without Markdown; the plain site has to parse it as raw HTML. So "
        "a/(b - md) compares the plugin with MkDocs + Material's own floor for these pages."
        if md
        else ""
    )
    return "\n".join([head, *rows]) + note


def per_page_table(sizes: list[Size], label: str, per_page_from: int = 20) -> str:
    a_name = f"plugin:{label}"
    head = (
        "| films | a per page | b per page | a per added page | b per added page "
        "| a MB per added film | b MB per added film |\n|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = []
    prev: Size | None = None
    for sz in sizes:
        a, b = sz.series[a_name], sz.series[sz.pairs[a_name]]
        cells = [
            f"{sz.films:,}",
            f"{1000 * a.med('wall') / sz.pages:.1f} ms",
            f"{1000 * b.med('wall') / sz.pages:.1f} ms",
        ]
        if prev is None:
            cells += ["-"] * 4
        else:
            pa, pb = prev.series[a_name], prev.series[prev.pairs[a_name]]
            dp, dn = sz.pages - prev.pages, sz.films - prev.films
            cells += [
                f"{1000 * (a.med('wall') - pa.med('wall')) / dp:.1f} ms",
                f"{1000 * (b.med('wall') - pb.med('wall')) / dp:.1f} ms",
                f"{(a.med('rss_mb') - pa.med('rss_mb')) / dn:.2f}",
                f"{(b.med('rss_mb') - pb.med('rss_mb')) / dn:.2f}",
            ]
        rows.append("| " + " | ".join(cells) + " |")
        prev = sz
    out = "\n".join([head, *rows])
    start = next((sz for sz in sizes if sz.films == per_page_from), sizes[0])
    last = sizes[-1]
    if start is not last:
        k = sizes.index(start)
        lines = []
        for name, get in (
            ("plugin", lambda sz: sz.series[a_name]),
            ("plain", lambda sz: sz.series[sz.pairs[a_name]]),
        ):
            p0 = 1000 * get(start).med("wall") / start.pages
            p1 = 1000 * get(last).med("wall") / last.pages
            text = f"{name} {p0:.1f} -> {p1:.1f} ms (x{p1 / p0:.2f})"
            if k > 0 and len(sizes) > 2:
                before, prev = sizes[k - 1], sizes[-2]

                m0, m1 = (
                    1000 * (get(y).med("wall") - get(x).med("wall")) / (y.pages - x.pages)
                    for x, y in ((before, start), (prev, last))
                )
                text += (
                    f", per added page {m0:.1f} ({before.films:,}->{start.films:,} films) -> "
                    f"{m1:.1f} ms ({prev.films:,}->{last.films:,}) (x{m1 / m0:.2f})"
                )
            lines.append(text)
        out += (
            f"\n\nPer-page cost from {start.films:,} to {last.films:,} films: "
            + "; ".join(lines)
            + "."
        )
    return out


def plugin_only_table(sizes: list[Size], labels: list[str]) -> str:
    head = (
        "| films | pages | checkout | time | CPU | peak RSS | per page | site per film |\n"
        "|---:|---:|---|---:|---:|---:|---:|---:|"
    )
    rows = []
    for sz in sizes:
        for label in labels:
            s = sz.series[f"plugin:{label}"]
            size = sz.notes.get(s.name, {}).get("site_bytes_per_film", 0) / 1024
            rows.append(
                f"| {sz.films:,} | {sz.pages:,} | {label} | {bl.fmt_s(s.med('wall'))} "
                f"| {s.med('cpu'):.1f} s | {bl.fmt_mb(s.med('rss_mb'))} "
                f"| {1000 * s.med('wall') / sz.pages:.1f} ms | {size:,.0f} KB |"
            )
    return "\n".join([head, *rows])


def compare_table(sizes: list[Size], labels: list[str]) -> str:
    base = labels[0]
    head = (
        "| films | checkout | time | vs " + base + " (time) | CPU | vs " + base + " (CPU) "
        "| peak RSS | vs " + base + " (memory) | vs plain (time) |\n"
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = []
    for sz in sizes:
        b0 = f"plugin:{base}"
        for label in labels:
            a = f"plugin:{label}"
            s = sz.series[a]
            rows.append(
                f"| {sz.films:,} | {label} | {bl.fmt_s(s.med('wall'))} "
                f"| {sz.per_round(a, b0, 'wall'):.2f} | {s.med('cpu'):.1f} s "
                f"| {sz.per_round(a, b0, 'cpu'):.2f} | {bl.fmt_mb(s.med('rss_mb'))} "
                f"| {s.med('rss_mb') / sz.series[b0].med('rss_mb'):.2f} "
                f"| {sz.per_round(a, sz.pairs[a], 'wall'):.2f} |"
            )
    return "\n".join([head, *rows])


def extrapolate(sizes: list[Size], label: str, fit_from: int, target: int) -> dict[str, Any]:
    fit = [s for s in sizes if s.films >= fit_from]
    if len(fit) < 2:
        return {}
    a_name = f"plugin:{label}"
    out: dict[str, Any] = {"films_fitted": [s.films for s in fit], "target_films": target}
    for key, get in (
        ("plugin", lambda s: s.series[a_name]),
        ("plain", lambda s: s.series[s.pairs[a_name]]),
    ):
        xs = [float(s.films) for s in fit]
        for what in ("wall", "cpu", "rss_mb"):
            ys = [get(s).med(what) for s in fit]
            a, b, r2 = bl.linear_fit(xs, ys)
            out[f"{key}_{what}"] = {
                "intercept": a,
                "per_film": b,
                "r2": r2,
                "predicted": a + b * target,
            }
    return out


def extrapolation_table(ex: dict[str, Any]) -> str:
    if not ex:
        return ""
    target = ex["target_films"]
    head = (
        f"| site | time at {target:,} films | fit (s) | R² "
        f"| peak RSS at {target:,} films | fit (MB) | R² |\n|---|---:|---|---:|---:|---|---:|"
    )
    rows = []
    for key in ("plugin", "plain"):
        t, m = ex[f"{key}_wall"], ex[f"{key}_rss_mb"]
        rows.append(
            f"| {key} | {t['predicted']:,.0f} s ({t['predicted'] / 60:.1f} min) "
            f"| {t['intercept']:.2f} + {t['per_film']:.4f} x films | {t['r2']:.4f} "
            f"| {m['predicted']:,.0f} MB | {m['intercept']:.0f} + {m['per_film']:.3f} x films "
            f"| {m['r2']:.4f} |"
        )
    films = ", ".join(f"{f:,}" for f in ex["films_fitted"])
    return "\n".join([head, *rows]) + f"\n\nLeast-squares line through N = {films} (medians)."


def verification_lines(sizes: list[Size]) -> list[str]:
    lines = []
    for sz in sizes:
        for name, note in sz.notes.items():
            if "pages_verified" not in note:
                continue
            a, b = note["body_bytes_plugin"], note["body_bytes_plain"]
            lines.append(
                f"- N={sz.films:,}, {name}: {note['pages_verified']:,} pages compared"
                + (
                    f" (and {note['static_files']:,} other files the plugin wrote, copied)"
                    if note.get("static_files")
                    else ""
                )
                + ", "
                f"{len(note['problems'])} mismatches; bodies {a / 1e6:.1f} MB (plugin) vs "
                f"{b / 1e6:.1f} MB (plain, {100 * (b - a) / a:+.1f} %: "
                f"{note['unwrapped_bytes'] / 1e3:,.0f} KB of unwrapped wrapper tags, "
                f"{note['p_wrapped_bytes'] / 1e3:,.1f} KB of added <p>)"
                + (
                    f"; the plain pages' Markdown pass takes {note['markdown_seconds']:.2f} s "
                    "in one process"
                    if "markdown_seconds" in note
                    else ""
                )
            )
    return lines


def to_json(sizes: list[Size]) -> list[dict[str, Any]]:
    out = []
    for sz in sizes:
        entry: dict[str, Any] = {"films": sz.films, "pages": sz.pages, "series": {}}
        for name, s in sz.series.items():
            entry["series"][name] = {
                "runs": [r.as_dict() for r in s.runs],
                "warmup": s.warmup.as_dict() if s.warmup else None,
                "median": {k: s.med(k) for k in ("wall", "cpu", "rss_mb")},
            }
        entry["pairs"] = sz.pairs
        entry["ratios"] = {
            a: {
                "wall": sz.per_round(a, b, "wall"),
                "cpu": sz.per_round(a, b, "cpu"),
                "rss": sz.series[a].med("rss_mb") / sz.series[b].med("rss_mb"),
            }
            for a, b in sz.pairs.items()
        }
        entry["notes"] = sz.notes
        out.append(entry)
    return out


def from_json(data: dict[str, Any]) -> list[Size]:
    """Sizes back from a --json file (or a results file with it under "build")."""
    data = data.get("build", data)
    sizes = []
    for e in data["sizes"]:
        series = {}
        for name, x in e["series"].items():
            s = Series(name, Path(), Path(), {})
            s.runs = [bl.Usage(**r) for r in x["runs"]]
            s.warmup = bl.Usage(**x["warmup"]) if x.get("warmup") else None
            series[name] = s
        sizes.append(Size(e["films"], e["pages"], series, e["pairs"], e.get("notes", {})))
    return sizes


def report(
    sizes: list[Size], data: dict[str, Any], fit_from: int, target: int
) -> tuple[str, dict[str, Any]]:
    """The Markdown report of a run (`data`: machine, checkouts, facts_per_film, repeat)."""
    labels = [c["label"] for c in data["checkouts"]]
    out = [
        f"## Build benchmark ({data['facts_per_film']} facts per film, median of {data['repeat']})",
        "",
        bl.machine_line(data["machine"]),
        "",
    ]
    for c in data["checkouts"]:
        out += [f"Checkout `{c['label']}`: {c['path']} ({c['commit']})", ""]
    extrapolations: dict[str, Any] = {}
    if not any(sz.pairs for sz in sizes):
        out += ["### Plugin builds only (--plugin-only)", "", plugin_only_table(sizes, labels)]
        return "\n".join(out), extrapolations
    for label in labels:
        out += [f"### Plugin (a, `{label}`) vs plain MkDocs + Material (b)", ""]
        out += [main_table(sizes, label), "", per_page_table(sizes, label), ""]
        ex = extrapolate(sizes, label, fit_from, target)
        extrapolations[label] = ex
        if ex:
            out += [extrapolation_table(ex), ""]
    if len(labels) > 1:
        out += [f"### Checkouts compared (each against `{labels[0]}`, per round)", ""]
        out += [compare_table(sizes, labels), ""]
    out += ["Plain pages checked against the plugin's after their first builds:", ""]
    out += verification_lines(sizes)
    return "\n".join(out), extrapolations


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--films", default="20,100", help="comma-separated film counts (20,100)")
    p.add_argument("--repeat", type=int, default=3, help="measured builds per site per N")
    p.add_argument("--facts", type=int, default=60, help="facts per film")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--repo",
        action="append",
        default=[],
        metavar="[LABEL=]PATH",
        help="a checkout whose plugin to build (repeatable; default: this checkout)",
    )
    p.add_argument("--group-size", type=int, default=bl.GROUP_SIZE, help="the plugin's default")
    p.add_argument("--fit-from", type=int, default=100, help="fit time/memory on N >= this")
    p.add_argument("--extrapolate", type=int, default=10_000, help="films to extrapolate to")
    p.add_argument("--markdown-cost", action="store_true", help="time the plain Markdown pass")
    p.add_argument("--allow-mismatch", action="store_true", help="report, do not stop, on them")
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("--workdir", type=Path, help="work here (default: a temp dir, removed)")
    p.add_argument("--keep-sites", action="store_true", help="keep the built sites")
    p.add_argument("--plugin-only", action="store_true", help="no plain site (e.g. 10,000 films)")
    p.add_argument("--no-warmup", action="store_true", help="with --plugin-only: no warm-up")
    p.add_argument("--report", type=Path, help="only print the report of a saved --json file")
    args = p.parse_args(argv)
    if args.report:
        data = json.loads(args.report.read_text(encoding="utf-8"))
        text, _ = report(from_json(data), data.get("build", data), args.fit_from, args.extrapolate)
        print(text)
        return 0
    counts = sorted({int(x) for x in args.films.split(",") if x.strip()})

    cleanup = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="bench-build-")) if cleanup else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    try:
        checkouts = bl.parse_checkouts(args.repo, work)
        sizes = [bench_size(n, args, work, checkouts) for n in counts]
    finally:
        if cleanup:
            shutil.rmtree(work, ignore_errors=True)
    data: dict[str, Any] = {
        "benchmark": "build",
        "machine": bl.machine(),
        "argv": sys.argv[1:] if argv is None else argv,
        "facts_per_film": args.facts,
        "repeat": args.repeat,
        "checkouts": [
            {"label": c.label, "path": str(c.path), "commit": bl.git_describe(c.path)}
            for c in checkouts
        ],
        "sizes": to_json(sizes),
    }
    text, data["extrapolation"] = report(sizes, data, args.fit_from, args.extrapolate)
    data["seconds"] = time.time() - started
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
