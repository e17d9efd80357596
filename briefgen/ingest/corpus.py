"""Config → Corpus: every source file read by its format's reader, cleaned, merged, de-duplicated.

Config metadata always wins over what is found in a file; the fields that came from the file
are recorded. Empty, binary and unknown files are skipped with a warning naming them; only
when no source at all is readable does ingest fail.
"""

from __future__ import annotations

import json
from dataclasses import replace

from . import dedup, readers
from .chrome import Cleaner, normalize
from ..config import Config, SourceSpec
from ..errors import IngestError, Problem
from ..isolate import map_on_cores
from ..sanitize import safe_url
from ..model import GRADES, Article, Copy, Corpus, Dropped

FIELDS = ("title", "outlet", "author", "published", "url")


def ingest(config: Config, cache=None, tick=lambda n=1: None) -> Corpus:
    """Read every source the config names; raise IngestError only if none can be used.

    With a `cache` (briefgen.cache.Cache), files whose bytes and rules did not change are not
    parsed again; the rest are parsed on every core when there are many."""
    c = config.cleanup
    limit = int(config.safety.max_article_mb * 1_000_000)
    done: dict[int, tuple[list[Article], list[str]]] = {}
    todo: list[tuple[int, SourceSpec, bytes, str]] = []
    for n, spec in enumerate(config.sources):
        try:
            data = _fetch(spec.feed, limit) if spec.feed else _read_bytes(spec, limit)
        except OSError as exc:
            done[n] = ([], [Dropped(spec.id, spec.shown, f"could not fetch the feed ({exc})")])
            continue
        if not data.strip():
            done[n] = ([], [Dropped(spec.id, spec.shown, "file is empty")])
            continue
        key = _key(spec, data, c) if cache else ""
        known = cache.articles(key) if cache else None
        if known:
            done[n] = (known, [])
            tick(1)
        else:
            todo.append((n, spec, data, key))
    for (n, spec, data, key), result in zip(todo, _parse_all([(s, d) for _, s, d, _ in todo], c, tick)):
        done[n] = result
        if cache and result[0] and not result[1]:  # a file with a dropped item is parsed again: its warning stays
            cache.put_articles(key, result[0])
    articles = [a for n in sorted(done) for a in done[n][0]]
    dropped = [d for n in sorted(done) for d in done[n][1]]
    if not articles:
        raise IngestError([Problem(str(d)) for d in dropped] +
                          [Problem("no source could be read", file=str(config.file),
                                   hint="check the files the config names")])
    merged = dedupe(articles)
    return Corpus(merged, tuple(dropped), tuple(a.id for a in merged))


def _parse_all(jobs: list[tuple[SourceSpec, bytes]], rules, tick) -> list[tuple[list[Article], list[Dropped]]]:
    """Parse files, in worker processes when there are many (results in the order given)."""
    global _CLEANER
    _CLEANER = Cleaner(rules.drop, rules.keep, rules.min_words)  # compiled once, inherited by the workers
    return map_on_cores(_parse, jobs, tick)


_CLEANER: Cleaner | None = None  # the build's cleanup rules, compiled (set before workers fork)


def _parse(job: tuple[SourceSpec, bytes]) -> tuple[list[Article], list[Dropped]]:
    spec, data = job
    cleaner = _CLEANER
    try:
        items = readers.read(data, spec.path)
    except IngestError as exc:
        return [], [Dropped(spec.id, spec.shown, exc.problems[0].message.removesuffix(" (skipped)"))]
    except Exception as exc:  # a parser choking on hostile input: skip the file, say why
        return [], [Dropped(spec.id, spec.shown, f"could not be parsed ({type(exc).__name__}: {str(exc)[:80]})")]
    articles, skipped = [], []
    for item in items:
        article = _article(spec, item, cleaner, many=len(items) > 1 or item.format == "feed")
        if article.text:
            articles.append(article)
        else:
            why = "; ".join(item.warnings) or "no article text left after removing site chrome"
            skipped.append(Dropped(f"{spec.id}~{item.key}" if item.key else spec.id,
                                   f"{spec.shown}{' item ' + item.key if item.key else ''}", why))
    return articles, skipped


def _fetch(url: str, limit: int, timeout: float = 15) -> bytes:
    """A feed's bytes over http(s), within the size limit."""
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "briefgen (+feed reader)"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only, by schema)
        data = response.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"larger than {limit / 1e6:g} MB")
    return data


def _key(spec: SourceSpec, data: bytes, rules) -> str:
    from .. import __version__
    from ..cache import digest

    meta = json.dumps({k: str(v) for k, v in spec.__dict__.items() if k != "line"}, sort_keys=True)
    return digest(__version__, meta, rules.model_dump_json(), data)


def _read_bytes(spec: SourceSpec, limit: int) -> bytes:
    try:
        size = spec.path.stat().st_size
        if size > limit:
            raise IngestError(Problem(f"file is too large ({size / 1e6:.1f} MB)", file=spec.shown,
                                      hint=f"articles are limited to {limit / 1e6:g} MB (safety.max_article_mb)"))
        return spec.path.read_bytes()
    except OSError as exc:
        raise IngestError(Problem(f"cannot read file: {exc.strerror}", file=spec.shown)) from None


def _article(spec: SourceSpec, item: readers.Extracted, cleaner: Cleaner, many: bool) -> Article:
    cleaned = cleaner.clean(item.text, find_title=item.find_title)
    found = {"title": item.title or cleaned.title, "outlet": item.outlet, "author": item.author,
             "published": item.published, "url": item.url}
    given = {"title": None if many else spec.title, "outlet": spec.outlet, "author": None,
             "published": None if many else spec.published, "url": None if many else spec.url}
    meta = {f: given[f] if given[f] not in (None, "") else found[f] for f in FIELDS}
    warnings = item.warnings
    if meta["url"] is not None and safe_url(meta["url"]) is None:  # the one URL policy: http, https, mailto
        warnings += ("link dropped: only http, https and mailto links are kept",)
        meta["url"] = None
    extracted = tuple(f for f in FIELDS if given[f] in (None, "") and found[f] not in (None, "") and meta[f] is not None)
    title = normalize(str(meta["title"])) if meta["title"] else spec.path.stem
    return Article(
        id=f"{spec.id}~{item.key}" if item.key else spec.id, path=spec.path, title=title,
        text=cleaned.body, raw=item.text, outlet=meta["outlet"], url=meta["url"],
        published=meta["published"], reliability=spec.reliability, note=spec.note,
        sections=spec.sections, removed=cleaned.removed, author=meta["author"],
        language=item.language, format=item.format, extracted=extracted, warnings=warnings,
    )


def dedupe(articles: list[Article]) -> tuple[Article, ...]:
    """Merge near-identical articles into the best-graded, earliest, first-listed of each group."""
    merged = []
    for group in dedup.groups([a.text for a in articles]):
        members = sorted((articles[i] for i in group), key=lambda a: (
            GRADES.index(a.reliability), a.published is None, a.published, group[0]))
        keep, copies = members[0], members[1:]
        if copies:
            keep = _with_copies(keep, copies)
        merged.append((min(group), keep))
    return tuple(a for _, a in sorted(merged, key=lambda m: m[0]))


def _with_copies(keep: Article, copies: list[Article]) -> Article:
    also = tuple(Copy(c.id, c.title, c.outlet, c.url, c.published) for c in copies)
    sections = tuple(dict.fromkeys(keep.sections + tuple(s for c in copies for s in c.sections)))
    return replace(keep, also=keep.also + also, sections=sections)
