"""(claim, sentence) → stance: asserts, disputes, reports or none, from general English cues.

The rules, in order (every lexicon below is plain English, not tied to any topic, and can be
extended in config under `stance:`):

1. none: the sentence shares fewer than two of the claim's content words (stemmed, irregular
   verbs folded: shot/shoot, derivations matched by prefix: Iran/Iranian) or under a third.
2. disputes: denial or rebuttal wording (denied, rejected, ruled out, no evidence, myth…).
3. disputes: the sentence's polarity is the opposite of the claim's ("was not airworthy" against
   "was airworthy", "constitutional" against "unconstitutional"), unless it is hedged; an
   explicit negation in the sentence counts even when another clause hedges.
4. reports: attribution that keeps a distance, or hedging (claimed, alleged, accused, believe,
   suggest, may, could, reportedly, according to, whether, unconfirmed…).
5. asserts: the sentence states it, in its own voice or by plain attribution (said, confirmed).

A hedged sentence of opposite polarity is `reports`, flagged as contradicting the claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import STOPWORDS, stem, words

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
    r"\bwarn(s|ed)? that\b.*\b(could|may|might)\b", r"\bfears?\b", r"\bconcerns?\b", r"\brumou?rs?\b",
    r"\bpromot(e|es|ed|ing)\b", r"\bmaintains?\b", r"\bpreliminary\b", r"\bearly (reports?|counts?|findings)\b",
]
HEDGED_NEGATION = re.compile(
    r"\b(not (yet )?(been )?(clear|known|confirmed|verified|certain)|(have|has) not (yet )?(been )?"
    r"(confirmed|verified))\b", re.I)
NEGATORS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor",
                      "without", "cannot", "n't"})
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


class StanceClassifier:
    """Compiled cue lexicons; `judge(claim, sentence)` classifies one pair."""

    def __init__(self, dispute=(), report=(), min_share: float = 0.34, min_shared: int = 2):
        self.dispute = re.compile("|".join(f"(?:{p})" for p in [*DISPUTE, *dispute]), re.I)
        self.report = re.compile("|".join(f"(?:{p})" for p in [*REPORT, *report]), re.I)
        self.min_share, self.min_shared = min_share, min_shared

    def judge(self, claim: str, sentence: str, context: str = "") -> Judgement:
        c_terms, c_neg = analyse(claim)
        s_terms, s_neg = analyse(HEDGED_NEGATION.sub(" ", sentence))
        shared = matches(c_terms, s_terms)
        share = shared / len(c_terms) if c_terms else 0.0
        if (shared < self.min_shared or share < self.min_share) and not _points_back(sentence, context, claim, self):
            return Judgement("none", share)
        hedged = bool(self.report.search(sentence))
        opposite = c_neg != s_neg
        if self.dispute.search(sentence):
            return Judgement("disputes", share, contradicts=True)
        if opposite and (not hedged or s_neg):  # an explicit "not" is a denial, hedges or no
            return Judgement("disputes", share, contradicts=True)
        if hedged:
            return Judgement("reports", share, contradicts=opposite)
        return Judgement("asserts", share)


def matches(claim_terms: frozenset[str], sentence_terms: frozenset[str]) -> int:
    """How many claim terms the sentence has: equal stems, or one a 4+ letter prefix of the other
    (Iran ~ Iranian, fail ~ failure, attend ~ attendees)."""
    count = 0
    for t in claim_terms:
        if t in sentence_terms or (len(t) >= 4 and any(
                len(u) >= 4 and (u.startswith(t) or t.startswith(u)) for u in sentence_terms)):
            count += 1
    return count


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


def _points_back(sentence: str, context: str, claim: str, clf: StanceClassifier) -> bool:
    """'Both denied these claims': relevant if the sentence before it was about the claim."""
    if not context or not _BACK.search(sentence):
        return False
    c_terms, _ = analyse(claim)
    p_terms, _ = analyse(context)
    shared = matches(c_terms, p_terms)
    return shared >= clf.min_shared and shared / max(1, len(c_terms)) >= clf.min_share
