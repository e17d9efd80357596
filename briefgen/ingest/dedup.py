"""Texts → groups of near-duplicates, found through a fingerprint index, never by comparing all pairs.

Each text becomes a set of hashed 3-word shingles. A fixed sample of them (hash mod 4 == 0,
the same sample in every text, so copies share it) goes into a postings index; only texts
that share sampled fingerprints are compared, and fingerprints found in very many texts
(boilerplate) are skipped. Two texts are copies when 80% of the shorter one's shingles occur
in the other (syndicated copies with small edits, or a story cut short), which different
stories on the same event do not reach.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict

SHINGLE = 3
SAMPLE = 4
SAME = 0.8
COMMON = 200  # a fingerprint shared by more texts than this is boilerplate, not evidence
_WORD = re.compile(r"[^\W_]+")


def shingles(text: str, k: int = SHINGLE) -> frozenset[int]:
    """Deterministic hashes of the text's k-word windows (lower-cased words)."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return frozenset([zlib.crc32(" ".join(words).encode())]) if words else frozenset()
    return frozenset(zlib.crc32(" ".join(words[i:i + k]).encode()) for i in range(len(words) - k + 1))


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set found in the larger one (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def groups(texts: list[str], threshold: float = SAME) -> list[list[int]]:
    """Indices of `texts` grouped by near-duplication; singletons included, input order kept."""
    sets = [shingles(t) for t in texts]
    samples = [frozenset(h for h in s if h % SAMPLE == 0) or s for s in sets]
    postings: dict[int, list[int]] = defaultdict(list)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, sample in enumerate(samples):
        shared: Counter[int] = Counter()
        for h in sample:
            seen = postings[h]
            if len(seen) <= COMMON:
                shared.update(seen)
            seen.append(i)
        for j, count in shared.items():
            if count >= threshold * 0.5 * min(len(sample), len(samples[j])) and \
                    find(i) != find(j) and overlap(sets[i], sets[j]) >= threshold:
                parent[find(i)] = find(j)
    out: dict[int, list[int]] = {}
    for i in range(len(texts)):
        out.setdefault(find(i), []).append(i)
    return sorted(out.values(), key=lambda g: g[0])
