"""Output files follow the umask like any other program's files (a web server or a colleague can
read build/), without briefgen ever changing the process umask."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest

from conftest import BUILT_AT, DROUGHT


def run_with_umask(mask: int, args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, preexec_fn=lambda: os.umask(mask))


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask,expected", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)],
                         ids=["umask022", "umask027", "umask002"])
def test_outputs_get_the_mode_the_umask_gives(tmp_path, mask, expected):
    project = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, project)
    result = run_with_umask(mask, ["build", "--out", "out"], project)
    assert result.returncode == 0, result.stderr
    files = sorted((project / "out").glob("lake-ardon-drought.*"))
    assert [p.suffix for p in files] == [".html", ".json", ".pdf"]
    assert {p.name: oct(mode(p)) for p in files} == {p.name: oct(expected) for p in files}
    again = run_with_umask(mask, ["build", "--out", "out", "--format", "html"], project)  # replacing keeps it
    assert again.returncode == 0 and mode(project / "out" / "lake-ardon-drought.html") == expected


def test_eml_files_get_the_mode_the_umask_gives(tmp_path):
    from test_mail import project

    root = project(tmp_path, 1)  # a dry run connects to nothing
    result = run_with_umask(0o022, ["send", "--week", "2023-W37", "--dry-run", "--outbox", "preview"], root)
    assert result.returncode == 0, result.stderr
    emls = sorted((root / "preview").glob("*.eml"))
    assert emls and all(mode(p) == 0o644 for p in emls), [oct(mode(p)) for p in emls]


def test_a_build_reads_the_umask_without_changing_it(tmp_path):
    from briefgen import pipeline
    from briefgen.effects import FixedClock, umask

    old = os.umask(0o077)
    try:
        assert umask() == 0o077
        result = pipeline.build(DROUGHT, tmp_path / "out", formats=("html", "json"), clock=FixedClock(BUILT_AT))
        assert umask() == 0o077  # briefgen did not touch it
        assert all(mode(p) == 0o600 for p in result.written)  # a private umask keeps outputs private
    finally:
        os.umask(old)


def test_without_proc_the_mode_comes_from_a_probe_file(tmp_path, monkeypatch):
    from briefgen import effects

    monkeypatch.setattr(effects, "umask", lambda: None)  # as on a system without /proc
    old = os.umask(0o027)
    try:
        assert effects.file_mode(tmp_path) == 0o640
        written = effects.AtomicWriter(tmp_path).write("brief.html", b"<p>x</p>")
        assert mode(written) == 0o640 and os.umask(0o027) == 0o027
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]  # the probe is gone
