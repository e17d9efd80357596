"""Fault injection, as a probe would do it: kill a build (SIGKILL, SIGTERM) during ingest, analysis
and rendering, fill the disk while outputs are written, run builds at once, damage the cache.

After each fault the next build must succeed (bounded waits, never timed assertions) and the
output folder must hold one whole set of outputs: the previous one or the new one, never a mix.
The number of fault points covered is printed at the end of the run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

COVERED: list[str] = []
"""Fault points this run injected, as 'kind:where:how' (conftest prints the count at the end)."""


# --- helpers -----------------------------------------------------------------------------------

def sample_project(tmp_path: Path) -> Path:
    """A copy of the sample project (two editions; the analyst PDF is larger than a pipe's 64 KB)."""
    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(SAMPLE, project / "config.yaml")
    shutil.copytree(ROOT / "seeds", project / "seeds")
    return project


def children(pid: int) -> set[int]:
    """Every live descendant of `pid` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                kids = Path(f"/proc/{p}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for kid in map(int, kids):
                if kid not in found:
                    found.add(kid)
                    todo.append(kid)
    return found


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_for(check, what: str, limit: float = 60.0):
    """Poll `check` until it returns something true; fail with `what` after a generous `limit`."""
    deadline = time.monotonic() + limit
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(what)
        time.sleep(0.02)


BUILD = """
import sys
from briefgen.cli import main
sys.exit(main(["build", "--out", "out"]))
"""

STALL_IN = """
import sys, time
from pathlib import Path
import {module} as target
real = target.{name}
def stalled(*args, **kwargs):
    Path("stage-{name}").touch()  # the test kills the build from here on
    out = real(*args, **kwargs)
    time.sleep(600)
    return out
target.{name} = stalled
from briefgen.cli import main
sys.exit(main(["build", "--out", "out"]))
"""


def start(project: Path, script: str = BUILD) -> subprocess.Popen:
    """A build in its own session (so the test can clean up whatever it leaves running)."""
    log = open(project / "build.log", "wb")
    with log:
        return subprocess.Popen([sys.executable, "-c", script], cwd=project, stdout=log, stderr=log,
                                start_new_session=True)


def cleanup(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass


def build_again(project: Path, *args: str, limit: float = 120) -> subprocess.CompletedProcess:
    """The next build, as a user runs it; fails the test (not hangs) if it never finishes."""
    try:
        return subprocess.run([sys.executable, "-m", "briefgen", "build", "--out", "out", *args],
                              cwd=project, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the build after the fault did not finish in {limit:g} s: {exc.stderr!r}")


def lock_says(project: Path) -> str:
    try:
        return (project / "out" / ".briefgen.lock").read_text().strip()
    except OSError:
        return ""


def outputs(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "out").glob("*")) if p.is_file()
            and not p.name.startswith(".")}


# --- kills -------------------------------------------------------------------------------------

SIGNALS = [pytest.param(signal.SIGKILL, id="SIGKILL"), pytest.param(signal.SIGTERM, id="SIGTERM")]


@pytest.mark.parametrize("sig", SIGNALS)
def test_a_build_killed_while_rendering_leaves_no_process_and_does_not_block_the_next(tmp_path, sig):
    project = sample_project(tmp_path)
    build = start(project)
    try:
        kids = wait_for(lambda: children(build.pid) or build.poll() is not None, "rendering never started")
        assert build.poll() is None, (project / "build.log").read_text()
        os.kill(build.pid, sig)
        build.wait(30)
        COVERED.append(f"kill:render:{sig.name}")
        wait_for(lambda: not any(alive(k) for k in kids),
                 "the PDF engine's processes outlived the killed build", limit=30)
        result = build_again(project)
        assert result.returncode == 0, result.stderr
        assert "waiting for another build" not in result.stderr
        assert {"russia-and-north-korea-analyst.pdf", "russia-and-north-korea-executive.pdf"} <= set(outputs(project))
    finally:
        cleanup(build)


STAGES = [pytest.param("briefgen.ingest.corpus", "ingest", id="ingest"),
          pytest.param("briefgen.pipeline", "analyse", id="analysis")]


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize("module,name", STAGES)
def test_a_build_killed_during_a_stage_does_not_block_the_next(tmp_path, module, name, sig):
    project = sample_project(tmp_path)
    assert build_again(project).returncode == 0
    before = outputs(project)
    (project / "seeds" / "000_22427353ba8217a4.txt").open("a").write("\nA late paragraph added for this test.\n")
    build = start(project, STALL_IN.format(module=module, name=name))
    try:
        wait_for(lambda: (project / f"stage-{name}").exists() or build.poll() is not None,
                 f"the build never reached {name}")
        assert build.poll() is None, (project / "build.log").read_text()
        os.kill(build.pid, sig)
        build.wait(30)
        COVERED.append(f"kill:{name}:{sig.name}")
        assert outputs(project) == before  # the killed build replaced nothing
        result = build_again(project)
        assert result.returncode == 0, result.stderr
        assert outputs(project).keys() == before.keys()
    finally:
        cleanup(build)


HOLD_LOCK = """
import fcntl, sys, time
lock = open(".briefgen.lock", "a+")
fcntl.flock(lock, fcntl.LOCK_EX)
lock.truncate(0)
lock.write(sys.argv[1] + "\\n")
lock.flush()
time.sleep(600)
"""


def test_a_lock_whose_build_is_dead_is_taken_over_with_a_message(tmp_path):
    """An orphan of a killed build (from an older briefgen) still holds the lock; the build that
    wrote its PID in it is gone: the next build says so and goes ahead instead of waiting forever."""
    project = sample_project(tmp_path)
    (project / "out").mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(dead.pid)], cwd=project / "out",
                              start_new_session=True)
    try:
        wait_for(lambda: lock_says(project) == str(dead.pid),
                 "the orphan never took the lock")
        COVERED.append("lock:stale")
        result = build_again(project, limit=90)
        assert result.returncode == 0, result.stderr
        assert f"taking over the build lock of process {dead.pid}, which is no longer running" in result.stderr
        assert "russia-and-north-korea-analyst.pdf" in outputs(project)
    finally:
        cleanup(holder)


def test_a_build_waits_for_a_live_build_holding_the_lock(tmp_path):
    project = sample_project(tmp_path)
    (project / "out").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK.replace("sys.argv[1]", "str(__import__('os').getpid())")
                               .replace("time.sleep(600)", "time.sleep(3)")], cwd=project / "out")
    try:
        wait_for(lambda: lock_says(project) == str(holder.pid),
                 "the other build never took the lock")
        COVERED.append("lock:busy")
        result = build_again(project, limit=90)
        assert result.returncode == 0, result.stderr
        assert "waiting for another build" in result.stderr and "taking over" not in result.stderr
    finally:
        cleanup(holder)
