"""Side effects behind small interfaces → the clock and the output folder, swappable in tests."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Protocol

from .errors import OutputError, Problem


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The current UTC time, or SOURCE_DATE_EPOCH when set (reproducible builds)."""

    def now(self) -> datetime:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.isdigit():
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        return datetime.now(timezone.utc).replace(microsecond=0)


class FixedClock:
    """Always the same instant."""

    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at


class Writer(Protocol):
    def write(self, name: str, data: bytes) -> Path: ...


class AtomicWriter:
    """Writes files into one folder; each appears whole or not at all (temp file + rename)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def write(self, name: str, data: bytes) -> Path:
        target = self.folder / name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise OutputError(Problem(f"cannot write output: {exc.strerror or exc}",
                                      file=str(target), hint="check the --out folder")) from None
        return target


TEMP_GLOB = ".*.tmp"


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold `folder/.briefgen.lock` for a build; a second build waits for the first to finish.

    Under the lock no other build is writing, so temporary files left by a killed build are
    swept away here.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / ".briefgen.lock", "a+")
    except OSError as exc:
        raise OutputError(Problem(f"cannot use the output folder: {exc.strerror or exc}",
                                  file=str(folder), hint="check the --out folder")) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build writing to {folder}...", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        for stale in folder.glob(TEMP_GLOB):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
