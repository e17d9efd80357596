"""Config claims + Passages → Claims: every source's stance with its deciding sentences, a status, a credibility.

For each claim, retrieval (`retrieval.py`) finds the passages of each source that speak to it;
the judge chosen in config (`stance: {judge: lexical}`, `judges/`) decides each source's
stance on the whole article from those passages, with a confidence and the deciding sentences.
The config's asserted_by, disputed_by and reported_by override what the judge found.

Claims are also discovered in the sources: a sentence whose wording marks it as contested
becomes a claim only when two sources take different positions on it (one asserts it, another
disputes it or reports the opposite); they are ranked by that disagreement and by the grades of
the sources involved. A hedged opinion nobody contradicts is not a disputed claim.

Status: contested when sources assert and others dispute; corroborated when two or more
independent sources assert and none disputes; single-source when one asserts and none
disputes; unconfirmed when no source asserts. Credibility (Admiralty 1–6): see `credibility`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..config import Config
from ..errors import ConfigError, Problem
from ..model import GRADES, Claim, ClaimStatus, Corpus, Passage, Stance, cite
from . import retrieval
from .judges import Judge, make
from .retrieval import Retriever

DISCOVERY_POOL = 25  # per claim wanted: contested sentences considered as new claims, best cued first


@dataclass
class Context:
    """What every claim of one build shares: the index, the judge, the source numbers and grades."""

    retriever: Retriever
    judge: Judge
    numbers: dict[str, tuple[int, str]]  # source id → (number, grade)
    aliases: dict[str, list[str]]


def assess(config: Config, corpus: Corpus, passages: tuple[Passage, ...],
           tick=lambda n=1: None, judge: Judge | None = None, store=None) -> tuple[Claim, ...]:
    """The config's claims, then up to `stance.discover` claims found in the sources.
    `store` (briefgen.cache.Cache) keeps judges' answers between builds."""
    rules = config.stance
    if judge is None:
        try:
            judge = make(rules.judge, rules, store=store)
        except KeyError as e:
            raise ConfigError(Problem(e.args[0], key="stance.judge",
                                      hint="use a registered judge, e.g. lexical")) from None
    ctx = Context(Retriever(passages), judge,
                  {a.id: (corpus.number(a.id), a.reliability) for a in corpus.articles}, dict(rules.aliases))
    claims = []
    for entry in config.claims:
        declared = [(stance, corpus.resolve(ref)) for stance, refs in (
            ("asserts", entry.asserted_by), ("disputes", entry.disputed_by), ("reports", entry.reported_by))
            for ref in refs]
        claims.append(_claim(entry.id, entry.statement, entry.note, declared, ctx,
                             aliases={**ctx.aliases, **entry.aliases}))
        tick(1)
    claims += _discover(claims, ctx, rules.discover)
    tick(1)
    return tuple(claims)


def _claim(cid, statement, note, declared_refs, ctx: Context, found=False, aliases=None) -> Claim:
    """`declared_refs`: (stance, source ids) from config; a feed's ids count only where they speak."""
    q = retrieval.query(statement, aliases if aliases is not None else ctx.aliases)
    verdicts = {}
    for sid, hits in ctx.retriever.find(q).items():
        if sid in ctx.numbers:
            v = ctx.judge.judge(q, tuple(hits))
            if v.stance != "none":
                verdicts[sid] = v
    declared: dict[str, str] = {}
    for stance, ids in declared_refs:
        for sid in ([i for i in ids if i in verdicts] or list(ids[:1])) if len(ids) > 1 else ids:
            declared.setdefault(sid, stance)
    stances = []
    for sid in set(verdicts) | set(declared):
        number, grade = ctx.numbers[sid]
        v = verdicts.get(sid)
        deciding = tuple(cite(ctx.retriever.passages[i], number, grade) for i in v.deciding) if v else ()
        stance = declared.get(sid) or v.stance
        stances.append(Stance(sid, number, stance, deciding[0] if deciding else None,
                              bool(v and v.contradicts), sid in declared, (),
                              "" if sid in declared else v.judge,
                              1.0 if sid in declared else v.confidence, deciding))
    stances.sort(key=lambda s: s.number)
    status = status_of(stances)
    grades = {sid: ctx.numbers[sid][1] for sid in ctx.numbers}
    return Claim(cid, statement, tuple(stances), status, note, credibility(stances, status, grades), found)


def disagreement(claim: Claim) -> int:
    """How many pairs of sources take opposite positions: sources asserting × sources that dispute or report the opposite."""
    asserting = sum(s.stance == "asserts" for s in claim.stances)
    opposing = sum(s.stance == "disputes" or (s.stance == "reports" and s.contradicts) for s in claim.stances)
    return asserting * opposing


def _discover(known: list[Claim], ctx: Context, limit: int) -> list[Claim]:
    """Contested sentences of the sources on which two sources take different positions."""
    if not limit:
        return []
    passages = ctx.retriever.passages
    taken = [retrieval.query(c.statement) for c in known]
    pool = sorted((i for i, p in enumerate(passages) if p.cues),
                  key=lambda i: (-len(passages[i].cues), passages[i].index, i))[:DISCOVERY_POOL * limit]
    found: list[tuple[tuple, Claim]] = []
    for i in pool:
        p = passages[i]
        if len(retrieval.query(p.text).slots) < 4 or any(_same(t, p.text) for t in taken):
            continue
        claim = replace(_claim("found", p.text, None, [], ctx, found=True), origin=p.source)
        if not disagreement(claim):
            continue  # nobody takes a different position: not a disputed claim
        best = min(GRADES.index(ctx.numbers[s.source][1]) for s in claim.stances)
        taken.append(retrieval.query(p.text))
        found.append(((-disagreement(claim), best, i), claim))
    found.sort(key=lambda x: x[0])
    return [replace(c, id=f"found-{n + 1}") for n, (_, c) in enumerate(found[:limit])]


def _same(q: retrieval.Query, text: str) -> bool:
    return max(retrieval.relevance(q, text), retrieval.relevance(retrieval.query(text), q.text)) >= 0.5


def status_of(stances) -> ClaimStatus:
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
