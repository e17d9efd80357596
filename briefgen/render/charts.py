"""Brief parts → inline SVG pictures: the coverage timeline and the claims × sources grid.

Inline SVG needs no file to fetch and stays sharp in print; each picture carries a <title>,
a <desc> and an aria-label, its text alternative in the tagged PDF. All text is escaped here.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from datetime import date, timedelta
from xml.sax.saxutils import escape

from markupsafe import Markup

PALETTE = ["#1b3a5c", "#4f7cac", "#9a6200", "#2e6b3a", "#a3262a", "#6b4e9a", "#3f8f8a", "#8a6d3b"]
STANCE = {"asserts": ("A", "#e3f0e6", "#2e6b3a"), "disputes": ("D", "#f6e1e1", "#a3262a"),
          "reports": ("R", "#f7eedc", "#9a6200")}
STATUS = {"contested": "#a3262a", "unconfirmed": "#9a6200", "corroborated": "#2e6b3a", "single-source": "#59606b"}


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}. '
            f'{escape(desc, {chr(34): "&quot;"})}"><title>{escape(title)}</title><desc>{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def text_width(text: str, size: float = 10) -> float:
    """Approximate width of `text` in Noto Sans at `size` px (average advance ~0.55 em; wide
    capitals and narrow punctuation roughly allowed for): enough to lay out labels without cutting."""
    wide, narrow = sum(ch in "MWmw@%" for ch in text), sum(ch in "iljtf.,:;'!| " for ch in text)
    return size * (0.56 * len(text) + 0.3 * wide - 0.25 * narrow)


def _lines(text: str, width: float, size: float = 10, most: int = 6) -> list[str]:
    """`text` wrapped to lines that fit `width` px; past `most` lines the last ends with '…'."""
    chars = max(12, int(width / (size * 0.56)))
    lines = textwrap.wrap(text, chars, break_long_words=True) or [""]
    while any(text_width(line, size) > width for line in lines) and chars > 12:
        chars -= 2
        lines = textwrap.wrap(text, chars, break_long_words=True) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)].rstrip() + "…"
    return lines


def _bins(first: date, last: date) -> tuple[str, list[date]]:
    """Day bins up to five weeks, week bins up to a year, month bins beyond."""
    span = (last - first).days
    if span <= 35:
        return "day", [first + timedelta(days=i) for i in range(span + 1)]
    if span <= 366:
        start = first - timedelta(days=first.weekday())
        return "week", [start + timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]
    months, d = [], date(first.year, first.month, 1)
    while d <= last:
        months.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return "month", months


def _bin_of(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return date(day.year, day.month, 1)


def coverage(brief) -> Markup | None:
    """Stacked bars: how many sources each outlet published per day/week/month of the period."""
    dated = [s.article for s in brief.sources if s.article.published]
    if not dated:
        return None
    first, last = min(a.published for a in dated), max(a.published for a in dated)
    unit, bins = _bins(first, last)
    outlets = list(dict.fromkeys(a.outlet or "Outlet not recorded" for a in dated))
    counts = Counter((_bin_of(a.published, unit), a.outlet or "Outlet not recorded") for a in dated)
    peak = max(sum(counts[(b, o)] for o in outlets) for b in bins) or 1
    width, left, top, plot_h = 640, 34, 10, 110
    step = (width - left - 10) / len(bins)
    bar = max(2.0, step * 0.7)
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#d5dbe3"/>',
            f'<text x="{left - 6}" y="{top + 8}" font-size="10" text-anchor="end" fill="#5b6675">{peak}</text>',
            f'<text x="{left - 6}" y="{top + plot_h}" font-size="10" text-anchor="end" fill="#5b6675">0</text>']
    for i, b in enumerate(bins):
        x, y = left + i * step + (step - bar) / 2, top + plot_h
        for j, outlet in enumerate(outlets):
            n = counts[(b, outlet)]
            if n:
                h = plot_h * n / peak
                y -= h
                body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                            f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(outlet)}: {n} on {b.isoformat()}</title></rect>')
    label_every = max(1, len(bins) // 8)
    fmt = {"day": "%d %b", "week": "%d %b", "month": "%b %Y"}[unit]
    for i, b in enumerate(bins[::label_every]):
        x = left + i * label_every * step + step / 2
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="middle" '
                    f'fill="#5b6675">{b.strftime(fmt).lstrip("0")}</text>')
    legend_y, x = top + plot_h + 32, left
    for j, outlet in enumerate(outlets):  # whole names, as many rows as they need
        label = outlet if len(outlet) <= 80 else outlet[:79].rstrip() + "…"
        room = 14 + text_width(label) + 16
        if x > left and x + room > width - 10:
            legend_y, x = legend_y + 16, left
        colour = PALETTE[j % len(PALETTE)] if j < len(PALETTE) else "#8b95a3"
        body.append(f'<rect x="{x:.0f}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{x + 14:.0f}" y="{legend_y}" font-size="10" fill="#1c2430">{escape(label)}</text>')
        x += room
    per = {o: sum(v for (b, oo), v in counts.items() if oo == o) for o in outlets}
    desc = (f"{len(dated)} dated sources from {first.isoformat()} to {last.isoformat()}, per {unit}: "
            + "; ".join(f"{o}: {n}" for o, n in per.items()))
    return _svg(width, legend_y + 8, f"Coverage per {unit}, by outlet", desc, body)


def matrix(claims, sources, compact: bool = False) -> Markup:
    """The claims × sources grid: a coloured letter where a source takes a stance."""
    numbers = [s.number for s in sources]
    cell, label_w = (16, 300) if compact else (20, 320)
    status_w, top, line_h = 120, 18, 12
    width = label_w + cell * len(numbers) + status_w
    body = [f'<text x="{label_w + i * cell + cell / 2}" y="12" font-size="10" text-anchor="middle" '
            f'fill="#5b6675">{n}</text>' for i, n in enumerate(numbers)]
    rows = []
    y = top
    for r, c in enumerate(claims):
        lines = _lines(c.statement, label_w - 12)  # the whole statement, wrapped: never cut short
        row_h = max(cell, line_h * len(lines) + 6)
        if r:
            body.append(f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#e4e8ee"/>')
        spans = "".join(f'<tspan x="0" dy="{0 if i == 0 else line_h}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        body.append(f'<text x="0" y="{y + cell * 0.7:.1f}" font-size="10" fill="#1c2430">{spans}</text>')
        y_row = y  # cells and status sit on the first line of the row
        by = {st.number: st for st in c.stances}
        for i, n in enumerate(numbers):
            x = label_w + i * cell
            st = by.get(n)
            if st is None:
                body.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="#f7f8fa"/>')
                continue
            letter, bg, fg = STANCE[st.stance]
            deco = ' text-decoration="underline"' if st.contradicts and st.stance == "reports" else ""
            body.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="{bg}"/>'
                        f'<text x="{x + cell / 2}" y="{y + cell * 0.7:.1f}" font-size="10" font-weight="bold" '
                        f'text-anchor="middle" fill="{fg}"{deco}>{letter}</text>')
        body.append(f'<text x="{label_w + cell * len(numbers) + 8}" y="{y + cell * 0.7:.1f}" font-size="9" '
                    f'font-weight="bold" fill="{STATUS.get(c.status, "#59606b")}">{c.status.upper()} · {c.credibility}</text>')
        y = y_row + row_h
        marks = ", ".join(f"source {st.number} {st.stance}" for st in c.stances) or "no source takes a stance"
        rows.append(f"{c.statement}: {c.status}, credibility {c.credibility}; {marks}")
    return _svg(width, int(y) + 4, "Claims by source", " | ".join(rows), body)
