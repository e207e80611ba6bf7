"""Strict YAML: plain data plus the line and column of every key and value.

PyYAML's loaders are too forgiving for writer content: they keep the last of two duplicate keys,
expand aliases (an alias bomb costs gigabytes), and apply YAML 1.1's implicit typing, which turns
`no` into False and `1.10` into 1.1. This module builds the data itself from parser events, so it
can refuse each of those with a located message, and never recurses (deep nesting cannot crash
it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

try:  # libyaml's parser is ~10x faster; the composing below is ours either way.
    from yaml._yaml import CParser as _Reader
except ImportError:  # pragma: no cover - depends on how PyYAML was built

    class _Reader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)

        def dispose(self) -> None:
            pass


Path = tuple[str | int, ...]

MAX_DEPTH = 24  # a film nests 5 deep; anything far beyond is a mistake or an attack

_RESOLVER = yaml.resolver.Resolver()
# First characters that some YAML 1.1 implicit type (bool, int, float, null, date...) can start
# with; any other plain scalar is a string without asking the resolver.
_IMPLICIT_FIRST = frozenset(k for k in _RESOLVER.yaml_implicit_resolvers if k is not None)
# What the YAML 1.1 reader refuses: C0 controls but tab/LF/CR, DEL..C1 but NEL, surrogates, FFFE/F.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_STR = "tag:yaml.org,2002:str"


class Mark(NamedTuple):
    # A NamedTuple, not a dataclass: one is made per YAML node, and this is ~5x cheaper.
    line: int  # 1-based
    col: int  # 1-based


@dataclass(frozen=True)
class YamlProblem:
    code: str
    message: str
    mark: Mark


@dataclass
class Marks:
    """Where each value (and each mapping key) of a document starts."""

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def value(self, path: Path) -> Mark:
        """The mark of the value at `path`, or of its nearest present ancestor."""
        while True:
            if path in self.values:
                return self.values[path]
            if not path:
                return Mark(1, 1)
            path = path[:-1]

    def key(self, path: Path) -> Mark:
        return self.keys.get(path) or self.value(path)


@dataclass
class Document:
    data: Any
    marks: Marks
    problems: list[YamlProblem]


_KINDS = {
    cls: cls.__name__
    for cls in (
        yaml.ScalarEvent,
        yaml.MappingStartEvent,
        yaml.MappingEndEvent,
        yaml.SequenceStartEvent,
        yaml.SequenceEndEvent,
        yaml.AliasEvent,
        yaml.DocumentStartEvent,
        yaml.DocumentEndEvent,
        yaml.StreamStartEvent,
        yaml.StreamEndEvent,
    )
}


def _mark(m: Any) -> Mark:
    return Mark(m.line + 1, m.column + 1)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    pending_key: str | None = None  # mappings: the key whose value comes next
    pending_key_mark: Mark | None = None
    skip_value: bool = False  # the key was bad; drop its value
    seen: dict[str, Mark] = field(default_factory=dict)


def _scalar(event: Any, problems: list[YamlProblem]) -> Any:
    mark = _mark(event.start_mark)
    value: str = event.value
    if event.tag not in (None, "!"):
        problems.append(
            YamlProblem("yaml-tag", f"the tag {event.tag!r} is not allowed; remove it", mark)
        )
        return value
    plain = event.implicit[0] and not event.style  # libyaml says "", pure Python None
    if not plain:
        return value
    if not value:
        return None  # `key:` with nothing after it is null
    if value[0] not in _IMPLICIT_FIRST:
        return value  # no implicit type starts with this character: plain text
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    if tag == _STR:
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        problems.append(
            YamlProblem(
                "yaml-implicit-bool",
                f"`{value}` would be read as the boolean {value.lower() in ('yes', 'on', 'y')}; "
                f'quote it: "{value}"',
                mark,
            )
        )
        return value
    if tag == "tag:yaml.org,2002:int":
        if re.fullmatch(r"[-+]?(?:0|[1-9][0-9]*)", value):
            return int(value)
        problems.append(
            YamlProblem(
                "yaml-implicit-number",
                f"`{value}` would be read as a YAML 1.1 number; "
                f'write a plain decimal or quote it: "{value}"',
                mark,
            )
        )
        return value
    if tag == "tag:yaml.org,2002:float":
        problems.append(
            YamlProblem(
                "yaml-implicit-number",
                f'`{value}` would be read as a number and lose its form; quote it: "{value}"',
                mark,
            )
        )
        return value
    if tag == "tag:yaml.org,2002:timestamp":
        problems.append(
            YamlProblem(
                "yaml-implicit-date",
                f'`{value}` would be read as a date, not text; quote it: "{value}"',
                mark,
            )
        )
        return value
    return value  # pragma: no cover - the resolver knows no other implicit tags


def load_yaml(text: str) -> Document:
    """Parse one YAML document strictly. Problems are collected, not raised."""
    problems: list[YamlProblem] = []
    marks = Marks()
    stack: list[_Frame] = []
    root: Any = None
    documents = 0

    def attach(value: Any, mark: Mark) -> Path | None:
        """Place a finished value into its parent; return its path (None if dropped)."""
        nonlocal root
        if not stack:
            root = value
            marks.values[()] = mark
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            path = (*top.path, len(top.container))
            top.container.append(value)
            marks.values[path] = mark
            return path
        if top.pending_key is None and not top.skip_value:
            # This value is a key.
            if not isinstance(value, str):
                problems.append(YamlProblem("schema-type", "mapping keys must be plain text", mark))
                top.skip_value = True
                return None
            if value in top.seen:
                first = top.seen[value]
                problems.append(
                    YamlProblem(
                        "yaml-duplicate-key",
                        f"the key `{value}` appears twice (first at line {first.line}); "
                        "YAML would silently keep only the last",
                        mark,
                    )
                )
                top.skip_value = True
                return None
            if value == "<<":
                problems.append(
                    YamlProblem("yaml-alias", "merge keys (`<<`) are not allowed", mark)
                )
                top.skip_value = True
                return None
            top.seen[value] = mark
            top.pending_key = value
            top.pending_key_mark = mark
            return None
        if top.skip_value:
            top.skip_value = False
            return None
        assert isinstance(top.container, dict)
        assert top.pending_key is not None and top.pending_key_mark is not None
        path = (*top.path, top.pending_key)
        top.container[top.pending_key] = value
        marks.keys[path] = top.pending_key_mark
        marks.values[path] = mark
        top.pending_key = None
        return path

    def is_key_position() -> bool:
        if not stack:
            return False
        top = stack[-1]
        return isinstance(top.container, dict) and top.pending_key is None and not top.skip_value

    parser: Any = None
    try:
        parser = _Reader(text)  # the pure-Python reader checks characters right here
        # Pull events one by one: a 100k-deep document stops at MAX_DEPTH, unparsed beyond.
        while parser.check_event():
            event = parser.get_event()
            kind = _KINDS.get(type(event), "")
            if kind == "ScalarEvent":  # by far the most frequent: first
                if event.anchor:
                    problems.append(
                        YamlProblem(
                            "yaml-alias",
                            f"anchors (`&{event.anchor}`) are not allowed; remove it",
                            _mark(event.start_mark),
                        )
                    )
                attach(_scalar(event, problems), _mark(event.start_mark))
                continue
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    problems.append(
                        YamlProblem(
                            "yaml-multiple-documents",
                            "only one YAML document is allowed per file; remove this `---`",
                            _mark(event.start_mark),
                        )
                    )
                    break
                continue
            if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                stack.pop()
                continue
            mark = _mark(event.start_mark)
            if kind == "AliasEvent":
                problems.append(
                    YamlProblem(
                        "yaml-alias",
                        f"aliases (`*{event.anchor}`) are not allowed; write the value out",
                        mark,
                    )
                )
                attach(None, mark)
                continue
            if getattr(event, "anchor", None):
                problems.append(
                    YamlProblem(
                        "yaml-alias",
                        f"anchors (`&{event.anchor}`) are not allowed; remove it",
                        mark,
                    )
                )
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                if event.tag not in (None, "!"):
                    problems.append(
                        YamlProblem("yaml-tag", f"the tag {event.tag!r} is not allowed", mark)
                    )
                if len(stack) >= MAX_DEPTH:
                    problems.append(
                        YamlProblem(
                            "yaml-too-deep",
                            f"nesting deeper than {MAX_DEPTH} levels is not allowed",
                            mark,
                        )
                    )
                    return Document(None, marks, problems)
                container: dict[str, Any] | list[Any] = {} if kind == "MappingStartEvent" else []
                if is_key_position():
                    problems.append(
                        YamlProblem("schema-type", "mapping keys must be plain text", mark)
                    )
                    stack[-1].skip_value = True
                    # Parse and drop the complex key.
                    stack.append(_Frame(container, ("<key>",)))
                    stack[-1].seen = {}
                    continue
                path = attach(container, mark)
                stack.append(_Frame(container, path if path is not None else ("<dropped>",)))
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        problems.append(YamlProblem("yaml-syntax", problem, _mark(where) if where else Mark(1, 1)))
        return Document(None, marks, problems)
    except yaml.YAMLError as exc:
        # ReaderError (a character YAML forbids) carries no mark; find the character ourselves,
        # since its `position` is in bytes for libyaml and in characters for pure Python.
        bad = _FORBIDDEN.search(text)
        at = Mark(1, 1)
        if bad:
            line_start = text.rfind("\n", 0, bad.start()) + 1
            at = Mark(text.count("\n", 0, bad.start()) + 1, bad.start() - line_start + 1)
            message = f"control characters such as U+{ord(bad.group()):04X} are not allowed in YAML"
        else:
            message = str(exc).splitlines()[0]
        problems.append(YamlProblem("yaml-syntax", message, at))
        return Document(None, marks, problems)
    finally:
        if parser is not None:
            parser.dispose()
    return Document(root, marks, problems)
