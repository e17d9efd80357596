"""Config claims + Passages → Claims: each source's stance, its evidence sentence, a status.

The analyst declares who asserts, disputes or only reports a claim; this stage finds, in
each of those sources (for a feed, in each item that speaks to it), the sentence that best matches the claim's statement (most shared
content-word stems, at least two and 40% of the statement's), so every stance in the brief is shown with its words.

Status rule: contested when any source disputes; corroborated when two or more assert;
single-source when exactly one asserts; unconfirmed when sources only report it.
"""

from __future__ import annotations

import math

from .config import Config
from .model import Claim, Corpus, Passage, Stance, cite
from .schema import ClaimEntry
from .text import terms

MIN_OVERLAP, MIN_SHARE = 2, 0.4
"""A sentence is a claim's evidence if it shares at least 2 of its content-word stems and 40% of them."""


def assess(config: Config, corpus: Corpus, passages: tuple[Passage, ...]) -> tuple[Claim, ...]:
    """One Claim per configured claim, stances in Sources order."""
    numbers = {a.id: (i + 1, a.reliability) for i, a in enumerate(corpus.articles)}
    by_source: dict[str, list[Passage]] = {}
    for p in passages:
        by_source.setdefault(p.source, []).append(p)
    return tuple(_assess(c, by_source, numbers, corpus) for c in config.claims)


def _assess(entry: ClaimEntry, by_source: dict[str, list[Passage]], numbers, corpus: Corpus) -> Claim:
    wanted = set(terms(entry.statement))
    roles = [("asserts", entry.asserted_by), ("disputes", entry.disputed_by),
             ("reports", entry.reported_by)]
    stances: list[Stance] = []
    for stance, refs in roles:
        for ref in refs:
            found = [(sid, best_match(wanted, by_source.get(sid, []))) for sid in corpus.resolve(ref)
                     if all(s.source != sid for s in stances)]
            if len(found) > 1:  # a feed or merged set: only the items that speak to the claim
                found = [f for f in found if f[1]] or found[:1]
            for sid, match in found:
                number, grade = numbers[sid]
                stances.append(Stance(sid, number, stance, cite(match, number, grade) if match else None))
    stances.sort(key=lambda s: s.number)
    return Claim(entry.id, entry.statement, tuple(stances), status_of(stances), entry.note)


def best_match(wanted: set[str], candidates: list[Passage]) -> Passage | None:
    """The sentence sharing most content stems with `wanted` (ties: earliest), if any shares enough."""
    best, best_overlap = None, max(MIN_OVERLAP, math.ceil(MIN_SHARE * len(wanted))) - 1
    for p in candidates:
        overlap = len(wanted & set(terms(p.text)))
        if overlap > best_overlap:
            best, best_overlap = p, overlap
    return best


def status_of(stances) -> str:
    """corroborated, contested, single-source or unconfirmed (rule in the module docstring)."""
    asserts = sum(s.stance == "asserts" for s in stances)
    if any(s.stance == "disputes" for s in stances):
        return "contested"
    if asserts >= 2:
        return "corroborated"
    if asserts == 1:
        return "single-source"
    return "unconfirmed"
