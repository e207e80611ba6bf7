"""Property-based tests: random valid films on random ladders, built for real, then audited.

Every generated text carries a unique marker word. After a strict MkDocs build:
- the audit passes;
- each marker appears only in files a reader of its level (or higher) may receive;
- planting a hidden text into any channel of the built output makes the audit fail.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from reporting import report
from support.paths import REPO_ROOT
from support.sites import build as build_site
from support.sites import write_site

from mkdocs_plugins.spoilers.audit import audit
from mkdocs_plugins.spoilers.model import Ladder
from mkdocs_plugins.spoilers.urls import REVEAL, reveal_file
from mkdocs_plugins.spoilers.validate import check

REPO = REPO_ROOT
EXAMPLES = int(os.environ.get("SPOILERS_FUZZ_EXAMPLES", "15"))
_counter = itertools.count()
FUZZED: list[int] = []

WORDS = [
    "river",
    "lantern",
    "station",
    "letter",
    "garden",
    "engine",
    "harbour",
    "tower",
    "winter",
    "mirror",
    "signal",
    "bridge",
    "market",
    "candle",
    "orchard",
    "compass",
]


@dataclass
class Generated:
    ladder: list[dict[str, str]]
    film: dict[str, Any]
    markers: dict[str, int]  # marker word -> rank of the level it is graded at
    # An entity description is replaced by the next one: marker -> rank where it stops showing.
    superseded: dict[str, int] = field(default_factory=dict)


def marker(n: int) -> str:
    # Letters only, so tokenisers never split it; "qx" makes it absent from any real asset.
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = letters[r] + out
    return f"qx{out}zq"


@st.composite
def films(draw: st.DrawFn) -> Generated:
    n_levels = draw(st.integers(min_value=2, max_value=6))
    level_ids = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9]{1,7}", fullmatch=True),
            min_size=n_levels,
            max_size=n_levels,
            unique=True,
        )
    )
    ladder = [
        {"id": lv, "label": lv.title(), "description": f"Level {i}"}
        for i, lv in enumerate(level_ids)
    ]
    top = n_levels - 1
    counter = itertools.count(draw(st.integers(0, 10_000)) * 100)
    markers: dict[str, int] = {}

    def text(rank: int, mention: str | None = None) -> str:
        m = marker(next(counter))
        markers[m] = rank
        # At most two shared words in a row: every run of five words holds a unique marker, so
        # no text repeats another's run (the spoiler lint would rightly refuse it).
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
        extra = f" near {mention}" if mention else ""
        return f"The {m} {' '.join(words)}{extra}."

    entity_rank = draw(st.integers(0, top))
    entity_name = marker(next(counter))
    markers[entity_name] = entity_rank
    sections = []
    for s in range(draw(st.integers(1, 5))):
        s_rank = draw(st.integers(0, top))
        facts = []
        for f in range(draw(st.integers(1, 5))):
            f_rank = draw(st.integers(s_rank, top))
            mention = entity_name if f_rank >= entity_rank and draw(st.booleans()) else None
            facts.append(
                {
                    "id": f"f-{s}-{f}",
                    "level": level_ids[f_rank],
                    "text": text(f_rank, mention),
                    "sources": ["src-a"],
                }
            )
        sections.append(
            {
                "id": f"sec-{s}-{marker(next(counter))}",
                "level": level_ids[s_rank],
                "title": f"Question {text(s_rank)[4:-1]}?",
                "facts": facts,
            }
        )
        # The section id carries a marker of its own level too.
        markers[sections[-1]["id"].split("-", 2)[2]] = s_rank
    d_rank = draw(st.integers(0, top))
    d_ranks = sorted(set(draw(st.lists(st.integers(entity_rank, top), max_size=3))))
    descriptions = [{"level": level_ids[r], "text": text(r), "sources": ["src-a"]} for r in d_ranks]
    superseded = {
        d["text"].split()[1]: later for d, later in zip(descriptions, d_ranks[1:], strict=False)
    }
    film = {
        "id": f"fuzz-{next(_counter)}-{draw(st.integers(0, 9999))}-2001",
        "title": "Fuzz Film",
        "year": 2001,
        "director": "Nobody",
        "runtime_minutes": 80,
        "release": {"date": "2001-01-01"},
        "premise": "A film about "
        + " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=6)))
        + ".",
        "sources": [{"id": "src-a", "title": "Source", "kind": "review"}],
        "entities": [
            {
                "id": "the-entity",
                "kind": "character",
                "names": [entity_name],
                "introduced": level_ids[entity_rank],
                "descriptions": descriptions,
            }
        ],
        "sections": sections,
        "disagreements": [
            {
                "id": "d",
                "level": level_ids[d_rank],
                "topic": f"Topic {text(d_rank)[4:-1]}",
                "claims": [
                    {"text": text(d_rank), "sources": ["src-a"]},
                    {"text": text(d_rank), "sources": ["src-a"]},
                ],
            }
        ],
    }
    return Generated(ladder, film, markers, superseded)


def build(root: Path, gen: Generated) -> Path:
    """A real strict build of a site holding the generated film (in-process)."""
    write_site(
        root,
        {gen.film["id"]: json.dumps(gen.film, indent=1)},
        config={
            "site_name": "Fuzz",
            "site_url": "http://127.0.0.1:8000/sub/",
            "theme": {"name": "material", "font": False},
            "plugins": ["search", {"spoilers": {"levels": gen.ladder}}],
        },
    )
    return build_site(root, root / "out")


def reader_files(site: Path, film_id: str, ladder: list[dict[str, str]], rank: int) -> list[Path]:
    """What a reader of `rank` can receive: everything but the text of the film's higher
    levels (their gates included: a shared link opens those)."""
    higher = {site / "films" / film_id / lv["id"] / REVEAL for lv in ladder[rank + 1 :]}
    return [
        p
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".js", ".xml", ".css"} and p not in higher
    ]


def level_page(site: Path, film_id: str, ladder: list[dict[str, str]], rank: int) -> Path:
    """The file holding a level's text: the first level's page, or reveal.html above it."""
    return site / reveal_file(film_id, ladder[rank]["id"], Ladder.from_config(ladder))


@settings(
    # No shrinking: every example is a full site build, and a failure prints the whole film.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(gen=films())
def test_random_films_audit_clean_and_markers_stay_in_their_levels(
    gen: Generated, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    content_ok = check([], _write_only_content(root / "probe", gen), Ladder.from_config(gen.ladder))
    assert not [d for d in content_ok.diagnostics if d.is_error], content_ok.diagnostics
    site = build(root / "site", gen)
    ladder = Ladder.from_config(gen.ladder)
    films_ = check([], root / "site" / "content", ladder).films
    leaks = audit(site, films_, ladder).leaks
    assert leaks == [], leaks[:5]
    fid = gen.film["id"]
    for rank in range(len(gen.ladder)):
        page = level_page(site, fid, gen.ladder, rank).read_text(encoding="utf-8")
        corpus = "\n".join(
            p.read_text(encoding="utf-8", errors="replace")
            for p in reader_files(site, fid, gen.ladder, rank)
        )
        for word, at in gen.markers.items():
            if at > rank:
                assert word not in corpus, f"{word} (rank {at}) reachable at rank {rank}"
            elif rank < gen.superseded.get(word, len(gen.ladder)):
                assert word in page, f"{word} (rank {at}) missing from the rank-{rank} page"
    FUZZED.append(len(gen.film["sections"]))
    # Written after every example (all run in this process), so xdist cannot lose the figure.
    report(
        "fuzz",
        f"property tests: {len(FUZZED)} random films on random ladders built and audited "
        f"({sum(FUZZED)} sections), 0 leaks",
    )


def _write_only_content(root: Path, gen: Generated) -> Path:
    content = root / "content"
    (content / "films").mkdir(parents=True)
    (content / "films" / f"{gen.film['id']}.yml").write_text(json.dumps(gen.film, indent=1))
    return content


# --- planted leaks: the audit must catch a leak in every channel -------------------------


def _plant(site: Path, film_id: str, hidden: str, hidden_url: str) -> dict[str, Any]:
    """channel -> a function that plants `hidden` into a fresh copy of the site."""
    first = f"films/{film_id}/index.html"

    def edit(rel: str, fn: Any) -> Any:
        def plant(copy: Path) -> None:
            p = copy / rel
            p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")

        return plant

    def sitemap(copy: Path) -> None:
        p = copy / "sitemap.xml"
        xml = p.read_text(encoding="utf-8").replace(
            "</urlset>", f"<url><loc>{hidden_url}</loc></url></urlset>"
        )
        p.write_text(xml, encoding="utf-8")
        (copy / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode()))

    def search(copy: Path) -> None:
        p = copy / "search" / "search_index.json"
        data = json.loads(p.read_text(encoding="utf-8"))
        data["docs"].append({"location": f"films/{film_id}/", "title": "x", "text": hidden})
        p.write_text(json.dumps(data), encoding="utf-8")

    return {
        "page-text": edit(first, lambda h: h.replace("</article>", f"<p>{hidden}</p></article>")),
        "attribute": edit(first, lambda h: h.replace("<article", f'<article title="{hidden}"', 1)),
        "data-attribute": edit(
            first, lambda h: h.replace("<article", f'<article data-x="{hidden}"', 1)
        ),
        "title": edit(first, lambda h: re.sub(r"<title>", f"<title>{hidden} ", h, count=1)),
        "meta": edit(
            first,
            lambda h: h.replace(
                "</head>", f'<meta property="og:description" content="{hidden}"></head>', 1
            ),
        ),
        "home": edit(
            "index.html", lambda h: h.replace("</article>", f"<p>{hidden}</p></article>", 1)
        ),
        "404": edit("404.html", lambda h: h.replace("</body>", f"<p>{hidden}</p></body>", 1)),
        "search-index": search,
        "sitemap": sitemap,
        "asset": edit("spoilers/spoilers.js", lambda js: js + f'\n// "{hidden}"\n'),
    }


def test_planted_leaks_in_every_channel_are_caught(tmp_path: Path) -> None:
    gen = Generated(
        ladder=[
            {"id": "none", "label": "Spoiler-free", "description": "d"},
            {"id": "later", "label": "Later", "description": "d"},
        ],
        film={
            "id": "planted-2002",
            "title": "Planted",
            "year": 2002,
            "director": "Nobody",
            "runtime_minutes": 80,
            "release": {"date": "2002-01-01"},
            "premise": "A quiet film about a harbour.",
            "sources": [{"id": "src-a", "title": "Source", "kind": "review"}],
            "sections": [
                {
                    "id": "what",
                    "level": "none",
                    "title": "What is it?",
                    "facts": [
                        {
                            "id": "a",
                            "level": "none",
                            "text": "It is a drama about a harbour.",
                            "sources": ["src-a"],
                        },
                        {
                            "id": "b",
                            "level": "later",
                            "text": "The keeper burns the lighthouse down on the final night.",
                            "sources": ["src-a"],
                        },
                    ],
                }
            ],
        },
        markers={},
    )
    site = build(tmp_path / "site", gen)
    ladder = Ladder.from_config(gen.ladder)
    films_ = check([], tmp_path / "site" / "content", ladder).films
    assert audit(site, films_, ladder).leaks == []
    hidden = "the keeper BURNS the lighthouse\n down on the final night"
    plants = _plant(
        site, "planted-2002", hidden, "http://127.0.0.1:8000/sub/films/planted-2002/later/"
    )
    caught = []
    for channel, plant in plants.items():
        copy = tmp_path / f"planted-{channel}"
        shutil.copytree(site, copy)
        plant(copy)
        leaks = audit(copy, films_, ladder).leaks
        assert leaks, f"planted leak in {channel} was not caught"
        caught.append(channel)
    report(
        "planted",
        f"planted leaks: {len(plants)} planted (one per channel: "
        f"{', '.join(plants)}), {len(caught)} caught",
    )
