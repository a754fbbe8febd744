"""The verdict on a dyad's latest period: the period (day, week or month) at the end of a shown
window against the period before it, by :func:`~newsparallax.analyze.verdicts.verdict` — as the
briefing compares its period with the one before — with the minimum evidence and the test it
rests on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from ...periods import date_bound
from ...store.database import Store
from ..clock import data_clock
from ..verdicts import MIN_OUTLETS, PeriodCounts, verdict
from .index import ALL, QUADS
from .series import bucket_start, series

__all__ = ["period_verdict"]


def _counts(point: dict[str, Any], days: int) -> PeriodCounts:
    return PeriodCounts(
        events=int(point.get("events") or 0),
        cooperation=sum(int(point.get(q) or 0) for q in QUADS[:2]),
        conflict=sum(int(point.get(q) or 0) for q in QUADS[2:]),
        outlets=int(point.get("outlets") or 0),
        articles=int(point.get("articles") or 0),
        days=float(days),
    )


def period_verdict(
    store: Store,
    source: str,
    target: str,
    *,
    camp: str = ALL,
    freq: str = "month",
    until: str | None = None,
    both: bool = False,
) -> dict[str, Any] | None:
    """The verdict on the ``freq`` period that holds the window's end — ``until``, else the
    data's clock (:func:`~newsparallax.analyze.clock.data_clock`) — against the period before,
    for ``camp`` (``*``: every camp; a single camp needs one outlet, every camp together
    :data:`~newsparallax.analyze.verdicts.MIN_OUTLETS`). The current period counts only up to
    the end (its rate is per day). ``None`` for a store without articles.

    Returns the :func:`~newsparallax.analyze.verdicts.verdict` with ``freq``, ``period`` and
    ``previous_period`` (``{"start", "end"}``, ISO dates)."""
    end: date | None
    if until:
        ts = date_bound(until, end=True)
        end = datetime.fromtimestamp(ts, UTC).date() if ts is not None else None
    else:
        end = data_clock(store)
    if end is None:
        return None
    start = bucket_start(end, freq)
    before = bucket_start(start - timedelta(days=1), freq)
    found = series(
        store, source, target, camp=camp, since=before, until=end, freq=freq, smooth=1,
        both=both, ids=False,
    )  # fmt: skip
    points = {p["start"]: p for p in found.points}
    current = _counts(points.get(start.isoformat(), {}), (end - start).days + 1)
    previous = _counts(points.get(before.isoformat(), {}), (start - before).days)
    out = verdict(current, previous, min_outlets=MIN_OUTLETS if camp == ALL else 1)
    return {
        **out,
        "freq": freq,
        "camp": camp,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "previous_period": {
            "start": before.isoformat(),
            "end": (start - timedelta(days=1)).isoformat(),
        },
    }
