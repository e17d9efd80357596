"""Delivery faults, end to end through the CLI, against real SMTP servers on 127.0.0.1 (aiosmtpd)
that fail at each step of the dialogue; and the outbox's promises: each recipient gets each
edition once, an ambiguous send is never repeated silently, nothing queued is overwritten."""

from __future__ import annotations

import asyncio
import json
import socket
from email import message_from_bytes, policy
from io import BytesIO

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from pypdf import PdfReader

from conftest import run_cli
from test_mail import Server, project


class Faulty(Server):
    """The test server, plus: QUIT answered with 421, a slow reply to the message, DATA counted."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.quit_reply: str | None = None
        self.delay = 0.0
        self.datas = 0  # every message the server got to its final dot, dropped or not

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.datas += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802
        return self.quit_reply or "221 Bye"


@pytest.fixture
def faulty():
    srv = Faulty()
    srv.controller.start()
    yield srv
    srv.controller.stop()


def outbox(root):
    return root / "build" / "outbox"


def test_accepted_then_421_on_quit_is_one_message_recorded_as_sent(tmp_path, faulty):
    root = project(tmp_path, faulty.port)
    faulty.quit_reply = "421 4.3.0 closing now"
    result = run_cli("send", "--week", "2023-W37", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "sent: every recipient has the brief" in result.stdout and "Traceback" not in result.stderr
    assert "answered QUIT with 421 4.3.0 closing now; the message was accepted, nothing is resent" in result.stderr
    assert len(faulty.messages) == 2 and faulty.datas == 2  # one per edition, no retry
    assert not list(outbox(root).glob("*.json"))  # nobody left waiting
    again = run_cli("send", "--retry", cwd=root)
    assert again.returncode == 0 and len(faulty.messages) == 2


def test_a_drop_after_the_message_is_reported_as_maybe_delivered_and_never_resent_silently(tmp_path, faulty):
    root = project(tmp_path, faulty.port)
    faulty.drop = True  # the whole message arrives, then the connection closes before the reply
    result = run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert faulty.datas == 1  # not resent within the run (retries: 1 in the config)
    assert "may have been delivered; not sent again" in result.stderr
    assert "briefgen send --retry --force" in result.stderr
    faulty.drop = False
    retried = run_cli("send", "--retry", cwd=root)  # an ordinary retry leaves it alone
    assert retried.returncode == 1 and faulty.datas == 1 and faulty.messages == []
    assert "may have been delivered" in retried.stderr
    rerun = run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root)  # so does a re-run
    assert rerun.returncode == 1 and faulty.datas == 1
    forced = run_cli("send", "--retry", "--force", cwd=root)  # only an explicit --force sends again
    assert forced.returncode == 0, forced.stderr
    assert len(faulty.messages) == 1 and len(faulty.messages[0][0]) == 4
    assert run_cli("send", "--retry", "--force", cwd=root).stdout.startswith("the outbox is empty")
    assert len(faulty.messages) == 1


def test_the_reply_to_the_message_has_its_own_longer_timeout(tmp_path, faulty):
    root = project(tmp_path, faulty.port)
    config = (root / "config.yaml").read_text().replace("    timeout: 10\n", "    timeout: 1\n")  # data_timeout: default
    (root / "config.yaml").write_text(config)
    faulty.delay = 2.5  # the server scans the message for longer than the ordinary timeout
    result = run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root)
    assert result.returncode == 0, result.stderr
    assert faulty.datas == 1 and len(faulty.messages) == 1


def test_a_server_without_starttls_is_a_config_error_not_retried(tmp_path, faulty):
    root = project(tmp_path, faulty.port, security="starttls")
    result = run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the server does not offer STARTTLS" in result.stderr
    assert "check delivery.smtp.port" in result.stderr
    assert "attempts" not in result.stderr and "later" not in result.stderr
    assert faulty.messages == []


def test_a_refused_connection_says_to_check_host_and_port(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there
    root = project(tmp_path, port)
    result = run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "ConnectionRefusedError" in result.stderr
    assert f"nothing answers at 127.0.0.1:{port}: check delivery.smtp.host and delivery.smtp.port" in result.stderr


def test_security_none_with_a_login_is_refused_before_any_password_is_sent(tmp_path):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((mechanism, auth_data))
        return AuthResult(success=True)

    srv = Server()
    srv.controller = Controller(srv, hostname="127.0.0.1", port=srv.port, authenticator=authenticator,
                                auth_require_tls=False)
    srv.controller.start()
    try:
        root = project(tmp_path, srv.port, extra="")
        config = (root / "config.yaml").read_text().replace(
            "    timeout: 10\n", "    timeout: 10\n    username: desk\n    password_env: BRIEF_TEST_PW\n")
        (root / "config.yaml").write_text(config)
        import os
        os.environ["BRIEF_TEST_PW"] = "s3cret"
        try:
            refused = run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root)
            assert refused.returncode == 1 and "Traceback" not in refused.stderr
            assert "security: none would send the password in clear" in refused.stderr
            assert "plaintext_login: true" in refused.stderr
            assert logins == [] and srv.messages == []
            (root / "config.yaml").write_text(config.replace("    username: desk\n",
                                                             "    username: desk\n    plaintext_login: true\n"))
            allowed = run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root)
            assert allowed.returncode == 0, allowed.stderr
            assert len(logins) == 1 and len(srv.messages) == 1
        finally:
            del os.environ["BRIEF_TEST_PW"]
    finally:
        srv.controller.stop()


RESTRICTED = """audiences:
  - id: restricted-exec
    title: Restricted summary
    marking: RESTRICTED // INNER CIRCLE
    to: [inner@example.org]
  - id: exec
    title: Public summary
    min_reliability: C
    to: [public@example.org]

