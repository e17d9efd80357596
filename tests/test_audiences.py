"""Editions per audience, print quality (tags, fonts, TOC), templates per audience, init."""

from __future__ import annotations

import re
import shutil

from pypdf import PdfReader

from conftest import ROOT, SAMPLE, build, flatten, run_cli


def test_executive_edition_fits_two_pages_and_leaves_out_weak_sources(executive, sample):
    assert len(executive.pdf.pages) <= 2
    ids = [s["id"] for s in executive.data["sources"]]
    assert "refusal-claim" not in ids and len(ids) == 4  # graded E, below the executive's floor (D)
    assert [s["number"] for s in executive.data["sources"]] == [2, 3, 4, 5]  # numbers as in every edition
    for section in executive.data["sections"]:
        assert len(section["points"]) <= 2
    text = executive.pdf_text
    assert "Key judgments" in text.title() or "KEY JUDGMENTS" in text.upper()
    assert "Claims by source" in executive.html  # the compact grid, as SVG
    assert "IN ITS WORDS" not in text.upper()  # no evidence tables in the executive edition
    assert len(sample.pdf.pages) > 2 and "IN ITS WORDS" in sample.pdf_text.upper()


def test_analyst_contents_give_the_right_page_numbers(sample):
    pages = [flatten(p.extract_text()) for p in sample.pdf.pages]
    toc = re.findall(r"([A-Z][A-Za-z ]+?) \.{3,} ?(\d+)", pages[0])
    assert [t[0] for t in toc] == ["The summit", "Strategic partnership", "Sanctions and the arms trade",
                                   "Disputed claims", "Sources"]
    pages[0] = pages[0][pages[0].rindex("Sources ...") + 20:]  # search after the contents themselves
    for number, (title, page) in enumerate(toc, 1):
        heading = f"{number} {title}" if title != "Sources" else "Sources Reliability is graded"
        found = [i + 1 for i, text in enumerate(pages) if heading in text]
        assert found and found[0] == int(page), (title, page, found)


def test_pdfs_are_tagged_in_english_with_embedded_fonts(sample, executive):
    for built in (sample, executive):
        root = built.pdf.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert root["/Lang"] == "en"
        fonts = set()
        for page in built.pdf.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
        assert any(f.startswith("Noto-Serif") for f in fonts) and any(f.startswith("Noto-Sans") for f in fonts)


def test_every_edition_is_byte_identical_when_built_again(sample, executive, tmp_path):
    again = build(SAMPLE, tmp_path, "executive")
    assert again.pdf_bytes == executive.pdf_bytes


def test_charts_are_inline_svg_with_text_alternatives(sample):
    svgs = re.findall(r"<svg .*?</svg>", sample.html, re.S)
    assert len(svgs) == 2  # coverage timeline and claims grid
    for svg in svgs:
        assert 'role="img"' in svg and "aria-label=" in svg and "<title>" in svg and "<desc>" in svg
    assert "Coverage per week, by outlet" in svgs[0] or "Coverage per month, by outlet" in svgs[0]


def test_citation_keys_in_prose_become_numbered_links(sample, executive):
    assert '<a class="cite" href="#src-3" title="Source 3">3, C</a>' in sample.html  # [@partnership-signed]
    assert 'title="not in this edition">withheld<' in executive.html  # [@refusal-claim]: graded E


def project(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copy(SAMPLE, root / "config.yaml")
    return root


def test_an_override_for_one_audience_changes_only_that_edition(tmp_path):
    root = project(tmp_path)
    (root / "templates" / "executive").mkdir(parents=True)
    (root / "templates" / "executive" / "executive.html").write_text(
        '{% extends "default:executive.html" %}\n'
        '{% block masthead %}<header class="masthead"><h1>Board Letter: {{ brief.title }}</h1></header>{% endblock %}\n')
    assert run_cli("build", "--format", "html", cwd=root).returncode == 0
    executive = (root / "build" / "russia-and-north-korea-executive.html").read_text()
    analyst = (root / "build" / "russia-and-north-korea-analyst.html").read_text()
    assert "<h1>Board Letter: Russia and North Korea</h1>" in executive
    assert "Board Letter" not in analyst and "<h1>Russia and North Korea</h1>" in analyst


def test_unknown_citation_key_is_a_clear_error(tmp_path):
    root = project(tmp_path)
    config = (root / "config.yaml").read_text().replace("[@partnership-signed]", "[@partnership-sign]")
    (root / "config.yaml").write_text(config)
    result = run_cli("build", "--format", "html", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(i for i, text in enumerate(config.splitlines(), 1) if "[@partnership-sign]" in text)
    assert (f"error: config.yaml:{line}: brief.judgments[0]: unknown source or claim 'partnership-sign' in citation "
            "[@partnership-sign] (did you mean 'partnership-signed'?)") in result.stderr  # now with its line (issue 18)


def test_pdf_a_is_available_for_archives(tmp_path):
    root = project(tmp_path)
    config = (root / "config.yaml").read_text().replace(
        "    title: Analyst brief", "    title: Analyst brief\n    pdf: pdf/a-3b")
    (root / "config.yaml").write_text(config)
    assert run_cli("build", "--format", "pdf", "--audience", "analyst", cwd=root).returncode == 0
    reader = PdfReader(root / "build" / "russia-and-north-korea-analyst.pdf")
    assert "/OutputIntents" in reader.trailer["/Root"]
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in metadata and b"3" in metadata


def test_init_makes_a_project_that_builds_with_no_edits(tmp_path):
    result = run_cli("init", str(tmp_path / "new"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "new" / "config.yaml").read_text().startswith("# briefgen project")
    built = run_cli("build", cwd=tmp_path / "new")
    assert built.returncode == 0, built.stderr
    pdfs = sorted(p.name for p in (tmp_path / "new" / "build").glob("*.pdf"))
    assert pdfs == ["city-council-weekly-analyst.pdf", "city-council-weekly-executive.pdf"]
    again = run_cli("init", str(tmp_path / "new"))
    assert again.returncode == 1 and "a config.yaml is already there" in again.stderr


def test_templates_can_be_listed_and_ejected_for_editing(tmp_path):
    listing = run_cli("templates", "list")
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert {"brief.html", "brief.css", "macros.html", "executive.html", "email.html"} <= set(names)
    root = project(tmp_path)
    ejected = run_cli("templates", "eject", "macros.html", "--audience", "analyst", cwd=root)
    assert ejected.returncode == 0, ejected.stderr
    copy = root / "templates" / "analyst" / "macros.html"
    assert copy.read_text() == (ROOT / "templates" / "macros.html").read_text()
    again = run_cli("templates", "eject", "macros.html", "--audience", "analyst", cwd=root)
    assert again.returncode == 1 and "--force" in again.stderr
    assert run_cli("templates", "eject", "nope.html", cwd=root).returncode == 1
