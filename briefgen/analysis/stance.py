"""(claim, sentence) → stance: asserts, disputes, reports or none, from general English cues.

The rules, in order (every lexicon below is plain English, not tied to any topic, and can be
extended in config under `stance:`):

1. none: the sentence shares fewer than two of the claim's content words (stemmed, irregular
   verbs folded: shot/shoot, derivations matched by prefix: Chile/Chilean) or under a third.
2. disputes: denial or rebuttal wording (denied, rejected, ruled out, no evidence, myth…).
3. disputes: the sentence negates what the claim states ("was not airworthy" against "was
   airworthy"), or states the antonym of a claim made with un-/non- ("constitutional" against
   "unconstitutional") without hedging.
4. reports: attribution that keeps a distance, or hedging (claimed, alleged, accused, believe,
   suggest, may, could, reportedly, according to, whether, unconfirmed…) before the last word
   the sentence shares with the claim (a hedge in a trailing clause does not count).
5. asserts: the sentence states it, in its own voice or by plain attribution (said, confirmed).

A sentence of opposite polarity that is hedged, or that states positively what a negative claim
("decided not to supply") denies, is `reports`, flagged as contradicting the claim: evidence
against it, not a denial of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import _WORD, STOPWORDS, stem, words

DISPUTE = [
    r"\bden(y|ies|ied|ying|ial|ials)\b", r"\breject(s|ed|ing)?\b", r"\brebut(s|ted|ting)?\b",
    r"\brefut(e|es|ed|ing)\b", r"\bdismiss(es|ed|ing)?\b", r"\bdisput(e|es|ed|ing)\b",
    r"\bruled? out\b", r"\brules out\b", r"\bno (scientific |credible )?evidence\b", r"\bmyths?\b",
    r"\b(false|untrue|baseless|unfounded|groundless|bogus|debunk\w*)\b", r"\bnot (true|accurate|correct)\b",
    r"\bcontradict(s|ed)?\b", r"\bdisprov\w+", r"\bfar (smaller|fewer|lower|less)\b", r"\bdid not\b.*\bbut\b",
]
REPORT = [
    r"\bclaim(s|ed|ing)?\b", r"\balleg(e|es|ed|edly|ation|ations)\b", r"\baccus(e|es|ed|ing|ation|ations)\b",
    r"\bsuspect(s|ed)?\b", r"\bbeliev(e|es|ed)\b", r"\bsuggest(s|ed|ing|ion)?\b", r"\bspeculat\w*",
    r"\breported(ly)?\b", r"\baccording to\b", r"\bwhether\b", r"\bquestion(s|ed)?\b",
    r"\b(may|might|could)\b(?! not)", r"\bpossibl[ey]\b", r"\bperhaps\b", r"\bapparently\b",
    r"\bunconfirmed\b", r"\bunverified\b", r"\bunclear\b", r"\bnot (yet )?(been )?(clear|known|confirmed|verified)\b",
    r"\b(have|has) not (yet )?(been )?(confirmed|verified)\b", r"\bappear(s|ed)? to\b", r"\bis said to\b",
    r"\bwarn(s|ed|ing)? (about|of|that)\b", r"\bfears?\b", r"\bconcerns?\b", r"\brumou?rs?\b",
    r"\bpromot(e|es|ed|ing)\b", r"\bmaintains?\b", r"\bpreliminary\b", r"\bearly (reports?|counts?|findings)\b",
]
HEDGED_NEGATION = re.compile(
    r"\b(not (yet )?(been )?(clear|known|confirmed|verified|certain)|(have|has) not (yet )?(been )?"
    r"(confirmed|verified))\b", re.I)
NEGATORS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor",
                      "cannot", "n't"})
UNPREFIXED = frozenset({"unconfirm", "unverifi", "unclear", "unknown", "undisclos", "under",
                        "understand", "unit", "union", "univers", "unintent", "until", "unless", "unit"})
IRREGULAR = dict(pair.split(":") for pair in """
shot:shoot brought:bring took:take taken:take gave:give given:give made:make said:say told:tell
found:find thought:think knew:know known:know saw:see seen:see went:go gone:go came:come held:hold
kept:keep left:leave lost:lose met:meet paid:pay put:put ran:run sent:send sold:sell spent:spend
stood:stand struck:strike fought:fight fell:fall fallen:fall led:lead built:build bought:buy
caught:catch chose:choose chosen:choose drove:drive driven:drive flew:fly flown:fly grew:grow
grown:grow hit:hit hid:hide hidden:hide rose:rise risen:rise wrote:write written:write won:win
began:begin begun:begin broke:break broken:break spoke:speak spoken:speak stole:steal stolen:steal
threw:throw thrown:throw wore:wear worn:wear shut:shut sank:sink sunk:sink drew:draw drawn:draw
""".split())
"""Irregular verb forms folded to their base, so 'shot down' matches 'shooting down'."""


@dataclass(frozen=True)
class Judgement:
    """A sentence's stance on a claim, and why."""

    stance: str  # asserts, disputes, reports or none
    overlap: float  # share of the claim's content words found in the sentence
    contradicts: bool = False  # opposite polarity (a hedged contradiction is still `reports`)


@dataclass(frozen=True)
class Analysis:
    """What the rules need to know about one sentence, computed once."""

    terms: frozenset[str]  # content stems
    negated: bool  # carries a negation (not, never, un-…)
    explicit: bool  # the negation is a word (not, never), not only a prefix (un-, non-)
    hedged: bool  # attribution or hedging wording
    denial: bool  # denial or rebuttal wording
    points_back: bool  # "these claims", "the allegation": about the sentence before
    hedges: tuple[int, ...] = ()  # where hedges start (character offsets)
    ends: tuple[tuple[str, int], ...] = ()  # each content term and where its word ends
    stubs: frozenset[str] = frozenset()  # first four letters of each term, to rule out prefix matches fast


