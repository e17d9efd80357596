"""Articles → Passages (every sentence) → Evidence per section (candidates ranked by salience).

A source feeds a section when the section lists it, the source names the section, or its
text matches one of the section's keywords; a section with none of these takes every source.
A sentence's score is its keyword weight (stems, so 'sanctioned' matches 'sanctions'; a
phrase weighs more than a word) plus a small bonus for standing early in its article, times
its source's grade weight (GRADE_WEIGHT).
"""

from __future__ import annotations

import re

from ..config import Config
from ..model import Article, Corpus, Evidence, Passage
from ..config.schema import SectionEntry
from .text import all_stems, contains_phrase, sentences_of, words

CONTEST_CUES = {
    "accusation": r"\baccus(e|es|ed|ing|ation|ations)\b",
    "allegation": r"\balleg(e|es|ed|edly|ation|ations)\b",
    "denial": r"\bden(y|ies|ied|ying|ial|ials)\b",
    "unconfirmed": r"\bunconfirmed\b|\bunverified\b|\bnot (been |yet )?(independently )?(confirmed|verified)\b",
    "reportedly": r"\breportedly\b|\baccording to (reports|unnamed|sources)\b",
    "suspicion": r"\bsuspect(s|ed)?\b",
    "belief": r"\b(experts?|analysts?|observers?|officials?) (believe|believes|suspect|think|fear)\b"
              r"|\bis (said|believed|thought|understood) to\b",
    "claim": r"\bclaim(s|ed|ing)?\b",
    "rebuttal": r"\b(disput|refut|reject|rebut)\w*",
    "rumour": r"\brumou?r(s|ed)?\b",
}
"""General English wording that marks a statement as contested; keys name the cue."""

GRADE_WEIGHT = {"A": 1.25, "B": 1.15, "C": 1.05, "D": 0.95, "E": 0.8, "F": 1.0}
"""At equal relevance, better-graded sources rank first; ungraded (F) sources are neutral."""

_CUES = [(name, re.compile(rx, re.I)) for name, rx in CONTEST_CUES.items()]
MIN_WORDS, MAX_WORDS = 7, 60


def split(articles: tuple[Article, ...], cache=None, tick=lambda n=1: None) -> tuple[Passage, ...]:
    """Every sentence of every article, with the contest cues its wording carries.

    With a `cache`, texts split before are not split again."""
    known = [cache.spans(a.text) if cache else None for a in articles]
    todo = [i for i, k in enumerate(known) if k is None]
    tick(len(articles) - len(todo))
    for i, spans in zip(todo, sentences_of([articles[i].text for i in todo], tick=tick)):
        known[i] = spans
        if cache:
            cache.put_spans(articles[i].text, spans)
    out = []
    for art, spans in zip(articles, known):
        for i, (start, end) in enumerate(spans):
            text = art.text[start:end]
            cues = tuple(name for name, rx in _CUES if rx.search(text))
            out.append(Passage(art.id, start, end, text, i, 0.0, cues))
    return tuple(out)


def rank(config: Config, corpus: Corpus, passages: tuple[Passage, ...]) -> tuple[Evidence, ...]:
    """For each section, the sentences of its sources worth citing, best first."""
    stems = _Stems()
    return tuple(_rank_section(s, corpus, passages, stems) for s in config.sections)


class _Stems(dict):
    """Stems of a passage, made on first use and kept for the other sections."""

    def __missing__(self, passage: Passage) -> list[str]:
        value = self[passage] = all_stems(passage.text)
        return value


def _could_match(text: str, stubs: tuple[str, ...]) -> bool:
    """Whether a keyword might occur: Snowball only changes word endings, so a sentence holding
    a keyword holds the first four letters of its stem (a cheap test before stemming)."""
    low = text.lower()
    return any(stub in low for stub in stubs)


def _rank_section(section: SectionEntry, corpus: Corpus, passages, stems) -> Evidence:
    articles = corpus.articles
    keywords = [tuple(all_stems(k)) for k in section.keywords if words(k)]
    listed = {sid for ref in section.articles for sid in corpus.resolve(ref)}
    listed |= {a.id for a in articles if section.id in a.sections}
    stubs = tuple({k[0][:4] for k in keywords})
    by_source: dict[str, list[Passage]] = {}
    for p in passages:
        by_source.setdefault(p.source, []).append(p)

    def weight(p: Passage) -> float:
        return _weight(stems[p], keywords) if keywords and _could_match(p.text, stubs) else 0.0

    matched = {sid for sid, ps in by_source.items() if keywords and any(weight(p) for p in ps)}
    use = listed | matched if (listed or keywords) else set(by_source)
    grade = {a.id: GRADE_WEIGHT[a.reliability] for a in articles}
    scored = []
    for p in passages:
        if p.source not in use or not _citable(p.text, section.kind):
            continue
        w = weight(p)
        if keywords and not w and p.source not in listed:
            continue
        lead = 1.0 / (1 + p.index)
        cue = len(p.cues) if section.kind == "claims" else 0
        score = (2 * w + lead + 3 * cue) * grade[p.source]
        if section.kind == "claims" and not p.cues:
            continue
        scored.append(Passage(p.source, p.start, p.end, p.text, p.index, round(score, 4), p.cues))
    scored.sort(key=lambda p: (-p.score, p.source, p.start))
    return Evidence(section.id, tuple(scored))


def _weight(stems: list[str], keywords: list[tuple[str, ...]]) -> float:
    return sum(1.0 + 0.5 * (len(k) - 1) for k in keywords if contains_phrase(stems, k))


def _citable(text: str, kind: str) -> bool:
    """A sentence that can stand alone as a point: whole, declarative, of a readable length."""
    n = len(words(text))
    if not MIN_WORDS <= n <= MAX_WORDS or text.rstrip('"\'').endswith("?"):
        return False
    return text[0].isupper() or text[0].isdigit() or text[0] in "\"'"
