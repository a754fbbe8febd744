"""Alerts on the relation index: rules from the watch file, folded, recorded and delivered once.

Rules live in the watch file as ``[[alerts]]`` tables (a user watch that ``extends`` another
inherits its rules; the same ``id`` replaces one, ``enabled = false`` turns it off). Kinds:

``threshold``
    a daily series (``measure``: ``events``, ``reports``, a quad class such as
    ``material_conflict``, ``intensity_sum``, ``intensity_mean`` or ``per_100``) of each of
    ``dyads`` (``both``: the two directions together; ``camp``: one camp's series) above its mean
    + ``sigma`` standard deviations over the previous ``window_days`` days, and at least
    ``min_value``; only once the dyad has ``min_history_days`` of history.
``changepoint``
    a lasting shift in a dyad's weekly series: change points found by PELT (``ruptures`` when
    installed, else the same algorithm in :func:`pelt_l2`; L2 cost, penalty ``penalty`` × noise
    variance × log n, segments of at least ``min_size`` weeks) where the mean moves by at least
    ``min_delta`` and ``min_change`` of the larger side (in absolute value). With
    ``measure = "intensity_mean"`` it finds a relation warming or cooling.

Days (weeks) when nothing at all was published are gaps in the corpus, not a quiet relation:
they are left out of the series the rules see (and so are weeks without events for
``intensity_mean``).
``new_story``
    a story about the rule's dyads that reached ``min_camps`` camps and ``min_articles`` articles
    (needs stories: ``parallax cluster``).
``first_type``
    the first event of a PLOVER type ever seen in a dyad, once the dyad has ``min_history_days``
    of history.
``blindspot``
    a camp silent on a big story about the rule's dyads (``min_camps`` camps, ``min_articles``
    articles) although it published at least ``min_camp_articles`` articles while the story ran
    and reported the dyads ``min_camp_events`` times in the previous 90 days (needs stories).

``dyads`` default to the watch's. Every trigger has a key and is recorded once
(``alert_triggers``); a trigger of the same rule and subject (the dyad, the camp, or the rule for
new stories) within ``fold_days`` of an open alert folds into it and raises its count. Each alert
carries the ids of its events, articles and stories.

Sinks: the CLI and the Atom feed read the ``alerts`` table; the webhook and e-mail sinks
(configured by settings) get one row per alert in ``alert_deliveries`` written in the same
transaction as the alert (an outbox), sent by :func:`deliver`: a delivery is claimed, sent, then
marked ``sent``; a sink that is down leaves it ``pending`` with a growing back-off, so nothing is
lost, and a webhook gets an ``Idempotency-Key`` so a crash between sending and marking cannot make
a duplicate the receiver cannot recognise. Alerts about days older than ``alert_deliver_days``
before the newest data (a first run over an archive) are recorded as *historical* and not sent.
"""

from __future__ import annotations

import importlib
import itertools
import json
import logging
import math
import smtplib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol
from xml.etree import ElementTree as ET

from .. import settings
from ..errors import ConfigError
from ..store.database import Store
from ..textnorm import strip_bidi_controls
from . import relations
from .relations import ALL, QUADS

log = logging.getLogger(__name__)

KINDS = ("threshold", "changepoint", "new_story", "first_type", "blindspot")
MEASURES = ("events", "reports", *QUADS, "intensity_sum", "intensity_mean", "per_100")
_MAX_IDS = 200
_LEASE_S = 300
_MAX_BACKOFF_S = 3600


@dataclass(frozen=True, slots=True)
class Rule:
    """One alert rule (defaults apply to the kinds that use the key)."""

    id: str
    kind: str
    dyads: tuple[tuple[str, str], ...] = ()
    both: bool = False
    camp: str = ALL
    measure: str = "events"
    sigma: float = 3.0
    window_days: int = 90
    min_value: float = 3.0
    min_history_days: int = 30
    penalty: float = 3.0
    min_size: int = 4
    min_delta: float = 2.0
    min_change: float = 0.5
    min_camps: int = 3
    min_articles: int = 5
    min_camp_articles: int = 20
    min_camp_events: int = 3
    camps: tuple[str, ...] = ()
    fold_days: int = 7
    enabled: bool = True
    title: str = ""