class StanceClassifier:
    """Compiled cue lexicons; `judge(claim, sentence)` classifies one pair."""

    def __init__(self, dispute=(), report=(), min_share: float = 0.34, min_shared: int = 2):
        self.dispute = re.compile("|".join(f"(?:{p})" for p in [*DISPUTE, *dispute]), re.I)
        self.report = re.compile("|".join(f"(?:{p})" for p in [*REPORT, *report]), re.I)
        self.min_share, self.min_shared = min_share, min_shared

    def terms(self, sentence: str) -> frozenset[str]:
        """Just the content stems: what an index of many sentences needs."""
        return analyse(sentence)[0]

    def analyse(self, sentence: str) -> Analysis:
        plain = HEDGED_NEGATION.sub(" ", sentence)
        terms, negated = analyse(plain)
        explicit = any(w.lower() in NEGATORS or w.lower().endswith("n't") for w in words(plain))
        hedges = tuple(m.start() for m in self.report.finditer(sentence))
        ends = tuple((stem(IRREGULAR.get(m.group(0).lower(), m.group(0).lower())), m.end())
                     for m in _WORD.finditer(sentence)) if hedges else ()  # only hedged sentences need them
        return Analysis(terms, negated, explicit, bool(hedges), bool(self.dispute.search(sentence)),
                        bool(_BACK.search(sentence)), hedges, ends, frozenset(t[:4] for t in terms))

    def hedged(self, claim: Analysis, s: Analysis) -> bool:
        """Hedged where it speaks of the claim: a hedge before the last word shared with the claim
        ("Observers believe the firm may sell…"), not one in a trailing clause ("…arms, in a
        decision that could alter the balance")."""
        if not s.hedges:
            return False
        last = max((end for term, end in s.ends if _has(term, claim.terms)), default=None)
        return last is None or min(s.hedges) < last

    def judge(self, claim: str, sentence: str, context: str = "") -> Judgement:
        return self.decide(self.analyse(claim), self.analyse(sentence),
                           self.analyse(context) if context else None)

    def relevant(self, claim: Analysis, s: Analysis, weight=None) -> float:
        """Share of the claim's terms in the sentence, or 0 when below the thresholds.

        With `weight` (term → IDF over the corpus), rare words count more than words found in
        every sentence of the topic, so a sentence must share what is specific to the claim.
        """
        found = [t for t in claim.terms if _has(t, s.terms, s.stubs)]
        if len(found) < self.min_shared or not claim.terms:
            return 0.0
        w = weight or (lambda t: 1.0)
        if weight:  # must share one of the claim's more specific words, not only its common ones
            ranked = sorted(w(t) for t in claim.terms)
            if max(w(t) for t in found) < ranked[len(ranked) // 2]:
                return 0.0
        share = sum(w(t) for t in found) / sum(w(t) for t in claim.terms)
        return share if share >= self.min_share else 0.0

    def decide(self, claim: Analysis, s: Analysis, context: Analysis | None = None,
               weight=None) -> Judgement:
        share = self.relevant(claim, s, weight)
        if not share and s.points_back and context and context.negated == claim.negated:
            share = self.relevant(claim, context, weight)  # "denied these claims": the claim before
            if share and not (s.denial or s.hedged):
                share = 0.0
        if not share:
            return Judgement("none", share)
        opposite = claim.negated != s.negated
        hedged = self.hedged(claim, s)
        if s.denial:
            return Judgement("disputes", share, contradicts=True)
        if opposite and s.negated and s.explicit:  # "was not airworthy": a denial, hedges or no
            return Judgement("disputes", share, contradicts=True)
        if opposite and not hedged and not claim.explicit:  # "constitutional" vs "unconstitutional"
            return Judgement("disputes", share, contradicts=True)
        if hedged or opposite:
            return Judgement("reports", share, contradicts=opposite)
        return Judgement("asserts", share)


def _has(term: str, terms: frozenset[str], stubs: frozenset[str] | None = None) -> bool:
    """Equal stems, or one a 4+ letter prefix of the other (Chile ~ Chilean, fail ~ failure)."""
    if term in terms:
        return True
    if len(term) < 4 or (stubs is not None and term[:4] not in stubs):
        return False
    return any(len(u) >= 4 and (u.startswith(term) or term.startswith(u)) for u in terms)


def analyse(text: str) -> tuple[frozenset[str], bool]:
    """(content stems, negated?) of a sentence; 'un-'/'non-' prefixes count as negation."""
    terms, negated = set(), False
    for word in words(text.replace("n't", " n't")):
        low = word.lower()
        if low in NEGATORS or low.endswith("n't"):
            negated = True  # presence, not parity: "not X and should not Y" is still negative
            continue
        if low in STOPWORDS:
            continue
        base = stem(IRREGULAR.get(low, low))
        for prefix in ("non", "un"):
            if base.startswith(prefix) and len(base) > len(prefix) + 3 and base not in UNPREFIXED \
                    and not any(base.startswith(u) for u in UNPREFIXED):
                base, negated = base[len(prefix):].lstrip("-"), True
                break
        terms.add(base)
    return frozenset(terms), negated


_BACK = re.compile(r"\b(these|those|the|such|this|that)\s+(claims?|allegations?|accusations?|reports?|charges?|"
                   r"suggestions?|assertions?|rumou?rs?)\b", re.I)
