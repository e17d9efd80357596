"""Wikinews CSV → N distinct synthetic articles (text files) for benchmarks.

Each article mixes paragraphs from several real Wikinews articles (CC BY 2.5, "Wikinews
contributors, https://en.wikinews.org"), seeded, so articles are varied real text and do not
collapse into duplicates. Falls back to generated text when the shared corpus is absent.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikinews"


def paragraphs() -> list[str]:
    csv.field_size_limit(10**8)
    out = []
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        path = CORPUS / name
        if not path.exists():
            continue
        for row in csv.DictReader(path.open(encoding="utf-8")):
            for para in re.split(r"\n\s*\n", row["text"]):
                para = " ".join(para.split())
                if 25 <= len(para.split()) <= 250:
                    out.append(para)
    return out


def make(folder: Path, n: int, seed: int = 1) -> list[Path]:
    """Write n articles into folder (headline + 4-8 paragraphs each); return their paths."""
    rng = random.Random(seed)
    pool = paragraphs() or [" ".join(f"w{rng.randrange(20000)}" for _ in range(60)) + "." for _ in range(5000)]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        body = rng.sample(pool, rng.randint(4, 8))
        title = " ".join(body[0].split()[:8]).rstrip(".,;:") + f" ({i})"
        path = folder / f"a{i:05d}.txt"
        path.write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