_INT_KEYS = {
    "window_days",
    "min_history_days",
    "min_size",
    "min_camps",
    "min_articles",
    "min_camp_articles",
    "min_camp_events",
    "fold_days",
}
_FLOAT_KEYS = {"sigma", "min_value", "penalty", "min_delta", "min_change"}
_RULE_KEYS = {f for f in Rule.__dataclass_fields__}


def parse_rules(
    raw: Iterable[dict[str, Any]], *, dyads: Sequence[tuple[str, str]] = ()
) -> list[Rule]:
    """Check ``[[alerts]]`` tables and make rules (``dyads`` default to the watch's)."""
    rules = []
    for entry in raw:
        rid = str(entry.get("id", "?"))
        where = f"alert {rid!r}"
        unknown = set(entry) - _RULE_KEYS
        if unknown:
            raise ConfigError(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))}"
                f" (allowed: {', '.join(sorted(_RULE_KEYS))})"
            )
        kind = entry.get("kind")
        if kind not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
        values: dict[str, Any] = {"id": rid, "kind": kind}
        for key, value in entry.items():
            if key in ("id", "kind"):
                continue
            if key in _INT_KEYS:
                if type(value) is not int or value < 0:
                    raise ConfigError(f"{where}: {key} must be a non-negative integer")
            elif key in _FLOAT_KEYS:
                if type(value) not in (int, float) or value < 0:
                    raise ConfigError(f"{where}: {key} must be a non-negative number")
                value = float(value)
            elif key in ("both", "enabled"):
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}: {key} must be true or false")
            elif key == "dyads":
                ok = isinstance(value, list) and all(
                    isinstance(p, list)
                    and len(p) == 2
                    and all(isinstance(c, str) and c.strip() for c in p)
                    for p in value
                )
                if not ok:
                    raise ConfigError(f"{where}: dyads must be a list of [source, target] pairs")
                value = tuple((p[0].upper(), p[1].upper()) for p in value)
            elif key == "camps":
                if not (isinstance(value, list) and all(isinstance(c, str) for c in value)):
                    raise ConfigError(f"{where}: camps must be a list of camp ids")
                value = tuple(value)
            elif key == "measure":
                if value not in MEASURES:
                    raise ConfigError(f"{where}: measure must be one of {', '.join(MEASURES)}")
            elif not isinstance(value, str):
                raise ConfigError(f"{where}: {key} must be a string")
            values[key] = value
        if "dyads" not in values:
            values["dyads"] = tuple(dyads)
        rules.append(Rule(**values))
    return rules


def watch_rules(watch: Any) -> list[Rule]:
    """The enabled rules of a watch."""
    return [r for r in parse_rules(watch.alerts, dyads=watch.dyads) if r.enabled]


# -- triggers ---------------------------------------------------------------------------------


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


def _value(point: dict[str, Any], measure: str) -> float | None:
    """The measure of a point; ``None`` when it is missing: nothing at all was published that
    day (a gap in the corpus, not a quiet relation), or a ratio without a denominator."""
    if not point.get("published"):
        return None
    value = point.get(measure)
    return None if value is None else float(value)


