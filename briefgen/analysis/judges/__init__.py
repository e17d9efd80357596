"""(claim, passages of one source) → Verdict: the Judge protocol and the registry of judges.

A judge is one module that defines a class with a `name` and
`judge(query, hits) -> Verdict`, and registers a factory with `@register("name")`; the factory
takes the `stance:` config section (briefgen.config.schema.StanceRules). Config chooses the judge:
`stance: {judge: lexical}`. Built in: `lexical` (cue rules, the default) and `llm` (an
OpenAI-compatible chat-completions endpoint, falling back to `lexical` per claim and source).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, Protocol

from ..retrieval import Hit, Query

Label = Literal["asserts", "disputes", "reports", "none"]
LABELS: tuple[Label, ...] = ("asserts", "disputes", "reports", "none")


@dataclass(frozen=True)
class Verdict:
    """One source's stance on one claim, judged on all its passages on the claim."""

    stance: Label
    confidence: float  # 0–1, how sure the judge is
    deciding: tuple[int, ...]  # ids (Hit.id) of the sentences that decide it, most telling first
    judge: str  # name of the judge that decided
    contradicts: bool = False  # the deciding sentences state the opposite of the claim


class Judge(Protocol):
    name: str

    def judge(self, query: Query, hits: tuple[Hit, ...]) -> Verdict:
        """The stance of the source whose passages on the claim are `hits` (text order)."""


_REGISTRY: dict[str, Callable[..., Judge]] = {}


def register(name: str):
    """Class or factory decorator: `@register("lexical")`; called as factory(rules, **kw)."""
    def wrap(factory):
        _REGISTRY[name] = factory
        return factory
    return wrap


def make(name: str, rules=None, **kw) -> Judge:
    """The judge registered as `name`, built for the config's `stance:` rules."""
    _load()
    if name not in _REGISTRY:
        raise KeyError(f"unknown stance judge {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name](rules, **kw)


def available() -> list[str]:
    """Judges that can run here without further set-up (the LLM judge needs an endpoint)."""
    _load()
    return [n for n in _REGISTRY if getattr(_REGISTRY[n], "standalone", True)]


def _load() -> None:
    from . import lexical, llm  # noqa: F401  (registration happens on import)
