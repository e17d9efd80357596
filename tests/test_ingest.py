"""Real-world ingest: web pages, Markdown, feeds, legacy encodings, junk files, duplicates."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest

from briefgen import config
from briefgen.ingest import dedup as similar
from briefgen.ingest.corpus import ingest
from briefgen.ingest.readers.common import sane_author, sane_date
from conftest import ROOT, build, run_cli

MIXED = ROOT / "tests" / "data" / "mixed" / "config.yaml"


@pytest.fixture(scope="module")
def corpus():
    return ingest(config.load(MIXED))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    return build(MIXED, tmp_path_factory.mktemp("mixed"))


def by_id(corpus, sid):
    return next(a for a in corpus.articles if a.id == sid)


def test_web_page_body_and_metadata_field_by_field(corpus):
    a = by_id(corpus, "grid-outage")
    assert a.format == "html"
    assert a.title == "Storm Knocks Out Power to 40,000 Homes in Calder Valley"  # not the <title> with "| Northern Ledger"
    assert a.outlet == "Northern Ledger"  # OpenGraph site name
    assert a.author == "Priya Raman"  # JSON-LD author; the junk "Email the author" byline is dropped
    assert a.published == date(2025, 3, 12)  # JSON-LD datePublished
    assert a.url == "https://ledger.example.org/news/2025/03/12/storm-power-cut"  # og:url
    assert a.language == "en-gb"
    assert a.extracted == ("title", "outlet", "author", "published", "url")
    assert a.text.startswith("HALIFAX — About 40,000 homes in the Calder Valley were left without electricity")
    assert a.text.endswith("The Met Office has issued a further yellow warning for wind covering Thursday morning.")
    assert len(a.text.split("\n\n")) == 5
    for chrome in ["cookies", "Accept all", "Home", "Sport", "Subscribe", "Share on", "By Priya", "07:45",
                   "Related articles", "Council tax", "comments", "Typical, the lines", "gridwatcher",
                   "pylon near Hebden", "© 2025", "Privacy", "Storm Knocks Out"]:
        assert chrome not in a.text, chrome


def test_feed_items_become_sources_with_links_dates_and_sanitized_text(corpus):
    items = [a for a in corpus.articles if a.format == "feed"]
    assert [(a.title, a.published, a.url) for a in items] == [
        ("Schools Reopen After Storm Closures", date(2025, 3, 14), "https://news.example.com/schools-reopen"),
        ("Council Opens Warm Spaces in Four Halls", date(2025, 3, 12), "https://news.example.com/warm-spaces"),
        ("Grid Operator Promises Full Restoration by Saturday", date(2025, 3, 13), "https://news.example.com/restoration"),
    ]
    assert all(a.outlet == "Valley News Service" and a.reliability == "B" for a in items)
    assert all(a.id.startswith("valley-news~") for a in items)
    schools = items[0].text
    assert schools.startswith("All but three of the valley's primary schools reopened on Friday")
    assert "alert" not in schools and "tracker" not in schools and "<" not in schools


def test_markdown_front_matter_fills_the_metadata(corpus):
    a = by_id(corpus, "rail-disruption")
    assert (a.format, a.title, a.outlet, a.author, a.published, a.url, a.language) == (
        "md", "Storm Closes Calder Valley Rail Line for Two Days", "Pennine Transport Weekly",
        "Tom Hartley", date(2025, 3, 12), "https://transport.example.net/calder-line-closed", "en")
    assert a.text.startswith("Network Rail closed the Calder Valley line between Halifax and Todmorden")
    assert "Replacement buses will run every thirty minutes between the affected stations." in a.text
    assert not any(mark in a.text for mark in ("**", "# ", "- Replacement"))


def test_windows_1252_is_decoded_and_says_so(corpus):
    a = by_id(corpus, "legacy-1252")
    assert "valley's flood wardens" in a.text and "café terraces" in a.text
    assert '"Without them the high street would have flooded again," the chief warden said' in a.text
    assert a.warnings == ("not UTF-8: read as cp1252",)


def test_empty_and_binary_files_are_skipped_with_a_warning_naming_them(corpus):
    assert corpus.skipped == ("articles/binary.txt: file is binary, not text (skipped)",
                              "articles/empty.txt: file is empty (skipped)")
    result = run_cli("validate", "--config", str(MIXED))
    assert result.returncode == 0
    assert "warning: articles/binary.txt: file is binary, not text (skipped)" in result.stderr


def test_three_edited_copies_become_one_source_and_two_stories_stay_two(corpus):
    wire = by_id(corpus, "wire-a")  # graded B: the copy kept
    assert [(c.id, c.outlet, c.published) for c in wire.also] == [
        ("wire-b", "Pennine Post", date(2025, 3, 13)), ("wire-c", "Calder Courier", date(2025, 3, 14))]
    ids = [a.id for a in corpus.articles]
    assert "wire-b" not in ids and "wire-c" not in ids
    assert "grid-outage" in ids and "rail-disruption" in ids  # same storm, different stories
    assert corpus.resolve("wire-b") == ("wire-a",)


def test_near_duplicates_are_found_without_comparing_all_pairs(monkeypatch):
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(5000)]
    texts = [" ".join(rng.choice(vocab) for _ in range(150)) for _ in range(3000)]
    texts.append(texts[10].replace(texts[10].split()[5], "changed", 1))  # one near copy
    calls = []
    real = similar.overlap
    monkeypatch.setattr(similar, "overlap", lambda a, b: calls.append(1) or real(a, b))
    groups = similar.groups(texts)
    assert [10, 3000] in groups and len(groups) == 3000
    assert len(calls) < 100  # versus 4.5 million pairs


def test_config_metadata_wins_over_the_page(tmp_path):
    page = ROOT / "tests" / "data" / "mixed" / "articles" / "grid-outage.html"
    (tmp_path / "page.html").write_bytes(page.read_bytes())
    (tmp_path / "config.yaml").write_text(
        "brief: {title: T}\nsources:\n  - {id: p, path: page.html, outlet: Wire Desk, published: 2025-03-11}\n"
        "sections: [{id: s, title: S}]\n")
    (a,) = ingest(config.load(tmp_path / "config.yaml")).articles
    assert (a.outlet, a.published, a.author) == ("Wire Desk", date(2025, 3, 11), "Priya Raman")
    assert a.extracted == ("title", "author", "url")


@pytest.mark.parametrize("raw, expected", [
    ("Email the author; Priya Raman", "Priya Raman"), ("By Jane Doe", "Jane Doe"),
    ("12:45 GMT", None), ("Staff Reporter", None), ("admin", None), ("Share this", None),
    ("news@example.org", None), ("Ana Ruiz and Li Wei", "Ana Ruiz, Li Wei"), (None, None),
])
def test_junk_bylines_are_dropped(raw, expected):
    assert sane_author(raw) == expected


def test_implausible_dates_are_flagged_not_trusted():
    today = date(2025, 6, 1)
    assert sane_date("2025-05-30", today) == (date(2025, 5, 30), None)
    assert sane_date("2031-01-01", today) == (None, "implausible date 2031-01-01 ignored")
    assert sane_date("1970-01-01", today) == (None, "implausible date 1970-01-01 ignored")
    assert sane_date("yesterday", today) == (None, "unreadable date 'yesterday' ignored")


def test_a_brief_from_the_mixed_folder_cites_correctly(mixed):
    articles = {a.id: a for a in (s.article for s in mixed.result.brief.sources)}
    formats = {articles[c["source"]].format for s in mixed.data["sections"] for p in s["points"]
               for c in p["citations"]}
    assert formats == {"html", "md", "feed", "txt"}
    for s in mixed.data["sections"]:
        for p in s["points"]:
            for c in p["citations"]:
                assert articles[c["source"]].text[c["start"]:c["end"]] == c["quote"]
    text = mixed.pdf_text
    assert "Also published by Pennine Post (13 March 2025), Calder Courier (14 March 2025); counted once." in text
    assert "From the web page: title, outlet, author, published, url." in text
    assert "Note: not UTF-8: read as cp1252." in text
    # a file that cannot be used is no source, and the Method note says so (issue 18: never in silence)
    assert text.count("binary.txt") == 1 and "could not be used: articles/binary.txt (file is binary, not text)" in text
    assert "/tests/" not in json.dumps(mixed.data)


def test_sources_command_lists_every_source_and_its_text(tmp_path):
    result = run_cli("sources", "--config", str(MIXED), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    sources = [d for d in data if "id" in d]
    assert [d["id"] for d in sources][:3] == ["grid-outage", "legacy-1252", "rail-disruption"]
    for d in sources:
        assert set(d) >= {"id", "format", "title", "outlet", "author", "published", "url", "words",
                          "duplicates", "warnings", "text"}
    assert [d["skipped"] for d in data if "skipped" in d] == [
        "articles/binary.txt: file is binary, not text (skipped)", "articles/empty.txt: file is empty (skipped)"]
    table = run_cli("sources", "--config", str(MIXED))
    assert table.returncode == 0 and "wire-a: also published by Pennine Post [wire-b]" in table.stdout
    assert table.stdout.splitlines()[0].split()[:4] == ["ID", "FORMAT", "DATE", "WORDS"]


def test_feed_urls_are_fetched_and_unreachable_ones_skipped(tmp_path):
    import http.server
    import threading

    feed = (ROOT / "tests" / "data" / "mixed" / "feeds" / "valley-news.xml").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200 if self.path == "/feed.xml" else 404)
            self.end_headers()
            self.wfile.write(feed if self.path == "/feed.xml" else b"")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        (tmp_path / "config.yaml").write_text(
            f"brief: {{title: T}}\nsources:\n  - {{id: live, feed: '{base}/feed.xml'}}\n"
            f"  - {{id: gone, feed: '{base}/missing.xml'}}\nsections: [{{id: s, title: S}}]\n")
        result = ingest(config.load(tmp_path / "config.yaml"))
    finally:
        httpd.shutdown()
    assert [a.url for a in result.articles] == ["https://news.example.com/schools-reopen",
                                                "https://news.example.com/warm-spaces",
                                                "https://news.example.com/restoration"]
    assert result.skipped == (f"{base}/missing.xml: could not fetch the feed (HTTP Error 404: Not Found) (skipped)",)


def test_a_source_that_ends_up_empty_is_named_at_build_in_the_method_note_and_the_json(tmp_path):
    import shutil

    from conftest import DROUGHT, build, run_cli

    root = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, root)
    (root / "articles" / "only-chrome.txt").write_text("Menu\n\nShare this article\n\nSubscribe\n\nSign in\n")
    (root / "articles" / "blank.txt").write_text("   \n")
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("  date: 2025-07-04\n", "  date: 2025-07-04\n  judgments:\n"
                                                 "    - The notice said nothing of it [@only-chrome].\n"))
    result = run_cli("build", "--config", str(config), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "only-chrome.txt" in result.stderr and "blank.txt" in result.stderr
    built = build(config, tmp_path / "out2")
    assert "2 sources could not be used" in built.pdf_text
    assert "only-chrome.txt (no article text left after removing site chrome)" in built.pdf_text
    unused = {u["id"]: u["why"] for u in built.data["unused_sources"]}
    assert set(unused) == {"only-chrome", "blank"} and unused["blank"] == "file is empty"
    assert "unreadable" in built.html and "withheld" not in built.html
