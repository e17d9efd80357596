"""Config + period → every edition built, then delivered: the weekly run (`send`, `weekly`).

Builds through the pipeline, then hands each edition to the deliver stage: for each channel
(e-mail first), one outbox item per (brief, audience, period, recipient list), written to the
outbox first, sent once to each recipient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import config
from .compose import history
from .deliver import channels, email_channel  # noqa: F401  (registers the e-mail channel)
from .deliver import outbox as deliver
from .deliver.smtp import Transport
from .effects import Clock, SystemClock
from .lock import build_lock
from .errors import ConfigError, Problem
from .pipeline import build


@dataclass(frozen=True)
class Run:
    """What a send did, for the command line to say."""

    queued: tuple[Path, ...] = ()
    """Items put in (or found waiting in) the outbox and tried now; dry run: the files written."""
    already: tuple[str, ...] = ()
    """Editions every recipient had already: nothing sent."""
    sent: int = 0
    """Recipients the channels accepted now."""
    problems: tuple[Problem, ...] = field(default_factory=tuple)


def send(path: str | Path, out: str | Path, *, week: str | None = None, since: date | None = None,
         until: date | None = None, dry_run: bool = False, outbox: str | Path | None = None,
         clock: Clock | None = None, transport: Transport | None = None,
         audience: str | None = None) -> Run:
    """Build every edition, queue one item per edition and channel, and (unless a dry run) send."""
    cfg = config.load(path)
    box, chans, mailer = _setup(cfg, out, outbox, transport, clock)
    result = build(path, out, clock=clock, week=week, since=since, until=until, audience=audience,
                   use_cache=False)
    if dry_run:
        return Run(tuple(_preview(result, cfg, chans, Path(outbox) if outbox else box.folder / "dry-run")))
    with build_lock(box.folder):  # one sender at a time: a second waits, then finds nobody left
        return _queue_and_send(result, cfg, box, chans, mailer, history.History(Path(out)))


def _preview(result, cfg, chans, folder: Path) -> list[Path]:
    """Each message as a file, nothing queued or sent; a folder with waiting items is refused."""
    preview, written = deliver.Outbox(folder), []
    by_id = {a.id: a for a in cfg.audiences}
    for brief in result.briefs:
        pdf = result.file("pdf", brief.audience)
        rules = deliver.for_audience(cfg.delivery, by_id.get(brief.audience))
        for chan in chans:
            key = deliver.message_key(brief.slug, brief.audience, brief.period_key, chan.name)
            name = deliver.item_name(key, chan.name, chan.recipients(rules))
            if preview.find(name):
                raise ConfigError(Problem("this folder holds a message waiting to be sent",
                                          file=str(preview.folder), hint="give --outbox another folder"))
            written.append(preview.writer.write(f"{name}{chan.suffix}", chan.prepare(brief, pdf, rules, key)))
    return written


def _queue_and_send(result, cfg, box, chans, mailer, store) -> Run:
    by_id = {a.id: a for a in cfg.audiences}
    queued, already = [], []
    for brief in result.briefs:
        pdf = result.file("pdf", brief.audience)
        rules = deliver.for_audience(cfg.delivery, by_id.get(brief.audience))
        for chan in chans:
            key = deliver.message_key(brief.slug, brief.audience, brief.period_key, chan.name)
            recipients = chan.recipients(rules)
            name = deliver.item_name(key, chan.name, recipients)
            if not box.find(name) and all(store.was_sent(key, r) for r in recipients):
                already.append(name)
            else:
                queued.append((box.put(name, key, chan, chan.prepare(brief, pdf, rules, key), recipients), chan))
    reports = [mailer(item, chan) for item, chan in queued]
    return Run(tuple(item.payload for item, _ in queued), tuple(already), sum(len(r.sent) for r in reports),
               tuple(p for r in reports for p in r.problems))


def retry(path: str | Path, out: str | Path, *, outbox: str | Path | None = None, force: bool = False,
          clock: Clock | None = None, transport: Transport | None = None) -> Run:
    """Send what is left in the outbox, each recipient at most once (`force`: the uncertain too)."""
    box, chans, mailer = _setup(config.load(path), out, outbox, transport, clock)
    if not box.folder.is_dir():
        return Run()
    with build_lock(box.folder):
        items, damaged = box.pending()
        by_name = {c.name: c for c in chans}
        reports, problems = [], list(damaged)
        for item in items:
            if item.channel not in by_name:
                problems.append(Problem(f"queued for channel '{item.channel}', which the config does not name",
                                        file=str(item.meta), hint="add it to delivery.channels, or remove the item"))
                continue
            reports.append(mailer(item, by_name[item.channel], force))
    return Run(tuple(i.payload for i in items), (), sum(len(r.sent) for r in reports),
               tuple(problems + [p for r in reports for p in r.problems]))


def _setup(cfg: config.Config, out, outbox, transport: Transport | None, clock: Clock | None):
    """(outbox, channels, send one item) for this project; ConfigError without `delivery:`."""
    if cfg.delivery is None:
        raise ConfigError(Problem("the config has no 'delivery:' section", file=str(cfg.file),
                                  hint="add delivery: with sender, to and smtp (see README)"))
    box = deliver.Outbox(Path(outbox) if outbox else Path(out) / "outbox")
    options = {"email": {"transport": transport}} if transport else {}
    chans = [channels.make(name, cfg.delivery, cfg.root, **options.get(name, {}))
             for name in dict.fromkeys(cfg.delivery.channels)]
    now = (clock or SystemClock()).now().isoformat()
    store = history.History(Path(out))
    return box, chans, lambda item, chan, force=False: deliver.send(item, chan, store, box, now, force)
