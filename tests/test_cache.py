"""The incremental cache skips unchanged work and is never wrong: every input change shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import briefgen
from briefgen import cache as cache_module
from briefgen import pipeline
from briefgen.ingest import readers
from briefgen.render import pdf as render
from conftest import ROOT, SAMPLE, run_cli


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copy(SAMPLE, root / "config.yaml")
    return root


def outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "build").iterdir() if p.is_file() and not p.name.startswith(".")}


def build(root: Path, *args: str) -> str:
    result = run_cli("build", *args, cwd=root)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_rebuild_with_nothing_changed_does_nothing_and_keeps_the_bytes(project):
    build(project)
    before = outputs(project)
    again = build(project)
    assert again.splitlines() and all(line.startswith("up to date ") for line in again.splitlines())
    assert outputs(project) == before


@pytest.mark.parametrize("change", ["config", "template", "article", "prose file", "asset"])
def test_each_kind_of_input_change_shows_in_the_output(project, change):
    build(project)
    before = outputs(project)
    if change == "config":
        path = project / "config.yaml"
        path.write_text(path.read_text().replace("subtitle: Summit diplomacy", "subtitle: Weekly summit diplomacy"))
    elif change == "template":
        (project / "templates").mkdir()
        (project / "templates" / "brief.html").write_text(
            '{% extends "default:brief.html" %}{% block footer %}<footer class="method">Changed.</footer>{% endblock %}')
    elif change == "article":
        path = project / "seeds" / "002_f38268d35f2190a0.txt"
        path.write_text(path.read_text().replace("mutual defense pact", "mutual defence treaty"))
    elif change == "prose file":
        (project / "bluf.md").write_text("The bottom line lives in a file now.")
        path = project / "config.yaml"
        text = path.read_text()
        start = text.index("  summary: |")
        end = text.index("  judgments:")
        path.write_text(text[:start] + "  summary: {file: bluf.md}\n" + text[end:])
        build(project)
        before = outputs(project)
        (project / "bluf.md").write_text("The bottom line changed in its file.")
    elif change == "asset":
        (project / "assets").mkdir()
        (project / "assets" / "logo.txt").write_text("one")
        build(project)
        before = outputs(project)
        (project / "assets" / "logo.txt").write_text("two")
    out = build(project)
    if change == "asset":  # an asset no template uses: rebuilt (inputs changed), same briefs
        assert "wrote " in out
        return
    after = outputs(project)
    assert "wrote " in out and after != before
    assert any(after[name] != before[name] for name in after if name.endswith(".pdf"))


def test_a_new_briefgen_version_invalidates_everything(project, monkeypatch):
    first = pipeline.build(project / "config.yaml", project / "build")
    assert not first.cached
    assert pipeline.build(project / "config.yaml", project / "build").cached
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    monkeypatch.setattr(briefgen, "__version__", "99.0")
    assert not pipeline.build(project / "config.yaml", project / "build").cached


def test_options_are_part_of_the_key(project):
    build(project, "--week", "2023-W37")
    assert "wrote " in build(project, "--week", "2023-W38")
    assert "wrote " in build(project, "--audience", "executive")


def test_one_article_changed_reparses_only_it_and_rerenders_only_editions_it_touches(project, monkeypatch):
    pipeline.build(project / "config.yaml", project / "build")
    parsed, rendered = [], []
    real_read, real_pdfs = readers.read, render.to_pdfs
    monkeypatch.setattr(readers, "read", lambda data, path: parsed.append(path.name) or real_read(data, path))
    monkeypatch.setattr(render, "to_pdfs", lambda htmls, *a, **k: rendered.append(len(htmls)) or real_pdfs(htmls, *a, **k))
    # the refusal article is graded E: the executive edition leaves it out, so only the analyst's changes
    path = project / "seeds" / "000_22427353ba8217a4.txt"
    path.write_text(path.read_text().replace("In a surprising move", "In a surprising step"))
    result = pipeline.build(project / "config.yaml", project / "build")
    assert parsed == ["000_22427353ba8217a4.txt"]
    assert rendered == [1]
    assert {b.audience for b in result.briefs} == {"executive", "analyst"}


def test_the_cache_is_safe_to_delete_or_damage(project):
    build(project)
    before = outputs(project)
    shutil.rmtree(project / "build" / ".briefgen" / "cache")
    assert "wrote " in build(project)
    after = outputs(project)
    assert after.keys() == before.keys()
    for name in after:  # the same brief; only the time it was (re)built may differ
        if name.endswith(".json"):
            strip = lambda b: re.sub(rb'"built_at": "[^"]+"', b"", b)  # noqa: E731
            assert strip(after[name]) == strip(before[name])
    for entry in (project / "build" / ".briefgen" / "cache").rglob("*.json"):
        entry.write_text("{not json")
    (project / "seeds" / "004_30a5803eb0d39c5c.txt").write_text(
        (project / "seeds" / "004_30a5803eb0d39c5c.txt").read_text() + "\nOne more sentence for the record, added later.\n")
    assert "wrote " in build(project)
    assert run_cli("validate", cwd=project).returncode == 0


def test_building_one_audience_keeps_the_other_audiences_cached_pdf(project, monkeypatch):
    pipeline.build(project / "config.yaml", project / "build")
    pipeline.build(project / "config.yaml", project / "build", audience="executive")
    rendered = []
    real = render.to_pdfs
    monkeypatch.setattr(render, "to_pdfs", lambda htmls, *a, **k: rendered.append(len(htmls)) or real(htmls, *a, **k))
    pipeline.build(project / "config.yaml", project / "build", audience="analyst")
    assert rendered == [0]  # the analyst PDF came from the cache, not from WeasyPrint
