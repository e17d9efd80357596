"""(claim, passages of one source) → Verdict from an OpenAI-compatible chat-completions endpoint.

Config: `stance: {judge: llm, endpoint: URL, model: NAME, api_key_env: VAR}` (the name of the
environment variable holding the key, never the key; a local server may need none), and
`timeout`, `retries`, `budget` (requests per build). The judge sends the label definitions, the
claim and the source's passages numbered 1..n, and accepts only a JSON answer
`{"label": "asserts|disputes|reports|none", "sentences": [numbers], "confidence": 0-1}` whose
label is in the vocabulary and whose numbers were sent (with at least one for a stance).

Answers are cached by a hash of what was sent (model, endpoint, messages; never the key), so a
rebuild makes no request. 429 and 5xx answers and timeouts are retried `retries` times with a
short back-off; after three cells fail in a row, or once the budget is spent, the rest of the
build does not ask. On any failure that cell falls back to the lexical judge; `decided` counts
which judge decided how many cells, for the Method note.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
import urllib.error
import urllib.request
from collections import Counter

from ...errors import ConfigError, Problem
from ..retrieval import Hit, Query
from . import LABELS, Verdict, register
from .lexical import LexicalJudge

log = logging.getLogger("briefgen.stance.llm")

DEFINITIONS = """You judge where a news article stands on a claim, from the article's sentences about it.
Labels (judge the whole article, not one sentence):
- asserts: the article presents the claim as true, in its own voice or as established.
- disputes: it presents the claim as false: debunks it, states the opposite as fact, or leads with an
  authoritative refutation and gives the claim no support.
- reports: it mentions the claim without taking a side: attributed ("X said", "according to",
  "claimed"), hedged, predicted, or claim and denial given side by side.
- none: it is not about the claim (for example a different event, or the reverse direction).
Answer with JSON only: {"label": "<label>", "sentences": [<numbers of the 1-2 sentences that decide it>],
"confidence": <0 to 1>}."""


class Failure(Exception):
    """The endpoint gave no usable answer for this cell."""


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str]:
    """POST `body`; (HTTP status, response text). Raises TimeoutError or OSError."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace") if e.fp else ""
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError) or "timed out" in str(e.reason):
            raise TimeoutError(str(e.reason)) from None
        raise OSError(str(e.reason)) from None


@register("llm")
class LLMJudge:
    """Asks the configured endpoint; the lexical judge answers where it cannot."""

    name = "llm"
    standalone = False  # needs an endpoint: not run by `make eval` unless asked for

    def __init__(self, rules=None, store=None, transport=post, sleep=time.sleep, env=None, **_):
        if rules is None or not rules.endpoint or not rules.model:
            raise ConfigError(Problem("the llm stance judge needs stance.endpoint and stance.model",
                                      key="stance.judge", hint="or use judge: lexical"))
        self.rules, self.store, self.transport, self.sleep = rules, store, transport, sleep
        env = os.environ if env is None else env
        self._key = env.get(rules.api_key_env, "") if rules.api_key_env else ""
        if rules.api_key_env and not self._key:
            raise ConfigError(Problem(f"environment variable {rules.api_key_env} is not set",
                                      key="stance.api_key_env", hint="export it, or point api_key_env elsewhere"))
        self.fallback = LexicalJudge(rules)
        self.requests, self.failed_in_row = 0, 0
        self.decided: Counter[str] = Counter()  # judge name → cells decided
        self.failures: Counter[str] = Counter()  # reason → cells that fell back

    def judge(self, q: Query, hits: tuple[Hit, ...]) -> Verdict:
        messages = _messages(q, hits)
        key = hashlib.sha256(json.dumps([self.rules.model, self.rules.endpoint, messages]).encode()).hexdigest()
        try:
            content = self.store.answer(key) if self.store else None
            if content is None:
                content = self._ask(messages)
                verdict = _parse(content, hits)
                if self.store:
                    self.store.put_answer(key, content)
            else:
                verdict = _parse(content, hits)
            self.failed_in_row = 0
        except Failure as e:
            self.failures[str(e)] += 1
            log.warning("llm stance judge: %s; the lexical judge decides this cell", e)
            verdict = self.fallback.judge(q, hits)
        self.decided[verdict.judge] += 1
        return verdict

    def _ask(self, messages: list[dict]) -> str:
        if self.requests >= self.rules.budget:
            raise Failure(f"request budget of {self.rules.budget} spent")
        if self.failed_in_row >= 3:
            raise Failure("endpoint failed three cells in a row; not asked again in this build")
        body = json.dumps({"model": self.rules.model, "messages": messages, "temperature": 0}).encode()
        headers = {"Content-Type": "application/json"}
        if self._key:
            headers["Authorization"] = "Bearer " + self._key
        reason = "no answer"
        for attempt in range(self.rules.retries + 1):
            if attempt:
                self.sleep(min(4.0, 0.25 * 2 ** attempt))
            if self.requests >= self.rules.budget:
                break
            self.requests += 1
            try:
                status, text = self.transport(self.rules.endpoint, body, headers, self.rules.timeout)
            except TimeoutError:
                reason = f"timed out after {self.rules.timeout:g} s"
                continue
            except OSError as e:
                reason = f"cannot reach the endpoint ({e})"
                continue
            if status == 429 or status >= 500:
                reason = f"HTTP {status}"
                continue
            if status != 200:
                self.failed_in_row += 1
                raise Failure(f"HTTP {status}")
            try:
                return json.loads(text)["choices"][0]["message"]["content"]
            except (ValueError, KeyError, IndexError, TypeError):
                self.failed_in_row += 1
                raise Failure("the endpoint's reply is not a chat completion") from None
        self.failed_in_row += 1
        raise Failure(reason)


def _messages(q: Query, hits: tuple[Hit, ...]) -> list[dict]:
    numbered = "\n".join(f"{n}. {h.passage.text}" for n, h in enumerate(hits, 1))
    return [{"role": "system", "content": DEFINITIONS},
            {"role": "user", "content": f"Claim: {q.text}\n\nSentences of the article about it:\n{numbered}"}]


def _parse(content: str, hits: tuple[Hit, ...]) -> Verdict:
    """The answer as a Verdict, or Failure when it is not the JSON asked for."""
    text = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", content or "")
    try:
        data = json.loads(text)
    except ValueError:
        raise Failure("the answer is not JSON") from None
    if not isinstance(data, dict) or data.get("label") not in LABELS:
        raise Failure("the answer names no known label")
    cited = data.get("sentences", [])
    if not isinstance(cited, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in cited):
        raise Failure("the answer's sentences are not numbers")
    if any(not 1 <= n <= len(hits) for n in cited):
        raise Failure("the answer cites a sentence that was not sent")
    if data["label"] != "none" and not cited:
        raise Failure("the answer cites no sentence")
    try:
        confidence = min(1.0, max(0.0, float(data.get("confidence", 0.5))))
    except (TypeError, ValueError):
        raise Failure("the answer's confidence is not a number") from None
    return Verdict(data["label"], confidence, tuple(hits[n - 1].id for n in cited[:3]), "llm",
                   data["label"] == "disputes")
