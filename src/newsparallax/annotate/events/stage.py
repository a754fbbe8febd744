"""The ``events`` pipeline stage: fills ``doc.events`` from the text and its actor mentions."""

from __future__ import annotations

from collections.abc import Sequence

from ..pipeline import BaseStage, Doc
from . import code_events, parse_ahead

STAGE = "events.v2"
_DAY_OR_FINER = frozenset({"second", "minute", "day"})


class EventsStage(BaseStage):
    """Code events in the title and text (or summary) of English, Russian and Persian articles.

    Counts events by PLOVER type, and ``relayed`` (not asserted) and ``negated`` ones."""

    name = STAGE
    requires = ("title", "text", "summary", "language", "published", "mentions", "id", "outlet")
    provides = ("events",)

    def prepare(self, docs: Sequence[Doc]) -> None:
        """Parse the English sentences of all ``docs`` in one batch (see
        :meth:`~newsparallax.annotate.pipeline.Pipeline.run_each`)."""
        parse_ahead((d.language, d.title, d.summary, d.body, d.mentions) for d in docs)

    def __call__(self, doc: Doc) -> Doc:
        doc.events = code_events(
            title=doc.title,
            summary=doc.summary,
            text=doc.body,
            mentions=doc.mentions,
            language=doc.language,
            published=doc.published,
            day_precise=doc.date_precision is not None and doc.date_precision.unit in _DAY_OR_FINER,
            article=doc.id or None,
            home=doc.outlet.country if doc.outlet is not None else None,
        )
        for event in doc.events:
            self.counts[event.type] += 1
            self.counts["relayed"] += not event.asserted
            self.counts["negated"] += event.negated
        return doc
