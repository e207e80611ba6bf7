"""What the gate (issue 15) costs a reader, against the design before it. A script, not a test:

    .venv/bin/python tests/browser/bench_reveal.py                  # 9 runs, level "ending"
    .venv/bin/python tests/browser/bench_reveal.py --runs 15 --json figures.json

Two sites are built and served as the browser tests serve them (serving.py: under
/spoilers-site/, with GitHub Pages' `Cache-Control: max-age=600`):

  new  this checkout's site (mkdocs.yml, docs/, content/): a level's address is a gate, and
       "Show me" (or a remembered choice) fetches the level's text from reveal.html beside it;
  old  the site at --old-commit (default f2b294b, the last design with the whole level text in
       the page, hidden by CSS until "Show me"), taken with `git archive` into a temporary
       directory (no worktree: nothing under .git changes) and built with this Python, that
       checkout's plugin first on PYTHONPATH. Its content is that commit's, so the pages differ
       in text as well as in design: the HTML sizes are printed beside the figures.

In the Chromium the browser tests use, for each design:

  confirming reader  a fresh browser opens a shared link to the level and chooses "Show me";
                     every request the page makes (Material's search worker's are not seen by
                     the page and are the same in both designs) until the text is shown and the
                     network is idle: how many went to the network, and their bytes;
  returning reader   the level was chosen before and the site's files are cached (the
                     spoiler-free page was opened first); opening the level's address: the same
                     counts, and the time from navigation start to the first frame in which a
                     section heading of that level is displayed (sampler.js), as the median of
                     --runs runs (designs interleaved), with the ratio new/old.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:  # run as a file: run as tests.browser.bench_reveal
    import runpy

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    runpy.run_module("tests.browser.bench_reveal", run_name="__main__", alter_sys=True)
    raise SystemExit(0)

import yaml
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from .serving import CHROMIUM_ARGS, find_browser, run_build, serve_dir
from .support import REPO, SAMPLER

FILM = "ballerina-2023"
OLD_COMMIT = "f2b294b"
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


@dataclass
class Design:
    name: str
    root: str  # served URL of the site root
    out: Path  # the built site
    sentinel: str  # CSS selector of a section heading graded at the level
    first_url: str = ""
    level_url: str = ""

    def html_files(self, level: str) -> list[Path]:
        """The HTML a reader of `level` receives: the page, and reveal.html where there is one."""
        here = self.out / "films" / FILM / level
        return [p for p in (here / "index.html", here / "reveal.html") if p.is_file()]


@dataclass
class Visit:
    requests: int = 0  # answered by the network
    html_requests: int = 0  # of which HTML (the page; the gate's reveal.html)
    cached: int = 0  # answered from the browser's cache
    bytes: int = 0  # received from the network, headers included
    html: int = 0  # of which HTML (documents and fetched pages), decoded
    text_ms: float | None = None  # navigation start -> level text displayed
    gate_seen: bool = False


@dataclass
class Figures:
    level: str
    runs: int
    old_commit: str
    html_sizes: dict[str, dict[str, int]] = field(default_factory=dict)
    confirming: dict[str, Visit] = field(default_factory=dict)
    returning: dict[str, Visit] = field(default_factory=dict)
    times: dict[str, list[float]] = field(default_factory=dict)

    def median(self, design: str) -> float:
        return statistics.median(self.times[design])

    @property
    def ratio(self) -> float:
        return self.median("new") / self.median("old")


# --- the two sites ---------------------------------------------------------------------------


def _sentinel(content: Path, level: str) -> str:
    film = yaml.safe_load((content / "films" / f"{FILM}.yml").read_text(encoding="utf-8"))
    ids = [s["id"] for s in film["sections"] if s["level"] == level]
    if not ids:
        raise SystemExit(f"{content}: no section graded at {level}")
    return f"h2#{ids[0]}"


def _build(src: Path, out: Path, root: str, pythonpath: str | None = None) -> None:
    run_build(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        src,
        root,
        pythonpath,
    )


@contextmanager
def sites(work: Path, level: str, old_commit: str) -> Iterator[dict[str, Design]]:
    """Both sites, built and served; yields {"old": ..., "new": ...}."""
    old_src = work / "old-src"
    old_src.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", old_commit],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old_src)], input=archive, check=True, timeout=120)
    with ExitStack() as stack:
        designs: dict[str, Design] = {}
        for name, src, pythonpath in (("old", old_src, str(old_src)), ("new", REPO, None)):
            out = work / f"out-{name}"
            root, start = stack.enter_context(serve_dir(out))
            _build(src, out, root, pythonpath)
            start()
            design = Design(name, root, out, _sentinel(src / "content", level))
            design.first_url = f"{root}films/{FILM}/"
            design.level_url = f"{root}films/{FILM}/{level}/"
            designs[name] = design
        yield designs


# --- one visit -------------------------------------------------------------------------------


class NetLog:
    """Every request the page makes, from Chrome's own network events (DevTools protocol)."""

    def __init__(self, page: Page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.seen: dict[str, dict[str, Any]] = {}
        self.before: set[str] = set()  # begun before reset(): not this visit's
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestServedFromCache", self._from_cache)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.dataReceived", self._data)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.send("Network.enable")

    def _entry(self, event: dict[str, Any]) -> dict[str, Any]:
        fresh: dict[str, Any] = {
            "cached": False,
            "bytes": 0,
            "decoded": 0,
            "html": False,
            "done": False,
            "answered": False,
            "failed": False,
        }
        key = str(event["requestId"])
        if key in self.before:
            return fresh  # recorded nowhere
        return self.seen.setdefault(key, fresh)

    def _sent(self, event: dict[str, Any]) -> None:
        url = str(event["request"]["url"])
        if url.startswith("data:") or url.endswith("/favicon.png"):
            # Inline images, and the browser's own favicon request: neither is the page's.
            self.before.add(str(event["requestId"]))
            return
        self._entry(event)["url"] = url

    def _from_cache(self, event: dict[str, Any]) -> None:
        entry = self._entry(event)
        entry["cached"] = entry["answered"] = True

    def _response(self, event: dict[str, Any]) -> None:
        entry, response = self._entry(event), event["response"]
        entry["answered"] = True
        entry["html"] = response.get("mimeType") == "text/html"
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            entry["cached"] = True

    def _data(self, event: dict[str, Any]) -> None:
        self._entry(event)["decoded"] += int(event.get("dataLength", 0))

    def _failed(self, event: dict[str, Any]) -> None:
        entry = self._entry(event)
        entry["done"] = entry["failed"] = True

    def _finished(self, event: dict[str, Any]) -> None:
        entry = self._entry(event)
        entry["bytes"] = int(event.get("encodedDataLength", 0))
        entry["done"] = True

    def _answered(self) -> list[dict[str, Any]]:
        """Requests this page saw answered (a worker's script request is seen, but its answer
        goes to the worker)."""
        return [e for e in self.seen.values() if e["answered"]]

    def visit(self) -> Visit:
        v = Visit()
        for entry in self._answered():
            if entry["failed"]:  # cancelled by the next navigation
                continue
            if entry["cached"] or not entry["bytes"]:
                v.cached += 1
                continue
            v.requests += 1
            v.bytes += entry["bytes"]
            if entry["html"]:
                v.html_requests += 1
                v.html += entry["decoded"]
        return v

    def reset(self) -> None:
        self.before |= set(self.seen)
        self.seen.clear()

    def settle(self, page: Page, quiet_ms: int = 300) -> None:
        """Until the page has loaded, every request seen has finished and none has begun for
        `quiet_ms` (Material asks for some files after DOMContentLoaded, the sitemap for one)."""
        page.wait_for_load_state("load")
        count, still = -1, 0
        for _ in range(400):
            page.wait_for_timeout(25)  # lets the protocol's events arrive
            busy = not all(e["done"] or e["cached"] for e in self._answered())
            still = 0 if busy or len(self.seen) != count else still + 25
            count = len(self.seen)
            if still >= quiet_ms:
                return


