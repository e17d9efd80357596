"""Wikinews text for the segmenter benchmark: normalized articles, the gold-set selection, gold loading.

Texts are Wikinews articles (CC BY 2.5, "Wikinews contributors, https://en.wikinews.org"), normalized the
way briefgen normalizes an article body: paragraphs (briefgen.ingest.chrome.split_paragraphs), each one
NFC + straight quotes + single spaces (chrome.normalize), joined by a blank line. Spans index that text.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from briefgen.ingest.chrome import normalize, split_paragraphs  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "wikinews"
GOLD = Path(__file__).resolve().parent / "data" / "segmentation.jsonl"
SEED = 16
N_ARTICLES = 70

# Difficult cases searched for in the rest of the corpus: category → pattern (paragraphs that contain it).
HARD = {
    "abbrev": r"\b(?:U\.S\.|U\.K\.|Mr\.|Mrs\.|Ms\.|Dr\.|Gen\.|Lt\.|Col\.|Sen\.|Rep\.|Gov\.|Prof\.|St\.|No\. ?\d|Inc\.|Corp\.|Ltd\.|Co\.|Jr\.|vs?\.|etc\.)",
    "initials": r"\b[A-Z]\. ?[A-Z]\.",
    "numbers": r"\$\d+\.\d|\d\.\d+ ?(?:per ?cent|%|million|billion)|\b\d+\.\d+\b",
    "quote_end": r"[.?!]\"(?: |$)",
    "ellipsis": r"\.\.\.|…",
    "dates": r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\. \d",
    "non_english": r"[^\x00-\u024f\u2000-\u206f\xa0\u20ac]{4}|[À-ÿ]\w*[ .]",
    "list_line": r"^(?:[-*•·]|\d+[.)]) |^[A-Z][^.!?]{3,60}:$",
}
PER_HARD = 12


def articles() -> list[dict]:
    """Every Wikinews row as {id, url, title, text} with the normalized text ('' rows kept)."""
    csv.field_size_limit(10**8)
    out = []
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        for i, row in enumerate(csv.DictReader((CORPUS / name).open(encoding="utf-8"))):
            paras = [normalize(p) for p in split_paragraphs(row["text"])]
            out.append({"id": f"{name[9:13]}-{i:03d}", "url": row["url"], "title": row["title"],
                        "text": "\n\n".join(p for p in paras if p)})
    return out


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) of a normalized text."""
    out, at = [], 0
    for para in text.split("\n\n"):
        out.append((at, para))
        at += len(para) + 2
    return out


def selection() -> list[dict]:
    """The gold-set items: N_ARTICLES whole articles (seeded) + PER_HARD paragraphs per difficult category
    from the other articles. Articles over 12,000 characters (scrape damage) are not drawn as whole articles."""
    rng = random.Random(SEED)
    arts = articles()
    pool = [a for a in arts if 300 <= len(a["text"]) <= 12_000]
    chosen = rng.sample(pool, N_ARTICLES)
    items = [{"id": a["id"], "kind": "article", "url": a["url"], "text": a["text"]} for a in chosen]
    taken = {a["id"] for a in chosen}
    used: set[tuple[str, int]] = set()
    for cat, pat in HARD.items():
        rx = re.compile(pat, re.M)
        cands = [(a, off, p) for a in arts if a["id"] not in taken for off, p in paragraphs(a["text"])
                 if 40 <= len(p) <= 1500 and rx.search(p) and (a["id"], off) not in used]
        for a, off, p in rng.sample(cands, min(PER_HARD, len(cands))):
            used.add((a["id"], off))
            items.append({"id": f"{a['id']}@{off}", "kind": f"hard:{cat}", "url": a["url"], "text": p})
    return items


def load_gold(path: Path = GOLD) -> list[dict]:
    """Gold items: {id, kind, url, text, spans: [[start, end], ...], notes: [...]}."""
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def speed_texts(n: int = 2000, seed: int = 1) -> list[str]:
    """n distinct article texts mixing 4-8 real Wikinews paragraphs each (as bench/corpus.py does)."""
    rng = random.Random(seed)
    pool = [p for a in articles() for _, p in paragraphs(a["text"]) if 25 <= len(p.split()) <= 250]
    return ["\n\n".join(rng.sample(pool, rng.randint(4, 8))) for _ in range(n)]
