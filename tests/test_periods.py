"""The one reading of date bounds (--since/--until, since=/until=)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsparallax.errors import QueryError
from newsparallax.periods import DateBoundError, date_bound, day_bound


def _ts(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2024", _ts(2024, 1, 1), _ts(2025, 1, 1) - 1),
        ("2024-02", _ts(2024, 2, 1), _ts(2024, 3, 1) - 1),  # a leap February
        ("2024-12", _ts(2024, 12, 1), _ts(2025, 1, 1) - 1),
        ("2024-03-05", _ts(2024, 3, 5), _ts(2024, 3, 6) - 1),
        ("2024-03-05T10:00:00Z", _ts(2024, 3, 5, 10), _ts(2024, 3, 5, 10)),
        (" 2024-3-5 ", _ts(2024, 3, 5), _ts(2024, 3, 6) - 1),
    ],
)
def test_bounds_cover_the_whole_period(value: str, start: int, end: int) -> None:
    assert date_bound(value, end=False) == start
    assert date_bound(value, end=True) == end


def test_no_bound_and_bad_bounds() -> None:
    assert date_bound(None, end=True) is None and date_bound("", end=False) is None
    for bad in ("last week", "2024-13", "2024-02-30", "24-03"):
        with pytest.raises(DateBoundError, match="not a date"):
            date_bound(bad, end=False)
    assert issubclass(DateBoundError, QueryError)


def test_day_bounds() -> None:
    assert day_bound("2024-02", end=True) == date(2024, 2, 29)
    assert day_bound("2024-02", end=False) == date(2024, 2, 1)
    assert day_bound(date(2020, 1, 2), end=True) == date(2020, 1, 2)
