"""Failures a user can cause → one exception tree the CLI turns into one line per problem.

    BriefgenError                 anything the user can fix; the CLI prints it and exits 1
     ├── ConfigError              config.yaml unreadable, invalid, or naming what isn't there
     ├── IngestError              an article file that can't be read as text
     ├── RenderError              a template that fails, a PDF that can't be made
     ├── OutputError              an output folder or file that can't be written
     └── DeliveryError            a mail server that refuses, drops or can't be trusted

Every error carries one or more `Problem`s: where (file, line, key), what is wrong, and
what to do. Anything outside this tree is a bug in briefgen and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "BriefgenError", "ConfigError", "IngestError", "RenderError", "OutputError",
           "DeliveryError"]


@dataclass(frozen=True)
class Problem:
    """One thing the user must fix."""

    message: str
    """What is wrong, in plain words."""
    file: str | None = None
    """The file concerned, as the user wrote it or relative to the working folder."""
    line: int | None = None
    """1-based line in `file`, when known (YAML keys, template lines)."""
    key: str | None = None
    """Dotted path of the config key, e.g. ``sections[2].articles[0]``."""
    hint: str | None = None
    """What to do about it."""

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [p for p in (where, self.key) if p]
        text = ": ".join(parts + [self.message]) if parts else self.message
        return f"{text} ({self.hint})" if self.hint else text


class BriefgenError(Exception):
    """Base of every error a user can cause and fix."""

    def __init__(self, problems: Problem | str | list[Problem]):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems: list[Problem] = [
            p if isinstance(p, Problem) else Problem(p) for p in problems
        ]
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(BriefgenError):
    """The config file is unreadable, invalid, or refers to things that don't exist."""


class IngestError(BriefgenError):
    """An article file can't be read as text."""


class RenderError(BriefgenError):
    """A template failed or the PDF engine could not produce the document."""


class OutputError(BriefgenError):
    """An output could not be written; earlier outputs are left as they were."""


class DeliveryError(BriefgenError):
    """E-mail could not be delivered; the message stays in the outbox for `send --retry`."""
