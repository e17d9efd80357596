"""Stored briefs → each outlet's track record on claims, and the Admiralty grade it suggests.

For every claim an outlet asserted or disputed in any stored edition, its outcome is read from
the latest edition that has the claim: *corroborated* (two or more sources assert it, at least
twice as many as dispute it) upholds the outlets that asserted it and refutes those that
disputed it; *contradicted* (two or more dispute it, at least twice as many as assert it) does
the reverse; anything else is not settled yet.

The suggested grade is a Beta–binomial estimate: the configured grade gives the prior (its
share of claims expected to hold, worth PRIOR_WEIGHT claims), the settled claims update it,
and the posterior mean is read back as a grade. Fewer than MIN_SETTLED settled claims suggest
nothing. The configured grade stays the one used.
"""

from __future__ import annotations

from dataclasses import dataclass

PRIOR = {"A": 0.9, "B": 0.75, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.5}
"""Share of its claims a source of each grade is expected to get right (the prior's mean)."""

PRIOR_WEIGHT = 4
"""How many settled claims the prior is worth."""

MIN_SETTLED = 5
"""Settled claims needed before a grade is suggested."""

CUTS = (("A", 0.85), ("B", 0.7), ("C", 0.55), ("D", 0.4), ("E", 0.0))
"""Posterior mean → grade: the first grade whose floor it reaches."""


@dataclass(frozen=True)
class Record:
    """One outlet's record on the claims it took a side on."""

    outlet: str
    """The outlet (or the source id when no outlet is known)."""
    upheld: int
    """Claims it asserted that were corroborated, or disputed that were contradicted."""
    refuted: int
    """Claims it asserted that were contradicted, or disputed that were corroborated."""
    open: int
    """Claims it took a side on that are not settled yet."""

    @property
    def settled(self) -> int:
        return self.upheld + self.refuted


def outcome(stances: dict[str, str]) -> str:
    """corroborated, contradicted or open, from one edition's stances on a claim."""
    asserts = sum(s == "asserts" for s in stances.values())
    disputes = sum(s == "disputes" for s in stances.values())
    if asserts >= 2 and asserts >= 2 * disputes:
        return "corroborated"
    if disputes >= 2 and disputes >= 2 * asserts:
        return "contradicted"
    return "open"


def records(series) -> list[Record]:
    """Each outlet's record over a series of stored briefs (oldest first), by outlet name."""
    latest: dict[str, str] = {}
    sides: dict[tuple[str, str], str] = {}  # (outlet, claim) → its side, the latest one it took
    for rec in series:  # history.Record values
        outlets = rec.outlets
        for cid, stances in rec.stances.items():
            latest[cid] = outcome(stances)
            for sid, stance in stances.items():
                if stance in ("asserts", "disputes"):
                    sides[(outlets.get(sid, sid), cid)] = stance
    tally: dict[str, list[int]] = {}
    for (outlet, cid), side in sides.items():
        counts = tally.setdefault(outlet, [0, 0, 0])
        result = latest.get(cid, "open")
        if result == "open":
            counts[2] += 1
        else:
            counts[0 if (side == "asserts") == (result == "corroborated") else 1] += 1
    return [Record(o, *c) for o, c in sorted(tally.items())]


def suggest(configured: str, record: Record) -> str | None:
    """The grade the record suggests, or None with fewer than MIN_SETTLED settled claims."""
    if record.settled < MIN_SETTLED:
        return None
    prior = PRIOR.get(configured, PRIOR["F"])
    mean = (record.upheld + PRIOR_WEIGHT * prior) / (record.settled + PRIOR_WEIGHT)
    return next(grade for grade, floor in CUTS if mean >= floor)
