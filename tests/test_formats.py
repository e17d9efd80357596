"""Output formats are a registry like the readers: one module (name, extension, write) each,
chosen by `formats:` in config.yaml (per audience too) and `--format`; templates get the format
and reader vocabularies from the registries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefgen import cli, pipeline, render
from briefgen.effects import FixedClock
from briefgen.ingest import readers
from conftest import BUILT_AT, DROUGHT, flatten, run_cli


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, root)
    return root


@pytest.fixture
def toy_format():
    """A toy output format: one line per edition, registered as a format module would be."""
    calls = []

    @render.register("toy", "toy.txt", "Toy text")
    def write(editions, settings):
        calls.append([e.brief.audience for e in editions])
        return [f"{e.brief.title} | {e.brief.audience} | {len(e.brief.sources)} sources\n".encode() for e in editions]

    yield calls
    del render.FORMATS["toy"]


def with_config(project: Path, extra: str) -> Path:
    path = project / "config.yaml"
    path.write_text(path.read_text() + extra)
    return path


def test_the_registry_names_the_three_built_in_formats():
    assert [(f.name, f.extension, f.label) for f in render.FORMATS.values()] == [
        ("html", "html", "HTML"), ("pdf", "pdf", "PDF"), ("json", "json", "JSON")]
    assert pipeline.FORMATS == ("html", "pdf", "json")


def test_a_toy_format_registered_in_a_module_is_written_end_to_end(project, toy_format):
    config = with_config(project, "\naudiences:\n  - id: team\n    formats: [html, toy]\n"
                                  "  - id: board\n    formats: [toy]\n")
    result = pipeline.build(config, project / "out", clock=FixedClock(BUILT_AT))
    names = sorted(p.name for p in result.written)
    assert names == ["lake-ardon-drought-board.toy.txt", "lake-ardon-drought-team.html",
                     "lake-ardon-drought-team.toy.txt"]
    assert toy_format == [["team", "board"]]  # one call with every edition, like the PDF batch
    assert (project / "out" / "lake-ardon-drought-board.toy.txt").read_text() == \
        "Lake Ardon Drought | board | 3 sources\n"
    # the template takes the list of formats from the registry
    assert "UTC, published as HTML and Toy text." in flatten((project / "out" / "lake-ardon-drought-team.html").read_text())


def test_the_cli_format_option_takes_a_registered_format(project, toy_format, capsys):
    config = project / "config.yaml"
    assert cli.main(["build", "--config", str(config), "--out", str(project / "out"), "--format", "toy,json"]) == 0
    assert sorted(p.name for p in (project / "out").iterdir() if p.is_file() and p.name[0] != ".") == [
        "lake-ardon-drought.json", "lake-ardon-drought.toy.txt"]
    assert "wrote" in capsys.readouterr().out


def test_formats_in_the_config_choose_what_is_written_and_audiences_override_them(project):
    config = with_config(project, "\naudiences:\n  - id: team\n  - id: board\n    formats: [pdf]\n")
    config.write_text(config.read_text().replace("  max_points: 4\n", "  max_points: 4\n  formats: [json, html]\n"))
    result = run_cli("build", "--config", str(config), "--out", str(project / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "out").iterdir() if p.is_file() and p.name[0] != ".") == [
        "lake-ardon-drought-board.pdf", "lake-ardon-drought-team.html", "lake-ardon-drought-team.json"]
    html = (project / "out" / "lake-ardon-drought-team.html").read_text()
    assert "UTC, published as JSON and HTML." in flatten(html)
    # --format overrides the config for every edition
    result = run_cli("build", "--config", str(config), "--out", str(project / "cli"), "--format", "json")
    assert sorted(p.name for p in (project / "cli").iterdir() if p.is_file() and p.name[0] != ".") == [
        "lake-ardon-drought-board.json", "lake-ardon-drought-team.json"]


def test_an_unknown_format_is_a_config_error_with_its_line_and_the_known_ones(project):
    config = with_config(project, "\naudiences:\n  - id: team\n    formats: [html, docx]\n")
    result = run_cli("build", "--config", str(config), "--out", str(project / "out"))
    assert result.returncode == 1
    assert "docx" in result.stderr and "html, pdf, json" in result.stderr and "config.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli("build", "--config", str(config), "--format", "docx")
    assert result.returncode == 2 and "html, pdf, json" in result.stderr


@pytest.fixture
def memo_reader():
    """A toy reader for `.memo` files, registered as a reader module would be."""

    @readers.register(".memo", name="memo", label="memo header")
    def read(data, path):
        head, _, body = data.decode().partition("\n\n")
        return [readers.Extracted(body, "memo", title=head.strip(), outlet="Valley Memo Service")]

    yield
    del readers.READERS[".memo"], readers.LABELS["memo"]


def test_a_new_reader_format_renders_with_its_label_from_the_reader_registry(project, memo_reader):
    """macros.html used a map of reader names written in the template: a new reader broke rendering."""
    (project / "articles" / "canal-memo.memo").write_text(
        "Canal repairs begin\n\nEngineers began repairing the main irrigation canal on Monday, the water "
        "board said, and farmers expect the wheat harvest to recover if rainfall returns in September.\n")
    config = project / "config.yaml"
    config.write_text(config.read_text().replace(
        "\nsections:", "  - id: canal-memo\n    path: articles/canal-memo.memo\n    reliability: B\n\nsections:", 1))
    result = pipeline.build(config, project / "out", formats=("html", "json"), clock=FixedClock(BUILT_AT))
    html = result.file("html").read_text()
    assert "From the memo header: title, outlet." in html
    assert "canal-memo" in {s["id"] for s in json.loads(result.file("json").read_text())["sources"]}
