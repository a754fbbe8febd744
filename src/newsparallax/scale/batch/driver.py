"""``parallax batch``: check and plan a run, run its units on the local loop or on Dask, and
write the manifest with progress."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from ... import settings
from ...acquire.remote import Folder, check_url, is_url
from ...watches import load_watch
from .cluster import run_dask
from .extras import import_pyarrow
from .partitions import (
    BatchError,
    BatchReport,
    Job,
    check_manifest,
    todo_units,
    written_partitions,
)
from .task import run_partition, run_unit
from .units import DEFAULT_UNIT_BYTES, plan_units

DEFAULT_PARTITION_SIZE = 250
"""Items per partition: small enough that a few partitions per worker balance the load (a
1,626-record run in 1,000-item partitions kept one of two workers idle for 40 % of it), large
enough for Parquet files of a few MB."""
DEFAULT_RETRIES = 2


def _watch_ref(watch: str) -> str:
    """A watch reference every worker resolves the same way (paths made absolute)."""
    path = Path(watch)
    return str(path.resolve()) if path.suffix == ".toml" and path.exists() else watch


def run_batch(
    inputs: Sequence[str],
    *,
    out: str | Path,
    watch: str = "",
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    retries: int = DEFAULT_RETRIES,
    read_on: str = "auto",
    unit_bytes: int = DEFAULT_UNIT_BYTES,
    stdin: IO[bytes] | None = None,
    progress: Callable[[BatchReport], None] | None = None,
    task: Callable[..., dict[str, Any]] = run_partition,
    dask_processes: bool = True,
) -> BatchReport:
    """Run the pipeline over ``inputs`` partition by partition and write the Parquet output.

    ``read_on`` (dask engine): ``workers`` sends each worker units to read itself, ``driver``
    reads the input here and sends partitions of docs, ``auto`` reads on the workers when
    there are at least as many units as workers. ``task`` runs one partition (tests replace
    it); ``dask_processes=False`` makes the LocalCluster's workers threads of this process."""
    if partition_size < 1:
        raise BatchError("--partition-size must be at least 1")
    if engine not in ("local", "dask"):
        raise BatchError(f"unknown engine {engine!r} (local or dask)")
    if read_on not in ("auto", "driver", "workers"):
        raise BatchError(f"unknown --read-on {read_on!r} (auto, driver or workers)")
    watch = watch or str(settings.get("watch"))
    for url in [str(out), *inputs]:
        if is_url(url):
            check_url(url)  # a missing s3fs, gcsfs ... fails here, naming the package
    out_dir = Folder(str(out))
    resolved = [i if i == "-" or is_url(i) else str(Path(i).resolve()) for i in inputs]
    check_manifest(out_dir, resolved, partition_size, unit_bytes)
    out_dir.makedirs()
    import_pyarrow()  # fail early when pyarrow is missing
    report = BatchReport(
        out=out_dir.url,
        inputs=resolved,
        engine=engine if scheduler is None else f"dask@{scheduler}",
        partition_size=partition_size,
        watch=watch,
        unit_bytes=unit_bytes,
    )
    out_dir.write_text("manifest.json", json.dumps(report.as_dict(), indent=1))
    job = Job(
        out=out_dir.url,
        watch_ref=_watch_ref(watch),
        dedupe_threshold=settings.get_float("dedupe_threshold"),
        partition_size=partition_size,
        retries=retries,
        max_bytes=settings.get_int("max_page_bytes"),
    )
    load_watch(job.watch_ref)  # a bad watch fails here, not once per partition
    started = time.perf_counter()
    units = plan_units(list(inputs), unit_bytes=unit_bytes, stdin=stdin, max_bytes=job.max_bytes)
    report.units = len(units)
    written = set(written_partitions(out_dir))
    todo = todo_units(units, out_dir, written, report)
    if engine == "local":
        for unit in todo:
            report.merge(
                run_unit(
                    unit, job, task=task, written=written, on_partition=_notify(report, progress)
                )
            )
            if progress is not None:
                progress(report)
    else:
        run_dask(
            todo,
            job,
            report,
            written=written,
            task=task,
            progress=progress,
            scheduler=scheduler,
            workers=workers,
            processes=dask_processes,
            read_on=read_on,
        )
    report.seconds = time.perf_counter() - started
    out_dir.write_text("manifest.json", json.dumps(report.as_dict(), indent=1))
    return report


def _notify(
    report: BatchReport, progress: Callable[[BatchReport], None] | None
) -> Callable[[int, dict[str, Any]], None]:
    def on_partition(index: int, marker: dict[str, Any]) -> None:
        report.done[index] = marker
        if progress is not None:
            progress(report)

    return on_partition
