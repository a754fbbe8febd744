"""The clusterer's view of an article (:class:`Item`: fingerprint, date and its uncertainty,
kind, speaker, scene), built from an article's fields (:func:`make_item`) or read back from the
store with its mentions, events and, for undated ones, when it was fetched (:func:`load_items`)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from ...records import Event, Mention
from ...store.database import Store
from .cues import REPORT, is_reaction, kind_of, scene_of, speaker_of
from .fingerprint import Fingerprint, fingerprint, headline

DAY = 86_400
_MONTH = ("month", "month-estimated")
_YEAR = ("year", "year-estimated")
FETCH_WINDOW_DAYS = 30
"""An undated article fetched (or archived) at ``t`` was published in ``[t - this, t]``."""


@dataclass(slots=True)
class Item:
    """One article as the clusterer sees it."""

    rowid: int
    id: str
    language: str
    ts: int | None
    fp: Fingerprint
    duplicate_of: str | None = None
    skip: str | None = None
    kind: str = REPORT
    """:data:`~.cues.KINDS`: anything but a report stands alone (never anchors or glues)."""
    speaker: str | None = None
    slack: int = 0
    """Seconds of uncertainty of ``ts`` (a day-precision date: a day)."""
    scene: str | None = None
    """The country of the incident the headline reports (:func:`~.cues.scene_of`)."""
    reaction: bool = False
    """A named speaker's reaction to an event (:func:`~.cues.is_reaction`)."""
    span: tuple[int, int] | None = None
    """``[lo, hi)`` of an uncertain date — a month, or the days before a fetch — for an article
    dated no better: it may join a story whose span overlaps it (on a strong match), never
    starts one that others join, and never moves a story's dates (see :meth:`Clusterer.place`)."""


def make_item(
    *,
    rowid: int,
    id: str,
    language: str,
    published: datetime | None,
    date_precision: str | None,
    title: str,
    summary: str,
    text: str,
    mentions: Iterable[Mention] = (),
    events: Iterable[Event] = (),
    duplicate_of: str | None = None,
    fetched: datetime | None = None,
) -> Item:
    """Build an :class:`Item` (its fingerprint) from an article's fields. ``fetched``: when an
    undated article was fetched or archived (it then takes part with that uncertainty)."""
    body = text if text.strip() else summary
    skip = None
    span = None
    if published is None and fetched is not None:
        hi = int(fetched.timestamp())
        span = (hi - FETCH_WINDOW_DAYS * DAY, hi)
        published = datetime.fromtimestamp(span[0], UTC)
    if published is None:
        skip = "no date"
    elif date_precision in _YEAR:
        skip = "date known only to the year"
    elif date_precision in _MONTH:
        span = month_span(published)
    if not skip and not (title.strip() or body.strip()):
        skip = "no text"
    mentions = list(mentions)
    if not skip and not title.strip() and body.strip():
        title, mentions = _headline_of(body, mentions)
    fp = (
        Fingerprint()
        if skip
        else fingerprint(title=title, body=body, mentions=mentions, published=published)
    )
    if not skip:
        for e in events:
            if e.negated:
                continue
            fp.actors[f"e:{e.type}:{e.source or '-'}>{e.target or '-'}"] += 1
    ts = int(published.timestamp()) if published is not None else None
    kind = kind_of(title, body) if not skip else REPORT
    speaker = speaker_of(title, mentions) if not skip and kind == REPORT else None
    slack = DAY if date_precision in ("day", "day-estimated") else 0
    scene = scene_of(title, mentions) if not skip and kind == REPORT else None
    reaction = speaker is not None and is_reaction(title)
    return Item(
        rowid,
        id,
        language or "und",
        ts,
        fp,
        duplicate_of,
        skip,
        kind,
        speaker,
        slack,
        scene,
        reaction,
        span,
    )


def _headline_of(body: str, mentions: list[Mention]) -> tuple[str, list[Mention]]:
    """An untitled post's headline (its first line, :func:`~.fingerprint.headline`) and the
    mentions, with those inside that line also given as title mentions (offsets into it)."""
    head = headline(body)
    at = body.find(head[:20]) if head else -1
    if at < 0:
        return head, mentions
    extra = [
        replace(m, field="title", start=m.start - at, end=m.end - at)
        for m in mentions
        if m.field != "title" and at <= m.start and m.end <= at + len(head)
    ]
    return head, mentions + extra


