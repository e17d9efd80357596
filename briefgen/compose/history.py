"""Brief → record in a small SQLite store under the output folder; two records → Changes.

Each brief series (slug) keeps one record per period: its sources, points and claims with
their status. The next brief of another period is compared with the latest earlier one.
The same store remembers which e-mails were accepted, so none is sent twice.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OutputError, Problem
from ..model import Brief, Changes

SCHEMA = """
CREATE TABLE IF NOT EXISTS briefs (slug TEXT, period TEXT, since TEXT, built_at TEXT, label TEXT,
                                   record TEXT, PRIMARY KEY (slug, period));
CREATE TABLE IF NOT EXISTS sent (message_key TEXT, recipient TEXT, message_id TEXT, sent_at TEXT,
                                 PRIMARY KEY (message_key, recipient));
"""


@dataclass(frozen=True)
class Record:
    """What one edition contained, as the history keeps it (stored as JSON, read back as this)."""

    sources: dict[str, str] = field(default_factory=dict)
    """Source id → title, of the sources the edition lists."""
    points: tuple[str, ...] = ()
    """The text of every point."""
    claims: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Claim id → (statement, status)."""
    stances: dict[str, dict[str, str]] = field(default_factory=dict)
    """Claim id → {source id: stance} (for each outlet's track record)."""
    outlets: dict[str, str] = field(default_factory=dict)
    """Source id → outlet (or the id, when no outlet is known)."""

    def to_json(self) -> str:
        return json.dumps({"sources": self.sources, "points": list(self.points),
                           "claims": {k: list(v) for k, v in self.claims.items()},
                           "stances": self.stances, "outlets": self.outlets}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Record":
        """A stored record; fields an older briefgen did not store are empty."""
        data = json.loads(text)
        return cls(dict(data.get("sources", {})), tuple(data.get("points", ())),
                   {k: (v[0], v[1]) for k, v in data.get("claims", {}).items()},
                   dict(data.get("stances", {})), dict(data.get("outlets", {})))


def record(brief: Brief) -> Record:
    """What a brief contained, as stored."""
    return Record(
        sources={s.article.id: s.article.title for s in brief.sources},
        points=tuple(p.text for s in brief.sections for p in s.points),
        claims={c.id: (c.statement, c.status) for s in brief.sections for c in s.claims},
        stances={c.id: {st.source: st.stance for st in c.stances} for s in brief.sections for c in s.claims},
        outlets={s.article.id: s.article.outlet or s.article.id for s in (*brief.sources, *brief.uncited)},
    )


def compare(previous: Record | None, label: str | None, current: Record,
            hidden: frozenset[str] = frozenset()) -> Changes:
    """What is new, gone or changed status, from the earlier record to the current one; sources
    in `hidden` (below the edition's grade floor) are not named, even if the earlier brief had them."""
    if previous is None:
        return Changes(None)
    before = {sid: title for sid, title in previous.sources.items() if sid not in hidden}
    now = current.sources
    points = set(previous.points)
    moved = tuple((statement, previous.claims[cid][1], status)
                  for cid, (statement, status) in current.claims.items()
                  if cid in previous.claims and previous.claims[cid][1] != status)
    return Changes(
        label or "the previous brief",
        new_sources=tuple(title for sid, title in now.items() if sid not in before),
        dropped_sources=tuple(title for sid, title in before.items() if sid not in now),
        new_points=tuple(p for p in current.points if p not in points),
        status_changes=moved,
    )


class History:
    """The store: one SQLite file; every call opens and closes it (builds are short)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / ".briefgen" / "history.sqlite"

    def _db(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)
            db.executescript(SCHEMA)
            return db
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(Problem(f"cannot open the brief history: {exc}", file=str(self.path),
                                      hint="it is safe to delete; the next brief then has no earlier one")) from None

    def previous(self, slug: str, period: str, since: str | None) -> tuple[dict | None, str | None]:
        """The latest record of another period (before `since` when the period has dates)."""
        with closing(self._db()) as db:
            query = "SELECT record, label FROM briefs WHERE slug = ? AND period != ?"
            args: list = [slug, period]
            if since:
                query += " AND (since IS NULL OR since < ?)"
                args.append(since)
            row = db.execute(query + " ORDER BY since DESC, built_at DESC LIMIT 1", args).fetchone()
        return (Record.from_json(row[0]), row[1]) if row else (None, None)

    def series(self, slug: str) -> list[Record]:
        """Every stored record of a brief series (all audiences and periods), oldest first."""
        if not self.path.is_file():
            return []
        with closing(self._db()) as db:
            rows = db.execute("SELECT slug, record FROM briefs ORDER BY since, built_at").fetchall()
        return [Record.from_json(r) for name, r in rows if name.startswith(f"{slug}/")]

    def save(self, brief: Brief, since: str | None, label: str | None) -> None:
        try:
            with closing(self._db()) as db, db:
                db.execute("INSERT OR REPLACE INTO briefs VALUES (?, ?, ?, ?, ?, ?)",
                           (f"{brief.slug}/{brief.audience}", brief.period_key, since, brief.built_at.isoformat(),
                            label, record(brief).to_json()))
        except sqlite3.Error as exc:  # a full disk shows here as "database or disk is full" or an I/O error
            raise OutputError(Problem(f"cannot save the brief history: {exc}", file=str(self.path),
                                      hint="check that the disk has free space, then build again")) from None

    def was_sent(self, key: str, recipient: str) -> bool:
        with closing(self._db()) as db:
            return db.execute("SELECT 1 FROM sent WHERE message_key = ? AND recipient = ?",
                              (key, recipient)).fetchone() is not None

    def mark_sent(self, key: str, recipients: list[str], message_id: str, when: str) -> None:
        with closing(self._db()) as db, db:
            db.executemany("INSERT OR IGNORE INTO sent VALUES (?, ?, ?, ?)",
                           [(key, r, message_id, when) for r in recipients])
