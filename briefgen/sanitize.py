"""Untrusted HTML → HTML with only an allowlist of harmless tags and attributes (nh3/Ammonia);
untrusted URLs → the URL, or None when its scheme is not allowed.

Dropped: script and style elements with their content, event handlers, style attributes,
images, iframes, objects, forms, `link` (so no `rel=attachment`), and any URL whose scheme is
not http, https or mailto (so no `javascript:`, `file:` or `data:` links).
"""

from __future__ import annotations

import nh3

TAGS = {"p", "br", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "code", "pre",
        "blockquote", "q", "cite", "abbr", "ul", "ol", "li", "dl", "dt", "dd", "h3", "h4", "h5",
        "h6", "hr", "span", "table", "thead", "tbody", "tr", "th", "td", "caption"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"},
              "th": {"colspan", "rowspan", "scope"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}
"""The one URL policy: every link that reaches an output (article bodies, feed item links, front
matter, config) uses one of these schemes, or is dropped."""


def clean_html(html: str) -> str:
    """`html` reduced to the allowlist; text content is kept, escaped."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     link_rel="noopener noreferrer")


def safe_url(url: object) -> str | None:
    """`url` when its scheme is http, https or mailto (after stripping what browsers ignore),
    else None: no `javascript:`, `data:`, `file:` or scheme-relative link reaches an output."""
    if not isinstance(url, str):
        return None
    text = "".join(ch for ch in url.strip() if ch.isprintable() and not ch.isspace())
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in SCHEMES or not rest:
        return None
    return url.strip()
