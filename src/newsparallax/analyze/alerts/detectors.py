"""The five kinds of rule, each a detector that turns the relation index into triggers."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ...store.database import Store
from ...store.events import kept
from .. import relations
from ..clock import day_ts
from ..relations import ALL
from .changepoints import series_shifts
from .rules import Rule, point_value


@dataclass
class Trigger:
    """One reason to alert, before folding."""

    key: str
    rule: str
    kind: str
    subject: str
    day: str
    title: str
    severity: float = 0.0
    event_ids: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    story_ids: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


def _pairs(rule: Rule) -> list[tuple[str, str]]:
    """The dyads a rule looks at; with ``both`` each unordered pair once."""
    out: list[tuple[str, str]] = []
    seen: set[frozenset[str]] = set()
    for s, t in rule.dyads:
        if rule.both:
            key = frozenset((s, t))
            if key in seen:
                continue
            seen.add(key)
        out.append((s, t))
    return out


def _label(rule: Rule, s: str, t: str) -> str:
    return f"{s}{'↔' if rule.both else '→'}{t}" + ("" if rule.camp == ALL else f" [{rule.camp}]")


def _threshold(store: Store, rule: Rule, ctx: Context) -> list[Trigger]:
    out = []
    for s, t in _pairs(rule):
        points = relations.series(
            store, s, t, camp=rule.camp, both=rule.both, freq="day", smooth=1
        ).points
        present = [
            (i, v) for i, p in enumerate(points) if (v := point_value(p, rule.measure)) is not None
        ]
        w = rule.window_days
        for k, (i, v) in enumerate(present):
            if v < rule.min_value or i - present[0][0] < rule.min_history_days:
                continue
            window = [x for j, x in present[max(0, k - w) : k] if j >= i - w]
            if not window:
                continue
            mean = sum(window) / len(window)
            std = math.sqrt(sum((x - mean) ** 2 for x in window) / len(window))
            limit = mean + rule.sigma * std
            if v <= limit:
                continue
            p = points[i]
            label = _label(rule, s, t)
            out.append(
                Trigger(
                    key=f"{rule.id}|{label}|{p['start']}",
                    rule=rule.id,
                    kind=rule.kind,
                    subject=label,
                    day=p["start"],
                    title=(
                        f"{label}: {rule.measure} {v:g} on {p['start']}, above the"
                        f" {w}-day mean {mean:.2f} + {rule.sigma:g}σ ({limit:.2f})"
                    ),
                    severity=round((v - mean) / std if std else v, 3),
                    event_ids=p["event_ids"],
                    article_ids=p["article_ids"],
                    story_ids=p["story_ids"],
                    detail={"value": v, "mean": round(mean, 4), "std": round(std, 4)},
                )
            )
    return out


def _segment_verdict(
    points: list[dict[str, Any]], present: list[int], index: int, before: int, after: int
) -> dict[str, Any]:
    """The verdict (:func:`~newsparallax.analyze.verdicts.verdict`) on the weeks after a shift
    against the weeks before it: its counts, test and minimum, or "too little to tell"."""
    from ..verdicts import PeriodCounts, verdict

    pos = present.index(index)

    def counts(idx: list[int]) -> PeriodCounts:
        ps = [points[i] for i in idx]
        return PeriodCounts(
            events=sum(int(p["events"] or 0) for p in ps),
            cooperation=sum(
                int(p[q] or 0) for p in ps for q in ("verbal_cooperation", "material_cooperation")
            ),
            conflict=sum(
                int(p[q] or 0) for p in ps for q in ("verbal_conflict", "material_conflict")
            ),
            outlets=len({o for p in ps for o in p.get("outlet_ids", [])}),
            days=7.0 * max(1, len(ps)),
        )

    return verdict(counts(present[pos : pos + after]), counts(present[pos - before : pos]))


def _changepoint(store: Store, rule: Rule, ctx: Context) -> list[Trigger]:
    out = []
    for s, t in _pairs(rule):
        points = relations.series(
            store, s, t, camp=rule.camp, both=rule.both, freq="week", smooth=1
        ).points
        present = [i for i, p in enumerate(points) if point_value(p, rule.measure) is not None]
        label = _label(rule, s, t)
        known = ctx.trigger_days(rule.id, label)
        for shift in series_shifts(points, rule):
            before, after, delta = shift.before, shift.after, shift.delta
            var, pen = shift.variance, shift.penalty
            day = points[shift.index]["start"]
            # PELT is run over the whole series again each time: the same shift may move a few
            # weeks as data arrives. One trigger per shift.
            near = [
                k
                for k in known
                if abs((date.fromisoformat(k) - date.fromisoformat(day)).days) <= 7 * rule.min_size
            ]
            if near:
                continue
            direction = "up" if delta > 0 else "down"
            # the evidence: the last week (with data) before the shift and the first after it
            previous = max(
                i for i in range(shift.index) if point_value(points[i], rule.measure) is not None
            )
            edge = [points[previous], points[shift.index]]
            judged = _segment_verdict(
                points, present, shift.index, shift.points_before, shift.points_after
            )
            out.append(
                Trigger(
                    key=f"{rule.id}|{label}|{day}",
                    rule=rule.id,
                    kind=rule.kind,
                    subject=label,
                    day=day,
                    title=(
                        f"{label}: weekly {rule.measure} shifted {direction} from {before:.2f}"
                        f" to {after:.2f} from the week of {day}; {judged['verdict']}"
                        f" ({judged['reason']})"
                    ),
                    severity=round(abs(delta) / math.sqrt(var), 3),
                    event_ids=[x for q in edge for x in q["event_ids"]],
                    article_ids=[x for q in edge for x in q["article_ids"]],
                    story_ids=sorted({x for q in edge for x in q["story_ids"]}),
                    detail={
                        "before": round(before, 3),
                        "after": round(after, 3),
                        "direction": direction,
                        "weeks_before": shift.points_before,
                        "weeks_after": shift.points_after,
                        "verdict": judged["verdict"],
                        "verdict_detail": judged,
                        "penalty": round(pen, 3),
                    },
                )
            )
    return out


def _dyad_filter(rule: Rule) -> tuple[str, list[Any]]:
    """The events of the rule's dyads that count (confidence at the threshold)."""
    pairs = set(rule.dyads)
    if rule.both:
        pairs |= {(t, s) for s, t in rule.dyads}
    keys: list[Any] = sorted(f"{s}>{t}" for s, t in pairs)
    condition, threshold = kept()
    marks = ",".join("?" * len(keys))
    return f"(e.source || '>' || e.target) IN ({marks}) AND {condition}", [*keys, threshold]


