"""config.yaml path → files in the output folder: the stages, called in order."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from . import claims, compose, config, deliver, evidence, history, ingest, render, window
from .effects import AtomicWriter, Clock, SystemClock, Writer, build_lock
from .errors import ConfigError, Problem
from .model import Brief, Corpus
from .transport import SmtpTransport, Transport

FORMATS = ("html", "pdf", "json")


@dataclass(frozen=True)
class Result:
    """What a build produced."""

    brief: Brief
    written: tuple[Path, ...]
    window: window.Window
    config: config.Config

    def file(self, fmt: str) -> Path | None:
        return next((p for p in self.written if p.suffix == f".{fmt}"), None)


def load_config(path: str | Path) -> config.Config:
    return config.load(path)


def validate(path: str | Path) -> tuple[config.Config, Corpus]:
    """Check the config and read every article it names; raise on the first stage that fails."""
    cfg = config.load(path)
    return cfg, ingest.ingest(cfg)


def assess(path: str | Path) -> tuple[config.Config, Corpus, tuple]:
    """The config, its sources and every claim with each source's stance (for `briefgen claims`)."""
    cfg, corpus = validate(path)
    return cfg, corpus, claims.assess(cfg, corpus, evidence.split(corpus.articles))


def build(path: str | Path, out: str | Path, formats=FORMATS, clock: Clock | None = None,
          writer: Writer | None = None, week: str | None = None, since: date | None = None,
          until: date | None = None) -> Result:
    cfg, corpus = validate(path)
    now = (clock or SystemClock()).now()
    period = window.resolve(week, since, until, cfg.brief.since, cfg.brief.until, now.date())
    corpus = window.select(corpus, period)
    passages = evidence.split(corpus.articles)
    ranked = evidence.rank(cfg, corpus, passages)
    found = claims.assess(cfg, corpus, passages)
    brief = compose.compose(cfg, corpus, ranked, found, now, period,
                            chosen_window=bool(week or since or until))
    store = history.History(Path(out))
    since_key = period.since.isoformat() if period.since else None
    earlier, label = store.previous(brief.slug, brief.period_key, since_key)
    brief = replace(brief, changes=history.compare(earlier, label, history.record(brief)))
    html = render.to_html(brief, render.environment(cfg.root))
    made = {"html": lambda: html.encode(), "json": lambda: render.to_json(brief).encode(),
            "pdf": lambda: render.to_pdf(html, cfg.root, cfg.safety.render_timeout,
                                         cfg.safety.render_memory_mb, tuple(cfg.safety.allow_hosts))}
    stem = output_name(cfg.brief.output, brief, period)
    with build_lock(Path(out)):
        files = {f"{stem}.{fmt}": made[fmt]() for fmt in formats}  # all made before any is written
        writer = writer or AtomicWriter(Path(out))
        written = tuple(writer.write(name, data) for name, data in files.items())
        store.save(brief, since_key, brief.period)
    return Result(brief, written, period, cfg)


def output_name(pattern: str, brief: Brief, period: window.Window, audience: str = "brief") -> str:
    """File stem from the config's pattern: {slug}, {audience}, {week}, {date}."""
    day = brief.date or brief.built_at.date()
    return pattern.format(slug=brief.slug, audience=audience, week=period.week or period.key,
                          date=day.isoformat())


def send(path: str | Path, out: str | Path, *, week: str | None = None, since: date | None = None,
         until: date | None = None, dry_run: bool = False, outbox: str | Path | None = None,
         clock: Clock | None = None, transport: Transport | None = None) -> tuple[Path, list[Problem]]:
    """Build the brief, put its e-mail in the outbox, and (unless a dry run) send it."""
    result = build(path, out, clock=clock, week=week, since=since, until=until)
    cfg, brief, pdf = result.config, result.brief, result.file("pdf")
    if cfg.delivery is None:
        raise ConfigError(Problem("the config has no 'delivery:' section", file=str(cfg.file),
                                  hint="add delivery: with sender, to and smtp (see README)"))
    key = f"{brief.slug}/brief/{brief.period_key}"
    msg = deliver.compose(brief, pdf.name, pdf.read_bytes(), cfg.delivery, render.environment(cfg.root), key)
    box = deliver.Outbox(Path(outbox) if outbox else Path(out) / "outbox")
    if dry_run:
        return box.writer.write(f"{pdf.stem}.eml", bytes(msg)), []
    item = box.put(pdf.stem, key, msg, deliver.envelope(cfg.delivery))
    transport = transport or SmtpTransport(cfg.delivery.smtp, cfg.root)
    now = (clock or SystemClock()).now().isoformat()
    return item.eml, deliver.send(item, transport, cfg.delivery.sender, history.History(Path(out)), box, now)


def retry(path: str | Path, out: str | Path, *, outbox: str | Path | None = None,
          clock: Clock | None = None, transport: Transport | None = None) -> tuple[list[Path], list[Problem]]:
    """Send what is left in the outbox, each recipient at most once."""
    cfg = config.load(path)
    if cfg.delivery is None:
        raise ConfigError(Problem("the config has no 'delivery:' section", file=str(cfg.file)))
    box = deliver.Outbox(Path(outbox) if outbox else Path(out) / "outbox")
    transport = transport or SmtpTransport(cfg.delivery.smtp, cfg.root)
    now = (clock or SystemClock()).now().isoformat()
    items, problems = box.pending(), []
    for item in items:
        problems += deliver.send(item, transport, cfg.delivery.sender, history.History(Path(out)), box, now)
    return [i.eml for i in items], problems
