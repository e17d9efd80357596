"""Unit tests of the deliver stage and the weekly run on small typed inputs: the outbox, the SMTP
transport's receipts, the channel registry (a toy channel used end to end), edition lookup."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest

from briefgen import pipeline, weekly
from briefgen.compose.history import History
from briefgen.config.schema import Audience, Delivery, Smtp
from briefgen.deliver import channels, outbox
from briefgen.deliver.channels import Edition, Receipt
from briefgen.deliver.smtp import SmtpTransport
from briefgen.effects import FixedClock
from briefgen.errors import OutputError

from conftest import ROOT
from test_delivery_faults import Faulty
from test_mail import sample_without_delivery

CLOCK = FixedClock(datetime(2023, 9, 18, 7, 0, tzinfo=timezone.utc))


class Toy:
    """A channel that keeps what it is given; it refuses anyone in `refuse`."""

    name, suffix = "toy", ".txt"
    log: list = []
    refuse: set = set()

    def __init__(self, delivery: Delivery, root: Path):
        self.delivery = delivery

    def recipients(self, rules: Delivery) -> list[str]:
        return list(rules.to)

    def prepare(self, brief, pdf: Path, rules: Delivery, key: str) -> bytes:
        return f"{brief.title} | {brief.audience} | {brief.period} | {pdf.name}".encode()

    def deliver(self, edition: Edition, recipients: list[str]):
        for r in recipients:
            Toy.log.append((edition.key, edition.payload.read_text(), r))
            yield Receipt(r, "refused" if r in Toy.refuse else "sent", "toy says no" if r in Toy.refuse else "ok")


@pytest.fixture
def toy_project(tmp_path):
    channels.register("toy", Toy)
    Toy.log, Toy.refuse = [], set()
    root = tmp_path / "p"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "config.yaml").write_text(sample_without_delivery() + """
delivery:
  sender: desk@example.org
  to: [desk@example.org]
  channels: [toy]
""")
    return root


def test_a_registered_channel_is_used_end_to_end_through_the_outbox(toy_project):
    root, out = toy_project, toy_project / "build"
    run = weekly.send(root / "config.yaml", out, week="2023-W37", clock=CLOCK)
    assert run.problems == () and run.sent == 2
    assert sorted(k for k, _, _ in Toy.log) == ["russia-and-north-korea/analyst/2023-W37/toy",
                                               "russia-and-north-korea/executive/2023-W37/toy"]
    assert any(text.startswith("Russia and North Korea | analyst | 11–17 September 2023 (week 37)")
               and text.endswith("russia-and-north-korea-2023-W37-analyst.pdf") for _, text, _ in Toy.log)
    assert len(list((out / "outbox" / "sent").glob("*.txt"))) == 2  # the payloads, archived
    again = weekly.send(root / "config.yaml", out, week="2023-W37", clock=CLOCK)
    assert again.sent == 0 and len(again.already) == 2 and len(Toy.log) == 2  # nobody twice


def test_a_refusal_in_a_channel_stays_in_the_outbox_until_retried(toy_project):
    root, out = toy_project, toy_project / "build"
    Toy.refuse = {"desk@example.org"}
    run = weekly.send(root / "config.yaml", out, week="2023-W37", audience="analyst", clock=CLOCK)
    assert run.sent == 0 and "desk@example.org: refused by the server: toy says no" in str(run.problems[0])
    Toy.refuse = set()
    retried = weekly.retry(root / "config.yaml", out, clock=CLOCK)
    assert retried.sent == 1 and retried.problems == ()
    assert weekly.retry(root / "config.yaml", out, clock=CLOCK).queued == ()


def test_an_unknown_channel_is_a_config_error(toy_project):
    config = toy_project / "config.yaml"
    config.write_text(config.read_text().replace("channels: [toy]", "channels: [pigeon]"))
    with pytest.raises(Exception, match="unknown delivery channel 'pigeon'"):
        weekly.send(config, toy_project / "build", week="2023-W37", clock=CLOCK)


def test_editions_are_found_by_exact_audience_id_never_by_suffix(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    config = (ROOT / "config.yaml").read_text()
    start, end = config.index("audiences:"), config.index("sources:")
    (root / "config.yaml").write_text(config[:start] + """audiences:
  - id: senior-analyst
    title: Senior
  - id: analyst
    title: Junior