def _big_stories(store: Store, rule: Rule) -> list[dict[str, Any]]:
    """Stories about the rule's dyads with enough camps and articles, with their articles."""
    if not relations.stories_available(store) or not rule.dyads:
        return []
    cond, keys = _dyad_filter(rule)
    rows = store.conn.execute(
        "SELECT s.id, s.label, s.first_seen_ts, s.last_seen_ts FROM stories s"
        " WHERE s.articles >= ? AND json_array_length(s.camps) >= ? AND EXISTS ("
        " SELECT 1 FROM story_articles sa JOIN events e ON e.article_rowid = sa.article_rowid"
        f" WHERE sa.story_id = s.id AND sa.duplicate = 0 AND e.negated = 0 AND {cond})"
        " ORDER BY s.first_seen_ts",
        [rule.min_articles, rule.min_camps, *keys],
    ).fetchall()
    out = []
    for sid, label, first_ts, last_ts in rows:
        members = store.conn.execute(
            "SELECT a.rowid, a.id, a.published_ts, COALESCE(o.camp, 'unknown')"
            " FROM story_articles sa JOIN articles a ON a.rowid = sa.article_rowid"
            " LEFT JOIN outlets o ON o.id = a.outlet"
            " WHERE sa.story_id = ? AND sa.duplicate = 0 ORDER BY a.published_ts, a.rowid",
            (sid,),
        ).fetchall()
        camps: list[str] = []
        crossed = None
        for _, _, ts, camp in members:
            if camp != "unknown" and camp not in camps:
                camps.append(camp)
                if len(camps) == rule.min_camps and crossed is None:
                    crossed = ts
        rowids = [m[0] for m in members]
        marks = ",".join("?" * len(rowids))
        events = [
            str(r[0])
            for r in store.conn.execute(
                f"SELECT DISTINCT COALESCE(e.instance, 'r' || e.rowid) FROM events e"
                f" WHERE e.article_rowid IN ({marks}) AND e.negated = 0 AND {cond}",
                [*rowids, *keys],
            )
        ]
        out.append(
            {
                "id": sid,
                "label": label,
                "first_ts": first_ts,
                "last_ts": last_ts,
                "crossed_ts": crossed if crossed is not None else last_ts,
                "camps": camps,
                "articles": [m[1] for m in members],
                "events": events,
            }
        )
    return out


