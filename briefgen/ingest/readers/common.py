"""Bytes and markup → text and trustworthy metadata: decoding, HTML to paragraphs, sane fields."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from ...errors import IngestError

EARLIEST = date(1990, 1, 1)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "td",
          "th", "figcaption", "div", "section", "article", "tr", "br"}
_JUNK_AUTHOR = re.compile(
    r"@|https?:|\b(e-?mail|author|staff|admin|editor|desk|share|follow|subscribe|contributor|"
    r"reporter|correspondent|updated|published|posted|news|agency|wire|team|newsroom)\b|\d", re.I)


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes → (text, warning): UTF-8 if it is, else the encoding charset-normalizer detects."""
    if b"\x00" in data[:8192]:
        raise IngestError("file is binary, not text (skipped)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError("file is binary or in an unknown encoding (skipped)")
    text, encoding = str(best), best.encoding
    try:  # several single-byte encodings often read the same; name the common Western one
        if data.decode("cp1252") == text:
            encoding = "cp1252"
    except UnicodeDecodeError:
        pass
    return text, f"not UTF-8: read as {encoding}"


def html_to_text(html: str) -> str:
    """HTML fragment → plain text, one paragraph per block element (text only, markup dropped)."""
    import lxml.html

    html = _NOT_XML.sub("", html)
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for br in root.iter("br"):
        br.tail = "\n\n" + (br.tail or "")
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in BLOCKS:
            el.tail = "\n\n" + (el.tail or "")
            if el.text is not None:
                el.text = "\n\n" + el.text
    text = root.text_content()
    return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())


def sane_author(value: str | None) -> str | None:
    """A person's name, or None: bylines like 'Email the author', '12:30', 'Staff' are dropped."""
    if not value:
        return None
    names = []
    for part in re.split(r"[;|]|\band\b", value):
        part = re.sub(r"^\s*by\s+", "", part.strip(), flags=re.I).strip(" ,")
        if part and not _JUNK_AUTHOR.search(part) and 1 <= len(part.split()) <= 5:
            names.append(part)
    return ", ".join(dict.fromkeys(names)) or None


def sane_date(value: object, today: date | None = None) -> tuple[date | None, str | None]:
    """(date, warning): dates in the future or before 1990 are flagged and not trusted."""
    if value in (None, ""):
        return None, None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    else:
        try:
            found = date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return None, f"unreadable date {str(value)[:40]!r} ignored"
    today = today or datetime.now(timezone.utc).date()
    if found > today + timedelta(days=1) or found < EARLIEST:
        return None, f"implausible date {found.isoformat()} ignored"
    return found, None
