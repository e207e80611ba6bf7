"""Benchmark `spoilers check` over a synthetic corpus (a script, not a test).

    .venv/bin/python tests/bench_check.py --films 1000 --facts 60
    .venv/bin/python tests/bench_check.py --films 1000 --facts 60 --profile

Generates the corpus in a temporary directory (tests/synthetic.py), times `check()` over it
(median of --runs runs in this process; the first also compiles the schema), and prints
films, facts, seconds, ms per film, peak RSS, and whether the <= 5 s target is met.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus

from mkdocs_plugins.spoilers.model import Ladder
from mkdocs_plugins.spoilers.validate import check, check_files

TARGET_SECONDS = 5.0


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--films", type=int, default=1000)
    p.add_argument("--facts", type=int, default=60, help="facts per film")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--profile", action="store_true", help="cProfile one run; print the top 25")
    args = p.parse_args(argv)

    ladder = Ladder.from_config(None)
    with tempfile.TemporaryDirectory(prefix="spoilers-bench-") as tmp:
        content = Path(tmp) / "content"
        t0 = time.perf_counter()
        ids = write_corpus(content, args.films, args.facts, seed=args.seed)
        generated = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in (content / "films").iterdir())
        rss_before = peak_rss_mb()

        times = []
        result = None
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = check([], content, ladder)
            times.append(time.perf_counter() - t0)
        assert result is not None
        errors = [d for d in result.diagnostics if d.is_error]
        if errors or len(result.films) != len(ids):
            for d in errors[:20]:
                print(d.human(), file=sys.stderr)
            print(f"the synthetic corpus is not clean: {len(errors)} error(s)", file=sys.stderr)
            return 1
        facts = sum(len(s.facts) for f in result.films for s in f.sections)

        # What `spoilers check` itself runs: no model kept, files spread over every core.
        cli_times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            loaded, diagnostics = check_files([], content, ladder)
            cli_times.append(time.perf_counter() - t0)
        assert loaded == len(ids) and not [d for d in diagnostics if d.is_error]

        median = statistics.median(times)
        cli_median = statistics.median(cli_times)
        print(f"films:          {len(result.films)}")
        print(f"facts:          {facts} ({args.facts} per film)")
        print(f"corpus:         {size / 1e6:.1f} MB of YAML, generated in {generated:.1f} s")
        print(f"check() runs:   {', '.join(f'{t:.2f} s' for t in times)} (one process, model kept)")
        per_film = 1000 * median / len(result.films)
        print(f"median:         {median:.2f} s ({per_film:.2f} ms per film)")
        print(
            f"spoilers check: {', '.join(f'{t:.2f} s' for t in cli_times)} "
            f"({os.cpu_count()} processes, as the CLI runs it)"
        )
        cli_per_film = 1000 * cli_median / len(ids)
        print(f"median:         {cli_median:.2f} s ({cli_per_film:.2f} ms per film)")
        print(f"peak RSS:       {peak_rss_mb():.0f} MB (before checking: {rss_before:.0f} MB)")
        met = "yes" if cli_median <= TARGET_SECONDS else "NO"
        print(f"target: spoilers check <= {TARGET_SECONDS:.0f} s: {met}")

        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            check([], content, ladder)
            prof.disable()
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out)
            stats.sort_stats("cumulative").print_stats(25)
            stats.sort_stats("tottime").print_stats(25)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
