"""A function call → its result, in a child process under a time and memory limit (or spread
over the cores with `map_on_cores`).

Used for the PDF engine: a pathological document then fails fast with a clear message
instead of hanging the build or exhausting the machine. Every child dies with its parent
(PR_SET_PDEATHSIG), keeps no other child's pipe and no build lock, and its result is read as
soon as it is sent. On platforms without `fork` the call runs in-process (no limits).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from multiprocessing.connection import wait
from typing import Any, Callable

from .effects import NO_SPACE
from .errors import BriefgenError, OutputError, Problem, RenderError



def map_on_cores(fn: Callable[[Any], Any], items: list, tick: Callable[[int], None] = lambda n=1: None,
                 minimum: int = 200) -> list:
    """`[fn(x) for x in items]`, in a pool of forked workers when there are `minimum` items or
    more and several cores (order kept; `tick` after each). `fn` must be a module-level function."""
    workers = os.cpu_count() or 1
    if len(items) < minimum or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        out = []
        for item in items:
            out.append(fn(item))
            tick(1)
        return out
    out = []
    with multiprocessing.get_context("fork").Pool(workers, initializer=die_with_parent,
                                                  initargs=(os.getpid(),)) as pool:
        for result in pool.imap(fn, items, chunksize=max(1, len(items) // (workers * 32))):
            out.append(result)
            tick(1)
    return out


def call(fn: Callable[..., Any], *args: Any, timeout: float, memory_mb: int, what: str) -> Any:
    """`fn(*args)` in a forked child; RenderError on timeout, memory exhaustion or a crash."""
    return call_many([(fn, args)], timeout=timeout, memory_mb=memory_mb, what=what)[0]


def call_many(jobs: list[tuple[Callable[..., Any], tuple]], timeout: float, memory_mb: int, what: str,
              workers: int | None = None) -> list[Any]:
    """Each `fn(*args)` in its own forked child, up to `workers` at once (default: one per core).

    Results are read as soon as each child sends them (a child never waits on a full pipe), and
    every child dies with this process: a killed build leaves nothing running behind it."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return [fn(*args) for fn, args in jobs]
    workers = max(1, workers or os.cpu_count() or 1)
    results: list[Any] = [None] * len(jobs)
    queue = list(enumerate(jobs))
    running: dict[Any, tuple[int, Any, float]] = {}  # pipe end → (job index, child, deadline)
    try:
        while queue or running:
            while queue and len(running) < workers:
                i, (fn, args) = queue.pop(0)
                child, receive = _start(fn, args, memory_mb, [r.fileno() for r in running])
                running[receive] = (i, child, time.monotonic() + timeout)
            soonest = min(deadline for _, _, deadline in running.values())
            ready = wait(list(running), timeout=max(0.0, soonest - time.monotonic()))
            for receive in ready:
                i, child, _ = running.pop(receive)
                results[i] = _collect(child, receive, memory_mb, what)
            late = [r for r, (_, _, deadline) in running.items() if deadline <= time.monotonic()]
            if late and not ready:
                raise RenderError(Problem(f"{what} took longer than {timeout:g} s and was stopped",
                                          hint="the document is too complex; raise safety.render_timeout "
                                               "if it is legitimate"))
    finally:
        for receive, (_, child, _) in running.items():
            child.kill()
            child.join(5)
            receive.close()
    return results


def _start(fn, args, memory_mb, siblings: list[int]):
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, fn, args, memory_mb, [receive.fileno(), *siblings],
                                             os.getpid()), daemon=True)
    child.start()
    send.close()
    return child, receive


def _collect(child, receive, memory_mb: int, what: str) -> Any:
    try:
        kind, value = receive.recv()
    except EOFError:
        child.join(5)
        raise RenderError(Problem(f"{what} crashed (exit code {child.exitcode})",
                                  hint="rerun with --debug and report it")) from None
    finally:
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join(5)
        receive.close()
    if kind == "ok":
        return value
    if kind == "user":
        raise value
    if kind == "memory":
        raise RenderError(Problem(f"{what} ran out of memory (limit {memory_mb} MB)",
                                  hint="the document is too large; raise safety.render_memory_mb if it is legitimate"))
    if kind == "nospace":
        raise OutputError(Problem(f"the disk is full: {what} could not write a file it needs ({value})",
                                  hint="free some space and build again"))
    raise RenderError(Problem(f"{what} failed: {value}", hint="rerun with --debug and report it"))


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Make this (forked) process die when its parent does, even by SIGKILL (Linux), so that a
    killed build never leaves a worker running; exit at once if the parent is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent pipe's end still stops the child
        pass
    if os.getppid() != parent:
        os._exit(1)


def _at_limit(limit: int) -> bool:
    """Whether this process's peak address space reached (nearly) `limit` bytes (Linux)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) * 1024 >= 0.9 * limit
    except (OSError, ValueError):
        pass
    return False


def _child(send, fn, args, memory_mb: int, close: list[int], parent: int) -> None:
    die_with_parent(parent)
    for fd in close:  # the read ends of this and earlier pipes: nobody here reads them
        try:
            os.close(fd)
        except OSError:
            pass
    sys.unraisablehook = lambda *_: None  # no "Exception ignored" noise when memory runs out
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass
    try:
        result = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except OSError as exc:
        if exc.errno in NO_SPACE:
            result = ("nospace", exc.strerror or str(exc))
        elif _at_limit(limit):
            result = ("memory", None)
        else:
            result = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}")
    except BriefgenError as exc:
        result = ("user", exc)
    except Exception as exc:  # reported to the parent, which raises RenderError
        if _at_limit(limit):  # out of memory inside C code often surfaces as another error
            result = ("memory", None)
        else:
            result = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}")
    try:
        send.send(result)
    except MemoryError:
        send.send(("memory", None))
    finally:
        send.close()
