"""The analyst's own prose → warnings on its probability words: one scale, no vague words, no
judgment stronger than the evidence it cites.

Analytic standards (US ICD 203, the UK PHIA "probability yardstick") ask a brief to state
likelihood in calibrated words from one published scale. This module never rewrites a word: it
finds the words and says, with file, line and a suggestion, where they fall short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Literal

from ..config.citations import CITE_KEYS
from ..errors import Problem

ScaleName = Literal["icd203", "phia"]


@dataclass(frozen=True)
class Term:
    """One probability expression of a scale."""

    words: str
    """The expression as written, lower case ("very likely")."""
    low: int
    """Lower bound of the probability it stands for, in percent."""
    high: int
    """Upper bound, in percent."""


SCALES: dict[str, tuple[Term, ...]] = {
    # ICD 203, Analytic Standards (2015), section D.6.e.(2)(a): seven terms, each with a synonym.
    "icd203": (Term("almost no chance", 1, 5), Term("remote chance", 1, 5), Term("remote possibility", 1, 5),
               Term("very unlikely", 5, 20), Term("highly improbable", 5, 20),
               Term("unlikely", 20, 45), Term("improbable", 20, 45), Term("improbably", 20, 45),
               Term("roughly even chance", 45, 55), Term("roughly even odds", 45, 55),
               Term("likely", 55, 80), Term("probable", 55, 80), Term("probably", 55, 80),
               Term("very likely", 80, 95), Term("highly probable", 80, 95),
               Term("almost certain", 95, 99), Term("almost certainly", 95, 99),
               Term("nearly certain", 95, 99), Term("nearly certainly", 95, 99)),
    # UK Professional Head of Intelligence Assessment, probability yardstick (2019).
    "phia": (Term("remote chance", 0, 5), Term("highly unlikely", 10, 20), Term("unlikely", 25, 35),
             Term("realistic possibility", 40, 50), Term("likely", 55, 75), Term("probable", 55, 75),
             Term("probably", 55, 75), Term("highly likely", 80, 90), Term("almost certain", 95, 100),
             Term("almost certainly", 95, 100)),
}
"""The probability scales a config can choose (`estimative: {scale: …}`)."""

SCALE_TITLES = {"icd203": "ICD 203", "phia": "the PHIA yardstick"}

VAGUE = ("may", "might", "could", "possibly", "perhaps", "maybe", "potentially", "conceivably")
"""Words that state no probability a reader can weigh; in a judgment they are flagged."""

_VAGUE = re.compile(r"\b(?:(?:may|might|could)(?!\s+not\b|n't)|[Pp]ossibly|[Pp]erhaps|[Mm]aybe|[Pp]otentially|"
                    r"[Cc]onceivably)\b")
"""VAGUE as written in running text: lower-case modals ("May 2024" is a month), "could not" is no hedge."""

CONFIDENCE = re.compile(r"\b(low|moderate|medium|high)\s+confidence\b", re.I)
"""Analytic confidence, said apart from likelihood ("we assess with moderate confidence")."""

STRONG = 80
"""A term whose lower bound reaches this many percent needs evidence better than doubtful."""

WEAK_CREDIBILITY = 4
"""Admiralty credibility from this number on (doubtful, improbable, cannot be judged) is weak."""


@dataclass(frozen=True)
class Passage:
    """One piece of the analyst's prose to check."""

    key: str
    """Where it is in the config, e.g. ``brief.judgments[1]``."""
    text: str
    """The Markdown text."""
    judgment: bool = False
    """A key judgment: vague words and over-strong terms are flagged here."""
    line: int | None = None
    """Its line in the config (or prose file), when known."""
    file: str | None = None
    """The file it came from."""


