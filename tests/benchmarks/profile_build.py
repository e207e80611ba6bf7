"""Where a plugin build spends its time (cProfile) and its memory (RSS per stage, tracemalloc).

    .venv/bin/python tests/benchmarks/profile_build.py                      # 100 films, time only
    .venv/bin/python tests/benchmarks/profile_build.py --films 100 --memory-films 1000 \\
        --out tests/benchmarks/results/profile.md

Time: one warm-up build, then `python -m cProfile -o build.pstats -m mkdocs build` of the build
benchmark's plugin site (tests/synthetic.py corpus). The report groups every function's own
time by where its code lives (plugin module or template, Material templates, search, MkDocs,
Python-Markdown, Jinja2, other libraries), lists the plugin's hooks and its top functions by
cumulative and own time, and charges library time to the plugin: a function's own time counts
as the plugin's in the share of its callers' time that came from plugin code (propagated down
the call graph, gprof-style: an estimate where one function is called both from the plugin and
from elsewhere).

Memory (--memory-films N): a hooks file (MkDocs `hooks:`, public API; the plugin is not
touched) records the process's RSS and peak RSS after each stage (config, files, nav, env: every
page's Markdown and HTML in memory, post_build), for the plugin's site and for the plain site
of the build benchmark at the same N. Then one more plugin build under tracemalloc (25 frames)
summarises, after the plugin's on_files and after all pages are populated (on_env), the live
Python allocations by file, and by the innermost plugin frame that led to them.

Everything runs in fresh `python -m mkdocs` processes with the checkout on PYTHONPATH (--repo).
"""

from __future__ import annotations

import argparse
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl

Func = tuple[str, int, str]

