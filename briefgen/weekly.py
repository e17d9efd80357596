"""Config + period → every edition built, then e-mailed: the weekly run (`send`, `weekly`).

Builds through the pipeline, then hands each edition to the deliver stage: one message per
audience, written to the outbox first, sent once to each recipient.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from . import config
from .deliver import outbox as deliver
from .compose import history
from .render import html as render
from .effects import Clock, SystemClock
from .errors import ConfigError, Problem
from .pipeline import build
from .deliver.smtp import SmtpTransport, Transport


def send(path: str | Path, out: str | Path, *, week: str | None = None, since: date | None = None,
         until: date | None = None, dry_run: bool = False, outbox: str | Path | None = None,
         clock: Clock | None = None, transport: Transport | None = None,
         audience: str | None = None) -> tuple[list[Path], list[Problem]]:
    """Build every edition, put one e-mail per audience in the outbox, and (unless a dry run) send."""
    result = build(path, out, clock=clock, week=week, since=since, until=until, audience=audience,
                   use_cache=False)
    cfg = result.config
    box, mailer = _channel(cfg, out, outbox, transport, clock)
    by_id = {a.id: a for a in cfg.audiences}
    queued, emls = [], []
    for brief in result.briefs:
        pdf, key = result.file("pdf", brief.audience), f"{brief.slug}/{brief.audience}/{brief.period_key}"
        rules = deliver.for_audience(cfg.delivery, by_id.get(brief.audience))
        env = render.environment(cfg.root, brief.audience)
        msg = deliver.compose(brief, pdf.name, pdf.read_bytes(), rules, env, key)
        if dry_run:
            emls.append(box.writer.write(f"{pdf.stem}.eml", bytes(msg)))
        else:
            queued.append(box.put(pdf.stem, key, msg, deliver.envelope(rules)))
    if dry_run:
        return emls, []
    return [q.eml for q in queued], [p for item in queued for p in mailer(item)]


def retry(path: str | Path, out: str | Path, *, outbox: str | Path | None = None,
          clock: Clock | None = None, transport: Transport | None = None) -> tuple[list[Path], list[Problem]]:
    """Send what is left in the outbox, each recipient at most once."""
    box, mailer = _channel(config.load(path), out, outbox, transport, clock)
    items = box.pending()
    return [i.eml for i in items], [p for item in items for p in mailer(item)]


def _channel(cfg: config.Config, out, outbox, transport: Transport | None, clock: Clock | None):
    """(outbox, send one queued message) for this project; ConfigError without `delivery:`."""
    if cfg.delivery is None:
        raise ConfigError(Problem("the config has no 'delivery:' section", file=str(cfg.file),
                                  hint="add delivery: with sender, to and smtp (see README)"))
    box = deliver.Outbox(Path(outbox) if outbox else Path(out) / "outbox")
    transport = transport or SmtpTransport(cfg.delivery.smtp, cfg.root)
    now = (clock or SystemClock()).now().isoformat()
    store = history.History(Path(out))
    return box, lambda item: deliver.send(item, transport, cfg.delivery.sender, store, box, now)
