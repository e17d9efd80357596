"""--week / --since / --until / brief config → Window; Corpus × Window → the sources in it.

Dated sources outside the window are left out; undated sources are kept and listed as
undated, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..errors import ConfigError, Problem
from ..model import Corpus


@dataclass(frozen=True)
class Window:
    """The reporting period of one brief."""

    since: date | None = None
    """First day included (None: open)."""
    until: date | None = None
    """Last day included (None: open)."""
    week: str | None = None
    """ISO week such as 2023-W37, when the window is one."""

    @property
    def key(self) -> str:
        """Stable name of the period, for history and file names ('all' when open)."""
        if self.week:
            return self.week
        if self.since or self.until:
            return f"{self.since or 'start'}_{self.until or 'now'}"
        return "all"

    def label(self) -> str | None:
        """How the brief states its period, e.g. '11–17 September 2023 (week 37)'."""
        if not (self.since or self.until):
            return None
        if self.since and self.until:
            a, b = self.since, self.until
            if (a.year, a.month) == (b.year, b.month):
                text = f"{a.day}–{b.day} {b:%B %Y}"
            elif a.year == b.year:
                text = f"{a.day} {a:%B} – {b.day} {b:%B %Y}"
            else:
                text = f"{a.day} {a:%B %Y} – {b.day} {b:%B %Y}"
        elif self.since:
            text = f"from {self.since.day} {self.since:%B %Y}"
        else:
            text = f"until {self.until.day} {self.until:%B %Y}"
        return f"{text} (week {int(self.week.split('W')[1])})" if self.week else text

    def contains(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


def iso_week(text: str) -> Window:
    """'2023-W37' → Monday to Sunday of that ISO week."""
    match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), re.I)
    if not match:
        raise ConfigError(Problem(f"'{text}' is not an ISO week", key="--week", hint="write it as 2023-W37"))
    year, week = int(match[1]), int(match[2])
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ConfigError(Problem(f"{year} has no week {week}", key="--week")) from None
    return Window(monday, monday + timedelta(days=6), f"{year}-W{week:02d}")


def current_week(today: date) -> Window:
    year, week, _ = today.isocalendar()
    return iso_week(f"{year}-W{week:02d}")


def resolve(week: str | None, since: date | None, until: date | None,
            config_since: date | None, config_until: date | None, today: date | None = None) -> Window:
    """The command line wins over the config; --week excludes --since/--until.

    `week` is an ISO week, or 'current' / 'last' (relative to `today`).
    """
    if week and (since or until):
        raise ConfigError(Problem("give either --week or --since/--until, not both", key="--week"))
    if week in ("current", "last"):
        today = today or date.today()
        return current_week(today - timedelta(days=7 if week == "last" else 0))
    if week:
        return iso_week(week)
    window = Window(since or config_since, until or config_until)
    if window.since and window.until and window.since > window.until:
        raise ConfigError(Problem(f"the period starts ({window.since}) after it ends ({window.until})",
                                  key="--since", hint="swap the dates"))
    return window


def select(corpus: Corpus, window: Window) -> Corpus:
    """The sources published in the window, and every undated one."""
    if not (window.since or window.until):
        return corpus
    kept = tuple(a for a in corpus.articles if window.contains(a.published))
    if not kept:
        raise ConfigError(Problem(f"no source falls in the period {window.label()}",
                                  hint="check the dates, or choose another --week"))
    return replace(corpus, articles=kept)
