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


def registry() -> dict[str, tuple[str, object]]:
    """name → (note, factory); a factory imports its library and returns paragraph → spans."""
    cands: dict[str, tuple[str, object]] = {}

    def add(name, note, factory):
        cands[name] = (note, factory)

    def briefgen_today():
        # the product's function as it is on main (pysbd + str.find, abbreviation patterns compiled once)
        from briefgen.analysis.text import sentences
        return sentences

    def pysbd_find():
        import pysbd
        seg = pysbd.Segmenter(language="en", clean=False)
        return lambda p: find_spans(p, seg.segment(p))

    def pysbd_spans():
        import pysbd
        seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        return lambda p: list(_trim(p, ((s.start, s.end) for s in seg.segment(p))))

    def reference():
        from sentence_split import sentences
        return sentences

    def sentencex_():
        import sentencex
        return lambda p: find_spans(p, sentencex.segment("en", p))

    def nupunkt_():
        import nupunkt
        return lambda p: list(_trim(p, nupunkt.sent_spans(p)))

    def nupunkt_rs_():
        import nupunkt_rs
        return lambda p: find_spans(p, nupunkt_rs.sent_tokenize(p))

    def blingfire_():
        import blingfire
        return lambda p: list(_trim(p, blingfire.text_to_sentences_and_offsets(p)[1])) if p.strip() else []

    def syntok_():
        from syntok import segmenter
        return lambda p: _from_starts(p, [s[0].offset for para in segmenter.analyze(p) for s in para if s])

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

    add("briefgen today", "briefgen.analysis.text.sentences on main: pysbd 0.3.4 + str.find, its abbreviation "
        "patterns compiled once (analysis/segmenter.py)", briefgen_today)
    add("pysbd segment+find", "pysbd 0.3.4 (MIT, last release 2021-02), default regex cache", pysbd_find)
    add("pysbd char_span", "pysbd sentences_with_char_spans (char_span=True)", pysbd_spans)
    add("sentencex", "sentencex 1.0.32 (MIT, 2026-09), Rust extension; segment + str.find", sentencex_)
    add("sentencex reference", "bench/sentence_split.py: sentencex, spans from running lengths", reference)
    add("nupunkt", "nupunkt 0.8.0 (MIT, 2026-09), pure Python, Punkt model in the wheel; sent_spans", nupunkt_)
    add("nupunkt-rs", "nupunkt-rs 0.1.1 (MIT, 2025-09), Rust, model in the wheel", nupunkt_rs_)
    add("blingfire", "blingfire 0.1.8 (MIT, last release 2021-09), C++ FSM; offsets", blingfire_)
    add("syntok", "syntok 1.4.4 (MIT, last release 2022-03), pure Python; token offsets", syntok_)
    add("segtok", "segtok 1.5.11 (MIT, last release 2021-12), pure Python", segtok_)
    add("cleave-sbd", "cleave-sbd 0.3.0b1 (MIT, beta 2026-08), pysbd rewrite", csbd_)
    add("choppa-srx", "choppa-srx 1.0.0 (MIT, 2026-07), LanguageTool SRX rules", choppa_)
    add("sentence-splitter", "sentence-splitter 1.4 (LGPL-3, last release 2019-01), Moses heuristics", moses_)
    return cands


def make_candidates(names=None) -> dict[str, tuple[str, object]]:
    """name → (note, paragraph → spans), for the candidates whose package is installed."""
    out = {}
    for name, (note, factory) in registry().items():
        if names and name not in names:
            continue
        try:
            out[name] = (note, factory())
        except ImportError as exc:
            print(f"skipped {name}: {exc}", file=sys.stderr)
    return out


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


def in_quote(text: str, at: int) -> bool:
    """Whether offset `at` lies inside an open double quotation of its paragraph."""
    para_start = text.rfind("\n\n", 0, at)
    return text.count('"', para_start + 1 if para_start >= 0 else 0, at) % 2 == 1


