"""Keep the corpus jobs current after new articles are stored.

``ingest``, ``load``, the demo and each monitor cycle call :func:`refresh` once their articles
are in the store, so the dashboard never shows a store whose stories, relation index and alerts
lag its articles. Each job is incremental — stories take only the articles no run has seen, the
relation index recomputes only the days touched, the alert rules record only new triggers — so a
refresh after a handful of new articles costs little. ``parallax cluster --rebuild`` and
``parallax relations --rebuild`` remain for rebuilding from scratch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..store.database import Store
from ..watches import Watch
from . import alerts, relations
from .stories import job as story_job
from .stories import queries as story_store
from .stories.items import Item

log = logging.getLogger(__name__)


@dataclass
class RefreshSummary:
    """What one refresh did: the summaries of its three jobs (``None`` when a job had nothing
    to do), and its wall time."""

    stories: story_job.JobSummary | None = None
    relations: relations.BuildSummary | None = None
    alerts: alerts.EvaluationSummary | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stories": self.stories.as_dict() if self.stories else None,
            "relations": self.relations.as_dict() if self.relations else None,
            "alerts": self.alerts.as_dict() if self.alerts else None,
            "seconds": round(self.seconds, 3),
        }

    def describe(self) -> str:
        """One line for a person."""
        parts = []
        if self.stories is not None:
            s = self.stories
            parts.append(
                f"stories: {s.articles} articles clustered ({s.started} new stories,"
                f" {s.joined} joined one), {s.stories} stories in all"
            )
        if self.relations is not None:
            r = self.relations
            parts.append(f"relations: {r.points} points over {r.dyads} dyads")
        if self.alerts is not None:
            a = self.alerts
            parts.append(f"alerts: {a.alerts_created} new ({a.historical} historical)")
        if not parts:
            return "stories, relations and alerts were already current"
        return "; ".join(parts) + f" in {self.seconds:.1f} s"


def refresh(
    store: Store,
    watch: Watch,
    *,
    progress: Callable[[Iterable[Item]], Iterable[Item]] | None = None,
) -> RefreshSummary:
    """Cluster the articles not yet in a story, bring the relation index up to date and run the
    watch's alert rules (new alerts get a pending delivery; sending is the caller's choice)."""
    started = time.perf_counter()
    summary = RefreshSummary()
    # The relation index's watermark (the newest article it has seen, the stories' stamp) tells
    # whether anything changed since the last refresh; only then are the jobs run.
    if relations.pending(store):
        if story_store.pending(store):
            summary.stories = story_job.update(store, progress=progress)
        summary.relations = relations.update(store)
        summary.alerts = alerts.evaluate(store, watch)
    summary.seconds = time.perf_counter() - started
    log.info("refresh: %s", summary.as_dict())
    return summary
