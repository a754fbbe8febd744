"""Ingest and annotate: readers → the per-article pipeline → the store (or standard output).

:func:`build_pipeline` is the one place that decides the stage order; ``ingest``, ``annotate``
and the demo all use it. Every input problem and every rejected article is counted, kept in the
summary and recorded in the store against its input; the run always goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import IO, Any

from . import settings
from .acquire.readers import read_inputs
from .annotate.actors.stage import actors_stage
from .annotate.dates import DatesStage, format_date
from .annotate.dedupe import DedupeStage, DuplicateIndex, MemoryIndex
from .annotate.events.stage import EventsStage
from .annotate.extract import ExtractStage
from .annotate.identify import IdentifyStage
from .annotate.language import LanguageStage
from .annotate.pipeline import Doc, Pipeline, Stage
from .annotate.quality import QualityStage
from .annotate.themes import themes_stage
from .annotate.workers import Failed, FrontRunner, Result, run_in_chunks, run_stages
from .errors import InputProblem
from .records import Article, Outlet, Quality
from .store.database import Store
from .urls import article_id
from .watches import Watch

log = logging.getLogger(__name__)

#: The annotation stages, in order, each made for a watch: the explicit list (a test or a quick
#: run may narrow ``ANNOTATION_STAGES``; the order stays this one).
ANNOTATORS: dict[str, Callable[[Watch], Stage]] = {
    "actors": lambda _watch: actors_stage(),
    "events": lambda _watch: EventsStage(),
    "themes": lambda watch: themes_stage(watch=watch),
}
ANNOTATION_STAGES: tuple[str, ...] = tuple(ANNOTATORS)


def build_pipeline(
    *,
    watch: Watch,
    index: DuplicateIndex,
    now: Callable[[], datetime] | None = None,
    dedupe_threshold: float | None = None,
) -> Pipeline:
    """The per-article pipeline: extract → identify → dates → quality → language → actors →
    events → themes, then dedupe.

    Everything before dedupe is stateless (it needs only the doc and the watch), so ingest can
    run it in worker processes; dedupe needs the index and runs where the store is."""
    threshold = (
        dedupe_threshold if dedupe_threshold is not None else settings.get_float("dedupe_threshold")
    )
    stages = [*front_stages(watch=watch, now=now)]
    stages.append(DedupeStage(index=index, threshold=threshold))
    return Pipeline(stages)


def front_stages(*, watch: Watch, now: Callable[[], datetime] | None = None) -> list[Stage]:
    """The stateless stages, in order."""
    stages: list[Stage] = [
        ExtractStage(),
        IdentifyStage(outlets=watch),
        DatesStage(now=now),
        QualityStage(),
        LanguageStage(),
    ]
    stages += [make(watch) for name, make in ANNOTATORS.items() if name in ANNOTATION_STAGES]
    return stages


def to_article(doc: Doc) -> Article:
    """Freeze a finished doc into an :class:`Article`."""
    flags = tuple(dict.fromkeys([*doc.quality.flags, *doc.flags]))
    quality = Quality(score=doc.quality.score, flags=flags, details=dict(doc.quality.details))
    outlet = doc.outlet or Outlet(id=doc.domain or "unknown", name=doc.domain or "unknown")
    extra = {k: v for k, v in doc.meta.items() if k in ("id", "date_source", "language_hint")}
    if "id" in extra:
        extra["input_id"] = extra.pop("id")
    if doc.meta.get("language") and doc.meta["language"] != doc.language:
        extra["declared_language"] = doc.meta["language"]
    return Article(
        id=doc.id,
        url=doc.url,
        outlet=outlet.id,
        domain=doc.domain,
        published=doc.published,
        date_precision=doc.date_precision,
        title=doc.title,
        text=doc.text,
        summary=doc.summary,
        author=doc.author,
        site_name=doc.site_name,
        language=doc.language,
        language_confidence=round(doc.language_confidence, 4),
        quality=quality,
        content_hash=doc.content_hash,
        duplicate_of=doc.duplicate_of,
        duplicate_similarity=doc.duplicate_similarity,
        date_claimed=doc.date_claimed,
        extractor=doc.extractor,
        source=doc.source,
        collection=_opt(doc.meta.get("collection")),
        license=_opt(doc.meta.get("license")),
        stages=tuple(doc.stages),
        mentions=tuple(doc.mentions),
        events=tuple(doc.events),
        themes=tuple(doc.themes),
        extra=extra,
    )


def _opt(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def article_json(article: Article, *, outlet: Outlet | None) -> dict[str, Any]:
    """The JSON form of an article, as ``annotate`` prints it and the API will serve it."""
    return {
        "id": article.id,
        "url": article.url,
        "outlet": article.outlet,
        "outlet_name": outlet.name if outlet else None,
        "domain": article.domain,
        "camp": outlet.camp if outlet else None,
        "language": article.language,
        "language_confidence": article.language_confidence,
        "published": format_date(article.published, article.date_precision),
        "date_precision": article.date_precision.value if article.date_precision else None,
        "date_claimed": article.date_claimed,
        "title": article.title,
        "summary": article.summary,
        "text": article.text,
        "author": article.author,
        "quality": {"score": round(article.quality.score, 3), "flags": list(article.quality.flags)},
        "duplicate_of": article.duplicate_of,
        "duplicate_similarity": article.duplicate_similarity,
        "extractor": article.extractor,
        "source": article.source,
        "stages": list(article.stages),
        "mentions": [asdict(m) for m in article.mentions],
        "events": [asdict(e) for e in article.events],
        "themes": [
            {"theme": t.theme, "score": t.score, "evidence": [list(s) for s in t.evidence]}
            for t in article.themes
        ],
    }


@dataclass
class IngestSummary:
    """What an ingest run did. ``errors`` lists every input problem and rejected article."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[InputProblem] = field(default_factory=list)
    by_language: Counter[str] = field(default_factory=Counter)
    by_outlet: Counter[str] = field(default_factory=Counter)
    stage_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    run_id: int | None = None

    @property
    def failed(self) -> bool:
        """True when nothing at all could be read (the CLI exits non-zero)."""
        return self.read == 0 and bool(self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [p.as_dict() for p in self.errors],
            "by_language": dict(self.by_language.most_common()),
            "by_outlet": dict(self.by_outlet.most_common()),
            "stages": self.stage_counts,
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.read / self.seconds, 1) if self.seconds else None,
            "run_id": self.run_id,
        }


