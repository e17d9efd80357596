"""Claim + Passages → the passages of each source that speak to the claim (stance retrieval).

Matching works on normalised terms: lower-cased Snowball stems with irregular verbs folded
(shot/shoot), number words and figures made one ("a hundred", "100", "1,000"), and a term
matching any term it is a 4+ letter prefix of (Nicaragua/Nicaraguan, Chile/Chilean).
Aliases from config (`aliases:` per claim and per project) make several wordings one slot.

Term weights come from general English word frequencies (the `wordfreq` package: "the" weighs
almost nothing, "ammunition" a lot), so they do not collapse on a corpus where every article is
about one topic, as corpus IDF does; a term in most sentences of the corpus is damped
(`Retriever._damp`).

A source is *about* the claim when a window of 1–3 adjacent sentences holds at least
`ABOUT` of the claim's weight, two of its slots, and `PREDICATE` of the weight of its words
other than names (a sentence naming the same people but saying something else is not about it). Its passages for the judge are then every
sentence holding at least `KEEP` of the weight, plus denial and debunk sentences anywhere in it
that share a slot with the claim.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..model import Passage
from .text import STOPWORDS, _WORD, stem

ABOUT = 0.45  # share of a claim's weight a 1–3 sentence window must hold for the source to be about it
KEEP = 0.3  # share a sentence must hold to be passed to the judge
PREDICATE = 0.3  # share of the weight of the claim's words other than names the window must hold
WINDOW = 3  # adjacent sentences a claim may be spread over

IRREGULAR = dict(pair.split(":") for pair in """
shot:shoot brought:bring took:take taken:take gave:give given:give made:make told:tell
found:find thought:think knew:know known:know saw:see seen:see went:go gone:go came:come held:hold
kept:keep left:leave lost:lose met:meet paid:pay ran:run sent:send sold:sell spent:spend
stood:stand struck:strike fought:fight fell:fall fallen:fall led:lead built:build bought:buy
caught:catch chose:choose chosen:choose drove:drive driven:drive flew:fly flown:fly grew:grow
grown:grow hid:hide hidden:hide rose:rise risen:rise wrote:write written:write won:win
began:begin begun:begin broke:break broken:break spoke:speak spoken:speak stole:steal stolen:steal
threw:throw thrown:throw wore:wear worn:wear sank:sink sunk:sink drew:draw drawn:draw
""".split())
"""Irregular verb forms folded to their base, so 'shot down' matches 'shooting down'."""

NUMBERS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NUMBERS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
                "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000",
                "million": "1000000", "billion": "1000000000", "dozen": "12"})
EXTRA_STOP = frozenset("""one two new also year years would could should its it's per cent percent
told saying according""".split())
"""Words that carry no proposition of their own, on top of text.STOPWORDS."""


def term(word: str) -> str | None:
    """The matching form of one word, or None for a function word."""
    low = word.lower().replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    if low in STOPWORDS or low in EXTRA_STOP and low not in NUMBERS:
        return None
    if low in NUMBERS:
        return NUMBERS[low]
    digits = low.replace(",", "")
    if digits.isdigit():
        return digits.lstrip("0") or "0"
    return stem(IRREGULAR.get(low, low))


@lru_cache(maxsize=100_000)
def general_weight(word: str) -> float:
    """How specific a word is in general English: 7 minus its Zipf frequency, within 0.2–5."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency; a bare install still works
        return 1.0 if word.lower() in STOPWORDS else 3.0
    if word.isdigit():
        return 3.0
    return min(5.0, max(0.2, 7.0 - zipf_frequency(word, "en")))


@dataclass(frozen=True)
class Slot:
    """One thing a claim says: a word, or an alias group, matched by any of its forms."""

    forms: tuple[tuple[str, ...], ...]  # each a sequence of terms (an alias may be several words)
    weight: float
    label: str  # the claim's own word(s), for reading
    entity: bool = False  # capitalised in the claim (a name: who does what to whom)


