from datetime import UTC, datetime

import pytest

from newsparallax.annotate.dates import DatesStage, format_date, implausibility, parse_date
from newsparallax.annotate.pipeline import Doc
from newsparallax.records import DatePrecision, Outlet

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "hint", "expected", "precision"),
    [
        (
            "2024-11-30T23:43:31+00:00",
            "second",
            datetime(2024, 11, 30, 23, 43, 31, tzinfo=UTC),
            DatePrecision.SECOND,
        ),
        (
            "2022-01-01 00:02:08+03:00",
            None,
            datetime(2021, 12, 31, 21, 2, 8, tzinfo=UTC),
            DatePrecision.SECOND,
        ),
        ("2020-01-03", "day", datetime(2020, 1, 3, tzinfo=UTC), DatePrecision.DAY),
        (
            "2022-05-17",
            "month-estimated",
            datetime(2022, 5, 1, tzinfo=UTC),
            DatePrecision.MONTH_ESTIMATED,
        ),
        ("2019", "year-estimated", datetime(2019, 1, 1, tzinfo=UTC), DatePrecision.YEAR_ESTIMATED),
        ("2022-05", None, datetime(2022, 5, 1, tzinfo=UTC), DatePrecision.MONTH),
        (
            "Mon, 03 Jan 2022 10:15:00 GMT",
            None,
            datetime(2022, 1, 3, 10, 15, tzinfo=UTC),
            DatePrecision.MINUTE,
        ),
        ("2023-02-01T10:00:00Z", None, datetime(2023, 2, 1, 10, tzinfo=UTC), DatePrecision.MINUTE),
    ],
)
def test_parse_date(
    raw: str, hint: str | None, expected: datetime, precision: DatePrecision
) -> None:
    value, prec = parse_date(raw, precision=hint)
    assert value == expected
    assert prec == precision
    assert value is not None and value.tzinfo is not None


def test_a_hint_never_makes_a_date_more_precise() -> None:
    value, prec = parse_date("2020-01", precision="second")
    assert prec == DatePrecision.MONTH and value == datetime(2020, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("raw", [None, "", "yesterday", "2022-13-45", "not a date"])
def test_unparseable_dates_are_unknown(raw: str | None) -> None:
    assert parse_date(raw) == (None, None)


def test_implausible_dates() -> None:
    assert implausibility(datetime(2027, 1, 1, tzinfo=UTC), now=NOW) == "date_in_future"
    assert implausibility(datetime(1850, 1, 1, tzinfo=UTC), now=NOW) == "date_too_old"
    assert implausibility(datetime(1990, 1, 1, tzinfo=UTC), now=NOW, founded=2005) == (
        "date_before_outlet"
    )
    fetched = datetime(2023, 1, 1, tzinfo=UTC)
    assert implausibility(datetime(2023, 6, 1, tzinfo=UTC), now=NOW, fetched=fetched) == (
        "date_in_future"
    )
    assert implausibility(datetime(2024, 1, 1, tzinfo=UTC), now=NOW, founded=2005) is None


def test_stage_distrusts_impossible_dates() -> None:
    stage = DatesStage(now=lambda: NOW)
    outlet = Outlet(id="x.com", name="X", founded=2010)
    doc = stage(Doc(source="t", published_raw="2030-01-01", outlet=outlet))
    assert doc.published is None and doc.date_claimed == "2030-01-01"
    assert "date_in_future" in doc.flags
    doc = stage(Doc(source="t", published_raw="2001-05-01", outlet=outlet))
    assert doc.published is None and "date_before_outlet" in doc.flags
    doc = stage(
        Doc(source="t", published_raw="2022-05-01", meta={"date_precision": "day"}, outlet=outlet)
    )
    assert doc.published == datetime(2022, 5, 1, tzinfo=UTC)
    assert doc.date_precision == DatePrecision.DAY and not doc.flags
    doc = stage(Doc(source="t", published_raw=None, outlet=outlet))
    assert doc.published is None and doc.date_precision is None and not doc.flags
    assert stage.counts["date_in_future"] == 1 and stage.counts["missing"] == 1


def test_format_date_keeps_precision() -> None:
    d = datetime(2022, 5, 1, tzinfo=UTC)
    assert format_date(d, DatePrecision.MONTH_ESTIMATED) == "2022-05"
    assert format_date(d, DatePrecision.YEAR) == "2022"
    assert format_date(d, DatePrecision.DAY) == "2022-05-01"
    assert format_date(d, DatePrecision.SECOND) == "2022-05-01T00:00:00+00:00"
    assert format_date(None, None) is None
