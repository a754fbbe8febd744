"""The relation index, read: a dyad's series at day, week or month resolution (raw, smoothed,
normalised by the camp's volume), camps compared, the dyads and the latest day."""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ...periods import day_bound
from ...store.database import Store
from .index import ALL, FREQS, QUADS, month_end, require_index

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Series:
    """A dyad's series at one resolution (see :func:`series`)."""

    source: str
    target: str
    camp: str
    freq: str
    smooth: int
    both: bool
    points: list[dict[str, Any]]
    totals: dict[str, Any]
    month_only: dict[str, int]
    """Events of articles dated only to the month, left out of day and week series."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "dyad": f"{self.source}{'↔' if self.both else '→'}{self.target}",
            "camp": self.camp,
            "freq": self.freq,
            "smooth_days": self.smooth if self.freq == "day" else None,
            "totals": self.totals,
            "month_only": self.month_only,
            "points": self.points,
        }


@dataclass
class _Bucket:
    reports: int = 0
    quads: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    intensity: float = 0.0
    asserted: int = 0
    copies: int = 0
    events: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)
    camps: set[str] = field(default_factory=set)

    def add(self, row: Any) -> None:
        self.reports += row["reports"]
        for q in QUADS:
            self.quads[q] += row[q]
        self.types.update(json.loads(row["types"]))
        self.intensity += row["intensity_sum"]
        self.asserted += row["asserted"]
        self.copies += row["copies"]
        self.events.update(json.loads(row["event_ids"]))
        self.articles.update(json.loads(row["article_ids"]))
        self.outlets.update(json.loads(row["outlet_ids"]))
        self.stories.update(json.loads(row["story_ids"]))
        self.camps.update(json.loads(row["camp_ids"]))


def bucket_start(day: date, freq: str) -> date:
    if freq == "week":
        return day - timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    return day


def _next_bucket(day: date, freq: str) -> date:
    if freq == "week":
        return day + timedelta(days=7)
    if freq == "month":
        return month_end(day)
    return day + timedelta(days=1)


def series(
    store: Store,
    source: str,
    target: str,
    *,
    camp: str = ALL,
    since: str | date | None = None,
    until: str | date | None = None,
    freq: str = "day",
    smooth: int = 7,
    both: bool = False,
    ids: bool = True,
    dense: bool = True,
) -> Series:
    """The series of ``source``→``target`` (both directions with ``both``) for ``camp``.

    Each point carries: ``start``/``end`` dates, ``reports``, ``events`` (distinct instances),
    events per quad class, ``intensity_sum`` and ``intensity_mean`` (Goldstein, −10..10: the
    relation's tone), ``asserted``, ``articles``, ``copies``, ``outlets``, ``stories``, ``camps``,
    ``published`` (articles the camp published in the bucket) and ``per_100`` (events per 100 of
    them); with ``ids`` the ids of the events, articles, outlets, stories and camps behind it.
    Daily series also get ``smoothed``: trailing ``smooth``-day sums turned into a daily mean of
    events, events per 100 articles and mean intensity. ``dense`` fills days without events.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}")
    require_index(store)
    source, target = source.upper(), target.upper()
    lo, hi = day_bound(since, end=False), day_bound(until, end=True)
    dyads = [(source, target)] + ([(target, source)] if both and source != target else [])
    grains = ("day", "month") if freq == "month" else ("day",)
    where = ["camp = ?", f"grain IN ({','.join('?' * len(grains))})"]
    params: list[Any] = [camp, *grains]
    if lo is not None:
        where.append("day >= ?")
        params.append(bucket_start(lo, "month").isoformat() if freq == "month" else lo.isoformat())
    if hi is not None:
        where.append("day <= ?")
        params.append(hi.isoformat())
    dyad_sql = " OR ".join("(source = ? AND target = ?)" for _ in dyads)
    rows = store.conn.execute(
        f"SELECT * FROM relation_points WHERE ({dyad_sql}) AND {' AND '.join(where)} ORDER BY day",
        [x for d in dyads for x in d] + params,
    ).fetchall()
    buckets: dict[date, _Bucket] = defaultdict(_Bucket)
    month_only = Counter[str]()
    for row in rows:
        day = date.fromisoformat(row["day"])
        if row["grain"] == "month" and freq != "month":
            continue
        buckets[bucket_start(day, freq)].add(row)
    if freq != "month":
        for row in store.conn.execute(
            f"SELECT events, reports FROM relation_points WHERE ({dyad_sql}) AND camp = ?"
            " AND grain = 'month'"
            + (" AND day <= ?" if hi else "")
            + (" AND day >= ?" if lo else ""),
            [x for d in dyads for x in d]
            + [camp]
            + ([hi.isoformat()] if hi else [])
            + ([bucket_start(lo, "month").isoformat()] if lo else []),
        ):
            month_only["events"] += row[0]
            month_only["reports"] += row[1]
    volume = _volumes(store, camp, freq, lo, hi)
    keys = sorted(buckets)
    if dense and keys:
        first = bucket_start(lo, freq) if lo else keys[0]
        last = bucket_start(hi, freq) if hi else keys[-1]
        keys, cursor = [], first
        while cursor <= last:
            keys.append(cursor)
            cursor = _next_bucket(cursor, freq)
    points = [_point(k, freq, buckets.get(k), volume.get(k, 0), ids) for k in keys]
    if freq == "day" and smooth > 1:
        _smooth(points, smooth)
    totals = _totals(buckets, volume)
    return Series(
        source=source,
        target=target,
        camp=camp,
        freq=freq,
        smooth=smooth,
        both=both,
        points=points,
        totals=totals,
        month_only=dict(month_only),
    )


