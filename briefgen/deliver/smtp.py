"""EmailMessage + envelope → SMTP server → one Receipt per recipient: STARTTLS or TLS, retries.

The dialogue is split where a failure changes meaning:
- before the message's final dot (connect, TLS, login, MAIL, RCPT, DATA, the body itself),
  nothing can have been delivered: transient failures (dropped connection, timeout, 4xx) are
  retried with backoff, permanent ones (5xx, login, untrusted certificate, a server without
  STARTTLS, an unknown host) are not;
- after the final dot, while waiting for the server's reply (its own, longer timeout,
  `smtp.data_timeout`), a timeout or a dropped connection is *ambiguous*: the server may have
  delivered. Those recipients get an `uncertain` receipt and are never sent again
  automatically;
- a 250 after the final dot: the accepted recipients' receipts are handed out at once, before
  QUIT; an error on QUIT is logged and changes nothing.
"""

from __future__ import annotations

import io
import logging
import os
import re
import smtplib
import socket
import ssl
import time
from email.generator import BytesGenerator
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Iterator, Protocol

from .channels import Receipt
from ..config.schema import Smtp
from ..errors import DeliveryError, Problem

PORTS = {"starttls": 587, "tls": 465, "none": 25}
log = logging.getLogger("briefgen.deliver")


class Transport(Protocol):
    def send(self, msg: EmailMessage, sender: str, recipients: list[str]) -> Iterator[Receipt]:
        """Deliver; yield one receipt per recipient, each as soon as it is known."""


class _Transient(Exception):
    """A failure before the message could have been delivered: worth another attempt."""


