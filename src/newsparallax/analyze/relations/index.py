"""The relation index, built: one point per directed dyad, camp and day of the stored events
(see :mod:`newsparallax.analyze.relations` for the counting rules), rebuilt or updated
incrementally after each ingest."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ...errors import StoreError
from ...store.database import Store
from ...store.events import kept

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


def require_index(store: Store) -> None:
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
    f" AND {kept()[0]}"
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
        end = month_end(start) if grain == "month" else start + timedelta(days=1)
        spans.append((day_start_ts(start), day_start_ts(end) - 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def day_start_ts(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def month_end(d: date) -> date:
    """The first day of the next month."""
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def _compute(
    store: Store, ranges: Sequence[tuple[int, int]] | None, keys: set[tuple[str, str]] | None
) -> tuple[dict[tuple[str, str, str, str, str], _Acc], dict[tuple[str, str, str], int], int]:
    """Points and volumes for the buckets in ``keys`` (everything when ``None``)."""
    rows: list[Any] = []
    volume_rows: list[Any] = []
    threshold = kept()[1]
    if ranges is None:
        rows = store.conn.execute(_EVENT_SQL, (threshold,)).fetchall()
        volume_rows = store.conn.execute(_VOLUME_SQL + " GROUP BY 1, 2, 3").fetchall()
    else:
        for lo, hi in ranges:
            rows += store.conn.execute(
                _EVENT_SQL + " AND a.published_ts BETWEEN ? AND ?", (threshold, lo, hi)
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
            ("event_threshold", repr(kept()[1])),
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


def _threshold_changed(state: dict[str, str]) -> bool:
    """The index counts events at a confidence threshold other than today's."""
    return state.get("event_threshold") != repr(kept()[1])


def pending(store: Store) -> bool:
    """True when articles or stories changed since the index was last built (or never built)."""
    state = _state(store)
    if "watermark" not in state or _threshold_changed(state):
        return True
    return int(state["watermark"]) < _max_rowid(store) or state.get(
        "stories_stamp", ""
    ) != _stories_stamp(store)


def update(store: Store) -> BuildSummary:
    """Recompute the days touched by articles stored since the last build, and by stories
    changed since then; a store never built, or built at another event threshold, is rebuilt."""
    state = _state(store)
    if "watermark" not in state or _threshold_changed(state):
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
