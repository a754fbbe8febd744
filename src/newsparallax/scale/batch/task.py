"""What runs where a partition or a unit runs (this process or a Dask worker): the ingest
pipeline over one partition, and one unit read and cut into partitions."""

from __future__ import annotations

import json
import os
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from typing import Any

from ...acquire.remote import Folder
from ...annotate.dedupe import DedupeStage, MemoryIndex
from ...annotate.pipeline import Pipeline
from ...annotate.workers import Failed, run_stages
from ...errors import InputProblem
from ...ingest import build_pipeline, to_article
from ...watches import load_watch
from .parquet import annotation_rows, article_row, write_partition
from .partitions import TABLES, Job, finish_unit, part_name, to_write
from .units import Item, Unit

# -- one partition ------------------------------------------------------------------------------

_PIPELINES: dict[str, tuple[Pipeline, Pipeline]] = {}


def _pipelines(watch_ref: str, dedupe_threshold: float | None) -> tuple[Pipeline, Pipeline]:
    """``build_pipeline`` split at dedupe, built once per process (stages may load models)."""
    key = f"{watch_ref}\x1f{dedupe_threshold}\x1f{threading.get_ident()}"  # one per thread
    if key not in _PIPELINES:
        pipeline = build_pipeline(
            watch=load_watch(watch_ref), index=MemoryIndex(), dedupe_threshold=dedupe_threshold
        )
        _PIPELINES[key] = pipeline.split("dedupe")
    return _PIPELINES[key]


def run_partition(
    index: int, items: list[Item], out: str, watch_ref: str, dedupe_threshold: float | None
) -> dict[str, Any]:
    """Run the ingest pipeline over one partition and write its files; return its marker.

    Dedupe uses an index of this partition only (see the package docstring)."""
    started = time.perf_counter()
    front, back = _pipelines(watch_ref, dedupe_threshold)
    build_seconds = time.perf_counter() - started
    for stage in (*front.stages, *back.stages):
        stage.counts.clear()
    front.seconds.clear()
    back.seconds.clear()
    index_ = MemoryIndex()
    for stage in back.stages:
        if isinstance(stage, DedupeStage):
            stage.index = index_
    kept: set[str] = set()
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    problems: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for item in items:
        if isinstance(item, InputProblem):
            problems.append(item.as_dict())
            counts["problems"] += 1
            continue
        counts["read"] += 1
        result = run_stages(front, item)
        if not isinstance(result, Failed):
            result = run_stages(back, result)
        if isinstance(result, Failed):
            counts["rejected"] += 1
            problems.append(
                InputProblem(input=result.source, code=result.code, reason=result.reason).as_dict()
            )
            continue
        if result.id in kept:
            counts["unchanged"] += 1  # the same article twice in one partition: first one kept
            continue
        kept.add(result.id)
        index_.add(result.id, result.content_hash, result.signature)
        article = to_article(result)
        rows["articles"].append(
            article_row(result, article, partition=index, position=len(rows["articles"]))
        )
        rows["mentions"] += annotation_rows(article.id, article.mentions)
        rows["events"] += annotation_rows(article.id, article.events)
        rows["themes"] += annotation_rows(article.id, article.themes)
        counts["articles"] += 1
        counts["duplicates"] += article.duplicate_of is not None
    folder = Folder(out)
    write_partition(folder, index, rows)
    stage_counts: dict[str, dict[str, int]] = {
        **front.counts(),
        **back.counts(),
    }
    marker = {
        "partition": index,
        "items": len(items),
        "read": counts["read"],
        "articles": counts["articles"],
        "duplicates": counts["duplicates"],
        "rejected": counts["rejected"],
        "unchanged": counts["unchanged"],
        "problems": problems,
        "stages": stage_counts,
        "seconds": round(time.perf_counter() - started, 3),
        "pipeline_build_seconds": round(build_seconds, 3),  # 0 when the process had it built
        "host": os.uname().nodename,
        "pid": os.getpid(),
    }
    folder.write_text(f"_parts/{part_name(index)}.json", json.dumps(marker, indent=1))
    return marker


def run_unit(
    unit: Unit,
    job: Job,
    *,
    task: Callable[..., dict[str, Any]] = run_partition,
    written: set[int] | frozenset[int] = frozenset(),
    on_partition: Callable[[int, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Read one unit and write its partitions (where the unit runs: this process or a worker).

    Partitions in ``written`` are skipped (their items are read, not processed); a partition
    whose task raises is retried ``job.retries`` times, then reported under ``failed`` while
    the unit goes on. The unit's marker is written when all its partitions are."""
    result: dict[str, Any] = {"done": {}, "skipped": [], "failed": {}}
    parts: list[int] = []

    def skip(index: int, marker: dict[str, Any]) -> None:
        result["done"][index] = marker
        result["skipped"].append(index)

    for index, chunk in to_write(unit, job, written, parts, skip):
        for _ in range(job.retries + 1):
            try:
                marker = task(index, chunk, job.out, job.watch_ref, job.dedupe_threshold)
            except Exception as err:  # a failed partition must not stop the others
                result["failed"][index] = _describe(err)
                continue
            result["done"][index] = marker
            result["failed"].pop(index, None)
            if on_partition is not None:
                on_partition(index, marker)
            break
    if not result["failed"]:
        finish_unit(Folder(job.out), unit, parts, result["done"])
    return result


def _describe(err: BaseException) -> str:
    where = traceback.extract_tb(err.__traceback__)[-1:] if err.__traceback__ else []
    at = f" (at {where[0].filename.rsplit('/', 1)[-1]}:{where[0].lineno})" if where else ""
    return f"{type(err).__name__}: {err}{at}"


def warm_worker(watch_ref: str, dedupe_threshold: float | None) -> int:
    """Build the pipeline in a worker's task thread before its first partition arrives."""
    _pipelines(watch_ref, dedupe_threshold)
    return os.getpid()
