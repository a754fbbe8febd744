"""The data's clock: the newest day for a store with steady volume, the last busy week's newest
day for an archive that ends in a sparse tail of late articles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from newsparallax.analyze.clock import data_clock, newest_day
from newsparallax.records import Article, DatePrecision
from newsparallax.store.database import Store


def _add(store: Store, days: dict[date, int]) -> None:
    n = 0
    with store.transaction():
        for day, count in days.items():
            for _ in range(count):
                n += 1
                store.add(
                    Article(
                        id=f"a{n}",
                        url=f"https://x.example/{n}",
                        outlet="x.example",
                        domain="x.example",
                        published=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                        date_precision=DatePrecision.DAY,
                        title=f"Title {n}",
                        text="Body text.",
                    )
                )


def test_clock_of_an_empty_store_is_none(store_ref: str) -> None:
    with Store(store_ref) as store:
        assert data_clock(store) is None and newest_day(store) is None


def test_steady_volume_keeps_the_newest_day(store_ref: str) -> None:
    end = date(2024, 11, 30)
    with Store(store_ref) as store:
        _add(store, {end - timedelta(days=i): 3 for i in range(60)})
        assert newest_day(store) == data_clock(store) == end


def test_a_sparse_tail_moves_the_clock_back_to_the_last_busy_week(store_ref: str) -> None:
    bulk_end = date(2024, 11, 28)
    busy = {bulk_end - timedelta(days=i): 20 for i in range(40)}
    # a trickle over the next year: one article every five weeks, the last one a year on
    tail = {bulk_end + timedelta(days=35 * k): 1 for k in range(1, 11)}
    with Store(store_ref) as store:
        _add(store, {**busy, **tail})
        assert newest_day(store) == bulk_end + timedelta(days=350)
        assert data_clock(store) == bulk_end


def test_a_quieter_last_week_is_still_now(store_ref: str) -> None:
    bulk_end = date(2024, 11, 28)
    busy = {bulk_end - timedelta(days=i): 20 for i in range(40)}  # 140 a week
    with Store(store_ref) as store:
        # the newest week holds 15 articles (over a tenth of the busiest week) on one day
        _add(store, {**busy, bulk_end + timedelta(days=10): 15})
        assert data_clock(store) == bulk_end + timedelta(days=10)
