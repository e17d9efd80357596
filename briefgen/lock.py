"""An output folder → its build lock, held by one build at a time.

`folder/.briefgen.lock` is held (flock) for the rendering and writing of a build; it names its
holder (PID and start time), so that a lock whose holder no longer runs is taken over with a
message. Forked children (the PDF engine's) never keep it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from pathlib import Path
from typing import Iterator

from .effects import NO_SPACE, TEMP_GLOB, finish_swap, write_problem
from .errors import OutputError, Problem

_HELD: set[int] = set()
"""File descriptors of the build locks this process holds."""


def _drop_locks_in_child() -> None:
    """In a forked child: let go of the parent's build locks. flock belongs to the open file, so a
    child that kept the descriptor would hold the lock after its parent died. The descriptor is
    pointed at /dev/null (never unlocked: that would release the parent's lock too)."""
    for fd in list(_HELD):
        try:
            null = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
            os.dup2(null, fd, inheritable=False)
            os.close(null)
        except OSError:
            pass
    _HELD.clear()


_HOOKED = False


def _hold(fd: int) -> None:
    """Note a lock descriptor this process holds; the fork hook is installed on the first lock a
    build takes (importing briefgen installs nothing), and only ever touches these descriptors."""
    global _HOOKED
    if not _HOOKED and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_drop_locks_in_child)
        _HOOKED = True
    _HELD.add(fd)


def _identity(pid: int) -> str | None:
    """`pid` and its start time (so a reused PID is not taken for the old process), or None when
    no such process runs (a zombie does not run)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except OSError:
            pass
        return str(pid)  # no /proc: running, start time unknown
    return None if fields[0] in ("Z", "X") else f"{pid} {fields[19]}"


def _owner_gone(path: Path) -> str | None:
    """The holder written in the lock file, if that process no longer runs (a stale lock)."""
    try:
        text = path.read_text(encoding="ascii").strip()
        pid = int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return None
    if pid == os.getpid():
        return None
    now = _identity(pid)
    if now is None or (len(text.split()) > 1 and len(now.split()) > 1 and now != text):
        return str(pid)
    return None


@contextlib.contextmanager
def _guard(folder: Path) -> Iterator[None]:
    """A short-lived second lock under which the lock file's owner is written or taken over."""
    (folder / ".briefgen").mkdir(exist_ok=True)
    with open(folder / ".briefgen" / "lock.guard", "a+") as guard:
        _hold(guard.fileno())
        try:
            fcntl.flock(guard, fcntl.LOCK_EX)
            yield
        finally:
            _HELD.discard(guard.fileno())


def _same_file(handle, path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except OSError:
        return False


def _acquire(folder: Path):
    """The open, locked lock file (with this process written in it), waiting for a live holder
    and taking over from a dead one."""
    path = folder / ".briefgen.lock"
    waiting = False
    while True:
        handle = open(path, "a+")
        _hold(handle.fileno())
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            locked = True
        except BlockingIOError:
            locked = False
        with _guard(folder):
            if locked and _same_file(handle, path):
                handle.truncate(0)
                handle.write(f"{_identity(os.getpid()) or os.getpid()}\n")
                handle.flush()
                return handle
            gone = None if locked or not _same_file(handle, path) else _owner_gone(path)
            if gone:  # whatever still holds the lock (an orphan of that build) keeps the old file
                print(f"taking over the build lock of process {gone}, which is no longer running",
                      file=sys.stderr)
                fresh = path.with_name(f".briefgen.lock.{os.getpid()}.new")
                fresh.write_text("")
                os.replace(fresh, path)
        _HELD.discard(handle.fileno())
        handle.close()
        if not gone:
            if not waiting and not locked:
                print(f"waiting for another build writing to {folder}...", file=sys.stderr)
                waiting = True
            time.sleep(0.2)


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold `folder/.briefgen.lock` for a build; a second build waits for the first to finish.

    The lock file names its holder (PID and start time): a lock whose holder no longer runs is
    taken over with a message. Forked children never keep it. Under the lock no other build is
    writing, so temporary files left by a killed build are swept away here.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = _acquire(folder)
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise OutputError(write_problem(exc, folder)) from None
        raise OutputError(Problem(f"cannot use the output folder: {exc.strerror or exc}",
                                  file=str(folder), hint="check the --out folder")) from None
    with handle:
        try:
            finish_swap(folder)
            for stale in folder.glob(TEMP_GLOB):
                stale.unlink(missing_ok=True)
            yield
        finally:
            try:
                handle.truncate(0)
            except OSError:
                pass
            fcntl.flock(handle, fcntl.LOCK_UN)
            _HELD.discard(handle.fileno())
