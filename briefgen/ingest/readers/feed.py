"""RSS/Atom feed bytes → one Extracted per item, with the item's link, date and source.

Item HTML is sanitized to an allowlist before its text is taken.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

from . import Extracted, register
from .common import html_to_text, sane_author, sane_date


@register(".xml", ".rss", ".atom", name="feed", label="feed")
def read(data: bytes, path: Path) -> list[Extracted]:
    import feedparser

    from ...sanitize import clean_html

    # bytes in a file object: feedparser takes a short byte string for a file name or URL to open
    feed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    if not feed.entries:
        reason = f": {feed.bozo_exception}" if feed.get("bozo") else ""
        return [Extracted("", "feed", warnings=(f"no feed items found{reason}"[:160],))]
    outlet = feed.feed.get("title") or None
    items = []
    for entry in feed.entries:
        body = entry.get("content", [{}])[0].get("value") or entry.get("summary") or ""
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published, warning = sane_date(date(*when[:3]) if when else None)
        ident = entry.get("id") or entry.get("link") or entry.get("title") or body[:200]
        items.append(Extracted(
            html_to_text(clean_html(body)), "feed", title=(entry.get("title") or "").strip() or None,
            outlet=(entry.get("source", {}).get("title") or outlet),
            author=sane_author(entry.get("author")), published=published,
            url=entry.get("link") or None, language=feed.feed.get("language") or None,
            key=hashlib.sha1(ident.encode("utf-8", "replace")).hexdigest()[:8],
            warnings=(warning,) if warning else (),
        ))
    return items
