"""The data's clock: the day that counts as "now" for default windows over a store.

Briefings, the dashboard's top stories and the Compare page look at "the last week" or "the last
30 days" when no dates are given. For a store the live monitor keeps filling, that is the newest
article's day. An archive often ends in a sparse tail instead: a few late, updated or mis-dated
articles months after its bulk (the demo corpus has 4,640 articles in November 2024, then about
130 spread over the next fifteen months), and windows anchored on the newest article are empty.

:func:`data_clock` walks back week by week from the newest article's day to the first week that
holds at least :data:`BUSY_SHARE` of the articles of the busiest week of the two years before,
and returns that week's newest day. A store with steady volume gets its newest day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ..store.database import Store

BUSY_SHARE = 0.1
"""A week is busy enough to be "now" with this share of the busiest week's articles."""
LOOKBACK_WEEKS = 104
_DAY = 86_400


def newest_day(store: Store) -> date | None:
    """The day of the newest stored article."""
    row = store.conn.execute("SELECT max(published_ts) FROM articles").fetchone()
    return _day(int(row[0])) if row and row[0] is not None else None


def data_clock(store: Store) -> date | None:
    """The newest day of the last busy week (see the module docstring); ``None`` when no
    stored article has a date."""
    newest = newest_day(store)
    if newest is None:
        return None
    top = (newest - date(1970, 1, 1)).days
    counts = {
        int(day): int(n)
        for day, n in store.conn.execute(
            # copies counted too: the published_ts index answers this alone (15 ms on the
            # 43,000-article demo store, 80 ms with a filter on duplicate_of)
            "SELECT published_ts / 86400, count(*) FROM articles WHERE published_ts >= ?"
            " GROUP BY published_ts / 86400",
            ((top - 7 * LOOKBACK_WEEKS) * _DAY,),
        )
    }
    weeks = [
        [day for day in range(top - 7 * k - 6, top - 7 * k + 1) if counts.get(day)]
        for k in range(LOOKBACK_WEEKS)
    ]
    sizes = [sum(counts[d] for d in days) for days in weeks]
    busiest = max(sizes, default=0)
    for days, size in zip(weeks, sizes, strict=True):
        if days and size >= BUSY_SHARE * busiest:
            return _day(max(days) * _DAY)
    return newest


def _day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def day_ts(day: date, *, end: bool = False) -> int:
    """The first (or with ``end`` the last) second of ``day`` (UTC) as a Unix time."""
    start = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    return start + _DAY - 1 if end else start


def days_before(day: date, days: int) -> date:
    """The first day of the ``days``-day window ending on ``day``."""
    return day - timedelta(days=days - 1)


def newest_story_day(store: Store) -> date | None:
    """The last day of the newest story two camps covered (else of any story): what the
    watch compares."""
    row = store.conn.execute(
        "SELECT coalesce(max(CASE WHEN json_array_length(camps) >= 2 THEN last_seen_ts END),"
        " max(last_seen_ts)) FROM stories WHERE articles >= 2"
    ).fetchone()
    return datetime.fromtimestamp(row[0], UTC).date() if row and row[0] is not None else None


__all__ = ["BUSY_SHARE", "data_clock", "day_ts", "days_before", "newest_day", "newest_story_day"]
