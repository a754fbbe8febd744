"""Stored events with their evidence: the library behind ``parallax events`` and the API."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from ..annotate.events.lexicon import load_lexicon
from ..errors import QueryError
from ..periods import date_bound
from .articles import display_date, event_dict
from .cursors import decode_cursor, encode_cursor
from .database import Store

TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


@dataclass(frozen=True, slots=True)
class EventRow:
    """One stored event report with the sentence it came from and where it was published."""

    type: str
    mode: str | None
    source: str | None
    target: str | None
    source_actor: str | None
    target_actor: str | None
    quad: str | None
    intensity: float
    cameo: str | None
    asserted: bool
    attributed_to: str | None
    negated: bool
    confidence: float
    coder: str
    trigger: str
    evidence: str
    field: str
    instance: str | None
    article: str
    url: str | None
    title: str
    published: str | None
    outlet: str
    camp: str | None
    language: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EventList:
    events: list[EventRow]
    reports: int
    instances: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "events": self.instances,
            "items": [e.as_dict() for e in self.events],
        }


def list_events(
    store: Store,
    *,
    source: str | None = None,
    target: str | None = None,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    camp: str | None = None,
    actor: str | None = None,
    include_negated: bool = True,
    asserted_only: bool = False,
    include_duplicates: bool = False,
    limit: int = 50,
) -> EventList:
    """Events matching the filters, newest first, with counts of reports and of distinct
    real-world events (instances) over *all* matches, not only the listed ones."""
    if type and type.upper() not in TYPES:
        raise QueryError(f"unknown event type {type!r} (one of {', '.join(TYPES)})")
    base, params = _matching(
        type=type,
        source=source,
        target=target,
        actor=actor,
        since=since,
        until=until,
        camp=camp,
        include_negated=include_negated,
        asserted_only=asserted_only,
        include_duplicates=include_duplicates,
    )
    reports, instances = store.conn.execute(
        f"SELECT COUNT(*), COUNT(DISTINCT COALESCE(e.instance, CAST(e.rowid AS TEXT))){base}",
        params,
    ).fetchone()
    rows = store.conn.execute(
        "SELECT e.*, a.id AS article_id, a.url, a.title, a.summary, a.text, a.published,"
        f" a.outlet, a.language, o.camp{base}"
        " ORDER BY a.published_ts DESC, e.rowid LIMIT ?",
        [*params, limit],
    ).fetchall()
    return EventList([_row(r) for r in rows], reports=reports, instances=instances)


def event_reports(
    store: Store,
    *,
    source: str | None = None,
    target: str | None = None,
    since: str | None = None,
    until: str | None = None,
    camp: str | None = None,
    exclude_camp: str | None = None,
    include_negated: bool = True,
    include_duplicates: bool = False,
) -> Iterator[dict[str, Any]]:
    """Every event report matching the filters, oldest first, with its article's provenance:
    the rows of an event export. ``exclude_camp`` leaves out a camp's outlets (and applies only
    without ``camp``). Each row holds the event's fields (``instance`` falls back to
    ``r<rowid>``), its ``evidence`` sentence, the article (``article``, ``url``, ``title``,
    ``published``, ``published_ts``, ``date_precision``, its UTC ``day``, ``outlet``, ``camp``,
    ``language``, ``duplicate_of``)."""
    base, params = _matching(
        source=source,
        target=target,
        since=since,
        until=until,
        camp=camp,
        exclude_camp=exclude_camp,
        include_negated=include_negated,
        include_duplicates=include_duplicates,
    )
    sql = (
        "SELECT e.rowid AS event_rowid, e.*, a.id AS article_id, a.url, a.title, a.summary,"
        " a.text, a.published, a.published_ts, a.date_precision, a.outlet, a.language,"
        f" a.duplicate_of, o.camp{base} ORDER BY a.published_ts, a.rowid, e.rowid"
    )
    for r in store.conn.execute(sql, params):
        fld = r["field"] or "text"
        text = {"title": r["title"], "summary": r["summary"]}.get(fld, r["text"]) or ""
        ts = r["published_ts"]
        yield {
            "instance": r["instance"] or f"r{r['event_rowid']}",
            "type": r["type"],
            "mode": r["mode"],
            "cameo": r["cameo"],
            "quad": r["quad"],
            "intensity": r["intensity"],
            "source": r["source"],
            "target": r["target"],
            "source_actor": r["source_actor"],
            "target_actor": r["target_actor"],
            "asserted": bool(r["asserted"]),
            "attributed_to": r["attributed_to"],
            "negated": bool(r["negated"]),
            "confidence": r["confidence"],
            "coder": r["coder"],
            "trigger": r["trigger"],
            "evidence": text[r["sentence_start"] : r["sentence_end"]].strip(),
            "field": fld,
            "sentence_start": r["sentence_start"],
            "sentence_end": r["sentence_end"],
            "article": r["article_id"],
            "url": r["url"],
            "title": r["title"],
            "published": r["published"],
            "date_precision": r["date_precision"],
            "day": datetime.fromtimestamp(ts, UTC).date().isoformat() if ts is not None else None,
            "outlet": r["outlet"],
            "camp": r["camp"],
            "language": r["language"],
            "duplicate_of": r["duplicate_of"],
            "published_ts": ts,
        }


def _matching(
    *,
    type: str | None = None,
    source: str | None = None,
    target: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    camp: str | None = None,
    exclude_camp: str | None = None,
    include_negated: bool = True,
    asserted_only: bool = False,
    include_duplicates: bool = False,
) -> tuple[str, list[Any]]:
    """`` FROM … WHERE …`` of the event reports matching the filters, and its parameters."""
    where = ["1"]
    params: list[Any] = []
    if type:
        where.append("e.type = ?")
        params.append(type.upper())
    for column, value in (("e.source", source), ("e.target", target)):
        if value:
            where.append(f"{column} = ?")
            params.append(value.upper())
    if actor:
        where.append("(e.source_actor = ? OR e.target_actor = ?)")
        params += [actor, actor]
    lower, upper = date_bound(since, end=False), date_bound(until, end=True)
    if lower is not None:
        where.append("a.published_ts >= ?")
        params.append(lower)
    if upper is not None:
        where.append("a.published_ts <= ?")
        params.append(upper)
    if camp:
        where.append("o.camp = ?")
        params.append(camp)
    elif exclude_camp:
        where.append("COALESCE(o.camp, '') != ?")
        params.append(exclude_camp)
    if not include_negated:
        where.append("e.negated = 0")
    if asserted_only:
        where.append("e.asserted = 1")
    if not include_duplicates:
        where.append("a.duplicate_of IS NULL")
    base = (
        " FROM events e JOIN articles a ON a.rowid = e.article_rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet WHERE " + " AND ".join(where)
    )
    return base, params


def _row(r: Any) -> EventRow:
    field = r["field"] or "text"
    source_text = {"title": r["title"], "summary": r["summary"]}.get(field, r["text"])
    return EventRow(
        type=r["type"],
        mode=r["mode"],
        source=r["source"],
        target=r["target"],
        source_actor=r["source_actor"],
        target_actor=r["target_actor"],
        quad=r["quad"],
        intensity=r["intensity"],
        cameo=r["cameo"],
        asserted=bool(r["asserted"]),
        attributed_to=r["attributed_to"],
        negated=bool(r["negated"]),
        confidence=r["confidence"],
        coder=r["coder"],
        trigger=r["trigger"],
        evidence=source_text[r["sentence_start"] : r["sentence_end"]],
        field=field,
        instance=r["instance"],
        article=r["article_id"],
        url=r["url"],
        title=r["title"],
        published=r["published"],
        outlet=r["outlet"],
        camp=r["camp"],
        language=r["language"],
    )


def describe(cameo: str | None) -> str:
    """The CAMEO label of a code ("Provide military aid")."""
    code = load_lexicon().code(cameo)
    return code.label if code else ""


# -- one page of events, for the API (moved from the web app as it was) -----------------------


def event_page(
    store: Store,
    *,
    source: str | None,
    target: str | None,
    type_: str | None,
    since_ts: int | None,
    until_ts: int | None,
    camp: str | None,
    cursor: str | None,
    limit: int,
    both: bool = False,
) -> tuple[list[dict[str, Any]], str | None]:
    """Stored events, newest stored first, with the article each came from; with ``both``
    (and a source and a target) the events of either direction."""
    where: list[str] = []
    params: list[Any] = []
    if both and source and target:
        one = "((e.source = ? OR e.source_actor = ?) AND (e.target = ? OR e.target_actor = ?))"
        where.append(f"({one} OR {one})")
        params.extend([source, source, target, target, target, target, source, source])
        source = target = None
    if source:
        where.append("(e.source = ? OR e.source_actor = ?)")
        params.extend([source, source])
    if target:
        where.append("(e.target = ? OR e.target_actor = ?)")
        params.extend([target, target])
    if type_:
        where.append("e.type = ?")
        params.append(type_)
    if since_ts is not None:
        where.append("a.published_ts >= ?")
        params.append(since_ts)
    if until_ts is not None:
        where.append("a.published_ts <= ?")
        params.append(until_ts)
    if camp:
        where.append("o.camp = ?")
        params.append(camp)
    position = decode_cursor(cursor, keys=frozenset({"r"}))
    if position is not None:
        where.append("e.rowid < ?")
        params.append(position["r"])
    sql = (
        "SELECT e.rowid AS event_rowid, e.*, a.id AS article_id, a.title AS article_title,"
        " a.outlet, o.camp, a.published, a.date_precision"
        " FROM events e JOIN articles a ON a.rowid = e.article_rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet"
        f" WHERE {' AND '.join(where) or '1'} ORDER BY e.rowid DESC LIMIT ?"
    )
    rows = store.conn.execute(sql, [*params, limit + 1]).fetchall()
    items = [
        event_dict(
            r.__getitem__,
            {
                "article_id": r["article_id"],
                "article_title": r["article_title"],
                "outlet": r["outlet"],
                "camp": r["camp"],
                "published": display_date(r["published"], r["date_precision"]),
            },
        )
        for r in rows[:limit]
    ]
    next_cursor = (
        encode_cursor({"r": rows[limit - 1]["event_rowid"]}) if len(rows) > limit else None
    )
    return items, next_cursor


def event_sentences(store: Store, events: list[dict[str, Any]]) -> list[str]:
    """The sentence of each event (from its article's title, summary or text)."""
    ids = sorted({str(e["article_id"]) for e in events})
    texts: dict[str, sqlite3.Row] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for row in store.conn.execute(
            f"SELECT id, title, summary, text FROM articles WHERE id IN ({marks})", ids
        ):
            texts[str(row["id"])] = row
    out = []
    for e in events:
        row = texts.get(str(e["article_id"]))
        field = str(e.get("field")) if e.get("field") in ("title", "summary", "text") else "text"
        source = str(row[field] or "") if row is not None else ""
        start, end = int(e.get("sentence_start") or 0), int(e.get("sentence_end") or 0)
        out.append(" ".join(source[start:end].split()) if 0 <= start < end <= len(source) else "")
    return out