def terms_in(text: str, scale: Iterable[Term]) -> list[tuple[int, Term]]:
    """(offset, term) of each probability expression in text, longest match first, no overlaps."""
    found: list[tuple[int, int, Term]] = []
    lowered = text.lower()
    for term in sorted(scale, key=lambda t: -len(t.words)):
        for m in re.finditer(rf"(?<![\w-]){re.escape(term.words)}(?![\w-])", lowered):
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), term))
    return [(s, t) for s, _, t in sorted(found, key=lambda f: f[0])]


def cited_keys(text: str) -> list[str]:
    """The ids cited as [@a; @b] in text."""
    return [k.strip()[1:] for group in CITE_KEYS.findall(text) for k in group.split(";") if k.strip().startswith("@")]


def check(passages: Iterable[Passage], scale: str = "icd203",
          credibility: dict[str, int] | None = None) -> list[Problem]:
    """Every finding in the prose: vague words in judgments, mixed scales, over-strong judgments.

    `credibility` maps a citable id (a claim's) to its Admiralty credibility 1–6; a judgment whose
    term starts at STRONG percent or more and whose cited claims are all weak is flagged.
    """
    chosen = SCALES[scale]
    chosen_words = {t.words for t in chosen}
    others = {name: terms for name, terms in SCALES.items() if name != scale}
    credibility = credibility or {}
    findings: list[Problem] = []
    for p in passages:
        def add(message: str, hint: str) -> None:
            findings.append(Problem(message, p.file, p.line, p.key, hint))

        plain = CITE_KEYS.sub(" ", p.text)
        if p.judgment:
            vague = _VAGUE.search(plain)
            if vague:
                add(f"vague word '{vague.group(0).lower()}' in a key judgment",
                    f"say how likely, in a term of {SCALE_TITLES[scale]}, e.g. 'likely' or 'unlikely'")
        for name, terms in others.items():
            for _, term in terms_in(plain, terms):
                if term.words not in chosen_words:
                    add(f"'{term.words}' is a term of {SCALE_TITLES[name]}, but this brief uses {SCALE_TITLES[scale]}",
                        f"use one scale: {_nearest(term, chosen).words!r} is the nearest term of {SCALE_TITLES[scale]}")
        if p.judgment and credibility:
            strong = [t for _, t in terms_in(plain, chosen) if t.low >= STRONG]
            claims = [(k, credibility[k]) for k in cited_keys(p.text) if k in credibility]
            if strong and claims and all(c >= WEAK_CREDIBILITY for _, c in claims):
                named = ", ".join(f"'{k}' (credibility {c})" for k, c in claims)
                add(f"'{strong[0].words}' ({strong[0].low}–{strong[0].high}%) rests only on weak evidence: {named}",
                    "use a weaker term or cite better-corroborated claims")
    return findings


def _nearest(term: Term, scale: Iterable[Term]) -> Term:
    middle = (term.low + term.high) / 2
    return min(scale, key=lambda t: abs((t.low + t.high) / 2 - middle))  # the first of equals: the scale's own


def confidence_words(text: str) -> list[str]:
    """The confidence levels stated in text ("moderate", "high"…), in order."""
    return [m.group(1).lower() for m in CONFIDENCE.finditer(text)]


def review(config, claims=()) -> list[Problem]:
    """The findings on a config's own prose (BLUF, key judgments, section intros), checked against
    its `estimative.scale`, judgments weighed against the credibility of the claims they cite."""
    if not config.estimative.check:
        return []
    passages = []
    items = [("brief.summary", config.brief.summary, False),
             *((f"brief.judgments[{i}]", j, True) for i, j in enumerate(config.brief.judgments)),
             *((f"sections[{i}].intro", s.intro, False) for i, s in enumerate(config.sections))]
    for key, value, judgment in items:
        if value is None:
            continue
        text = config.prose(value)
        inline = isinstance(value, str)
        passages.append(Passage(key, text or "", judgment, config.lines.get(key) if inline else None,
                                str(config.file) if inline else str(config.root / value.file)))
    return check(passages, config.estimative.scale, {c.id: c.credibility for c in claims})