HOOKS = """\
\"\"\"Benchmark hooks: RSS after each build stage; on request a tracemalloc summary or the
deep size of the plugin's own objects, then exit.\"\"\"
import gc, json, os, sys, time, tracemalloc, types

OUT = os.environ["BENCH_HOOKS_OUT"]
PLUGIN = os.environ.get("BENCH_PLUGIN_DIR", "/mkdocs_plugins/spoilers/")
SNAP = os.environ.get("BENCH_SNAPSHOT", "")  # stage after which to summarise tracemalloc
MODEL = os.environ.get("BENCH_MODEL", "")  # stage after which to measure the plugin's objects
T0 = time.perf_counter()
_SKIP = (type, types.ModuleType, types.FunctionType, types.CodeType, types.BuiltinFunctionType)


def _status():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(line.split()[1]) / 1024
    return out


def _summary(snap, top=25):
    by_file = [
        {"file": s.traceback[-1].filename, "mb": s.size / 2**20, "count": s.count}
        for s in snap.statistics("filename")[:top]
    ]
    plugin, plugin_total, total = {}, 0, 0
    for s in snap.statistics("traceback"):
        total += s.size
        for frame in reversed(s.traceback):
            if frame.filename.startswith("<frozen importlib"):
                plugin["(imports)"] = plugin.get("(imports)", 0) + s.size
                break
            if PLUGIN in frame.filename:
                key = f"{frame.filename.split(PLUGIN, 1)[1]}:{frame.lineno}"
                plugin[key] = plugin.get(key, 0) + s.size
                plugin_total += s.size
                break
    imports = plugin.pop("(imports)", 0)
    by_file_plugin = {}
    for key, size in plugin.items():
        f = key.rsplit(":", 1)[0]
        by_file_plugin[f] = by_file_plugin.get(f, 0) + size
    top_lines = sorted(plugin.items(), key=lambda kv: -kv[1])[:top]
    return {
        "total_mb": total / 2**20,
        "plugin_mb": plugin_total / 2**20,
        "imports_mb": imports / 2**20,
        "by_file": by_file,
        "by_plugin_line": [{"where": k, "mb": v / 2**20} for k, v in top_lines],
        "by_plugin_file": [
            {"where": k, "mb": v / 2**20}
            for k, v in sorted(by_file_plugin.items(), key=lambda kv: -kv[1])
        ],
    }


def _size(obj, seen):
    \"\"\"Bytes of obj and everything it reaches that `seen` does not hold yet.\"\"\"
    total, stack = 0, [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, _SKIP):
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        stack.extend(gc.get_referents(o))
    return total


def _fields(obj):
    if hasattr(obj, "__dict__"):
        return list(vars(obj).items())
    slots = [s for k in type(obj).__mro__ for s in getattr(k, "__slots__", ())]
    return [(s, getattr(obj, s)) for s in slots if hasattr(obj, s)]


def _elements(value):
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


def _breakdown(items, seen, depth):
    \"\"\"Sizes per field name over a list of objects (deepest first: shared objects go to the
    first field that reaches them), and the same for the fields' own objects.\"\"\"
    names = [n for n, _ in _fields(items[0])] if items else []
    sizes, children = {}, {}
    for name in names:
        values = [getattr(obj, name, None) for obj in items]
        if depth > 0:
            inner = [e for v in values for e in _elements(v) if _fields(e)]
            if inner:
                children[name] = _breakdown(inner, seen, depth - 1)
        own = sum(_size(v, seen) for v in values)
        sizes[name] = own + (sum(children[name]["sizes"].values()) if name in children else 0)
    return {"count": len(items), "sizes": sizes, "children": children}


def _model(config):
    seen = set()
    out = []
    for name, plugin in config.plugins.items():
        module = type(plugin).__module__
        if isinstance(plugin, types.ModuleType) or module.startswith(("mkdocs.", "material.")):
            continue
        attrs = {}
        for attr, value in _fields(plugin):
            elements = [e for e in _elements(value) if _fields(e)]
            detail = _breakdown(elements, seen, 2) if elements else None
            size = _size(value, seen) + (sum(detail["sizes"].values()) if detail else 0)
            attrs[attr] = {"bytes": size, "detail": detail}
        out.append({"plugin": name, "class": module + "." + type(plugin).__name__, "attrs": attrs})
    return out


def _record(event, config=None):
    rec = {"event": event, "t": time.perf_counter() - T0, **_status()}
    done = False
    if tracemalloc.is_tracing():
        cur, peak = tracemalloc.get_traced_memory()
        rec["traced_mb"], rec["traced_peak_mb"] = cur / 2**20, peak / 2**20
        if event == SNAP:
            rec["snapshot"] = _summary(tracemalloc.take_snapshot())
            done = True
    if event == MODEL and config is not None:
        t = time.perf_counter()
        rec["model"] = _model(config)
        rec["model_seconds"] = time.perf_counter() - t
        done = True
    with open(OUT, "a") as f:
        f.write(json.dumps(rec) + "\\n")
    if done:
        os._exit(0)  # what was asked for is measured; the rest of the build would be skewed


def on_config(config, **kwargs):
    _record("config", config)


def on_files(files, config, **kwargs):
    _record("files", config)


def on_nav(nav, config, **kwargs):
    _record("nav", config)


def on_env(env, config, **kwargs):
    _record("env", config)


def on_post_build(config, **kwargs):
    _record("post_build", config)
"""

STAGES = {
    "config": "config loaded (imports done)",
    "files": "after on_files (the plugin has loaded, validated and rendered the corpus)",
    "nav": "after on_nav",
    "env": "after every page's content is built (on_env)",
    "post_build": "after every page is written and the search index (on_post_build)",
}


# --- time ----------------------------------------------------------------------------------


_IMPORT_BUILTINS = {
    "<built-in method builtins.exec>",
    "<built-in method _imp.create_dynamic>",
    "<built-in method _imp.exec_dynamic>",
    "<built-in method marshal.loads>",
    "<built-in method builtins.__import__>",
}


