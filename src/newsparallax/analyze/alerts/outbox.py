"""The alerts table and its outbox: triggers recorded and folded into alerts, alerts listed
and acknowledged, and their deliveries sent."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ... import settings
from ...store.database import Store
from .. import relations
from .detectors import DETECTORS, Context, Trigger
from .rules import Rule, watch_rules
from .sinks import Sink, configured_sinks

log = logging.getLogger(__name__)

_MAX_IDS = 200
_LEASE_S = 300
_MAX_BACKOFF_S = 3600


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


def now_iso() -> str:
    """The time now (UTC, to the second, ISO 8601): the stamps of the alerts tables."""
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
    ctx = Context(store=store, watch=watch.name, clock=clock)
    summary = EvaluationSummary(rules=len(rules))
    stories = relations.stories_available(store)
    triggers: list[tuple[Rule, Trigger]] = []
    for rule in rules:
        if rule.kind in ("new_story", "blindspot") and not stories:
            summary.skipped_rules.append(rule.id)
            continue
        triggers += [(rule, t) for t in DETECTORS[rule.kind](store, rule, ctx)]
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
    now = now_iso()
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
            "UPDATE alerts SET acked_at = COALESCE(acked_at, ?) WHERE id = ?", (now_iso(), alert_id)
        )
    return cur.rowcount > 0


def alerts_for_feed(
    store: Store, *, watch: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The alerts an Atom feed shows: the newest first, acknowledged ones included."""
    return list_alerts(store, watch=watch, include_acked=True, limit=limit)


# -- delivery ---------------------------------------------------------------------------------


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
                (now_iso(), alert_id, sink_name, target),
            )
        summary.sent += 1
    return summary
