"""Worker processes for import and grade that never outlive the command that started them.

Killing `results import -j N` (Ctrl-C twice, a kill from a supervisor, a closed terminal)
used to leave its workers running, holding the store open. Each worker now asks the
kernel to end it when its parent dies (Linux's PR_SET_PDEATHSIG) or, where that is not
available, watches its parent from a thread.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any, Callable

_PR_SET_PDEATHSIG = 1


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.5)


def _start(parent: int, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the parent died before we could ask
        os._exit(1)
    if initializer is not None:
        initializer(*initargs)


def pool(jobs: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()):
    """A ProcessPoolExecutor of ``jobs`` workers (forked where possible) that end with this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start,
                               initargs=(os.getpid(), initializer, initargs))


def forks() -> bool:
    """Whether workers are forked (and so share what the parent has loaded)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
