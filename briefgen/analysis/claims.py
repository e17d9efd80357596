"""Config claims + Passages → Claims: every source's stance with its sentence, a status, a credibility.

Claims come from config and are also found in the sources: sentences whose wording marks
them as contested (accusations, denials, "reportedly"…) and statements that other sources
contradict. For each claim, sentences sharing its words are found through an index (never by
scanning every sentence) and judged by the stance rules (briefgen/stance.py). A source's
stance is its strongest: disputes, then asserts, then reports; the config's asserted_by,
disputed_by and reported_by override what the rules found.

Status: contested when sources assert and others dispute; corroborated when two or more
independent sources assert and none disputes; single-source when one asserts and none
disputes; unconfirmed when no source asserts. Credibility (Admiralty 1–6): see `credibility`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import replace

from ..config import Config
from ..model import GRADES, Claim, Corpus, Passage, Stance, cite
from .stance import Analysis, StanceClassifier

PRIORITY = {"disputes": 0, "asserts": 1, "reports": 2}
COMMON = 0.2  # a term in more than this share of sentences is too common to find candidates by
DISCOVERY_POOL = 25  # per claim wanted: contested sentences considered as new claims, best cued first
MAX_CANDIDATES = 400  # sentences judged per claim, those sharing the rarest words first


class Index:
    """Sentences analysed once, with postings from content terms to sentences."""

    def __init__(self, passages: tuple[Passage, ...], clf: StanceClassifier):
        self.passages, self.clf = passages, clf
        self._full: dict[int, Analysis] = {}  # the whole analysis, made only for candidates
        self.previous = [i - 1 if i and passages[i - 1].source == p.source else None
                         for i, p in enumerate(passages)]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(passages):
            for term in clf.terms(p.text):
                self.postings[term].append(i)
        self.cap = max(50, int(COMMON * len(passages)))
        total = len(passages) + 1
        self.idf = {t: math.log(total / (len(ids) + 1)) + 1 for t, ids in self.postings.items()}

    def weight(self, term: str) -> float:
        return self.idf.get(term, math.log(len(self.passages) + 1) + 1)

    def analysis(self, i: int) -> Analysis:
        if i not in self._full:
            self._full[i] = self.clf.analyse(self.passages[i].text)
        return self._full[i]

    def judge(self, claim: Analysis, i: int):
        prev = self.previous[i]
        return self.clf.decide(claim, self.analysis(i), self.analysis(prev) if prev is not None else None,
                               self.weight)

    def candidates(self, claim: Analysis) -> list[int]:
        """Sentences sharing at least two of the claim's terms, and the sentences right after them."""
        counts: Counter[int] = Counter()
        weights: Counter[int] = Counter()
        for term in claim.terms:
            hits = self.postings.get(term, ())
            if len(hits) <= self.cap:
                counts.update(hits)
                w = self.weight(term)
                for i in hits:
                    weights[i] += w
        found = [i for i, n in counts.items() if n >= self.clf.min_shared]
        found = set(sorted(found, key=lambda i: -weights[i])[:MAX_CANDIDATES])
        followers = {i + 1 for i in found if i + 1 < len(self.passages) and self.previous[i + 1] == i}
        return sorted(found | followers)


def assess(config: Config, corpus: Corpus, passages: tuple[Passage, ...],
           tick=lambda n=1: None) -> tuple[Claim, ...]:
    """The config's claims, then up to `stance.discover` claims found in the sources."""
    rules = config.stance
    clf = StanceClassifier(rules.dispute, rules.report, rules.min_share)
    index = Index(passages, clf)
    numbers = {a.id: (corpus.number(a.id), a.reliability) for a in corpus.articles}
    claims = []
    for entry in config.claims:
        declared = [(stance, corpus.resolve(ref)) for stance, refs in (
            ("asserts", entry.asserted_by), ("disputes", entry.disputed_by), ("reports", entry.reported_by))
            for ref in refs]
        claims.append(_claim(entry.id, entry.statement, entry.note, declared, index, numbers))
        tick(1)
    claims += _discover(claims, index, numbers, rules.discover)
    tick(1)
    return tuple(claims)


def _claim(cid, statement, note, declared_refs, index: Index, numbers, found=False) -> Claim:
    """`declared_refs`: (stance, source ids) from config; a feed's ids count only where they speak."""
    claim = index.clf.analyse(statement)
    judged: dict[str, list] = defaultdict(list)  # source → [(judgement, passage index)]
    for i in index.candidates(claim):
        sid = index.passages[i].source
        j = index.judge(claim, i)
        if j.stance != "none" and sid in numbers:
            judged[sid].append((j, i))
    declared: dict[str, str] = {}
    for stance, ids in declared_refs:
        for sid in ([i for i in ids if i in judged] or list(ids[:1])) if len(ids) > 1 else ids:
            declared.setdefault(sid, stance)
    stances = []
    for sid in set(judged) | set(declared):
        number, grade = numbers[sid]
        hit = _strongest(judged.get(sid, []), declared.get(sid))
        evidence = cite(index.passages[hit[1]], number, grade) if hit else None
        stance = declared.get(sid) or hit[0].stance
        also = _context(hit, claim, index, number, grade)
        stances.append(Stance(sid, number, stance, evidence, bool(hit and hit[0].contradicts),
                              sid in declared, also))
    stances.sort(key=lambda s: s.number)
    status = status_of(stances)
    grades = {sid: numbers[sid][1] for sid in numbers}
    return Claim(cid, statement, tuple(stances), status, note, credibility(stances, status, grades), found)


