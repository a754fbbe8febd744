"""Corpus job 1, links: store order and cross-partition duplicates."""

from __future__ import annotations

from typing import Any

from ...acquire.remote import Folder
from ...annotate.dedupe import MemoryIndex, find_duplicate
from ..batch import read_table, written_partitions
from ..batch.extras import import_pandas
from ..batch.parquet import signature_of


def link(source: Folder, *, threshold: float) -> tuple[Any, int]:
    """One row per article ``parallax load`` would store, in its order: ``id, partition,
    position, rowid, duplicate_of, duplicate_similarity, events_before`` (a pandas frame),
    and the number of repeated ids dropped."""
    pd = import_pandas()
    index = MemoryIndex()
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    repeated = 0
    events_before = 0
    for part in written_partitions(source):
        table = read_table(source, "articles", part, columns=["id", "content_hash", "signature"])
        events = read_table(source, "events", part, columns=["article_id"]).column("article_id")
        per_article: dict[str, int] = {}
        for aid in events.to_pylist():
            per_article[aid] = per_article.get(aid, 0) + 1
        for position, row in enumerate(table.to_pylist()):
            aid = row["id"]
            if aid in seen:
                repeated += 1
                continue
            seen.add(aid)
            signature = signature_of(row["signature"])
            match = find_duplicate(
                index,
                article_id=aid,
                content=row["content_hash"],
                signature=signature,
                threshold=threshold,
            )
            index.add(aid, row["content_hash"], signature)
            rows.append(
                {
                    "id": aid,
                    "partition": part,
                    "position": position,
                    "rowid": len(rows) + 1,
                    "duplicate_of": match.article_id if match else None,
                    "duplicate_similarity": round(match.similarity, 4) if match else None,
                    "events_before": events_before,
                }
            )
            events_before += per_article.get(aid, 0)
    columns = [
        "id",
        "partition",
        "position",
        "rowid",
        "duplicate_of",
        "duplicate_similarity",
        "events_before",
    ]
    frame = pd.DataFrame(rows, columns=columns).astype(
        {"partition": "int64", "position": "int64", "rowid": "int64", "events_before": "int64"}
    )
    return frame, repeated