def _volumes(
    store: Store, camp: str, freq: str, lo: date | None, hi: date | None
) -> dict[date, int]:
    grains = ("day", "month") if freq == "month" else ("day",)
    marks = ",".join("?" * len(grains))
    sql = f"SELECT day, articles FROM relation_volume WHERE camp = ? AND grain IN ({marks})"
    params: list[Any] = [camp, *grains]
    if lo is not None:
        sql += " AND day >= ?"
        params.append(bucket_start(lo, "month").isoformat())
    if hi is not None:
        sql += " AND day <= ?"
        params.append(hi.isoformat())
    out: dict[date, int] = Counter()
    for day, n in store.conn.execute(sql, params):
        out[bucket_start(date.fromisoformat(day), freq)] += n
    return out


def _point(start: date, freq: str, b: _Bucket | None, published: int, ids: bool) -> dict[str, Any]:
    b = b or _Bucket()
    events = len(b.events)
    end = _next_bucket(start, freq) - timedelta(days=1)
    point: dict[str, Any] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "reports": b.reports,
        "events": events,
        **{q: b.quads[q] for q in QUADS},
        "intensity_sum": round(b.intensity, 3),
        "intensity_mean": round(b.intensity / events, 3) if events else None,
        "asserted": b.asserted,
        "articles": len(b.articles),
        "copies": b.copies,
        "outlets": len(b.outlets),
        "stories": len(b.stories),
        "camps": len(b.camps),
        "published": published,
        "per_100": round(100 * events / published, 3) if published else None,
        "types": dict(sorted(b.types.items())),
    }
    if ids:
        point["event_ids"] = sorted(b.events)
        point["article_ids"] = sorted(b.articles)
        point["outlet_ids"] = sorted(b.outlets)
        point["story_ids"] = sorted(b.stories)
        point["camp_ids"] = sorted(b.camps)
    return point


