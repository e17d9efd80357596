"""Channel name → the module that takes a queued edition to its recipients (the registry).

A channel is one module (or object) with `prepare(brief, pdf, rules, key) → bytes` (the
payload, written to the outbox before anything is sent) and `deliver(edition, recipients) →
receipts`: an iterator of `Receipt`s, one per recipient, yielded as soon as the channel knows,
so that the outbox records an accepted recipient before anything else can fail. E-mail
(`email`, through SMTP) is the first; `register(name, factory)` adds another, and
`delivery.channels` in the config names the ones a brief uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Literal, Protocol

from ..config.schema import Delivery
from ..errors import ConfigError, Problem
from ..model import Brief


@dataclass(frozen=True)
class Receipt:
    """What became of one recipient."""

    recipient: str
    status: Literal["sent", "refused", "uncertain"]
    """sent: accepted; refused: not delivered, may be retried; uncertain: may have been delivered."""
    detail: str = ""
    """The server's words, or what went wrong."""


@dataclass(frozen=True)
class Edition:
    """One edition as the outbox holds it: one (brief, audience, period, recipient list)."""

    key: str
    """brief slug/audience/period (and /channel for channels other than e-mail)."""
    payload: Path
    """What the channel prepared when the edition was queued (an .eml for e-mail)."""


class Channel(Protocol):
    name: str
    suffix: str  # of the payload file, e.g. ".eml"

    def recipients(self, rules: Delivery) -> list[str]: ...

    def prepare(self, brief: Brief, pdf: Path, rules: Delivery, key: str) -> bytes: ...

    def deliver(self, edition: Edition, recipients: list[str]) -> Iterator[Receipt]: ...


Factory = Callable[..., Channel]  # (delivery, root, **options) → Channel
_REGISTRY: dict[str, Factory] = {}


def register(name: str, factory: Factory) -> None:
    """Make `name` usable in `delivery.channels`."""
    _REGISTRY[name] = factory


def names() -> list[str]:
    return sorted(_REGISTRY)


def make(name: str, delivery: Delivery, root: Path, **options) -> Channel:
    if name not in _REGISTRY:
        raise ConfigError(Problem(f"unknown delivery channel '{name}'", key="delivery.channels",
                                  hint=f"known channels: {', '.join(names())}"))
    return _REGISTRY[name](delivery, root, **options)
