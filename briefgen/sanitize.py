"""Untrusted HTML → HTML with only an allowlist of harmless tags and attributes (nh3/Ammonia).

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


def clean_html(html: str) -> str:
    """`html` reduced to the allowlist; text content is kept, escaped."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     link_rel="noopener noreferrer")
