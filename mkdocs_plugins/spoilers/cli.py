"""`spoilers`: check content, audit a built site, scaffold a film. No MkDocs import."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs_plugins.spoilers.diagnostics import CODES, format_all, has_errors
from mkdocs_plugins.spoilers.model import Ladder
from mkdocs_plugins.spoilers.siteconfig import SiteConfigError, read_site_config
from mkdocs_plugins.spoilers.urls import level_file
from mkdocs_plugins.spoilers.validate import check_files


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spoilers", description=__doc__)
    p.add_argument(
        "--config",
        type=Path,
        default=None,
        help="the site's mkdocs.yml (default: ./mkdocs.yml if present)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="validate film files; report every problem")
    c.add_argument(
        "paths", nargs="*", type=Path, help="film files or directories (default: content/films)"
    )
    c.add_argument("--format", choices=("human", "github"), default="human")
    c.add_argument("--list-codes", action="store_true", help="print every diagnostic code")
    c.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes to use for many files (default: one per core)",
    )

    a = sub.add_parser("audit", help="prove a built site leaks nothing above each level")
    a.add_argument("site_dir", type=Path)

    n = sub.add_parser("new", help="scaffold content/films/<film-id>.yml")
    n.add_argument("film_id")
    n.add_argument("--title", default=None)
    n.add_argument("--force", action="store_true", help="overwrite an existing file")
    return p


def run_audit(site_dir: Path, content_dir: Path, ladder: Ladder) -> int:
    """`spoilers audit SITE_DIR`: 0 clean, 1 on any leak, 2 if there is nothing to audit."""
    from mkdocs_plugins.spoilers.audit import audit
    from mkdocs_plugins.spoilers.validate import check

    if not site_dir.is_dir():
        print(f"error: {site_dir} is not a directory (build the site first)", file=sys.stderr)
        return 2
    result = check([], content_dir, ladder)
    if has_errors(result.diagnostics):
        print(format_all(result.diagnostics), file=sys.stderr)
        print("spoilers audit: the content has errors; run `spoilers check`", file=sys.stderr)
        return 2
    if not result.films:
        print(f"error: no films in {content_dir / 'films'}; nothing to audit", file=sys.stderr)
        return 2
    expected = [
        site_dir / level_file(film.id, level, ladder)
        for film in result.films
        for level in ladder.ids
    ]
    if not any(p.is_file() for p in expected):
        print(f"error: {site_dir} has no film pages; is it the built site?", file=sys.stderr)
        return 2
    report = audit(site_dir, result.films, ladder)
    for leak in report.leaks:
        print(leak.line())
    print(report.summary(), file=sys.stderr)
    return 1 if report.leaks else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        site = read_site_config(args.config)
    except SiteConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        if args.list_codes:
            for code, text in CODES.items():
                print(f"{code:32} {text}")
            return 0
        loaded, diagnostics = check_files(args.paths, site.content_dir, site.ladder, args.jobs)
        if diagnostics:
            print(format_all(diagnostics, args.format))
        errors = sum(d.is_error for d in diagnostics)
        warnings = len(diagnostics) - errors
        print(
            f"spoilers check: {loaded} film(s) loaded, {errors} error(s), {warnings} warning(s)",
            file=sys.stderr,
        )
        return 1 if has_errors(diagnostics) else 0
    if args.command == "audit":
        return run_audit(args.site_dir, site.content_dir, site.ladder)
    if args.command == "new":
        from mkdocs_plugins.spoilers.scaffold import scaffold

        return scaffold(args.film_id, site.content_dir, site.ladder, args.title, args.force)
    return 2  # pragma: no cover - argparse enforces the choices
