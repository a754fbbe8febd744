"""``parallax load``: a batch output into the store, deduplicated against it as ``ingest``
does."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ... import settings
from ...acquire.remote import Folder
from ...annotate.dedupe import find_duplicate
from ...errors import InputProblem
from ...store.database import Store
from ...watches import Watch
from .parquet import read_articles
from .partitions import as_folder, read_manifest, read_marker, written_partitions


@dataclass
class LoadSummary:
    partitions: int = 0
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    duplicates: int = 0
    problems: int = 0
    seconds: float = 0.0
    run_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3)}


def load(
    out: str | Path | Folder,
    *,
    store: Store,
    watch: Watch,
    dedupe_threshold: float | None = None,
) -> LoadSummary:
    """Load a batch output into ``store``, partition by partition in input order.

    As in ``ingest``: an article already in the store is left alone (``unchanged``), and
    duplicates are looked up again against the store, so a copy of an article from another
    partition or an earlier run gets its ``duplicate_of`` link. Input problems and rejections
    recorded by the batch run are recorded against this load run."""
    started = time.perf_counter()
    out = as_folder(out)
    read_manifest(out)
    threshold = (
        dedupe_threshold if dedupe_threshold is not None else settings.get_float("dedupe_threshold")
    )
    summary = LoadSummary(run_id=store.start_run("load"))
    store.sync_outlets(watch.outlets, watch=watch.name)
    batch_size, pending = settings.get_int("batch_size"), 0
    store.begin()
    try:
        for index in written_partitions(out):
            summary.partitions += 1
            marker = read_marker(out, index)
            for problem in marker.get("problems", []):
                if problem.get("code") == "unchanged":
                    continue
                store.record_problem(
                    summary.run_id,
                    InputProblem(
                        input=problem["input"], code=problem["code"], reason=problem["reason"]
                    ),
                )
                summary.problems += 1
            for article, outlet, signature, canonical in read_articles(out, index):
                summary.read += 1
                if store.has(article.id):
                    summary.unchanged += 1
                    continue
                match = find_duplicate(
                    store,
                    article_id=article.id,
                    content=article.content_hash,
                    signature=signature,
                    threshold=threshold,
                )
                article = dataclasses.replace(
                    article,
                    duplicate_of=match.article_id if match else None,
                    duplicate_similarity=round(match.similarity, 4) if match else None,
                )
                if outlet.camp is None:
                    store.ensure_outlet(outlet)
                if (
                    store.add(
                        article, signature=signature, canonical_url=canonical, run_id=summary.run_id
                    )
                    is None
                ):
                    summary.unchanged += 1
                    continue
                summary.stored += 1
                summary.duplicates += article.duplicate_of is not None
                pending += 1
                if pending >= batch_size:
                    store.commit()
                    store.begin()
                    pending = 0
    finally:
        store.commit()
    summary.seconds = time.perf_counter() - started
    store.finish_run(summary.run_id or 0, summary.as_dict())
    return summary
