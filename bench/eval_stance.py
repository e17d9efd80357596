"""Labelled (claim, sentence, stance) triples → precision, recall and F1 per stance, macro-F1.

Usage: python bench/eval_stance.py [--split dev|test|all] [--errors]
The set (bench/data/stance.jsonl) and how it was made: bench/data/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

from briefgen.analysis.stance import StanceClassifier

LABELS = ("asserts", "disputes", "reports", "none")


def topic_weights(rows: list[dict], clf: StanceClassifier):
    """IDF of terms over each topic's sentences, as the pipeline weighs terms over a corpus."""
    by_topic: dict[str, Counter] = {}
    sizes: Counter = Counter()
    for row in rows:
        df = by_topic.setdefault(row["topic"], Counter())
        df.update(clf.analyse(row["sentence"]).terms)
        sizes[row["topic"]] += 1
    return {topic: (lambda t, df=df, n=sizes[topic]: math.log((n + 1) / (df[t] + 1)) + 1)
            for topic, df in by_topic.items()}


def evaluate(rows: list[dict], clf: StanceClassifier) -> tuple[dict, float, list]:
    counts = Counter()
    errors = []
    weights = topic_weights(rows, clf)
    for row in rows:
        got = clf.decide(clf.analyse(row["claim"]), clf.analyse(row["sentence"]),
                         weight=weights[row["topic"]]).stance
        counts[(row["stance"], got)] += 1
        if got != row["stance"]:
            errors.append((row["stance"], got, row["sentence"]))
    scores = {}
    for label in LABELS:
        tp = counts[(label, label)]
        predicted = sum(v for (gold, got), v in counts.items() if got == label)
        actual = sum(v for (gold, got), v in counts.items() if gold == label)
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        scores[label] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, actual)
    return scores, sum(s[2] for s in scores.values()) / len(LABELS), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=["dev", "test", "all"])
    parser.add_argument("--errors", action="store_true", help="list misclassified sentences")
    args = parser.parse_args()
    rows = [json.loads(l) for l in (Path(__file__).parent / "data" / "stance.jsonl").read_text().splitlines()]
    clf = StanceClassifier()
    for split in (["dev", "test"] if args.split == "all" else [args.split]):
        subset = [r for r in rows if r["split"] == split]
        scores, macro, errors = evaluate(subset, clf)
        topics = sorted({r["topic"] for r in subset})
        print(f"\n{split}: {len(subset)} triples, topics: {', '.join(topics)}")
        print(f"{'stance':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>4}")
        for label, (p, r, f, n) in scores.items():
            print(f"{label:<10} {p:>9.2f} {r:>7.2f} {f:>6.2f} {n:>4}")
        print(f"macro-F1 ({split}): {macro:.3f}")
        if args.errors:
            for gold, got, sentence in errors:
                print(f"  {gold:>8} -> {got:<8} {sentence}")


if __name__ == "__main__":
    main()