def _context_page(browser: Browser, design: Design, chosen: str | None) -> Page:
    context = browser.new_context(viewport=VIEWPORT)
    script = (
        f"try {{ sessionStorage.setItem('spoilers-sampler:text', {json.dumps(design.sentinel)})"
    )
    if chosen:
        script += f"; localStorage.setItem('spoilers:{FILM}', {json.dumps(chosen)})"
    context.add_init_script(script + " } catch (e) {}")
    context.add_init_script(path=SAMPLER)
    return context.new_page()


def _text_shown(page: Page) -> float:
    page.wait_for_function("window.__spoilersSampler && window.__spoilersSampler.text !== null")
    return float(page.evaluate("window.__spoilersSampler.text"))


def confirming(browser: Browser, design: Design) -> Visit:
    page = _context_page(browser, design, None)
    log = NetLog(page)
    page.goto(design.level_url)
    page.locator(".spoilers-gate").get_by_text("Show me", exact=True).click()
    _text_shown(page)
    log.settle(page)
    visit = log.visit()
    page.context.close()
    return visit


def returning(browser: Browser, design: Design, level: str) -> Visit:
    page = _context_page(browser, design, level)
    log = NetLog(page)
    page.goto(design.first_url)  # the site's files are now in the cache
    log.settle(page)
    log.reset()
    page.goto(design.level_url)
    visit_ms = _text_shown(page)
    log.settle(page)
    visit = log.visit()
    visit.text_ms = visit_ms
    visit.gate_seen = bool(page.evaluate("window.__spoilersSampler.gate"))
    page.context.close()
    return visit


# --- the run ---------------------------------------------------------------------------------


def _sizes(files: list[Path]) -> dict[str, int]:
    return {
        "raw": sum(p.stat().st_size for p in files),
        "gzip": sum(len(gzip.compress(p.read_bytes())) for p in files),
        "files": len(files),
    }


