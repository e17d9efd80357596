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
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, wait_for

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


# --- a full disk -------------------------------------------------------------------------------

SEED = "000_22427353ba8217a4.txt"


def change_an_article(project: Path) -> None:
    with (project / "seeds" / SEED).open("a") as fh:
        fh.write("\nA late paragraph added for this test, so every output changes.\n")


FILE_LIMITS = [pytest.param(limit, warm, id=f"{limit}B-{'outputs' if warm else 'pdf-engine'}")
               for warm, limits in ((True, [0, 20_000, 60_000]), (False, [20_000]))
               for limit in limits]
"""RLIMIT_FSIZE values (how far any one file may grow before the disk is 'full': before the first
output, between the small and the large ones, before the largest), with the new
PDFs already in the cache (the disk fills while the outputs are written) or not (it fills while
the PDF engine runs)."""


@pytest.mark.parametrize("limit,warm", FILE_LIMITS)
def test_a_full_disk_while_writing_outputs_leaves_the_previous_set_whole(tmp_path, limit, warm):
    import resource

    project = sample_project(tmp_path)
    original = (project / "seeds" / SEED).read_bytes()
    if warm:  # the changed brief's PDFs go into the cache; then the previous brief is built again
        change_an_article(project)
        assert build_again(project).returncode == 0
        (project / "seeds" / SEED).write_bytes(original)
    assert build_again(project).returncode == 0
    before = outputs(project)
    change_an_article(project)

    def full_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes then fail with EFBIG, as on a full disk

    result = subprocess.run([sys.executable, "-m", "briefgen", "build", "--out", "out"], cwd=project,
                            capture_output=True, text=True, timeout=120, preexec_fn=full_disk)
    COVERED.append(f"disk-full:{'outputs' if warm else 'pdf-engine'}:{limit}")
    assert result.returncode == 1, result.stderr
    assert outputs(project) == before, result.stderr  # the previous set, whole: the message is true
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and ("disk is full" in errors[0] or "free space" in errors[0]), result.stderr
    assert "earlier outputs in out are unchanged" in result.stderr
    assert not list((project / "out").glob(".*.tmp"))
    again = build_again(project)
    assert again.returncode == 0, again.stderr
    assert outputs(project).keys() == before.keys() and outputs(project) != before


class FullDiskAt:
    """`os` for briefgen.effects, failing with ENOSPC at the `at`-th write, chmod, sync, link or
    rename of a file in `folder` (counted from 1; 0 never fails, it only counts)."""

    def __init__(self, folder: Path, at: int):
        self.folder, self.at, self.count = folder.resolve(), at, 0

    def __getattr__(self, name):
        return getattr(os, name)

    def _point(self, path) -> None:
        if Path(path).resolve().parent == self.folder:
            self.count += 1
            if self.count == self.at:
                raise OSError(28, "No space left on device")

    def _fd_point(self, fd: int) -> None:
        self._point(os.readlink(f"/proc/self/fd/{fd}"))

    def fdopen(self, fd, *args, **kwargs):
        fh = os.fdopen(fd, *args, **kwargs)
        point, real_write = self._fd_point, fh.write

        class Faulty:
            def __getattr__(self, name):
                return getattr(fh, name)

            def __enter__(self):
                fh.__enter__()
                return self

            def __exit__(self, *exc):
                return fh.__exit__(*exc)

            def write(self, data):
                half = len(data) // 2
                real_write(data[:half])  # the disk fills up in the middle of the file
                point(fh.fileno())
                return real_write(data[half:]) + half

        return Faulty()

    def fchmod(self, fd, mode):
        self._fd_point(fd)
        return os.fchmod(fd, mode)

    def fsync(self, fd):
        if not os.path.isdir(f"/proc/self/fd/{fd}"):
            self._fd_point(fd)
        return os.fsync(fd)

    def link(self, src, dst, **kwargs):
        self._point(dst)
        return os.link(src, dst, **kwargs)

    def replace(self, src, dst, **kwargs):
        self._point(dst)
        return os.replace(src, dst, **kwargs)


