"""Ingest and annotate: readers → the per-article pipeline → the store (or standard output).

:func:`build_pipeline` is the one place that decides the stage order; ``ingest``, ``annotate``
and the demo all use it. Every input problem and every rejected article is counted, kept in the
summary and recorded in the store against its input; the run always goes on.
"""

from __future__ import annotations

import logging
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import IO, Any

from . import settings
from .dates import DatesStage, format_date
from .dedupe import DedupeStage, DuplicateIndex, MemoryIndex
from .errors import InputProblem
from .extraction import ExtractStage
from .identify import AlreadyStored, IdentifyStage
from .language import LanguageStage
from .pipeline import Doc, Drop, Pipeline, Stage, stage_factory
from .quality import QualityStage
from .readers import read_inputs
from .records import Article, Outlet, Quality
from .store import Store
from .urls import article_id
from .watches import Watch

log = logging.getLogger(__name__)

#: Stages later issues register (actors, events, themes); added in this order when present.
ANNOTATION_STAGES = ("actors", "events", "themes")


def build_pipeline(
    *,
    watch: Watch,
    index: DuplicateIndex,
    seen: Callable[[str], bool] | None = None,
    now: Callable[[], datetime] | None = None,
    dedupe_threshold: float | None = None,
) -> Pipeline:
    """The per-article pipeline: extract → identify → dates → quality → language → dedupe,
    then whatever annotation stages are registered."""
    threshold = (
        dedupe_threshold if dedupe_threshold is not None else settings.get_float("dedupe_threshold")
    )
    stages: list[Stage] = [
        ExtractStage(),
        IdentifyStage(outlets=watch, seen=seen),
        DatesStage(now=now),
        QualityStage(),
        LanguageStage(),
        DedupeStage(index=index, threshold=threshold),
    ]
    for name in ANNOTATION_STAGES:
        try:
            factory = stage_factory(name)
        except KeyError:
            continue
        stages.append(factory(watch=watch))
    return Pipeline(stages)


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
    peak_memory_mb: float | None = None
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
            "peak_memory_mb": self.peak_memory_mb,
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
    measure_memory: bool = False,
    now: Callable[[], datetime] | None = None,
) -> IngestSummary:
    """Read ``paths``, run the pipeline over each article and store the results."""
    started = time.perf_counter()
    if measure_memory:
        tracemalloc.start()
    summary = IngestSummary(run_id=store.start_run(command))
    store.sync_outlets(watch.outlets, watch=watch.name)
    pipeline = build_pipeline(watch=watch, index=store, seen=store.has, now=now)
    batch = settings.get_int("batch_size")
    items: Iterable[Any] = read_inputs(
        paths, stdin=stdin, max_bytes=settings.get_int("max_page_bytes")
    )
    if progress is not None:
        items = progress(items)
    pending = 0
    store.begin()
    try:
        for item in items:
            if isinstance(item, InputProblem):
                _problem(store, summary, item)
                continue
            summary.read += 1
            if item.url and store.has(article_id(url=item.url)):
                summary.unchanged += 1
                continue
            doc = _run(pipeline, item, store=store, summary=summary)
            if doc is None:
                continue
            article = to_article(doc)
            if doc.outlet is not None and doc.outlet.camp is None:
                store.ensure_outlet(doc.outlet)
            rowid = store.add(
                article,
                signature=doc.signature,
                canonical_url=doc.canonical_url,
                run_id=summary.run_id,
            )
            if rowid is None:
                summary.unchanged += 1
                continue
            summary.stored += 1
            summary.duplicates += article.duplicate_of is not None
            summary.by_language[article.language] += 1
            summary.by_outlet[article.outlet] += 1
            pending += 1
            if pending >= batch:
                store.commit()
                store.begin()
                pending = 0
    finally:
        store.commit()
    summary.stage_counts = pipeline.counts()
    summary.stage_seconds = dict(pipeline.seconds)
    summary.seconds = time.perf_counter() - started
    if measure_memory:
        summary.peak_memory_mb = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
        tracemalloc.stop()
    store.finish_run(summary.run_id or 0, summary.as_dict())
    return summary


def _problem(store: Store, summary: IngestSummary, problem: InputProblem) -> None:
    summary.errors.append(problem)
    store.record_problem(summary.run_id, problem)


def _run(
    pipeline: Pipeline, doc: Doc, *, store: Store | None, summary: IngestSummary
) -> Doc | None:
    """Run the pipeline over one doc; turn drops and crashes into recorded problems."""
    try:
        return pipeline(doc)
    except AlreadyStored:
        summary.unchanged += 1
    except Drop as drop:
        summary.rejected += 1
        problem = InputProblem(input=doc.source, code=drop.code, reason=drop.reason)
        summary.errors.append(problem)
        if store is not None:
            store.record_problem(summary.run_id, problem)
    except Exception as err:  # a bug in a stage must not stop the run or lose stored work
        log.exception("stage failed on %s", doc.source)
        summary.rejected += 1
        problem = InputProblem(
            input=doc.source, code="internal", reason=f"{type(err).__name__}: {err}"
        )
        summary.errors.append(problem)
        if store is not None:
            store.record_problem(summary.run_id, problem)
    return None


def annotate(
    paths: Sequence[str], *, watch: Watch, stdin: IO[bytes] | None = None
) -> Iterator[dict[str, Any] | InputProblem]:
    """Run the pipeline without a store: yield one JSON-ready dict per article, or a problem.

    Duplicates are found within the run (an in-memory index)."""
    index = MemoryIndex()
    pipeline = build_pipeline(watch=watch, index=index)
    summary = IngestSummary()
    for item in read_inputs(paths, stdin=stdin, max_bytes=settings.get_int("max_page_bytes")):
        if isinstance(item, InputProblem):
            yield item
            continue
        before = len(summary.errors)
        doc = _run(pipeline, item, store=None, summary=summary)
        if doc is None:
            yield from summary.errors[before:]
            continue
        index.add(doc.id, doc.content_hash, doc.signature)
        yield article_json(to_article(doc), outlet=doc.outlet)