def score(split, gold) -> dict:
    """Boundary P/R/F1 overall, outside quotations, and per item kind."""
    totals = {"all": [0, 0, 0], "outside quotes": [0, 0, 0]}
    for item in gold:
        text = item["text"]
        g = boundaries(text, item["spans"])
        p = boundaries(text, split_text(split, text))
        kinds = ["all", item["kind"], "article" if item["kind"] == "article" else "hard"]
        for k in kinds:
            acc = totals.setdefault(k, [0, 0, 0])
            acc[0] += len(g & p); acc[1] += len(p - g); acc[2] += len(g - p)
        go = {b for b in g if not in_quote(text, b)}
        po = {b for b in p if not in_quote(text, b)}
        acc = totals["outside quotes"]
        acc[0] += len(go & po); acc[1] += len(po - go); acc[2] += len(go - po)
    out = {k: prf(*v) for k, v in totals.items()}
    out.update(prf(*totals["all"]))
    out["counts"] = totals
    return out


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


def measure_one(name: str, n: int, runs: int) -> dict:
    """Score and time one candidate (run in its own process, so imports and regex caches don't mix)."""
    t0 = time.perf_counter()
    cands = make_candidates([name])
    if name not in cands:
        return {"name": name, "missing": True}
    note, split = cands[name]
    load_ms = (time.perf_counter() - t0) * 1000
    s = score(split, segdata.load_gold())
    t = timing(split, segdata.speed_texts(n), runs)
    return {"name": name, "note": note, "score": s, "ms": t, "load_ms": load_ms}


def main(argv=None) -> int:
    import json
    import subprocess

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one timing run over 300 articles")
    ap.add_argument("--only", help="comma-separated candidate names")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--json", help="also write the raw results to this file")
    args = ap.parse_args(argv)
    n, runs = (300, 1) if args.quick else (2000, 3)
    if args.one:
        print(json.dumps(measure_one(args.one, n, runs)))
        return 0
    gold = segdata.load_gold()
    n_sent = sum(len(i["spans"]) for i in gold)
    n_bound = sum(len(boundaries(i["text"], i["spans"])) for i in gold)
    n_inq = sum(in_quote(i["text"], b) for i in gold for b in boundaries(i["text"], i["spans"]))
    names = args.only.split(",") if args.only else list(registry())
    results = []
    for name in names:
        cmd = [sys.executable, __file__, "--one", name] + (["--quick"] if args.quick else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    results = [r for r in results if not r.get("missing")]
    print(f"Gold: {len(gold)} Wikinews items, {n_sent} sentences, {n_bound} in-paragraph boundaries "
          f"({n_inq} inside quotations). Speed: {n} articles mixed from Wikinews paragraphs, "
          f"ms per article, best of {runs} (all runs). Python {platform.python_version()}, "
          f"{platform.machine()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n")
    base = next((min(r["ms"]) for r in results if r["name"] == "briefgen today"), None)
    print("| segmenter | P | R | F1 | F1 outside quotations | F1 hard cases | ms/article best (runs) | speed-up vs briefgen today |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        s, best = r["score"], min(r["ms"])
        up = f"{base / best:.0f}×" if base else "–"
        print(f"| {r['name']} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | {s['outside quotes']['f1']:.3f} "
              f"| {s['hard']['f1']:.3f} | {best:.3f} ({', '.join(f'{x:.3f}' for x in r['ms'])}) | {up} |")
    kinds = sorted(k for k in results[0]["score"] if k.startswith("hard:")) + ["article"]
    counts = results[0]["score"]["counts"]
    print("\nBoundary F1 by item kind (items / gold boundaries: " + ", ".join(
        f"{k.split(':')[-1]} {sum(g['kind'] == k for g in gold)}/{counts[k][0] + counts[k][2]}" for k in kinds)
        + ")\n")
    print("| segmenter | " + " | ".join(k.split(":")[-1] for k in kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for r in results:
        print(f"| {r['name']} | " + " | ".join(f"{r['score'][k]['f1']:.3f}" for k in kinds) + " |")
    print("\nCandidates:")
    for r in results:
        print(f"- {r['name']}: {r['note']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
