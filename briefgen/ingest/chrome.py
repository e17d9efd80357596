"""Raw article text → Cleaned (headline, body paragraphs, removed lines): site chrome stripped.

Web pages saved as text carry navigation, share bars, comment widgets, bylines, captions and
"related" headlines. A paragraph is kept as prose only when it reads like prose:

1. `cleanup.keep` patterns keep a paragraph; `cleanup.drop` patterns (and the default UI
   phrases below) drop it when it is short (under 30 words); real sentences rarely use them.
2. Shorter than `cleanup.min_words` words: chrome, unless it is a complete sentence of 3+ words.
3. No closing punctuation: a label, caption or headline (chrome) unless 20+ words of running
   text (a sentence that lost its full stop).
4. Reader-directed calls to action ("you can also…", "join our…") are chrome.
5. After a comment, share or "related" block starts, short paragraphs are chrome, unless the
   article's prose goes on after it: a share bar or comment widget in the middle of a page ends
   a block, not the article (only markers after the last paragraph of running prose start the tail).

The headline is the first short line near the top that is not chrome and does not address
the reader ("Your trusted source…", "Connect with us"); whatever stands above it is masthead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": ""})

UI_PHRASES = [
    r"\b(leave|post|add|write) a (reply|comment|response)\b", r"\b\d+\s+(comments?|replies|responses)\b",
    r"\bview (all )?comments\b", r"\binline feedbacks?\b", r"\bnotify (me )?of\b",
    r"\bemail address will not be published\b", r"\brequired fields\b", r"\bthoughts? on\b",
    r"\bshare (this|on|via)\b", r"\bshareable\b", r"\b(prev|previous|next) (post|article|story)\b",
    r"\bread (more|next|also|the full)\b", r"\bcontinue reading\b", r"\bclick (here|to)\b",
    r"\b(articles|stories|posts|news) you may\b", r"\byou may (also )?like\b", r"\brecommended for you\b",
    r"\b(related|popular|trending|top|latest) (articles|stories|posts|news|videos)\b",
    r"^(trending|most (read|popular|viewed)|related|advertisement|sponsored( content)?)$",
    r"\b(connect|follow|join|like|find) (with )?(us|our)\b", r"\bsubscribe\b", r"\bsign (up|in)\b",
    r"\blog ?in\b", r"\bnewsletter\b", r"\bcookies?\b", r"\ball rights reserved\b", r"©|\bcopyright\b",
    r"\bskip to\b", r"^(home|menu|search)\b", r"\s[>»]\s", r"^tags?:", r"\bfiled under\b",
    r"\b\d+ min(ute)? read\b", r"^(published|updated|posted)\b", r"^on$",
    r"\b(photo|image|picture|video|graphic)s?( by|:| credit)", r"\bcredit:", r"^(written |article |posted |reported )?by [A-Z]",
    r"\byou (can|may|might|should) (also )?(read|join|follow|like|find|check|see|watch|enjoy|subscribe)\b",
]
"""Default UI vocabulary: phrases of web-site furniture, not of news. Extend with cleanup.drop."""

TAIL_MARKERS = re.compile(
    r"(leave a reply|comments?$|share (this|via)|you may (also )?like|related (articles|stories|posts)"
    r"|read next|(prev|previous|next) post|thoughts? on)", re.I)
TERMINAL = re.compile(r"[.!?…][\"')\]]*$")
WORD = re.compile(r"[^\W_][\w'’.-]*")
BULLET = re.compile(r"^\s*(?:[•·▪‣◦*-]|\d+[.)])\s+")
READER = re.compile(r"\b(you|your|yours|our|us)\b", re.I)
LONG = 30  # words: a paragraph this long is prose whatever UI words it contains


@dataclass(frozen=True)
class Cleaned:
    """The outcome of cleaning one article."""

    title: str | None
    body: str  # kept paragraphs, normalized, separated by blank lines
    removed: tuple[str, ...]


class Cleaner:
    """Compiled cleanup rules; one per build, shared by every article."""

    def __init__(self, drop=(), keep=(), min_words: int = 6):
        self.ui = re.compile("|".join(f"(?:{p})" for p in [*UI_PHRASES, *drop]), re.I)
        self.keep = re.compile("|".join(f"(?:{p})" for p in keep), re.I) if keep else None
        self.min_words = min_words

    def clean(self, raw: str, find_title: bool = True) -> Cleaned:
        paragraphs = [normalize(p) for p in split_paragraphs(raw)]
        paragraphs = [p for p in paragraphs if p]
        title_at = self._find_title(paragraphs) if find_title else None
        kept, removed, in_tail = [], [], False
        last_prose = self._last_running_prose(paragraphs)
        for i, para in enumerate(paragraphs):
            if title_at is not None and i <= title_at:
                if i < title_at:  # above the headline: masthead, slogans, section labels
                    removed.append(para)
                continue
            text = BULLET.sub("", para)
            if self._is_prose(text, in_tail):
                kept.append(text)
            else:
                removed.append(para)
                in_tail = in_tail or (i > last_prose and bool(TAIL_MARKERS.search(para)))
        title = paragraphs[title_at] if title_at is not None else None
        return Cleaned(title, "\n\n".join(kept), tuple(removed))

    def _is_prose(self, text: str, in_tail: bool) -> bool:
        if self.keep and self.keep.search(text):
            return True
        n = len(WORD.findall(text))
        if n < LONG and self.ui.search(text):
            return False
        if in_tail and n < 25:
            return False
        terminal = bool(TERMINAL.search(text))
        if n < self.min_words:
            return terminal and n >= 3 and text[:1].isupper()
        if not terminal:
            return n >= 20 and not _headline_case(text)
        return True

    def _last_running_prose(self, paragraphs: list[str]) -> int:
        """Index of the article's last paragraph of running prose (-1: none): a long one (25+ words),
        or one of two prose-like paragraphs in a row (a lone short line is how comments look)."""
        like = [self._prose_like(p) for p in paragraphs]
        running = [i for i, p in enumerate(paragraphs)
                   if like[i] and (len(WORD.findall(p)) >= 25 or (i and like[i - 1]) or (i + 1 < len(like) and like[i + 1]))]
        return max(running, default=-1)

    def _prose_like(self, text: str) -> bool:
        """A sentence of the article's own voice: 6+ words, closing punctuation, no UI words, not
        addressed to the reader, not headline case."""
        return (len(WORD.findall(text)) >= 6 and bool(TERMINAL.search(text)) and not self.ui.search(text)
                and not READER.search(text) and not _headline_case(text))

    def _find_title(self, paragraphs: list[str]) -> int | None:
        for i, para in enumerate(paragraphs[:6]):
            n = len(WORD.findall(para))
            if n >= 30:  # reached the article's prose without meeting a headline
                return None
            short = n < 3 and not (n == 2 and _all_capitalised(para))
            if short or para.endswith(":") or READER.search(para) or self.ui.search(para):
                continue
            if not TERMINAL.search(para) or _headline_case(para) or (para.endswith("?") and n < 20):
                return i
        return None


def split_paragraphs(raw: str) -> list[str]:
    """Blank-line separated blocks; lines of a block are joined only if the file is hard-wrapped."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    nonblank = [i for i, l in enumerate(lines) if l.strip()]
    followed = [i for i in nonblank if i + 1 < len(lines) and lines[i + 1].strip()
                and not TERMINAL.search(lines[i].strip()) and len(lines[i]) >= 50]
    wrapped = len(nonblank) >= 4 and len(followed) >= 0.5 * len(nonblank)
    if not wrapped:
        return [l for l in lines if l.strip()]
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def normalize(text: str) -> str:
    """NFC, straight quotes, single spaces; control characters dropped."""
    text = unicodedata.normalize("NFC", text).translate(QUOTES)
    text = "".join(ch for ch in text if ch.isprintable() or ch in " \t")
    return re.sub(r"\s+", " ", text).strip()


def _all_capitalised(text: str) -> bool:
    return all(w[0].isupper() for w in WORD.findall(text))


def _headline_case(text: str) -> bool:
    """True when most longer words are capitalised, as in 'Leaders Sign Historic Pact'."""
    words = [w for w in WORD.findall(text) if len(w) >= 4]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.7
