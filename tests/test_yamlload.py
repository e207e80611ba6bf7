"""Unit tests of the strict YAML loader: data, marks, and every kind of refusal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from support.cases import case_films

from mkdocs_plugins.spoilers import yamlload
from mkdocs_plugins.spoilers.yamlload import MAX_DEPTH, Document, Mark, Marks, load_yaml


def problems(text: str) -> list[tuple[str, int, int]]:
    return [(p.code, p.mark.line, p.mark.col) for p in load_yaml(text).problems]


def codes(text: str) -> list[str]:
    return [p.code for p in load_yaml(text).problems]


# ------------------------------------------------------------------ data


def test_plain_data() -> None:
    doc = load_yaml(
        "id: x-2020\nyear: 2020\nn: 0\nok: true\nno_: false\nnothing: ~\nempty:\n"
        "list: [a, 'b', \"c\"]\nnested: {k: [1, {m: v}]}\n"
    )
    assert doc.problems == []
    assert doc.data == {
        "id": "x-2020",
        "year": 2020,
        "n": 0,
        "ok": True,
        "no_": False,
        "nothing": None,
        "empty": None,
        "list": ["a", "b", "c"],
        "nested": {"k": [1, {"m": "v"}]},
    }


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "---\n...\n"])
def test_empty_documents_are_none_without_problems(text: str) -> None:
    doc = load_yaml(text)
    assert (doc.data, doc.problems) == (None, [])


def test_null_spellings() -> None:
    doc = load_yaml("a: ~\nb: null\nc:\nd: Null\ne: NULL\n")
    assert doc.data == dict.fromkeys("abcde")
    assert doc.problems == []


def test_quoted_and_block_scalars_stay_text() -> None:
    doc = load_yaml(
        "a: '1.10'\nb: \"0777\"\nc: 'yes'\nd: \"2023-10-06\"\ne: |\n  yes\nf: >-\n  no\ng: 'true'\n"
    )
    assert doc.problems == []
    assert doc.data == {
        "a": "1.10",
        "b": "0777",
        "c": "yes",
        "d": "2023-10-06",
        "e": "yes\n",
        "f": "no",
        "g": "true",
    }


def test_booleans_true_false_are_booleans() -> None:
    doc = load_yaml("a: true\nb: True\nc: FALSE\n")
    assert doc.data == {"a": True, "b": True, "c": False}
    assert doc.problems == []


def test_explicit_document_markers_are_fine() -> None:
    doc = load_yaml("---\na: 1\n...\n")
    assert (doc.data, doc.problems) == ({"a": 1}, [])


# ------------------------------------------------------------------ marks


def test_marks_of_keys_and_values() -> None:
    doc = load_yaml("# comment\nid: x-2020\ntitle:   Spaced\nrelease: {date: '2020-01-01'}\n")
    m = doc.marks
    assert m.keys[("id",)] == Mark(2, 1)
    assert m.values[("id",)] == Mark(2, 5)
    assert m.keys[("title",)] == Mark(3, 1)
    assert m.values[("title",)] == Mark(3, 10)
    assert m.values[("release",)] == Mark(4, 10)
    assert m.keys[("release", "date")] == Mark(4, 11)
    assert m.values[("release", "date")] == Mark(4, 17)
    assert m.values[()] == Mark(2, 1)


def test_marks_in_nested_lists() -> None:
    text = (
        "sections:\n"
        "  - id: a\n"
        "    facts:\n"
        "      - id: f1\n"
        "        sources: [s1, s2]\n"
        "      - {id: f2, sources: [s3]}\n"
        "  - id: b\n"
    )
    m = load_yaml(text).marks
    assert m.values[("sections",)] == Mark(2, 3)
    assert m.values[("sections", 0)] == Mark(2, 5)
    assert m.keys[("sections", 0, "id")] == Mark(2, 5)
    assert m.values[("sections", 0, "id")] == Mark(2, 9)
    assert m.values[("sections", 0, "facts", 0, "id")] == Mark(4, 13)
    assert m.values[("sections", 0, "facts", 0, "sources", 0)] == Mark(5, 19)
    assert m.values[("sections", 0, "facts", 0, "sources", 1)] == Mark(5, 23)
    assert m.values[("sections", 0, "facts", 1)] == Mark(6, 9)
    assert m.keys[("sections", 0, "facts", 1, "sources")] == Mark(6, 18)
    assert m.values[("sections", 0, "facts", 1, "sources", 0)] == Mark(6, 28)
    assert m.values[("sections", 1, "id")] == Mark(7, 9)


def test_marks_of_block_scalars_point_at_the_indicator() -> None:
    m = load_yaml("premise: |\n  line one\n  line two\nnext: >-\n  folded\n").marks
    assert m.values[("premise",)] == Mark(1, 10)
    assert m.values[("next",)] == Mark(4, 7)


def test_marks_count_characters_not_bytes() -> None:
    m = load_yaml("t: ééé\nu: [\u4e2d\u6587, x]\n").marks
    assert m.values[("u", 1)] == Mark(2, 9)  # 中文 are two columns, not six bytes


def test_marks_fall_back_to_the_nearest_ancestor() -> None:
    m = load_yaml("a:\n  b: 1\n").marks
    assert m.value(("a", "b", "c", 3)) == Mark(2, 6)
    assert m.value(("zzz",)) == Mark(1, 1)
    assert m.key(("a", "b")) == Mark(2, 3)
    assert m.key(("a", "b", "missing")) == Mark(2, 6)  # no key mark: the value's
    assert Marks().value(("x",)) == Mark(1, 1)


# ------------------------------------------------------------------ syntax errors


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: [1, 2\n", (2, 1)),  # unclosed flow sequence
        ("a: {b: 1\n", (2, 1)),  # unclosed flow mapping
        ("a: b: c\n", (1, 5)),  # mapping value in a plain scalar
        ("a:\n  - x\n - y\n", (3, 2)),  # bad indentation
        ("a: 'unterminated\n", (2, 1)),
        ('a: "bad \\q escape"\n', (1, 9)),
        ("a: @x\n", (1, 4)),  # reserved indicator
        ("a: `x\n", (1, 4)),
        ("\ta: 1\n", (1, 1)),  # tab indentation
        ("a: 1\n- b\n", (2, 1)),  # a sequence item inside a mapping
        ("a: *\n", (1, 5)),  # an alias without a name
    ],
)
def test_syntax_errors_are_located(text: str, where: tuple[int, int]) -> None:
    doc = load_yaml(text)
    assert doc.data is None
    assert problems(text) == [("yaml-syntax", *where)]
    assert doc.problems[0].message


def test_syntax_error_message_includes_the_context() -> None:
    (p,) = load_yaml("a: [1, 2\n").problems
    assert "flow sequence" in p.message


def test_control_characters_are_a_syntax_error() -> None:
    assert codes("a: x\x07y\n") == ["yaml-syntax"]
    assert "control characters" in load_yaml("a: x\x07y\n").problems[0].message


def test_control_character_error_points_at_the_character() -> None:
    assert problems("a: b\nc: x\x07y\n") == [("yaml-syntax", 2, 5)]


# ------------------------------------------------------------------ strictness


def test_duplicate_keys_top_level_and_nested() -> None:
    doc = load_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert problems("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n") == [
        ("yaml-duplicate-key", 4, 3),
        ("yaml-duplicate-key", 5, 1),
    ]
    assert doc.data == {"a": 1, "b": {"c": 1}}  # the first one is kept
    assert "first at line 3" in doc.problems[0].message


def test_duplicate_key_in_flow_mapping_and_with_container_values() -> None:
    assert problems("r: {d: 1, d: 2}\n") == [("yaml-duplicate-key", 1, 11)]
    doc = load_yaml("a: {x: 1}\na:\n  y: [1, 2]\nb: 2\n")
    assert [p.code for p in doc.problems] == ["yaml-duplicate-key"]
    assert doc.data == {"a": {"x": 1}, "b": 2}


def test_duplicate_keys_in_different_mappings_are_fine() -> None:
    assert problems("- {id: a}\n- {id: b}\n") == []
    assert problems("a: {id: 1}\nb: {id: 2}\n") == []


def test_anchors_and_aliases() -> None:
    doc = load_yaml("a: &x foo\nb: *x\n")
    assert problems("a: &x foo\nb: *x\n") == [("yaml-alias", 1, 4), ("yaml-alias", 2, 4)]
    assert doc.data == {"a": "foo", "b": None}  # never expanded


def test_anchors_on_collections_and_keys() -> None:
    assert codes("a: &x [1]\n&y b: 2\n") == ["yaml-alias", "yaml-alias"]


def test_alias_as_a_key() -> None:
    assert codes("a: &x k\n*x : 3\n") == ["yaml-alias", "yaml-alias", "schema-type"]


def test_merge_keys() -> None:
    doc = load_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert problems("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n") == [
        ("yaml-alias", 1, 7),
        ("yaml-alias", 3, 3),
        ("yaml-alias", 3, 7),
    ]
    assert "merge keys" in doc.problems[1].message
    assert doc.data == {"base": {"x": 1}, "other": {"y": 2}}


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:os.system x\n",
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/name:os.system ''\n",
        "a: !!str 5\n",
        "a: !!int '5'\n",
        "a: !custom x\n",
        "a: !!map {}\n",
        "a: !!seq []\n",
        "%TAG !e! tag:example.com,2000:\n---\na: !e!foo x\n",
    ],
)
def test_tags_are_refused(text: str) -> None:
    doc = load_yaml(text)
    assert codes(text) == ["yaml-tag"]
    assert "tag" in doc.problems[0].message
    # Nothing is constructed: the tagged value is kept as plain data.
    assert not any(callable(v) for v in (doc.data or {}).values())


def test_non_specific_tag_is_allowed() -> None:
    assert load_yaml("a: ! x\n").problems == []


@pytest.mark.parametrize("value", ["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "off", "OFF"])
def test_implicit_bool(value: str) -> None:
    doc = load_yaml(f"a: {value}\n")
    assert problems(f"a: {value}\n") == [("yaml-implicit-bool", 1, 4)]
    assert doc.data == {"a": value}  # kept as the text the writer typed
    assert f'"{value}"' in doc.problems[0].message


def test_implicit_bool_message_says_which_boolean() -> None:
    assert "boolean True" in load_yaml("a: on\n").problems[0].message
    assert "boolean False" in load_yaml("a: no\n").problems[0].message


@pytest.mark.parametrize(
    "value", ["1.10", "0777", "0x1F", "1_000", ".inf", "-.inf", ".NaN", "1:20", "0.5", "0o17"]
)
def test_implicit_number(value: str) -> None:
    text = f"a: {value}\n"
    if value == "0o17":  # YAML 1.1 has no 0o prefix: plain text, no problem
        assert load_yaml(text).data == {"a": "0o17"}
        return
    assert problems(text) == [("yaml-implicit-number", 1, 4)]
    assert load_yaml(text).data == {"a": value}


@pytest.mark.parametrize(("value", "number"), [("0", 0), ("7", 7), ("2023", 2023), ("94", 94)])
def test_plain_decimals_are_numbers(value: str, number: int) -> None:
    doc = load_yaml(f"a: {value}\n")
    assert (doc.data, doc.problems) == ({"a": number}, [])


def test_negative_integers_are_numbers() -> None:
    doc = load_yaml("a: -5\n")
    assert (doc.data, doc.problems) == ({"a": -5}, [])


@pytest.mark.parametrize("value", ["2023-10-06", "2023-10-06T10:00:00Z", "2023-1-6 10:00:00"])
def test_implicit_date(value: str) -> None:
    assert problems(f"a: {value}\n") == [("yaml-implicit-date", 1, 4)]
    assert load_yaml(f"a: {value}\n").data == {"a": value}


def test_multiple_documents() -> None:
    doc = load_yaml("a: 1\n---\nb: 2\n---\nc: 3\n")
    assert problems("a: 1\n---\nb: 2\n---\nc: 3\n") == [("yaml-multiple-documents", 2, 1)]
    assert doc.data == {"a": 1}


def test_trailing_empty_document_counts() -> None:
    assert codes("a: 1\n---\n") == ["yaml-multiple-documents"]


@pytest.mark.parametrize("key", ["1", "~", "true", "[a, b]", "{a: 1}"])
def test_non_text_keys(key: str) -> None:
    complex_key = key.startswith(("[", "{"))
    doc = load_yaml(f"? {key}\n: v\nok: 1\n" if complex_key else f"{key}: v\nok: 1\n")
    assert "schema-type" in [p.code for p in doc.problems]
    assert doc.data == {"ok": 1}


# ------------------------------------------------------------------ depth and bombs


def _stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def _nested_flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_depth_limit_boundary() -> None:
    assert load_yaml(_nested_flow(MAX_DEPTH)).problems == []
    assert codes(_nested_flow(MAX_DEPTH + 1)) == ["yaml-too-deep"]
    assert load_yaml(_nested_flow(MAX_DEPTH + 1)).data is None


def test_depth_limit_counts_mappings_too() -> None:
    text = "a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(MAX_DEPTH))
    assert problems(text) == [("yaml-too-deep", MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)]


@pytest.mark.parametrize(
    "text",
    [
        _nested_flow(100_000),
        "{a: " * 100_000 + "x" + "}" * 100_000,
        "- " * 100_000 + "x\n",
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences"],
)
def test_100k_deep_nesting_is_refused_without_recursion(text: str) -> None:
    limit = sys.getrecursionlimit()
    # A recursive composer would fail long before 100k levels, even with the default limit;
    # allow only 100 frames above this one to be sure.
    sys.setrecursionlimit(_stack_depth() + 100)
    try:
        doc = load_yaml(text)
    finally:
        sys.setrecursionlimit(limit)
    assert codes(text) == ["yaml-too-deep"]
    assert doc.data is None


def _bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly() -> None:
    # 12**12 ~ 9e12 "lol"s if expanded. No timing here (timed tests flake on slow machines):
    # the data below proves no alias was followed, which is what keeps it fast.
    text = _bomb(12, 12)
    doc = load_yaml(text)
    assert {p.code for p in doc.problems} == {"yaml-alias"}
    assert len(doc.problems) == 12 + 11 * 12  # every anchor and every alias
    assert doc.data["a0"] == ["lol"] * 12
    assert doc.data["a11"] == [None] * 12  # aliases are never followed


def test_problems_are_collected_not_raised() -> None:
    text = "a: yes\nb: 1.10\nc: 2020-01-01\nd: &x 1\ne: *x\na: 2\nf: !!str x\n"
    assert codes(text) == [
        "yaml-implicit-bool",
        "yaml-implicit-number",
        "yaml-implicit-date",
        "yaml-alias",
        "yaml-alias",
        "yaml-duplicate-key",
        "yaml-tag",
    ]


# ------------------------------------------------------------------ parser parity


class _PurePythonReader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[misc]
    """PyYAML's pure-Python parser, as yamlload uses when libyaml is missing."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    def dispose(self) -> None:
        pass


