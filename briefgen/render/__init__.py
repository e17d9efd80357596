"""Brief × audience → one file per output format, by the format registered under its name.

Adding an output format is one small module here: a function
`write(editions, settings) -> list[bytes]` decorated with `@register(name, extension, label)`,
imported at the bottom of this file (the same pattern as `ingest.readers`). `write` gets every
edition to be written in that format at once (the PDF engine renders them in parallel, in
isolated children) and returns their bytes in order; the pipeline writes every file only after
every format has succeeded, so a failed build replaces nothing.

Modules: `html` (templates → HTML), `pdf` (HTML → PDF in an isolated WeasyPrint child), `json`
(the brief model), `charts` (inline SVG pictures), `templates` (each audience's templates checked
before rendering, for `validate`), `fontstamp` (embedded fonts carry the brief's
build time: byte-identical PDFs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import ConfigError, Problem
from ..model import Brief


@dataclass(frozen=True)
class Edition:
    """One audience's brief, ready to be written in each of its formats."""

    brief: Brief
    """The composed brief of this edition."""
    html: str
    """The edition rendered through its template (the PDF is typeset from it)."""
    stem: str
    """Output file name without extension, e.g. `weekly-2024-W25-analyst`."""
    formats: tuple[str, ...]
    """Names of the formats this edition is written in, in order."""

    def file_names(self) -> tuple[str, ...]:
        """Its output file names, one per format, in order."""
        return tuple(f"{self.stem}.{get(n).extension}" for n in self.formats)


@dataclass(frozen=True)
class Settings:
    """What a format may need besides the edition: the project and the build's limits."""

    root: Path
    """The project's folder (templates/, assets/)."""
    timeout: float = 180
    """Seconds the PDF engine may take."""
    memory_mb: int = 3072
    """Address space of the PDF engine."""
    hosts: tuple[str, ...] = ()
    """Hosts the PDF engine may fetch from over http(s)."""
    cache: Any = None
    """The build's `cache.Cache` (content-addressed results), or None."""


Writer = Callable[[Sequence[Edition], Settings], list[bytes]]


@dataclass(frozen=True)
class Format:
    """An output format: its name (config, --format), file extension, label and writer."""

    name: str
    """As written in config.yaml `formats:` and `--format`, e.g. `pdf`."""
    extension: str
    """File extension without the dot, e.g. `pdf`."""
    label: str
    """How a reader calls it, e.g. `PDF` (templates show it)."""
    write: Writer
    """Editions → their bytes in this format, in order."""


FORMATS: dict[str, Format] = {}
"""Every registered output format by name, in registration order (the default order)."""


def register(name: str, extension: str | None = None, label: str | None = None) -> Callable[[Writer], Writer]:
    def add(fn: Writer) -> Writer:
        FORMATS[name] = Format(name, extension or name, label or name.upper(), fn)
        return fn
    return add


def get(name: str) -> Format:
    """The format registered as `name`; ConfigError naming the known ones when there is none."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ConfigError(Problem(f"no output format '{name}'", key="formats",
                                  hint=f"known formats: {', '.join(FORMATS)}")) from None


def names() -> tuple[str, ...]:
    """Names of every registered format, in registration order."""
    return tuple(FORMATS)


def write(editions: Sequence[Edition], settings: Settings) -> dict[str, bytes]:
    """File name → bytes for every edition in each of its formats; each format writes all its
    editions in one call. Nothing is written to disk here."""
    files: dict[str, bytes] = {}
    for fmt in FORMATS.values():
        wanted = [e for e in editions if fmt.name in e.formats]
        if wanted:
            for edition, data in zip(wanted, fmt.write(wanted, settings)):
                files[f"{edition.stem}.{fmt.extension}"] = data
    for name in {n for e in editions for n in e.formats} - FORMATS.keys():
        get(name)  # raises: a format named but not registered
    order = {name: (i, j) for i, e in enumerate(editions) for j, name in enumerate(e.file_names())}
    return dict(sorted(files.items(), key=lambda item: order[item[0]]))


from . import html, pdf, json  # noqa: E402,F401,I001  (registers the formats; this order is the default)
