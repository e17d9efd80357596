"""config.yaml path → files in the output folder: the stages, called in order."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

from . import __version__
from .analysis import claims, evidence
from .compose import brief as compose, history, window
from . import config
from .ingest import corpus as ingest
from .render import engine as render
from .effects import AtomicWriter, Clock, SystemClock, Writer
from .lock import build_lock
from .errors import ConfigError, Problem
from .model import Brief, Corpus
from .compose.audience import edition
from .cache import Cache, digest
from .progress import Progress, Silent

FORMATS = ("html", "pdf", "json")


@dataclass(frozen=True)
class Result:
    """What a build produced: one brief per audience."""

    briefs: tuple[Brief, ...]
    written: tuple[Path, ...]
    window: window.Window
    config: config.Config
    cached: bool = False  # nothing changed: the outputs of the last build stand

    @property
    def brief(self) -> Brief:
        return self.briefs[0]

    def file(self, fmt: str, audience: str | None = None) -> Path | None:
        stems = {p.stem for p in self.written}
        for p in self.written:
            if p.suffix == f".{fmt}" and (audience is None or len(stems) == 1 or p.stem.endswith(audience)):
                return p
        return None


def load_config(path: str | Path) -> config.Config:
    return config.load(path)


def validate(path: str | Path) -> tuple[config.Config, Corpus]:
    """Check the config and read every article it names; raise on the first stage that fails."""
    cfg = config.load(path)
    return cfg, ingest.ingest(cfg)


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
        found = claims.assess(cfg, corpus, passages, tick)
    return passages, ranked, found


def preview(path: str | Path, audience: str | None, clock: Clock | None = None) -> str:
    """The HTML of one edition (the first by default), built in memory, for `briefgen serve`."""
    cfg = config.load(path)
    corpus = ingest.ingest(cfg)
    aud = audiences(cfg, audience)[0]
    c, r, f = edition(aud, corpus, *analyse(cfg, corpus)[1:])
    brief = compose.compose(cfg, c, r, f, (clock or SystemClock()).now(), audience=aud)
    return render.to_html(brief, render.environment(cfg.root, brief.audience), aud.template if aud else "brief.html")


def build(path: str | Path, out: str | Path, formats=FORMATS, clock: Clock | None = None,
          writer: Writer | None = None, week: str | None = None, since: date | None = None,
          until: date | None = None, audience: str | None = None, use_cache: bool = True,
          progress: Progress | None = None) -> Result:
    cfg, show = config.load(path), progress or Silent()
    now = (clock or SystemClock()).now()
    period = window.resolve(week, since, until, cfg.brief.since, cfg.brief.until, now.date())
    store = Cache(Path(out))
    key = store.inputs(cfg, {"formats": list(formats), "period": period.key, "audience": audience,
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
    with build_lock(Path(out)), show.stage("rendering editions", len(editions)) as tick:
        files = _make(editions, cfg, store)  # every file made before any is written
        tick(len(editions))
        for brief, _ in editions:  # before the outputs: a history that can't be saved fails the build whole
            past.save(brief, period.since.isoformat() if period.since else None, brief.period)
        writer = writer or AtomicWriter(Path(out))
        written = tuple(writer.write_all(files))  # all outputs swapped in as one set, or none
        with contextlib.suppress(OSError):  # the outputs are in place: a cache that can't record them is no failure
            store.record_build(key, list(written))
    return Result(tuple(b for b, _ in editions), written, period, cfg)


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
    earlier, label = past.previous(f"{brief.slug}/{brief.audience}", brief.period_key,
                                   period.since.isoformat() if period.since else None)
    brief = replace(brief, changes=history.compare(earlier, label, history.record(brief)))
    content = render.to_json(replace(brief, built_at=datetime(2000, 1, 1, tzinfo=timezone.utc)))
    brief = replace(brief, built_at=store.built_at(digest(content, brief.audience), now))
    html = render.to_html(brief, render.environment(cfg.root, brief.audience), aud.template if aud else "brief.html")
    made = {"html": html.encode(), "json": render.to_json(brief).encode(), "pdf": (html, brief.pdf_variant)}
    pattern = cfg.brief.output if "{audience}" in cfg.brief.output or not cfg.audiences else cfg.brief.output + "-{audience}"
    stem = output_name(pattern, brief, period, brief.audience)
    return brief, [(f"{stem}.{fmt}", made[fmt]) for fmt in formats]


def _make(editions, cfg, store: Cache) -> dict[str, bytes]:
    """File name → bytes; PDFs not in the cache are rendered in parallel."""
    files = {name: data for _, made in editions for name, data in made}
    keys = {n: digest(files[n][0], files[n][1], __version__) for n in files if n.endswith(".pdf")}
    found = {n: store.pdf(k) for n, k in keys.items()}
    todo = [n for n, data in found.items() if data is None]
    rendered = render.to_pdfs([files[n] for n in todo], cfg.root, cfg.safety.render_timeout,
                              cfg.safety.render_memory_mb, tuple(cfg.safety.allow_hosts))
    for name, data in zip(todo, rendered):
        store.put_pdf(keys[name], data)
        found[name] = data
    return {**files, **found}


def output_name(pattern: str, brief: Brief, period: window.Window, audience: str = "brief") -> str:
    """File stem from the config's pattern: {slug}, {audience}, {week}, {date}."""
    day = brief.date or brief.built_at.date()
    return pattern.format(slug=brief.slug, audience=audience, week=period.week or period.key,
                          date=day.isoformat())