def _day(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).date().isoformat()


def _story_trigger(
    rule: Rule, story: dict[str, Any], *, key: str, subject: str, title: str, detail: dict[str, Any]
) -> Trigger:
    """A trigger about one of :func:`_big_stories`: on the day it reached enough camps, as severe
    as it has camps, with its events, articles and id."""
    return Trigger(
        key=key,
        rule=rule.id,
        kind=rule.kind,
        subject=subject,
        day=_day(story["crossed_ts"]),
        title=title,
        severity=float(len(story["camps"])),
        event_ids=story["events"],
        article_ids=story["articles"],
        story_ids=[story["id"]],
        detail=detail,
    )


def _new_story(store: Store, rule: Rule, ctx: Context) -> list[Trigger]:
    out = []
    for story in _big_stories(store, rule):
        out.append(
            _story_trigger(
                rule,
                story,
                key=f"{rule.id}|{story['id']}",
                subject=rule.id,
                title=(
                    f"New story covered by {len(story['camps'])} camps: “{story['label']}”"
                    f" ({len(story['articles'])} articles)"
                ),
                detail={"camps": story["camps"]},
            )
        )
    return out


def _blindspot(store: Store, rule: Rule, ctx: Context) -> list[Trigger]:
    out = []
    clock = ctx.clock
    cond, keys = _dyad_filter(rule)
    for story in _big_stories(store, rule):
        if clock is not None and _day(story["first_ts"]) > (clock - timedelta(days=2)).isoformat():
            continue  # too young: the others may still come
        start = datetime.fromtimestamp(story["first_ts"], UTC).date()
        end = datetime.fromtimestamp(story["last_ts"], UTC).date()
        candidates = rule.camps or tuple(
            str(r[0])
            for r in store.conn.execute(
                "SELECT DISTINCT camp FROM relation_volume WHERE grain = 'day' AND day BETWEEN ?"
                " AND ? AND camp NOT IN ('*', 'unknown', 'gdelt')",
                (start.isoformat(), end.isoformat()),
            )
        )
        for camp in candidates:
            if camp in story["camps"]:
                continue
            published = store.conn.execute(
                "SELECT COALESCE(sum(articles), 0) FROM relation_volume WHERE camp = ? AND"
                " grain = 'day' AND day BETWEEN ? AND ?",
                (camp, start.isoformat(), end.isoformat()),
            ).fetchone()[0]
            if published < rule.min_camp_articles:
                continue
            lo = day_ts(start - timedelta(days=90))
            hi = day_ts(start)
            usual = store.conn.execute(
                "SELECT count(DISTINCT COALESCE(e.instance, 'r' || e.rowid)) FROM events e"
                " JOIN articles a ON a.rowid = e.article_rowid JOIN outlets o ON o.id = a.outlet"
                " WHERE o.camp = ? AND e.negated = 0 AND a.published_ts BETWEEN ? AND ?"
                f" AND {cond}",
                [camp, lo, hi, *keys],
            ).fetchone()[0]
            if usual < rule.min_camp_events:
                continue
            out.append(
                _story_trigger(
                    rule,
                    story,
                    key=f"{rule.id}|{story['id']}|{camp}",
                    subject=f"camp:{camp}",
                    title=(
                        f"{camp} silent on “{story['label']}”, covered by"
                        f" {len(story['camps'])} camps ({len(story['articles'])} articles), while"
                        f" it published {published} articles"
                    ),
                    detail={
                        "camp": camp,
                        "covered_by": story["camps"],
                        "camp_published": published,
                        "camp_dyad_events_90d": usual,
                    },
                )
            )
    return out


