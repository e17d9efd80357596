"""Unit tests of the compose stage (window, audience, brief, history) and of render's charts,
on small typed inputs: no full build. Plus the library's manners: nothing process-wide changed."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from briefgen.compose import audience, history, window
from conftest import SHARED
from briefgen.compose import brief as compose
from briefgen.config.schema import Audience
from briefgen.errors import ConfigError
from briefgen.model import Article, Brief, Changes, Citation, Claim, Corpus, Passage, Point, Section, Source, Stance
from briefgen.render import charts

AT = datetime(2025, 7, 4, 8, 0, tzinfo=timezone.utc)


def art(sid: str, grade: str = "B", day: date | None = date(2025, 7, 1), outlet: str | None = "Desk") -> Article:
    return Article(sid, Path(f"{sid}.txt"), f"Title of {sid}", "Body.", "Body.", outlet=outlet,
                   published=day, reliability=grade)


def passage(source: str, start: int, text: str, cues: tuple[str, ...] = ()) -> Passage:
    return Passage(source, start, start + len(text), text, 0, 1.0, cues)


# --- window -------------------------------------------------------------------------------------

def test_window_iso_week_is_monday_to_sunday_and_labels_itself():
    w = window.iso_week("2023-W37")
    assert (w.since, w.until, w.key) == (date(2023, 9, 11), date(2023, 9, 17), "2023-W37")
    assert w.label() == "11–17 September 2023 (week 37)"
    assert window.resolve("last", None, None, None, None, date(2023, 9, 20)).week == "2023-W37"
    with pytest.raises(ConfigError, match="not an ISO week"):
        window.iso_week("week 37")
    with pytest.raises(ConfigError, match="after it ends"):
        window.resolve(None, date(2023, 9, 2), date(2023, 9, 1), None, None)


def test_window_select_keeps_the_period_and_undated_sources():
    corpus = Corpus((art("in", day=date(2025, 7, 2)), art("out", day=date(2025, 6, 1)), art("undated", day=None)))
    kept = window.select(corpus, window.Window(date(2025, 7, 1), date(2025, 7, 7)))
    assert [a.id for a in kept.articles] == ["in", "undated"]
    with pytest.raises(ConfigError, match="no source falls in the period"):
        window.select(Corpus((art("out", day=date(2025, 6, 1)),)), window.Window(date(2025, 7, 1), date(2025, 7, 7)))


# --- audience -----------------------------------------------------------------------------------

def claim(cid: str, stances, found=False, origin=None) -> Claim:
    return Claim(cid, f"Statement {cid}.", tuple(stances), "contested", found=found, origin=origin)


def stance(source: str, number: int, kind: str) -> Stance:
    return Stance(source, number, kind, Citation(source, number, 0, 5, "Body.", "B"))


def test_audience_floor_leaves_out_sources_their_passages_stances_and_the_claims_they_found():
    corpus = Corpus((art("good", "B"), art("weak", "E")), order=("good", "weak"))
    evidence = (compose.Evidence("s", (passage("good", 0, "Good words."), passage("weak", 0, "Weak words."))),)
    claims = (claim("c", [stance("good", 1, "asserts"), stance("weak", 2, "disputes")]),
              claim("found-1", [stance("good", 1, "reports"), stance("weak", 2, "asserts")], True, "weak"))
    floor = Audience(id="board", min_reliability="C")
    c, e, k = audience.edition(floor, corpus, evidence, claims)
    assert [a.id for a in c.articles] == ["good"] and c.order == ("good", "weak")  # numbers stay
    assert [p.source for p in e[0].passages] == ["good"]
    assert [x.id for x in k] == ["c"]
    assert [s.source for s in k[0].stances] == ["good"] and k[0].status == "single-source"
    assert audience.hidden(floor, corpus) == {"weak"}
    assert audience.edition(Audience(id="all"), corpus, evidence, claims) == (corpus, evidence, claims)


# --- brief (compose) ----------------------------------------------------------------------------

def test_choose_leaves_the_set_it_is_given_unchanged():
    used = {("x", 99)}
    before = set(used)
    numbers = {"a": (1, "B"), "b": (2, "C")}
    cands = (passage("a", 0, "Reservoir levels fell to a record low in the northern valley this week."),
             passage("b", 10, "Farmers in the valley report failed wheat harvests after the dry spring."))
    points = compose._choose(cands, 5, used, numbers, False)
    assert used == before
    assert [p.citations[0].source for p in points] == ["a", "b"]


def test_choose_merges_a_sentence_saying_the_same_and_caps_one_source_at_half():
    numbers = {"a": (1, "A"), "b": (2, "C")}
    same = "The city council approved the emergency water rationing plan on Monday evening."
    cands = (passage("a", 0, same), passage("b", 0, same.replace("Monday evening", "Monday night")),
             passage("a", 100, "Officials said tanker trucks would supply outlying villages from August onwards."),
             passage("a", 200, "The utility warned that pressure could drop in high-rise buildings during peaks."))
    points = compose._choose(cands, 2, set(), numbers, False)
    assert len(points) == 1  # source a may give at most half of 2 points; b's sentence joined a's point
    assert [c.source for c in points[0].citations] == ["a", "b"] and points[0].citations[0].credibility == 1
    assert compose.point_credibility(["C"], contested=True) == 6


def test_sources_list_shows_every_source_and_says_where_each_is_cited():
    a, b = art("a"), art("b")
    corpus = Corpus((a, b), order=("a", "b"))
    section = Section("s", "Water", points=(Point("x", (Citation("a", 1, 0, 1, "x", "B", 3),)),))
    shown, rest = compose._sources((a, b), [section], corpus)
    assert [(s.number, s.cited_in) for s in shown] == [(1, ("Water",)), (2, ())] and rest == ()


# --- history ------------------------------------------------------------------------------------

def small_brief(sources, points=(), claims=()) -> Brief:
    return Brief("T", "t", (Section("s", "S", points=tuple(points), claims=tuple(claims)),),
                 tuple(Source(i, a, ()) for i, a in enumerate(sources, 1)), AT, "0")


def test_history_compares_two_records_and_hides_sources_below_the_floor(tmp_path):
    week1 = history.record(small_brief([art("a"), art("gone"), art("weak", "E")],
                                       [Point("Old point.", ())], [claim("c", [])]))
    now = small_brief([art("a"), art("new")], [Point("Old point.", ()), Point("New point.", ())],
                      [replace(claim("c", []), status="corroborated")])
    changes = history.compare(week1, "week 1", history.record(now), hidden=frozenset({"weak"}))
    assert changes == Changes("week 1", ("Title of new",), ("Title of gone",), ("New point.",),
                              (("Statement c.", "contested", "corroborated"),))
    assert history.compare(None, None, history.record(now)) == Changes(None)
    store = history.History(tmp_path)
    store.save(replace(small_brief([art("a")]), period_key="2025-W26"), "2025-06-23", "week 26")
    assert store.previous("t/brief", "2025-W27", "2025-06-30") == (history.record(small_brief([art("a")])), "week 26")
    assert store.previous("t/brief", "2025-W26", "2025-06-23") == (None, None)


# --- render: charts -----------------------------------------------------------------------------

def test_coverage_bins_by_day_week_or_month_and_counts_each_outlet():
    days = [date(2025, 7, 1), date(2025, 7, 1), date(2025, 7, 3)]
    brief = small_brief([art(f"s{i}", day=d, outlet=o) for i, (d, o) in enumerate(zip(days, ["A", "B", "A"]))])
    svg = str(charts.coverage(brief))
    assert "Coverage per day, by outlet" in svg and "A: 2; B: 1" in svg
    assert svg.count("<rect") == 3 + 2  # three bars (two stacked on 1 July), two legend keys
    assert charts._bins(date(2025, 1, 1), date(2025, 6, 1))[0] == "week"
    assert charts._bins(date(2024, 1, 1), date(2025, 6, 1))[0] == "month"
    assert charts.coverage(small_brief([art("u", day=None)])) is None


def test_matrix_marks_each_stance_and_says_it_in_words():
    sources = [Source(1, art("a"), ()), Source(2, art("b"), ()), Source(3, art("c"), ())]
    c = replace(claim("c", [stance("a", 1, "asserts"), stance("c", 3, "disputes")]), credibility=4)
    svg = str(charts.matrix([c], sources))
    cells = re.findall(r'font-weight="bold" text-anchor="middle" fill="[^"]+">([ADR])<', svg)
    assert cells == ["A", "D"]
    assert "CONTESTED · 4" in svg
    assert "Statement c.: contested, credibility 4; source 1 asserts, source 3 disputes" in svg
    assert 'role="img"' in svg and "<title>Claims by source</title>" in svg


# --- the library's manners ----------------------------------------------------------------------

def test_importing_briefgen_changes_no_process_wide_regex_setting():
    code = ("import re; before = re._MAXCACHE; import briefgen, briefgen.analysis.text as t, briefgen.pipeline; "
            "t.sentences('Dr. Smith met Mr. Jones in the U.S. on Monday. They talked.'); "
            "assert re._MAXCACHE == before, (before, re._MAXCACHE)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_segmenter_splits_exactly_as_pysbd_does(tmp_path):
    import csv

    import pysbd

    from briefgen.analysis.segmenter import segmenter

    path = SHARED / "corpus" / "wikinews" / "wikinews_2019.csv"
    if not path.is_file():
        pytest.skip("the shared Wikinews corpus is not on this machine")
    csv.field_size_limit(10 ** 8)
    paragraphs = [p for row in list(csv.DictReader(path.open(encoding="utf-8")))[:40]
                  for p in row["text"].split("\n\n") if p.strip()]
    ours, theirs = segmenter(), pysbd.Segmenter(language="en", clean=False)
    assert len(paragraphs) > 100
    assert [ours.segment(p) for p in paragraphs] == [theirs.segment(p) for p in paragraphs]


def test_the_preview_reloads_when_a_prose_file_changes(tmp_path):
    from briefgen.serve import fingerprint

    root = tmp_path / "p"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "a.txt").write_text("Headline\n\nThe council approved the plan on Monday, officials said.\n")
    (root / "bluf.md").write_text("The plan passed.\n")
    (root / "intro.md").write_text("Intro.\n")
    (root / "config.yaml").write_text(
        "brief:\n  title: T\n  summary: {file: bluf.md}\nsources:\n  - id: a\n    path: articles/a.txt\n"
        "sections:\n  - id: s\n    title: S\n    intro: {file: intro.md}\n    keywords: [plan]\n")
    first = fingerprint(root / "config.yaml")
    (root / "bluf.md").write_text("The plan passed, narrowly, after a long debate.\n")
    second = fingerprint(root / "config.yaml")
    assert second != first
    (root / "intro.md").write_text("A longer intro to the section.\n")
    assert fingerprint(root / "config.yaml") != second
