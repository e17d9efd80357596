"""EmailMessage + envelope → SMTP server: STARTTLS or TLS with verified certificates, retries.

Transient failures (dropped connection, timeout, 4xx replies) are retried with backoff;
permanent ones (5xx, authentication, untrusted certificate) are not. A recipient the server
refuses is reported by name; the others are delivered.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Protocol

from ..errors import DeliveryError, Problem
from ..config.schema import Smtp

PORTS = {"starttls": 587, "tls": 465, "none": 25}
TRANSIENT = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError,
             socket.timeout, TimeoutError)


class Transport(Protocol):
    def send(self, msg: EmailMessage, sender: str, recipients: list[str]) -> dict[str, str]:
        """Deliver; return the refused recipients with the server's reason."""


class SmtpTransport:
    """A mail server from `delivery.smtp`; the password is read from the named variable."""

    def __init__(self, cfg: Smtp, root: Path, backoff: float = 2.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.cfg, self.root, self.backoff, self.sleep = cfg, root, backoff, sleep

    def send(self, msg: EmailMessage, sender: str, recipients: list[str]) -> dict[str, str]:
        last = None
        for attempt in range(self.cfg.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with self._connect() as smtp:
                    refused = smtp.send_message(msg, from_addr=sender, to_addrs=recipients)
                return {r: f"{code} {text.decode(errors='replace')}" for r, (code, text) in refused.items()}
            except smtplib.SMTPRecipientsRefused as exc:
                return {r: f"{code} {text.decode(errors='replace')}" for r, (code, text) in exc.recipients.items()}
            except ssl.SSLCertVerificationError as exc:
                raise self._error(f"the server's certificate is not trusted ({exc.verify_message})",
                                  "fix the server's certificate, or name its CA in delivery.smtp.ca_file")
            except ssl.SSLError as exc:
                raise self._error(f"TLS failed: {exc.reason or exc}", "check delivery.smtp.security and port")
            except smtplib.SMTPAuthenticationError as exc:
                raise self._error(f"login refused: {exc.smtp_code} {exc.smtp_error.decode(errors='replace')}",
                                  "check delivery.smtp.username and the password variable")
            except smtplib.SMTPResponseException as exc:
                last = f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
                if not 400 <= exc.smtp_code < 500:
                    raise self._error(f"the server refused the message: {last}")
            except (*TRANSIENT, OSError) as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise self._error(f"delivery failed after {self.cfg.retries + 1} attempts ({last})",
                          "the message is kept in the outbox; run 'briefgen send --retry' later")

    def _connect(self) -> smtplib.SMTP:
        cfg = self.cfg
        port = cfg.port or PORTS[cfg.security]
        context = ssl.create_default_context()
        if cfg.ca_file:
            context.load_verify_locations(cafile=str(self.root / cfg.ca_file))
        if cfg.security == "tls":
            smtp = smtplib.SMTP_SSL(cfg.host, port, timeout=cfg.timeout, context=context)
        else:
            smtp = smtplib.SMTP(cfg.host, port, timeout=cfg.timeout)
            if cfg.security == "starttls":
                smtp.starttls(context=context)
        if cfg.username:
            smtp.login(cfg.username, self._password())
        return smtp

    def _password(self) -> str:
        name = self.cfg.password_env
        if not name or name not in os.environ:
            raise self._error(f"no password: environment variable {name or '(none named)'} is not set",
                              "set delivery.smtp.password_env to a variable that holds the password")
        return os.environ[name]

    def _error(self, message: str, hint: str | None = None) -> DeliveryError:
        return DeliveryError(Problem(message, key=f"{self.cfg.host}:{self.cfg.port or PORTS[self.cfg.security]}",
                                     hint=hint))