def _first_type(store: Store, rule: Rule, ctx: Context) -> list[Trigger]:
    out = []
    for s, t in rule.dyads:
        rows = store.conn.execute(
            "SELECT day, grain, types FROM relation_points WHERE source = ? AND target = ?"
            " AND camp = ? ORDER BY day, grain",
            (s, t, rule.camp),
        ).fetchall()
        if not rows:
            continue
        first = date.fromisoformat(rows[0][0])
        seen: set[str] = set()
        for day, grain, types in rows:
            new = [k for k in json.loads(types) if k not in seen]
            seen.update(new)
            if (date.fromisoformat(day) - first).days < rule.min_history_days:
                continue
            for kind in new:
                ids = _type_evidence(store, s, t, kind, day, grain, rule.camp)
                label = f"{s}→{t}"
                out.append(
                    Trigger(
                        key=f"{rule.id}|{label}|{kind}",
                        rule=rule.id,
                        kind=rule.kind,
                        subject=label,
                        day=day,
                        title=f"{label}: first {kind} event ever recorded ({day})",
                        severity=1.0,
                        event_ids=ids[0],
                        article_ids=ids[1],
                        detail={"type": kind, "history_since": first.isoformat()},
                    )
                )
    return out


def _type_evidence(
    store: Store, s: str, t: str, kind: str, day: str, grain: str, camp: str
) -> tuple[list[str], list[str]]:
    start = date.fromisoformat(day)
    end = relations.month_end(start) if grain == "month" else start + timedelta(days=1)
    sql = (
        "SELECT DISTINCT COALESCE(e.instance, 'r' || e.rowid), a.id FROM events e"
        " JOIN articles a ON a.rowid = e.article_rowid LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE e.source = ? AND e.target = ? AND e.type = ? AND e.negated = 0"
        " AND a.duplicate_of IS NULL AND a.published_ts >= ? AND a.published_ts < ?"
        f" AND {kept()[0]}"
    )
    params: list[Any] = [s, t, kind, day_ts(start), day_ts(end), kept()[1]]
    if camp != ALL:
        sql += " AND o.camp = ?"
        params.append(camp)
    rows = store.conn.execute(sql, params).fetchall()
    return sorted({str(r[0]) for r in rows}), sorted({str(r[1]) for r in rows})


DETECTORS: dict[str, Callable[[Store, Rule, Context], list[Trigger]]] = {
    "threshold": _threshold,
    "changepoint": _changepoint,
    "new_story": _new_story,
    "first_type": _first_type,
    "blindspot": _blindspot,
}
"""The detector of each rule kind (:data:`KINDS`): it returns every trigger the rule finds
in the relation index, new or already recorded (the outbox records each key once)."""


@dataclass
class Context:
    """What a detector sees besides its rule: the store, the watch evaluated and the newest day
    of data (``clock``, ``None`` for an empty index)."""

    store: Store
    watch: str
    clock: date | None

    def trigger_days(self, rule: str, subject: str) -> list[str]:
        """The days of the triggers already recorded for the watch's ``rule`` and ``subject``."""
        return [
            str(r[0])
            for r in self.store.conn.execute(
                "SELECT t.day FROM alert_triggers t JOIN alerts a ON a.id = t.alert_id"
                " WHERE a.watch = ? AND a.rule = ? AND a.subject = ?",
                (self.watch, rule, subject),
            )
        ]
