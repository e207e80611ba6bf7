"""Writer-loop benchmark: how long after a save `mkdocs serve` serves the change.

    .venv/bin/python tests/benchmarks/bench_serve.py                        # N = 10, 100
    .venv/bin/python tests/benchmarks/bench_serve.py --films 10,100,1000 --saves 5 \\
        --json tests/benchmarks/results/serve.json
    .venv/bin/python tests/benchmarks/bench_serve.py --repo before=/tmp/before --repo after=.

For each N and checkout it writes the build benchmark's plugin site (tests/synthetic.py corpus),
starts `python -m mkdocs serve` on a free loopback port in a fresh process group and waits until
the home page answers. Then, one change at a time:

- film save: a unique marker word goes into the first spoiler-free fact of ONE film file (a
  different film each time); the film's page (films/<id>/) is polled over HTTP every 20 ms
  until it contains the marker. Save-to-served is the time from just before the write to the
  first response with the marker;
- mkdocs.yml save: `copyright:` set to a marker (it shows in every page's footer);
- template save: an HTML comment with a marker appended to the plugin template that fills a
  film's page (--template; by default templates/page.html, or film.html in older checkouts).

Every save writes the new file next door and renames it over the old one (as many editors do),
so MkDocs' watcher never catches a half-written file.

While it polls the page it also reads MkDocs' log, to time when MkDocs noticed the change
("Detected file changes") and when the rebuild ended ("Reloading browsers"); then it reads the
server's RSS and peak RSS (VmRSS, VmHWM in /proc) and pauses --settle seconds. The plugin runs
from a copy of the checkout's mkdocs_plugins/ (so the template edit never touches a checkout).
The server's process group is killed on exit, on error and on SIGINT/SIGTERM.

MkDocs' watcher polls the watched trees every 0.5 s and waits 0.1 s for more changes before it
rebuilds: up to about 0.6 s of every save-to-served time is detection, whatever the plugin does.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl
import synthetic

# The plugin template that fills a film's page, first found (it was renamed once).
DEFAULT_TEMPLATES = (
    "mkdocs_plugins/spoilers/templates/page.html",
    "mkdocs_plugins/spoilers/templates/film.html",
)
_BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
_NOTICED = "Detected file changes"
_RELOADED = "Reloading browsers"
_FAILED = "An error happened during the rebuild"

_servers: list[subprocess.Popen[bytes]] = []


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and anything it started: its process group, TERM then KILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, PermissionError):
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _kill_all() -> None:
    while _servers:
        _kill(_servers.pop())


def _on_signal(signum: int, _frame: object) -> None:
    _kill_all()
    raise SystemExit(128 + signum)


@dataclass
class Change:
    kind: str  # film | config | template
    target: str
    served_s: float | None  # save -> first response with the marker (None: not served)
    noticed_s: float | None  # save -> MkDocs logs "Detected file changes"
    reloaded_s: float | None  # save -> MkDocs logs "Reloading browsers" (rebuild done)
    build_s: float | None  # MkDocs' own "Documentation built in" (None: its log dropped it)
    rss_mb: float
    hwm_mb: float
    cpu_s: float | None = None  # CPU time the server used from the save to the end of the rebuild

    @property
    def rebuild_s(self) -> float | None:
        """Noticed -> reloaded: the rebuild, plus MkDocs' 0.1 s wait for more changes."""
        if self.noticed_s is None or self.reloaded_s is None:
            return None
        return self.reloaded_s - self.noticed_s

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "rebuild_s": self.rebuild_s}


@dataclass
class Session:
    films: int
    label: str
    port: int = 0
    startup_s: float = 0.0  # process start -> home page served (includes the first build)
    startup_cpu_s: float | None = None  # the server's CPU time until it first answered
    first_build_s: float | None = None
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def served(self, kind: str) -> list[float]:
        return [c.served_s for c in self.changes if c.kind == kind and c.served_s is not None]

    def figures(self, kind: str, key: str) -> list[float]:
        values = (getattr(c, key) for c in self.changes if c.kind == kind)
        return [v for v in values if v is not None]

    def as_dict(self) -> dict[str, Any]:
        return {
            "films": self.films,
            "label": self.label,
            "port": self.port,
            "startup_s": self.startup_s,
            "startup_cpu_s": self.startup_cpu_s,
            "first_build_s": self.first_build_s,
            "changes": [c.as_dict() for c in self.changes],
            "notes": self.notes,
        }


