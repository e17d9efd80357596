"""The claims engine: stances on held-out sentences, status and credibility rules, the matrix."""

from __future__ import annotations

import json
import sys

import pytest

from briefgen.analysis.claims import credibility, status_of
from briefgen.model import Stance
from briefgen.analysis.stance import StanceClassifier
from conftest import DROUGHT, ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from eval_stance import evaluate  # noqa: E402

ROWS = [json.loads(line) for line in (ROOT / "bench" / "data" / "stance.jsonl").read_text().splitlines()]
HELD_OUT = [r for r in ROWS if r["split"] == "test"]  # topics never used to tune the rules


def test_the_labelled_set_is_big_and_varied_enough():
    assert len(ROWS) >= 150
    assert len({r["topic"] for r in ROWS}) >= 3
    assert {r["stance"] for r in HELD_OUT} == {"asserts", "disputes", "reports", "none"}


@pytest.mark.parametrize("stance", ["asserts", "disputes", "reports", "none"])
def test_each_stance_is_recognised_on_held_out_sentences(stance):
    scores, macro, _ = evaluate(HELD_OUT, StanceClassifier())
    precision, recall, f1, n = scores[stance]
    assert n >= 15
    assert f1 >= 0.75, (stance, precision, recall)


def test_macro_f1_on_held_out_topics_beats_published_news_stance_systems():
    _, macro, _ = evaluate(HELD_OUT, StanceClassifier())
    assert macro >= 0.75  # published agree/disagree/discuss systems reach about 0.6


@pytest.mark.parametrize("claim, sentence, stance", [
    ("The bridge was closed because of cracks in its supports.",
     "Engineers closed the bridge after finding cracks in two of its supports.", "asserts"),
    ("The bridge was closed because of cracks in its supports.",
     "The city denied that cracks in the supports forced the bridge to close.", "disputes"),
    ("The bridge was closed because of cracks in its supports.",
     "Residents claimed the bridge was closed because of cracks in its supports.", "reports"),
    ("The bridge was closed because of cracks in its supports.",
     "The bridge carries about 20,000 cars a day.", "none"),
    ("The mayor did not approve the new stadium.",
     "The mayor signed the approval for the new stadium on Tuesday.", "reports"),
])
def test_stance_rules_on_sentences_outside_the_set(claim, sentence, stance):
    assert StanceClassifier().judge(claim, sentence).stance == stance


def stance(source, kind, contradicts=False):
    return Stance(source, 1, kind, None, contradicts)


@pytest.mark.parametrize("stances, status, cred", [
    ([stance("a", "asserts"), stance("b", "asserts")], "corroborated", 1),
    ([stance("d", "asserts"), stance("e", "asserts")], "corroborated", 2),
    ([stance("a", "asserts"), stance("b", "disputes")], "contested", 4),
    ([stance("a", "asserts"), stance("b", "disputes"), stance("c", "disputes")], "contested", 5),
    ([stance("a", "asserts")], "single-source", 2),
    ([stance("c", "asserts")], "single-source", 3),
    ([stance("c", "asserts"), stance("b", "reports", contradicts=True)], "single-source", 4),
    ([stance("e", "asserts"), stance("b", "reports", contradicts=True)], "single-source", 5),
    ([stance("a", "reports"), stance("b", "disputes")], "unconfirmed", 6),
])
def test_status_and_credibility_follow_the_documented_rules(stances, status, cred):
    grades = {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"}
    assert status_of(stances) == status
    assert credibility(stances, status, grades) == cred


def test_claims_command_prints_the_matrix_and_json_of_the_documented_shape():
    table = run_cli("claims")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["CLAIM", "1", "2", "3", "4", "5", "STATUS"]
    # Issue 12's label definitions: source 1 gives the refusal only as an announced plan ("will not
    # be supplying") and hedged ("could"), which is `reports`; with no source asserting it the claim
    # is unconfirmed (6), no longer single-source (5).
    assert any(l.startswith("Russia has decided not to supply North Korea") and "unconfirmed (6)" in l
               for l in lines)
    data = json.loads(run_cli("claims", "--json").stdout)
    for claim in data:
        assert {"id", "statement", "status", "credibility", "stances"} <= set(claim)
        assert claim["status"] in {"corroborated", "contested", "unconfirmed", "single-source"}
        assert 1 <= claim["credibility"] <= 6
        for source, s in claim["stances"].items():
            assert s["stance"] in {"asserts", "disputes", "reports"} and isinstance(s["evidence"], str)
    assert [c["id"] for c in data][:2] == ["nk-arms-to-russia", "russia-refuses-arms"]
    # Issue 12: a discovered claim is one two sources take different positions on (one asserts,
    # another disputes or reports the opposite), not any hedged sentence; the sample may have none.
    for claim in (c for c in data if c["found"]):
        kinds = [(s["stance"], s["contradicts"]) for s in claim["stances"].values()]
        assert ("asserts", False) in kinds and any(k == "disputes" or c for k, c in kinds if k != "asserts")
    for claim in data:
        for s in claim["stances"].values():
            assert s["judge"] == "lexical" and 0 <= s["confidence"] <= 1
            assert s["deciding"] and s["deciding"][0]["sentence"] == s["evidence"]
            assert all(d["end"] > d["start"] for d in s["deciding"])


def test_claims_are_found_in_an_unrelated_corpus_and_config_overrides_win():
    data = json.loads(run_cli("claims", "--config", str(DROUGHT), "--json").stdout)
    run_dry = data[0]
    assert run_dry["status"] == "contested"
    assert run_dry["stances"]["reservoir-warning"]["declared"] is True  # asserted_by in config
    assert "farm-union" not in run_dry["stances"]  # mentions the lake, not the claim
    found = [c for c in data if c["found"]]
    assert all(c["id"].startswith("found-") for c in found)
    # Issue 12: the union's accusation and the utility's denial stand in one source, side by side;
    # no other source takes a position on it, so it is not a disputed claim any more.
    assert not any("accused the utility" in c["statement"] for c in found)