def _threshold(store: Store, rule: Rule, ctx: _Context) -> list[Trigger]:
    out = []
    for s, t in _pairs(rule):
        points = relations.series(
            store, s, t, camp=rule.camp, both=rule.both, freq="day", smooth=1
        ).points
        present = [
            (i, v) for i, p in enumerate(points) if (v := _value(p, rule.measure)) is not None
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


def pelt_l2(signal: Sequence[float], penalty: float, min_size: int = 2) -> list[int]:
    """Change points of ``signal`` by PELT with an L2 (mean shift) cost: the sorted indices where
    a new segment starts, ending with ``len(signal)`` like ``ruptures``' ``predict``."""
    n = len(signal)
    min_size = max(1, min_size)
    if n < 2 * min_size:
        return [n]
    cs = [0.0]
    cs2 = [0.0]
    for x in signal:
        cs.append(cs[-1] + x)
        cs2.append(cs2[-1] + x * x)

    def cost(a: int, b: int) -> float:
        m = b - a
        total = cs[b] - cs[a]
        return (cs2[b] - cs2[a]) - total * total / m

    best = [math.inf] * (n + 1)
    best[0] = -penalty
    last = [0] * (n + 1)
    admissible = [0]
    for t in range(min_size, n + 1):
        candidates = [s for s in admissible if t - s >= min_size and best[s] < math.inf]
        kept: list[int] = []
        if candidates:
            scores = [best[s] + cost(s, t) + penalty for s in candidates]
            i = min(range(len(scores)), key=scores.__getitem__)
            best[t], last[t] = scores[i], candidates[i]
            # PELT pruning: a start that cannot beat t now never will
            kept = [s for s, v in zip(candidates, scores, strict=True) if v - penalty <= best[t]]
        young = [s for s in admissible if t - s < min_size]
        admissible = [*kept, *young, t]
    cuts = [n]
    t = n
    while t > 0:
        t = last[t]
        if t > 0:
            cuts.append(t)
    return sorted(cuts)


def change_points(signal: Sequence[float], penalty: float, min_size: int) -> list[int]:
    """PELT change points (``ruptures`` when installed, else :func:`pelt_l2`)."""
    try:
        rpt = importlib.import_module("ruptures")
    except ImportError:
        return pelt_l2(signal, penalty, min_size)
    import numpy as np

    algo = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(np.asarray(signal, dtype=float))
    return [int(b) for b in algo.predict(pen=penalty)]


def noise_variance(values: Sequence[float]) -> float:
    """Noise variance from the median absolute first difference (robust to the shifts)."""
    diffs = sorted(abs(b - a) for a, b in itertools.pairwise(values))
    if not diffs:
        return 0.0
    mad = diffs[len(diffs) // 2]
    if mad == 0:
        mean_diff = sum(diffs) / len(diffs)
        return mean_diff * mean_diff / 2
    return (mad / 0.6745) ** 2 / 2


@dataclass(frozen=True, slots=True)
class Shift:
    """A lasting shift of a series found by :func:`series_shifts`."""

    index: int
    """Where the new segment starts, in the list of points given."""
    before: float
    """The mean of the segment before."""
    after: float
    """The mean of the segment from ``index`` on."""
    points_before: int
    points_after: int
    variance: float
    """The noise variance of the series (:func:`noise_variance`)."""
    penalty: float
    """The PELT penalty used: ``penalty`` × variance × log n."""

    @property
    def delta(self) -> float:
        return self.after - self.before


def series_shifts(points: Sequence[dict[str, Any]], rule: Rule) -> list[Shift]:
    """The change points of one :func:`relations.series` (any frequency) by the rule's PELT
    settings (``measure``, ``penalty``, ``min_size``) that move the mean by at least
    ``min_delta`` and ``min_change`` of the larger side. Periods when nothing at all was
    published (or, for the mean intensity, without events) are gaps, left out."""
    present = [(i, v) for i, p in enumerate(points) if (v := _value(p, rule.measure)) is not None]
    values = [v for _, v in present]
    var = noise_variance(values)
    if len(values) < 2 * rule.min_size or var <= 0:
        return []
    pen = rule.penalty * var * math.log(len(values))
    cuts = change_points(values, pen, rule.min_size)
    bounds = [0, *cuts]
    out = []
    for j in range(1, len(bounds) - 1):
        a, b, c = bounds[j - 1], bounds[j], bounds[j + 1]
        before = sum(values[a:b]) / (b - a)
        after = sum(values[b:c]) / (c - b)
        delta = after - before
        if abs(delta) < rule.min_delta or abs(delta) < rule.min_change * max(
            abs(before), abs(after)
        ):
            continue
        out.append(
            Shift(
                index=present[b][0], before=before, after=after, points_before=b - a,
                points_after=c - b, variance=var, penalty=pen,
            )
        )  # fmt: skip
    return out


def _changepoint(store: Store, rule: Rule, ctx: _Context) -> list[Trigger]:
    out = []
    for s, t in _pairs(rule):
        points = relations.series(
            store, s, t, camp=rule.camp, both=rule.both, freq="week", smooth=1
        ).points
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
                i for i in range(shift.index) if _value(points[i], rule.measure) is not None
            )
            edge = [points[previous], points[shift.index]]
            out.append(
                Trigger(
                    key=f"{rule.id}|{label}|{day}",
                    rule=rule.id,
                    kind=rule.kind,
                    subject=label,
                    day=day,
                    title=(
                        f"{label}: weekly {rule.measure} shifted {direction} from {before:.2f}"
                        f" to {after:.2f} from the week of {day}"
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
                        "penalty": round(pen, 3),
                    },
                )
            )
    return out


def _dyad_filter(rule: Rule) -> tuple[str, list[str]]:
    pairs = set(rule.dyads)
    if rule.both:
        pairs |= {(t, s) for s, t in rule.dyads}
    keys = sorted(f"{s}>{t}" for s, t in pairs)
    return f"(e.source || '>' || e.target) IN ({','.join('?' * len(keys))})", keys


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


def _new_story(store: Store, rule: Rule, ctx: _Context) -> list[Trigger]:
    out = []
    for story in _big_stories(store, rule):
        out.append(
            Trigger(
                key=f"{rule.id}|{story['id']}",
                rule=rule.id,
                kind=rule.kind,
                subject=rule.id,
                day=_day(story["crossed_ts"]),
                title=(
                    f"New story covered by {len(story['camps'])} camps: “{story['label']}”"
                    f" ({len(story['articles'])} articles)"
                ),
                severity=float(len(story["camps"])),
                event_ids=story["events"],
                article_ids=story["articles"],
                story_ids=[story["id"]],
                detail={"camps": story["camps"]},
            )
        )
    return out


def _blindspot(store: Store, rule: Rule, ctx: _Context) -> list[Trigger]:
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
            lo = relations.day_start_ts(start - timedelta(days=90))
            hi = relations.day_start_ts(start)
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
                Trigger(
                    key=f"{rule.id}|{story['id']}|{camp}",
                    rule=rule.id,
                    kind=rule.kind,
                    subject=f"camp:{camp}",
                    day=_day(story["crossed_ts"]),
                    title=(
                        f"{camp} silent on “{story['label']}”, covered by"
                        f" {len(story['camps'])} camps ({len(story['articles'])} articles), while"
                        f" it published {published} articles"
                    ),
                    severity=float(len(story["camps"])),
                    event_ids=story["events"],
                    article_ids=story["articles"],
                    story_ids=[story["id"]],
                    detail={
                        "camp": camp,
                        "covered_by": story["camps"],
                        "camp_published": published,
                        "camp_dyad_events_90d": usual,
                    },
                )
            )
    return out