def group_of(filename: str, func: str, plugin_root: str) -> str:
    f = filename.replace("\\", "/")
    if func == "<module>" or f.startswith("<frozen importlib") or func in _IMPORT_BUILTINS:
        return "imports"
    if plugin_root in f:
        rel = f.split(plugin_root, 1)[1]
        if "/templates/" in rel or rel.endswith(".html"):
            return "plugin: templates (Jinja)"
        return "plugin: " + rel.rsplit("/", 1)[-1]
    if f == "~":
        name = func.strip("<>").replace("built-in method ", "").replace("method ", "")
        return "built-in: " + name.split(" of ")[0]
    for marker, label in (
        ("/material/templates/", "Material templates (Jinja)"),
        ("/material/plugins/search/", "search (Material)"),
        ("/mkdocs/contrib/search/", "search (MkDocs)"),
        ("/material/", "Material (Python)"),
        ("/mkdocs/", "MkDocs"),
        ("/markdown/", "Python-Markdown"),
        ("/jinja2/", "Jinja2 runtime"),
        ("/markupsafe/", "MarkupSafe"),
        ("/yaml/", "PyYAML"),
        ("/markdown_it/", "markdown-it-py"),
        ("/fastjsonschema", "fastjsonschema"),
        ("/jsonschema", "jsonschema"),
        ("/nh3", "nh3"),
        ("/pymdownx/", "pymdown-extensions"),
        ("/babel/", "Babel"),
        ("/regex/", "regex"),
    ):
        if marker in f:
            return label
    if "site-packages/" in f:
        return f.split("site-packages/", 1)[1].split("/", 1)[0]
    if f == "<string>":
        return "generated code (dataclass methods, schema validator)"
    if f.startswith("<"):
        return "interpreter"
    return "stdlib: " + Path(f).stem


# Never charged to the plugin, whoever calls them: the import machinery (a hub every import goes
# through, so shares would leak from the plugin's imports into everyone's), and code the plugin
# never calls (Material's templates, search). Import time is reported as its own group.
_NEVER = ("Material templates (Jinja)", "search (Material)", "search (MkDocs)", "imports")


def plugin_share(stats: dict[Func, Any], groups: dict[Func, str]) -> dict[Func, float]:
    """Share of each function's time that the plugin's code called for (0..1)."""
    fixed = {f: "plugin" for f, g in groups.items() if g.startswith("plugin:")}
    fixed |= {f: "other" for f, g in groups.items() if g in _NEVER}
    split = propagate(stats, fixed, "other")
    return {f: split[f].get("plugin", 0.0) for f in stats}


def short(func: Func, plugin_root: str) -> str:
    filename, line, name = func
    if filename == "~":
        return name
    f = filename.replace("\\", "/")
    if plugin_root in f:
        f = "spoilers/" + f.split(plugin_root, 1)[1]
    elif "site-packages/" in f:
        f = f.split("site-packages/", 1)[1]
    else:
        f = Path(f).name
    return f"{f}:{line} {name}"


_OWNERS = (
    "Material templates (Jinja)",
    "search (Material)",
    "search (MkDocs)",
    "Python-Markdown",
    "MkDocs",
    "imports",
)


def owner_of(group: str) -> str | None:
    """The fixed owner of a function's time, or None: it works for whoever calls it."""
    if group.startswith("plugin:"):
        return group
    if group.startswith("search"):
        return "search"
    return group if group in _OWNERS else None


def attribute(stats: dict[Func, Any], groups: dict[Func, str]) -> dict[Func, dict[str, float]]:
    """Split every function's time between owners: each plugin module, Material's templates,
    search, Python-Markdown, MkDocs, imports. A function in one of those belongs to it; any other
    function (libraries, built-ins) is shared among its callers' owners. Callerless code is
    MkDocs'."""
    fixed = {f: o for f in stats if (o := owner_of(groups[f])) is not None}
    return propagate(stats, fixed, "MkDocs")


def propagate(
    stats: dict[Func, Any], fixed: dict[Func, str], default: str
) -> dict[Func, dict[str, float]]:
    """Each function's time split between owners, as gprof does: a function in `fixed` belongs
    to its owner; any other is shared among its callers' owners in proportion to the time each
    caller spent in it. A function nobody profiled calls belongs to `default`."""
    share: dict[Func, dict[str, float]] = {f: {fixed.get(f, default): 1.0} for f in stats}
    for _ in range(100):
        changed = False
        for f, (_cc, _nc, _tt, _ct, callers) in stats.items():
            if f in fixed:
                continue
            total = sum(edge[3] for edge in callers.values())
            if total <= 0:
                continue
            mix: dict[str, float] = defaultdict(float)
            for c, edge in callers.items():
                for owner, x in share.get(c, {default: 1.0}).items():
                    mix[owner] += x * edge[3] / total
            if any(abs(mix[k] - share[f].get(k, 0.0)) > 1e-9 for k in mix):
                share[f] = dict(mix)
                changed = True
        if not changed:
            break
    return share


