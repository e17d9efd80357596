"""A function call → its result, in a child process under a time and memory limit (or spread
over the cores with `map_on_cores`).

Used for the PDF engine: a pathological document then fails fast with a clear message
instead of hanging the build or exhausting the machine. On platforms without `fork` the call
runs in-process (no limits).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import traceback
from typing import Any, Callable

from .errors import BriefgenError, Problem, RenderError


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
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for result in pool.imap(fn, items, chunksize=max(1, len(items) // (workers * 32))):
            out.append(result)
            tick(1)
    return out


def call(fn: Callable[..., Any], *args: Any, timeout: float, memory_mb: int, what: str) -> Any:
    """`fn(*args)` in a forked child; RenderError on timeout, memory exhaustion or a crash."""
    return call_many([(fn, args)], timeout=timeout, memory_mb=memory_mb, what=what)[0]


def call_many(jobs: list[tuple[Callable[..., Any], tuple]], timeout: float, memory_mb: int, what: str,
              workers: int | None = None) -> list[Any]:
    """Each `fn(*args)` in its own forked child, up to `workers` at once (default: one per core)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return [fn(*args) for fn, args in jobs]
    workers = max(1, workers or os.cpu_count() or 1)
    results: list[Any] = [None] * len(jobs)
    queue = list(enumerate(jobs))
    running: list[tuple[int, Any, Any]] = []
    try:
        while queue or running:
            while queue and len(running) < workers:
                i, (fn, args) = queue.pop(0)
                running.append((i, *_start(fn, args, memory_mb)))
            i, child, receive = running.pop(0)
            results[i] = _collect(child, receive, timeout, memory_mb, what)
    finally:
        for _, child, receive in running:
            child.kill()
            child.join(5)
            receive.close()
    return results


def _start(fn, args, memory_mb):
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, fn, args, memory_mb), daemon=True)
    child.start()
    send.close()
    return child, receive


def _collect(child, receive, timeout: float, memory_mb: int, what: str) -> Any:
    try:
        if not receive.poll(timeout):
            raise RenderError(Problem(f"{what} took longer than {timeout:g} s and was stopped",
                                      hint="the document is too complex; raise safety.render_timeout if it is legitimate"))
        kind, value = receive.recv()
    except EOFError:
        child.join(5)
        raise RenderError(Problem(f"{what} crashed (exit code {child.exitcode})",
                                  hint="rerun with --debug and report it")) from None
    finally:
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
    raise RenderError(Problem(f"{what} failed: {value}", hint="rerun with --debug and report it"))


def _at_limit(limit: int) -> bool:
    """Whether this process's peak address space reached (nearly) `limit` bytes (Linux)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) * 1024 >= 0.9 * limit
    except (OSError, ValueError):
        pass
    return False


def _child(send, fn, args, memory_mb: int) -> None:
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