""" + config[end:])
    result = pipeline.build(root / "config.yaml", root / "build", formats=("html", "json"), clock=CLOCK)
    assert result.file("html", "analyst").name == "russia-and-north-korea-analyst.html"
    assert result.file("json", "senior-analyst").name == "russia-and-north-korea-senior-analyst.json"
    assert result.file("pdf", "analyst") is None  # not built: no other edition's file instead


def test_item_names_differ_by_period_audience_and_recipients():
    names = {outbox.item_name(outbox.message_key("b", aud, week), "email", rcpt)
             for aud in ("exec", "restricted-exec") for week in ("2024-W37", "2024-W38")
             for rcpt in (["a@x.org"], ["a@x.org", "b@x.org"])}
    assert len(names) == 8
    assert outbox.item_name("b/exec/2024-W37", "email", ["b@x", "a@x"]) == \
        outbox.item_name("b/exec/2024-W37", "email", ["a@x", "b@x"])  # the order of a list is not a new list
    assert outbox.item_name("b/exec/2024-W37", "email", ["a@x"]).startswith("b-2024-W37-exec-")


def test_an_audience_has_its_own_recipients_and_subject():
    delivery = Delivery(sender="d@x.org", to=["all@x.org"], subject="{{ brief.title }}")
    own = outbox.for_audience(delivery, Audience(id="exec", to=["boss@x.org"], subject="For the boss"))
    assert own.to == ["boss@x.org"] and own.subject == "For the boss"
    assert outbox.for_audience(delivery, Audience(id="analyst")) == delivery


class Chan:
    name, suffix = "email", ".eml"


def test_the_outbox_never_overwrites_a_waiting_item_nor_an_archived_one(tmp_path):
    box = outbox.Outbox(tmp_path)
    first = box.put("w37", "b/a/2023-W37", Chan, b"first", ["a@x.org"])
    again = box.put("w37", "b/a/2023-W37", Chan, b"second", ["a@x.org"])
    assert again == first and first.payload.read_bytes() == b"first"
    box.update(first, [], [])
    second = box.put("w37", "b/a/2023-W37", Chan, b"second", ["a@x.org"])
    box.archive(second)
    assert sorted(p.read_bytes() for p in (tmp_path / "sent").iterdir()) == [b"first", b"second"]
    assert box.pending() == ([], [])


def test_a_damaged_item_is_one_problem_and_the_rest_are_listed(tmp_path):
    box = outbox.Outbox(tmp_path)
    good = box.put("good", "b/a/p", Chan, b"msg", ["a@x.org"])
    (tmp_path / "bad.json").write_text(json.dumps({"recipients": []}))  # no key
    items, problems = box.pending()
    assert items == [good] and len(problems) == 1
    assert str(problems[0]).startswith(f"{tmp_path / 'bad.json'}: damaged outbox entry, left as it is (KeyError")
    with pytest.raises(OutputError):
        box.find("bad")


def test_an_uncertain_recipient_is_held_until_forced(tmp_path):
    class Unsure:
        name, suffix, calls = "email", ".eml", []

        def deliver(self, edition, recipients):
            Unsure.calls.append(list(recipients))
            for r in recipients:
                yield Receipt(r, "sent" if r == "a@x.org" else "uncertain", "no reply after the message")

    box, store = outbox.Outbox(tmp_path / "box"), History(tmp_path)
    item = box.put("i", "b/a/p", Unsure, b"m", ["a@x.org", "b@x.org"])
    report = outbox.send(item, Unsure(), store, box, "now")
    assert report.sent == ("a@x.org",) and "b@x.org: no reply after the message; not sent again" in str(report.problems[0])
    (held,), _ = box.pending()
    assert held.recipients == () and held.uncertain == ("b@x.org",)
    assert outbox.send(held, Unsure(), store, box, "now").sent == () and len(Unsure.calls) == 1
    assert outbox.send(held, Unsure(), store, box, "now", force=True).sent == ()  # b is unsure again
    assert Unsure.calls[-1] == ["b@x.org"]


def _message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = "test", "desk@example.org", "a@example.org"
    msg.set_content(".leading dot\nline\n")
    return msg


@pytest.fixture
def faulty():
    srv = Faulty()
    srv.controller.start()
    yield srv
    srv.controller.stop()


def _transport(port: int, **cfg) -> SmtpTransport:
    return SmtpTransport(Smtp(host="127.0.0.1", port=port, security="none", timeout=5, retries=1, **cfg),
                         Path("."), backoff=0, sleep=lambda s: None)


def test_the_transport_hands_out_a_receipt_before_it_says_quit(faulty):
    faulty.reject = {"b@example.org"}
    faulty.quit_reply = "421 4.3.0 going away"
    receipts = _transport(faulty.port).send(_message(), "desk@example.org", ["a@example.org", "b@example.org"])
    first = next(receipts)
    assert first == Receipt("a@example.org", "sent", first.detail) and len(faulty.messages) == 1
    rest = list(receipts)  # QUIT answered 421: no error, no second message
    assert [(r.recipient, r.status) for r in rest] == [("b@example.org", "refused")]
    assert "550 5.1.1" in rest[0].detail and faulty.datas == 1
    assert b"\r\n..leading dot\r\n" not in faulty.messages[0][1]  # dots unstuffed by the server
    assert b".leading dot" in faulty.messages[0][1]


def test_the_transport_calls_a_drop_after_the_message_uncertain(faulty):
    faulty.drop = True
    receipts = list(_transport(faulty.port).send(_message(), "desk@example.org", ["a@example.org"]))
    assert [(r.recipient, r.status) for r in receipts] == [("a@example.org", "uncertain")]
    assert "may have been delivered" in receipts[0].detail and faulty.datas == 1


def test_the_transport_retries_a_drop_before_the_message(faulty):
    faulty.drop_at_rcpt = True
    with pytest.raises(Exception, match="delivery failed after 2 attempts"):
        list(_transport(faulty.port).send(_message(), "desk@example.org", ["a@example.org"]))
    assert faulty.datas == 0


def test_the_readme_names_what_make_brief_writes_and_documents_every_delivery_key(sample_build):
    readme = (ROOT / "README.md").read_text()
    _, result = sample_build  # what `make brief` builds: the sample config, no period
    for aud, paths in result.editions:
        stem = {p.stem for p in paths}.pop()
        assert f"build/{stem}.{{html,pdf,json}}" in readme, stem
    block = readme[readme.index("## E-mail delivery"):readme.index("## Performance")]
    for model in (Delivery, Smtp):
        for key in model.model_fields:
            assert f"  {key}:" in block, key
    for key in ("to", "cc", "bcc", "subject"):
        assert key in Audience.model_fields and f"  {key}:" in block, key


class Picky(Faulty):
    """Answers MAIL and the message with what the test says."""

    def __init__(self):
        super().__init__()
        self.mail_replies: list[str] = []
        self.data_reply: str | None = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.mail_replies:
            return self.mail_replies.pop(0)
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_reply:
            self.datas += 1
            return self.data_reply
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def picky():
    srv = Picky()
    srv.controller.start()
    yield srv
    srv.controller.stop()


def test_a_busy_sender_reply_is_retried_and_a_refusal_is_not(picky):
    picky.mail_replies = ["451 4.3.2 try again"]
    receipts = list(_transport(picky.port).send(_message(), "desk@example.org", ["a@example.org"]))
    assert [r.status for r in receipts] == ["sent"] and len(picky.messages) == 1
    picky.mail_replies = ["550 5.7.1 not you"]
    with pytest.raises(Exception, match="the server refused the sender: 550 5.7.1 not you"):
        list(_transport(picky.port).send(_message(), "desk@example.org", ["a@example.org"]))


def test_a_message_refused_after_its_final_dot_is_refused_not_uncertain(picky):
    picky.data_reply = "554 5.7.1 looks like spam"
    receipts = list(_transport(picky.port).send(_message(), "desk@example.org", ["a@example.org"]))
    assert [(r.status, r.detail) for r in receipts] == [
        ("refused", "the server refused the message: 554 5.7.1 looks like spam")]
    assert picky.datas == 1  # a refusal of the message is not retried within the run


def test_an_unknown_host_is_not_retried():
    transport = SmtpTransport(Smtp(host="no-such-host.invalid", port=25, security="none", retries=3), Path("."),
                              backoff=0, sleep=lambda s: pytest.fail("an unknown host must not be retried"))
    with pytest.raises(Exception, match="unknown mail server host 'no-such-host.invalid'"):
        list(transport.send(_message(), "desk@example.org", ["a@example.org"]))


def test_the_email_channel_prepares_the_message_and_delivers_it(tmp_path, faulty):
    from briefgen.deliver.email_channel import EmailChannel
    from briefgen.model import Brief

    brief = Brief(title="Test\r\nBcc: x@evil.org", slug="t", sections=(), sources=(),
                  built_at=datetime(2023, 9, 17, tzinfo=timezone.utc), version="0", period="week 37",
                  audience="exec", audience_title="Executive")
    pdf = tmp_path / "t-exec.pdf"
    pdf.write_bytes(b"%PDF-1.7 test")
    delivery = Delivery(sender="Desk <desk@example.org>", to=["Chief <chief@example.org>"], bcc=["arch@example.org"],
                        smtp=Smtp(host="127.0.0.1", port=faulty.port, security="none", retries=0))
    channel = EmailChannel(delivery, tmp_path)
    assert channel.recipients(delivery) == ["chief@example.org", "arch@example.org"]
    payload = tmp_path / "item.eml"
    payload.write_bytes(channel.prepare(brief, pdf, delivery, "t/exec/2023-W37"))
    receipts = list(channel.deliver(Edition("t/exec/2023-W37", payload), channel.recipients(delivery)))
    assert [r.status for r in receipts] == ["sent", "sent"]
    (rcpt, msg), = faulty.received()
    assert msg["Subject"] == "Test Bcc: x@evil.org – Executive: week 37" and msg["Bcc"] is None
    assert next(msg.iter_attachments()).get_content() == b"%PDF-1.7 test"


@pytest.mark.parametrize("bad", ["two@x.org, three@x.org", "no-at-sign", "a@b\r\nBcc: c@d", "<>"])
def test_an_address_is_one_mailbox_or_a_config_error(bad):
    from briefgen.deliver import mail
    from briefgen.errors import ConfigError

    with pytest.raises(ConfigError):
        mail.address(bad)
