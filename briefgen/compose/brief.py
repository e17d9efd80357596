"""Config + Articles + Evidence + Claims → Brief: points chosen, sources numbered, prose rendered.

Choosing points: candidates best first; a sentence appears once in the whole brief; a
sentence that says the same as one already chosen (most content words shared) adds its
citation to that point instead of repeating it; no source supplies more than half of a
section's points while others have some. When the brief has a claims section, sentences
worded as contested are kept for it, so the other sections carry what sources state.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from datetime import datetime

import markdown

from .. import __version__
from ..config import Config
from ..config.citations import CITE_KEYS
from ..errors import ConfigError, Problem
from ..config.schema import Audience
from ..model import GRADES, Article, Brief, Claim, Corpus, Evidence, Passage, Point, Section, Source, cite
from ..sanitize import clean_html
from ..analysis.text import terms
from .window import Window

SAME_POINT = 0.6
"""Share of content stems two sentences must have in common to be one point."""


def compose(config: Config, corpus: Corpus, evidence: tuple[Evidence, ...],
            claims: tuple[Claim, ...], built_at: datetime, window: Window | None = None,
            chosen_window: bool = False, audience: Audience | None = None) -> Brief:
    """`chosen_window`: the period was chosen on the command line, so it is the one stated;
    `audience`: the edition (sections, limits, marking, paper, parts) to compose."""
    articles = corpus.articles
    numbers = {a.id: (corpus.number(a.id), a.reliability) for a in articles}
    prose = _Prose(config, corpus, numbers, {c.id: c for c in claims})
    by_id = {e.id: (e, ev) for e, ev in zip(config.sections, evidence)}
    chosen = audience.sections if audience and audience.sections else [e.id for e in config.sections]
    has_claims = any(by_id[sid][0].kind == "claims" for sid in chosen)
    used: set[tuple[str, int]] = set()
    in_claims = {(st.citation.source, st.citation.start) for c in claims for st in c.stances if st.citation}
    sections = []
    for index, sid in enumerate(chosen):
        entry, ev = by_id[sid]
        limit = entry.max_points or config.brief.max_points
        if audience and audience.max_points:
            limit = min(limit, audience.max_points)
        skip_contested = has_claims and entry.kind == "points"
        seen = used | in_claims if entry.kind == "claims" else used  # no repeat of claim evidence
        points = _choose(ev.passages, limit, seen, numbers, skip_contested)
        taken = {(c.source, c.start) for p in points for c in p.citations}
        used |= taken - in_claims if entry.kind == "claims" else taken  # claim evidence stays free for points
        where = f"sections[{[e.id for e in config.sections].index(sid)}].intro"
        sections.append(Section(entry.id, entry.title, prose.html(entry.intro, where), entry.kind,
                                points, claims if entry.kind == "claims" else ()))
    window = window or Window()
    undated = [a.id for a in articles if a.published is None]
    warnings = corpus.skipped + tuple(f"section '{s.title}' has no points: check its keywords and articles"
                                      for s in sections if not s.points and not s.claims)
    if undated and (window.since or window.until):
        warnings += (f"{len(undated)} undated source{'s' if len(undated) > 1 else ''} kept in the period "
                     f"({', '.join(undated)}): give {'them' if len(undated) > 1 else 'it'} a published date to place "
                     f"{'them' if len(undated) > 1 else 'it'}",)
    b, a = config.brief, audience
    shown, rest = _sources(articles, sections, corpus)
    extra = {} if a is None else {
        "audience": a.id, "audience_title": a.title, "pdf_variant": a.pdf, "floor": a.min_reliability,
        **({"include": frozenset(a.include)} if a.include is not None else {})}
    return Brief(
        title=b.title, slug=b.slug or slugify(b.title), sections=tuple(sections),
        sources=shown, uncited=rest, built_at=built_at, version=__version__,
        subtitle=b.subtitle, author=b.author, organisation=b.organisation,
        date=(window.until if chosen_window and window.until else b.date or window.until),  # a week's brief is dated its end
        period=(window.label() if chosen_window else None) or b.period or window.label(),
        marking=(a.marking if a and a.marking else b.marking), summary_html=prose.html(b.summary, "brief.summary"),
        judgments_html=tuple(prose.html(j, f"brief.judgments[{i}]") for i, j in enumerate(b.judgments)),
        paper=(a.paper if a and a.paper else b.paper), language=b.language, warnings=warnings,
        dropped=corpus.dropped,
        period_key=window.key, **extra,
    )


def _choose(candidates, limit, used, numbers, skip_contested) -> tuple[Point, ...]:
    """Up to `limit` points from `candidates`, none of whose (source, start) is in `used`
    (which is left as it was: a sentence taken here is recorded in a copy)."""
    used = set(used)
    chosen: list[tuple[set[str], list[Passage]]] = []
    per_source: dict[str, int] = {}
    cap = max(1, (limit + 1) // 2)
    for p in candidates:
        if (p.source, p.start) in used or (skip_contested and p.cues):
            continue
        stems = set(terms(p.text))
        twin = next((c for c in chosen if _similar(stems, c[0])), None)
        if twin is not None:
            if all(q.source != p.source for q in twin[1]):
                twin[1].append(p)
                used.add((p.source, p.start))
            continue
        if len(chosen) >= limit:
            continue
        others = any(q.source != p.source for q in candidates)
        if others and per_source.get(p.source, 0) >= cap:
            continue
        chosen.append((stems, [p]))
        per_source[p.source] = per_source.get(p.source, 0) + 1
        used.add((p.source, p.start))
    points = []
    for _, ps in chosen:
        grades = [numbers[q.source][1] for q in ps]
        cred = point_credibility(grades, bool(ps[0].cues))
        points.append(Point(ps[0].text, tuple(cite(q, *numbers[q.source], cred) for q in ps), ps[0].cues))
    return tuple(points)


def point_credibility(grades: list[str], contested: bool) -> int:
    """A quoted point's Admiralty credibility: 1 when two or more independent sources tell it and
    one is graded A–C, 2 when several weaker ones do, 3 (2 for an A/B source) when one does;
    6 when its own wording marks it as an allegation, denial or unconfirmed report."""
    if contested:
        return 6
    best = min(GRADES.index(g) for g in grades)
    if len(grades) >= 2:
        return 1 if best <= 2 else 2
    return 2 if best <= 1 else 3


def _similar(a: set[str], b: set[str]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= SAME_POINT and len(a & b) >= 4


LIST_ALL = 50
"""Up to this many sources, the Sources list shows every one; beyond, only those cited."""


def _sources(articles: tuple[Article, ...], sections: list[Section],
             corpus: Corpus) -> tuple[tuple[Source, ...], tuple[Source, ...]]:
    """(sources listed in the brief, sources read but left out of the list)."""
    cited = {c.source for s in sections for p in s.points for c in p.citations}
    cited |= {st.source for s in sections for cl in s.claims for st in cl.stances}
    shown, rest = [], []
    for art in articles:
        source = Source(corpus.number(art.id), art, tuple(s.title for s in sections if _cites(s, art.id)))
        (shown if len(articles) <= LIST_ALL or art.id in cited else rest).append(source)
    return tuple(shown), tuple(rest)


def _cites(section: Section, source_id: str) -> bool:
    return (any(c.source == source_id for p in section.points for c in p.citations)
            or any(st.source == source_id for cl in section.claims for st in cl.stances))




def render_markdown(text: str | None, cite=None) -> str:
    """Markdown as sanitized HTML ('' for none); `cite(keys)` turns [@id; @id2] into citation HTML."""
    if not text:
        return ""
    anchors: list[str] = []

    def hold(match: re.Match) -> str:
        anchors.append(cite([k.strip()[1:] for k in match.group(1).split(";")]) if cite else match.group(0))
        return f"BRIEFGENCITE{len(anchors) - 1}Z"

    html = clean_html(markdown.markdown(CITE_KEYS.sub(hold, text), extensions=["sane_lists", "smarty"],
                                        output_format="html"))
    for i, anchor in enumerate(anchors):  # built here, after sanitizing: our markup, escaped ids
        html = html.replace(f"BRIEFGENCITE{i}Z", anchor)
    return html


class _Prose:
    """The analyst's Markdown with [@source-id] keys as numbered citations of this edition, and
    [@claim-id] keys as references to a claim with its credibility."""

    def __init__(self, config: Config, corpus: Corpus, numbers: dict, claims: dict[str, Claim] | None = None):
        self.config, self.corpus, self.numbers, self.claims = config, corpus, numbers, claims or {}
        self.known = [s.id for s in config.sources] + [c.id for c in config.claims]

    def html(self, value, where: str) -> str:
        self.where = where
        return render_markdown(self.config.prose(value), self.cite)

    def cite(self, keys: list[str]) -> str:
        parts = []
        for key in keys:
            if key in self.claims and key not in self.corpus.order:
                c = self.claims[key]
                parts.append(f'<a class="cite claim-ref" href="#claim-{html.escape(c.id)}" title="Claim: '
                             f'{html.escape(c.statement)}">claim, credibility {c.credibility}</a>')
                continue
            ids = self.corpus.resolve(key) or ((key,) if key in self.corpus.order else ())
            if not ids and key not in self.known:
                hint = difflib.get_close_matches(key, self.known, n=1)
                raise ConfigError(Problem(f"unknown source '{key}' in citation [@{key}]", file=str(self.config.file),
                                          key=self.where, hint=f"did you mean '{hint[0]}'?" if hint else
                                          "cite a source id from 'sources:' or a claim id from 'claims:'"))
            for sid in ids or (key,):
                if sid in self.numbers:
                    n, grade = self.numbers[sid]
                    parts.append(f'<a class="cite" href="#src-{n}" title="Source {n}">{n}, {grade}</a>')
                elif any(d.source == sid or d.source.startswith(f"{sid}~") for d in self.corpus.dropped):
                    parts.append('<span title="this source could not be read: see the Method note">unreadable</span>')
                else:
                    parts.append('<span title="not in this edition">withheld</span>')
        return f'<span class="cites">[{"; ".join(parts)}]</span>'



def slugify(text: str) -> str:
    """'Ports & Trade: Week 37' → 'ports-trade-week-37' (ASCII, at most 60 characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or "brief"
