"""(claim, passages of one source) → Verdict by general-English cue rules: the default judge.

Each passage sentence is read for one of three cues, using the lexicon CUES below (plain
English, tied to no topic; config `stance: {dispute: [...], report: [...]}` adds patterns):

* **against**: denial or debunk wording (denied, hoax, no evidence, not true…); or the sentence
  states the claim with the opposite polarity (negation with a scope: a negator reaches the
  claim's words within its clause; "not to mention", "wouldn't turn down" do not count), unhedged.
  A negative claim ("refuses to arm") is against a plain positive report.
* **report**: attribution that keeps a distance or hedging anywhere in the sentence (claimed,
  alleged, according to, reportedly, may, is thought to, potentially, "…, he believes"),
  predictions and plans (will, expected to, set to), questions and conditions (whether, if).
* **for**: the sentence states the claim in its own voice or by plain attribution (said, told).

A sentence that holds both names of a who-does-what-to-whom claim in the reverse order (the
recipient acting on the agent) is about a different proposition and is not used.

The article's stance weighs every sentence's cue by how much of the claim it holds:
for alone → asserts; against alone → disputes; reports alone → reports; the claim reported with
a denial beside it → reports unless the denial clearly dominates; for and against together →
whichever clearly dominates, else reports. The deciding sentences are the strongest of the
winning cue (and, for claim-and-denial, the denial too).
"""

from __future__ import annotations

import re

from ..retrieval import Hit, Query, term
from ..text import _WORD
from . import Verdict, register

CUES = {
    "against": [
        r"\bden(y|ies|ied|ying|ial|ials)\b", r"\breject(s|ed|ing)?\b", r"\brebut(s|ted|ting)?\b",
        r"\brefut(e|es|ed|ing)\b", r"\bdismiss(es|ed|ing)? (the |these |those |such )?"
        r"(claims?|allegations?|reports?|accusations?|suggestions?|idea|notion)\b",
        r"\bdisput(e|es|ed|ing)\b", r"\bruled? out\b", r"\brules out\b", r"\bdebunk\w*",
        r"\bno (scientific |credible |hard )?(evidence|proof|indication|sign|traces?)\b", r"\bmyths?\b",
        r"\b(false(ly)?|untrue|baseless|unfounded|groundless|bogus|hoax(es)?|fake|fabricat\w+|"
        r"misleading|misinformation|disinformation|satir\w+|lie|lies|lying|liar)\b",
        r"\bnot (true|accurate|correct|the case)\b", r"\bprobably (false|wrong)\b",
        r"\bcontradict(s|ed)?\b", r"\bdisprov\w+", r"\bcontrary to\b", r"\bin fact\b",
        r"\b(acquitt\w+|exonerat\w+|cleared of)\b", r"\bstruck down\b", r"\boverturn(s|ed)?\b",
        r"\bincorrect(ly)?\b", r"\bwrong(ly)?\b", r"\bconspiracy theor\w+",
    ],
    "report": [
        r"\bclaim(s|ed|ing)?\b", r"\balleg(e|es|ed|edly|ation|ations)\b",
        r"\baccus(e|es|ed|ing|ation|ations)\b", r"\bsuspect(s|ed)?\b", r"\bbeliev(e|es|ed)\b",
        r"\bsuggest(s|ed|ing|ion)?\b", r"\bspeculat\w*", r"\breported(ly)?\b", r"\breports? (that|of)\b",
        r"\baccording to\b", r"\bwhether\b", r"\b(may|might|could)\b", r"\bpossibl[ey]\b",
        r"\bpotential(ly)?\b", r"\bperhaps\b", r"\bapparent(ly)?\b", r"\bunconfirmed\b",
        r"\bunverified\b", r"\bunclear\b", r"\bappear(s|ed)? to\b", r"\b(is|are|was|were) (said|thought|"
        r"believed|understood|expected|set|due|likely|poised|scheduled|to)\b", r"\brumou?r(s|ed)?\b",
        r"\bexpected to\b", r"\bset to\b", r"\bplan(s|ned)? to\b", r"(?<!\bthat )(?<!\bwhich )\bwill\b", r"(?<!\bthat )(?<!\bwhich )\bwould\b",
        r"\bif\b", r"\bthink(s)?\b", r"\bargu(e|es|ed|ing)\b", r"\binsist(s|ed)?\b",
        r"\bcall(s|ed)? for\b", r"\burg(e|es|ed)\b", r"\bpropos(e|es|ed|al)\b", r"\bseek(s|ing)?\b",
        r"\bfears?\b", r"\bwarn(s|ed)?\b", r"\bquestion(s|ed)?\b", r"\binvestigat\w+",
        r"\bprobe\b", r"\blikely\b", r"\bestimat\w+", r"\bpredict\w*",
        r"\bcharg(e|es|ed) (of|with)\b", r"\bon (a |the )?charges? of\b", r"\breports said\b",
        r"\b(media|press|news) reports?\b", r"\bsources said\b",
    ],
}
"""The one cue lexicon: regular expressions, case-insensitive, by cue."""

