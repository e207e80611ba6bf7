"""What the audit reports: one line per leak, and the figures of the run."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Leak:
    film: str  # film id, or "*" for a site-wide policy problem
    level: str  # the level whose reader receives it, or "*"
    file: str
    channel: str
    kind: str  # entity, fact, section-title, ..., section-id, anchor, policy, missing
    what: str
    snippet: str = field(default="", compare=False)

    def line(self) -> str:
        snip = " ".join(self.snippet.split()).replace("\\", "\\\\").replace('"', '\\"')
        return (
            f"LEAK film={self.film} level={self.level} file={self.file} channel={self.channel} "
            f'match={self.kind}:{self.what} snippet="{snip}"'
        )


@dataclass
class AuditResult:
    leaks: list[Leak]
    films: int
    levels: int
    files: int  # files read (HTML, JSON, XML, JS, CSS, ...)
    checks: int
    theme_files: int = 0  # of those, files byte-identical to a file the theme or plugin ships
    needles: int = 0  # hidden names, runs and section ids looked for

    def summary(self) -> str:
        return (
            f"spoilers audit: {self.films} films x {self.levels} levels, {self.files} files "
            f"({self.theme_files} identical to theme files), {self.needles} needles, "
            f"{self.checks} checks: {len(self.leaks)} leak(s)"
        )
