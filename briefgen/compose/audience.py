"""Audience × (Corpus, Evidence, Claims) → the same, reduced to what that edition may cite.

Sources graded below the audience's `min_reliability` are left out, with their points and
stances, and claims found in their sentences; each claim's status and credibility are worked
out again from the stances that remain. Source numbers do not change, so "source 3" is the same
source in every edition. `hidden` names what is left out, for what history compares.
"""

from __future__ import annotations

from dataclasses import replace

from ..analysis.claims import credibility, status_of
from ..model import GRADES, Claim, Corpus, Evidence
from ..config.schema import Audience


def hidden(audience: Audience | None, corpus: Corpus) -> frozenset[str]:
    """Ids of the sources the audience's floor leaves out (none without a floor)."""
    if audience is None or audience.min_reliability is None:
        return frozenset()
    floor = GRADES.index(audience.min_reliability)
    return frozenset(a.id for a in corpus.articles if GRADES.index(a.reliability) > floor)


def edition(audience: Audience | None, corpus: Corpus, evidence: tuple[Evidence, ...],
            claims: tuple[Claim, ...]) -> tuple[Corpus, tuple[Evidence, ...], tuple[Claim, ...]]:
    if audience is None or audience.min_reliability is None:
        return corpus, evidence, claims
    left_out = hidden(audience, corpus)
    kept = tuple(a for a in corpus.articles if a.id not in left_out)
    allowed = {a.id for a in kept}
    grades = {a.id: a.reliability for a in corpus.articles}
    evidence = tuple(replace(e, passages=tuple(p for p in e.passages if p.source in allowed)) for e in evidence)
    reduced = []
    for c in claims:
        if c.found and c.origin is not None and c.origin not in allowed:
            continue  # its statement is a sentence of a source this audience may not see
        stances = tuple(s for s in c.stances if s.source in allowed)
        status = status_of(stances)
        reduced.append(replace(c, stances=stances, status=status,
                               credibility=credibility(stances, status, grades)))
    return replace(corpus, articles=kept), evidence, tuple(reduced)
