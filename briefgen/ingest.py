"""Config → tuple[Article]: each source file read, decoded, and cleaned of site chrome.

Every unreadable file is reported (all at once, as IngestError); config metadata always
wins over what is detected in the file.
"""

from __future__ import annotations

from .chrome import Cleaner, normalize
from .config import Config, SourceSpec
from .errors import IngestError, Problem
from .model import Article

def ingest(config: Config) -> tuple[Article, ...]:
    """Read every source the config names; raise IngestError listing every unreadable one."""
    c = config.cleanup
    cleaner = Cleaner(c.drop, c.keep, c.min_words)
    limit = int(config.safety.max_article_mb * 1_000_000)
    articles, problems = [], []
    for spec in config.sources:
        try:
            articles.append(read_article(spec, cleaner, limit))
        except IngestError as exc:
            problems.extend(exc.problems)
    if problems:
        raise IngestError(problems)
    return tuple(articles)


def read_article(spec: SourceSpec, cleaner: Cleaner, limit: int = 5_000_000) -> Article:
    """One source file → Article; files over `limit` bytes are refused."""
    raw = _read_text(spec, limit)
    cleaned = cleaner.clean(raw)
    if not cleaned.body:
        raise IngestError(_problem(spec, "no article text left after removing site chrome",
                                   "check the file, or add a cleanup.keep pattern"))
    title = normalize(spec.title) if spec.title else cleaned.title or spec.path.stem
    return Article(
        id=spec.id, path=spec.path, title=title, text=cleaned.body, raw=raw,
        outlet=spec.outlet, url=spec.url, published=spec.published,
        reliability=spec.reliability, note=spec.note, sections=spec.sections,
        removed=cleaned.removed,
    )


def _read_text(spec: SourceSpec, limit: int) -> str:
    try:
        size = spec.path.stat().st_size
        if size > limit:
            raise IngestError(_problem(spec, f"file is too large ({size / 1e6:.1f} MB)",
                                       f"articles are limited to {limit / 1e6:g} MB (safety.max_article_mb)"))
        data = spec.path.read_bytes()
    except OSError as exc:
        raise IngestError(_problem(spec, f"cannot read file: {exc.strerror}")) from None
    if not data.strip():
        raise IngestError(_problem(spec, "file is empty", "remove it from the config or add text"))
    if b"\x00" in data[:8192]:
        raise IngestError(_problem(spec, "file is binary, not text", "save the article as text"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(_problem(spec, f"not UTF-8 text (bad byte at offset {exc.start})",
                                   "re-save the file as UTF-8")) from None


def _problem(spec: SourceSpec, message: str, hint: str | None = None) -> Problem:
    return Problem(message, file=spec.shown, hint=hint)
