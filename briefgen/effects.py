"""Side effects behind small interfaces → the clock and the output folder, swappable in tests."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

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

    def write_all(self, files: dict[str, bytes]) -> list[Path]: ...


NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
"""Errors that mean the disk, the quota or the file size limit is full."""


def write_problem(exc: OSError, file: Path | str | None, hint: str = "check the --out folder") -> Problem:
    """One line for a failed write; a full disk says so and what to do."""
    if exc.errno in NO_SPACE:
        return Problem(f"the disk is full ({exc.strerror or exc})", file=str(file) if file else None,
                       hint="free some space and build again")
    return Problem(f"cannot write output: {exc.strerror or exc}", file=str(file) if file else None, hint=hint)


def umask() -> int | None:
    """This process's umask, read without changing it (Linux /proc), or None when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return None


def file_mode(folder: Path) -> int:
    """The mode a new file gets in `folder` (0o666 less the umask, as for any other program's
    file), without touching the process umask: from /proc, else from a probe file."""
    mask = umask()
    if mask is not None:
        return 0o666 & ~mask
    probe = folder / f".mode-probe.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            return os.fstat(fd).st_mode & 0o777
        finally:
            os.close(fd)
            probe.unlink(missing_ok=True)
    except OSError:
        return 0o644


class AtomicWriter:
    """Writes files into one folder; each appears whole or not at all (temp file + rename), with
    the mode any new file gets under the umask (0644 under umask 022)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def write(self, name: str, data: bytes) -> Path:
        return self.write_all({name: data})[0]

    def write_all(self, files: dict[str, bytes]) -> list[Path]:
        """Write a set of files as one: every file is first written whole (and synced) beside its
        target, then all are renamed into place. A failure at any byte, before or during the
        renames, leaves the files that were there before, all of them, as they were."""
        staged: dict[str, str] = {}
        kept: dict[str, str] = {}  # name → a hard link to the file it replaces, until all are in place
        where: Path | str = self.folder
        journal: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            mode = file_mode(self.folder)
            for name, data in files.items():
                where = self.folder / name
                staged[name] = self._stage(name, data, mode)
            for name in files if len(files) > 1 else ():  # one rename alone has nothing to undo
                where = self.folder / name
                if where.exists():
                    kept[name] = self._keep(name)
            journal = self._journal(staged) if len(staged) > 1 else None
            self._swap(staged, kept)
        except OSError as exc:
            raise OutputError(write_problem(exc, where)) from None
        finally:
            if journal:  # done, or undone: nothing left for the next build to finish
                try:
                    os.unlink(journal)
                except OSError:
                    pass
            for tmp in [*staged.values(), *kept.values()]:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
        return [self.folder / name for name in files]

    def _stage(self, name: str, data: bytes, mode: int) -> str:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fchmod(fh.fileno(), mode)
                os.fsync(fh.fileno())
        except BaseException:
            os.unlink(tmp)
            raise
        return tmp

    def _keep(self, name: str) -> str:
        keep = str(self.folder / f".{name}.{os.urandom(6).hex()}.old.tmp")
        try:
            os.link(self.folder / name, keep)
        except OSError as exc:
            if exc.errno in NO_SPACE:
                raise
            shutil.copy2(self.folder / name, keep)  # a file system without hard links
        return keep

    def _journal(self, staged: dict[str, str]) -> Path:
        """Note the renames about to be made, so that a build killed among them is completed by
        the next one (`finish_swap`): every staged file is already whole on disk."""
        journal = self.folder / SWAP_JOURNAL
        tmp = self._stage(SWAP_JOURNAL, json.dumps([[Path(t).name, n] for n, t in staged.items()]).encode(), 0o600)
        try:
            os.replace(tmp, journal)
        except BaseException:
            os.unlink(tmp)
            raise
        return journal

    def _swap(self, staged: dict[str, str], kept: dict[str, str]) -> None:
        done: list[str] = []
        try:
            for name, tmp in staged.items():
                os.replace(tmp, self.folder / name)
                done.append(name)
        except BaseException:
            for name in reversed(done):  # put back what was there
                if name in kept:
                    os.replace(kept.pop(name), self.folder / name)
                else:
                    (self.folder / name).unlink(missing_ok=True)
            raise
        try:
            dir_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:  # the renames are done; syncing the folder is a courtesy
            pass


TEMP_GLOB = ".*.tmp"
SWAP_JOURNAL = ".briefgen.swap"
"""While a set of outputs is renamed into place: [[staged file, output name], ...]."""


def finish_swap(folder: Path) -> bool:
    """Complete the renames of a build that was killed while making them (call under the build
    lock, before temporary files are swept): the folder then holds that build's whole set."""
    journal = Path(folder) / SWAP_JOURNAL
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
        moves = [(str(tmp), str(name)) for tmp, name in entries]
    except FileNotFoundError:
        return False
    except (OSError, ValueError, TypeError):
        journal.unlink(missing_ok=True)
        return False
    for tmp, name in moves:
        if "/" in tmp + name or not tmp.startswith(".") or name.startswith("."):
            continue  # never anything but a staged file in this folder onto an output in it
        if (Path(folder) / tmp).is_file():
            os.replace(Path(folder) / tmp, Path(folder) / name)
    journal.unlink(missing_ok=True)
    print(f"note: finished putting in place the outputs of a build stopped while writing them to {folder}",
          file=sys.stderr)
    return True
