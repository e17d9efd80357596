"""config.yaml path → files in the output folder: the stages, called in order."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

from .analysis import claims, estimative, evidence
from .compose import brief as compose, history, window
from . import config
from .ingest import corpus as ingest
from . import render
from .render import html as html_format, templates
from .effects import AtomicWriter, Clock, SystemClock, Writer
from .lock import build_lock
from .errors import ConfigError, Problem, RenderError
from .model import Brief, Corpus
from .compose.audience import edition, hidden
from .cache import Cache, digest
from .progress import Progress, Silent

FORMATS = render.names()
"""Every registered output format (html, pdf, json, and any format module added to render/)."""


@dataclass(frozen=True)
class Result:
    """What a build produced: one brief per audience."""

    briefs: tuple[Brief, ...]
    written: tuple[Path, ...]
    window: window.Window
    config: config.Config
    cached: bool = False  # nothing changed: the outputs of the last build stand
    editions: tuple[tuple[str, tuple[Path, ...]], ...] = ()
    """(audience id, its files) for each brief built: editions are found by exact id."""

    @property
    def brief(self) -> Brief:
        return self.briefs[0]

    def file(self, fmt: str, audience: str | None = None) -> Path | None:
        """The `fmt` file of one edition, found by its exact audience id (never by a name suffix)."""
        if audience is None:
            return next((p for p in self.written if p.suffix == f".{fmt}"), None)
        for aud, paths in self.editions:
            if aud == audience:
                return next((p for p in paths if p.suffix == f".{fmt}"), None)
        return None


def load_config(path: str | Path) -> config.Config:
    return config.load(path)


def validate(path: str | Path) -> tuple[config.Config, Corpus]:
    """Check the config and read every article it names; raise on the first stage that fails."""
    cfg = config.load(path)
    return cfg, ingest.ingest(cfg)


def review(cfg: config.Config, corpus: Corpus) -> list[str]:
    """What else a build would stop on or warn about, before rendering: each audience's templates
    (RenderError listing every problem), and the analyst's probability words against the claims."""
    problems, warnings = templates.check(cfg)
    if problems:
        raise RenderError(problems)
    return warnings + [str(w) for w in estimative.review(cfg, analyse(cfg, corpus)[2])]


def assess(path: str | Path) -> tuple[config.Config, Corpus, tuple]:
    """The config, its sources and every claim with each source's stance (for `briefgen claims`)."""
    cfg, corpus = validate(path)
    return cfg, corpus, analyse(cfg, corpus)[2]


def analyse(cfg: config.Config, corpus: Corpus, store: Cache | None = None, show: Progress | None = None):
    """Corpus → (sentences, evidence per section, claims): the work every edition shares."""
    show = show or Silent()
    with show.stage("splitting sentences", len(corpus.articles)) as tick:
        passages = evidence.split(corpus.articles, store, tick)
    ranked = evidence.rank(cfg, corpus, passages)
    with show.stage("checking claims", len(cfg.claims) + 1) as tick:
        found = claims.assess(cfg, corpus, passages, tick, store=store)
    return passages, ranked, found


def preview(path: str | Path, audience: str | None, clock: Clock | None = None) -> str:
    """The HTML of one edition (the first by default), built in memory, for `briefgen serve`."""
    cfg = config.load(path)
    corpus = ingest.ingest(cfg)
    aud = audiences(cfg, audience)[0]
    c, r, f = edition(aud, corpus, *analyse(cfg, corpus)[1:])
    brief = compose.compose(cfg, c, r, f, (clock or SystemClock()).now(), audience=aud)
    brief = replace(brief, left_out=tuple(sorted(corpus.number(sid) for sid in hidden(aud, corpus))))
    return html_format.to_html(brief, html_format.environment(cfg.root, brief.audience),
                               aud.template if aud else "brief.html", edition_formats(cfg, aud, None))


def edition_formats(cfg: config.Config, aud, chosen: tuple[str, ...] | None) -> tuple[str, ...]:
    """The formats of one edition: --format, else the audience's `formats`, else `brief.formats`,
    else every registered format."""
    return tuple(chosen or (aud.formats if aud and aud.formats else None) or cfg.brief.formats or render.names())