def measure(designs: dict[str, Design], level: str, runs: int, old_commit: str) -> Figures:
    figures = Figures(level, runs, old_commit)
    for name, design in designs.items():
        figures.html_sizes[name] = _sizes(design.html_files(level))
    figures.html_sizes["gate"] = _sizes(designs["new"].html_files(level)[:1])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=find_browser(), args=CHROMIUM_ARGS, headless=True
        )
        for name, design in designs.items():
            figures.confirming[name] = confirming(browser, design)  # also warms the browser up
            figures.times[name] = []
        for _ in range(runs):
            for name, design in designs.items():  # interleaved, so drift hits both alike
                visit = returning(browser, design, level)
                assert visit.text_ms is not None
                if name == "new" and visit.gate_seen:
                    raise SystemExit("the gate was shown to a returning reader")
                figures.returning.setdefault(name, visit)  # the counts: the first run's
                figures.times[name].append(visit.text_ms)
        browser.close()
    return figures


def _kb(n: float) -> str:
    return f"{n / 1000:.1f} kB"


def table(f: Figures) -> list[str]:
    lines = [
        f"Issue 15: the gate against the design before it ({f.old_commit}), level {f.level!r}",
        "",
        "| reader | design | network requests | of which HTML | bytes received | of which HTML |",
        "|---|---|---|---|---|---|",
    ]
    for reader, visits in (("confirming", f.confirming), ("returning", f.returning)):
        for name in ("old", "new"):
            v = visits[name]
            lines.append(
                f"| {reader} | {name} | {v.requests} | {v.html_requests} | {_kb(v.bytes)} "
                f"| {_kb(v.html)} |"
            )
        old, new = visits["old"], visits["new"]
        lines.append(
            f"| {reader} | new - old | {new.requests - old.requests:+d} "
            f"| {new.html_requests - old.html_requests:+d} "
            f"| {(new.bytes - old.bytes) / 1000:+.1f} kB | {(new.html - old.html) / 1000:+.1f} kB |"
        )
    lines += [
        "",
        "| design | HTML files | raw | gzip |",
        "|---|---|---|---|",
    ]
    for name in ("old", "new"):
        h = f.html_sizes[name]
        lines.append(f"| {name} | {h['files']} | {_kb(h['raw'])} | {_kb(h['gzip'])} |")
    g = f.html_sizes["gate"]
    lines += [
        f"| new: the gate page alone | 1 | {_kb(g['raw'])} | {_kb(g['gzip'])} |",
        "",
        "The two designs' content differs (each commit's own film file). For the same text the",
        "new design adds the gate page: reveal.html is the old page's frame and text without the",
        "hidden gate, so the gate page's size is what a confirming or returning reader pays extra.",
    ]
    lines += [
        "",
        f"Returning reader, navigation start -> text displayed (median of {f.runs}):",
        f"  old {f.median('old'):.0f} ms, new {f.median('new'):.0f} ms, "
        f"ratio new/old {f.ratio:.2f}",
        f"  old runs: {' '.join(f'{t:.0f}' for t in f.times['old'])}",
        f"  new runs: {' '.join(f'{t:.0f}' for t in f.times['new'])}",
    ]
    return lines


def summary(f: Figures) -> list[str]:
    """One line per figure, for the test run's summary (tests/reporting.py)."""
    c, r = f.confirming, f.returning
    return [
        f"gate vs {f.old_commit}, confirming reader ({f.level}): "
        f"{c['new'].html_requests - c['old'].html_requests:+d} HTML request(s), "
        f"{(c['new'].bytes - c['old'].bytes) / 1000:+.1f} kB "
        f"(old {c['old'].requests} req {_kb(c['old'].bytes)}, "
        f"new {c['new'].requests} req {_kb(c['new'].bytes)})",
        f"gate vs {f.old_commit}: the gate page, what the new design adds for the same text: "
        f"{_kb(f.html_sizes['gate']['raw'])} ({_kb(f.html_sizes['gate']['gzip'])} gzipped), "
        "1 request",
        f"gate vs {f.old_commit}, returning reader ({f.level}): "
        f"{r['new'].html_requests - r['old'].html_requests:+d} HTML request(s), "
        f"{(r['new'].bytes - r['old'].bytes) / 1000:+.1f} kB; text shown after "
        f"{f.median('new'):.0f} ms vs {f.median('old'):.0f} ms, new/old {f.ratio:.2f} "
        f"(median of {f.runs})",
    ]


def main(argv: list[str] | None = None, report: Callable[[str], None] = print) -> Figures:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--runs", type=int, default=9, help="timed runs per design (default 9)")
    p.add_argument("--level", default="ending", help="the level opened (default ending)")
    p.add_argument(
        "--old-commit", default=OLD_COMMIT, help=f"the old design (default {OLD_COMMIT})"
    )
    p.add_argument("--workdir", type=Path, help="build here (default: a temporary directory)")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    with ExitStack() as stack:
        work = args.workdir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        designs = stack.enter_context(sites(work, args.level, args.old_commit))
        figures = measure(designs, args.level, args.runs, args.old_commit)
    for line in table(figures):
        report(line)
    if args.json:
        args.json.write_text(json.dumps(asdict(figures), indent=2), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
