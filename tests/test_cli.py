"""The command line as a user meets it: help, usage errors, formats, and safe failures."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from briefgen.effects import AtomicWriter
from briefgen.errors import OutputError
from conftest import DROUGHT, run_cli


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(DROUGHT.parent, tmp_path / "p")
    return tmp_path / "p"


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["validate", "--help"]])
def test_every_command_has_help(args):
    result = run_cli(*args)
    assert result.returncode == 0
    assert "usage: briefgen" in result.stdout


@pytest.mark.parametrize("args", [[], ["bild"], ["build", "--nope"], ["build", "--format", "docx"]])
def test_usage_errors_exit_2(args, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip()


def test_build_writes_only_the_formats_asked_for_and_says_what_it_wrote(project):
    result = run_cli("build", "--format", "json,html", "--out", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "out").iterdir() if not p.name.startswith(".")) == [
        "lake-ardon-drought.html", "lake-ardon-drought.json"]
    assert result.stdout.splitlines()[0].startswith("wrote out/lake-ardon-drought.json")


def test_a_failed_build_leaves_the_last_good_outputs_untouched(project):
    assert run_cli("build", "--out", "out", cwd=project).returncode == 0
    before = {p.name: p.read_bytes() for p in (project / "out").iterdir() if p.is_file()}
    (project / "templates").mkdir()
    (project / "templates" / "brief.html").write_text(
        '{% extends "default:brief.html" %}\n{% block masthead %}\n<h1>{{ brief.title }</h1>\n{% endblock %}\n')
    result = run_cli("build", "--out", "out", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert line.startswith("error: ") and "templates/brief.html:3: template error:" in line
    after = {p.name: p.read_bytes() for p in (project / "out").iterdir() if p.is_file()}
    assert after == before  # same files, same bytes, no temporary leftovers


def test_a_project_template_overrides_one_block_of_the_default(project):
    (project / "templates").mkdir()
    (project / "templates" / "brief.html").write_text(
        '{% extends "default:brief.html" %}\n'
        '{% block footer %}<footer class="method">Prepared for the duty desk.</footer>{% endblock %}\n')
    assert run_cli("build", "--format", "html", "--out", "out", cwd=project).returncode == 0
    html = (project / "out" / "lake-ardon-drought.html").read_text()
    assert "Prepared for the duty desk." in html and "Built by briefgen" not in html
    assert "Rationing in the city" in html  # everything else still comes from the default


def test_article_text_is_escaped_in_html(project):
    article = project / "articles" / "farm-union.txt"
    article.write_text(article.read_text().replace(
        "Agriculture officials said", "Agriculture officials <script>alert(1)</script> said"))
    assert run_cli("build", "--format", "html", "--out", "out", cwd=project).returncode == 0
    html = (project / "out" / "lake-ardon-drought.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_atomic_writer_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    writer = AtomicWriter(tmp_path)
    writer.write("brief.pdf", b"good")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left on device"):
        writer.write("brief.pdf", b"half")
    assert (tmp_path / "brief.pdf").read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_two_builds_at_once_both_finish_whole(project):
    import subprocess

    builds = [subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--out", "out"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [b.communicate(timeout=120) + (b.returncode,) for b in builds]
    assert [r[2] for r in results] == [0, 0], results
    from pypdf import PdfReader

    assert len(PdfReader(project / "out" / "lake-ardon-drought.pdf").pages) >= 1
    assert not list((project / "out").glob(".*.tmp"))


def test_progress_shows_on_a_terminal_and_not_elsewhere(project):
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: briefgen on a pseudo-terminal
        os.chdir(project)
        os.execv(sys.executable, [sys.executable, "-m", "briefgen", "build", "--out", "tty"])
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    screen = b"".join(chunks).decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, screen
    for stage in ("reading sources", "splitting sentences", "checking claims", "rendering editions"):
        assert stage in screen
    piped = run_cli("build", "--out", "piped", cwd=project)
    assert "reading sources" not in piped.stdout + piped.stderr
    quiet = run_cli("build", "--out", "quiet", "--quiet", cwd=project)
    assert quiet.stdout == "" and quiet.returncode == 0
