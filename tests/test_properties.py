"""Property-based: random text and random config shapes raise only briefgen's own errors."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen import config
from briefgen.analysis import evidence
from briefgen.ingest.chrome import Cleaner, normalize
from briefgen.errors import BriefgenError
from briefgen.ingest.corpus import ingest

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLEANER = Cleaner()
lines = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)
documents = st.lists(st.one_of(lines, st.sampled_from([
    "Leave a Reply", "Share this article", "The council approved the budget on Monday evening.",
    "• A bullet point that is a complete sentence of some length.", "", "Menu", "Photo: Agency",
    "\r\nBcc: x@example.com", "<script>alert(1)</script>"])), max_size=25).map("\n\n".join)


@SETTINGS
@given(documents)
def test_cleaning_never_fails_and_only_keeps_text_from_the_input(raw):
    cleaned = CLEANER.clean(raw)
    flat = normalize(raw.replace("\n", " "))
    for paragraph in cleaned.body.split("\n\n") if cleaned.body else []:
        assert paragraph and "\n" not in paragraph
        assert paragraph in flat
    assert cleaned.title is None or "\n" not in cleaned.title


@SETTINGS
@given(st.binary(max_size=3000) | documents.map(lambda s: s.encode("utf-8", "surrogatepass")),
       st.sampled_from([".txt", ".html", ".md", ".xml"]))
def test_reading_any_bytes_in_any_format_gives_sources_or_a_briefgen_error(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"a{suffix}").write_bytes(data)
        (Path(tmp) / "config.yaml").write_text(
            f"brief: {{title: T}}\nsources: [{{id: a, path: a{suffix}}}]\nsections: [{{id: s, title: S}}]\n")
        try:
            corpus = ingest(config.load(Path(tmp) / "config.yaml"))
        except BriefgenError:
            return
        for p in evidence.split(corpus.articles):  # every sentence span is exact
            article = next(a for a in corpus.articles if a.id == p.source)
            assert article.text[p.start:p.end] == p.text


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**6), st.floats(allow_nan=False),
                    st.text(max_size=30), st.dates(), st.sampled_from(["A", "F", "seeds/*.txt", "x.txt"]))
keys = st.sampled_from(["brief", "title", "sources", "sections", "claims", "id", "path", "glob",
                        "articles", "keywords", "kind", "statement", "asserted_by", "cleanup", "drop",
                        "safety", "max_points", "reliability", "date", "sections", "titel", "x"])
shapes = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) |
                      st.dictionaries(keys, inner, max_size=5), max_leaves=25)


@SETTINGS
@given(st.dictionaries(keys, shapes, max_size=6) | shapes)
def test_loading_any_config_shape_gives_a_config_or_a_config_error(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            config.load(path)
        except BriefgenError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)


@SETTINGS
@given(st.text(max_size=400))
def test_loading_any_text_as_config_gives_a_config_or_a_config_error(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            config.load(path)
        except BriefgenError as exc:
            assert exc.problems