class Server:
    def __init__(self, site: Path, env: dict[str, str], log: Path) -> None:
        self.port = bl.free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self._fh = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=site,
            env=env,
            stdout=self._fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one
        )
        _servers.append(self.proc)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as r:
                return str(r.read().decode("utf-8", errors="replace"))
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None

    def wait_ready(self, timeout: float) -> float:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"mkdocs serve exited ({self.proc.returncode}):\n{self.text()}")
            if self.get("") is not None:
                return time.perf_counter() - t0
            time.sleep(0.05)
        raise SystemExit(f"mkdocs serve did not answer within {timeout:.0f} s")

    def cpu(self) -> float | None:
        """User + system CPU seconds of the server process so far (/proc/<pid>/stat)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory(self) -> tuple[float, float]:
        """(VmRSS, VmHWM) of the server process, MiB."""
        values = {"VmRSS": 0.0, "VmHWM": 0.0}
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                key = line.split(":", 1)[0]
                if key in values:
                    values[key] = int(line.split()[1]) / 1024
        except OSError:
            pass
        return values["VmRSS"], values["VmHWM"]

    def stop(self) -> None:
        _kill(self.proc)
        if self.proc in _servers:
            _servers.remove(self.proc)
        self._fh.close()


def atomic_write(path: Path, text: str, scratch: Path) -> None:
    """Replace `path` in one step (written next door, then renamed over it), so the watcher
    never sees a half-written file: one save, one rebuild."""
    tmp = scratch / f".{path.name}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def timed_change(
    server: Server,
    kind: str,
    target: str,
    write: Any,
    page: str,
    marker: str,
    timeout: float,
) -> Change:
    """Apply `write()`; poll `page` until it serves `marker` and MkDocs' log until the rebuild
    is over (the page can be served before the rest of the site is written), every 20 ms."""
    log_before = server.text()
    counts = {k: log_before.count(k) for k in (_NOTICED, _RELOADED, _FAILED)}
    seen: dict[str, float] = {}
    served: float | None = None
    cpu0 = server.cpu()
    t0 = time.perf_counter()
    write()
    while time.perf_counter() - t0 < timeout:
        now = time.perf_counter() - t0
        log = server.text()
        for key, before in counts.items():
            if key not in seen and log.count(key) > before:
                seen[key] = now
        if served is None:
            body = server.get(page)
            if body is not None and marker in body:
                served = time.perf_counter() - t0
        if (served is not None and _RELOADED in seen) or _FAILED in seen:
            break
        if server.proc.poll() is not None:
            break
        time.sleep(0.02)
    # MkDocs' logger drops a message equal to an earlier one, such as a second "built in 0.49".
    built = _BUILT.findall(server.text()[len(log_before) :])
    rss, hwm = server.memory()
    cpu1 = server.cpu()
    return Change(
        kind,
        target,
        served,
        seen.get(_NOTICED),
        seen.get(_RELOADED),
        float(built[-1]) if built else None,
        rss,
        hwm,
        cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None,
    )


def run_session(
    n: int, co: bl.Checkout, args: argparse.Namespace, work: Path, ids: list[str], site: Path
) -> Session:
    session = Session(n, co.label)
    pkg = work / f"pkg-{co.label}"
    shutil.rmtree(pkg, ignore_errors=True)
    shutil.copytree(
        co.path / "mkdocs_plugins",
        pkg / "mkdocs_plugins",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    env = {
        **co.env(),
        "PYTHONPATH": os.pathsep.join(str(p) for p in (co.shim, pkg) if p is not None),
    }
    config = site / "mkdocs.yml"
    config_text = config.read_text(encoding="utf-8")
    say(f"N={n} ({co.label}): starting mkdocs serve")
    server = Server(site, env, work / f"serve-n{n}-{co.label}.log")
    session.port = server.port
    try:
        session.startup_s = server.wait_ready(args.timeout)
        session.startup_cpu_s = server.cpu()
        built = _BUILT.findall(server.text())
        session.first_build_s = float(built[0]) if built else None
        say(f"N={n} ({co.label}): served after {session.startup_s:.2f} s")
        time.sleep(args.settle)
        films_dir = site.parent / "content" / "films"
        # Markers never seen before: the page cannot show one before the save.
        stamp = f"{os.getpid() % 1000:03d}{len(_servers)}{int(time.time() * 1000) % 100000:05d}"
        for k in range(args.saves):
            fid = ids[(k * max(1, n // max(1, args.saves)) + k) % n]
            path = films_dir / f"{fid}.yml"
            original = path.read_text(encoding="utf-8")
            marker = f"zqfilm{stamp}x{k:03d}"
            text = synthetic.with_marker(original, marker)
            c = timed_change(
                server,
                "film",
                fid,
                lambda p=path, t=text: atomic_write(p, t, work),
                f"films/{fid}/",
                marker,
                args.timeout,
            )
            session.changes.append(c)
            say(
                f"  film save {k + 1}: served {fmt(c.served_s)}, noticed {fmt(c.noticed_s)}, "
                f"rebuilt {fmt(c.rebuild_s)}, CPU {fmt(c.cpu_s)}"
            )
            settle(server, args.settle, args.timeout)
        page = f"films/{ids[0]}/"
        for k in range(args.config_saves):
            marker = f"zqconf{stamp}x{k:03d}"
            text = config_text + f"copyright: {marker}\n"
            c = timed_change(
                server,
                "config",
                "mkdocs.yml",
                lambda t=text: atomic_write(config, t, work),
                page,
                marker,
                args.timeout,
            )
            session.changes.append(c)
            say(f"  mkdocs.yml save {k + 1}: served {fmt(c.served_s)}")
            settle(server, args.settle, args.timeout)
        candidates = [args.template] if args.template else list(DEFAULT_TEMPLATES)
        found = [c for c in candidates if (pkg / c).is_file()]
        template = pkg / (found[0] if found else candidates[0])
        if args.template_saves and not found:
            session.notes.append(f"template saves skipped: no {candidates} in {co.path}")
        elif args.template_saves:
            original_template = template.read_text(encoding="utf-8")
            for k in range(args.template_saves):
                marker = f"zqtmpl{stamp}x{k:03d}"
                text = original_template + f"\n<!-- {marker} -->\n"
                c = timed_change(
                    server,
                    "template",
                    template.relative_to(pkg).as_posix(),
                    lambda t=text: atomic_write(template, t, work),
                    page,
                    marker,
                    args.timeout,
                )
                session.changes.append(c)
                say(f"  template save {k + 1}: served {fmt(c.served_s)}")
                settle(server, args.settle, args.timeout)
    finally:
        server.stop()
        config.write_text(config_text, encoding="utf-8")
    return session


def settle(server: Server, pause: float, timeout: float) -> None:
    """Pause, then wait for any rebuild that the pause's changes started (restored files)."""
    time.sleep(pause)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        log = server.text()
        last_change = log.rfind(_NOTICED)
        if last_change < 0 or max(log.rfind(_RELOADED), log.rfind(_FAILED)) > last_change:
            return
        time.sleep(0.1)


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.2f} s"
    return f"{bl.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def table(sessions: list[Session]) -> str:
    head = (
        "| films | checkout | start to served (CPU) | film save to served | noticed after "
        "| rebuild | rebuild CPU | mkdocs.yml save to served (CPU) "
        "| template save to served (CPU) | server RSS (peak) |\n"
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = []
    for s in sessions:
        hwm = max((c.hwm_mb for c in s.changes), default=0.0)
        rss = s.changes[-1].rss_mb if s.changes else 0.0
        missed = sum(1 for c in s.changes if c.served_s is None)
        start_cpu = f" ({s.startup_cpu_s:.2f} s)" if s.startup_cpu_s is not None else ""

        def with_cpu(kind: str, s: Session = s) -> str:
            cpu = s.figures(kind, "cpu_s")
            return spread(s.served(kind)) + (f" ({bl.median(cpu):.2f} s)" if cpu else "")

        rows.append(
            f"| {s.films:,} | {s.label} | {s.startup_s:.2f} s{start_cpu} "
            f"| {spread(s.served('film'))} | {spread(s.figures('film', 'noticed_s'))} "
            f"| {spread(s.figures('film', 'rebuild_s'))} | {spread(s.figures('film', 'cpu_s'))} "
            f"| {with_cpu('config')} | {with_cpu('template')} | {rss:,.0f} MB ({hwm:,.0f} MB) |"
            + (f" {missed} change(s) never served" if missed else "")
        )
    return "\n".join([head, *rows])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--films", default="10,100", help="comma-separated film counts (10,100)")
    p.add_argument("--saves", type=int, default=5, help="film saves per N (median)")
    p.add_argument("--config-saves", type=int, default=2, help="mkdocs.yml saves per N")
    p.add_argument("--template-saves", type=int, default=2, help="plugin template saves per N")
    p.add_argument(
        "--template",
        default=None,
        help="plugin template to edit, relative to the checkout (default: the film page's)",
    )
    p.add_argument("--facts", type=int, default=60, help="facts per film")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--settle", type=float, default=1.0, help="pause after each rebuild (s)")
    p.add_argument("--timeout", type=float, default=1800.0, help="per wait (s)")
    p.add_argument(
        "--repo",
        action="append",
        default=[],
        metavar="[LABEL=]PATH",
        help="a checkout whose plugin to serve (repeatable; default: this checkout)",
    )
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("--workdir", type=Path, help="work here (default: a temp dir, removed)")
    args = p.parse_args(argv)
    counts = sorted({int(x) for x in args.films.split(",") if x.strip()})

    atexit.register(_kill_all)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    cleanup = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="bench-serve-")) if cleanup else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sessions: list[Session] = []
    try:
        checkouts = bl.parse_checkouts(args.repo, work)
        for n in counts:
            root = work / f"n{n}"
            shutil.rmtree(root, ignore_errors=True)
            for co in checkouts:
                # Every checkout starts from the same, untouched site (saves are not undone).
                shutil.rmtree(root, ignore_errors=True)
                ids = bl.write_corpus(root / "content", n, args.facts, args.seed)
                bl.write_plugin_site(root / "site", root / "content")
                sessions.append(run_session(n, co, args, work, ids, root / "site"))
    finally:
        _kill_all()
        if cleanup:
            shutil.rmtree(work, ignore_errors=True)
    info = bl.machine()
    print("## Writer loop: save to served with `mkdocs serve`\n")
    print(bl.machine_line(info) + "\n")
    for co in checkouts:
        print(f"Checkout `{co.label}`: {co.path} ({bl.git_describe(co.path)})\n")
    print(table(sessions))
    print(
        f"\nMedians (min-max) of {args.saves} film saves, {args.config_saves} mkdocs.yml saves "
        f"and {args.template_saves} template saves per row; {args.facts} facts per film. "
        "For the film saves: noticed after = save to MkDocs logging 'Detected file changes' "
        "(its watcher polls every 0.5 s); rebuild = from then to 'Reloading browsers' (its "
        "0.1 s wait for more changes, then the whole build); rebuild CPU = the server's CPU "
        "time over the save (less sensitive to other load on the machine than wall time)."
    )
    for s in sessions:
        for note in s.notes:
            print(f"\nN={s.films} ({s.label}): {note}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "benchmark": "serve",
                    "machine": info,
                    "argv": sys.argv[1:] if argv is None else argv,
                    "checkouts": [
                        {"label": c.label, "path": str(c.path), "commit": bl.git_describe(c.path)}
                        for c in checkouts
                    ],
                    "sessions": [s.as_dict() for s in sessions],
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
