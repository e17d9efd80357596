"""Paragraph → sentences: pysbd's English rules, with its per-abbreviation patterns compiled once.

pysbd builds several hundred abbreviation regexes on the fly with `re.sub(pattern_string, …)`;
Python's module-level regex cache (512 entries) cannot hold them, so each paragraph recompiled
them and segmentation was slow. Raising `re._MAXCACHE` would fix it for the whole interpreter,
which a library must not do. Instead this segmenter's abbreviation replacer compiles each of
those patterns once into its own cache; the text it produces is pysbd's, unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
from pysbd.lang.english import English


@lru_cache(maxsize=8192)
def _rx(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(pattern, flags)


class _Replacer(English.AbbreviationReplacer):
    """pysbd's AbbreviationReplacer (same patterns, same order), each pattern compiled once."""

    def replace_abbreviation_as_sentence_boundary(self):
        starters = "|".join(r"(?=\s{}\s)".format(word) for word in self.SENTENCE_STARTERS)
        regex = r"(U∯S|U\.S|U∯K|E∯U|E\.U|U∯S∯A|U\.S\.A|I|i.v|I.V)∯({})".format(starters)
        self.text = _rx(regex).sub("\\1.", self.text)
        return self.text

    def replace_period_of_abbr(self, txt, abbr):
        pattern = r"(?<=\s{abbr})\.(?=((\.|\:|-|\?|,)|(\s([a-z]|I\s|I'm|I'll|\d|\())))".format(
            abbr=re.escape(abbr.strip()))
        return _rx(pattern).sub("∯", " " + txt)[1:]

    def search_for_abbreviations_in_string(self, text):
        lowered = text.lower()
        for abbr in self.lang.Abbreviation.ABBREVIATIONS:
            stripped = abbr.strip()
            if stripped not in lowered:
                continue
            abbrev_match = _rx(r"(?:^|\s|\r|\n){}".format(stripped), re.IGNORECASE).findall(text)
            if not abbrev_match:
                continue
            char_array = _rx(r"(?<={" + str(re.escape(stripped)) + "} ).{1}").findall(text)
            for ind, match in enumerate(abbrev_match):
                text = self.scan_for_replacements(text, match, ind, char_array)
        return text

    def scan_for_replacements(self, txt, am, ind, char_array):
        char = char_array[ind] if ind < len(char_array) else ""
        key = am.strip().lower()
        if not str(char).isupper() or key in self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS:
            if key in self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS:
                return _rx(r"(?<=\s{abbr})\.(?=(\s|:\d+))".format(abbr=am.strip())).sub("∯", " " + txt)[1:]
            if key in self.lang.Abbreviation.NUMBER_ABBREVIATIONS:
                return _rx(r"(?<=\s{abbr})\.(?=(\s\d|\s+\())".format(abbr=am.strip())).sub("∯", " " + txt)[1:]
            return self.replace_period_of_abbr(txt, am)
        return txt


class _English(English):
    AbbreviationReplacer = _Replacer


def segmenter() -> pysbd.Segmenter:
    """A pysbd English segmenter using the compiled-once abbreviation patterns."""
    seg = pysbd.Segmenter(language="en", clean=False)
    seg.language_module = _English  # this instance only: pysbd itself is left as it was
    return seg
