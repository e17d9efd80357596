"""Normalized text → sentence spans and stemmed terms: the lexical tools every stage shares."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from .segmenter import segmenter

_WORD = re.compile(  # a word, with inner apostrophes, dots and hyphens (U.S., don't, co-op)
    r"[^\W_]+(?:['.-][^\W_]+)*")
_STEMMER = snowballstemmer.stemmer("english")
_SEGMENTER = segmenter()  # pysbd with its abbreviation patterns compiled once (no global regex cache change)

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says say may might must shall one two new also
""".split())
"""English function words, ignored when matching keywords and claims."""


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `text`, paragraph by paragraph, trimmed."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for para in text.split("\n\n"):
        cursor = 0
        for piece in _SEGMENTER.segment(para):
            piece = piece.strip()
            if not piece:
                continue
            at = para.find(piece, cursor)
            if at < 0:  # the segmenter altered the text; fall back to the whole paragraph
                spans = [s for s in spans if s[0] < offset] + [(offset, offset + len(para))]
                break
            spans.append((offset + at, offset + at + len(piece)))
            cursor = at + len(piece)
        offset += len(para) + 2
    return spans


def sentences_of(texts: list[str], tick=lambda n=1: None) -> list[list[tuple[int, int]]]:
    """`sentences` of many texts, spread over the CPU cores when there are enough to pay for it."""
    from ..isolate import map_on_cores

    return map_on_cores(sentences, texts, tick)


def words(text: str) -> list[str]:
    """Word tokens, case kept."""
    return _WORD.findall(text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Lower-cased Snowball stem: 'Sanctions' and 'sanctioned' both give 'sanction'."""
    return _STEMMER.stemWord(word.lower().replace("'", "").replace("’", ""))


def terms(text: str) -> list[str]:
    """Stems of the content words of `text`, in order (function words dropped)."""
    return [stem(w) for w in words(text) if w.lower() not in STOPWORDS]


def all_stems(text: str) -> list[str]:
    """Stems of every word of `text`, in order (for phrase matching)."""
    return [stem(w) for w in words(text)]


def contains_phrase(haystack: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether the stem sequence `phrase` occurs contiguously in `haystack`."""
    n = len(phrase)
    if n == 1:
        return phrase[0] in haystack
    first = phrase[0]
    return any(haystack[i:i + n] == list(phrase) for i, w in enumerate(haystack) if w == first)
