"""Brief + its PDF → e-mail in the outbox → sent once to each recipient through a Transport.

Every message is written to the outbox (an .eml file and a small JSON of who still has to get
it) before anything is sent. A recipient is marked sent in the history store only when the
server accepted it, so re-running the same period sends nothing twice, and a failure leaves
the message in the outbox for `briefgen send --retry`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path

import jinja2

from . import mail
from ..effects import AtomicWriter
from ..errors import Problem, RenderError
from ..compose.history import History
from ..model import Brief
from ..config.schema import Delivery
from .smtp import Transport


@dataclass(frozen=True)
class Queued:
    """A message in the outbox."""

    key: str  # slug/audience/period: the same brief for the same period is one message
    eml: Path
    recipients: tuple[str, ...]  # envelope recipients not yet accepted by the server


def compose(brief: Brief, pdf_name: str, pdf: bytes, delivery: Delivery, env: jinja2.Environment,
            key: str) -> EmailMessage:
    """The message: subject from a template, HTML (CSS inlined) and text bodies, the PDF attached."""
    import css_inline

    try:
        subject_tpl = env.from_string(delivery.subject) if delivery.subject else env.get_template("subject.txt")
        subject = subject_tpl.render(brief=brief)
        context = {"brief": brief, "attachment": pdf_name}
        text = env.get_template("email.txt").render(**context)
        html = css_inline.inline(env.get_template("email.html").render(**context))
    except jinja2.TemplateError as exc:
        raise RenderError(Problem(f"e-mail template error: {exc}", file=getattr(exc, "filename", None),
                                  line=getattr(exc, "lineno", None))) from exc
    msg = mail.message(subject, delivery.sender, delivery.to)
    if delivery.cc:
        msg["Cc"] = [mail.address(a, "cc") for a in delivery.cc]
    msg["Date"] = format_datetime(brief.built_at)
    domain = mail.address(delivery.sender).domain
    msg["Message-ID"] = make_msgid(idstring=hashlib.sha1(key.encode()).hexdigest()[:12], domain=domain)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return msg


def for_audience(delivery: Delivery, audience) -> Delivery:
    """The delivery rules for one edition: its own recipients when it names any."""
    if audience is None or not (audience.to or audience.cc or audience.bcc):
        return delivery
    return delivery.model_copy(update={"to": audience.to or delivery.to, "cc": audience.cc,
                                       "bcc": audience.bcc})


def envelope(delivery: Delivery) -> list[str]:
    """Every recipient's bare address: to, cc and bcc (bcc never appears in a header)."""
    return list(dict.fromkeys(mail.address(a).addr_spec for a in [*delivery.to, *delivery.cc, *delivery.bcc]))


class Outbox:
    """A folder of messages waiting to be sent; sent ones move to `sent/`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.writer = AtomicWriter(self.folder)

    def put(self, name: str, key: str, msg: EmailMessage, recipients: list[str]) -> Queued:
        eml = self.writer.write(f"{name}.eml", bytes(msg))
        self._meta(eml, key, recipients)
        return Queued(key, eml, tuple(recipients))

    def pending(self) -> list[Queued]:
        out = []
        for meta in sorted(self.folder.glob("*.json")):
            data = json.loads(meta.read_text())
            out.append(Queued(data["key"], meta.with_suffix(".eml"), tuple(data["recipients"])))
        return out

    def update(self, item: Queued, remaining: list[str]) -> None:
        if remaining:
            self._meta(item.eml, item.key, remaining)
            return
        sent = self.folder / "sent"
        sent.mkdir(exist_ok=True)
        item.eml.replace(sent / item.eml.name)
        item.eml.with_suffix(".json").unlink(missing_ok=True)

    def _meta(self, eml: Path, key: str, recipients: list[str]) -> None:
        self.writer.write(eml.with_suffix(".json").name,
                          json.dumps({"key": key, "recipients": recipients}, indent=1).encode())


def send(item: Queued, transport: Transport, sender: str, store: History, outbox: Outbox,
         when: str) -> list[Problem]:
    """Send `item` to its recipients not yet served; record the accepted ones; report the rest."""
    todo = [r for r in item.recipients if not store.was_sent(item.key, r)]
    if not todo:
        outbox.update(item, [])
        return []
    msg = BytesParser(policy=policy.default).parsebytes(item.eml.read_bytes())
    try:
        refused = transport.send(msg, mail.address(sender).addr_spec, todo)
    except Exception:
        outbox.update(item, todo)
        raise
    accepted = [r for r in todo if r not in refused]
    store.mark_sent(item.key, accepted, msg["Message-ID"], when)
    outbox.update(item, [r for r in todo if r in refused])
    return [Problem(f"{r}: refused by the server: {reason}", file=str(item.eml),
                    hint="kept in the outbox; run 'briefgen send --retry'") for r, reason in refused.items()]
