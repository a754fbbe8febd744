"""Events: who did what to whom (PLOVER types with a CAMEO crosswalk), with evidence,
intensity, attribution and negation, in English, Russian and Persian."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from ...records import Event, Mention
from .coder_en import EnglishCoder, spacy_available
from .coder_lex import EnglishBaseline, LexicalCoder
from .common import home_air_defence, visible, without_markup
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
    "parse_ahead",
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
    home: str | None = None,
) -> list[Event]:
    """Events of an article's title, text (or summary, for items with no body).

    ``day_precise=False`` (a date known only to the month or year, or none) links the
    events' instances within the ``article`` only. ``home`` is the outlet's country: an air
    defence it names with no state is that state's (:func:`.common.home_air_defence`)."""
    coder = coder_for(language)
    if coder is None:
        return []
    fields = _fields(title=title, summary=summary, text=text)
    if isinstance(coder, EnglishCoder):  # the title's and the text's sentences in one batch
        parse_ahead([(language, title, summary, text, mentions)])
    events: list[Event] = []
    year = published.year if published is not None else None
    for field, value in fields:
        own = _field_mentions(value, mentions, field)
        if isinstance(coder, LexicalCoder):
            coded = [
                home_air_defence(c, value, coder.language, home, own)
                for c in coder.coded(value, own, field=field)
            ]
            found = [c.event for c in coded]
        else:
            found = coder.code(value, own, field=field)
        for event in found:
            within = None if day_precise and published is not None else (article or "?")
            linked = event_instance(event, published, article=within)
            event = replace(event, instance=linked)
            if year and event.mood == "fact" and _history(value, event, year):
                event = replace(event, mood="past", confidence=0.0)
            events.append(event)
    return events


_MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTHS_RU = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
#: "in 1941", "in December of 1941", "during 2003", "on September 22, 1980", "3 January 2020",
#: «в 1941 году», «в декабре 1941 года», «22 сентября 1980 года», «در سال ۲۰۰۳»: the sentence
#: dates what it tells to a year.
_DATED = re.compile(
    r"\b(?:in|during)\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+\s+(?:of\s+)?)?((?:19|20)\d\d)\b"
    rf"|\b(?:{_MONTHS_EN})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS_EN}),?\s+((?:19|20)\d\d)\b"
    r"|\bв\s+(?:\w+\s+)?((?:19|20)\d\d)\s+год"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS_RU})\s+((?:19|20)\d\d)\b"
    r"|در\s+سال\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _history(text: str, event: Event, year: int) -> bool:
    """Whether the event's sentence dates it to two or more years before the article's: history
    recounted ("Japan destroyed many American battleships at Pearl Harbor in December of 1941"),
    not news of the day — stored, counted nowhere (``mood: past``)."""
    dated = [
        int(next(g for g in m.groups() if g))
        for m in _DATED.finditer(text[event.sentence_start : event.sentence_end])
    ]
    return bool(dated) and max(dated) <= year - 2


def _fields(*, title: str, summary: str, text: str) -> list[tuple[str, str]]:
    """The fields :func:`code_events` codes: title and text, or title and summary when there
    is no text; their markdown blanked out (offsets kept)."""
    fields = [("title", title), ("text", text)]
    if not text.strip():
        fields.insert(1, ("summary", summary))
    return [(field, without_markup(value)) for field, value in fields if value]


def _field_mentions(value: str, mentions: Sequence[Mention], field: str) -> list[Mention]:
    """The mentions of one field, less those its blanked markdown hides."""
    return visible(value, [m for m in mentions if m.field == field])


def parse_ahead(
    articles: Iterable[tuple[str | None, str, str, str, Sequence[Mention]]],
) -> None:
    """Parse in one batch the English sentences :func:`code_events` will parse for each
    ``(language, title, summary, text, mentions)``; the English coder keeps the parses, so
    coding the articles next does not parse them again. What is coded does not change."""
    coder = coder_for("en")
    if not isinstance(coder, EnglishCoder):
        return
    sentences: list[str] = []
    for language, title, summary, text, mentions in articles:
        if language != "en":
            continue
        for field, value in _fields(title=title, summary=summary, text=text):
            sentences += coder.to_parse(value, _field_mentions(value, mentions, field))
    if sentences:
        coder.parse(sentences)
