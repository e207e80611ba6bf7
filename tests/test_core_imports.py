"""The core never imports MkDocs or Material; only the adapter (config.py, plugin.py) may."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

PACKAGE_DIR = REPO_ROOT / "mkdocs_plugins" / "spoilers"
ADAPTER = {"config", "plugin"}
FORBIDDEN = ("mkdocs", "material")


def core_modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE_DIR.glob("*.py") if p.stem not in ADAPTER)


def _forbidden(module: str) -> bool:
    """`mkdocs`, `mkdocs.x`, `material`, `material.x`, or our own adapter modules."""
    top = module.split(".")[0]
    if top in FORBIDDEN:
        return True
    return module in {f"mkdocs_plugins.spoilers.{m}" for m in ADAPTER}


def imported_names(path: Path) -> list[tuple[int, str]]:
    names: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import plugin / from .config import X
                base = "mkdocs_plugins.spoilers"
                if node.module:
                    names.append((node.lineno, f"{base}.{node.module}"))
                names += [(node.lineno, f"{base}.{a.name}") for a in node.names]
            elif node.module:
                names.append((node.lineno, node.module))
                names += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append((node.lineno, node.args[0].value))
    return names


def test_core_module_list() -> None:
    modules = core_modules()
    for expected in ("cli", "diagnostics", "load", "markup", "model", "validate", "yamlload"):
        assert expected in modules
    assert not ADAPTER & set(modules)


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_mkdocs(module: str) -> None:
    bad = [
        f"{module}.py:{line}: imports {name}"
        for line, name in imported_names(PACKAGE_DIR / f"{module}.py")
        if _forbidden(name)
    ]
    assert bad == []


def test_the_ast_check_catches_offenders(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text(
        "import mkdocs\nfrom mkdocs.config import base\nimport material.extensions as m\n"
        "from . import plugin\nfrom .config import SpoilersConfig\n"
        "import importlib\nimportlib.import_module('mkdocs.plugins')\n"
        "import mkdocs_plugins.spoilers.model\n"
    )
    offenders = [n for _, n in imported_names(sample) if _forbidden(n)]
    assert offenders == [
        "mkdocs",
        "mkdocs.config",
        "mkdocs.config.base",
        "material.extensions",
        "mkdocs_plugins.spoilers.plugin",
        "mkdocs_plugins.spoilers.config",
        "mkdocs.plugins",
    ]


def test_importing_the_core_loads_no_mkdocs(
    content_dir: Path, valid_film_text: Callable[..., str]
) -> None:
    """Import each core module (and run `spoilers check`) in a fresh interpreter."""
    (content_dir / "films" / "sample-2020.yml").write_text(valid_film_text())
    modules = [m for m in core_modules() if m != "__main__"]  # __main__ runs the CLI
    script = textwrap.dedent(
        f"""
        import importlib, json, sys

        def leaked():
            return sorted(
                m for m in sys.modules
                if m.split(".")[0] in ("mkdocs", "material")
                or m in ("mkdocs_plugins.spoilers.config", "mkdocs_plugins.spoilers.plugin")
            )

        report = {{}}
        for name in {modules!r}:
            importlib.import_module("mkdocs_plugins.spoilers." + name)
            report[name] = leaked()
        from mkdocs_plugins.spoilers.cli import main
        code = main(["check"])
        report["<spoilers check>"] = leaked()
        report["<exit>"] = code
        print(json.dumps(report))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=content_dir.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report.pop("<exit>") == 0, proc.stderr
    assert report == {name: [] for name in report}
    assert set(report) == {*modules, "<spoilers check>"}
