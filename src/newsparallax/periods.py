"""Date bounds of queries: the one reading of ``--since``/``--until`` and ``since=``/``until=``.

A bound is a year (``2024``), a month (``2024-03``), a day (``2024-03-05``) or an ISO-8601
instant (``2024-03-05T10:00:00Z``; without a zone, UTC). As a lower bound it means its first
second; as an upper bound (``end=True``) its last, so ``--until 2024-03`` includes all of March.
Every command, API parameter and report reads bounds through :func:`date_bound` (or
:func:`day_bound`), so they all mean the same.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from .errors import QueryError

__all__ = ["DateBoundError", "date_bound", "day_bound"]

_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class DateBoundError(QueryError):
    """A bound that is not a year, month, day or instant; the message says what is accepted."""


def date_bound(value: str | None, *, end: bool) -> int | None:
    """Unix seconds of the first (or, ``end``, the last) second of ``value``; ``None`` for no
    bound (``None`` or an empty string)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    m = _PERIOD.fullmatch(text)
    if m is None:
        return _instant(text)
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        start = datetime(year, month, day, tzinfo=UTC)
    except ValueError as err:
        raise DateBoundError(f"not a date: {value!r} ({err})") from err
    if not end:
        return int(start.timestamp())
    if m[3]:
        after = start + timedelta(days=1)
    elif m[2]:
        after = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        after = start.replace(year=year + 1)
    return int(after.timestamp()) - 1


def day_bound(value: str | date | None, *, end: bool) -> date | None:
    """The first (or, ``end``, the last) day of ``value``; a :class:`date` is its own bound."""
    if isinstance(value, date):
        return value
    ts = date_bound(value, end=end)
    return None if ts is None else datetime.fromtimestamp(ts, UTC).date()


def _instant(text: str) -> int:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise DateBoundError(
            f"not a date: {text!r} (use YYYY, YYYY-MM, YYYY-MM-DD or an ISO-8601 instant)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())
