"""Reference sentence splitter for briefgen: sentencex, exact (start, end) spans over the normalized text.

The drop-in replacement measured in bench/SEGMENTERS.md for `briefgen.analysis.text.sentences` (same
contract: paragraph by paragraph, spans trimmed of whitespace, indexing the text given). sentencex returns
pieces that tile its input exactly ("".join(pieces) == paragraph, checked on every paragraph of the gold
set and of the 2,000 speed articles, and asserted below), so spans come from running lengths, without any
search; if a future sentencex ever alters the text, the paragraph is kept whole rather than mis-spanned.
No model or data is loaded at run time; sentencex is MIT-licensed, a compiled Rust extension.
"""

from __future__ import annotations

import sentencex

LANGUAGE = "en"


def sentences(text: str, language: str = LANGUAGE) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `text`, paragraph by paragraph ("\\n\\n"), trimmed."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for para in text.split("\n\n"):
        pieces = sentencex.segment(language, para)
        if "".join(pieces) != para:  # never seen; keep the text rather than guess spans
            pieces = [para]
        at = offset
        for piece in pieces:
            start, end = at, at + len(piece)
            at = end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        offset += len(para) + 2
    return spans


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Raise AssertionError unless `spans` are exact: ordered, disjoint, trimmed, inside one paragraph each,
    and together covering every non-space character of `text` (nothing dropped, nothing invented)."""
    covered = bytearray(len(text))
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text), (start, end)
        piece = text[start:end]
        assert piece == piece.strip(), (start, end, piece[:40])
        assert "\n\n" not in piece, (start, end)
        covered[start:end] = b"\x01" * (end - start)
        last = end
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missing, f"characters outside every span at {missing[:5]}"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import segdata

    texts = [g["text"] for g in segdata.load_gold()] + segdata.speed_texts(2000)
    for t in texts:
        check_spans(t, sentences(t))
    print(f"spans exact on {len(texts)} texts")
