"""Source file bytes → list[Extracted], by the reader registered for the file's type.

Adding a format is one small module here: a function `read(data, path) -> list[Extracted]`
decorated with `@register(".ext", …, name=NAME, label=…)`, imported at the bottom of this file
(the same pattern as the output formats in `render`). `label` says what a reader reads ("web
page"): templates show it through `describe`, never through a map of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from ...errors import IngestError


@dataclass(frozen=True)
class Extracted:
    """What a reader found in a file (or one feed item): text to clean and metadata."""

    text: str
    """Body as plain text, paragraphs separated by blank lines (chrome not yet removed)."""
    format: str
    """Reader name: txt, html, md or feed."""
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    url: str | None = None
    language: str | None = None
    key: str | None = None
    """For feeds: a stable suffix that tells items of one file apart."""
    find_title: bool = False
    """Whether the headline still has to be found in `text` (plain-text files)."""
    warnings: tuple[str, ...] = ()


Reader = Callable[[bytes, Path], list[Extracted]]
READERS: dict[str, Reader] = {}
"""Reader by file suffix."""
LABELS: dict[str, str] = {}
"""What each reader (by the name it puts in Extracted.format) reads, e.g. md → "front matter"."""


def register(*suffixes: str, name: str | None = None, label: str | None = None) -> Callable[[Reader], Reader]:
    def add(fn: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = fn
        if name:
            LABELS[name] = label or name
        return fn
    return add


def describe(name: str) -> str:
    """What the reader called `name` reads ("web page"); "file" for a reader without a label."""
    return LABELS.get(name, "file")


def read(data: bytes, path: Path) -> list[Extracted]:
    """Run the reader for `path`'s suffix; IngestError when there is none."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise IngestError(f"no reader for '{path.suffix or path.name}' files (known: {known})")
    return reader(data, path)


from . import feed, html, markdown, text  # noqa: E402,F401  (registers the readers)
