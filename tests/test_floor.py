"""An audience's grade floor (`min_reliability`) holds for everything its edition shows: points,
configured and discovered claims, evidence sentences, the timeline, the Sources list and what
changed. Checked on the sample and on a corpus of real Wikinews articles."""

from __future__ import annotations

import csv
import html as htmlmod
import json
import re
from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.effects import FixedClock
from briefgen.model import GRADES
from conftest import BUILT_AT, SHARED, flatten

WIKINEWS = SHARED / "corpus" / "wikinews" / "wikinews_2020.csv"


def sentences(text: str) -> list[str]:
    """Sentences of 8+ words (shorter ones may well be said by anyone)."""
    parts = re.split(r"(?<=[.!?])\s+", flatten(text))
    return [p.strip() for p in parts if len(p.split()) >= 8]


def text_of(html: str) -> str:
    body = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    return flatten(htmlmod.unescape(body))


def assert_nothing_below_floor(result: pipeline.Result, audience: str, floor: str, corpus) -> None:
    """No statement, sentence, citation or title of a source graded below `floor` in any output."""
    from pypdf import PdfReader

    allowed = GRADES.index(floor)
    low = [a for a in corpus.articles if GRADES.index(a.reliability) > allowed]
    high = [a for a in corpus.articles if GRADES.index(a.reliability) <= allowed]
    assert low, "the test needs sources below the floor"
    numbers = {corpus.number(a.id) for a in low}
    html = result.file("html", audience).read_text()
    data = json.loads(result.file("json", audience).read_text())
    pdf = flatten(" ".join(p.extract_text() for p in PdfReader(result.file("pdf", audience)).pages))
    shown = [text_of(html), pdf, flatten(json.dumps(data, ensure_ascii=False))]
    high_text = " ".join(flatten(a.text) for a in high)
    for a in low:
        for s in sentences(a.text):
            if s in high_text:
                continue  # the same words in a source the audience may see
            probe = s[:70]
            for where, text in zip(("html", "pdf", "json"), shown):
                assert probe not in text, f"{where} shows a sentence of {a.id} ({a.reliability}): {s!r}"
        for where, text in zip(("html", "pdf"), shown[:2]):
            assert flatten(a.title) not in text, f"{where} names {a.id}"
    # no citation, stance, source entry or change of a low source
    assert not re.findall(r'href="#src-(\d+)"', html) or numbers.isdisjoint(
        int(n) for n in re.findall(r'href="#src-(\d+)"', html))
    assert {s["id"] for s in data["sources"]}.isdisjoint(a.id for a in low)
    cited = {c["source"] for s in data["sections"] for p in s["points"] for c in p["citations"]}
    cited |= {sid for c in data["claims"] for sid in c["stances"]}
    assert cited.isdisjoint(a.id for a in low)
    changes = data["changes"] or {}
    for title in changes.get("dropped_sources", []) + changes.get("new_sources", []):
        assert title not in {a.title for a in low}, f"what changed names {title!r}"


def test_the_sample_executive_edition_shows_nothing_below_its_floor(sample_build, executive):
    from briefgen.ingest import corpus as ingest

    corpus = ingest.ingest(pipeline.load_config(executive.config))
    assert_nothing_below_floor(sample_build[1], "executive", "D", corpus)


def wikinews_project(root: Path) -> Path:
    """Six real Wikinews articles on one story, graded A to E, in a project with two audiences."""
    csv.field_size_limit(10 ** 8)
    rows = [r for r in csv.DictReader(WIKINEWS.open(encoding="utf-8"))
            if "coronavirus" in r["text"].lower() and 1500 < len(r["text"]) < 8000][:6]
    assert len(rows) == 6
    (root / "articles").mkdir(parents=True)
    grades = "ABCDEE"
    sources = []
    for i, (row, grade) in enumerate(zip(rows, grades)):
        (root / "articles" / f"a{i}.txt").write_text(row["title"] + "\n\n" + row["text"], encoding="utf-8")
        sources.append(f"  - id: a{i}\n    path: articles/a{i}.txt\n    reliability: {grade}\n"
                       f"    outlet: Wikinews\n    published: {row['date']}\n")
    (root / "config.yaml").write_text(
        "brief:\n  title: Pandemic desk\n  max_points: 4\n"
        "audiences:\n  - id: board\n    min_reliability: C\n  - id: desk\n"
        "sources:\n" + "".join(sources) +
        "sections:\n  - id: health\n    title: Health\n    keywords: [coronavirus, cases, virus, health]\n"
        "  - id: government\n    title: Government\n    keywords: [government, minister, president, lockdown]\n"
        "  - id: disputed\n    title: Disputed\n    kind: claims\n"
        "claims:\n  - id: spread\n    statement: The coronavirus is spreading in the country.\n"
        "stance:\n  discover: 8\n", encoding="utf-8")
    return root / "config.yaml"


@pytest.mark.skipif(not WIKINEWS.is_file(), reason="the shared Wikinews corpus is not on this machine")
def test_an_edition_with_a_grade_floor_shows_nothing_below_it_on_real_articles(tmp_path):
    from briefgen.ingest import corpus as ingest

    config = wikinews_project(tmp_path / "p")
    out = tmp_path / "out"
    # week 1 without the floor, so the history holds low sources; then the floor is set
    text = config.read_text()
    config.write_text(text.replace("    min_reliability: C\n", ""))
    pipeline.build(config, out, clock=FixedClock(BUILT_AT), since=__import__("datetime").date(2020, 1, 1),
                   until=__import__("datetime").date(2020, 12, 31))
    config.write_text(text)
    result = pipeline.build(config, out, clock=FixedClock(BUILT_AT))
    corpus = ingest.ingest(pipeline.load_config(config))
    desk = json.loads(result.file("json", "desk").read_text())
    low = {a.id for a in corpus.articles if a.reliability in "DE"}
    # the edition without a floor does use the low sources: there is something to leave out
    assert low & {sid for c in desk["claims"] for sid in c["stances"]}
    # (discovered claims from a below-floor source: tests/test_stage_units.py, on typed claims; since
    # issue 12 a claim is discovered only where two sources disagree, which these articles do not)
    assert_nothing_below_floor(result, "board", "C", corpus)
