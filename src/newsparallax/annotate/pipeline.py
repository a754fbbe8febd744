"""The per-article pipeline: a list of stages run over one :class:`Doc` at a time.

A stage is a callable ``Doc -> Doc`` with a versioned ``name`` (``language.v1``), the ``Doc``
fields it ``requires`` and the fields it ``provides``, and a :class:`collections.Counter` of what
it did. :class:`Pipeline` checks when it is built that every required field is provided by the
input or by an earlier stage, so a mis-ordered pipeline fails at once, not on the first article.

A stage that decides an input is not an article raises :class:`Drop` with a reason; the caller
counts it as rejected and records the reason against the input.

:meth:`Pipeline.run_each` runs a list of docs stage by stage instead of doc by doc (same results:
the stages it is used with keep no state between docs). A stage may then have a ``prepare(docs)``
method, given the docs about to reach it before each is passed on its own, to do their common
work at once: the events stage parses the sentences of all of them in one spaCy batch.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

from .. import settings
from ..errors import PipelineOrderError
from ..records import DatePrecision, Event, Mention, Outlet, Quality, ThemeTag

log = logging.getLogger(__name__)

INPUT_FIELDS: frozenset[str] = frozenset(
    {"source", "url", "html", "title", "text", "summary", "published_raw", "meta"}
)
"""Fields a reader may fill before the first stage runs."""


class Drop(Exception):
    """Raised by a stage to reject the input with a reason (counted, recorded, not stored)."""

    def __init__(self, reason: str, *, code: str = "rejected") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(slots=True)
class Doc:
    """The mutable work item a pipeline passes from stage to stage.

    Readers fill the input fields (see :data:`INPUT_FIELDS`); stages fill the rest. At the end
    ``ingest`` turns it into a frozen :class:`~newsparallax.records.Article`.
    """

    source: str
    url: str | None = None
    html: str | bytes | None = None
    title: str = ""
    text: str = ""
    summary: str = ""
    published_raw: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    """Hints from the input: ``outlet`` name, ``domain``, ``language``, ``date_precision``,
    ``collection``, ``license``, ``id``, ``fetched`` (a WARC record's date), ``charset``."""

    # filled by stages
    id: str = ""
    canonical_url: str | None = None
    domain: str = ""
    outlet: Outlet | None = None
    author: str | None = None
    site_name: str | None = None
    extractor: str = "input"
    published: datetime | None = None
    date_precision: DatePrecision | None = None
    date_claimed: str | None = None
    language: str = "und"
    language_confidence: float = 0.0
    quality: Quality = field(default_factory=Quality)
    content_hash: str = ""
    signature: Any = None
    """MinHash signature (a ``numpy`` array) or ``None`` when the text is too short."""
    duplicate_of: str | None = None
    duplicate_similarity: float | None = None
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    themes: list[ThemeTag] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    """Quality flags raised by stages other than ``quality`` (dates, extraction, language)."""
    stages: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The part of ``text`` the annotation stages read: all of it, up to the setting
        ``max_annotate_chars`` (a long transcript fits; a 40 MB dump does not make every stage
        run for minutes). The stored text stays whole; ``quality`` flags ``annotated_in_part``."""
        return self.text[: settings.get_int("max_annotate_chars")]


@runtime_checkable
class Stage(Protocol):
    """What the pipeline needs of a stage (read-only attributes, usually class attributes)."""

    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> tuple[str, ...]: ...

    @property
    def provides(self) -> tuple[str, ...]: ...

    @property
    def counts(self) -> Counter[str]: ...

    def __call__(self, doc: Doc) -> Doc: ...


class BaseStage:
    """Convenience base: a ``counts`` counter and the declarations as class attributes."""

    name: str = "base.v0"
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(slots=True)
class Pipeline:
    """An ordered, checked list of stages with per-stage timing."""

    stages: Sequence[Stage]
    seconds: dict[str, float] = field(default_factory=dict)
    given: frozenset[str] = INPUT_FIELDS
    """Fields present before the first stage (a later part of a split pipeline is given more)."""

    def __post_init__(self) -> None:
        check_order(self.stages, given=self.given)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Doc) -> Doc:
        for stage in self.stages:
            t0 = time.perf_counter()
            try:
                doc = stage(doc)
            finally:
                elapsed = time.perf_counter() - t0
                self.seconds[stage.name] = self.seconds.get(stage.name, 0.0) + elapsed
            doc.stages.append(stage.name)
        return doc

    def run_each(self, docs: Sequence[Doc]) -> list[Doc | Exception]:
        """Run the pipeline over ``docs`` stage by stage: each doc gets the result calling the
        pipeline on it would give, and a stage with a ``prepare`` method is first handed the docs
        that reach it. A doc a stage raised on goes no further: the exception takes its place.
        A failing ``prepare`` is logged and ignored (the stage then does each doc's work itself).
        """
        out: list[Doc | Exception] = list(docs)
        for stage in self.stages:
            live = [d for d in out if isinstance(d, Doc)]
            if not live:
                break
            t0 = time.perf_counter()
            prepare = getattr(stage, "prepare", None)
            if prepare is not None:
                try:
                    prepare(live)
                except Exception:  # an optimisation only: each doc still runs the stage
                    log.warning("stage %s could not prepare %d docs", stage.name, len(live))
            for i, item in enumerate(out):
                if not isinstance(item, Doc):
                    continue
                try:
                    done = stage(item)
                except Exception as err:
                    out[i] = err
                    continue
                done.stages.append(stage.name)
                out[i] = done
            elapsed = time.perf_counter() - t0
            self.seconds[stage.name] = self.seconds.get(stage.name, 0.0) + elapsed
        return out

    def counts(self) -> dict[str, dict[str, int]]:
        return {s.name: dict(s.counts) for s in self.stages}

    def split(self, name: str) -> tuple[Pipeline, Pipeline]:
        """The stages before the one called ``name`` and the rest, as two checked pipelines."""
        names = [s.name.split(".v")[0] for s in self.stages]
        at = names.index(name) if name in names else len(self.stages)
        front = Pipeline(self.stages[:at], given=self.given)
        provided = {f for s in front.stages for f in s.provides}
        return front, Pipeline(self.stages[at:], given=self.given | provided)


def check_order(stages: Iterable[Stage], *, given: frozenset[str] = INPUT_FIELDS) -> None:
    """Raise :class:`PipelineOrderError` if a stage needs a field nothing before it provides."""
    available = set(given)
    for stage in stages:
        missing = [f for f in stage.requires if f not in available]
        if missing:
            raise PipelineOrderError(
                f"stage {stage.name} requires {', '.join(missing)}, which no earlier stage provides"
            )
        unknown = [f for f in stage.provides if f not in Doc.__dataclass_fields__]
        if unknown:
            raise PipelineOrderError(f"stage {stage.name} provides unknown fields {unknown}")
        available.update(stage.provides)
