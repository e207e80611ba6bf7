"""Real sites in temporary directories: write an inline file tree, build it strictly in-process.

Modelled on the awesome-nav plugin's tests: each case is a small tree of files (`mkdocs.yml`,
`docs/...`, `content/films/...`) written under tmp_path, built with MkDocs' own `build()` in the
test's process with `strict: true` and the Material theme, so a warning fails the build exactly as
`mkdocs build --strict` does, without the cost of a subprocess.
"""

from __future__ import annotations

import contextlib
import logging
import os
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG: dict[str, Any] = {
    "site_name": "Test site",
    "site_url": "https://example.com/",
    "strict": True,
    "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
    "plugins": ["search", {"spoilers": {"content_dir": "content"}}],
    "markdown_extensions": ["admonition", "attr_list", {"toc": {"permalink": True}}],
}
DEFAULT_DOCS = {"docs/index.md": "# Home\n\n<!-- spoilers:films -->\n"}


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content)
    return root


def make_content_dir(root: Path) -> Path:
    """`root/content` with an empty `films/` (the schema ships in the package)."""
    content = root / "content"
    (content / "films").mkdir(parents=True, exist_ok=True)
    return content


def write_site(
    root: Path,
    films: Mapping[str, str],
    *,
    config: Mapping[str, Any] | None = None,
    files: Mapping[str, str | bytes] | None = None,
) -> Path:
    """A site: mkdocs.yml (DEFAULT_CONFIG updated by `config`), docs, and one file per film."""
    make_content_dir(root)
    cfg = {**DEFAULT_CONFIG, **(config or {})}
    tree: dict[str, str | bytes] = {
        "mkdocs.yml": yaml.safe_dump(cfg, sort_keys=False),
        **DEFAULT_DOCS,
        **{f"content/films/{fid}.yml": text for fid, text in films.items()},
        **(files or {}),
    }
    return write_tree(root, tree)


class BuildError(AssertionError):
    pass


@contextlib.contextmanager
def _in(directory: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(old)


def build(root: Path, out: Path | None = None, **overrides: Any) -> Path:
    """`mkdocs build --strict` of the site at `root`, in-process. Returns the site dir.

    Raises BuildError with MkDocs' messages when the build aborts or warns.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    out = out or root / "site"
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())

    handler = Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        with _in(root):
            cfg = load_config(
                config_file=str(root / "mkdocs.yml"), site_dir=str(out), strict=True, **overrides
            )
            # As `mkdocs build` does: plugins see on_startup and on_shutdown around the build.
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(cfg)
            finally:
                cfg.plugins.on_shutdown()
    except (Abort, MkDocsException, SystemExit) as exc:
        raise BuildError(f"build failed: {exc}\n" + "\n".join(messages)) from exc
    finally:
        log.removeHandler(handler)
    return out
