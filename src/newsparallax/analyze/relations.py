"""The relation index: daily series of coded events per directed dyad, overall and per camp.

A corpus job over the stored events (``migrations/0009_relations.sql``). For every directed dyad
(``IRN``→``RUS``), camp and day it keeps one *point*: reports and distinct real-world events
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

import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..errors import StoreError
from ..periods import day_bound
from ..store.database import Store

log = logging.getLogger(__name__)

JOB = "relations.v1"
ALL = "*"
"""The camp of the overall series."""
UNKNOWN_CAMP = "unknown"
IMPORTED_CAMPS = frozenset({"gdelt"})
"""Camps of imported event sources: a series of their own, never part of ``*``."""
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
FREQS = ("day", "week", "month")
_MONTH_PRECISIONS = ("month", "month-estimated")
_YEAR_PRECISIONS = ("year", "year-estimated")

GRAIN_SQL = (
    "CASE WHEN a.date_precision IN ('month', 'month-estimated') THEN 'month'"
    " WHEN a.date_precision IN ('year', 'year-estimated') THEN NULL ELSE 'day' END"
)
DAY_SQL = (
    "CASE WHEN a.date_precision IN ('month', 'month-estimated')"
    " THEN strftime('%Y-%m-01', a.published_ts, 'unixepoch')"
    " ELSE date(a.published_ts, 'unixepoch') END"
)


def _require_index(store: Store) -> None:
    if not store.has_table("relation_points"):
        raise StoreError(
            f"{store.path} has no relation index: open it writable once (or run"
            " `parallax relations`) to migrate and build it"
        )


def stories_available(store: Store) -> bool:
    """True when the story tables exist and a story job has filled them."""
    if not store.has_table("story_articles"):
        return False
    return store.conn.execute("SELECT 1 FROM story_articles LIMIT 1").fetchone() is not None


# -- building ---------------------------------------------------------------------------------


@dataclass
class _Instance:
    type: str
    quad: str | None
    intensities: list[float] = field(default_factory=list)
    asserted: bool = False


@dataclass
class _Acc:
    reports: int = 0
    instances: dict[str, _Instance] = field(default_factory=dict)
    articles: set[str] = field(default_factory=set)
    copies: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)
    camps: set[str] = field(default_factory=set)


@dataclass
class BuildSummary:
    """What a build did."""

    mode: str
    articles: int = 0
    """Articles whose days were recomputed (all of them for a rebuild)."""
    days: int = 0
    """(grain, day) buckets recomputed."""
    points: int = 0
    """Points written."""
    dyads: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["seconds"] = round(self.seconds, 3)
        return out


_EVENT_SQL = (
    "SELECT e.rowid, e.instance, e.type, e.quad, e.intensity, e.source, e.target, e.asserted,"
    f" a.rowid, a.id, a.outlet, a.duplicate_of, o.camp, {GRAIN_SQL}, {DAY_SQL}"
    " FROM events e JOIN articles a ON a.rowid = e.article_rowid"
    " LEFT JOIN outlets o ON o.id = a.outlet"
    " WHERE e.negated = 0 AND e.source IS NOT NULL AND e.target IS NOT NULL"
    " AND e.source != e.target AND a.published_ts IS NOT NULL"
)
_VOLUME_SQL = (
    f"SELECT COALESCE(o.camp, '{UNKNOWN_CAMP}'), {GRAIN_SQL} AS g, {DAY_SQL} AS d, count(*)"
    " FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
    " WHERE a.duplicate_of IS NULL AND a.published_ts IS NOT NULL"
)


def story_map(store: Store, rowids: Iterable[int] | None) -> dict[int, str]:
    """Article rowid → story id (of ``rowids``, or every clustered article)."""
    if not store.has_table("story_articles"):
        return {}
    sql = "SELECT article_rowid, story_id FROM story_articles WHERE story_id IS NOT NULL"
    if rowids is None:
        return {int(r): str(s) for r, s in store.conn.execute(sql)}
    out: dict[int, str] = {}
    ids = sorted(set(rowids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for r, s in store.conn.execute(f"{sql} AND article_rowid IN ({marks})", chunk):
            out[int(r)] = str(s)
    return out


def _ranges(keys: Iterable[tuple[str, str]]) -> list[tuple[int, int]]:
    """Unix-second ranges covering (grain, day) buckets, merged when they touch."""
    spans = []
    for grain, day in keys:
        start = date.fromisoformat(day)
        end = _month_end(start) if grain == "month" else start + timedelta(days=1)
        spans.append((_ts(start), _ts(end) - 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _ts(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def _month_end(d: date) -> date:
    """The first day of the next month."""
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def _compute(
    store: Store, ranges: Sequence[tuple[int, int]] | None, keys: set[tuple[str, str]] | None
) -> tuple[dict[tuple[str, str, str, str, str], _Acc], dict[tuple[str, str, str], int], int]:
    """Points and volumes for the buckets in ``keys`` (everything when ``None``)."""
    rows: list[Any] = []
    volume_rows: list[Any] = []
    if ranges is None:
        rows = store.conn.execute(_EVENT_SQL).fetchall()
        volume_rows = store.conn.execute(_VOLUME_SQL + " GROUP BY 1, 2, 3").fetchall()
    else:
        for lo, hi in ranges:
            rows += store.conn.execute(
                _EVENT_SQL + " AND a.published_ts BETWEEN ? AND ?", (lo, hi)
            ).fetchall()
            volume_rows += store.conn.execute(
                _VOLUME_SQL + " AND a.published_ts BETWEEN ? AND ? GROUP BY 1, 2, 3", (lo, hi)
            ).fetchall()
    stories = story_map(store, None if ranges is None else (r[8] for r in rows))
    points: dict[tuple[str, str, str, str, str], _Acc] = defaultdict(_Acc)
    articles: set[int] = set()
    for (
        ev_rowid,
        instance,
        kind,
        quad,
        intensity,
        source,
        target,
        asserted,
        art_rowid,
        art_id,
        outlet,
        duplicate_of,
        camp,
        grain,
        day,
    ) in rows:
        if grain is None or (keys is not None and (grain, day) not in keys):
            continue
        articles.add(art_rowid)
        camp = camp or UNKNOWN_CAMP
        targets = [camp] if camp in IMPORTED_CAMPS else [camp, ALL]
        for c in targets:
            acc = points[(source, target, c, grain, day)]
            if duplicate_of is not None:
                acc.copies.add(art_id)
                continue
            acc.reports += 1
            key = instance or f"r{ev_rowid}"
            if grain == "month":
                # an instance is "same type, actors and day": with only the month known, two
                # articles cannot be told to report one event, so each article's count apart
                key = f"{key}@{art_id}"
            inst = acc.instances.get(key)
            if inst is None:
                inst = acc.instances[key] = _Instance(type=kind, quad=quad)
            inst.intensities.append(float(intensity or 0.0))
            inst.asserted = inst.asserted or bool(asserted)
            acc.articles.add(art_id)
            acc.outlets.add(outlet)
            acc.camps.add(camp)
            story = stories.get(art_rowid)
            if story is not None:
                acc.stories.add(story)
    volumes: dict[tuple[str, str, str], int] = Counter()
    for camp, grain, day, n in volume_rows:
        if grain is None or (keys is not None and (grain, day) not in keys):
            continue
        volumes[(camp, grain, day)] += n
        if camp not in IMPORTED_CAMPS:
            volumes[(ALL, grain, day)] += n
    # a bucket of copies only (the original is on another day) is no point
    final = {k: v for k, v in points.items() if v.reports}
    return final, dict(volumes), len(articles)


def _row(key: tuple[str, str, str, str, str], acc: _Acc) -> tuple[Any, ...]:
    quads: Counter[str] = Counter()
    types: Counter[str] = Counter()
    intensity = 0.0
    asserted = 0
    for inst in acc.instances.values():
        if inst.quad:
            quads[inst.quad] += 1
        types[inst.type] += 1
        intensity += sum(inst.intensities) / len(inst.intensities)
        asserted += inst.asserted
    return (
        *key,
        acc.reports,
        len(acc.instances),
        *(quads[q] for q in QUADS),
        round(intensity, 4),
        asserted,
        len(acc.articles),
        len(acc.copies),
        len(acc.outlets),
        len(acc.stories),
        _dumps(dict(sorted(types.items()))),
        _dumps(sorted(acc.instances)),
        _dumps(sorted(acc.articles)),
        _dumps(sorted(acc.outlets)),
        _dumps(sorted(acc.stories)),
        _dumps(sorted(acc.camps)),
    )


_INSERT = (
    "INSERT OR REPLACE INTO relation_points(source, target, camp, grain, day, reports, events,"
    " verbal_cooperation, material_cooperation, verbal_conflict, material_conflict,"
    " intensity_sum, asserted, articles, copies, outlets, stories, types, event_ids,"
    " article_ids, outlet_ids, story_ids, camp_ids)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _state(store: Store) -> dict[str, str]:
    return dict(store.conn.execute("SELECT key, value FROM relation_state"))


def _stories_stamp(store: Store) -> str:
    if not store.has_table("stories"):
        return ""
    row = store.conn.execute("SELECT max(updated_at) FROM stories").fetchone()
    return str(row[0] or "")


def _max_rowid(store: Store) -> int:
    return int(store.conn.execute("SELECT COALESCE(max(rowid), 0) FROM articles").fetchone()[0])


def _save_state(store: Store, *, watermark: int, stamp: str) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    store.conn.executemany(
        "INSERT OR REPLACE INTO relation_state(key, value) VALUES (?, ?)",
        [
            ("watermark", str(watermark)),
            ("stories_stamp", stamp),
            ("builder", JOB),
            ("updated_at", now),
        ],
    )


def rebuild(store: Store) -> BuildSummary:
    """Drop the index and compute every point again from the stored events."""
    started = time.perf_counter()
    summary = BuildSummary(mode="rebuild")
    with store.transaction():
        watermark, stamp = _max_rowid(store), _stories_stamp(store)
        points, volumes, articles = _compute(store, None, None)
        store.conn.execute("DELETE FROM relation_points")
        store.conn.execute("DELETE FROM relation_volume")
        store.conn.executemany(_INSERT, [_row(k, v) for k, v in points.items()])
        store.conn.executemany(
            "INSERT INTO relation_volume(camp, grain, day, articles) VALUES (?,?,?,?)",
            [(*k, n) for k, n in volumes.items()],
        )
        _save_state(store, watermark=watermark, stamp=stamp)
        summary.articles = articles
        summary.days = len({(k[3], k[4]) for k in points} | {(k[1], k[2]) for k in volumes})
        summary.points = len(points)
        summary.dyads = len({(k[0], k[1]) for k in points})
    summary.seconds = time.perf_counter() - started
    log.info("relations rebuild: %s", summary.as_dict())
    return summary


def built(store: Store) -> bool:
    """True once the index has been built on this store."""
    return "watermark" in _state(store)


def pending(store: Store) -> bool:
    """True when articles or stories changed since the index was last built (or never built)."""
    state = _state(store)
    if "watermark" not in state:
        return True
    return int(state["watermark"]) < _max_rowid(store) or state.get(
        "stories_stamp", ""
    ) != _stories_stamp(store)


def update(store: Store) -> BuildSummary:
    """Recompute the days touched by articles stored since the last build, and by stories
    changed since then; a store never built is rebuilt."""
    state = _state(store)
    if "watermark" not in state:
        return rebuild(store)
    started = time.perf_counter()
    summary = BuildSummary(mode="update")
    with store.transaction():
        old = int(state["watermark"])
        old_stamp = state.get("stories_stamp", "")
        watermark, stamp = _max_rowid(store), _stories_stamp(store)
        keys: set[tuple[str, str]] = set()
        if watermark > old:
            keys |= {
                (g, d)
                for g, d in store.conn.execute(
                    f"SELECT DISTINCT {GRAIN_SQL}, {DAY_SQL} FROM articles a"
                    " WHERE a.rowid > ? AND a.published_ts IS NOT NULL",
                    (old,),
                )
                if g is not None
            }
        if stamp != old_stamp and store.has_table("stories"):
            keys |= {
                (g, d)
                for g, d in store.conn.execute(
                    f"SELECT DISTINCT {GRAIN_SQL}, {DAY_SQL} FROM story_articles sa"
                    " JOIN stories s ON s.id = sa.story_id"
                    " JOIN articles a ON a.rowid = sa.article_rowid"
                    " WHERE s.updated_at > ? AND a.published_ts IS NOT NULL",
                    (old_stamp,),
                )
                if g is not None
            }
        if keys:
            points, volumes, articles = _compute(store, _ranges(keys), keys)
            store.conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS relation_keys(grain TEXT, day TEXT)"
            )
            store.conn.execute("DELETE FROM relation_keys")
            store.conn.executemany("INSERT INTO relation_keys VALUES (?, ?)", sorted(keys))
            for table in ("relation_points", "relation_volume"):
                store.conn.execute(
                    f"DELETE FROM {table} WHERE (grain, day) IN"
                    " (SELECT grain, day FROM relation_keys)"
                )
            store.conn.executemany(_INSERT, [_row(k, v) for k, v in points.items()])
            store.conn.executemany(
                "INSERT INTO relation_volume(camp, grain, day, articles) VALUES (?,?,?,?)",
                [(*k, n) for k, n in volumes.items()],
            )
            summary.articles = articles
            summary.points = len(points)
            summary.dyads = len({(k[0], k[1]) for k in points})
        summary.days = len(keys)
        _save_state(store, watermark=watermark, stamp=stamp)
    summary.seconds = time.perf_counter() - started
    log.info("relations update: %s", summary.as_dict())
    return summary


def ensure_current(store: Store) -> BuildSummary | None:
    """Bring the index up to date if articles or stories changed; ``None`` when it was."""
    return update(store) if pending(store) else None


# -- reading ----------------------------------------------------------------------------------


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
        return _month_end(day)
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
    _require_index(store)
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
    _require_index(store)
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
