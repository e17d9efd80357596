"""Brief text and config addresses → safe e-mail header values (the deliver stage's guard).

Headers are built with the `email` package's default policy. Text that comes from articles
or config (titles, periods) can never add a header: line breaks and other control
characters are folded into spaces before it reaches a header, and addresses come only from
config, each parsed strictly as one address.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default

from ..errors import ConfigError, Problem

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bqBQ]\?[^?\s]*\?=")


def header_text(value: str, limit: int = 200) -> str:
    """One line of plain text: control characters and encoded-word lookalikes neutralized."""
    text = _CONTROL.sub(" ", value)
    text = _ENCODED_WORD.sub(lambda m: m.group(0).replace("=?", "= ?"), text)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def address(value: str, key: str = "recipients") -> Address:
    """One mailbox, strictly: 'Name <user@host>' or 'user@host', nothing more."""
    if _CONTROL.search(value) or value.count("@") != 1:
        raise ConfigError(Problem(f"not a single e-mail address: {value!r}", key=key,
                                  hint="write one address per list item, e.g. Desk <desk@example.org>"))
    match = re.fullmatch(r"\s*(?:(?P<name>[^<>\"]*?)\s*<(?P<spec>[^<>\s]+)>|(?P<bare>[^<>\s,;]+))\s*", value)
    if not match:
        raise ConfigError(Problem(f"not a single e-mail address: {value!r}", key=key,
                                  hint="write one address per list item, e.g. Desk <desk@example.org>"))
    try:
        return Address(display_name=(match["name"] or "").strip(), addr_spec=match["spec"] or match["bare"])
    except (ValueError, IndexError) as exc:
        raise ConfigError(Problem(f"invalid e-mail address {value!r}: {exc}", key=key)) from None


def message(subject: str, sender: str, to: list[str]) -> EmailMessage:
    """A message shell with safe Subject, From and To headers (default policy)."""
    msg = EmailMessage(policy=default)
    msg["Subject"] = header_text(subject)
    msg["From"] = address(sender, "from")
    msg["To"] = [address(a, "to") for a in to]
    return msg