def _first_type(store: Store, rule: Rule, ctx: _Context) -> list[Trigger]:
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
    )
    params: list[Any] = [s, t, kind, relations.day_start_ts(start), relations.day_start_ts(end)]
    if camp != ALL:
        sql += " AND o.camp = ?"
        params.append(camp)
    rows = store.conn.execute(sql, params).fetchall()
    return sorted({str(r[0]) for r in rows}), sorted({str(r[1]) for r in rows})


_RULES: dict[str, Callable[[Store, Rule, _Context], list[Trigger]]] = {
    "threshold": _threshold,
    "changepoint": _changepoint,
    "new_story": _new_story,
    "first_type": _first_type,
    "blindspot": _blindspot,
}


@dataclass
class _Context:
    store: Store
    watch: str
    clock: date | None

    def trigger_days(self, rule: str, subject: str) -> list[str]:
        return [
            str(r[0])
            for r in self.store.conn.execute(
                "SELECT t.day FROM alert_triggers t JOIN alerts a ON a.id = t.alert_id"
                " WHERE a.watch = ? AND a.rule = ? AND a.subject = ?",
                (self.watch, rule, subject),
            )
        ]


# -- recording and folding --------------------------------------------------------------------


@dataclass
class EvaluationSummary:
    rules: int = 0
    triggers: int = 0
    new_triggers: int = 0
    alerts_created: int = 0
    alerts_folded: int = 0
    historical: int = 0
    skipped_rules: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["seconds"] = round(self.seconds, 3)
        return out


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _merge_ids(old: str, new: list[str]) -> str:
    ids = json.loads(old)
    seen = set(ids)
    for i in new:
        if i not in seen and len(ids) < _MAX_IDS:
            ids.append(i)
            seen.add(i)
    return json.dumps(ids, ensure_ascii=False)