NEGATORS = frozenset("not no never none nobody nothing neither nor cannot without".split())
NOT_NEGATING = re.compile(r"\b(not (to mention|only|just|least|merely|simply|until|yet known)|no (doubt|longer "
                          r"be|less|more than|sooner)|nothing but|if not|whether or not|not far)\b", re.I)
NEGATIVE_VERBS = frozenset(term(w) for w in """refuse refused refuses decline declined declines
halt halted stop stopped fail failed fails reject rejected deny denied turn abandon abandoned
cancel cancelled suspend suspended withdraw withdrew ban banned""".split())
"""Verbs that turn what follows negative ("refused to supply"); a negator before one cancels out."""
CLAUSE_END = re.compile(r"[;:()—–]|\b(but|while|although|though|whereas|however|and then)\b", re.I)
PASSIVE = re.compile(r"\b(by|from|receiv\w*|obtain\w*|acquir\w*|bought|buy\w*|import\w*)\b", re.I)
POWER = 2  # a sentence's cue counts by its share of the claim to this power
FOR_OVER_REPORT = 1.5  # asserts when the 'for' mass is at least this times the 'report' mass
AGAINST_OVER_REPORT = 0.3  # disputes (not reports) when 'against' outweighs 'report' this much
FOR_OVER_AGAINST = 4.0  # with both, the one this many times stronger wins
CLOSE = 0.4  # a sentence counts when it holds this share of what the most relevant one holds
MODAL = re.compile(r"(may|might|could|will|would|if|possibl[ey]|potential(ly)?|perhaps|likely|"
                   r"warn(s|ed)?|fears?|question(s|ed)?|estimat\w+|predict\w*|propos\w+)", re.I)
"""Report cues that hedge only the words after them: after the claim they speak of something else."""
ASIDE = re.compile(r",\s*(in an? \w+ that|which|who|as (it|this)|a (move|decision|step) that|while)\b", re.I)
"""Opens a clause about something else after the claim's words."""
SCOPE = 10  # words a negator reaches, at most, within its clause


