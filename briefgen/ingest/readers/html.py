"""Saved web page bytes → one Extracted: main text and metadata by trafilatura.

trafilatura reads the page's JSON-LD, OpenGraph and meta tags and finds the date with
htmldate; briefgen then drops junk bylines and implausible dates.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import Extracted, register
from .common import sane_author, sane_date

_LANG = re.compile(rb"<html[^>]*\blang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)", re.I)


@register(".html", ".htm", name="html", label="web page")
def read(data: bytes, path: Path) -> list[Extracted]:
    import trafilatura  # heavy: loaded only when there is HTML to read

    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                      include_tables=False, include_images=False,
                                      favor_precision=True)
    if doc is None or not (doc.text or "").strip():
        return [Extracted("", "html", warnings=("no article text found in the page",))]
    title = (doc.title or "").strip() or None
    paragraphs = [p.strip() for p in doc.text.split("\n") if p.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the extractor repeats the headline as the first line
    published, warning = sane_date(doc.date)
    lang = _LANG.search(data[:4096])
    return [Extracted(
        "\n\n".join(paragraphs), "html", title=title, outlet=(doc.sitename or None),
        author=sane_author(doc.author), published=published, url=(doc.url or None),
        language=lang.group(1).decode().lower() if lang else None,
        warnings=(warning,) if warning else (),
    )]
