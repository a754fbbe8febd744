"""The story job over the store: cluster the articles no run has seen (or all, on rebuild),
save the stories and their arcs, and report what it did."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ...store.database import Store
from .cluster import Params
from .items import Item, load_items, order_key
from .saved import load_state, reopen, restore_months, save

log = logging.getLogger(__name__)


@dataclass
class JobSummary:
    """What a clustering run did."""

    mode: str
    articles: int = 0
    joined: int = 0
    started: int = 0
    duplicates: int = 0
    skipped: int = 0
    waiting: int = 0
    """Articles of uncertain date whose month is not over yet (clustered by a later run)."""
    uncertain: int = 0
    """Articles of uncertain date placed (joined a story, or one of their own)."""
    stories: int = 0
    open: int = 0
    arcs: int = 0
    arcs_started: int = 0
    arcs_joined: int = 0
    arcs_merged: int = 0
    seconds: float = 0.0
    builder: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["seconds"] = round(self.seconds, 3)
        d["ms_per_article"] = (
            round(1000 * self.seconds / self.articles, 3) if self.articles else None
        )
        return d


def rebuild(
    store: Store,
    params: Params | None = None,
    *,
    progress: Callable[[Iterable[Item]], Iterable[Item]] | None = None,
    until_ts: int | None = None,
) -> JobSummary:
    """Drop every story and cluster the whole archive again (up to ``until_ts`` if given)."""
    with store.transaction():
        for table in ("story_articles", "stories", "story_df", "story_state", "story_arcs"):
            store.conn.execute(f"DELETE FROM {table}")
    return update(store, params, progress=progress, mode="rebuild", until_ts=until_ts)


def update(
    store: Store,
    params: Params | None = None,
    *,
    progress: Callable[[Iterable[Item]], Iterable[Item]] | None = None,
    mode: str = "update",
    until_ts: int | None = None,
) -> JobSummary:
    """Cluster the articles no run has seen yet (the incremental path); with ``until_ts``, only
    those published up to that instant (the others stay pending)."""

    started = time.perf_counter()
    params = params or Params.from_settings()
    clusterer = load_state(store, params)
    where = "a.rowid NOT IN (SELECT article_rowid FROM story_articles)"
    if until_ts is not None:
        where += f" AND a.published_ts <= {int(until_ts)}"
    items = list(load_items(store, where=where, params=()))
    reopen(store, clusterer)
    items, waiting = clusterer.prepare(items)
    restore_months(store, clusterer)
    summary = JobSummary(mode=mode, articles=len(items), builder=params.describe())
    summary.waiting = len(waiting)
    ordered: Iterable[Item] = sorted(items, key=order_key)
    if progress is not None:
        ordered = progress(ordered)
    for item in ordered:
        clusterer.add(item)
    clusterer.sweep()
    by_rowid = {i.rowid: i for i in items}
    save(store, clusterer, items=by_rowid, params=params)
    c = clusterer.counts
    summary.joined, summary.started = c["joined"], c["started"]
    summary.duplicates, summary.skipped = c["duplicates"], c["skipped"]
    summary.arcs_started, summary.arcs_joined = c["arc_started"], c["arc_joined"]
    summary.arcs_merged = c["arc_merged"]
    summary.uncertain = c["uncertain_joined"] + c["uncertain_started"]
    row = store.conn.execute("SELECT count(*), sum(status = 'open') FROM stories").fetchone()
    summary.stories, summary.open = int(row[0] or 0), int(row[1] or 0)
    summary.arcs = int(store.conn.execute("SELECT count(*) FROM story_arcs").fetchone()[0])
    summary.seconds = time.perf_counter() - started
    log.info("stories %s: %s", mode, summary.as_dict())
    return summary