@dataclass(frozen=True)
class Query:
    """A claim made ready for matching: its slots, its own words, and its text."""

    text: str
    slots: tuple[Slot, ...]

    @property
    def total(self) -> float:
        return sum(s.weight for s in self.slots) or 1.0


def query(text: str, aliases: dict[str, list[str]] | None = None) -> Query:
    """The slots of a claim; `aliases` maps a wording to other wordings of the same thing."""
    groups = []
    for key, alts in (aliases or {}).items():
        forms = [tuple(t for t in (term(w) for w in _WORD.findall(a)) if t) for a in [key, *alts]]
        groups.append(tuple(f for f in forms if f))
    tokens = [(m.group(0), term(m.group(0)), m.start()) for m in _WORD.finditer(text)]
    slots, used = [], set()
    seq = [t for _, t, _ in tokens]
    for forms in groups:  # alias groups present in the claim become one slot each
        for form in forms:
            at = _find(seq, form)
            if at is not None:
                label = " ".join(w for w, _, _ in tokens[at:at + len(form)] if w)
                used.update(range(at, at + len(form)))
                weight = max(general_weight(w.lower()) for w, t, _ in tokens[at:at + len(form)] if t)
                slots.append(Slot(forms, weight, label, label[:1].isupper()))
                break
    seen = {f for s in slots for f in s.forms}
    for i, (word, t, start) in enumerate(tokens):
        if t is None or i in used or (t,) in seen:
            continue
        seen.add((t,))
        forms = ((t,),)
        if "-" in word:  # "re-election" also matches "election"; "mail-in" also "mail"
            head = term(max(word.split("-"), key=len))
            forms = ((t,), (head,)) if head and head != t else forms
        entity = word[:1].isupper() and (i > 0 or (word.lower() not in _COMMON_START and not word.lower().endswith(
            ("ing", "ed", "ly", "ors", "ers", "ive", "ists"))))
        slots.append(Slot(forms, general_weight(word.lower()), word, entity))
    return Query(text, tuple(slots))


_COMMON_START = frozenset("the a an in on at as after before during around since some many most all "
                          "expanding".split())


def _parts(tokens: list[str]) -> list[str]:
    """Tokens, and the parts of hyphenated ones ("re-election" → also "re", "election")."""
    out = []
    for w in tokens:
        out.append(w)
        if "-" in w:
            out += [p for p in w.split("-") if len(p) > 2]
    return out


def _find(seq: list, form: tuple[str, ...]) -> int | None:
    n = len(form)
    for i in range(len(seq) - n + 1):
        if tuple(seq[i:i + n]) == form:
            return i
    return None


@dataclass(frozen=True)
class Hit:
    """A passage of one source, with what of the claim it holds."""

    passage: Passage
    id: int  # index into the retriever's passages: the sentence id judges cite
    share: float  # share of the claim's weight this sentence holds
    slots: frozenset[int]  # indexes of the claim slots found
    back: bool = False  # holds none of the claim but points back to the sentence before ("denied these claims")


