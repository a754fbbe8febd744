"""Publication dates: parsing with their precision, and refusing impossible ones.

Wrong publication dates are the most common complaint about news extractors, so a date is kept
only at the precision it was given (``2022-05`` is a month, never the 1st of May), an unknown date
stays unknown, and an impossible one is flagged and not trusted:

* ``date_in_future`` — later than now (or than the moment a WARC record was fetched), with a day
  of slack for time zones;
* ``date_before_outlet`` — before the outlet began publishing (``Outlet.founded``);
* ``date_too_old`` — before 1900, for any outlet.

An untrusted date is kept as text in ``Article.date_claimed``; ``published`` is ``None``.
Dates without a time zone are read as UTC.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from ..records import DatePrecision
from .pipeline import BaseStage, Doc

EARLIEST_YEAR = 1900
FUTURE_SLACK = timedelta(days=1)

_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(
    raw: str | None, *, precision: str | None = None
) -> tuple[datetime | None, DatePrecision | None]:
    """Parse ``raw`` into a UTC-aware datetime and the precision it carries.

    ``precision`` (a :class:`DatePrecision` value, as the demo corpus's ``date_precision``)
    overrides what the string's form implies, which matters for estimated dates. Returns
    ``(None, None)`` when nothing usable is found; never guesses.
    """
    if raw is None or not str(raw).strip():
        return None, None
    text = str(raw).strip()
    hint = _precision(precision)
    parsed = _parse(text)
    if parsed is None:
        return None, None
    value, implied = parsed
    if hint is not None and _rank(hint) >= _rank(implied):
        # the hint may only coarsen what the string says (an estimated month, say)
        value = _truncate(value, hint)
        return value, hint
    return value, implied


def _parse(text: str) -> tuple[datetime, DatePrecision] | None:
    try:
        if m := _YEAR.match(text):
            return datetime(int(m[1]), 1, 1, tzinfo=UTC), DatePrecision.YEAR
        if m := _MONTH.match(text):
            return datetime(int(m[1]), int(m[2]), 1, tzinfo=UTC), DatePrecision.MONTH
        if m := _DAY.match(text):
            return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC), DatePrecision.DAY
    except ValueError:
        return None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        value = datetime.fromisoformat(iso)
    except ValueError:
        try:
            value = parsedate_to_datetime(text)  # RFC 2822, as in RSS
        except (TypeError, ValueError, IndexError):
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    precision = DatePrecision.SECOND
    if value.second == 0 and value.microsecond == 0 and re.search(r"\d{1,2}:\d{2}(?!:)", text):
        precision = DatePrecision.MINUTE
    return value, precision


def _precision(value: str | None) -> DatePrecision | None:
    if not value:
        return None
    try:
        return DatePrecision(value)
    except ValueError:
        return None


_ORDER = {"second": 0, "minute": 1, "day": 2, "month": 3, "year": 4}


def _rank(precision: DatePrecision) -> int:
    """Coarser precisions rank higher; an estimate ranks with its unit."""
    return _ORDER[precision.unit]


def _truncate(value: datetime, precision: DatePrecision) -> datetime:
    unit = precision.unit
    if unit == "year":
        return value.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "month":
        return value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return value.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "minute":
        return value.replace(second=0, microsecond=0)
    return value


def implausibility(
    published: datetime,
    *,
    now: datetime,
    founded: int | None = None,
    fetched: datetime | None = None,
) -> str | None:
    """The flag that makes ``published`` impossible, or ``None`` when it is plausible."""
    limit = min(now, fetched) if fetched is not None else now
    if published > limit + FUTURE_SLACK:
        return "date_in_future"
    if published.year < EARLIEST_YEAR:
        return "date_too_old"
    if founded is not None and published.year < founded:
        return "date_before_outlet"
    return None


def format_date(value: datetime | None, precision: DatePrecision | None) -> str | None:
    """Render a date at its precision: ``2022-05`` for a month, ``2022`` for a year."""
    if value is None:
        return None
    unit = precision.unit if precision is not None else "second"
    if unit == "year":
        return f"{value.year:04d}"
    if unit == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if unit == "day":
        return value.date().isoformat()
    return value.isoformat()


class DatesStage(BaseStage):
    """Parse ``published_raw`` with its precision; flag and distrust impossible dates."""

    name = "dates.v1"
    requires = ("published_raw", "meta", "outlet")
    provides = ("published", "date_precision", "date_claimed", "flags")

    def __init__(self, *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self._now = now or (lambda: datetime.now(UTC))

    def __call__(self, doc: Doc) -> Doc:
        value, precision = parse_date(doc.published_raw, precision=doc.meta.get("date_precision"))
        if value is None:
            if doc.published_raw:
                doc.date_claimed = str(doc.published_raw)
                doc.flags.append("date_unparsed")
                self.counts["unparsed"] += 1
            else:
                self.counts["missing"] += 1
            return doc
        fetched, _ = parse_date(doc.meta.get("fetched"))
        founded = doc.outlet.founded if doc.outlet is not None else None
        flag = implausibility(value, now=self._now(), founded=founded, fetched=fetched)
        if flag is not None:
            doc.date_claimed = str(doc.published_raw)
            doc.flags.append(flag)
            self.counts[flag] += 1
            return doc
        doc.published, doc.date_precision = value, precision
        self.counts[precision.value if precision else "unknown"] += 1
        return doc