def _case_texts() -> Iterator[tuple[str, str]]:
    for name, text in case_films():
        text = text.removeprefix("\ufeff")
        if "\x00" not in text:
            yield name, text


SNIPPETS = [
    "a: yes\nb: 1.10\nc: 2020-01-01\nd: &x 1\ne: *x\na: 2\nf: !!str x\n",
    "x: 'q'\ny: \"d\"\nz: |\n  l\nw: >-\n  f\nv: plain text\nu: ~\n",
    "- [a, {b: c}]\n- ? [k]\n  : v\n",
    _nested_flow(MAX_DEPTH + 3),
    _bomb(3, 3),
    "a: 1\n---\nb: 2\n",
]


def _load_with(reader: Any, text: str, monkeypatch: pytest.MonkeyPatch) -> Document:
    monkeypatch.setattr(yamlload, "_Reader", reader)
    return load_yaml(text)


def test_libyaml_is_in_use() -> None:
    assert yamlload._Reader.__name__ == "CParser"


def test_libyaml_and_pure_python_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same data, marks and problems with either parser (syntax messages may differ)."""
    texts = [*_case_texts(), *((f"snippet-{i}", t) for i, t in enumerate(SNIPPETS))]
    assert len(texts) > 100
    c_reader = yamlload._Reader
    for name, text in texts:
        fast = _load_with(c_reader, text, monkeypatch)
        slow = _load_with(_PurePythonReader, text, monkeypatch)
        assert fast.data == slow.data, name
        assert [p.code for p in fast.problems] == [p.code for p in slow.problems], name
        for f, s in zip(fast.problems, slow.problems, strict=True):
            if f.code == "yaml-syntax":
                assert f.mark.line == s.mark.line, name
            else:
                assert (f.mark, f.message) == (s.mark, s.message), name
        if not any(p.code == "yaml-syntax" for p in fast.problems):
            assert fast.marks == slow.marks, name
