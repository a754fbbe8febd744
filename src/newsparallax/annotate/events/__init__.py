"""Events: who did what to whom (PLOVER types with a CAMEO crosswalk), with evidence,
intensity, attribution and negation, in English, Russian and Persian."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from ...records import Event, Mention
from .coder_en import EnglishCoder, spacy_available
from .coder_lex import EnglishBaseline, LexicalCoder
from .lexicon import Lexicon, load_lexicon

__all__ = [
    "EnglishBaseline",
    "EnglishCoder",
    "LexicalCoder",
    "Lexicon",
    "code_events",
    "coder_for",
    "event_instance",
    "load_lexicon",
]

_coders: dict[str, EnglishCoder | LexicalCoder] = {}


def coder_for(language: str | None) -> EnglishCoder | LexicalCoder | None:
    """The coder for a language: syntax for English (lexical when spaCy is missing),
    lexical for Russian and Persian; ``None`` for other languages."""
    if language not in ("en", "ru", "fa"):
        return None
    if language not in _coders:
        if language == "en":
            _coders[language] = EnglishCoder() if spacy_available() else EnglishBaseline()
        else:
            _coders[language] = LexicalCoder(language)
    return _coders[language]


def event_instance(
    event: Event, published: datetime | date | None, *, article: str | None = None
) -> str:
    """One real-world event reported many times: same type and actors on the same day.

    Reports dated less precisely than a day (or not at all) cannot be matched to a day: pass the
    article id as ``article`` and they link only within that article."""
    day = published.date() if isinstance(published, datetime) else published
    key = "|".join(
        [
            event.type,
            event.source_actor or event.source or "-",
            event.target_actor or event.target or "-",
            day.isoformat() if day and not article else f"article:{article}",
            "neg" if event.negated else "",
        ]
    )
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def code_events(
    *,
    title: str = "",
    summary: str = "",
    text: str = "",
    mentions: Sequence[Mention] = (),
    language: str | None,
    published: datetime | date | None = None,
    day_precise: bool = True,
    article: str | None = None,
) -> list[Event]:
    """Events of an article's title, text (or summary, for items with no body).

    ``day_precise=False`` (a date known only to the month or year, or none) links the
    events' instances within the ``article`` only."""
    coder = coder_for(language)
    if coder is None:
        return []
    fields = [("title", title), ("text", text)]
    if not text.strip():
        fields.insert(1, ("summary", summary))
    events: list[Event] = []
    for field, value in fields:
        if not value:
            continue
        own = [m for m in mentions if m.field == field]
        for event in coder.code(value, own, field=field):
            within = None if day_precise and published is not None else (article or "?")
            linked = event_instance(event, published, article=within)
            events.append(replace(event, instance=linked))
    return events
