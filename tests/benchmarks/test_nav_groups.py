"""Nav grouping for large sites (issue 8): the pure split, and a real pruned Material build."""

from __future__ import annotations

import itertools
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_plugins.spoilers.nav import nav_groups

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import write_corpus

LEVELS = ("none", "setup", "middle", "climax", "ending")


def test_no_groups_up_to_the_group_size_or_when_disabled() -> None:
    titles = [f"T{i:03d}" for i in range(50)]
    assert nav_groups(titles, 50) == []
    assert nav_groups(titles, 0) == []
    assert nav_groups([], 50) == []
    assert len(nav_groups([*titles, "U"], 50)) == 2


@pytest.mark.parametrize(("n", "size"), [(51, 50), (101, 50), (1000, 50), (7, 3), (999, 40)])
def test_groups_cover_every_film_in_order_and_are_even(n: int, size: int) -> None:
    titles = sorted(f"{chr(65 + i % 26)}{i:04d}" for i in range(n))
    groups = nav_groups(titles, size)
    assert groups[0].start == 0 and groups[-1].stop == n
    assert all(a.stop == b.start for a, b in itertools.pairwise(groups))
    sizes = [g.stop - g.start for g in groups]
    assert max(sizes) <= size and max(sizes) - min(sizes) <= 1
    assert len(groups) == -(-n // size)


def test_labels_are_guide_words() -> None:
    titles = ["Apple", "Apricot", "Banana", "Blue", "Cherry", "Dark", "Dawn", "Echo"]
    dash = "\u2013"
    assert [g.label for g in nav_groups(titles, 3)] == [
        f"Apple {dash} Banana",
        f"Blue {dash} Dark",
        f"Dawn {dash} Echo",
    ]
    # Whole words only (never a fragment of a title), and one word when it says it all.
    titles = ["A b", "A c d", "Bright car", "Bright day", "The Host", "The Hunt", "The Hunt again"]
    labels = [g.label for g in nav_groups(titles, 2)]
    assert labels == ["A", "Bright", f"The {dash} The Hunt", "The Hunt again"]
    words = {w for t in titles for w in t.split()}
    assert all(w in words or w == dash for label in labels for w in label.split())


def _primary_nav(html: str) -> str:
    m = re.search(
        r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', html, re.DOTALL
    )
    assert m
    return m.group(0)


@pytest.mark.build
def test_pruned_build_renders_only_the_current_group(tmp_path: Path) -> None:
    ids = write_corpus(tmp_path / "content", films=7, facts_per_film=12, seed=3)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n<!-- spoilers:films -->\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Groups\nsite_url: https://example.org/\n"
        "theme:\n  name: material\n  font: false\n"
        "  features: [navigation.sections, navigation.prune]\n"
        "plugins:\n  - search\n  - spoilers:\n      nav_group_size: 3\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"

    def film_links(page: Path) -> set[str]:
        """Films linked from the page's primary nav (hrefs resolved against the page)."""
        nav = _primary_nav(page.read_text(encoding="utf-8"))
        here = page.parent.relative_to(out).as_posix()
        found = set()
        for href in re.findall(r'href="([^"#]*)"', nav):
            target = posixpath.normpath(posixpath.join(here, href))
            parts = target.split("/")
            if parts[0] == "films":
                assert len(parts) == 2, f"a level page in the nav: {target}"
                found.add(parts[1])
        return found

    # Not in any group (home, level pages): one link per group, to its first film.
    home = film_links(out / "index.html")
    assert len(home) == 3  # 7 films in groups of 3, 2, 2
    level = film_links(out / "films" / ids[0] / "setup" / "index.html")
    assert level == home
    # On a film's page its own group is rendered in full, the others are pruned to one link.
    seen: set[str] = set()
    for film_id in ids:
        links = film_links(out / "films" / film_id / "index.html")
        assert film_id in links
        assert len(links) <= 3 + 2  # its group (<= 3) plus one link per other group
        seen |= links
    assert seen == set(ids)
    # The grouping leaves the rest alone: level pages exist and stay out of the sitemap.
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    for film_id in ids:
        for lv in LEVELS[1:]:
            assert (out / "films" / film_id / lv / "index.html").is_file()
            assert f"/films/{film_id}/{lv}/" not in sitemap
        assert f"/films/{film_id}/</loc>" in sitemap
