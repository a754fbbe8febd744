"""Stored events with their evidence: the one list behind ``parallax events``, the API's
``/events`` and the dashboard's Events page, and the reports of an event export; both read the
same filters (:func:`_matching`).

:func:`list_events` lists the events matching the filters newest publication first (events
published at the same instant in the order they were stored; events of undated articles last),
a page at a time: a page's ``next_cursor`` (see :mod:`.cursors`) continues after its last event
on ``(published_ts, rowid)``, so no event of one page comes again on a later one, even while
events are being stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from ..annotate.events.lexicon import load_lexicon
from ..annotate.events.signals import event_threshold
from ..errors import QueryError
from ..periods import date_bound
from .cursors import INVALID as INVALID_CURSOR
from .cursors import CursorError, decode_cursor, encode_cursor
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


EVENT_FIELDS = (
    "type", "mode", "source", "target", "source_actor", "target_actor", "sentence_start",
    "sentence_end", "trigger", "quad", "intensity", "cameo", "asserted", "attributed_to",
    "negated", "confidence", "coder", "field",
)  # fmt: skip
"""An event's own fields, as the API shows them (then its ``instance``)."""


def kept(alias: str = "e") -> tuple[str, float]:
    """The SQL condition (and its one parameter) of the events that count: confidence at
    least the store's threshold (:func:`~newsparallax.annotate.events.signals.event_threshold`).
    Events below it are stored and listed for inspection, never counted."""
    return f"{alias}.confidence >= ?", event_threshold()


def event_fields(event: Any) -> dict[str, Any]:
    """The :data:`EVENT_FIELDS` and the ``instance`` of an event record or an :class:`EventRow`
    (a field it lacks is ``None``)."""
    data = {name: getattr(event, name, None) for name in EVENT_FIELDS}
    data["instance"] = getattr(event, "instance", None)
    data["asserted"] = bool(data["asserted"])
    data["negated"] = bool(data["negated"])
    return data


