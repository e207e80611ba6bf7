"""The benchmark harness's own pieces: the synthetic corpus's promises, the plain-page rewrite,
the nav grouping copy. Fast, no builds (the end-to-end runs are in tests/test_bench_smoke.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl
import synthetic


def test_every_film_has_its_own_words_and_no_run_of_five_repeats(tmp_path: Path) -> None:
    synthetic.write_corpus(tmp_path / "content", films=6, facts_per_film=24, seed=1)
    report = synthetic.corpus_properties(tmp_path / "content" / "films")
    assert report.films == 6 and report.texts > 6 * 40
    assert report.ok, report


def test_invented_words_are_distinct_across_films_and_the_syllable_switch() -> None:
    films = [*range(4), *range(2843, 2851), 9_999]  # the 3 -> 4 syllable switch is at ~2,847
    words = [synthetic.pseudo_word(f, j) for f in films for j in range(synthetic.WORDS_PER_FILM)]
    assert len(set(words)) == len(words)
    assert all(w.isalpha() and w.islower() for w in words)
    assert not set(words) & set(synthetic.COMMON)


def test_a_film_is_a_function_of_its_index_and_seed() -> None:
    assert synthetic.film_text(5, 12, seed=2) == synthetic.film_text(5, 12, seed=2)
    assert synthetic.film_text(5, 12, seed=2) != synthetic.film_text(5, 12, seed=3)


def test_the_marker_lands_in_a_first_level_fact() -> None:
    _, text = synthetic.film_text(0, 12)
    marked = synthetic.with_marker(text, "zqmark")
    assert marked.count("zqmark") == 1
    before = marked.split("zqmark")[0].rsplit("\n", 3)
    assert before[-2].strip() == "level: none" and before[-1].strip() == 'text: "'


_BODY = """\
<div class="page" data-x="1">
<h1 id="t">Title</h1>
<nav class="sw"><ol><li><a href="../">Spoiler-free</a></li></ol></nav>
<style>.a{display:none}</style>
<input type="checkbox" id="reveal">
<div class="body">
<p class="premise">A *literal* star &amp; more.</p>
<h2 id="characters">Cast and characters<a class="headerlink" href="#characters" \
title="Permanent link">&para;</a></h2>
<ul><li>x</li></ul>
<section class="s" data-s="q1">
<h2 id="q1">Why [this] *and* #that?<a class="headerlink" href="#q1" \
title="Permanent link">&para;</a></h2>
<ul class="facts"><li>fact</li></ul>
<!-- a comment -->
</section>
<section class="s" data-s="q2">
<h2 id="q2">Who?<span class="new"> New</span><a class="headerlink" href="#q2" \
title="Permanent link">&para;</a></h2>
</section>
<h2 id="not-in-toc">Stays raw</h2>
</div>
</div>"""


def test_plain_page_renders_to_the_expected_body_and_toc() -> None:
    toc = {"characters": "Cast and characters", "q1": "Why [this] *and* #that?", "q2": "Who?"}
    page = bl.body_to_markdown(_BODY, toc, bl._block_level())
    md = markdown.Markdown(
        extensions=["admonition", "attr_list", "toc"],
        extension_configs={"toc": {"permalink": True}},
    )
    html = md.convert(page.markdown)
    assert bl.squeeze(html) == page.expected
    assert [(t["id"], t["name"]) for t in md.toc_tokens] == [  # type: ignore[attr-defined]
        ("characters", "Cast and characters"),
        ("q1", "Why [this] *and* #that?"),
        ("q2", "Who?"),  # the TOC's name, not the heading's text (data-toc-label)
    ]
    # Only the wrappers of the TOC headings are gone; the rest is the plugin's HTML.
    for gone in ('<div class="page" data-x="1">', '<div class="body">', '<section class="s"'):
        assert gone not in page.expected
    for kept in ('<p class="premise">A *literal* star &amp; more.</p>', "<!-- a comment -->"):
        assert kept in page.expected
    assert '<h2 id="not-in-toc">Stays raw</h2>' in page.expected
    assert '<p><input type="checkbox" id="reveal"></p>' in page.expected
    assert page.wrapped == 7 and page.unwrapped > 0


def test_linear_fit() -> None:
    a, b, r2 = bl.linear_fit([100, 300, 1000], [5.0, 13.0, 41.0])
    assert (round(a, 6), round(b, 6), round(r2, 6)) == (1.0, 0.04, 1.0)
