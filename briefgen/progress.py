"""Pipeline stages → a progress bar per stage on a terminal; nothing when not a TTY or --quiet."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator, Protocol

Tick = Callable[[int], None]


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> contextlib.AbstractContextManager[Tick]: ...


class Silent:
    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Tick]:
        yield lambda n=1: None


class Bars:
    """rich progress bars on stderr, one line per stage, left on screen when done."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bars = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=Console(stderr=True), transient=False)

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Tick]:
        with self.bars:
            task = self.bars.add_task(name, total=total)
            yield lambda n=1: self.bars.advance(task, n)
            self.bars.update(task, completed=total if total is not None else 1, total=total or 1)


def for_terminal(quiet: bool) -> Progress:
    return Silent() if quiet or not sys.stderr.isatty() else Bars()