def event_type(value: str | None) -> str | None:
    """A PLOVER event type in capitals (``None`` for none); :class:`QueryError` if unknown."""
    if not value:
        return None
    kind = value.strip().upper()
    if kind not in TYPES:
        raise QueryError(f"unknown event type {value!r} (one of {', '.join(TYPES)})")
    return kind


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
    sentence_start: int
    sentence_end: int
    """Where :attr:`evidence` stands in the article's :attr:`field`."""
    date_precision: str | None
    """The precision of :attr:`published` (``day``, ``month``…)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EventList:
    events: list[EventRow]
    reports: int | None
    """Reports matching the filters, all pages together (``None`` when not counted)."""
    instances: int | None
    """Distinct real-world events among them (``None`` when not counted)."""
    next_cursor: str | None = None
    """Where the next page starts; ``None`` after the last page."""

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
    both: bool = False,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    camp: str | None = None,
    actor: str | None = None,
    include_negated: bool = True,
    asserted_only: bool = False,
    include_duplicates: bool = False,
    below_threshold: bool = False,
    cursor: str | None = None,
    limit: int = 50,
    count: bool = True,
) -> EventList:
    """One page of the events matching the filters, newest publication first (see the module
    docstring), from ``cursor`` on; with ``count``, how many reports and distinct real-world
    events (instances) match over *all* pages.

    ``source`` and ``target`` are a country or IGO code (any case) or an actor id; with ``both``
    (and both given) the events of either direction. ``type`` is a PLOVER type (any case),
    ``since``/``until`` date bounds (:func:`~newsparallax.periods.date_bound`), ``actor`` an
    actor id as source or target. Only events that count (:func:`kept`) are listed unless
    ``below_threshold``. Raises :class:`QueryError` for an unknown type or a bad date,
    :class:`~.cursors.CursorError` for a bad cursor."""
    base, params = _matching(
        type=event_type(type),
        source=source,
        target=target,
        both=both,
        actor=actor,
        since=since,
        until=until,
        camp=camp,
        include_negated=include_negated,
        asserted_only=asserted_only,
        include_duplicates=include_duplicates,
        kept_only=not below_threshold,
    )
    reports = instances = None
    if count:
        reports, instances = store.conn.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT COALESCE(e.instance, CAST(e.rowid AS TEXT))){base}",
            params,
        ).fetchone()
    after, after_params = _after(cursor)
    rows = store.conn.execute(
        "SELECT e.*, e.rowid AS event_rowid, a.id AS article_id, a.url, a.title, a.published,"
        f" a.published_ts, a.date_precision, a.outlet, a.language, o.camp{base}{after}"
        " ORDER BY a.published_ts DESC, e.rowid LIMIT ?",
        [*params, *after_params, limit + 1],
    ).fetchall()
    page = rows[:limit]
    texts = _texts(store, {int(r["article_rowid"]) for r in page})
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        next_cursor = encode_cursor({"t": last["published_ts"], "r": last["event_rowid"]})
    return EventList(
        [_row(r, texts.get(int(r["article_rowid"]), {})) for r in page],
        reports=reports,
        instances=instances,
        next_cursor=next_cursor,
    )


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
    below_threshold: bool = False,
) -> Iterator[dict[str, Any]]:
    """Every event report matching the filters, oldest first, with its article's provenance:
    the rows of an event export. ``exclude_camp`` leaves out a camp's outlets (and applies only
    without ``camp``). Each row holds the event's fields (``instance`` falls back to
    ``r<rowid>``), its ``evidence`` sentence, the article (``article``, ``url``, ``title``,
    ``published``, ``published_ts``, ``date_precision``, its UTC ``day``, ``outlet``, ``camp``,
    ``language``, ``duplicate_of``). Only events that count (:func:`kept`) unless
    ``below_threshold``."""
    base, params = _matching(
        source=source,
        target=target,
        since=since,
        until=until,
        camp=camp,
        exclude_camp=exclude_camp,
        include_negated=include_negated,
        include_duplicates=include_duplicates,
        kept_only=not below_threshold,
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
    both: bool = False,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    camp: str | None = None,
    exclude_camp: str | None = None,
    include_negated: bool = True,
    asserted_only: bool = False,
    include_duplicates: bool = False,
    kept_only: bool = False,
) -> tuple[str, list[Any]]:
    """`` FROM … WHERE …`` of the event reports matching the filters, and its parameters (see
    :func:`list_events` for what each filter means)."""
    where = ["e.article_rowid = a.rowid"]
    params: list[Any] = []
    if type:
        where.append("e.type = ?")
        params.append(type.upper())
    sides = [("source", source), ("target", target)]
    if both and source and target:
        one, one_params = _dyad(source, target)
        other, other_params = _dyad(target, source)
        where.append(f"({one} OR {other})")
        params += [*one_params, *other_params]
        sides = []
    for column, value in sides:
        if value:
            where.append(f"(e.{column} = ? OR e.{column}_actor = ?)")
            params += [value.upper(), value]
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
    if kept_only:
        condition, threshold = kept()
        where.append(condition)
        params.append(threshold)
    # Articles drive the scan, by their published_ts index, and each article's events come by
    # the events_article index: a page of the newest reads only the articles it needs. CROSS
    # JOIN tells SQLite that order (without ANALYZE statistics it would sort every matching
    # event first); PostgreSQL plans it as the inner join it is.
    base = (
        " FROM articles a CROSS JOIN events e LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE " + " AND ".join(where)
    )
    return base, params


def _dyad(source: str, target: str) -> tuple[str, list[Any]]:
    sql = "((e.source = ? OR e.source_actor = ?) AND (e.target = ? OR e.target_actor = ?))"
    return sql, [source.upper(), source, target.upper(), target]


def _after(cursor: str | None) -> tuple[str, list[Any]]:
    """The condition for the events after a page's last one (newest publication first, then
    stored order; undated articles last)."""
    position = decode_cursor(cursor, keys=frozenset({"t", "r"}))
    if position is None:
        return "", []
    ts, rowid = position.get("t"), position.get("r")
    if rowid is None:
        raise CursorError(INVALID_CURSOR)
    if ts is None:
        return " AND a.published_ts IS NULL AND e.rowid > ?", [rowid]
    return (
        " AND (a.published_ts < ? OR (a.published_ts = ? AND e.rowid > ?)"
        " OR a.published_ts IS NULL)",
        [ts, ts, rowid],
    )


def _texts(store: Store, rowids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The title, summary and text of these articles (each read once however many of its
    events a page lists)."""
    wanted = sorted(rowids)
    if not wanted:
        return {}
    rows = store.conn.execute(
        f"SELECT rowid, title, summary, text FROM articles WHERE rowid IN"
        f" ({','.join('?' * len(wanted))})",
        wanted,
    )
    return {
        int(r[0]): {"title": r[1] or "", "summary": r[2] or "", "text": r[3] or ""} for r in rows
    }


def _row(r: Any, texts: dict[str, str]) -> EventRow:
    field = r["field"] or "text"
    source_text = texts.get(field) if field in ("title", "summary") else texts.get("text")
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
        evidence=(source_text or "")[r["sentence_start"] : r["sentence_end"]],
        field=field,
        instance=r["instance"],
        article=r["article_id"],
        url=r["url"],
        title=r["title"],
        published=r["published"],
        outlet=r["outlet"],
        camp=r["camp"],
        language=r["language"],
        sentence_start=r["sentence_start"],
        sentence_end=r["sentence_end"],
        date_precision=r["date_precision"],
    )


def describe(cameo: str | None) -> str:
    """The CAMEO label of a code ("Provide military aid")."""
    code = load_lexicon().code(cameo)
    return code.label if code else ""