def month_span(when: datetime) -> tuple[int, int]:
    """``[first instant, first instant of the next month)`` of ``when`` 's month (UTC)."""
    start = datetime(when.year, when.month, 1, tzinfo=UTC)
    end = datetime(when.year + when.month // 12, when.month % 12 + 1, 1, tzinfo=UTC)
    return int(start.timestamp()), int(end.timestamp())


def month_start(ts: int) -> int:
    """The first instant of the month of ``ts`` (UTC)."""
    return month_span(datetime.fromtimestamp(ts, UTC))[0]


def months_touched(lo: int, hi: int) -> list[int]:
    """First instants of the months ``[lo, hi)`` touches."""
    out = []
    month = month_start(lo)
    while month < hi:
        out.append(month)
        month = month_span(datetime.fromtimestamp(month, UTC))[1]
    return out


def order_key(item: Item) -> tuple[int, int]:
    """Clustering order: publication time; an uncertain date at the end of its span (when
    every precisely dated article it could join has been seen), a date known to the day at the
    end of that day (after the day's precisely dated articles)."""
    if item.span is not None:
        return item.span[1], item.rowid
    return (item.ts + item.slack - 1 if item.ts is not None else -1), item.rowid


def load_items(store: Store, *, where: str = "1", params: tuple[Any, ...] = ()) -> Iterator[Item]:
    """Articles of the store as :class:`Item` s (``where`` filters ``articles a``)."""
    conn = store.conn
    rows = conn.execute(
        "SELECT a.rowid, a.id, a.language, a.published, a.date_precision, a.title, a.summary,"
        " a.text, a.duplicate_of, CASE WHEN a.published IS NULL THEN a.extra END,"
        " CASE WHEN a.published IS NULL THEN a.ingested_at END,"
        " CASE WHEN a.published IS NULL THEN (SELECT r.command FROM runs r"
        " WHERE r.id = a.run_id) END"
        f" FROM articles a WHERE {where} ORDER BY a.published_ts, a.rowid",
        params,
    ).fetchall()
    if not rows:
        return
    lo, hi = min(r[0] for r in rows), max(r[0] for r in rows)
    mentions: dict[int, list[Mention]] = defaultdict(list)
    for r in conn.execute(
        'SELECT article_rowid, start, "end", actor, kind, field, country FROM mentions'
        " WHERE article_rowid BETWEEN ? AND ?",
        (lo, hi),
    ):
        mentions[r[0]].append(
            Mention(start=r[1], end=r[2], text="", actor=r[3], kind=r[4], field=r[5], country=r[6])
        )
    events: dict[int, list[Event]] = defaultdict(list)
    for r in conn.execute(
        "SELECT article_rowid, type, source, target, negated, sentence_start, sentence_end"
        " FROM events WHERE article_rowid BETWEEN ? AND ?",
        (lo, hi),
    ):
        events[r[0]].append(
            Event(
                type=r[1],
                source=r[2],
                target=r[3],
                negated=bool(r[4]),
                sentence_start=r[5],
                sentence_end=r[6],
            )
        )
    for r in rows:
        yield make_item(
            rowid=r[0],
            id=r[1],
            language=r[2],
            published=datetime.fromisoformat(r[3]) if r[3] else None,
            date_precision=r[4],
            title=r[5] or "",
            summary=r[6] or "",
            text=r[7] or "",
            mentions=mentions.get(r[0], ()),
            events=events.get(r[0], ()),
            duplicate_of=r[8],
            fetched=_fetched(r[9], r[10], r[11]) if r[3] is None else None,
        )


def _fetched(extra: str | None, ingested_at: str | None, command: str | None) -> datetime | None:
    """When an undated article was fetched: the ``fetched`` its input recorded (a WARC record's
    date, the live monitor's fetch), else its ingest time when the live monitor stored it."""
    try:
        recorded = json.loads(extra or "{}").get("fetched")
    except (ValueError, AttributeError):
        recorded = None
    if recorded:
        return _instant(str(recorded))
    return _instant(ingested_at) if command == "watch" else None


def _instant(value: str | None) -> datetime | None:
    """A stored instant (ISO 8601), or ``None`` when absent or unreadable."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