def time_report(pstats_file: Path, plugin_root: str, top: int) -> tuple[str, dict[str, Any]]:
    st = pstats.Stats(str(pstats_file))
    stats: dict[Func, Any] = st.stats  # type: ignore[attr-defined]
    total = st.total_tt  # type: ignore[attr-defined]
    groups = {f: group_of(f[0], f[2], plugin_root) for f in stats}
    is_plugin = {f: g.startswith("plugin:") for f, g in groups.items()}
    share = plugin_share(stats, groups)
    own: dict[str, float] = defaultdict(float)
    charged: dict[str, float] = defaultdict(float)
    for f, (_cc, _nc, tt, _ct, _callers) in stats.items():
        own[groups[f]] += tt
        charged[groups[f]] += tt * share[f]
    plugin_total = sum(charged.values())
    owners: dict[str, float] = defaultdict(float)
    for f, split in attribute(stats, groups).items():
        for owner, x in split.items():
            owners[owner] += stats[f][2] * x
    lines = [
        f"Profiled build: {total:.2f} s of CPU under cProfile (the profiler slows Python code "
        "down, roughly 1.5-2x; compare shares, not seconds).",
        "",
        "#### The whole build by owner",
        "",
        "Each plugin module, Material's templates, search, Python-Markdown and MkDocs own their "
        "code's time and the share of every library or built-in function they called "
        "(propagated down the call graph in proportion to each caller's time in it).",
        "",
        "| owner | time | share |",
        "|---|---:|---:|",
    ]
    plugin_owned = sum(t for o, t in owners.items() if o.startswith("plugin:"))
    for o, t in sorted(owners.items(), key=lambda kv: -kv[1]):
        if t >= 0.005:
            lines.append(f"| {o} | {t:.2f} s | {100 * t / total:.1f} % |")
    lines += [
        f"| **all plugin modules** | **{plugin_owned:.2f} s** "
        f"| **{100 * plugin_owned / total:.1f} %** |",
        "",
        "#### Own time by where the code lives (whole build)",
        "",
        "| group | own time | share |",
        "|---|---:|---:|",
    ]
    for g, t in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"| {g} | {t:.2f} s | {100 * t / total:.1f} % |")
    lines += [
        "",
        f"#### The plugin's time: {plugin_total:.2f} s ({100 * plugin_total / total:.1f} % of "
        "the build), by where it is spent",
        "",
        "Own time of plugin code, plus the share of library and built-in time that plugin code "
        "called for (propagated down the call graph). Imports are left out (their own group "
        "above: the whole build's, the plugin's included).",
        "",
        "| group | time | share of the plugin's |",
        "|---|---:|---:|",
    ]
    for g, t in sorted(charged.items(), key=lambda kv: -kv[1])[:top]:
        if t >= 0.005:
            lines.append(f"| {g} | {t:.2f} s | {100 * t / plugin_total:.1f} % |")
    hooks = [
        (f, v)
        for f, v in stats.items()
        if is_plugin[f] and f[2].startswith("on_") and groups[f] != "plugin: templates (Jinja)"
    ]
    lines += [
        "",
        "#### The plugin's hooks (cumulative)",
        "",
        "| hook | calls | cumulative | share of the build |",
        "|---|---:|---:|---:|",
    ]
    for f, v in sorted(hooks, key=lambda kv: -kv[1][3]):
        lines.append(
            f"| {short(f, plugin_root)} | {v[1]:,} | {v[3]:.2f} s | {100 * v[3] / total:.1f} % |"
        )
    plugin_funcs = [(f, v) for f, v in stats.items() if is_plugin[f]]
    lines += [
        "",
        f"#### Top {top} plugin functions by cumulative time",
        "",
        "| function | calls | cumulative | own |",
        "|---|---:|---:|---:|",
    ]
    for f, v in sorted(plugin_funcs, key=lambda kv: -kv[1][3])[:top]:
        lines.append(f"| {short(f, plugin_root)} | {v[1]:,} | {v[3]:.2f} s | {v[2]:.2f} s |")
    lines += [
        "",
        f"#### Top {top} functions by own time charged to the plugin",
        "",
        "| function | group | calls | own time charged | its own time |",
        "|---|---|---:|---:|---:|",
    ]
    ranked = sorted(stats.items(), key=lambda kv: -kv[1][2] * share[kv[0]])
    for f, v in ranked[:top]:
        lines.append(
            f"| {short(f, plugin_root)} | {groups[f]} | {v[1]:,} | {v[2] * share[f]:.2f} s "
            f"| {v[2]:.2f} s |"
        )
    steps = [
        (f, v)
        for f, v in stats.items()
        if groups[f] in ("MkDocs", "search (Material)", "search (MkDocs)", "Material (Python)")
        and not f[2].startswith("<")
    ]
    lines += [
        "",
        f"#### Top {top} MkDocs and Material steps by cumulative time (whole build)",
        "",
        "| function | group | calls | cumulative | charged to the plugin |",
        "|---|---|---:|---:|---:|",
    ]
    for f, v in sorted(steps, key=lambda kv: -kv[1][3])[:top]:
        lines.append(
            f"| {short(f, plugin_root)} | {groups[f]} | {v[1]:,} | {v[3]:.2f} s "
            f"| {100 * share[f]:.0f} % |"
        )
    lines += [
        "",
        f"#### Top {top} functions by own time (whole build)",
        "",
        "| function | group | calls | own | cumulative |",
        "|---|---|---:|---:|---:|",
    ]
    for f, v in sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]:
        lines.append(
            f"| {short(f, plugin_root)} | {groups[f]} | {v[1]:,} | {v[2]:.2f} s | {v[3]:.2f} s |"
        )
    data = {
        "total_s": total,
        "plugin_s": plugin_total,
        "by_owner": dict(owners),
        "own_by_group": dict(own),
        "plugin_by_group": dict(charged),
    }
    return "\n".join(lines), data