class SmtpTransport:
    """A mail server from `delivery.smtp`; the password is read from the named variable."""

    def __init__(self, cfg: Smtp, root: Path, backoff: float = 2.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.cfg, self.root, self.backoff, self.sleep = cfg, root, backoff, sleep
        self.where = f"{cfg.host}:{cfg.port or PORTS[cfg.security]}"
        if cfg.security == "none" and cfg.username and not cfg.plaintext_login:
            raise self._error("security: none would send the password in clear",
                              "use security: starttls or tls, or set delivery.smtp.plaintext_login: true "
                              "if the link to the server is private")

    def send(self, msg: EmailMessage, sender: str, recipients: list[str]) -> Iterator[Receipt]:
        data = _flatten(msg)
        last, hint = None, None
        for attempt in range(self.cfg.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                smtp = self._connect()
            except _Transient as exc:
                last, hint = exc.args[0], exc.args[1] if len(exc.args) > 1 else None
                continue
            try:
                accepted, refused = self._envelope(smtp, sender, recipients, data)
            except _Transient as exc:
                _close(smtp)
                last, hint = exc.args[0], None
                continue
            except BaseException:
                _close(smtp)
                raise
            if accepted:  # the message's final dot is sent: from here on nothing is retried
                yield from self._outcome(smtp, accepted)
            else:
                self._quit(smtp)
            for r, reason in refused.items():
                yield Receipt(r, "refused", reason)
            return
        tries = self.cfg.retries + 1
        raise self._error(f"delivery failed after {tries} attempt{'s' if tries > 1 else ''} ({last})",
                          (f"{hint}; " if hint else "") +
                          "the message is kept in the outbox; run 'briefgen send --retry' later")

    def _envelope(self, smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes):
        """MAIL, RCPT, DATA and the message up to its final dot → (accepted, refused)."""
        try:
            options = ["SMTPUTF8", "BODY=8BITMIME"] if not (sender + "".join(recipients)).isascii() else []
            self._check(*smtp.mail(sender, options), "sender")
            refused = {}
            for r in recipients:
                code, text = smtp.rcpt(r)
                if code not in (250, 251):
                    refused[r] = _reply(code, text)
            accepted = [r for r in recipients if r not in refused]
            if not accepted:
                return [], refused
            self._check(*smtp.docmd("DATA"), "DATA", expect=354)
            smtp.send(data)  # raises before the final dot has left: nothing delivered
        except smtplib.SMTPResponseException as exc:
            raise _Transient(_reply(exc.smtp_code, exc.smtp_error)) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise _Transient(_describe(exc)) from None
        return accepted, refused

    def _outcome(self, smtp: smtplib.SMTP, accepted: list[str]) -> Iterator[Receipt]:
        try:
            smtp.sock.settimeout(self.cfg.data_timeout)
            code, text = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp)
            why = (f"the server stopped answering after the message was sent ({_describe(exc)}); "
                   "it may have been delivered")
            for r in accepted:
                yield Receipt(r, "uncertain", why)
            return
        if code == 250:
            for r in accepted:
                yield Receipt(r, "sent", _reply(code, text))
            self._quit(smtp)
            return
        _close(smtp)
        for r in accepted:  # the server said no to the message: it was not delivered
            yield Receipt(r, "refused", f"the server refused the message: {_reply(code, text)}")

    def _check(self, code: int, text: bytes, what: str, expect: int = 250) -> None:
        if code == expect:
            return
        if 400 <= code < 500 or code == -1:
            raise smtplib.SMTPResponseException(code, text)
        raise self._error(f"the server refused the {what}: {_reply(code, text)}")

    def _quit(self, smtp: smtplib.SMTP) -> None:
        try:
            code, text = smtp.quit()
            problem = None if code == 221 else _reply(code, text)
        except (smtplib.SMTPException, OSError) as exc:
            problem = _describe(exc)
            _close(smtp)
        if problem:  # the message was accepted already: only worth a note, never a resend
            log.warning("note: %s answered QUIT with %s; the message was accepted, nothing is resent",
                        self.where, problem)

    def _connect(self) -> smtplib.SMTP:
        """A connected, greeted, secured and logged-in session; `_Transient` when worth retrying."""
        cfg = self.cfg
        port = cfg.port or PORTS[cfg.security]
        context = ssl.create_default_context()
        if cfg.ca_file:
            context.load_verify_locations(cafile=str(self.root / cfg.ca_file))
        smtp = None
        try:
            if cfg.security == "tls":
                smtp = smtplib.SMTP_SSL(cfg.host, port, timeout=cfg.timeout, context=context)
            else:
                smtp = smtplib.SMTP(cfg.host, port, timeout=cfg.timeout)
                if cfg.security == "starttls":
                    smtp.ehlo()
                    if not smtp.has_extn("starttls"):
                        raise self._error("the server does not offer STARTTLS",
                                          "check delivery.smtp.port (465 is tls, 587 starttls) and "
                                          "delivery.smtp.security")
                    smtp.starttls(context=context)
            if cfg.username:
                smtp.login(cfg.username, self._password())
            smtp.ehlo_or_helo_if_needed()
            return smtp
        except BaseException as exc:
            if smtp is not None:
                _close(smtp)
            raise self._classify(exc) from None

    def _classify(self, exc: BaseException) -> BaseException:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return self._error(f"the server's certificate is not trusted ({exc.verify_message})",
                               "fix the server's certificate, or name its CA in delivery.smtp.ca_file")
        if isinstance(exc, ssl.SSLError):
            return self._error(f"TLS failed: {exc.reason or exc}", "check delivery.smtp.security and port")
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return self._error(f"login refused: {_reply(exc.smtp_code, exc.smtp_error)}",
                               "check delivery.smtp.username and the password variable")
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return self._error(f"the server does not support this: {exc}", "check delivery.smtp.security")
        if isinstance(exc, socket.gaierror):
            return self._error(f"unknown mail server host '{self.cfg.host}' ({exc.strerror})",
                               "check delivery.smtp.host")
        if isinstance(exc, smtplib.SMTPResponseException):
            if 400 <= exc.smtp_code < 500:
                return _Transient(_reply(exc.smtp_code, exc.smtp_error))
            return self._error(f"the server refused the connection: {_reply(exc.smtp_code, exc.smtp_error)}")
        if isinstance(exc, ConnectionRefusedError):
            return _Transient(_describe(exc), f"nothing answers at {self.where}: check delivery.smtp.host "
                                              "and delivery.smtp.port")
        if isinstance(exc, (smtplib.SMTPException, OSError)):
            return _Transient(_describe(exc))
        return exc

    def _password(self) -> str:
        name = self.cfg.password_env
        if not name or name not in os.environ:
            raise self._error(f"no password: environment variable {name or '(none named)'} is not set",
                              "set delivery.smtp.password_env to a variable that holds the password")
        return os.environ[name]

    def _error(self, message: str, hint: str | None = None) -> DeliveryError:
        return DeliveryError(Problem(message, key=self.where, hint=hint))


def _flatten(msg: EmailMessage) -> bytes:
    """The message as it goes on the wire: CRLF lines, leading dots doubled, ending in CRLF.CRLF."""
    buf = io.BytesIO()
    international = not all(str(v).isascii() for v in msg.values())
    BytesGenerator(buf, policy=msg.policy.clone(utf8=True) if international else msg.policy).flatten(
        msg, linesep="\r\n")
    data = re.sub(rb"(?m)^\.", b"..", buf.getvalue())
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _reply(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.close()
    except OSError:
        pass
