"""The ``actors`` pipeline stage: fills ``doc.mentions``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ... import settings
from ...records import Mention
from ..pipeline import BaseStage, Doc
from . import default_matcher
from .matcher import STAGE, Matcher


class ActorsStage(BaseStage):
    """Find and resolve actor mentions in the article text on the article's date.

    Counts mentions by kind, and ``articles_with_actors``. With ``ner`` (the optional ``ner``
    extra), names a statistical model finds that the dictionary does not know are added as
    ``unknown:…`` mentions, which ``parallax actors unknown`` reports for curation."""

    name = STAGE
    requires = ("title", "text", "summary", "language", "published")
    provides = ("mentions",)

    def __init__(self, matcher: Matcher | None = None, *, ner: bool = False) -> None:
        super().__init__()
        self.matcher = matcher or default_matcher()
        self.ner = ner

    def __call__(self, doc: Doc) -> Doc:
        fields = [("title", doc.title), ("text", doc.body)]
        if not doc.text.strip():
            fields.insert(1, ("summary", doc.summary))  # a feed item: its summary is the body
        mentions: list[Mention] = []
        for field, value in fields:
            if value:
                mentions.extend(replace(m, field=field) for m in self._find(value, doc))
        doc.mentions = mentions
        if mentions:
            self.counts["articles_with_actors"] += 1
        for mention in mentions:
            self.counts[mention.kind] += 1
        return doc

    def _find(self, value: str, doc: Doc) -> list[Mention]:
        mentions = self.matcher.find(value, language=doc.language, published=doc.published)
        if self.ner and doc.language:
            from .unknown import add_ner_mentions

            mentions = add_ner_mentions(value, mentions, language=doc.language)
        return mentions


def actors_stage(**_: Any) -> ActorsStage:
    return ActorsStage(ner=settings.get("actors_ner").strip().lower() in ("on", "true", "1"))