def evaluate(
    store: Store,
    watch: Any,
    *,
    rules: Sequence[Rule] | None = None,
    sinks: Sequence[Sink] | None = None,
    deliver_days: int | None = None,
) -> EvaluationSummary:
    """Bring the relation index up to date, run the rules and record new triggers (folded into
    alerts), with a pending delivery per sink for each new alert that is recent enough."""
    started = time.perf_counter()
    relations.ensure_current(store)
    rules = list(rules) if rules is not None else watch_rules(watch)
    sinks = list(sinks) if sinks is not None else configured_sinks()
    horizon_days = (
        deliver_days if deliver_days is not None else settings.get_int("alert_deliver_days")
    )
    clock = relations.latest_day(store)
    ctx = _Context(store=store, watch=watch.name, clock=clock)
    summary = EvaluationSummary(rules=len(rules))
    stories = relations.stories_available(store)
    triggers: list[tuple[Rule, Trigger]] = []
    for rule in rules:
        if rule.kind in ("new_story", "blindspot") and not stories:
            summary.skipped_rules.append(rule.id)
            continue
        triggers += [(rule, t) for t in _RULES[rule.kind](store, rule, ctx)]
    summary.triggers = len(triggers)
    horizon = (clock - timedelta(days=horizon_days)).isoformat() if clock else ""
    with store.transaction():
        for rule, trig in sorted(triggers, key=lambda rt: (rt[1].day, rt[1].key)):
            if store.conn.execute(
                "SELECT 1 FROM alert_triggers WHERE key = ?", (trig.key,)
            ).fetchone():
                continue
            summary.new_triggers += 1
            _record(store, watch.name, rule, trig, horizon, sinks, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _record(
    store: Store,
    watch: str,
    rule: Rule,
    trig: Trigger,
    horizon: str,
    sinks: Sequence[Sink],
    summary: EvaluationSummary,
) -> None:
    conn = store.conn
    now = _now()
    day = date.fromisoformat(trig.day)
    lo = (day - timedelta(days=rule.fold_days)).isoformat()
    hi = (day + timedelta(days=rule.fold_days)).isoformat()
    open_alert = conn.execute(
        "SELECT * FROM alerts WHERE watch = ? AND rule = ? AND subject = ? AND last_day >= ?"
        " AND first_day <= ? AND acked_at IS NULL ORDER BY last_day DESC LIMIT 1",
        (watch, rule.id, trig.subject, lo, hi),
    ).fetchone()
    if open_alert is not None and rule.fold_days > 0:
        count = open_alert["count"] + 1
        conn.execute(
            "UPDATE alerts SET count = ?, first_day = min(first_day, ?),"
            " last_day = max(last_day, ?), summary = ?, severity = max(severity, ?),"
            " event_ids = ?, article_ids = ?,"
            " story_ids = ?, updated_at = ? WHERE id = ?",
            (
                count,
                trig.day,
                trig.day,
                trig.title,
                trig.severity,
                _merge_ids(open_alert["event_ids"], trig.event_ids),
                _merge_ids(open_alert["article_ids"], trig.article_ids),
                _merge_ids(open_alert["story_ids"], trig.story_ids),
                now,
                open_alert["id"],
            ),
        )
        alert_id = int(open_alert["id"])
        summary.alerts_folded += 1
    else:
        historical = bool(horizon) and trig.day < horizon
        cur = conn.execute(
            "INSERT INTO alerts(watch, rule, kind, subject, title, summary, first_day, last_day,"
            " count, severity, event_ids, article_ids, story_ids, detail, historical,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,1,?,?,?,?,?,?,?,?)",
            (
                watch,
                rule.id,
                rule.kind,
                trig.subject,
                rule.title or trig.title,
                trig.title,
                trig.day,
                trig.day,
                trig.severity,
                json.dumps(trig.event_ids[:_MAX_IDS], ensure_ascii=False),
                json.dumps(trig.article_ids[:_MAX_IDS], ensure_ascii=False),
                json.dumps(trig.story_ids[:_MAX_IDS], ensure_ascii=False),
                json.dumps(trig.detail, ensure_ascii=False),
                int(historical),
                now,
                now,
            ),
        )
        alert_id = int(cur.lastrowid or 0)
        summary.alerts_created += 1
        summary.historical += historical
        conn.executemany(
            "INSERT OR IGNORE INTO alert_deliveries(alert_id, sink, target, state)"
            " VALUES (?,?,?,?)",
            [(alert_id, s.name, s.target, "skipped" if historical else "pending") for s in sinks],
        )
    conn.execute(
        "INSERT INTO alert_triggers(key, alert_id, day, detail, created_at) VALUES (?,?,?,?,?)",
        (trig.key, alert_id, trig.day, json.dumps(trig.detail, ensure_ascii=False), now),
    )


# -- reading ----------------------------------------------------------------------------------


def _alert_dict(row: Any, deliveries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out = {
        "id": row["id"],
        "watch": row["watch"],
        "rule": row["rule"],
        "kind": row["kind"],
        "subject": row["subject"],
        "title": row["title"],
        "summary": row["summary"],
        "first_day": row["first_day"],
        "last_day": row["last_day"],
        "count": row["count"],
        "severity": row["severity"],
        "event_ids": json.loads(row["event_ids"]),
        "article_ids": json.loads(row["article_ids"]),
        "story_ids": json.loads(row["story_ids"]),
        "detail": json.loads(row["detail"]),
        "historical": bool(row["historical"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "acked_at": row["acked_at"],
    }
    if deliveries is not None:
        out["deliveries"] = deliveries
    return out


def list_alerts(
    store: Store,
    *,
    watch: str | None = None,
    include_acked: bool = False,
    include_historical: bool = True,
    since: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Alerts, the most recent day first, each with its deliveries."""
    where = ["1"]
    params: list[Any] = []
    if watch:
        where.append("watch = ?")
        params.append(watch)
    if not include_acked:
        where.append("acked_at IS NULL")
    if not include_historical:
        where.append("historical = 0")
    if since:
        where.append("last_day >= ?")
        params.append(since)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    rows = store.conn.execute(
        f"SELECT * FROM alerts WHERE {' AND '.join(where)} ORDER BY last_day DESC, id DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    out = []
    for row in rows:
        deliveries = [
            {
                "sink": d["sink"],
                "target": d["target"],
                "state": d["state"],
                "attempts": d["attempts"],
                "last_error": d["last_error"],
                "delivered_at": d["delivered_at"],
            }
            for d in store.conn.execute(
                "SELECT * FROM alert_deliveries WHERE alert_id = ? ORDER BY sink", (row["id"],)
            )
        ]
        out.append(_alert_dict(row, deliveries))
    return out


def ack(store: Store, alert_id: int) -> bool:
    """Acknowledge an alert (it leaves the default listing); ``False`` if no such alert."""
    with store.transaction():
        cur = store.conn.execute(
            "UPDATE alerts SET acked_at = COALESCE(acked_at, ?) WHERE id = ?", (_now(), alert_id)
        )
    return cur.rowcount > 0


def alerts_for_feed(
    store: Store, *, watch: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The alerts an Atom feed shows: the newest first, acknowledged ones included."""
    return list_alerts(store, watch=watch, include_acked=True, limit=limit)


_XML_BAD = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x9, 0xA, 0xD)] + [0xFFFE, 0xFFFF], None
)


def _xml_text(value: object) -> str:
    """Text safe in XML 1.0 (control characters dropped; escaping is ElementTree's), without
    bidirectional embedding, override and isolate controls (a feed reader shows titles)."""
    text = "" if value is None else str(value)
    text = strip_bidi_controls(text.translate(_XML_BAD))
    return "".join(ch for ch in text if not (0xD800 <= ord(ch) <= 0xDFFF))


def atom_feed(
    alerts: Iterable[dict[str, Any]],
    *,
    title: str = "Parallax alerts",
    feed_id: str = "urn:parallax:alerts",
    link: str | None = None,
    updated: str | None = None,
) -> str:
    """An Atom 1.0 document of ``alerts`` (as :func:`alerts_for_feed` returns them)."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)

    def sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: _xml_text(v) for k, v in attrs.items()})
        if text is not None:
            el.text = _xml_text(text)
        return el

    items = list(alerts)
    feed = ET.Element(f"{{{ns}}}feed")
    sub(feed, "title", title)
    sub(feed, "id", feed_id)
    stamps = [str(a.get("updated_at") or a.get("created_at") or "") for a in items]
    sub(feed, "updated", updated or max(stamps, default="") or _now())
    if link:
        sub(feed, "link", href=link, rel="self")
    sub(sub(feed, "author"), "name", "Parallax")
    for a in items:
        entry = sub(feed, "entry")
        count = int(a.get("count") or 1)
        sub(entry, "title", a.get("title", "") + (f" (×{count})" if count > 1 else ""))
        sub(entry, "id", f"{feed_id}:{a.get('watch', '')}:{a.get('id')}")
        sub(entry, "updated", a.get("updated_at") or a.get("created_at") or _now())
        sub(entry, "published", a.get("created_at") or _now())
        sub(entry, "category", term=str(a.get("kind", "")))
        lines = [
            str(a.get("summary", "")),
            f"days: {a.get('first_day')} .. {a.get('last_day')}; triggers: {count}",
            "events: " + ", ".join(map(str, a.get("event_ids", [])[:20])),
            "articles: " + ", ".join(map(str, a.get("article_ids", [])[:20])),
        ]
        if a.get("story_ids"):
            lines.append("stories: " + ", ".join(map(str, a["story_ids"][:20])))
        sub(entry, "content", "\n".join(lines), type="text")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body


# -- delivery ---------------------------------------------------------------------------------


class Sink(Protocol):
    @property
    def name(self) -> str:
        """``webhook`` or ``email``."""

    @property
    def target(self) -> str:
        """The URL or the addresses."""

    def send(self, alert: dict[str, Any]) -> None:
        """Deliver one alert; raise on failure."""


class SinkError(RuntimeError):
    """A sink could not deliver (it will be retried later)."""


@dataclass
class WebhookSink:
    """JSON POST of the alert to a URL; a few quick retries on network errors, 429 and 5xx."""

    url: str
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5
    name: str = "webhook"

    @property
    def target(self) -> str:
        return self.url

    def send(self, alert: dict[str, Any]) -> None:
        import httpx

        body = json.dumps({"type": "parallax.alert", "alert": alert}, ensure_ascii=False)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": settings.get("user_agent"),
            "Idempotency-Key": f"parallax-alert-{alert['watch']}-{alert['id']}",
        }
        error = ""
        for attempt in range(self.retries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with httpx.Client(timeout=self.timeout, trust_env=False) as client:
                    response = client.post(self.url, content=body.encode("utf-8"), headers=headers)
            except httpx.HTTPError as err:
                error = f"{type(err).__name__}: {err}"
                continue
            if 200 <= response.status_code < 300:
                return
            error = f"HTTP {response.status_code}"
            if response.status_code != 429 and response.status_code < 500:
                break  # a client error will not heal by retrying now
        raise SinkError(error)


@dataclass
class EmailSink:
    """A plain-text e-mail through an SMTP server (STARTTLS and login when configured)."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 20.0
    name: str = "email"

    @property
    def target(self) -> str:
        return ",".join(self.recipients)

    def message(self, alert: dict[str, Any]) -> EmailMessage:
        msg = EmailMessage()
        count = int(alert.get("count") or 1)
        subject = f"[Parallax] {alert['title']}" + (f" (×{count})" if count > 1 else "")
        msg["Subject"] = " ".join(subject.split())[:200]
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.recipients)
        msg["X-Parallax-Alert"] = f"{alert['watch']}/{alert['id']}"
        lines = [
            alert.get("summary") or alert["title"],
            "",
            f"rule: {alert['rule']} ({alert['kind']}), subject: {alert['subject']}",
            f"days: {alert['first_day']} .. {alert['last_day']}, triggers: {count}",
            "events: " + ", ".join(alert.get("event_ids", [])[:30]),
            "articles: " + ", ".join(alert.get("article_ids", [])[:30]),
        ]
        if alert.get("story_ids"):
            lines.append("stories: " + ", ".join(alert["story_ids"][:30]))
        msg.set_content("\n".join(lines) + "\n")
        return msg

    def send(self, alert: dict[str, Any]) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(self.message(alert))
        except (OSError, smtplib.SMTPException) as err:
            raise SinkError(f"{type(err).__name__}: {err}") from err


def configured_sinks() -> list[Sink]:
    """The webhook and e-mail sinks the settings configure (none by default)."""
    sinks: list[Sink] = []
    timeout = settings.get_float("timeout")
    for url in settings.get("alert_webhook").split(","):
        if url.strip():
            sinks.append(WebhookSink(url.strip(), timeout=timeout))
    host = settings.get("smtp_host").strip()
    to = tuple(a.strip() for a in settings.get("alert_email_to").split(",") if a.strip())
    if host and to:
        sinks.append(
            EmailSink(
                host=host,
                port=settings.get_int("smtp_port"),
                sender=settings.get("alert_email_from"),
                recipients=to,
                user=settings.get("smtp_user"),
                password=settings.get("smtp_password"),
                starttls=settings.get("smtp_starttls").lower() in ("1", "true", "yes", "on"),
                timeout=timeout,
            )
        )
    return sinks


@dataclass
class DeliverySummary:
    due: int = 0
    sent: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def deliver(
    store: Store, *, sinks: Sequence[Sink] | None = None, now: float | None = None
) -> DeliverySummary:
    """Send the pending deliveries that are due; failures stay pending with a back-off.

    Deliveries to a sink that is no longer configured stay pending until it is again."""
    sinks = list(sinks) if sinks is not None else configured_sinks()
    by_key = {(s.name, s.target): s for s in sinks}
    clock = now if now is not None else time.time()
    summary = DeliverySummary()
    due = store.conn.execute(
        "SELECT alert_id, sink, target, attempts FROM alert_deliveries"
        " WHERE state = 'pending' AND next_attempt_ts <= ? ORDER BY alert_id",
        (int(clock),),
    ).fetchall()
    for alert_id, sink_name, target, attempts in due:
        sink = by_key.get((sink_name, target))
        if sink is None:
            continue
        with store.transaction():  # claim it: another process skips it during the lease
            claimed = store.conn.execute(
                "UPDATE alert_deliveries SET next_attempt_ts = ? WHERE alert_id = ? AND sink = ?"
                " AND target = ? AND state = 'pending' AND next_attempt_ts <= ?",
                (int(clock) + _LEASE_S, alert_id, sink_name, target, int(clock)),
            ).rowcount
        if not claimed:
            continue
        summary.due += 1
        row = store.conn.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        alert = _alert_dict(row)
        try:
            sink.send(alert)
        except Exception as err:  # any failure leaves it pending: never lost
            backoff = min(_MAX_BACKOFF_S, 60 * 2**attempts)
            with store.transaction():
                store.conn.execute(
                    "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ?,"
                    " next_attempt_ts = ? WHERE alert_id = ? AND sink = ? AND target = ?",
                    (str(err)[:500], int(clock) + backoff, alert_id, sink_name, target),
                )
            summary.failed += 1
            summary.errors.append({"alert": alert_id, "sink": sink_name, "error": str(err)})
            log.warning("alert %s to %s %s failed: %s", alert_id, sink_name, target, err)
            continue
        with store.transaction():
            store.conn.execute(
                "UPDATE alert_deliveries SET state = 'sent', attempts = attempts + 1,"
                " delivered_at = ?, last_error = NULL WHERE alert_id = ? AND sink = ?"
                " AND target = ?",
                (_now(), alert_id, sink_name, target),
            )
        summary.sent += 1
    return summary
