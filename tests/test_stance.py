"""Stance retrieval, the lexical judge and the judge registry, on small typed inputs and a tiny project."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.analysis.judges import Verdict, make, register
from briefgen.analysis.retrieval import Retriever, general_weight, query
from briefgen.model import Passage
from conftest import run_cli


def passages(source: str, *sentences: str) -> list[Passage]:
    out, at = [], 0
    for i, s in enumerate(sentences):
        out.append(Passage(source, at, at + len(s), s, i))
        at += len(s) + 1
    return out


def verdict(claim: str, *sentences: str, aliases=None) -> Verdict:
    q = query(claim, aliases)
    hits = Retriever(tuple(passages("a", *sentences))).find(q).get("a")
    return make("lexical").judge(q, tuple(hits)) if hits else Verdict("none", 1.0, (), "lexical")


# --- retrieval ---------------------------------------------------------------------------

def test_weights_come_from_general_english_not_the_corpus():
    assert general_weight("the") < 0.5 < general_weight("ammunition")
    # a corpus where every sentence is about the topic still finds a claim by its on-topic words
    corpus = [f"The ceasefire in Varenna held on day {n} as talks went on." for n in range(30)]
    hits = Retriever(tuple(passages("a", *corpus))).find(query("The Varenna ceasefire held."))
    assert len(hits["a"]) == 30


def test_prefix_inflection_numbers_and_aliases_match():
    assert verdict("Nicaragua expelled the envoy.", "The Nicaraguan government expelled the envoy on Monday.").stance == "asserts"
    assert verdict("The firm paid a hundred dollars per share.", "The firm paid 100 dollars per share.").stance == "asserts"
    corpus = Retriever(tuple(passages("a", "The rebels agreed to a ceasefire on Sunday.")))
    without = corpus.find(query("The rebels agreed to a truce."))["a"][0].share
    alias = corpus.find(query("The rebels agreed to a truce.", {"truce": ["ceasefire"]}))["a"][0].share
    assert without < 0.7 and alias == 1.0


def test_a_claim_spread_over_adjacent_sentences_is_found():
    q = query("The Harbour Authority closed the northern port after a chemical leak.")
    found = Retriever(tuple(passages("a", "The Harbour Authority acted on Tuesday morning.",
                                     "It closed the northern port after a chemical leak was found.")))
    assert "a" in found.find(q)


# --- lexical judge -----------------------------------------------------------------------

@pytest.mark.parametrize("sentences, stance", [
    (["Officials said the dam was breached by the flood."], "asserts"),
    (["Not to mention that the dam was breached by the flood, roads were cut."], "asserts"),
    (["The dam was not breached by the flood, engineers found."], "disputes"),
    (["The story that the dam was breached by the flood is a hoax."], "disputes"),
    (["The dam was breached by the flood, the mayor believes."], "reports"),
    (["The dam was potentially breached by the flood."], "reports"),
    (["Residents claimed the dam was breached by the flood.", "The water board denied these claims."], "reports"),
])
def test_lexical_cues_on_whole_articles(sentences, stance):
    assert verdict("The dam was breached by the flood.", *sentences).stance == stance


def test_wouldnt_turn_down_is_not_a_denial():
    v = verdict("The club would accept the offer for the striker.",
                "The club wouldn't turn down the offer for the striker, its chairman said.")
    assert v.stance != "disputes"


def test_claim_and_denial_side_by_side_report_and_show_the_denial():
    sents = ["Critics accused Norland of selling rifles to Ostia.", "Both governments denied these claims.",
             "Trade talks continue next week."]
    q = query("Norland is selling rifles to Ostia.")
    hits = Retriever(tuple(passages("a", *sents))).find(q)["a"]
    v = make("lexical").judge(q, tuple(hits))
    assert v.stance == "reports" and [hits[0].passage.text for h in hits if h.id == v.deciding[0]]
    assert [h.passage.text for h in hits if h.id in v.deciding] == sents[:2]


def test_the_reverse_direction_is_another_proposition():
    claim = "Norland is selling rifles to Ostia."
    assert verdict(claim, "Ostia is selling rifles to Norland, officials confirmed.").stance == "none"
    assert verdict(claim, "Ostia is receiving rifles from Norland, officials confirmed.").stance == "asserts"


def test_a_negative_claim_against_a_positive_report():
    v = verdict("Norland has decided not to sell rifles to Ostia.", "Norland sold rifles to Ostia last week.")
    assert v.stance == "disputes" and v.contradicts


# --- registry and config -----------------------------------------------------------------

@register("toy-judge")
class ToyJudge:
    """A judge that disputes everything it is shown: one class plus its registration."""

    name = "toy-judge"

    def __init__(self, rules=None, **_):
        pass

    def judge(self, q, hits):
        return Verdict("disputes", 0.42, (hits[0].id,), self.name, True)


def project(tmp_path: Path, stance: str) -> Path:
    (tmp_path / "articles").mkdir()
    texts = {
        "one": "Port Halden Reopens\n\nThe port of Halden reopened to container ships on Monday after the strike ended.",
        "two": "Strike Goes On\n\nDockers said the strike at Halden was continuing, and the port of Halden has not reopened to container ships.",
        "three": "Weather Report\n\nRain is expected across the region for the rest of the week, forecasters said.",
    }
    for name, text in texts.items():
        (tmp_path / "articles" / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "config.yaml").write_text(textwrap.dedent(f"""\
        brief:
          title: Halden port
        sources:
          - glob: "articles/*.txt"
            reliability: C
        sections:
          - id: port
            title: Port
            keywords: [port]
          - id: claims
            title: Claims
            kind: claims
        claims:
          - id: reopened
            statement: The port of Halden reopened to container ships.
        stance: {stance}
        """), encoding="utf-8")
    return tmp_path / "config.yaml"


def test_a_registered_judge_is_chosen_in_config_and_used_end_to_end(tmp_path):
    cfg, corpus, found = pipeline.assess(project(tmp_path, "{judge: toy-judge, discover: 0}"))
    cells = found[0].stances
    assert cells and all(s.judge == "toy-judge" and s.stance == "disputes" and s.confidence == 0.42 for s in cells)


def test_claims_json_gives_judge_confidence_and_deciding_sentences_with_spans(tmp_path):
    config = project(tmp_path, "{judge: lexical, discover: 0}")
    data = json.loads(run_cli("claims", "--config", str(config), "--json").stdout)
    cells = data[0]["stances"]
    assert set(cells) == {"one", "two"}  # the weather report is not about the claim
    assert cells["one"]["stance"] == "asserts" and cells["two"]["stance"] == "disputes"
    for cell in cells.values():
        assert cell["judge"] == "lexical" and 0 < cell["confidence"] <= 1
        text = (tmp_path / "articles").joinpath(next(p.name for p in (tmp_path / "articles").iterdir()
                                                      if p.stem in cells and cells[p.stem] is cell)).read_text()
        assert cell["deciding"][0]["sentence"] == cell["evidence"]
        assert all(d["end"] - d["start"] == len(d["sentence"]) for d in cell["deciding"])
    del text


def test_discovery_keeps_only_claims_two_sources_disagree_on(tmp_path):
    config = project(tmp_path, "{judge: lexical, discover: 3}")
    (tmp_path / "articles" / "four.txt").write_text(
        "Union Claims\n\nThe dockers' union claimed that the harbour master had ordered the cranes switched off.",
        encoding="utf-8")
    (tmp_path / "articles" / "six.txt").write_text(
        "Cranes\n\nThe harbour master ordered the cranes switched off on Friday, port staff said.", encoding="utf-8")
    (tmp_path / "articles" / "five.txt").write_text(
        "Harbour Office\n\nThe harbour master did not order the cranes switched off, his office said.", encoding="utf-8")
    cfg, corpus, found = pipeline.assess(config)
    discovered = [c for c in found if c.found]
    assert discovered, [c.statement for c in found]
    for c in discovered:
        kinds = {s.stance for s in c.stances}
        assert "asserts" in kinds and ("disputes" in kinds or any(s.contradicts for s in c.stances))


def test_an_unknown_judge_is_one_clear_line(tmp_path):
    result = run_cli("claims", "--config", str(project(tmp_path, "{judge: oracle}")))
    assert result.returncode == 1
    assert "stance.judge" in result.stderr and "oracle" in result.stderr and "Traceback" not in result.stderr
