"""The Dask engine of ``parallax batch``: whole units sent to the workers to read, or
partitions of docs read here and sent out."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ...acquire.remote import Folder
from .extras import import_distributed
from .partitions import (
    BatchReport,
    Job,
    finish_unit,
    part_name,
    read_marker,
    to_write,
    written_partitions,
)
from .task import run_unit, warm_worker
from .units import Item, Unit, unit_of


def run_dask(
    todo: list[Unit],
    job: Job,
    report: BatchReport,
    *,
    written: set[int],
    task: Callable[..., dict[str, Any]],
    progress: Callable[[BatchReport], None] | None,
    scheduler: str | None,
    workers: int,
    processes: bool,
    read_on: str,
) -> None:
    """Run the ``todo`` units on a Dask cluster (a LocalCluster of ``workers``, or
    ``scheduler``), reading on the workers or here as ``read_on`` says."""
    distributed = import_distributed()
    client, cluster = connect(scheduler, workers=workers, processes=processes)
    addresses = list(client.scheduler_info().get("workers", {})) or [None] * workers
    if read_on == "auto":
        read_on = "workers" if len(todo) >= len(addresses) else "driver"
    report.read_on = read_on
    warming = _warm(client, addresses, job)
    # two tasks in flight per worker of the cluster (not of --workers: with --scheduler the
    # cluster may have many more)
    run = _DaskRun(client, job, report, written, task, progress, max(2, 2 * len(addresses)))
    try:
        if read_on == "workers":
            _dask_units(run, todo)
        else:
            _dask_partitions(run, distributed, todo)
    finally:
        for future in warming:
            future.release()
        client.close()
        if cluster is not None:
            cluster.close()


def connect(scheduler: str | None, *, workers: int, processes: bool) -> tuple[Any, Any]:
    """A Dask client of the scheduler at ``scheduler``, or of a new ``LocalCluster`` of
    ``workers`` one-thread workers (processes, or threads of this process); and that cluster
    (None with a scheduler), to close after the client."""
    distributed = import_distributed()
    if scheduler is not None:
        return distributed.Client(scheduler), None
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",  # any free port: never clash with another cluster
        silence_logs=40,
    )
    return distributed.Client(cluster), cluster


@dataclass(frozen=True)
class _DaskRun:
    """What both ways of running on Dask share."""

    client: Any
    job: Job
    report: BatchReport
    written: set[int]
    task: Callable[..., dict[str, Any]]
    progress: Callable[[BatchReport], None] | None
    in_flight: int


def _dask_units(run: _DaskRun, todo: list[Unit]) -> None:
    """One task per unit: each worker reads its unit's files itself. Two units in flight per
    worker; progress comes from the partition markers the workers write."""
    folder = Folder(run.job.out)
    queue = iter(todo)
    running: dict[Any, Unit] = {}
    by_unit: dict[int, set[int]] = {}
    for p in run.written:
        by_unit.setdefault(unit_of(p), set()).add(p)

    def submit_next() -> None:
        unit = next(queue, None)
        if unit is None:
            return
        future = run.client.submit(
            run_unit,
            unit,
            run.job,
            task=run.task,
            written=by_unit.get(unit.index, set()),
            retries=run.job.retries,  # a lost worker: the unit runs again, skipping what it wrote
            pure=False,
            key=f"parallax-unit-{unit.index:05d}-{os.getpid()}-{time.monotonic_ns()}",
        )
        running[future] = unit

    for _ in range(run.in_flight):
        submit_next()
    seen = set(run.written)
    polled = time.monotonic()
    while running:
        finished = [f for f in running if f.done()]
        for future in finished:
            unit = running.pop(future)
            if future.status == "finished":
                run.report.merge(future.result())
            else:
                run.report.failed_units[unit.index] = (
                    f"{unit.describe()}: {_describe_remote(future)}"
                )
            future.release()
            submit_next()
        # listing the markers costs requests on an object store: less often on big outputs
        interval = 2 if len(seen) < 10_000 else 15
        if run.progress is not None and (not running or time.monotonic() - polled > interval):
            polled = time.monotonic()
            for index in set(written_partitions(folder)) - seen - set(run.report.done):
                with contextlib.suppress(OSError, ValueError):
                    run.report.done[index] = read_marker(folder, index)
            seen |= set(run.report.done)
            run.progress(run.report)
        if not finished:
            time.sleep(0.2)


def _dask_partitions(run: _DaskRun, distributed: Any, todo: list[Unit]) -> None:
    """The driver reads the units and sends partitions of docs: for inputs in fewer units
    than there are workers (one big file). Two partitions in flight per worker."""
    folder = Folder(run.job.out)
    unit_parts: dict[int, list[int]] = {}

    def skip(index: int, marker: dict[str, Any]) -> None:
        run.report.done[index] = marker
        run.report.skipped.append(index)

    def chunks() -> Iterator[tuple[int, list[Item]]]:
        for unit in todo:
            yield from to_write(
                unit, run.job, run.written, unit_parts.setdefault(unit.index, []), skip
            )

    pending = distributed.as_completed()
    keys: dict[Any, int] = {}
    queue = chunks()

    def submit_next() -> None:
        nxt = next(queue, None)
        if nxt is None:
            return
        index, chunk = nxt
        future = run.client.submit(
            run.task,
            index,
            chunk,
            run.job.out,
            run.job.watch_ref,
            run.job.dedupe_threshold,
            retries=run.job.retries,
            pure=False,
            key=f"parallax-{part_name(index)}-{os.getpid()}-{time.monotonic_ns()}",
        )
        keys[future] = index
        pending.add(future)

    for _ in range(run.in_flight):
        submit_next()
    for future in pending:
        index = keys.pop(future)
        if future.status == "finished":
            run.report.done[index] = future.result()
        else:
            run.report.failed[index] = _describe_remote(future)
        future.release()
        submit_next()
        if run.progress is not None:
            run.progress(run.report)
    for unit in todo:
        parts = unit_parts.get(unit.index, [])
        if all(p in run.report.done for p in parts):
            finish_unit(folder, unit, parts, run.report.done)


def _warm(client: Any, addresses: list[Any], job: Job) -> list[Any]:
    """One :func:`warm_worker` task pinned to each worker, submitted before any partition: the
    workers load their models while the driver reads the first partitions. A failure here is
    ignored (the partitions report it)."""
    return [
        client.submit(
            warm_worker,
            job.watch_ref,
            job.dedupe_threshold,
            workers=[address],
            allow_other_workers=False,
            pure=False,
            priority=10,
            key=f"parallax-warm-{i}-{os.getpid()}-{time.monotonic_ns()}",
        )
        for i, address in enumerate(addresses)
        if address is not None
    ]


def _describe_remote(future: Any) -> str:
    try:
        err = future.exception()
    except Exception as exc:  # cancelled, lost worker
        return f"{type(exc).__name__}: {exc}"
    return f"{type(err).__name__}: {err}" if err is not None else str(future.status)
