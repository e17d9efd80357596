"""Writes segmentation.jsonl: the pysbd draft of the selected Wikinews items, corrected by hand.

    .venv/bin/python bench/data/make_segmentation.py

The draft boundaries come from pysbd (segment + exact find, as briefgen does); every sentence of every
item was then read and the draft corrected by `segmentation_corrections.txt` (one line per boundary
added `+`, removed `-`, or a borderline case kept as drafted `=`, each with how it was called). One rule
is applied by code and was checked by eye on every case: in Hindi passages a danda followed by a space
("। ") ends a sentence. The script fails if a correction does not apply (an added boundary already there
or not at the start of a word, a removed one absent), so the file and the text cannot drift apart.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import segdata  # noqa: E402
from segmenters import boundaries, find_spans, split_text  # noqa: E402

CORRECTIONS = HERE / "segmentation_corrections.txt"
DANDA = re.compile(r"। (?=\S)")


def corrections() -> dict[str, list[tuple[str, int, str]]]:
    out: dict[str, list[tuple[str, int, str]]] = {}
    for line in CORRECTIONS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        item, op_at, note = line.split(" ", 2)
        out.setdefault(item, []).append((op_at[0], int(op_at[1:]), note))
    return out


def spans_from(text: str, starts: set[int]) -> list[tuple[int, int]]:
    """Trimmed spans: each paragraph cut at its sentence starts."""
    spans = []
    for off, para in segdata.paragraphs(text):
        cuts = sorted({off} | {s for s in starts if off < s < off + len(para)}) + [off + len(para)]
        for a, b in zip(cuts, cuts[1:]):
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                spans.append((a + lead, a + len(piece.rstrip())))
    return spans


def main() -> int:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    draft = lambda p: find_spans(p, seg.segment(p))  # noqa: E731
    fixes = corrections()
    seen, out, problems = set(), [], []
    for item in segdata.selection():
        text = item["text"]
        starts = boundaries(text, split_text(draft, text))
        notes = []
        for op, at, note in fixes.get(item["id"], []):
            seen.add(item["id"])
            if op == "+":
                if at in starts or at <= 0 or text[at].isspace() or not text[at - 1].isspace() and text[at - 1] != ".":
                    problems.append(f"{item['id']} +{at}: {text[max(0, at - 20):at]!r}|{text[at:at + 20]!r}")
                starts.add(at)
                notes.append({"at": at, "call": "boundary", "changed": True, "note": note})
            elif op == "-":
                if at not in starts:
                    problems.append(f"{item['id']} -{at}: no drafted boundary there")
                starts.discard(at)
                notes.append({"at": at, "call": "no boundary", "changed": True, "note": note})
            else:
                notes.append({"near": at, "call": "as drafted", "changed": False, "note": note})
        dandas = {m.end() for m in DANDA.finditer(text)}
        if dandas - starts:
            notes.append({"call": "boundary", "changed": True, "at": sorted(dandas - starts),
                          "note": "Hindi: a danda followed by a space ends the sentence"})
        starts |= dandas
        spans = spans_from(text, starts)
        out.append({**item, "spans": spans, "notes": notes})
    missing = set(fixes) - seen
    if problems or missing:
        print("\n".join(problems + [f"unknown item {m}" for m in sorted(missing)]), file=sys.stderr)
        return 1
    with segdata.GOLD.open("w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    n = sum(len(r["spans"]) for r in out)
    nb = sum(len(boundaries(r["text"], r["spans"])) for r in out)
    print(f"{segdata.GOLD.name}: {len(out)} items, {n} sentences, {nb} in-paragraph boundaries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