def _smooth(points: list[dict[str, Any]], window: int) -> None:
    """Trailing ``window``-day smoothing (points are consecutive days)."""
    for i, p in enumerate(points):
        span = points[max(0, i - window + 1) : i + 1]
        events = sum(x["events"] for x in span)
        published = sum(x["published"] for x in span)
        intensity = sum(x["intensity_sum"] for x in span)
        p["smoothed"] = {
            "events": round(events / window, 3),
            "reports": round(sum(x["reports"] for x in span) / window, 3),
            **{q: round(sum(x[q] for x in span) / window, 3) for q in QUADS},
            "per_100": round(100 * events / published, 3) if published else None,
            "intensity_mean": round(intensity / events, 3) if events else None,
        }


def _totals(buckets: dict[date, _Bucket], volume: dict[date, int]) -> dict[str, Any]:
    total = _Bucket()
    for b in buckets.values():
        total.reports += b.reports
        total.quads.update(b.quads)
        total.types.update(b.types)
        total.intensity += b.intensity
        total.asserted += b.asserted
        total.copies += b.copies
        total.events |= b.events
        total.articles |= b.articles
        total.outlets |= b.outlets
        total.stories |= b.stories
        total.camps |= b.camps
    events = len(total.events)
    published = sum(volume.values())
    return {
        "reports": total.reports,
        "events": events,
        **{q: total.quads[q] for q in QUADS},
        "intensity_mean": round(total.intensity / events, 3) if events else None,
        "asserted": total.asserted,
        "articles": len(total.articles),
        "copies": total.copies,
        "outlets": len(total.outlets),
        "stories": len(total.stories),
        "camps": sorted(total.camps),
        "published": published,
        "per_100": round(100 * events / published, 3) if published else None,
        "types": dict(total.types.most_common()),
        "first": min(buckets).isoformat() if buckets else None,
        "last": max(buckets).isoformat() if buckets else None,
    }


def compare_camps(
    store: Store,
    source: str,
    target: str,
    *,
    since: str | date | None = None,
    until: str | date | None = None,
    freq: str = "month",
    both: bool = False,
) -> dict[str, Series]:
    """The dyad's series for every camp that reported it (and ``*``), for one chart."""
    source, target = source.upper(), target.upper()
    pairs = [(source, target)] + ([(target, source)] if both else [])
    camps = sorted(
        {
            str(r[0])
            for s, t in pairs
            for r in store.conn.execute(
                "SELECT DISTINCT camp FROM relation_points WHERE source = ? AND target = ?",
                (s, t),
            )
        }
    )
    return {
        c: series(
            store,
            source,
            target,
            camp=c,
            since=since,
            until=until,
            freq=freq,
            both=both,
            ids=False,
        )
        for c in camps
    }


def dyads(store: Store, *, camp: str = ALL, min_events: int = 1) -> list[dict[str, Any]]:
    """Every directed dyad of the index with its totals, most events first."""
    require_index(store)
    rows = store.conn.execute(
        "SELECT source, target, sum(events), sum(reports), sum(material_conflict),"
        " sum(verbal_conflict), sum(verbal_cooperation), sum(material_cooperation),"
        " sum(intensity_sum), min(day), max(day) FROM relation_points WHERE camp = ?"
        " GROUP BY source, target HAVING sum(events) >= ? ORDER BY 3 DESC, 1, 2",
        (camp, min_events),
    ).fetchall()
    return [
        {
            "source": r[0],
            "target": r[1],
            "events": r[2],
            "reports": r[3],
            "material_conflict": r[4],
            "verbal_conflict": r[5],
            "verbal_cooperation": r[6],
            "material_cooperation": r[7],
            "intensity_mean": round(r[8] / r[2], 3) if r[2] else None,
            "first": r[9],
            "last": r[10],
        }
        for r in rows
    ]


def latest_day(store: Store) -> date | None:
    """The newest day in the index (the data's clock), imported camps apart."""
    row = store.conn.execute(
        "SELECT max(day) FROM relation_volume WHERE camp = ? AND grain = 'day'", (ALL,)
    ).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None
