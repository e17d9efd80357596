"""The LLM stance judge against a local chat-completions server that each test starts on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.analysis import claims, evidence
from briefgen.cache import Cache
from briefgen.effects import FixedClock
from conftest import BUILT_AT, ROOT

KEY = "sk-test-never-show-7f3a9c"


class Server:
    """Answers each POST with the next scripted reply: (status, body) or ("sleep", seconds)."""

    def __init__(self, replies):
        self.replies, self.requests = list(replies), []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append((dict(self.headers), body))
                reply = server.replies[min(len(server.requests), len(server.replies)) - 1]
                if reply[0] == "sleep":
                    time.sleep(reply[1])
                    reply = (200, _chat('{"label": "asserts", "sentences": [1]}'))
                status, text = reply
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1/chat/completions"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _chat(content: str) -> str:
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})


GOOD = (200, _chat('{"label": "asserts", "sentences": [1], "confidence": 0.9}'))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The sample copied to tmp_path, its config set to the llm judge at a server made per test."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.setenv("BRIEFGEN_TEST_LLM_KEY", KEY)
    servers = []

    def make(replies, timeout=2, retries=1, budget=200):
        server = Server(replies)
        servers.append(server)
        text = (ROOT / "config.yaml").read_text(encoding="utf-8")
        text = text.replace("stance:\n  discover: 3", (
            f"stance:\n  discover: 0\n  judge: llm\n  endpoint: {server.url}\n  model: test-model\n"
            f"  api_key_env: BRIEFGEN_TEST_LLM_KEY\n  timeout: {timeout}\n  retries: {retries}\n  budget: {budget}"))
        assert "judge: llm" in text
        (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
        return server, tmp_path / "config.yaml"

    yield make
    for s in servers:
        s.close()


def judged(config: Path, store: Cache | None = None):
    cfg, corpus = pipeline.validate(config)
    passages = evidence.split(corpus.articles)
    return [st for c in claims.assess(cfg, corpus, passages, store=store) for st in c.stances]


def test_a_good_answer_decides_every_cell_with_its_cited_sentence(project):
    server, config = project([GOOD])
    stances = judged(config)
    assert stances and all(st.judge == "llm" and st.stance == "asserts" for st in stances)
    assert all(st.confidence == 0.9 and st.deciding and st.citation == st.deciding[0] for st in stances)
    sent = server.requests[0][1]["messages"]
    assert "asserts: the article presents the claim as true" in sent[0]["content"]
    assert f"1. {stances[0].citation.quote}" in "".join(m["content"] for m in server.requests[0][1]["messages"]) \
        or any(f"1. {st.citation.quote}" in json.dumps(r[1]) for st in stances for r in server.requests)
    assert server.requests[0][0]["Authorization"] == f"Bearer {KEY}"  # the key is sent, as a header only


@pytest.mark.parametrize("content, why", [
    ("I think it asserts the claim.", "not JSON"),
    ('{"label": "asserts", "sentences": [99]}', "cites a sentence that was not sent"),
    ('{"label": "believes", "sentences": [1]}', "no known label"),
])
def test_a_bad_answer_falls_back_to_the_lexical_judge(project, content, why, caplog):
    server, config = project([(200, _chat(content))])
    with caplog.at_level(logging.WARNING, logger="briefgen.stance.llm"):
        stances = judged(config)
    assert stances and all(st.judge == "lexical" for st in stances)
    assert why in caplog.text


def test_a_timeout_falls_back(project):
    server, config = project([("sleep", 2.0)], timeout=0.5, retries=0)
    stances = judged(config)
    assert stances and all(st.judge == "lexical" for st in stances)


def test_429_then_success_is_retried(project):
    server, config = project([(429, '{"error": "slow down"}'), GOOD])
    stances = judged(config)
    assert all(st.judge == "llm" for st in stances)
    assert len(server.requests) == len(stances) + 1  # one retry, then one request per cell


def test_500_forever_falls_back_and_the_build_succeeds_saying_so(project, tmp_path, caplog):
    server, config = project([(500, "{}")], retries=2)
    with caplog.at_level(logging.WARNING):
        result = pipeline.build(config, tmp_path / "out", clock=FixedClock(BUILT_AT))
    html = next(p for p in result.written if p.name.endswith("analyst.html")).read_text(encoding="utf-8")
    note = re.search(r'class="judges">([^<]*)', html).group(1)
    assert re.fullmatch(r"Stances on claims judged on each whole article by: the lexical judge, \d+ cells\.", note)
    assert len(server.requests) == 3 * 3  # three cells tried (1 + 2 retries each), then no more asks
    assert "HTTP 500" in caplog.text


def test_a_rebuild_is_served_from_the_cache_and_the_key_is_never_written(project, tmp_path, caplog, capsys):
    server, config = project([GOOD])
    out = tmp_path / "out"
    with caplog.at_level(logging.DEBUG):
        first = pipeline.build(config, out, clock=FixedClock(BUILT_AT))
        asked = len(server.requests)
        assert asked > 0
        again = pipeline.build(config, out, clock=FixedClock(BUILT_AT), use_cache=False)
    assert not again.cached and len(server.requests) == asked  # no request on the rebuild
    html = next(p for p in again.written if p.name.endswith("analyst.html")).read_text(encoding="utf-8")
    note = re.search(r'class="judges">([^<]*)', html).group(1)
    assert re.fullmatch(r"Stances on claims judged on each whole article by: the llm judge, \d+ cells\.", note)
    assert list((out / ".briefgen" / "cache" / "llm").glob("*.json"))
    for path in out.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in caplog.text and KEY not in "".join(capsys.readouterr())
    assert first.written


def test_the_llm_judge_needs_its_endpoint_and_its_key(project, monkeypatch):
    from briefgen.errors import ConfigError

    server, config = project([GOOD])
    monkeypatch.delenv("BRIEFGEN_TEST_LLM_KEY")
    with pytest.raises(ConfigError, match="BRIEFGEN_TEST_LLM_KEY is not set"):
        judged(config)
    assert not server.requests
