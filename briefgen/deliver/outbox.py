"""Queued editions (a payload file and a small JSON of who still has to get it) → sent once each.

One outbox item per (brief, audience, period, recipient list, channel), named from those, so
two weeks or two editions never share a file. Every payload is written to the outbox before
anything is sent; an item already waiting is never overwritten, and a sent one moves to
`sent/` under a name no other file has. A recipient is recorded as sent (in the history store)
the moment the channel says it was accepted, so re-running the same period sends nothing
twice. A recipient whose send is ambiguous (the server stopped answering after the whole
message was sent) is kept as *uncertain* and only `briefgen send --retry --force` sends to it
again. A damaged item is reported in one line and does not hold up the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .channels import Channel, Edition
from ..compose.history import History
from ..config.schema import Delivery
from ..effects import AtomicWriter
from ..errors import BriefgenError, OutputError, Problem


@dataclass(frozen=True)
class Queued:
    """An item in the outbox."""

    key: str
    """slug/audience/period (/channel): the record of who has this edition."""
    payload: Path
    """The message as queued (an .eml for e-mail)."""
    recipients: tuple[str, ...]
    """Not yet accepted: sent on the next try."""
    uncertain: tuple[str, ...] = ()
    """May have been delivered: sent again only with `--retry --force`."""
    channel: str = "email"

    @property
    def meta(self) -> Path:
        return self.payload.with_suffix(".json")


@dataclass(frozen=True)
class Report:
    """What one try at an item did."""

    item: Queued
    sent: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)


def message_key(slug: str, audience: str, period: str, channel: str = "email") -> str:
    """The record key of an edition: e-mail keeps the historic slug/audience/period."""
    return "/".join([slug, audience, period] + ([] if channel == "email" else [channel]))


def item_name(key: str, channel: str, recipients: list[str]) -> str:
    """A file stem unique to (brief, audience, period, channel, recipient list), readable first."""
    slug, audience, period = (key.split("/") + ["", "", ""])[:3]
    digest = hashlib.sha1(json.dumps([channel, sorted(recipients)]).encode()).hexdigest()[:6]
    stem = "-".join(p for p in (slug, period, audience) if p)
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem) + f"-{digest}"


def for_audience(delivery: Delivery, audience) -> Delivery:
    """The delivery rules for one edition: its own recipients and subject when it names any."""
    if audience is None:
        return delivery
    update = {"subject": audience.subject} if audience.subject else {}
    if audience.to or audience.cc or audience.bcc:
        update |= {"to": audience.to or delivery.to, "cc": audience.cc, "bcc": audience.bcc}
    return delivery.model_copy(update=update) if update else delivery


class Outbox:
    """A folder of items waiting to be sent; sent ones move to `sent/`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.writer = AtomicWriter(self.folder)

    def find(self, name: str) -> Queued | None:
        """The item waiting under `name`, if any (a damaged one raises)."""
        meta = self.folder / f"{name}.json"
        return self._load(meta) if meta.exists() else None

    def put(self, name: str, key: str, channel: Channel, payload: bytes, recipients: list[str]) -> Queued:
        """Queue a new item; one already waiting under this name stands and is returned as is."""
        waiting = self.find(name)
        if waiting:
            return waiting
        path = self.writer.write(f"{name}{channel.suffix}", payload)
        item = Queued(key, path, tuple(recipients), (), channel.name)
        self._meta(item)
        return item

    def pending(self) -> tuple[list[Queued], list[Problem]]:
        """Every item waiting, and one problem per item that cannot be read (the others stand)."""
        items, problems = [], []
        for meta in sorted(self.folder.glob("*.json")):
            try:
                items.append(self._load(meta))
            except BriefgenError as exc:
                problems.extend(exc.problems)
        return items, problems

    def update(self, item: Queued, remaining: list[str], uncertain: list[str]) -> None:
        """Record who is still waiting; an item nobody waits for moves to `sent/`."""
        if remaining or uncertain:
            self._meta(Queued(item.key, item.payload, tuple(remaining), tuple(uncertain), item.channel))
        else:
            self.archive(item)

    def archive(self, item: Queued) -> Path:
        """Move the payload to `sent/` under a free name (nothing there is ever replaced)."""
        sent = self.folder / "sent"
        try:
            sent.mkdir(exist_ok=True)
            for n in range(1, 10_000):
                target = sent / (item.payload.name if n == 1 else f"{item.payload.stem}.{n}{item.payload.suffix}")
                try:
                    os.link(item.payload, target)  # fails if the name is taken: never overwrites
                    break
                except FileExistsError:
                    continue
            item.payload.unlink()
            item.meta.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(Problem(f"cannot move a sent message to {sent}: {exc.strerror or exc}",
                                      file=str(item.payload),
                                      hint="it was delivered; check the outbox folder")) from None
        return target

    def _load(self, meta: Path) -> Queued:
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            payload = self.folder / Path(data.get("payload") or meta.with_suffix(".eml").name).name
            item = Queued(str(data["key"]), payload, tuple(map(str, data["recipients"])),
                          tuple(map(str, data.get("uncertain", ()))), str(data.get("channel", "email")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise OutputError(Problem(f"damaged outbox entry, left as it is ({type(exc).__name__}: {exc})",
                                      file=str(meta),
                                      hint="repair or remove it; the other messages are sent")) from None
        if not payload.is_file():
            raise OutputError(Problem(f"the message {payload.name} of this outbox entry is missing; left as it is",
                                      file=str(meta), hint=f"restore {payload.name}, or remove {meta.name} to drop it"))
        return item

    def _meta(self, item: Queued) -> None:
        data = {"key": item.key, "channel": item.channel, "payload": item.payload.name,
                "recipients": list(item.recipients), "uncertain": list(item.uncertain)}
        self.writer.write(item.meta.name, json.dumps(data, indent=1).encode())


_ASK = ("ask them; to send it again anyway run 'briefgen send --retry --force', "
        "or remove {meta} from the outbox to drop it")


def send(item: Queued, channel: Channel, store: History, outbox: Outbox, when: str,
         force: bool = False) -> Report:
    """Send `item` to its recipients not yet served; record each accepted one at once."""
    waiting = [r for r in item.recipients if not store.was_sent(item.key, r)]
    held = [r for r in item.uncertain if not store.was_sent(item.key, r)]
    if force:
        waiting, held = list(dict.fromkeys(waiting + held)), []
    problems: list[Problem] = []
    if held:
        problems.append(Problem(
            f"may have been delivered to {', '.join(held)}: the server stopped answering after the "
            "message was sent; not sent again", file=str(item.payload),
            hint=_ASK.format(meta=item.meta.name)))
    remaining, sent, unsure = list(waiting), [], {}
    try:
        if waiting:
            for receipt in channel.deliver(Edition(item.key, item.payload), waiting):
                r = receipt.recipient
                if receipt.status == "sent":
                    store.mark_sent(item.key, [r], item.payload.name, when)
                    remaining.remove(r)
                    sent.append(r)
                elif receipt.status == "uncertain":
                    remaining.remove(r)
                    held.append(r)
                    unsure.setdefault(receipt.detail, []).append(r)
                else:
                    problems.append(Problem(f"{r}: refused by the server: {receipt.detail}", file=str(item.payload),
                                            hint="kept in the outbox; run 'briefgen send --retry'"))
    except BriefgenError as exc:  # the item stays as it was: said which one, and why
        problems.extend(p if p.file else replace(p, file=str(item.payload)) for p in exc.problems)
    finally:
        problems.extend(Problem(f"{', '.join(who)}: {detail}; not sent again", file=str(item.payload),
                                hint=_ASK.format(meta=item.meta.name))
                        for detail, who in unsure.items())
        outbox.update(item, remaining, held)
    return Report(item, tuple(sent), tuple(problems))
