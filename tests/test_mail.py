"""Weekly e-mail against a real SMTP server on 127.0.0.1 (aiosmtpd), started by the tests."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller

from conftest import ROOT, run_cli

DELIVERY = """
delivery:
  sender: Brief Desk <desk@example.org>
  to: [Chief <chief@example.org>, analyst@example.org]
  cc: [deputy@example.org]
  bcc: [archive@example.org]
  smtp:
    host: 127.0.0.1
    port: {port}
    security: {security}
    retries: 1
    timeout: 10
{extra}"""


class Server:
    """An SMTP server that records what it accepts, and can refuse a recipient or drop connections."""

    def __init__(self, tls_context=None):
        self.messages: list[tuple[list[str], bytes]] = []
        self.reject: set[str] = set()
        self.drop = False  # close the connection after the message, before the reply (ambiguous)
        self.drop_at_rcpt = False  # close it before the message is sent (nothing delivered)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        kwargs = {"tls_context": tls_context, "require_starttls": True} if tls_context else {}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.drop_at_rcpt:
            server.transport.close()
            return "250 never seen"
        if address in self.reject:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.drop:
            server.transport.close()
            return "250 never seen"
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def received(self) -> list:
        return [(rcpt, message_from_bytes(data, policy=policy.default)) for rcpt, data in self.messages]


@pytest.fixture
def server():
    srv = Server()
    srv.controller.start()
    yield srv
    srv.controller.stop()


def sample_without_delivery() -> str:
    """The sample config without its (server-less) delivery: section, for tests to add their own."""
    return (ROOT / "config.yaml").read_text().split("\ndelivery:")[0] + "\n"


def project(tmp_path: Path, port: int, security: str = "none", extra: str = "") -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    config = sample_without_delivery()
    (root / "config.yaml").write_text(config + DELIVERY.format(port=port, security=security, extra=extra))
    return root


def test_the_brief_arrives_with_subject_recipients_bodies_and_the_pdf(tmp_path, server):
    root = project(tmp_path, server.port)
    result = run_cli("send", "--week", "2023-W37", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "sent: every recipient has the brief" in result.stdout
    assert len(server.messages) == 2  # one per edition: executive and analyst
    (rcpt, msg) = next((r, m) for r, m in server.received()
                       if next(m.iter_attachments()).get_filename().endswith("-analyst.pdf"))
    assert sorted(rcpt) == ["analyst@example.org", "archive@example.org", "chief@example.org", "deputy@example.org"]
    assert msg["Subject"] == "Russia and North Korea – Analyst brief: 11–17 September 2023 (week 37)"
    assert msg["To"] == "Chief <chief@example.org>, analyst@example.org"
    assert msg["Cc"] == "deputy@example.org" and msg["Bcc"] is None
    assert msg["From"] == "Brief Desk <desk@example.org>" and msg["Message-ID"].endswith("@example.org>")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "The brief is attached as russia-and-north-korea-2023-W37-analyst.pdf." in text
    assert "<style" not in html and 'style="' in html  # CSS inlined for mail clients
    assert "russia-and-north-korea-2023-W37-analyst.pdf" in html
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "russia-and-north-korea-2023-W37-analyst.pdf"
    assert attachment.get_content() == (root / "build" / "russia-and-north-korea-2023-W37-analyst.pdf").read_bytes()
    assert len(list((root / "build" / "outbox" / "sent").glob("*.eml"))) == 2  # kept as sent
    again = run_cli("send", "--week", "2023-W37", cwd=root)  # the same week again: nobody twice
    assert again.returncode == 0 and len(server.messages) == 2


def test_dry_run_writes_an_eml_that_parses_into_the_same_parts(tmp_path, server):
    root = project(tmp_path, server.port)
    result = run_cli("send", "--week", "2023-W37", "--dry-run", "--outbox", "preview", cwd=root)
    assert result.returncode == 0, result.stderr
    assert server.messages == []
    names = sorted(p.name for p in (root / "preview").glob("*.eml"))
    assert len(names) == 2 and names[0].startswith("russia-and-north-korea-2023-W37-analyst-")
    assert names[1].startswith("russia-and-north-korea-2023-W37-executive-")
    eml = root / "preview" / names[0]
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    assert msg["Subject"].startswith("Russia and North Korea")
    assert not list((root / "preview").glob("*.json"))  # a preview is not queued for --retry


def test_a_refused_recipient_stays_in_the_outbox_and_retry_delivers_once(tmp_path, server):
    root = project(tmp_path, server.port)
    server.reject = {"analyst@example.org"}
    result = run_cli("send", "--week", "2023-W37", cwd=root)
    assert result.returncode == 1
    assert "error: " in result.stderr and "analyst@example.org: refused by the server: 550 5.1.1 No such user here" in result.stderr
    assert "Traceback" not in result.stderr
    metas = list((root / "build" / "outbox").glob("*.json"))
    assert len(metas) == 2 and all(json.loads(m.read_text())["recipients"] == ["analyst@example.org"] for m in metas)
    assert all(sorted(m[0]) == ["archive@example.org", "chief@example.org", "deputy@example.org"] for m in server.messages)
    server.reject = set()
    retried = run_cli("send", "--retry", cwd=root)
    assert retried.returncode == 0, retried.stderr
    assert [m[0] for m in server.messages[2:]] == [["analyst@example.org"], ["analyst@example.org"]]
    assert run_cli("send", "--retry", cwd=root).stdout.startswith("the outbox is empty")
    assert len(server.messages) == 4  # each recipient exactly once per edition


def test_a_dropped_connection_leaves_the_message_for_retry(tmp_path, server):
    root = project(tmp_path, server.port)
    server.drop_at_rcpt = True  # before the message: it cannot have been delivered
    result = run_cli("send", "--week", "2023-W37", cwd=root)
    assert result.returncode == 1
    assert "delivery failed after 2 attempts (SMTPServerDisconnected" in result.stderr
    assert "run 'briefgen send --retry' later" in result.stderr and "Traceback" not in result.stderr
    assert list((root / "build" / "outbox").glob("*.eml")) and server.messages == []
    server.drop_at_rcpt = False
    assert run_cli("send", "--retry", cwd=root).returncode == 0
    assert len(server.messages) == 2 and all(len(m[0]) == 4 for m in server.messages)


def test_starttls_with_a_self_signed_certificate_is_refused_unless_its_ca_is_trusted(tmp_path):
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_ctx)
    srv = Server(tls_context=server_ctx)
    srv.controller.start()
    try:
        root = project(tmp_path, srv.port, security="starttls")
        refused = run_cli("send", "--week", "2023-W37", cwd=root)
        assert refused.returncode == 1
        assert "the server's certificate is not trusted" in refused.stderr and srv.messages == []
        ca.cert_pem.write_to_path(str(root / "test-ca.pem"))
        (root / "config.yaml").write_text((root / "config.yaml").read_text().replace(
            "    timeout: 10\n", "    timeout: 10\n    ca_file: test-ca.pem\n"))
        accepted = run_cli("send", "--week", "2023-W37", "--audience", "executive", cwd=root)
        assert accepted.returncode == 0, accepted.stderr
        assert len(srv.messages) == 1
    finally:
        srv.controller.stop()


def test_a_title_with_line_breaks_yields_one_clean_subject(tmp_path, server):
    root = project(tmp_path, server.port)
    config = (root / "config.yaml").read_text().replace(
        "  title: Russia and North Korea\n", '  title: "Weekly\\r\\nBcc: spy@example.com\\r\\nX-Evil: 1"\n')
    (root / "config.yaml").write_text(config)
    assert run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root).returncode == 0
    (rcpt, msg), = server.received()
    assert "spy@example.com" not in rcpt and msg["X-Evil"] is None and msg["Bcc"] is None
    assert msg["Subject"].startswith("Weekly Bcc: spy@example.com X-Evil: 1")


def test_two_consecutive_weeks_say_what_changed(tmp_path, server):
    root = project(tmp_path, server.port)
    # Issue 12: the judge now reads source 1's hedged refusal as `reports`; the analyst's override
    # keeps it asserting, so the claim still moves from single-source to unconfirmed between weeks.
    config = (root / "config.yaml").read_text()
    claim = "    statement: Russia has decided not to supply North Korea with arms.\n"
    assert claim in config
    (root / "config.yaml").write_text(config.replace(claim, claim + "    asserted_by: [refusal-claim]\n"))
    first = run_cli("build", "--week", "2023-W37", "--format", "json,html", cwd=root)
    assert first.returncode == 0, first.stderr
    html = (root / "build" / "russia-and-north-korea-2023-W37-analyst.html").read_text()
    assert "This is the first brief of this series: there is no earlier brief to compare with." in html
    second = run_cli("build", "--week", "2023-W38", "--format", "json,html", cwd=root)
    assert second.returncode == 0, second.stderr
    data = json.loads((root / "build" / "russia-and-north-korea-2023-W38-analyst.json").read_text())
    assert data["period"] == "18–24 September 2023 (week 38)"
    assert [s["id"] for s in data["sources"]] == ["kim-follow-up"]
    assert data["changes"] == {
        "previous": "11–17 September 2023 (week 37)",
        "new_sources": ["Kim Jong-un Takes Action to Strengthen Relations with Russia Despite U.S. and Seoul's Warnings of Weapons Deals"],
        "dropped_sources": ["Russian Decision Not to Supply North Korea with Arms: A Significant Shift in Global Security",
                            "Putin's North Korea visit raises concerns over military cooperation and technology sharing"],
        "new_points": data["changes"]["new_points"],
        "status_changes": [["Russia has decided not to supply North Korea with arms.", "single-source", "unconfirmed"]],
    }
    assert len(data["changes"]["new_points"]) >= 5
    html = (root / "build" / "russia-and-north-korea-2023-W38-analyst.html").read_text()
    assert "Compared with the brief for 11–17 September 2023 (week 37)." in html
    assert "single source → unconfirmed" in html


def test_weekly_builds_and_sends_the_given_week_once(tmp_path, server):
    root = project(tmp_path, server.port)
    for _ in range(2):
        result = run_cli("weekly", "--week", "2023-W38", cwd=root)
        assert result.returncode == 0, result.stderr
    assert len(server.messages) == 2  # two editions, once each
    assert {m["Subject"] for _, m in server.received()} == {  # each edition says who it is for
        "Russia and North Korea – Executive summary: 18–24 September 2023 (week 38)",
        "Russia and North Korea – Analyst brief: 18–24 September 2023 (week 38)"}


def test_weekly_without_delivery_config_says_what_to_add(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "config.yaml").write_text(sample_without_delivery())
    result = run_cli("weekly", "--week", "2023-W37", cwd=root)
    assert result.returncode == 1
    assert "the config has no 'delivery:' section (add delivery: with sender, to and smtp (see README))" in result.stderr


def test_the_sample_shows_delivery_with_a_dry_run_and_no_server(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    result = run_cli("send", "--dry-run", cwd=root)
    assert result.returncode == 0, result.stderr
    emls = sorted((root / "build" / "outbox" / "dry-run").glob("*.eml"))
    assert [p.name.rsplit("-", 1)[0] for p in emls] == ["russia-and-north-korea-all-analyst",
                                                        "russia-and-north-korea-all-executive"]
    for eml, audience in zip(emls, ("analyst", "executive")):
        msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert msg["To"] == "Analysts <analysts@example.org>"
        (pdf,) = list(msg.iter_attachments())
        assert pdf.get_content() == (root / "build" / f"russia-and-north-korea-{audience}.pdf").read_bytes()
    assert "dry run: nothing sent" in result.stdout
