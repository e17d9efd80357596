"""Reading the brief: whole claim statements and outlet names, one citation form, a word on
sources an edition leaves out, and e-mail citation links that lead somewhere."""

from __future__ import annotations

import re
import shutil
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

from briefgen import weekly
from briefgen.model import Article, Brief, Claim, Source, Stance
from briefgen.render import charts
from conftest import BUILT_AT, DROUGHT, run_cli

LONG = ("The regional water authority will ration household supply to four hours a day from the "
        "first week of August unless the reservoir rises")
OUTLET = "The Varenna Valley Evening Chronicle and Gazette"


def article(n: int, outlet: str, day: date) -> Article:
    return Article(f"s{n}", Path(f"s{n}.txt"), f"Title {n}", "Some text.", "Some text.", outlet=outlet,
                   published=day, reliability="B")


def svg_text(svg: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", t) for t in re.findall(r"<text\b.*?</text>", svg, re.S))


def test_the_claims_grid_shows_each_statement_whole_on_as_many_lines_as_it_needs():
    sources = [Source(1, article(1, "A", date(2025, 7, 1)), ()), Source(2, article(2, "B", date(2025, 7, 2)), ())]
    claims = [Claim("c1", LONG, (Stance("s1", 1, "asserts", None),), "single-source"),
              Claim("c2", "Short claim.", (Stance("s2", 2, "disputes", None),), "unconfirmed")]
    for compact in (False, True):
        svg = str(charts.matrix(claims, sources, compact=compact))
        words = " ".join(svg_text(svg).split())
        assert LONG in words and "…" not in words
        rows = [float(y) for y in re.findall(r'<text x="0" y="([\d.]+)"', svg)]
        lines = svg.split("</desc>")[1].split("Short claim")[0].count("<tspan") - 1  # the last opens the next row
        assert lines >= 2 and rows[1] - rows[0] >= 12 * lines  # the next row starts below the wrapped lines
        height = float(re.search(r'height="(\d+)"', svg).group(1))
        assert height >= rows[-1]


def test_the_coverage_legend_names_each_outlet_whole():
    sources = tuple(Source(i, article(i, name, date(2025, 7, i)), ()) for i, name in
                    enumerate([OUTLET, "Example Media", "A Very Long Name For A Wire Service Agency", "Desk"], 1))
    brief = Brief("T", "t", (), sources, BUILT_AT, "0")
    svg = str(charts.coverage(brief))
    text = " ".join(svg_text(svg).split())
    for s in sources:
        assert s.article.outlet in text
    width = float(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    for x, label in re.findall(r'<text x="(\d+)" y="\d+" font-size="10" fill="#1c2430">([^<]+)</text>', svg):
        assert int(x) + charts.text_width(label) <= width  # no legend entry runs off the picture


def test_points_and_key_judgments_cite_in_one_form(sample, executive):
    for built in (sample, executive):
        cites = re.findall(r'<span class="cites">\[(.*?)\]</span>', built.html)  # points, judgments, bottom line
        links = [t for c in cites for t in re.findall(r'<a class="cite"[^>]*>([^<]+)</a>', c)]
        assert links and all(re.fullmatch(r"\d+, [A-F]", text) for text in links), set(links)
        assert "credibility 3" in built.pdf_text  # a point's credibility follows its citations once
    assert "A citation [3, B] names source 3, graded B" in sample.pdf_text


def test_an_edition_says_which_sources_its_grade_floor_leaves_out(executive, sample):
    assert [s["number"] for s in executive.data["sources"]] == [2, 3, 4, 5]
    assert "Source 1 is not in this edition: graded below D (not usually reliable)" in executive.pdf_text
    assert "not in this edition" not in sample.pdf_text.replace("withheld", "")


def test_citation_links_in_the_e_mail_lead_to_sources_listed_in_the_e_mail(tmp_path):
    from test_mail import project

    root = project(tmp_path, 2525)
    config = root / "config.yaml"  # a bottom line that cites its sources
    config.write_text(config.read_text().replace("no delivery is confirmed in these sources.",
                                                 "no delivery is confirmed in these sources [@summit-invitation; @kim-follow-up]."))
    emls = weekly.send(root / "config.yaml", root / "build", dry_run=True, outbox=root / "preview").queued
    assert emls
    for eml in emls:
        msg = message_from_bytes(Path(eml).read_bytes(), policy=policy.default)
        html = msg.get_body(("html",)).get_content()
        targets = set(re.findall(r'href="#(src-\d+)"', html))
        assert targets, "the bottom line cites sources"
        assert targets <= set(re.findall(r'id="(src-\d+)"', html))


def test_the_sources_table_shows_whole_outlet_names(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, root)
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("outlet: Example Media", f"outlet: {OUTLET}"))
    result = run_cli("sources", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(OUTLET) == 3