def build(path: str | Path, out: str | Path, formats: tuple[str, ...] | None = None, clock: Clock | None = None,
          writer: Writer | None = None, week: str | None = None, since: date | None = None,
          until: date | None = None, audience: str | None = None, use_cache: bool = True,
          progress: Progress | None = None) -> Result:
    cfg, show = config.load(path), progress or Silent()
    now = (clock or SystemClock()).now()
    period = window.resolve(week, since, until, cfg.brief.since, cfg.brief.until, now.date())
    store = Cache(Path(out))
    for name in formats or ():
        render.get(name)  # ConfigError naming the known formats
    key = store.inputs(cfg, {"formats": list(formats or ()), "period": period.key, "audience": audience,
                             "clock": None if clock is None else now.isoformat()}) if use_cache else None
    done = store.up_to_date(key, Path(out))
    if done:
        return Result((), tuple(done), period, cfg, cached=True)
    with show.stage("reading sources", len(cfg.sources)) as tick:
        corpus = window.select(ingest.ingest(cfg, store, tick), period)
    _, ranked, found = analyse(cfg, corpus, store, show)
    past = history.History(Path(out))
    chosen = bool(week or since or until)
    editions = [_edition(cfg, a, corpus, ranked, found, now, period, chosen, past, formats, store)
                for a in audiences(cfg, audience)]
    settings = render.Settings(cfg.root, cfg.safety.render_timeout, cfg.safety.render_memory_mb,
                               tuple(cfg.safety.allow_hosts), store)
    with build_lock(Path(out)), show.stage("rendering editions", len(editions)) as tick:
        files = render.write([e for _, e in editions], settings)  # every file made before any is written
        tick(len(editions))
        for brief, _ in editions:  # before the outputs: a history that can't be saved fails the build whole
            past.save(brief, period.since.isoformat() if period.since else None, brief.period)
        writer = writer or AtomicWriter(Path(out))
        written = tuple(writer.write_all(files))  # all outputs swapped in as one set, or none
        by_name = {p.name: p for p in written}
        owned = tuple((b.audience, tuple(by_name[n] for n in e.file_names() if n in by_name)) for b, e in editions)
        with contextlib.suppress(OSError):  # the outputs are in place: a cache that can't record them is no failure
            store.record_build(key, list(written))
    return Result(tuple(b for b, _ in editions), written, period, cfg, editions=owned)


def audiences(cfg: config.Config, only: str | None) -> list:
    """The audiences to build: all (None stands for the single default edition), or one."""
    if only is None:
        return list(cfg.audiences) or [None]
    chosen = [a for a in cfg.audiences if a.id == only]
    if not chosen:
        raise ConfigError(Problem(f"no audience '{only}'", key="--audience",
                                  hint=f"the config has: {', '.join(a.id for a in cfg.audiences) or 'none'}"))
    return chosen


def _edition(cfg, aud, corpus, ranked, found, now, period, chosen, past, formats, store):
    """One audience's brief and its files' contents (nothing is written here; PDFs come later)."""
    c, r, f = edition(aud, corpus, ranked, found)
    brief = compose.compose(cfg, c, r, f, now, period, chosen_window=chosen, audience=aud)
    brief = replace(brief, warnings=brief.warnings + tuple(str(w) for w in estimative.review(cfg, f)))
    earlier, label = past.previous(f"{brief.slug}/{brief.audience}", brief.period_key,
                                   period.since.isoformat() if period.since else None)
    left_out = hidden(aud, corpus)
    brief = replace(brief, changes=history.compare(earlier, label, history.record(brief), left_out),
                    left_out=tuple(sorted(corpus.number(sid) for sid in left_out)))
    content = render.json.to_json(replace(brief, built_at=datetime(2000, 1, 1, tzinfo=timezone.utc)))
    brief = replace(brief, built_at=store.built_at(digest(content, brief.audience), now))
    wanted = edition_formats(cfg, aud, formats)
    html = html_format.to_html(brief, html_format.environment(cfg.root, brief.audience),
                               aud.template if aud else "brief.html", wanted)
    stem = output_name(pattern(cfg, chosen or bool(cfg.brief.since or cfg.brief.until)), brief, period, brief.audience)
    return brief, render.Edition(brief, html, stem, wanted)


def pattern(cfg: config.Config, dated: bool) -> str:
    """The file-name pattern: `brief.output`, else `{slug}` (with `-{week}` when the period is
    chosen, so one week never replaces another), always ending in the audience when there are several."""
    base = cfg.brief.output or ("{slug}-{week}" if dated else "{slug}")
    return base if "{audience}" in base or not cfg.audiences else base + "-{audience}"


def output_name(pattern: str, brief: Brief, period: window.Window, audience: str = "brief") -> str:
    """File stem from the config's pattern: {slug}, {audience}, {week}, {date}."""
    day = brief.date or brief.built_at.date()
    return pattern.format(slug=brief.slug, audience=audience, week=period.week or period.key,
                          date=day.isoformat())