class Retriever:
    """Sentences indexed once by term; `find(query)` gives each source's passages on a claim."""

    def __init__(self, passages: tuple[Passage, ...]):
        self.passages = passages
        self.terms: list[tuple[str, ...]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.by_stub: dict[str, set[str]] = defaultdict(set)
        for i, p in enumerate(passages):
            ts = tuple(t for t in (term(w) for w in _parts(_WORD.findall(p.text))) if t)
            self.terms.append(ts)
            for t in set(ts):
                self.postings[t].append(i)
                self.by_stub[t[:4]].add(t)
        self.previous = [i - 1 if i and passages[i - 1].source == p.source else None
                         for i, p in enumerate(passages)]
        self.sources = len({p.source for p in passages})

    def variants(self, t: str) -> set[str]:
        """Indexed terms equal to `t` or sharing a 4+ letter prefix with it (Chile ~ Chilean)."""
        if len(t) < 4 or t.isdigit():
            return {t} & self.postings.keys()
        return {u for u in self.by_stub.get(t[:4], ()) if u.startswith(t) or (len(u) >= 4 and t.startswith(u))}

    def _damp(self, ids: set[int]) -> float:
        """A term in most sources of the corpus (the topic's own names) says less about a claim:
        down to 0.4 of its weight when every source has it (only with 3+ sources)."""
        if self.sources < 3:
            return 1.0
        share = len({self.passages[i].source for i in ids}) / self.sources
        return 1.0 - 0.6 * share

    def find(self, q: Query) -> dict[str, list[Hit]]:
        """source → its passages on the claim, in text order; sources not about it are absent."""
        where: dict[int, set[int]] = defaultdict(set)  # sentence → slots found in it
        weights = []
        for k, slot in enumerate(q.slots):
            ids: set[int] = set()
            for form in slot.forms:
                hits = None
                for t in form:
                    got = set()
                    for v in self.variants(t):
                        got.update(self.postings[v])
                    hits = got if hits is None else hits & got
                ids |= hits or set()
            weights.append(slot.weight * self._damp(ids))
            for i in ids:
                where[i].add(k)
        total = sum(weights) or 1.0
        said = sum(w for w, slot in zip(weights, q.slots) if not slot.entity) or 1.0
        by_source: dict[str, list[int]] = defaultdict(list)
        for i in sorted(where):
            by_source[self.passages[i].source].append(i)
        out = {}
        for source, ids in by_source.items():
            best = 0.0
            for a in ids:  # windows of 1–3 adjacent sentences starting at a sentence with a hit
                found: set[int] = set()
                for j in range(a, a + WINDOW):
                    if j >= len(self.passages) or self.passages[j].source != source:
                        break
                    found |= where.get(j, set())
                    if len(found) >= 2 and sum(weights[k] for k in found if not q.slots[k].entity) >= PREDICATE * said:
                        best = max(best, sum(weights[k] for k in found) / total)
            if best < ABOUT:
                continue
            hits = []
            for i in ids:
                share = sum(weights[k] for k in where[i]) / total
                if share >= KEEP or (_AGAINST.search(self.passages[i].text) and share > 0):
                    hits.append(Hit(self.passages[i], i, round(share, 4), frozenset(where[i])))
            for h in list(hits):  # "Both denied these claims": the sentence after one on the claim
                j = h.id + 1
                if j < len(self.passages) and self.previous[j] == h.id and j not in {x.id for x in hits} \
                        and _BACK.search(self.passages[j].text) and h.share >= KEEP:
                    hits.append(Hit(self.passages[j], j, h.share, h.slots, back=True))
            if hits:
                out[source] = sorted(hits, key=lambda h: h.id)
        return out


_AGAINST = re.compile(r"\b(den(y|ies|ied|ial)|reject\w*|refut\w*|debunk\w*|hoax\w*|fake|false|"
                      r"untrue|not true|no evidence|baseless|unfounded|myth|misinformation|"
                      r"disinformation|satir\w*|lie|lies|lying|dismiss\w*)\b", re.I)
"""Denial and debunk wording: such a sentence is kept for the judge wherever it stands."""


_BACK = re.compile(r"\b(these|those|the|such|this|that|both|all)\s+(claims?|allegations?|accusations?|reports?|"
                   r"charges?|suggestions?|assertions?|rumou?rs?)\b|\b(den(y|ies|ied)|reject\w*|dismiss\w*) (it|this|that|them)\b",
                   re.I)
"""A sentence that speaks of the claim before it without repeating it."""


def relevance(q: Query, text: str) -> float:
    """Share of a claim's weight one text holds (for comparing two claims, no index needed)."""
    ts = {t for t in (term(w) for w in _WORD.findall(text)) if t}
    found = 0.0
    for slot in q.slots:
        if any(all(any(u == t or (len(t) >= 4 and len(u) >= 4 and (u.startswith(t) or t.startswith(u)))
                       for u in ts) for t in form) for form in slot.forms):
            found += slot.weight
    return found / q.total
