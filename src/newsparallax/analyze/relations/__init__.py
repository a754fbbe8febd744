"""The relation index: daily series of coded events per directed dyad, overall and per camp.

A corpus job over the stored events (``store/migrations/0009_relations.sql``). For every directed
dyad (``IRN``→``RUS``), camp and day it keeps one *point*: reports and distinct real-world events
(instances), events per quad class, the sum of their Goldstein intensity, how many of them an
outlet asserts, and the distinct articles, outlets, stories and camps behind them, with the ids.

Counting rules:

- negated events ("Iran denies sending drones") are left out; so are events with no source or
  target, and a state acting on itself;
- an event in a syndicated copy (``articles.duplicate_of``) counts once, on the original; the
  copies are counted apart (``copies``);
- an event is an *instance* (same type, actors and day): its reports count in ``reports``, the
  instance once in ``events`` and its quad class, with the mean intensity of its reports;
- the day is the UTC day of publication. Articles dated only to the month (most Tehran Times
  items in the demo corpus) go to a ``month`` grain used by the monthly roll-up only, where each
  article's events count apart (the instance key holds a day these articles do not have);
  articles dated to the year or undated are left out;
- ``*`` is every camp together except imported event sources (``gdelt``), which keep a camp of
  their own for comparison;
- the normalised value of a point is its events per 100 articles the camp (or all camps)
  published that day, so a busier camp does not look more active or more hostile.

:func:`rebuild` recomputes everything; :func:`update` recomputes only the days of articles stored
since the last run (and of stories a story job changed since), so it stays cheap after each
ingest. :func:`series` reads a dyad back at day, week or month resolution, raw and smoothed
(trailing mean over ``smooth`` days: ratios of sums, not means of ratios).
"""

from __future__ import annotations

from .index import (
    ALL,
    DAY_SQL,
    FREQS,
    GRAIN_SQL,
    IMPORTED_CAMPS,
    JOB,
    QUADS,
    UNKNOWN_CAMP,
    BuildSummary,
    built,
    day_start_ts,
    ensure_current,
    month_end,
    pending,
    rebuild,
    require_index,
    stories_available,
    story_map,
    update,
)
from .series import Series, bucket_start, compare_camps, dyads, latest_day, series
from .verdict import period_verdict

__all__ = [
    "ALL",
    "DAY_SQL",
    "FREQS",
    "GRAIN_SQL",
    "IMPORTED_CAMPS",
    "JOB",
    "QUADS",
    "UNKNOWN_CAMP",
    "BuildSummary",
    "Series",
    "bucket_start",
    "built",
    "compare_camps",
    "day_start_ts",
    "dyads",
    "ensure_current",
    "latest_day",
    "month_end",
    "pending",
    "period_verdict",
    "rebuild",
    "require_index",
    "series",
    "stories_available",
    "story_map",
    "update",
]
