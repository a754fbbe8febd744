"""The stateless front of the pipeline in spawned worker processes, one doc at a time.

The live monitor inside ``parallax serve --monitor`` shares its process with the web server:
run there, the CPU-heavy stages (extraction, NER, event coding) hold the GIL that every request
needs too. :class:`FrontProcess` runs them in ``workers`` processes of their own instead.
Workers are *spawned* (never forked: the server has threads, and a fork copies their locks in
whatever state they are), build their own front pipeline from the watch, and ignore SIGINT so
that Ctrl-C in a terminal lets the monitor finish the work in hand. A worker that dies (killed,
out of memory) is replaced: the doc in hand fails as ``internal``, the next ones run again. A
worker whose parent is gone (killed before it could shut the pool down) exits within a second
instead of lingering. Workers run at a lower CPU priority (:data:`NICE`): the pipeline is
background work, and in ``serve --monitor`` the requests should get the CPU first.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..watches import Watch
from .pipeline import Doc, Pipeline
from .workers import Failed, Result, run_stages, watch_parent

__all__ = ["FrontProcess"]

log = logging.getLogger(__name__)

_front: Pipeline | None = None
NICE = 10
"""How much the workers lower their CPU priority (``os.nice``)."""


def _init(watch: Watch) -> None:
    global _front
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice (Windows)
        os.nice(NICE)
    watch_parent(os.getppid())
    from ..ingest import front_stages

    _front = Pipeline(front_stages(watch=watch))


def _work(doc: Doc) -> Result:
    assert _front is not None
    return run_stages(_front, doc)


class FrontProcess:
    """Submit docs to the front pipeline in ``workers`` spawned processes."""

    def __init__(self, watch: Watch, *, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.watch = watch
        self.workers = workers
        self._lock = threading.Lock()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init,
            initargs=(self.watch,),
        )

    def submit(self, doc: Doc) -> Future[Result]:
        """The front's result for ``doc`` (a :class:`Failed` if it was rejected or crashed)."""
        with self._lock:
            try:
                return self._pool.submit(_work, doc)
            except BrokenProcessPool:
                log.warning("a pipeline worker died: starting a new one")
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._start()
                return self._pool.submit(_work, doc)

    @staticmethod
    def result(doc: Doc, future: Future[Result]) -> Result:
        """Wait for ``future``; a worker that died makes ``doc`` fail as ``internal``."""
        try:
            return future.result()
        except BrokenProcessPool as err:
            return Failed(doc.source, "internal", f"the pipeline worker died: {err}")

    def close(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)
