"""Brief → JSON (the brief model): the `json` output format, and the JSON of one source or claim
that `briefgen sources --json` and `briefgen claims --json` print."""

from __future__ import annotations

import json
from typing import Sequence

from . import Edition, Settings, register
from ..model import Article, Brief, Claim


@register("json", "json", "JSON")
def write(editions: Sequence[Edition], settings: Settings) -> list[bytes]:
    """Each edition's brief model: sections → points → citations with spans; sources; claims."""
    return [to_json(e.brief).encode() for e in editions]


def to_json(brief: Brief) -> str:
    """The brief model: sections → points → citations with spans; sources; claims."""
    claims = [c for s in brief.sections for c in s.claims]
    data = {
        "title": brief.title, "subtitle": brief.subtitle, "slug": brief.slug,
        "author": brief.author, "organisation": brief.organisation,
        "date": _iso(brief.date), "period": brief.period, "marking": brief.marking,
        "generator": f"briefgen {brief.version}", "built_at": brief.built_at.isoformat(),
        "sections": [{
            "id": s.id, "title": s.title, "kind": s.kind,
            "points": [{"text": p.text, "cues": list(p.cues), "citations": [
                {"source": c.source, "number": c.number, "start": c.start, "end": c.end,
                 "quote": c.quote, "reliability": c.reliability, "credibility": c.credibility}
                for c in p.citations]} for p in s.points],
            "claims": [c.id for c in s.claims],
        } for s in brief.sections],
        "sources": [dict(source_json(s.article), number=s.number, cited_in=list(s.cited_in))
                    for s in sorted(brief.sources + brief.uncited, key=lambda s: s.number)],
        "claims": [claim_json(c) for c in claims],
        "warnings": list(brief.warnings),
        "unused_sources": [{"id": d.source, "file": d.file, "why": d.why} for d in brief.dropped],
        "changes": None if brief.changes is None else {
            "previous": brief.changes.previous, "new_sources": list(brief.changes.new_sources),
            "dropped_sources": list(brief.changes.dropped_sources),
            "new_points": list(brief.changes.new_points),
            "status_changes": [list(c) for c in brief.changes.status_changes],
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def claim_json(c: Claim) -> dict:
    """One claim as JSON: status, credibility, and each source's stance with its evidence."""
    return {
        "id": c.id, "statement": c.statement, "status": c.status, "credibility": c.credibility,
        "found": c.found, "note": c.note,
        "stances": {st.source: {
            "stance": st.stance, "evidence": st.citation.quote if st.citation else None,
            "start": st.citation.start if st.citation else None,
            "end": st.citation.end if st.citation else None,
            "number": st.number, "contradicts": st.contradicts, "declared": st.declared,
            "also": [{"stance": kind, "evidence": cit.quote, "start": cit.start, "end": cit.end}
                     for kind, cit in st.also],
            "judge": st.judge or None, "confidence": st.confidence,
            "deciding": [{"sentence": cit.quote, "start": cit.start, "end": cit.end} for cit in st.deciding],
        } for st in c.stances},
    }


def source_json(a: Article, text: bool = False) -> dict:
    """One source as JSON: its metadata, where each field came from, merged copies, warnings."""
    data = {
        "id": a.id, "format": a.format, "title": a.title, "outlet": a.outlet, "author": a.author,
        "published": _iso(a.published), "url": a.url, "language": a.language,
        "reliability": a.reliability, "note": a.note, "extracted": list(a.extracted), "words": len(a.text.split()),
        "duplicates": [{"id": c.id, "title": c.title, "outlet": c.outlet, "url": c.url,
                        "published": _iso(c.published)} for c in a.also],
        "warnings": list(a.warnings),
    }
    if text:  # for `briefgen sources`, not for briefs that leave the machine
        data["file"] = str(a.path)
        data["text"] = a.text
    return data


def _iso(d) -> str | None:
    return d.isoformat() if d else None