def ingest(
    paths: Sequence[str],
    *,
    store: Store,
    watch: Watch,
    stdin: IO[bytes] | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    command: str = "ingest",
    now: Callable[[], datetime] | None = None,
    workers: int | None = None,
) -> IngestSummary:
    """Read ``paths``, run the pipeline over each article and store the results.

    With ``workers`` > 1 the stateless stages run in that many forked processes while this one
    reads, deduplicates and writes; results are handled in input order either way.
    """
    started = time.perf_counter()
    workers = workers if workers is not None else default_workers()
    summary = IngestSummary(run_id=store.start_run(command))
    store.sync_outlets(watch.outlets, watch=watch.name)
    pipeline = build_pipeline(watch=watch, index=store, now=now)
    front, back = pipeline.split("dedupe")
    items: Iterable[Any] = read_inputs(
        paths, stdin=stdin, max_bytes=settings.get_int("max_page_bytes")
    )
    if progress is not None:
        items = progress(items)
    todo = _new(items, store=store, summary=summary)
    runner: FrontRunner | None = None
    if workers > 1:
        runner = FrontRunner(lambda: front, workers=workers)
        results: Iterable[tuple[Any, Result | None]] = runner.map(todo)
    else:
        results = run_in_chunks(front, todo)
    try:
        _run(store, summary, results, back)
    except BaseException as err:  # what was stored stays; the run ends as failed, with the error
        summary.seconds = time.perf_counter() - started
        aborted = f"{type(err).__name__}: {err}"
        try:
            store.finish_run(
                summary.run_id or 0, {**summary.as_dict(), "aborted": aborted}, status="failed"
            )
        except Exception:  # the store itself may be what failed: keep the first error
            log.warning("could not record the end of run %s", summary.run_id, exc_info=True)
        raise
    counts = runner.counts if runner is not None else {}
    seconds = runner.seconds if runner is not None else {}
    summary.stage_counts = {
        **{name: dict(c) for name, c in counts.items()},
        **(front.counts() if runner is None else {}),
        **back.counts(),
    }
    summary.stage_seconds = {**seconds, **front.seconds, **back.seconds}
    summary.seconds = time.perf_counter() - started
    store.finish_run(summary.run_id or 0, summary.as_dict())
    return summary


def _run(
    store: Store,
    summary: IngestSummary,
    results: Iterable[tuple[Any, Result | None]],
    back: Pipeline,
) -> None:
    """Dedupe and store the front's results in transactions of ``batch_size`` articles."""
    batch, pending = settings.get_int("batch_size"), 0
    store.begin()
    try:
        for item, result in results:
            if result is None:
                _problem(store, summary, item)
                continue
            if isinstance(result, Failed):
                _failed(store, summary, result)
                continue
            done = run_stages(back, result)
            if isinstance(done, Failed):
                _failed(store, summary, done)
                continue
            pending += _store(store, summary, done)
            if pending >= batch:
                store.commit()
                store.begin()
                pending = 0
    finally:
        store.commit()


