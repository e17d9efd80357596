"""Unit check of the reference splitter: spans are exact, and its boundaries are at least pysbd's quality.

    .venv/bin/python -m pytest -q bench/test_sentence_split.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import segdata  # noqa: E402
from segmenters import boundaries, score  # noqa: E402
from sentence_split import check_spans, sentences  # noqa: E402

GOLD = segdata.load_gold()


@pytest.mark.parametrize("item", GOLD, ids=[g["id"] for g in GOLD])
def test_spans_exact_on_gold_text(item):
    text = item["text"]
    spans = sentences(text)
    check_spans(text, spans)
    # each span is exactly one sentencex sentence of its paragraph, trimmed
    for off, para in segdata.paragraphs(text):
        import sentencex
        expected = [p.strip() for p in sentencex.segment("en", para) if p.strip()]
        got = [text[s:e] for s, e in spans if off <= s < off + len(para) + 1]
        assert got == expected


def test_spans_exact_on_mixed_articles():
    for text in segdata.speed_texts(300, seed=7):
        check_spans(text, sentences(text))


@pytest.mark.parametrize("text", ["", " ", "\n\n", "One.\n\n\n\nTwo.", "  Lead. Trail.  ", "A.\u00a0B. C",
                                  "Ends without stop", "नहीं नहीं। नहीं मिला।", "\"Go.\" he said. Ok?! Yes..."])
def test_spans_exact_on_edge_texts(text):
    check_spans(text, sentences(text))


def test_check_spans_catches_a_dropped_sentence():
    text = "The first sentence. The second one."
    spans = sentences(text)
    assert len(spans) == 2
    with pytest.raises(AssertionError):
        check_spans(text, spans[:1])
    with pytest.raises(AssertionError):
        check_spans(text, [(spans[0][0], spans[0][1] + 1), spans[1]])  # includes the space: not trimmed


def test_boundaries_at_least_pysbd_quality_on_gold():
    pysbd = pytest.importorskip("pysbd")
    seg = pysbd.Segmenter(language="en", clean=False)
    from segmenters import find_spans

    ours = score(lambda p: sentences(p), GOLD)
    base = score(lambda p: find_spans(p, seg.segment(p)), GOLD)
    assert ours["f1"] >= base["f1"]
    assert ours["p"] >= base["p"] - 0.005


def test_known_cases_from_the_corpus():
    by_id = {g["id"]: g for g in GOLD}
    text = by_id["2019-145"]["text"]  # 'Mr. A' (no boundary) and 'Washington, D.C. They' (boundary)
    got = boundaries(text, sentences(text))
    assert text.index('"Mr. A"') + 5 not in got
    assert text.index("They also stated") in got
