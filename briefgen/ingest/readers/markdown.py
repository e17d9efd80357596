"""Markdown file bytes → one Extracted: YAML front matter for metadata, the body as text."""

from __future__ import annotations

import re
from pathlib import Path

from ... import safeyaml
from . import Extracted, register
from .common import decode, html_to_text, sane_author, sane_date

FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.S | re.M)
"""YAML front matter: between a first line '---' and the next line '---' (or '...')."""

FRONT_MATTER_NODES = 10_000
"""Front matter holds a few fields: far fewer values than a config may."""

FIELDS = {"title": ("title", "headline"), "outlet": ("outlet", "source", "site", "publisher"),
          "author": ("author", "byline", "authors"), "published": ("published", "date"),
          "url": ("url", "link"), "language": ("language", "lang")}
"""Front-matter keys read for each field, first found wins."""


@register(".md", ".markdown", name="md", label="front matter")
def read(data: bytes, path: Path) -> list[Extracted]:
    import markdown as md

    from ...sanitize import clean_html

    text, warning = decode(data)
    warnings = [warning] if warning else []
    meta, body = {}, text
    found_front = FRONT.match(text)
    if found_front:
        body = text[found_front.end():]
        try:  # the project's one YAML loader: plain values, an alias budget, no duplicate keys
            loaded, _ = safeyaml.parse(found_front.group(1), FRONT_MATTER_NODES, "the front matter")
            meta = loaded if isinstance(loaded, dict) else {}
        except safeyaml.YamlProblem as exc:  # malformed front matter: keep the text, say so
            warnings.append(f"front matter ignored: {exc.message[:100]}")
    found = {f: next((meta[k] for k in keys if meta.get(k) not in (None, "")), None)
             for f, keys in FIELDS.items()}
    if isinstance(found["author"], list):
        found["author"] = "; ".join(map(str, found["author"]))
    published, date_warning = sane_date(found["published"])
    if date_warning:
        warnings.append(date_warning)
    plain = html_to_text(clean_html(md.markdown(body)))
    return [Extracted(
        plain, "md", title=_str(found["title"]), outlet=_str(found["outlet"]),
        author=sane_author(_str(found["author"])), published=published, url=_str(found["url"]),
        language=_str(found["language"]), find_title=not found["title"], warnings=tuple(warnings),
    )]


def _str(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None