# --- memory --------------------------------------------------------------------------------


def hooked_build(
    site: Path, out: Path, env: dict[str, str], work: Path, name: str, **stages: str
) -> list[dict[str, Any]]:
    """A build with the hooks file added; `snapshot=STAGE` (under tracemalloc) or
    `model=STAGE` measures after that stage and ends the build there."""
    (site / "bench_hooks.py").write_text(HOOKS, encoding="utf-8")
    config = site / "mkdocs-hooks.yml"
    config.write_text(
        (site / "mkdocs.yml").read_text(encoding="utf-8") + "hooks:\n  - bench_hooks.py\n",
        encoding="utf-8",
    )
    records = work / f"{name}.jsonl"
    records.unlink(missing_ok=True)
    env = {
        **env,
        "BENCH_HOOKS_OUT": str(records),
        "BENCH_SNAPSHOT": stages.get("snapshot", ""),
        "BENCH_MODEL": stages.get("model", ""),
    }
    if stages.get("snapshot"):
        env["PYTHONTRACEMALLOC"] = "25"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]
    bl.measure(cmd, site, env, work / f"{name}.log")
    return [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]


def plugin_import_seconds(co: bl.Checkout, repeat: int = 5) -> float | None:
    """Import time of the plugin's module (its entry point) once MkDocs and Material are in."""
    eps = list((co.shim or Path("/nonexistent")).glob("*.dist-info/entry_points.txt"))
    if not eps:
        return None
    line = next((x for x in eps[0].read_text().splitlines() if " = " in x), "")
    module = line.split(" = ", 1)[1].split(":", 1)[0] if line else ""
    code = (
        "import time, importlib, mkdocs.commands.build, mkdocs.config.defaults, "
        "material.plugins.search.plugin\n"
        f"t = time.perf_counter(); importlib.import_module({module!r}); "
        "print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], env=co.env(), capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout.strip()))
    return bl.median(times)


def _model_rows(node: dict[str, Any], prefix: str, depth: int, total: float) -> list[str]:
    rows = []
    for name, size in sorted(node["sizes"].items(), key=lambda kv: -kv[1]):
        if size < 0.005 * total:
            continue
        rows.append(
            f"| {prefix}{name} | {size / 2**20:,.1f} | {100 * size / total:.1f} % "
            f"| {node['count']:,} |"
        )
        child = node["children"].get(name)
        if child and depth > 0:
            rows += _model_rows(child, f"{prefix}{name}.", depth - 1, total)
    return rows


def memory_report(
    n: int,
    plugin: list[dict[str, Any]],
    plain: list[dict[str, Any]],
    model: list[dict[str, Any]],
    traced: list[dict[str, Any]],
    traced_films: int,
) -> str:
    a = {r["event"]: r for r in plugin}
    b = {r["event"]: r for r in plain}
    lines = [
        f"#### RSS after each stage, {n:,} films ({5 * n:,} pages)",
        "",
        "| stage | plugin RSS | plain RSS | plugin - plain | plugin peak so far |",
        "|---|---:|---:|---:|---:|",
    ]
    for event, label in STAGES.items():
        if event in a and event in b:
            ra, rb = a[event]["VmRSS"], b[event]["VmRSS"]
            lines.append(
                f"| {label} | {ra:,.0f} MB | {rb:,.0f} MB | {ra - rb:+,.0f} MB "
                f"| {a[event]['VmHWM']:,.0f} MB |"
            )
    for r in model:
        for plug in r.get("model", []):
            total = sum(x["bytes"] for x in plug["attrs"].values())
            lines += [
                "",
                f"#### The plugin's own objects after `{r['event']}`, {n:,} films",
                "",
                f"`{plug['class']}`: {total / 2**20:,.0f} MB reachable from the plugin instance "
                "(sys.getsizeof over every object reachable through gc.get_referents, each "
                "object counted once, where first reached: deepest fields first). The count "
                f"column is how many objects have that field. Measured in {r['model_seconds']:.0f}"
                f" s, RSS then {r['VmRSS']:,.0f} MB.",
                "",
                "| attribute / field | MB | share | objects |",
                "|---|---:|---:|---:|",
            ]
            for attr, x in sorted(plug["attrs"].items(), key=lambda kv: -kv[1]["bytes"]):
                if x["bytes"] < 0.005 * total:
                    continue
                lines.append(
                    f"| {attr} | {x['bytes'] / 2**20:,.1f} | {100 * x['bytes'] / total:.1f} % | 1 |"
                )
                if x["detail"]:
                    lines += _model_rows(x["detail"], f"{attr}[].", 2, total)
    for r in traced:
        snap = r.get("snapshot")
        if not snap:
            continue
        lines += [
            "",
            f"#### tracemalloc, {STAGES[r['event']]}, {traced_films:,} films",
            "",
            f"Live Python allocations: {snap['total_mb']:,.0f} MB, of which "
            f"{snap.get('imports_mb', 0):,.0f} MB were made while importing modules (code and "
            "module data, before or after a plugin frame) and "
            f"{snap['plugin_mb']:,.0f} MB otherwise with a plugin frame on their stack, "
            "attributed below to the innermost plugin frame. (tracemalloc makes this build 20 "
            "to 50 times slower, hence fewer films.)",
            "",
            "| innermost plugin frame (file) | MB |",
            "|---|---:|",
        ]
        lines += [f"| {x['where']} | {x['mb']:,.1f} |" for x in snap["by_plugin_file"][:12]]
        lines += ["", "| innermost plugin frame (line) | MB |", "|---|---:|"]
        lines += [f"| {x['where']} | {x['mb']:,.1f} |" for x in snap["by_plugin_line"][:15]]
        lines += ["", "| allocating file (innermost frame) | MB | blocks |", "|---|---:|---:|"]
        for x in snap["by_file"][:15]:
            f = x["file"]
            f = f.split("site-packages/", 1)[1] if "site-packages/" in f else f
            f = "spoilers/" + f.split("/mkdocs_plugins/spoilers/", 1)[1] if "/spoilers/" in f else f
            lines.append(f"| {f} | {x['mb']:,.1f} | {x['count']:,} |")
    return "\n".join(lines)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--films", type=int, default=100, help="films in the profiled build")
    p.add_argument(
        "--memory-films", type=int, default=0, help="films for the memory part (0: skip)"
    )
    p.add_argument(
        "--tracemalloc-films", type=int, default=50, help="films for tracemalloc (0: skip)"
    )
    p.add_argument("--facts", type=int, default=60)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--top", type=int, default=15)
    p.add_argument("--import-runs", type=int, default=5, help="times the plugin import (0: no)")
    p.add_argument("--repo", default=str(bl.REPO), metavar="[LABEL=]PATH", help="the checkout")
    p.add_argument("--out", type=Path, help="write the Markdown report here too")
    p.add_argument("--json", type=Path, help="write the figures here")
    p.add_argument("--workdir", type=Path, help="work here (default: a temp dir, removed)")
    args = p.parse_args(argv)

    cleanup = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="bench-profile-")) if cleanup else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    report: list[str] = []
    data: dict[str, Any] = {"machine": bl.machine(), "argv": sys.argv[1:] if argv is None else argv}
    try:
        co = bl.parse_checkouts([args.repo], work)[0]
        plugin_root = str(co.path / "mkdocs_plugins" / "spoilers") + "/"
        report += [
            "## Where a plugin build spends its time and memory",
            "",
            bl.machine_line(data["machine"]),
            "",
            f"Checkout: {co.path} ({bl.git_describe(co.path)}); {args.facts} facts per film.",
            "",
        ]
        root = work / f"n{args.films}"
        bl.write_corpus(root / "content", args.films, args.facts, args.seed)
        bl.write_plugin_site(root / "plugin", root / "content")
        say(f"profile: warm-up build of {args.films} films")
        warm = bl.mkdocs_build(root / "plugin", root / "out", co.env(), work / "warm.log")
        prof = work / "build.pstats"
        say("profile: cProfile build")
        shutil.rmtree(root / "out", ignore_errors=True)
        cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", "build"]
        cmd += ["-q", "-d", str(root / "out")]
        subprocess.run(cmd, cwd=root / "plugin", env=co.env(), check=True, capture_output=True)
        text, data["time"] = time_report(prof, plugin_root, args.top)
        imports = plugin_import_seconds(co, args.import_runs) if args.import_runs else None
        data["plugin_import_s"] = imports
        report += [
            f"### Time: one build of {args.films:,} films ({5 * args.films:,} pages)",
            "",
            f"Without the profiler this build took {warm.wall:.2f} s "
            f"({warm.cpu:.2f} s CPU, peak RSS {warm.rss_mb:,.0f} MB)."
            + (
                f" Importing the plugin's module once MkDocs and Material are loaded takes "
                f"{imports:.2f} s (median of {args.import_runs}, no profiler)."
                if imports is not None
                else ""
            ),
            "",
            text,
            "",
        ]
        if args.memory_films:
            n = args.memory_films
            mroot = work / f"m{n}"
            bl.write_corpus(mroot / "content", n, args.facts, args.seed)
            bl.write_plugin_site(mroot / "plugin", mroot / "content")
            say(f"memory: plugin build of {n} films (RSS per stage)")
            out = mroot / "out-plugin"
            plugin = hooked_build(mroot / "plugin", out, co.env(), work, "mem-plugin")
            say("memory: writing and building the plain site")
            site = bl.write_plain_site(out, mroot / "plain", bl.corpus_titles(mroot / "content"))
            plain = hooked_build(site.root, mroot / "out-plain", bl.plain_env(), work, "mem-plain")
            say("memory: the plugin's own objects after on_nav")
            model = hooked_build(
                mroot / "plugin", mroot / "out-model", co.env(), work, "mem-model", model="nav"
            )
            traced: list[dict[str, Any]] = []
            if args.tracemalloc_films:
                t = args.tracemalloc_films
                troot = work / f"t{t}"
                bl.write_corpus(troot / "content", t, args.facts, args.seed)
                bl.write_plugin_site(troot / "plugin", troot / "content")
                say(f"memory: plugin build of {t} films under tracemalloc")
                traced = hooked_build(
                    troot / "plugin", troot / "out", co.env(), work, "mem-traced", snapshot="files"
                )
            data["memory"] = {
                "films": n,
                "plugin": plugin,
                "plain": plain,
                "model": model,
                "traced": traced,
                "traced_films": args.tracemalloc_films,
            }
            report += [
                f"### Memory: {n:,} films",
                "",
                memory_report(n, plugin, plain, model, traced, args.tracemalloc_films),
                "",
            ]
    finally:
        if cleanup:
            shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(report)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