@register("lexical")
class LexicalJudge:
    """The cue rules above; `dispute`/`report` add regexes to the lexicon."""

    name = "lexical"

    def __init__(self, rules=None, **_):
        extra = {"against": list(getattr(rules, "dispute", []) or []),
                 "report": list(getattr(rules, "report", []) or [])}
        self._hits: tuple[Hit, ...] = ()  # the source being judged (for sentences that point back)
        self.rx = {cue: re.compile("|".join(f"(?:{p})" for p in [*pats, *extra[cue]]), re.I)
                   for cue, pats in CUES.items()}

    def cue(self, q: Query, hit: Hit) -> tuple[str | None, bool]:
        """(for, against, report or None when not about the claim; opposite polarity?)."""
        text = hit.passage.text
        if hit.back:  # "Both nations have denied these claims": about the sentence before, if that is on the claim
            before = next((h for h in self._hits if h.id == hit.id - 1), None)
            if before is None or self.cue(q, before)[0] is None:
                return None, False
            return ("against", True) if self.rx["against"].search(text) else ("report", False)
        if all(q.slots[k].entity for k in hit.slots) or _reversed(q, text):
            return None, False  # only the names, or the names the other way round: another proposition
        negated = _negated(text, q)
        opposite = negated != _negated(q.text, q)
        hedged = self.hedged(q, text)
        if self.rx["against"].search(text):
            return "against", True
        if opposite and not hedged:
            return "against", True
        if hedged:
            return "report", opposite
        return "for", False

    def hedged(self, q: Query, text: str) -> bool:
        """A hedge anywhere in the sentence ("…, he believes", "potentially"), except a modal in a
        clause set off after the claim's words, which speaks of something else ("…arms, in a
        decision that could alter the balance")."""
        terms = _claim_terms(q)
        last = max((s + len(w) for w, t, s in _tokens(text) if _matches(t, terms)), default=0)
        for m in self.rx["report"].finditer(text):
            if m.start() < last or not MODAL.fullmatch(m.group(0)) or not ASIDE.search(text, last, m.start()):
                return True
        return False

    def judge(self, q: Query, hits: tuple[Hit, ...]) -> Verdict:
        mass = {"for": 0.0, "against": 0.0, "report": 0.0}
        best: dict[str, list[tuple[float, int, bool]]] = {k: [] for k in mass}
        top = max((h.share for h in hits), default=0.0)
        backs = {h.id for h in hits if h.back}
        self._hits = hits
        for h in hits:
            cue, opposite = self.cue(q, h)
            if cue is None or (h.share < CLOSE * top and cue != "against"):
                continue
            w = h.share ** POWER
            mass[cue] += w
            best[cue].append((h.share, h.id, opposite))
        f, a, r = mass["for"], mass["against"], mass["report"]
        total = f + a + r
        if not total:
            return Verdict("none", 1.0, (), self.name)
        if f and not a:
            label, win = ("asserts", "for") if f >= FOR_OVER_REPORT * r else ("reports", "report")
        elif a and not f:
            side_by_side = r and all(i in backs for _, i, _ in best["against"])  # "denied these claims"
            label, win = ("disputes", "against") if a >= AGAINST_OVER_REPORT * r and not side_by_side \
                else ("reports", "report")
        elif f and a:
            label, win = (("asserts", "for") if f >= FOR_OVER_AGAINST * a else
                          ("disputes", "against") if a * FOR_OVER_AGAINST >= f and a >= AGAINST_OVER_REPORT * r
                          else ("reports", "report" if r else "against"))
        else:
            label, win = "reports", "report"
        ranked = sorted(best[win], key=lambda x: (-x[0], x[1]))
        deciding = [i for _, i, _ in ranked[:1]]
        if label == "reports" and best["against"]:  # claim and denial side by side: show the denial
            deciding.append(sorted(best["against"], key=lambda x: (-x[0], x[1]))[0][1])
        elif len(ranked) > 1:
            deciding.append(ranked[1][1])
        contradicts = label == "disputes" or any(o for _, i, o in ranked[:1])
        confidence = round(min(1.0, mass[win] / total * min(1.0, ranked[0][0] / 0.8)), 3)
        return Verdict(label, confidence, tuple(dict.fromkeys(deciding)), self.name, contradicts)


def _tokens(text: str) -> list[tuple[str, str | None, int]]:
    return [(m.group(0), term(m.group(0)), m.start()) for m in _WORD.finditer(text.replace("n't", " not"))]


def _claim_terms(q: Query) -> set[str]:
    return {t for s in q.slots for form in s.forms for t in form}


def _matches(t: str | None, terms: set[str]) -> bool:
    if not t:
        return False
    return t in terms or len(t) >= 4 and any(len(u) >= 4 and (u.startswith(t) or t.startswith(u)) for u in terms)


