"""Core records: outlets, articles and the offset-based annotations later stages fill.

Records are frozen, typed dataclasses. Annotations point into ``Article.text`` with character
offsets (``start`` inclusive, ``end`` exclusive) and never copy more text than the matched span;
each one names the versioned stage that produced it.

Dates are timezone-aware ``datetime`` values together with a :class:`DatePrecision`: a month
estimated from an article id is stored as the first instant of that month with the precision
``month-estimated``; it is never presented as a day.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class DatePrecision(enum.StrEnum):
    """How much of ``Article.published`` is known."""

    SECOND = "second"
    MINUTE = "minute"
    DAY = "day"
    DAY_ESTIMATED = "day-estimated"
    MONTH = "month"
    MONTH_ESTIMATED = "month-estimated"
    YEAR = "year"
    YEAR_ESTIMATED = "year-estimated"

    @property
    def estimated(self) -> bool:
        return self.value.endswith("-estimated")

    @property
    def unit(self) -> str:
        """The calendar unit known: ``second``, ``minute``, ``day``, ``month`` or ``year``."""
        return self.value.removesuffix("-estimated")


@dataclass(frozen=True, kw_only=True, slots=True)
class Camp:
    """A group of outlets that tend to tell a story the same way (defined by a watch)."""

    id: str
    label: str
    description: str = ""
    color: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Outlet:
    """A news source: its domains, origin, camp and the evidence for that label."""

    id: str
    """Stable key: the outlet's primary domain (``tass.com``) or ``telegram:<channel>``."""
    name: str
    domains: tuple[str, ...] = ()
    country: str | None = None
    """ISO 3166-1 alpha-3 code of the country the outlet is based in."""
    languages: tuple[str, ...] = ()
    camp: str | None = None
    ownership: str | None = None
    """``state``, ``state-affiliated``, ``public``, ``private``, ``government`` or ``nonprofit``."""
    state_affiliated: bool = False
    evidence: str = ""
    """One line on why the outlet carries its camp and ownership labels."""
    founded: int | None = None
    """Year the outlet began publishing; earlier publication dates are implausible."""
    feeds: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The outlet as JSON (lists for the tuples), as the CLI and the API give it."""
        return {
            "id": self.id,
            "name": self.name,
            "domains": list(self.domains),
            "country": self.country,
            "languages": list(self.languages),
            "camp": self.camp,
            "ownership": self.ownership,
            "state_affiliated": self.state_affiliated,
            "founded": self.founded,
            "evidence": self.evidence,
            "feeds": list(self.feeds),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Quality:
    """Quality assessment: a score in [0, 1] (1 is clean news text) and the flags raised."""

    score: float = 1.0
    flags: tuple[str, ...] = ()
    details: dict[str, float] = field(default_factory=dict)
    """Measured signals behind the flags (for example ``keyword_stuffing: 0.31``)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Mention:
    """An actor mention: a span of the article text resolved to an actor entry."""

    start: int
    end: int
    text: str
    actor: str
    kind: str
    country: str | None = None
    sector: str | None = None
    stage: str = ""
    field: str = "text"
    """Where the offsets point: ``text`` (the body), ``title`` or ``summary``."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """A coded event (PLOVER type, CAMEO crosswalk) with the sentence it came from."""

    type: str
    mode: str | None = None
    source: str | None = None
    target: str | None = None
    source_actor: str | None = None
    target_actor: str | None = None
    sentence_start: int
    sentence_end: int
    trigger: str = ""
    quad: str | None = None
    intensity: float = 0.0
    cameo: str | None = None
    asserted: bool = True
    attributed_to: str | None = None
    negated: bool = False
    confidence: float = 0.0
    """The calibrated probability that the event is right (see
    :mod:`newsparallax.annotate.events.signals`); below the store's threshold it is kept out of
    series, timelines, alerts and claims."""
    coder: str = ""
    field: str = "text"
    """Where the sentence offsets point: ``text`` (the body), ``title`` or ``summary``."""
    mood: str = "fact"
    """``fact`` (it happened, or was said, promised or threatened), ``hypothetical`` (a
    possibility, fear, plan or question) or ``cancelled`` (called off, failed)."""
    instance: str | None = None
    """The real-world event this report is of: reports with the same type, actors and day share
    it, so events and reports can both be counted."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ThemeTag:
    """A theme assigned to an article, with the spans that support it."""

    theme: str
    score: float
    evidence: tuple[tuple[int, int], ...] = ()
    stage: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Article:
    """One stored news item and its annotations."""

    id: str
    """Deterministic: from the canonical URL, or from the content when there is no URL."""
    url: str | None
    outlet: str
    """The :class:`Outlet` id; for a domain no watch knows, the domain itself."""
    domain: str
    published: datetime | None
    date_precision: DatePrecision | None
    title: str
    text: str
    summary: str = ""
    author: str | None = None
    site_name: str | None = None
    language: str = "und"
    language_confidence: float = 0.0
    quality: Quality = field(default_factory=Quality)
    content_hash: str = ""
    duplicate_of: str | None = None
    duplicate_similarity: float | None = None
    date_claimed: str | None = None
    """A publication date found in the input but not trusted (see the ``date_*`` quality flags)."""
    extractor: str = "input"
    """Which extractor produced ``text`` (``input`` when the record carried it)."""
    source: str = ""
    """Where it was read from: ``path:line`` for JSON Lines, ``path#offset`` for WARC records."""
    collection: str | None = None
    license: str | None = None
    stages: tuple[str, ...] = ()
    """Versioned names of the stages that ran over this article."""
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    themes: tuple[ThemeTag, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
