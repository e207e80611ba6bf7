"""Diagnostics: one clear, located message per problem, in a human or a GitHub format."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

# Every rule has its own stable code. CONTRIBUTING.md documents them; a test keeps both in sync.
CODES: dict[str, str] = {
    # Reading the file
    "file-unreadable": "the file cannot be read (missing, a directory, or permission denied)",
    "file-too-large": "the file is larger than the per-file size cap",
    "file-not-utf8": "the file is binary or not UTF-8 text",
    "file-outside-content": "the path is a symlink that points outside the content directory",
    "file-name-mismatch": "the file name must equal the film id",
    # YAML
    "yaml-syntax": "the YAML cannot be parsed",
    "yaml-duplicate-key": "a mapping has the same key twice (YAML would silently keep the last)",
    "yaml-alias": "anchors, aliases and merge keys are not allowed",
    "yaml-tag": "explicit YAML tags are not allowed",
    "yaml-too-deep": "the document nests deeper than any film needs",
    "yaml-implicit-bool": "an unquoted yes/no/on/off is read as a boolean by YAML 1.1",
    "yaml-implicit-number": "an unquoted value like 1.10 is read as a number, losing digits",
    "yaml-implicit-date": "an unquoted date is read as a date object, not a string",
    "yaml-multiple-documents": "a film file holds exactly one YAML document",
    # Schema
    "schema-unknown-key": "a key the schema does not define",
    "schema-missing-key": "a required key is missing",
    "schema-type": "a value has the wrong type",
    "schema-value": "a value breaks a schema rule (pattern, enum, length, range)",
    # Meaning
    "duplicate-film-id": "two files declare the same film id",
    "duplicate-id": "an id is used twice within a film",
    "reserved-id": "a section id that the film page itself uses for another element",
    "unknown-level": "a level that is not in the site's ladder",
    "fact-below-section": "a fact is graded below the level of its section",
    "description-before-introduced": "an entity description is graded below its introduction",
    "unknown-source": "a cited source id does not exist",
    "unused-source": "a source is never cited",
    "unknown-entity": "a reference to an entity id that does not exist",
    "unknown-section": "a reference to a section id that does not exist",
    "disagreement-below-section": "a disagreement is graded below the section it is placed in",
    "year-mismatch": "the year in the film id differs from `year`",
    "duplicate-name": "two entities share a name, so the spoiler lint cannot tell them apart",
    "duplicate-recap": "two recaps for the same level",
    "source-description": "`title_level` and `description` of a source go together",
    "content-note-names": "a content note names a character, place or thing",
    "scaffold-placeholder": "a placeholder written by `spoilers new` is still in the file",
    # Spoiler lint
    "spoiler-entity": "text at a level names an entity introduced at a higher level",
    "spoiler-repeat": "text at a level repeats a run of words of a text graded higher",
    "spoiler-link": "a link at a level points at the anchor of a section graded higher",
    "spoiler-cross-film": "a film's shared text names or repeats another film's hidden text",
    # Markup safety
    "markup-html": "raw HTML is not allowed in writer text",
    "markup-block": "only inline Markdown is allowed (no headings, lists, quotes, code blocks)",
    "markup-url": "a link URL that is not http(s) or site-relative",
    "markup-control": "control characters are not allowed in writer text",
}


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered diagnostic code {self.code!r}")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def human(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self.severity.value}[{self.code}]: {self.message}"

    def github(self) -> str:
        # https://docs.github.com/actions/reference/workflow-commands-for-github-actions
        # Properties escape % \r \n : , ; the message escapes % \r \n.
        level = "error" if self.is_error else "warning"
        props = ",".join(
            f"{k}={_escape_property(v)}"
            for k, v in (
                ("file", self.path),
                ("line", str(self.line)),
                ("col", str(self.col)),
                ("title", f"spoilers {self.code}"),
            )
        )
        return f"::{level} {props}::{_escape_data(self.message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_all(diagnostics: Iterable[Diagnostic], fmt: str = "human") -> str:
    ordered = sorted(diagnostics)
    if fmt == "github":
        return "\n".join(d.github() for d in ordered)
    return "\n".join(d.human() for d in ordered)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
