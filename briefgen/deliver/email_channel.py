"""Brief + its PDF → an e-mail (.eml in the outbox) → its recipients over SMTP: the `email` channel.

`prepare` composes the message (subject from a template, HTML with CSS inlined and text
bodies, the PDF attached); `deliver` hands it to the SMTP transport and passes on one receipt
per recipient as soon as the server has answered for it.
"""

from __future__ import annotations

import hashlib
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Iterator

import jinja2

from . import mail
from .channels import Edition, Receipt, register
from .smtp import SmtpTransport, Transport
from ..config.schema import Delivery
from ..errors import Problem, RenderError
from ..model import Brief


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


class EmailChannel:
    """E-mail through `delivery.smtp` (or the transport given, in tests)."""

    name, suffix = "email", ".eml"

    def __init__(self, delivery: Delivery, root: Path, transport: Transport | None = None):
        self.delivery, self.root = delivery, root
        self.transport = transport or SmtpTransport(delivery.smtp, root)

    def recipients(self, rules: Delivery) -> list[str]:
        """Every recipient's bare address: to, cc and bcc (bcc never appears in a header)."""
        return list(dict.fromkeys(mail.address(a).addr_spec for a in [*rules.to, *rules.cc, *rules.bcc]))

    def prepare(self, brief: Brief, pdf: Path, rules: Delivery, key: str) -> bytes:
        from ..render.html import environment

        env = environment(self.root, brief.audience)
        return bytes(compose(brief, pdf.name, pdf.read_bytes(), rules, env, key))

    def deliver(self, edition: Edition, recipients: list[str]) -> Iterator[Receipt]:
        msg = BytesParser(policy=policy.default).parsebytes(edition.payload.read_bytes())
        yield from self.transport.send(msg, mail.address(self.delivery.sender).addr_spec, recipients)


register("email", EmailChannel)
