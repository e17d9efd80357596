"""The real-text stance set (shared corpus `stance-dev/` over `wikinews/`) → pairs split by claim.

Split rule (fixed before any tuning, see bench/STANCE.md): a claim is **held out** when the first
eight hex digits of sha1(claim id) as an integer, modulo 10, is below 3 (about 30% of claims);
otherwise it is **dev**. Every pair of a claim goes to that claim's part, so no claim is seen in
both. Only the dev part may be looked at when tuning.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(os.environ.get("BRIEFGEN_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def corpus_dir() -> Path:
    """Where the shared corpus is: $BRIEFGEN_SHARED/corpus, else /work/shared/corpus."""
    for base in (SHARED / "corpus", Path("/work/shared/corpus")):
        if (base / "stance-dev" / "pairs.jsonl").exists():
            return base
    raise SystemExit("stance set not found: set BRIEFGEN_SHARED to the folder holding corpus/stance-dev")


def part(claim_id: str) -> str:
    """'held-out' or 'dev' for a claim id (the split rule in the module docstring)."""
    return "held-out" if int(hashlib.sha1(claim_id.encode()).hexdigest()[:8], 16) % 10 < 3 else "dev"


@dataclass(frozen=True)
class Pair:
    claim: str  # claim id
    article: str  # article url
    label: str  # asserts, disputes, reports or none
    evidence: tuple[str, ...]
    part: str  # dev or held-out


def load() -> tuple[dict[str, str], dict[str, tuple[str, str]], list[Pair]]:
    """(claim id → text, url → (title, text), pairs) of the set."""
    base = corpus_dir()
    claims = {c["id"]: c["claim"] for c in _jsonl(base / "stance-dev" / "claims.jsonl")}
    pairs = [Pair(p["claim"], p["article"], p["label"], tuple(p["evidence"]), part(p["claim"]))
             for p in _jsonl(base / "stance-dev" / "pairs.jsonl")]
    wanted = {p.article for p in pairs}
    csv.field_size_limit(sys.maxsize)
    articles = {}
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        with open(base / "wikinews" / name, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["url"] in wanted:
                    articles[row["url"]] = (row["title"].strip(), _clean(row["text"]))
    return claims, articles, pairs


def _clean(text: str) -> str:
    """Paragraphs separated by one blank line, lines trimmed (as ingest normalises a body)."""
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paras if p)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
