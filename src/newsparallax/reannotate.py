"""Run annotation stages again on stored articles when their version changed.

A store keeps, per article, the versioned names of the stages that annotated it
(``actors.v1``, ``events.v1``…). When Parallax ships a new version of an annotation stage — the
actor dictionary, the event coder, the theme tagger — :func:`reannotate` runs the current
version on the stored title, summary and text of every article an older version annotated,
replaces that stage's rows (mentions, events or theme tags) and records the new stage name.
Nobody has to ingest again.

* **Cascade.** A stage runs again with every annotation stage after it, since they read what it
  provides: new actor mentions change the events and themes, new events change the themes.
* **Resumable and idempotent.** Articles are taken in storage order, a batch per transaction,
  each article in its own savepoint; an article is done once its new stage names are stored.
  An interrupted run resumes where it stopped; a finished run, run again, finds nothing to do.
* **Bad input.** An article a stage fails on keeps its old annotations and stage names; the
  error is reported with its id, and the run goes on.
* **Then the corpus jobs.** Events and mentions feed the relation index, stories and alerts:
  the index is rebuilt (old days changed) and :func:`~newsparallax.analyze.refresh.refresh`
  clusters what needs it and runs the alert rules. Claims and timelines read the events as they
  are stored, so they are current at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .analyze import relations
from .analyze.refresh import RefreshSummary, refresh
from .annotate.events.signals import event_threshold
from .annotate.pipeline import Doc, Stage
from .ingest import ANNOTATORS
from .periods import date_bound
from .records import Article, Outlet
from .store.annotations import replace_annotations, stale_articles, stored_articles
from .store.database import Store
from .watches import Watch

log = logging.getLogger(__name__)

#: What each annotation stage writes.
TABLES = {"actors": "mentions", "events": "events", "themes": "themes"}


@dataclass
class ReannotateSummary:
    """What a run did."""

    stages: list[str]
    """The current stage versions it ran (``events.v2``…)."""
    pending: int = 0
    """Articles some stage of :attr:`stages` had not annotated when the run started."""
    articles: int = 0
    """Articles annotated again by this run."""
    before: dict[str, int] = field(default_factory=dict)
    """Their rows per table before (``events``: events stored by the older version)."""
    after: dict[str, int] = field(default_factory=dict)
    """Their rows per table after; ``events_counted``: events at the confidence threshold."""
    failed: list[dict[str, str]] = field(default_factory=list)
    """Articles a stage failed on (``id``, ``error``): they keep their old annotations."""
    relations: relations.BuildSummary | None = None
    """The relation index rebuilt from the new events."""
    refresh: RefreshSummary | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stages": self.stages,
            "pending": self.pending,
            "articles": self.articles,
            "before": self.before,
            "after": self.after,
            "failed": self.failed,
            "relations": self.relations.as_dict() if self.relations else None,
            "refresh": self.refresh.as_dict() if self.refresh else None,
            "seconds": round(self.seconds, 3),
        }


def annotation_stages(watch: Watch, names: Sequence[str] | None = None) -> list[Stage]:
    """The current annotation stages to run again: those named (``actors``, ``events``,
    ``themes``; all when none) and every one after the first named. ``ValueError`` for an
    unknown name."""
    families = list(ANNOTATORS)
    unknown = [n for n in names or () if n not in ANNOTATORS]
    if unknown:
        raise ValueError(f"unknown stage {unknown[0]!r} (one of {', '.join(families)})")
    first = min((families.index(n) for n in names), default=0) if names else 0
    return [ANNOTATORS[name](watch) for name in families[first:]]


def pending(
    store: Store,
    watch: Watch,
    *,
    stages: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> dict[str, int]:
    """Per current stage version, how many stored articles it has still to annotate."""
    since_ts, until_ts = date_bound(since, end=False), date_bound(until, end=True)
    return {
        s.name: len(stale_articles(store, [s.name], since_ts=since_ts, until_ts=until_ts))
        for s in annotation_stages(watch, stages)
    }


def reannotate(
    store: Store,
    watch: Watch,
    *,
    stages: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    batch: int = 200,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
    jobs: bool = True,
) -> ReannotateSummary:
    """Run the current annotation stages again where an older version annotated (see the
    module docstring); ``since``/``until`` bound the articles' publication dates, ``jobs``
    brings the relation index, stories and alerts up to date afterwards."""
    started = time.perf_counter()
    chosen = annotation_stages(watch, stages)
    names = [s.name for s in chosen]
    summary = ReannotateSummary(stages=names)
    since_ts, until_ts = date_bound(since, end=False), date_bound(until, end=True)
    todo = stale_articles(store, names, since_ts=since_ts, until_ts=until_ts)
    summary.pending = len(todo)
    threshold = event_threshold()
    rowids: Iterable[int] = progress(todo) if progress else todo
    chunk: list[int] = []
    for rowid in rowids:
        chunk.append(rowid)
        if len(chunk) >= batch:
            _run_batch(store, chunk, chosen, summary, threshold)
            chunk = []
    if chunk:
        _run_batch(store, chunk, chosen, summary, threshold)
    if jobs and summary.articles and {"mentions", "events"} & {TABLES[_family(n)] for n in names}:
        # events changed on days the index had already counted
        summary.relations = relations.rebuild(store)
        summary.refresh = refresh(store, watch)
    summary.seconds = time.perf_counter() - started
    log.info("reannotate: %s", summary.as_dict())
    return summary


def _family(name: str) -> str:
    return name.split(".v")[0]


def _run_batch(
    store: Store,
    rowids: list[int],
    chosen: list[Stage],
    summary: ReannotateSummary,
    threshold: float,
) -> None:
    outlets: dict[str, Outlet | None] = {}
    with store.transaction():
        for rowid, article in stored_articles(store, rowids):
            first = next(
                (i for i, s in enumerate(chosen) if s.name not in article.stages), len(chosen)
            )
            run = chosen[first:]  # the first stale stage and every one after it
            if not run:
                continue
            try:
                if article.outlet not in outlets:
                    outlets[article.outlet] = store.outlet(article.outlet)
                doc = _doc(article, outlets[article.outlet])
                for stage in run:
                    doc = stage(doc)
            except Exception as err:
                log.warning("reannotate: %s failed: %s", article.id, err)
                summary.failed.append({"id": article.id, "error": f"{type(err).__name__}: {err}"})
                continue
            tables = [TABLES[_family(s.name)] for s in run]
            updated = replace(
                article,
                mentions=tuple(doc.mentions),
                events=tuple(doc.events),
                themes=tuple(doc.themes),
                stages=_restaged(article.stages, [s.name for s in run]),
            )
            replace_annotations(store, rowid, updated, tables=tables)
            summary.articles += 1
            for table in tables:
                summary.before[table] = summary.before.get(table, 0) + len(getattr(article, table))
                summary.after[table] = summary.after.get(table, 0) + len(getattr(updated, table))
            if "events" in tables:
                counted = sum(e.confidence >= threshold for e in updated.events)
                summary.after["events_counted"] = summary.after.get("events_counted", 0) + counted


def _doc(article: Article, outlet: Outlet | None = None) -> Doc:
    """The stored article as the annotation stages read it."""
    return Doc(
        source=article.source or "store",
        url=article.url,
        title=article.title,
        text=article.text,
        summary=article.summary,
        id=article.id,
        domain=article.domain,
        outlet=outlet,
        published=article.published,
        date_precision=article.date_precision,
        language=article.language,
        language_confidence=article.language_confidence,
        mentions=list(article.mentions),
        events=list(article.events),
        themes=list(article.themes),
    )


def _restaged(stages: Sequence[str], ran: Sequence[str]) -> tuple[str, ...]:
    """The article's stage names with each stage that ran at its new version: in place of its
    older version, or (a stage that did not exist then) before ``dedupe``."""
    new = {_family(n): n for n in ran}
    out: list[str] = []
    for name in stages:
        name = new.get(_family(name), name)
        if name not in out:
            out.append(name)
    added = [n for n in ran if n not in out]
    at = next((i for i, s in enumerate(out) if _family(s) == "dedupe"), len(out))
    return (*out[:at], *added, *out[at:])