def test_a_full_disk_at_every_step_of_writing_leaves_one_whole_set(tmp_path, monkeypatch):
    """Fail each write, sync, link and rename of the outputs in turn: every time, the folder
    holds the previous set whole (and the build says it failed), never a mix."""
    from briefgen import effects, pipeline
    from briefgen.effects import FixedClock
    from briefgen.errors import OutputError
    from conftest import BUILT_AT

    project = sample_project(tmp_path)
    out = project / "out"
    pipeline.build(project / "config.yaml", out, clock=FixedClock(BUILT_AT))
    before = outputs(project)
    change_an_article(project)
    counting = FullDiskAt(out, 0)
    monkeypatch.setattr(effects, "os", counting)
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh)
    pipeline.build(fresh / "config.yaml", fresh / "out", clock=FixedClock(BUILT_AT), use_cache=False)
    counting.folder = fresh.joinpath("out").resolve()
    pipeline.build(fresh / "config.yaml", fresh / "out", clock=FixedClock(BUILT_AT), use_cache=False)
    points = counting.count
    after = outputs(fresh)
    assert points >= 5 * len(before)  # write, chmod, sync, keep the old, rename: per file
    for at in range(1, points + 1):
        monkeypatch.setattr(effects, "os", FullDiskAt(out, at))
        with pytest.raises(OutputError, match="disk is full"):
            pipeline.build(project / "config.yaml", out, clock=FixedClock(BUILT_AT), use_cache=False)
        COVERED.append(f"disk-full:write-step:{at}")
        assert outputs(project) == before, f"a mixed set after a full disk at step {at} of {points}"
        assert not list(out.glob(".*.tmp")), at
    monkeypatch.setattr(effects, "os", os)
    pipeline.build(project / "config.yaml", out, clock=FixedClock(BUILT_AT), use_cache=False)
    assert outputs(project) == after


# --- damaged cache -----------------------------------------------------------------------------

DAMAGE = {
    "truncated": lambda data: data[: len(data) // 2],
    "empty": lambda data: b"",
    "garbage": lambda data: bytes((b * 7 + 13) % 256 for b in data[:4096]) or b"\xff",
    "wrong-shape": lambda data: b'{"outputs": 1, "key": [1, 2], "0": null}' if data[:1] in b"[{" else b"[1, 2, [3]]",
    "flipped-byte": lambda data: data[:-40] + bytes([data[-40] ^ 0x55]) + data[-39:] if len(data) > 40 else b"x",
}


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory):
    """The sample project built once (outputs and cache): copied by each test that damages it."""
    from briefgen import pipeline
    from briefgen.effects import FixedClock
    from conftest import BUILT_AT

    project = sample_project(tmp_path_factory.mktemp("built"))
    result = pipeline.build(project / "config.yaml", project / "out", clock=FixedClock(BUILT_AT))
    return project, {p.name: p.read_bytes() for p in result.written}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_is_rebuilt_and_never_reaches_the_outputs(tmp_path, built_sample, damage):
    from briefgen import pipeline
    from briefgen.effects import FixedClock
    from conftest import BUILT_AT

    project = tmp_path / "p"
    shutil.copytree(built_sample[0], project)
    expected = built_sample[1]
    out = project / "out"
    entries = [p for p in (out / ".briefgen" / "cache").rglob("*") if p.is_file()]
    assert {p.parent.name for p in entries} >= {"articles", "pdf", "built", "cache"}
    for path in entries:
        path.write_bytes(DAMAGE[damage](path.read_bytes()))
        COVERED.append(f"cache:{damage}:{path.parent.name}/{path.name[:12]}")
    for name in expected:
        (out / name).unlink()  # so that the build can't stop at "up to date"
    result = pipeline.build(project / "config.yaml", out, clock=FixedClock(BUILT_AT))
    assert {p.name: p.read_bytes() for p in result.written} == expected


# --- builds at once ----------------------------------------------------------------------------