"""


def test_a_restricted_edition_goes_only_to_its_own_list(tmp_path, faulty):
    root = project(tmp_path, faulty.port)
    config = (root / "config.yaml").read_text()
    start, end = config.index("audiences:"), config.index("sources:")
    (root / "config.yaml").write_text(config[:start] + RESTRICTED + config[end:])
    result = run_cli("send", "--week", "2023-W37", cwd=root)
    assert result.returncode == 0, result.stderr
    got = {}
    for rcpt, data in faulty.messages:
        msg = message_from_bytes(data, policy=policy.default)
        (attachment,) = list(msg.iter_attachments())
        for r in rcpt:
            got.setdefault(r, []).append((msg, attachment.get_content()))
    build = root / "build"
    public = (build / "russia-and-north-korea-2023-W37-exec.pdf").read_bytes()
    inner = (build / "russia-and-north-korea-2023-W37-restricted-exec.pdf").read_bytes()
    assert public != inner
    assert [pdf for _, pdf in got["public@example.org"]] == [public]
    assert [pdf for _, pdf in got["inner@example.org"]] == [inner]
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(got["public@example.org"][0][1])).pages)
    assert "RESTRICTED" not in text
    (msg, _), = got["public@example.org"]
    assert msg["To"] == "public@example.org" and "Public summary" in msg["Subject"]
    assert len(list((outbox(root) / "sent").glob("*.eml"))) == 2  # two messages, two files


def test_a_failed_week_is_not_overwritten_by_the_next(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    root = project(tmp_path, port)
    for week in ("2023-W37", "2023-W38"):  # the server is down for both
        assert run_cli("send", "--week", week, "--audience", "analyst", cwd=root).returncode == 1
    assert len(list(outbox(root).glob("*.eml"))) == 2
    srv = Faulty()
    srv.port = port
    srv.controller = Controller(srv, hostname="127.0.0.1", port=port)
    srv.controller.start()
    try:
        retried = run_cli("send", "--retry", cwd=root)
        assert retried.returncode == 0, retried.stderr
        subjects = sorted(m["Subject"] for _, m in srv.received())
        assert subjects == ["Russia and North Korea – Analyst brief: 11–17 September 2023 (week 37)",
                            "Russia and North Korea – Analyst brief: 18–24 September 2023 (week 38)"]
    finally:
        srv.controller.stop()


def test_a_damaged_outbox_entry_is_named_and_does_not_block_the_others(tmp_path, faulty):
    root = project(tmp_path, faulty.port)
    faulty.reject = {"analyst@example.org"}
    assert run_cli("send", "--week", "2023-W37", "--audience", "analyst", cwd=root).returncode == 1
    box = outbox(root)
    (box / "aaa-broken.json").write_text("{not json")
    (box / "aab-orphan.json").write_text(json.dumps({"key": "x/y/z", "recipients": ["a@example.org"]}))
    faulty.reject = set()
    result = run_cli("send", "--retry", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "aaa-broken.json: damaged outbox entry, left as it is" in result.stderr
    assert "aab-orphan.json: the message aab-orphan.eml of this outbox entry is missing" in result.stderr
    assert [r for r, _ in faulty.messages][-1] == ["analyst@example.org"]  # the good one went out
    assert (box / "aaa-broken.json").read_text() == "{not json"  # left as it was


def test_two_weekly_runs_keep_both_weeks_pdfs_and_sent_archives(tmp_path, faulty):
    root = project(tmp_path, faulty.port)
    for week in ("2023-W37", "2023-W38"):
        result = run_cli("weekly", "--week", week, cwd=root)
        assert result.returncode == 0, result.stderr
    build = root / "build"
    assert sorted(p.name for p in build.glob("*.pdf")) == [
        "russia-and-north-korea-2023-W37-analyst.pdf", "russia-and-north-korea-2023-W37-executive.pdf",
        "russia-and-north-korea-2023-W38-analyst.pdf", "russia-and-north-korea-2023-W38-executive.pdf"]
    sent = sorted(p.name for p in (outbox(root) / "sent").glob("*.eml"))
    assert len(sent) == 4 and sum("2023-W37" in n for n in sent) == 2
    data = json.loads((build / "russia-and-north-korea-2023-W38-analyst.json").read_text())
    assert data["date"] == "2023-09-24"  # the end of the week, not the config's fixed date


def test_sending_again_says_nothing_was_sent(tmp_path, faulty):
    root = project(tmp_path, faulty.port)
    assert run_cli("send", "--week", "2023-W37", cwd=root).returncode == 0
    again = run_cli("send", "--week", "2023-W37", cwd=root)
    assert again.returncode == 0, again.stderr
    assert "queued" not in again.stdout and "sent: every recipient has the brief" not in again.stdout
    assert "already sent: russia-and-north-korea-2023-W37-analyst-" in again.stdout
    assert again.stdout.strip().endswith("nothing sent: every recipient already has the brief")
    empty = run_cli("send", "--retry", cwd=root)
    assert empty.returncode == 0 and empty.stdout == "the outbox is empty: nothing to send\n"
    assert len(faulty.messages) == 2


def test_weekly_dry_run_writes_messages_and_sends_nothing(tmp_path, faulty):
    root = project(tmp_path, faulty.port)
    result = run_cli("weekly", "--week", "2023-W37", "--dry-run", cwd=root)
    assert result.returncode == 0, result.stderr
    assert faulty.messages == [] and "dry run: nothing sent" in result.stdout
    emls = sorted((outbox(root) / "dry-run").glob("*.eml"))
    assert len(emls) == 2 and not list(outbox(root).glob("*.json"))
    msg = message_from_bytes(emls[0].read_bytes(), policy=policy.default)
    assert next(msg.iter_attachments()).get_filename() == "russia-and-north-korea-2023-W37-analyst.pdf"


def test_two_sends_at_once_deliver_each_message_once(tmp_path, faulty):
    import subprocess
    import sys

    root = project(tmp_path, faulty.port)
    faulty.delay = 1.5  # the first sender is still in the middle of its message when the second is ready
    procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "send", "--week", "2023-W37", "--audience",
                               "analyst"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert len(faulty.messages) == 1 and faulty.datas == 1
    assert sum("nothing sent: every recipient already has the brief" in out for out, _ in outs) == 1
