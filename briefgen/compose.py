"""Config + Articles + Evidence + Claims → Brief: points chosen, sources numbered, prose rendered.

Choosing points: candidates best first; a sentence appears once in the whole brief; a
sentence that says the same as one already chosen (most content words shared) adds its
citation to that point instead of repeating it; no source supplies more than half of a
section's points while others have some. When the brief has a claims section, sentences
worded as contested are kept for it, so the other sections carry what sources state.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import markdown

from . import __version__
from .config import Config
from .model import GRADES, Article, Brief, Claim, Corpus, Evidence, Passage, Point, Section, Source, cite
from .sanitize import clean_html
from .text import terms
from .window import Window

SAME_POINT = 0.6
"""Share of content stems two sentences must have in common to be one point."""


def compose(config: Config, corpus: Corpus, evidence: tuple[Evidence, ...],
            claims: tuple[Claim, ...], built_at: datetime, window: Window | None = None,
            chosen_window: bool = False) -> Brief:
    """`chosen_window`: the period was chosen on the command line, so it is the one stated."""
    articles = corpus.articles
    numbers = {a.id: (i + 1, a.reliability) for i, a in enumerate(articles)}
    has_claims = any(s.kind == "claims" for s in config.sections)
    used: set[tuple[str, int]] = set()
    in_claims = {(st.citation.source, st.citation.start) for c in claims for st in c.stances if st.citation}
    sections = []
    for entry, ev in zip(config.sections, evidence):
        limit = entry.max_points or config.brief.max_points
        skip_contested = has_claims and entry.kind == "points"
        seen = used | in_claims if entry.kind == "claims" else used  # no repeat of claim evidence
        points = _choose(ev.passages, limit, seen, numbers, skip_contested)
        used |= seen - in_claims
        sections.append(Section(entry.id, entry.title, render_markdown(entry.intro), entry.kind,
                                points, claims if entry.kind == "claims" else ()))
    window = window or Window()
    undated = sum(a.published is None for a in articles)
    warnings = corpus.skipped + tuple(f"section '{s.title}' has no points: check its keywords and articles"
                                      for s in sections if not s.points and not s.claims)
    if undated and (window.since or window.until):
        warnings += (f"{undated} undated source{'s' if undated > 1 else ''} kept in the period: "
                     "give them a published date to place them",)
    b = config.brief
    return Brief(
        title=b.title, slug=b.slug or slugify(b.title), sections=tuple(sections),
        sources=_sources(articles, sections), built_at=built_at, version=__version__,
        subtitle=b.subtitle, author=b.author, organisation=b.organisation, date=b.date,
        period=(window.label() if chosen_window else None) or b.period or window.label(), marking=b.marking, summary_html=render_markdown(b.summary),
        paper=b.paper, language=b.language, warnings=warnings, period_key=window.key,
    )


def _choose(candidates, limit, used, numbers, skip_contested) -> tuple[Point, ...]:
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


def _sources(articles: tuple[Article, ...], sections: list[Section]) -> tuple[Source, ...]:
    out = []
    for i, art in enumerate(articles):
        cited = tuple(s.title for s in sections if _cites(s, art.id))
        out.append(Source(i + 1, art, cited))
    return tuple(out)


def _cites(section: Section, source_id: str) -> bool:
    return (any(c.source == source_id for p in section.points for c in p.citations)
            or any(st.source == source_id for cl in section.claims for st in cl.stances))


def render_markdown(text: str | None) -> str:
    """The analyst's Markdown as sanitized HTML ('' for none)."""
    if not text:
        return ""
    return clean_html(markdown.markdown(text, extensions=["sane_lists", "smarty"], output_format="html"))


def slugify(text: str) -> str:
    """'Ports & Trade: Week 37' → 'ports-trade-week-37' (ASCII, at most 60 characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or "brief"