def _negated(text: str, q: Query) -> bool:
    """Whether a negator (or a negative verb) reaches one of the claim's words within its clause;
    a negator before a negative verb cancels ("wouldn't turn down")."""
    plain = NOT_NEGATING.sub(" ", text.replace("n't", " not"))
    toks = _tokens(plain)
    terms = _claim_terms(q) - NEGATIVE_VERBS
    bounds = {m.start() for m in CLAUSE_END.finditer(plain)}
    negated = False
    for i, (word, t, start) in enumerate(toks):
        low = word.lower()
        is_neg = low in NEGATORS or (t in NEGATIVE_VERBS and t not in terms
                                     and not any(w.lower() in NEGATORS for w, _, _ in toks[max(0, i - 2):i]))
        if low.startswith(("un", "non")) and len(low) > 5 and _matches(term(low[2:] if low.startswith("un") else low[3:]), terms) \
                and not _matches(t, terms):
            negated = True  # "unarmed" against "armed"
            continue
        if not is_neg:
            continue
        for w2, t2, s2 in toks[i + 1:i + 1 + SCOPE]:
            if any(start < b < s2 for b in bounds):
                break
            if t2 in NEGATIVE_VERBS or w2.lower() in NEGATORS:
                break  # double negative: "wouldn't turn down", "not refuse"
            if _matches(t2, terms):
                negated = True  # presence, not parity: "did not find X, nor Y" is negative
                break
    return negated


def _run(text: str, slots) -> bool:
    """The slots are names written one after the other in `text`."""
    return all(s.entity for s in slots) and (len(slots) < 2 or " ".join(s.label for s in slots) in text)


def _reversed(q: Query, text: str) -> bool:
    """The sentence has the claim's recipient doing what the claim says the agent does ("North
    Ostia arms Norland" against "Norland arms North Ostia"): the name nearest before the
    claim's first verb or object word is its doer, unless a passive or receiving word stands
    between ("Norland is suspected of receiving rifles from North Ostia")."""
    verb = next((k for k, s in enumerate(q.slots) if not s.entity), None)
    if verb is None or verb == 0 or re.search(r"\b(from|by)\b", q.text, re.I):
        return False  # no name before the verb, or a claim already passive or from-to
    agent = list(q.slots[:verb])  # the claim opens with its agent's name, then the verb
    if not _run(q.text, agent) or not q.text.startswith(agent[0].label):
        return False
    after = [k for k, s in enumerate(q.slots) if k > verb and s.entity]
    if not after or after[0] - verb > 3:
        return False  # the recipient does not follow the verb closely: no who-to-whom to check
    recipient = [q.slots[after[0]]]
    for k in after[1:]:  # the names that follow it directly ("North Ostia")
        if not _run(q.text, [recipient[-1], q.slots[k]]):
            break
        recipient.append(q.slots[k])
    if not agent or not recipient:
        return False
    actions = {t for s in q.slots if not s.entity for form in s.forms for t in form}
    toks = _tokens(text)

    def where(slots):
        terms = {t for s in slots for form in s.forms for t in form}
        return [k for k, (_, t, _) in enumerate(toks) if _matches(t, terms)]

    agents, recipients = where(agent), where(recipient)
    if not agents or not recipients:
        return False
    for k in (k for k, (_, t, _) in enumerate(toks) if _matches(t, actions)):
        before = [(p, "agent") for p in agents if p < k] + [(p, "recipient") for p in recipients if p < k]
        if not before:
            continue
        p, who = max(before)  # the name nearest before the claim's verb or object does it…
        others = agents if who == "recipient" else recipients
        if any(p - 4 <= o < p for o in others):
            return False  # "between Norland and North Ostia": both at once, no direction
        if any(PASSIVE.fullmatch(w) for w, _, _ in toks[p + 1:k]):  # …unless it receives ("receiving … from")
            who = "agent" if who == "recipient" else "recipient"
        return who == "recipient"
    return False