def default_workers() -> int:
    """Worker processes for ingest: the setting, or one per core up to two."""
    configured = settings.get("workers")
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if configured != "auto":
        return max(1, int(configured))
    return max(1, min(2, os.cpu_count() or 1))


def already_stored(store: Store, doc: Doc) -> bool:
    """Whether ``doc`` is stored already, known before any stage runs: the one "already
    stored?" check of the spine. A doc with a URL has its id already (the id is its canonical
    URL's); a doc without one (a Telegram post, a local HTML file) gets a content id only after
    extraction, so it runs the pipeline and the store's insert, which never stores an id twice,
    reports it unchanged."""
    return bool(doc.url) and store.has(article_id(url=doc.url))


def _new(items: Iterable[Any], *, store: Store, summary: IngestSummary) -> Iterator[Any]:
    """Count docs as read and pass on those not already stored (the others need no work)."""
    for item in items:
        if isinstance(item, Doc):
            summary.read += 1
            if already_stored(store, item):
                summary.unchanged += 1
                continue
        yield item


def _store(store: Store, summary: IngestSummary, doc: Doc) -> int:
    article = to_article(doc)
    if doc.outlet is not None and doc.outlet.camp is None:
        store.ensure_outlet(doc.outlet)
    rowid = store.add(
        article, signature=doc.signature, canonical_url=doc.canonical_url, run_id=summary.run_id
    )
    if rowid is None:
        summary.unchanged += 1
        return 0
    summary.stored += 1
    summary.duplicates += article.duplicate_of is not None
    summary.by_language[article.language] += 1
    summary.by_outlet[article.outlet] += 1
    return 1


def _problem(store: Store | None, summary: IngestSummary, problem: InputProblem) -> None:
    summary.errors.append(problem)
    if store is not None:
        store.record_problem(summary.run_id, problem)


def _failed(store: Store | None, summary: IngestSummary, failed: Failed) -> None:
    if failed.code == "internal":
        log.error("stage failed on %s: %s", failed.source, failed.reason)
    summary.rejected += 1
    _problem(
        store, summary, InputProblem(input=failed.source, code=failed.code, reason=failed.reason)
    )


def annotate(
    paths: Sequence[str], *, watch: Watch, stdin: IO[bytes] | None = None
) -> Iterator[dict[str, Any] | InputProblem]:
    """Run the pipeline without a store: yield one JSON-ready dict per article, or a problem.

    Duplicates are found within the run (an in-memory index)."""
    index = MemoryIndex()
    pipeline = build_pipeline(watch=watch, index=index)
    for item in read_inputs(paths, stdin=stdin, max_bytes=settings.get_int("max_page_bytes")):
        if isinstance(item, InputProblem):
            yield item
            continue
        result = run_stages(pipeline, item)
        if isinstance(result, Failed):
            yield InputProblem(input=result.source, code=result.code, reason=result.reason)
            continue
        index.add(result.id, result.content_hash, result.signature)
        yield article_json(to_article(result), outlet=result.outlet)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What :func:`ingest_doc` did with one doc: ``stored``, ``unchanged`` or ``rejected``."""

    state: str
    article_id: str | None = None
    reason: str | None = None


def ingest_doc(
    doc: Doc, *, store: Store, front: Pipeline, back: Pipeline, summary: IngestSummary
) -> Outcome:
    """Run the pipeline (split at dedupe, as :func:`ingest` does) over one doc — a page the
    live monitor fetched — and store it. Counts go to ``summary``; a rejection is recorded
    against the input like any other. Runs inside the caller's transaction when there is one,
    so the caller can commit the article together with its own bookkeeping."""
    return ingest_front_result(run_stages(front, doc), store=store, back=back, summary=summary)


def ingest_front_result(
    result: Result, *, store: Store, back: Pipeline, summary: IngestSummary
) -> Outcome:
    """The rest of :func:`ingest_doc` once the front of the pipeline has run (in this process
    or a worker, :func:`~newsparallax.annotate.workers.run_stages`): dedupe and store. Only this
    part needs the store, so a caller can keep its write transaction this short."""
    summary.read += 1
    if isinstance(result, Failed):
        _failed(store, summary, result)
        return Outcome("rejected", reason=f"[{result.code}] {result.reason}")
    done = run_stages(back, result)
    if isinstance(done, Failed):
        _failed(store, summary, done)
        return Outcome("rejected", reason=f"[{done.code}] {done.reason}")
    stored = _store(store, summary, done)
    return Outcome("stored" if stored else "unchanged", article_id=done.id)
