"""The story job over the store: cluster the articles no run has seen (or all, on rebuild),
save the stories and their arcs, and report what it did."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...records import Event, Mention
from ...store.database import Store
from .cluster import Item, Params, make_item
from .saved import load_state, reopen, save

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


def load_items(store: Store, *, where: str = "1", params: tuple[Any, ...] = ()) -> Iterator[Item]:
    """Articles of the store as :class:`Item` s (``where`` filters ``articles a``)."""
    conn = store.conn
    rows = conn.execute(
        "SELECT a.rowid, a.id, a.language, a.published, a.date_precision, a.title, a.summary,"
        f" a.text, a.duplicate_of FROM articles a WHERE {where} ORDER BY a.published_ts, a.rowid",
        params,
    ).fetchall()
    if not rows:
        return
    lo, hi = min(r[0] for r in rows), max(r[0] for r in rows)
    mentions: dict[int, list[Mention]] = defaultdict(list)
    for r in conn.execute(
        'SELECT article_rowid, start, "end", actor, kind, field FROM mentions'
        " WHERE article_rowid BETWEEN ? AND ?",
        (lo, hi),
    ):
        mentions[r[0]].append(
            Mention(start=r[1], end=r[2], text="", actor=r[3], kind=r[4], field=r[5])
        )
    events: dict[int, list[Event]] = defaultdict(list)
    for r in conn.execute(
        "SELECT article_rowid, type, source, target, negated, sentence_start, sentence_end"
        " FROM events WHERE article_rowid BETWEEN ? AND ?",
        (lo, hi),
    ):
        events[r[0]].append(
            Event(
                type=r[1],
                source=r[2],
                target=r[3],
                negated=bool(r[4]),
                sentence_start=r[5],
                sentence_end=r[6],
            )
        )
    for r in rows:
        yield make_item(
            rowid=r[0],
            id=r[1],
            language=r[2],
            published=datetime.fromisoformat(r[3]) if r[3] else None,
            date_precision=r[4],
            title=r[5] or "",
            summary=r[6] or "",
            text=r[7] or "",
            mentions=mentions.get(r[0], ()),
            events=events.get(r[0], ()),
            duplicate_of=r[8],
        )


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
    summary = JobSummary(mode=mode, articles=len(items), builder=params.describe())
    reopen(store, clusterer)
    ordered: Iterable[Item] = sorted(
        items, key=lambda i: (i.ts if i.ts is not None else -1, i.rowid)
    )
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
    row = store.conn.execute("SELECT count(*), sum(status = 'open') FROM stories").fetchone()
    summary.stories, summary.open = int(row[0] or 0), int(row[1] or 0)
    summary.arcs = int(store.conn.execute("SELECT count(*) FROM story_arcs").fetchone()[0])
    summary.seconds = time.perf_counter() - started
    log.info("stories %s: %s", mode, summary.as_dict())
    return summary