def test_builds_of_different_inputs_at_once_leave_one_whole_set(tmp_path):
    """Three builds into one folder at once, two configs that differ: every build succeeds and the
    folder ends with the whole set of one of them, never a mix."""
    project = sample_project(tmp_path)
    config = (project / "config.yaml").read_text()
    assert "Moscow and Pyongyang have moved" in config
    (project / "other.yaml").write_text(config.replace("Moscow and Pyongyang have moved",
                                                       "Moscow and Pyongyang have since moved"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1719221400"}

    def run(config: str, out: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--config", config, "--out", out],
                                cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    sets = []
    for config_name, out in (("config.yaml", "ref-a"), ("other.yaml", "ref-b")):
        ref = run(config_name, out)
        assert ref.communicate(timeout=120) and ref.returncode == 0
        sets.append({p.name: p.read_bytes() for p in (project / out).glob("russia-*")})
    assert sets[0] != sets[1] and sets[0].keys() == sets[1].keys()
    builds = [run(c, "out") for c in ("config.yaml", "other.yaml", "config.yaml")]
    results = [(b.communicate(timeout=300), b.returncode) for b in builds]
    COVERED.extend(f"concurrent:build:{i}" for i in range(len(builds)))
    assert [code for _, code in results] == [0] * len(builds), results
    final = {p.name: p.read_bytes() for p in (project / "out").glob("russia-*")}
    assert final in sets, "the output folder holds a mix of two builds"
    assert not list((project / "out").glob(".*.tmp"))


STALL_IN_SWAP = """
import os, sys, time
from pathlib import Path
real = os.replace
done = []
def stalled(src, dst):
    if Path(dst).parent.name == "out" and Path(dst).name.startswith("russia-"):
        done.append(dst)
        if len(done) == 4:  # three outputs of six are in place: killed here
            Path("stage-swap").touch()
            time.sleep(600)
    real(src, dst)
os.replace = stalled
from briefgen.cli import main
sys.exit(main(["build", "--out", "out"]))
"""


def test_a_build_killed_while_putting_outputs_in_place_is_completed_by_the_next(tmp_path):
    project = sample_project(tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1719221400"}
    first = subprocess.run([sys.executable, "-m", "briefgen", "build", "--out", "out"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    before = outputs(project)
    config = project / "config.yaml"
    config.write_text(config.read_text().replace("Moscow and Pyongyang have moved", "Moscow and Pyongyang have since moved"))
    log = open(project / "build.log", "wb")
    build = subprocess.Popen([sys.executable, "-c", STALL_IN_SWAP], cwd=project, env=env, stdout=log, stderr=log,
                             start_new_session=True)
    log.close()
    try:
        wait_for(lambda: (project / "stage-swap").exists() or build.poll() is not None, "the build never wrote")
        assert build.poll() is None, (project / "build.log").read_text()
        os.kill(build.pid, signal.SIGKILL)
        build.wait(30)
        COVERED.append("kill:swap:SIGKILL")
        mixed = outputs(project)
        assert mixed != before  # the kill landed among the renames...
        json_only = subprocess.run([sys.executable, "-m", "briefgen", "build", "--out", "out", "--format", "json"],
                                   cwd=project, env=env, capture_output=True, text=True, timeout=120)
        assert json_only.returncode == 0, json_only.stderr
        completed = outputs(project)  # ...and the next build (even of JSON only) completed that set
        full = subprocess.run([sys.executable, "-m", "briefgen", "build", "--out", "out"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=120)
        assert full.returncode == 0, full.stderr
        assert outputs(project) == completed
        assert "finished putting in place the outputs of a build stopped while writing them" in json_only.stderr
    finally:
        cleanup(build)


def _what_a_child_holds() -> tuple[list[str], int]:
    """(files named *.lock open in this process, its parent-death signal)."""
    import ctypes

    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.endswith(".lock"):
            held.append(target)
    sig = ctypes.c_int(0)
    ctypes.CDLL(None).prctl(2, ctypes.byref(sig), 0, 0, 0)  # PR_GET_PDEATHSIG
    return held, sig.value


def test_a_render_child_holds_no_lock_and_dies_with_its_parent(tmp_path):
    from briefgen import isolate
    from briefgen.lock import build_lock

    with build_lock(tmp_path):
        held, sig = isolate.call(_what_a_child_holds, timeout=60, memory_mb=1024, what="the probe")
    assert held == []
    assert sig == signal.SIGKILL
