"""Audience × (Corpus, Evidence, Claims) → the same, reduced to what that edition may cite.

Sources graded below the audience's `min_reliability` are left out, with their points and
stances; each claim's status and credibility are worked out again from the stances that
remain. Source numbers do not change, so "source 3" is the same source in every edition.
"""

from __future__ import annotations

from dataclasses import replace

from ..analysis.claims import credibility, status_of
from ..model import GRADES, Claim, Corpus, Evidence
from ..config.schema import Audience


def edition(audience: Audience | None, corpus: Corpus, evidence: tuple[Evidence, ...],
            claims: tuple[Claim, ...]) -> tuple[Corpus, tuple[Evidence, ...], tuple[Claim, ...]]:
    if audience is None or audience.min_reliability is None:
        return corpus, evidence, claims
    floor = GRADES.index(audience.min_reliability)
    kept = tuple(a for a in corpus.articles if GRADES.index(a.reliability) <= floor)
    allowed = {a.id for a in kept}
    grades = {a.id: a.reliability for a in corpus.articles}
    evidence = tuple(replace(e, passages=tuple(p for p in e.passages if p.source in allowed)) for e in evidence)
    reduced = []
    for c in claims:
        stances = tuple(s for s in c.stances if s.source in allowed)
        status = status_of(stances)
        reduced.append(replace(c, stances=stances, status=status,
                               credibility=credibility(stances, status, grades)))
    return replace(corpus, articles=kept), evidence, tuple(reduced)