def _strongest(hits: list, declared: str | None):
    """The sentence that shows a source's stance: among its most relevant sentences (within 75%
    of the best), the strongest stance (disputes, asserts, reports); for a declared stance, the
    most relevant sentence with that stance, else the most relevant one."""
    if not hits:
        return None
    if declared:
        same = [h for h in hits if h[0].stance == declared]
        return max(same or hits, key=lambda h: (h[0].overlap, -h[1]))
    top = max(h[0].overlap for h in hits)
    close = [h for h in hits if h[0].overlap >= 0.75 * top]
    return min(close, key=lambda h: (PRIORITY[h[0].stance], -h[0].overlap, h[1]))


def _context(hit, claim: Analysis, index: Index, number: int, grade: str) -> tuple:
    """For evidence that points back ("denied these claims"), the sentence it points back to,
    with its own stance: without it the evidence cannot be read."""
    if not hit or not index.analysis(hit[1]).points_back or index.previous[hit[1]] is None:
        return ()
    prev = index.previous[hit[1]]
    j = index.judge(claim, prev)
    return ((j.stance, cite(index.passages[prev], number, grade)),) if j.stance != "none" else ()


def _discover(known: list[Claim], index: Index, numbers, limit: int) -> list[Claim]:
    """Claims in the sources: contested wording first, then statements others contradict."""
    if not limit:
        return []
    clf = index.clf
    taken = [clf.analyse(c.statement) for c in known]
    pool = sorted((i for i, p in enumerate(index.passages) if p.cues or _negates(p.text)),
                  key=lambda i: (-len(index.passages[i].cues), index.passages[i].index, i))[:DISCOVERY_POOL * limit]
    found: list[Claim] = []
    for i in pool:
        p, a = index.passages[i], index.analysis(i)
        if len(a.terms) < 4 or a.points_back or any(_same(clf, a, t, index.weight) for t in taken):
            continue
        claim = replace(_claim(f"found-{len(found) + 1}", p.text, None, [], index, numbers, found=True),
                        origin=p.source)
        others = [s for s in claim.stances if s.source != p.source]
        if not p.cues and not any(s.contradicts for s in others):
            continue  # a plain negative statement nobody contradicts is not a dispute
        taken.append(a)
        found.append(claim)
    found.sort(key=lambda c: (-len(c.stances), c.id))
    return [_renumber(c, n + 1) for n, c in enumerate(found[:limit])]


_NEGATION = re.compile(r"\b(not|no|never|none|nobody|nothing|neither|nor|cannot)\b|n't\b", re.I)


def _negates(text: str) -> bool:
    """A cheap first look for discovery: does the sentence carry a negation word?"""
    return bool(_NEGATION.search(text))


def _renumber(claim: Claim, n: int) -> Claim:
    return replace(claim, id=f"found-{n}")


def _same(clf: StanceClassifier, a: Analysis, b: Analysis, weight=None) -> bool:
    return max(clf.relevant(a, b, weight), clf.relevant(b, a, weight)) >= 0.5


def status_of(stances) -> str:
    """contested, corroborated, single-source or unconfirmed (rules in the module docstring)."""
    asserts = sum(s.stance == "asserts" for s in stances)
    disputes = sum(s.stance == "disputes" for s in stances)
    if asserts and disputes:
        return "contested"
    if asserts >= 2:
        return "corroborated"
    if asserts == 1:
        return "single-source"
    return "unconfirmed"


def credibility(stances, status: str, grades: dict[str, str]) -> int:
    """Admiralty information credibility from corroboration, disputes and source grades.

    1 confirmed: corroborated, and one asserting source is graded A–C.
    2 probably true: corroborated by weaker sources; or one A/B source asserts, uncontradicted.
    3 possibly true: one source asserts and nothing contradicts it.
    4 doubtful: contested with at least as many sources asserting as opposing; or a single
      source contradicted by others' reports.
    5 improbable: contested with more sources opposing than asserting; or a single D/E source
      that others contradict.
    6 truth cannot be judged: no source asserts it.
    """
    asserting = [s for s in stances if s.stance == "asserts"]
    opposing = [s for s in stances if s.stance == "disputes"]
    contradicted = any(s.contradicts for s in stances if s.stance != "asserts")
    best = min((GRADES.index(grades[s.source]) for s in asserting), default=5)
    if status == "corroborated":
        return 1 if best <= 2 else 2
    if status == "contested":
        return 4 if len(asserting) >= len(opposing) else 5
    if status == "single-source":
        if contradicted:
            return 5 if best in (3, 4) else 4
        return 2 if best <= 1 else 3
    return 6
