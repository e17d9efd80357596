"""Stance judges on real text → precision, recall, F1 per stance, macro-F1, `none` P/R.

Headline: the real-text set (shared corpus `stance-dev/`, 298 claim–article pairs over real
Wikinews articles), split by claim into dev and held-out (rule: bench/stance_set.py, guide:
bench/STANCE.md). Each judge sees, per claim, every article of the set as a source, as a
brief would: it must find the article's passages on the claim and judge the whole article.
The 160 sentences in bench/data/ are a unit set, printed last.

Usage: python bench/eval_stance.py [--judge NAME ...] [--part dev|held-out|all] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import stance_set  # noqa: E402

LABELS = ("asserts", "disputes", "reports")


def scores(gold_got: list[tuple[str, str]]) -> dict:
    """Per label (P, R, F1, n) for the three stances and `none`; macro-F1 over the three."""
    counts = Counter(gold_got)
    out = {}
    for label in (*LABELS, "none"):
        tp = counts[(label, label)]
        predicted = sum(v for (g, o), v in counts.items() if o == label)
        actual = sum(v for (g, o), v in counts.items() if g == label)
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        out[label] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, actual)
    out["macro"] = sum(out[label][2] for label in LABELS) / len(LABELS)
    return out


def run(judge: str, claims, articles, pairs) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """(claim id, url) → (label, deciding sentences) for every pair, judged as a brief would."""
    wanted = {}
    for p in pairs:
        wanted.setdefault(p.claim, set()).add(p.article)
    out = {}
    sources = sorted({p.article for p in pairs})
    docs = [(url, *articles[url]) for url in sources]
    for cid, verdicts in judge_claims(judge, [(cid, claims[cid]) for cid in sorted(wanted)], docs).items():
        for url in wanted[cid]:
            out[(cid, url)] = verdicts.get(url, ("none", ()))
    return out


def judge_claims(name: str, claims: list[tuple[str, str]], docs: list[tuple[str, str, str]]) -> dict:
    """claim id → {url: (label, deciding sentence texts)}: retrieval over all docs, then the judge."""
    from briefgen.analysis.judges import make
    from briefgen.analysis.retrieval import Retriever, query
    from briefgen.analysis.text import sentences
    from briefgen.model import Passage

    passages = []
    for url, title, text in docs:
        full = f"{title}\n\n{text}"
        passages += [Passage(url, s, e, full[s:e], i) for i, (s, e) in enumerate(sentences(full))]
    retriever, judge = Retriever(tuple(passages)), make(name)
    out = {}
    for cid, text in claims:
        q = query(text)
        out[cid] = {}
        for url, hits in retriever.find(q).items():
            v = judge.judge(q, tuple(hits))
            if v.stance != "none":
                out[cid][url] = (v.stance, tuple(retriever.passages[i].text for i in v.deciding))
    return out


def judge_sentences(name: str, rows: list[tuple[str, str]]) -> list[str]:
    """Each (claim, sentence) judged as a one-sentence source."""
    from briefgen.analysis.judges import make
    from briefgen.analysis.retrieval import Retriever, query
    from briefgen.model import Passage

    judge, out = make(name), []
    for claim, sentence in rows:
        q = query(claim)
        hits = Retriever((Passage("s", 0, len(sentence), sentence, 0),)).find(q).get("s")
        out.append(judge.judge(q, tuple(hits)).stance if hits else "none")
    return out


def table(name: str, result: dict) -> None:
    print(f"{'stance':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>4}")
    for label in (*LABELS, "none"):
        p, r, f, n = result[label]
        print(f"{label:<10} {p:>9.2f} {r:>7.2f} {f:>6.2f} {n:>4}")
    print(f"macro-F1 over asserts/disputes/reports ({name}): {result['macro']:.3f}")


def unit_set(judge: str) -> None:
    rows = [json.loads(line) for line in (Path(__file__).parent / "data" / "stance.jsonl").read_text().splitlines()]
    got = judge_sentences(judge, [(r["claim"], r["sentence"]) for r in rows])
    result = scores([(r["stance"], g) for r, g in zip(rows, got)])
    print(f"\nunit set (160 self-written sentences, bench/data/; not the headline), judge {judge}: "
          f"macro-F1 {result['macro']:.3f}, none P/R {result['none'][0]:.2f}/{result['none'][1]:.2f}")


def evaluate(rows: list[dict], clf) -> tuple[dict, float, list]:
    """The earlier sentence classifier (briefgen.analysis.stance) on the unit set, as before
    issue 12: (scores per label, macro-F1 over all four labels, errors). Kept for its unit tests."""
    import math

    by_topic: dict[str, Counter] = {}
    sizes: Counter = Counter()
    for row in rows:
        by_topic.setdefault(row["topic"], Counter()).update(clf.analyse(row["sentence"]).terms)
        sizes[row["topic"]] += 1
    weights = {t: (lambda term, df=df, n=sizes[t]: math.log((n + 1) / (df[term] + 1)) + 1)
               for t, df in by_topic.items()}
    gold_got, errors = [], []
    for row in rows:
        got = clf.decide(clf.analyse(row["claim"]), clf.analyse(row["sentence"]), weight=weights[row["topic"]]).stance
        gold_got.append((row["stance"], got))
        if got != row["stance"]:
            errors.append((row["stance"], got, row["sentence"]))
    result = scores(gold_got)
    return ({k: result[k] for k in (*LABELS, "none")},
            sum(result[k][2] for k in (*LABELS, "none")) / 4, errors)


def main() -> None:
    from briefgen.analysis.judges import available

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judge", action="append", help="judge(s) to evaluate (default: every available one)")
    parser.add_argument("--part", default="all", choices=["dev", "held-out", "all"])
    parser.add_argument("--errors", action="store_true", help="list the pairs judged wrong")
    args = parser.parse_args()
    claims, articles, pairs = stance_set.load()
    for judge in args.judge or available():
        got = run(judge, claims, articles, pairs)
        for part in (["dev", "held-out"] if args.part == "all" else [args.part]):
            subset = [p for p in pairs if p.part == part]
            print(f"\n== judge {judge}, {part}: {len(subset)} pairs, "
                  f"{len({p.claim for p in subset})} claims, real Wikinews text")
            pairs_got = [(p.label, got[(p.claim, p.article)][0]) for p in subset]
            table(f"{judge}, {part}", scores(pairs_got))
            confusion = Counter(pairs_got)
            print("confusion (gold → judged): " + "; ".join(
                f"{g}→" + ",".join(f"{o[:3]}{confusion[(g, o)]}" for o in (*LABELS, "none") if confusion[(g, o)])
                for g in (*LABELS, "none")))
            if args.errors:
                for p in subset:
                    label, deciding = got[(p.claim, p.article)]
                    if label != p.label:
                        print(f"  {p.claim} {p.label:>8} -> {label:<8} {claims[p.claim]}\n"
                              f"      {p.article.rsplit('/', 1)[-1][:70]}")
                        for s in deciding[:2]:
                            print(f"      | {s[:200]}")
                        for s in p.evidence[:1]:
                            print(f"      gold: {s[:200]}")
        unit_set(judge)


if __name__ == "__main__":
    main()
