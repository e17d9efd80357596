"""Sentence segmenters compared on real news text: boundary precision/recall/F1 and speed.

    .venv/bin/pip install -e ".[bench]"      # the candidates (optional extra)
    .venv/bin/python bench/segmenters.py      # prints the table (add --quick for one timing run)

Gold: bench/data/segmentation.jsonl (Wikinews, CC BY 2.5, "Wikinews contributors, https://en.wikinews.org").
Every candidate is run the way briefgen runs pysbd: paragraph by paragraph over the normalized text, its
sentences located with an exact `str.find` pass (`find_spans`), so all are scored and timed alike. A boundary
is the start offset of a sentence that does not start a paragraph (paragraph starts are given, not found).
Speed: ms per article over 2,000 articles mixed from real Wikinews paragraphs, best of 3 runs per candidate.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import segdata  # noqa: E402


def find_spans(para: str, pieces) -> list[tuple[int, int]]:
    """Exact (start, end) spans of the trimmed `pieces` in `para`, in order (pieces that are not found
    are skipped; a candidate that alters the text loses those boundaries)."""
    spans, cursor = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = para.find(piece, cursor)
        if at < 0:
            continue
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def make_candidates() -> dict[str, tuple[str, object]]:
    """name → (note, paragraph → spans). Candidates whose package is missing are left out."""
    cands: dict[str, tuple[str, object]] = {}

    def add(name, note, factory):
        try:
            cands[name] = (note, factory())
        except ImportError as exc:
            print(f"skipped {name}: {exc}", file=sys.stderr)

    def pysbd_find():
        import pysbd
        seg = pysbd.Segmenter(language="en", clean=False)
        return lambda p: find_spans(p, seg.segment(p))

    def pysbd_spans():
        import pysbd
        seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        return lambda p: find_spans(p, (s.sent for s in seg.segment(p)))

    def sentencex_():
        import sentencex
        return lambda p: find_spans(p, sentencex.segment("en", p))

    def nupunkt_():
        import nupunkt
        return lambda p: [(s, e) for s, e in _trim(p, nupunkt.sent_spans(p))]

    def nupunkt_rs_():
        import nupunkt_rs
        return lambda p: find_spans(p, nupunkt_rs.sent_tokenize(p))

    def blingfire_():
        import blingfire
        return lambda p: list(_trim(p, blingfire.text_to_sentences_and_offsets(p)[1])) if p.strip() else []

    def syntok_():
        from syntok import segmenter
        def split(p):
            starts = [s[0].offset for para in segmenter.analyze(p) for s in para if s]
            return _from_starts(p, starts)
        return split

    def segtok_():
        from segtok.segmenter import split_single
        return lambda p: find_spans(p, split_single(p))

    def csbd_():
        from csbd import Segmenter
        seg = Segmenter(language="en", clean=False)
        return lambda p: find_spans(p, seg.segment(p))

    def choppa_():
        from choppa import DEFAULT_SRX_RULESET, SrxDocument, SrxTextIterator
        doc = SrxDocument(ruleset=DEFAULT_SRX_RULESET)
        return lambda p: find_spans(p, SrxTextIterator(doc, "en_US", p))

    def moses_():
        from sentence_splitter import SentenceSplitter
        seg = SentenceSplitter(language="en")
        return lambda p: find_spans(p, seg.split(p))

    add("pysbd (segment + find)", "pysbd 0.3.4, MIT; what briefgen does today", pysbd_find)
    add("pysbd (char_span)", "pysbd sentences_with_char_spans", pysbd_spans)
    add("sentencex", "MIT; Rust core", sentencex_)
    add("nupunkt", "MIT; pure Python, model shipped in the wheel", nupunkt_)
    add("nupunkt-rs", "MIT; Rust, model shipped", nupunkt_rs_)
    add("blingfire", "MIT; C++ FSM, last release 2021", blingfire_)
    add("syntok", "MIT; pure Python, last release 2022", syntok_)
    add("segtok", "MIT; pure Python, last release 2021", segtok_)
    add("cleave-sbd", "MIT; pysbd rewrite (beta)", csbd_)
    add("choppa-srx", "MIT; LanguageTool SRX rules", choppa_)
    add("sentence-splitter", "LGPL-3; Moses/Koehn heuristics", moses_)
    return cands


def _trim(text, spans):
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e


def _from_starts(text, starts):
    starts = sorted(set(starts))
    ends = starts[1:] + [len(text)]
    return list(_trim(text, zip(starts, ends)))


def split_text(split, text: str) -> list[tuple[int, int]]:
    """Spans over a whole normalized text, paragraph by paragraph (as briefgen does)."""
    out = []
    for off, para in segdata.paragraphs(text):
        out.extend((off + s, off + e) for s, e in split(para))
    return out


def boundaries(text: str, spans) -> set[int]:
    """Sentence starts that are not paragraph starts."""
    para_starts = {off for off, _ in segdata.paragraphs(text)}
    return {s for s, _ in spans if s not in para_starts}


def score(split, gold) -> dict:
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = {}
    for item in gold:
        g = boundaries(item["text"], item["spans"])
        p = boundaries(item["text"], split_text(split, item["text"]))
        k = by_kind.setdefault("article" if item["kind"] == "article" else "hard", [0, 0, 0])
        t, f, m = len(g & p), len(p - g), len(g - p)
        tp, fp, fn = tp + t, fp + f, fn + m
        k[0] += t; k[1] += f; k[2] += m
    return {"tp": tp, "fp": fp, "fn": fn, **prf(tp, fp, fn),
            "by_kind": {k: prf(*v) for k, v in by_kind.items()}}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def timing(split, texts, runs: int = 3) -> list[float]:
    """ms per article for each of `runs` passes over texts."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for text in texts:
            split_text(split, text)
        out.append((time.perf_counter() - t0) * 1000 / len(texts))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one timing run over 300 articles")
    ap.add_argument("--only", help="comma-separated candidate name prefixes")
    args = ap.parse_args(argv)
    gold = segdata.load_gold()
    n_sent = sum(len(i["spans"]) for i in gold)
    n_bound = sum(len(boundaries(i["text"], i["spans"])) for i in gold)
    texts = segdata.speed_texts(300 if args.quick else 2000)
    runs = 1 if args.quick else 3
    cands = make_candidates()
    if args.only:
        keep = tuple(args.only.split(","))
        cands = {k: v for k, v in cands.items() if k.startswith(keep)}
    print(f"gold: {len(gold)} items, {n_sent} sentences, {n_bound} in-paragraph boundaries; "
          f"speed: {len(texts)} articles, best of {runs}; {platform.python_version()}, "
          f"{platform.machine()}, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"| segmenter | P | R | F1 | F1 articles | F1 hard cases | ms/article best (runs) | × pysbd |")
    print("|---|---|---|---|---|---|---|---|")
    base = None
    for name, (note, split) in cands.items():
        s = score(split, gold)
        t = timing(split, texts, runs)
        best = min(t)
        base = base or best
        print(f"| {name} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | {s['by_kind']['article']['f1']:.3f} "
              f"| {s['by_kind']['hard']['f1']:.3f} | {best:.2f} ({', '.join(f'{x:.2f}' for x in t)}) "
              f"| {base / best:.1f}× |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
