"""``CpuPool``: CPU-heavy request work (the application form PDF, decoding an uploaded
image) runs in a few worker processes, so it does not take the GIL from the threads that
serve every other request.

Created lazily (most processes never render a form), shut down with the app's lifespan
(or at interpreter exit, where ``concurrent.futures`` joins its workers). Workers are
spawned (forking the multi-threaded service could copy a lock held by another thread) as
direct children of the service that die with it (each watches its parent) and import
the document modules once at start. (A forkserver outlived a killed service, and
with it every worker: crash debris, issue #16.)
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from szca_unlock.logsetup import get_logger

log = get_logger("service.cpu_pool")
T = TypeVar("T")

DEFAULT_WORKERS = max(1, min(2, os.cpu_count() or 1))
_PRELOAD = ["szca_unlock.service.cpu_tasks"]


PARENT_CHECK_S = 0.5


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_S)
        if os.getppid() != parent:  # reparented: the service is gone
            os._exit(1)


def _die_with_parent() -> None:
    """Worker initializer: a daemon thread ends this worker within ``PARENT_CHECK_S`` of
    the service's death (the worker is reparented), so a killed service leaves no workers
    behind; then the document modules are imported, before the first task. (Not
    ``PR_SET_PDEATHSIG``: it fires when the *thread* that spawned the worker ends, and
    request threads come and go.)"""
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True,
                     name="parent-watch").start()
    for module in _PRELOAD:
        importlib.import_module(module)


def _mp_context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("spawn")


class CpuPool:
    """``run(fn, *args)`` blocks the calling thread until a worker process returns."""

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """True once a task started the worker processes, until ``shutdown``."""
        return self._executor is not None

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                context = _mp_context()
                self._executor = ProcessPoolExecutor(self.workers, mp_context=context,
                                                     initializer=_die_with_parent)
            return self._executor

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn`` must be a module-level function; arguments and result are pickled."""
        pool = self._pool()
        try:
            return pool.submit(fn, *args).result()
        except BrokenProcessPool:
            # A worker died (OOM killer, signal): replace the pool once and retry.
            log.warning("CPU worker pool broken; restarting it")
            with self._lock:
                if self._executor is pool:
                    self._executor = None
            pool.shutdown(wait=False, cancel_futures=True)
            return self._pool().submit(fn, *args).result()

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
