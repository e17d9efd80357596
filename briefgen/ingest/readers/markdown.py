"""Markdown file bytes → one Extracted: YAML front matter for metadata, the body as text."""

from __future__ import annotations

from pathlib import Path

from . import Extracted, register
from .common import decode, html_to_text, sane_author, sane_date

FIELDS = {"title": ("title", "headline"), "outlet": ("outlet", "source", "site", "publisher"),
          "author": ("author", "byline", "authors"), "published": ("published", "date"),
          "url": ("url", "link"), "language": ("language", "lang")}
"""Front-matter keys read for each field, first found wins."""


@register(".md", ".markdown", name="md", label="front matter")
def read(data: bytes, path: Path) -> list[Extracted]:
    import frontmatter
    import markdown as md

    from ...sanitize import clean_html

    text, warning = decode(data)
    warnings = [warning] if warning else []
    try:
        post = frontmatter.loads(text)
        meta, body = post.metadata, post.content
    except Exception as exc:  # malformed front matter: keep the text, say so
        meta, body = {}, text
        warnings.append(f"front matter ignored: {str(exc).splitlines()[0][:80]}")
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
