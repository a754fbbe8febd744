"""Run the stateless front of the pipeline in worker processes.

The stages up to (not including) ``dedupe`` need nothing but the doc and the watch, so they can
run anywhere; ``dedupe`` and storing need the store and must see articles in input order, so
they stay in the calling process. :class:`FrontRunner` sends docs to the workers in chunks,
keeps a bounded number of chunks in flight (memory stays flat however large the input) and
yields the results in input order, so which copy counts as first-seen does not depend on timing.

Workers are forked (Linux, macOS with ``fork`` available) and build their own pipeline from the
factory given; stage counts and seconds come back with each chunk and are summed.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from typing import Any

from .pipeline import Doc, Drop, Pipeline

CHUNK = 32
WINDOW = 6
_PARENT_CHECK_S = 1.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

_front: Pipeline | None = None
_factory: Callable[[], Pipeline] | None = None


@dataclass(frozen=True, slots=True)
class Failed:
    """A doc the front rejected (``code`` from a :class:`Drop`) or crashed on (``internal``)."""

    source: str
    code: str
    reason: str


Result = Doc | Failed


def run_stages(pipeline: Pipeline, doc: Doc) -> Result:
    """Run ``pipeline`` over ``doc``, turning drops and crashes into :class:`Failed`."""
    try:
        return pipeline(doc)
    except Exception as err:  # a stage bug must not stop the run
        return _failed(doc, err)


def run_chunk(pipeline: Pipeline, docs: list[Doc]) -> list[Result]:
    """:func:`run_stages` over each of ``docs`` (same results), stage by stage, so that a stage
    can do the common work of all of them at once (:meth:`Pipeline.run_each`)."""
    results = pipeline.run_each(docs)
    return [
        _failed(doc, done) if isinstance(done, Exception) else done
        for doc, done in zip(docs, results, strict=True)
    ]


def run_in_chunks(
    pipeline: Pipeline, items: Iterable[Doc | Any]
) -> Iterator[tuple[Any, Result | None]]:
    """What :meth:`FrontRunner.map` yields, in this process and in input order: docs through
    :func:`run_chunk` in chunks of :data:`CHUNK`, other items passed through with ``None`` (after
    the docs read before them)."""
    chunk: list[Doc] = []
    for item in items:
        if isinstance(item, Doc):
            chunk.append(item)
            if len(chunk) < CHUNK:
                continue
        yield from zip(chunk, run_chunk(pipeline, chunk), strict=True)
        chunk = []
        if not isinstance(item, Doc):
            yield item, None
    yield from zip(chunk, run_chunk(pipeline, chunk), strict=True)


def _failed(doc: Doc, err: Exception) -> Failed:
    if isinstance(err, Drop):
        return Failed(doc.source, err.code, err.reason)
    return Failed(doc.source, "internal", f"{type(err).__name__}: {err}")


def watch_parent(parent: int) -> None:
    """End this process (``os._exit``) once ``parent`` is gone: poll every second in a daemon
    thread (a process whose parent dies is re-parented)."""

    def poll() -> None:
        while True:
            time.sleep(_PARENT_CHECK_S)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=poll, name="parent-watch", daemon=True).start()


def _die_with_parent(parent: int) -> None:
    """A forked worker ends with the process that forked it, even when that one is SIGKILLed:
    at once where the kernel can tell it (Linux ``PR_SET_PDEATHSIG``), else within a second.
    Without this, workers of a killed ``ingest`` lived on and printed ``BrokenPipeError``
    tracebacks when they tried to send their results back."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the poll below does it
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(0)
    watch_parent(parent)


def _init(parent: int) -> None:
    global _front
    assert _factory is not None
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent)
    _front = _factory()


def _work(chunk: list[Doc]) -> tuple[list[Result], dict[str, Counter[str]], dict[str, float]]:
    assert _front is not None
    results = run_chunk(_front, chunk)
    counts = {s.name: Counter(s.counts) for s in _front.stages}
    seconds = dict(_front.seconds)
    for stage in _front.stages:
        stage.counts.clear()
    _front.seconds.clear()
    return results, counts, seconds


class FrontRunner:
    """Map docs through the front pipeline in ``workers`` processes, in order."""

    def __init__(self, factory: Callable[[], Pipeline], *, workers: int) -> None:
        self.factory = factory
        self.workers = workers
        self.counts: dict[str, Counter[str]] = {}
        self.seconds: dict[str, float] = {}

    def _merge(self, counts: dict[str, Counter[str]], seconds: dict[str, float]) -> None:
        for name, c in counts.items():
            self.counts.setdefault(name, Counter()).update(c)
        for name, s in seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + s

    def map(self, docs: Iterable[Doc | Any]) -> Iterator[tuple[Any, Result | None]]:
        """Yield ``(item, result)``; items that are not docs pass through with ``None``.

        Pass-through items (problems found by readers) are yielded when met, docs when their
        chunk comes back.
        """
        global _factory
        _factory = self.factory
        context = multiprocessing.get_context("fork")
        with context.Pool(self.workers, initializer=_init, initargs=(os.getpid(),)) as pool:
            inflight: deque[tuple[list[Doc], AsyncResult[Any]]] = deque()
            chunk: list[Doc] = []
            for item in docs:
                if not isinstance(item, Doc):
                    yield item, None
                    continue
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    inflight.append((chunk, pool.apply_async(_work, (chunk,))))
                    chunk = []
                    while len(inflight) >= WINDOW:
                        yield from self._collect(inflight.popleft())
            if chunk:
                inflight.append((chunk, pool.apply_async(_work, (chunk,))))
            while inflight:
                yield from self._collect(inflight.popleft())

    def _collect(self, entry: tuple[list[Doc], AsyncResult[Any]]) -> Iterator[tuple[Doc, Result]]:
        sent, pending = entry
        results, counts, seconds = pending.get()
        self._merge(counts, seconds)
        yield from zip(sent, results, strict=True)
