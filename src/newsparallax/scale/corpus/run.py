"""``parallax corpus``: the jobs over a batch output, in order, on one engine."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from ... import settings
from ...acquire.remote import Folder, check_url, is_url, join
from ...watches import Watch
from ..batch import BatchError, read_manifest, written_partitions
from .engine import Engine, write_frame
from .links import link
from .manifest import JOBS, CorpusReport
from .relations import relation_frame, write_relations
from .stories import write_stories


def run_corpus(
    source: str | Path,
    *,
    watch: Watch,
    dest: str | None = None,
    jobs: Sequence[str] = JOBS,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    dask_processes: bool = True,
) -> CorpusReport:
    """Run ``jobs`` over the batch output at ``source``; write the results under ``dest``
    (``source/corpus`` by default)."""
    unknown = [j for j in jobs if j not in JOBS]
    if unknown:
        raise BatchError(f"unknown corpus job(s) {', '.join(unknown)}; choose from {JOBS}")
    if engine not in ("local", "dask"):
        raise BatchError(f"unknown engine {engine!r} (local or dask)")
    for url in (str(source), dest or ""):
        if is_url(url):
            check_url(url)
    folder = Folder(str(source))
    manifest = read_manifest(folder)
    out = Folder(dest) if dest else Folder(join(folder.url, "corpus"))
    report = CorpusReport(
        source=folder.url,
        dest=out.url,
        jobs=[j for j in JOBS if j in jobs],
        engine=engine if scheduler is None else f"dask@{scheduler}",
    )
    parts = written_partitions(folder)
    report.partitions = len(parts)
    report.missing = sorted(int(f["partition"]) for f in manifest.get("failed", []))
    with Engine(engine, scheduler=scheduler, workers=workers, processes=dask_processes) as compute:
        started = time.perf_counter()
        links, report.repeated = link(folder, threshold=settings.get_float("dedupe_threshold"))
        report.articles = len(links)
        report.duplicates = int(links["duplicate_of"].notnull().sum())
        write_frame(out, "links.parquet", links)
        report.seconds["links"] = time.perf_counter() - started
        memberships = None
        if "stories" in jobs:
            started = time.perf_counter()
            memberships = write_stories(folder, parts, links, compute, out, report)
            report.seconds["stories"] = time.perf_counter() - started
        if "relations" in jobs:
            started = time.perf_counter()
            camps = {o.id: o.camp for o in watch.outlets}
            frame = relation_frame(folder, parts, links, camps, memberships) if parts else None
            write_relations(frame, compute, out, report)
            report.seconds["relations"] = time.perf_counter() - started
    out.write_text("manifest.json", json.dumps(report.as_dict(), indent=1))
    return report
