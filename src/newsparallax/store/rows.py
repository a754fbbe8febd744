"""Typed records from stored rows: the one reading of an article row, for the SQL store
(:class:`sqlite3.Row`, JSON lists as text) and for the Parquet output of ``batch`` (dicts,
lists as lists)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ..records import Article, DatePrecision, Event, Mention, Quality, ThemeTag

_NOT_EVENT_FIELDS = frozenset({"article_rowid", "rowid", "article_id", "ordinal"})


def _json_seq(value: str | Sequence[Any] | None) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(json.loads(value or "[]"))
    return tuple(value)


def _get(row: Any, key: str) -> Any:
    return row[key]


def article_from_row(
    row: Any,
    *,
    mentions: Sequence[Mention] = (),
    events: Sequence[Event] = (),
    themes: Sequence[ThemeTag] = (),
) -> Article:
    """An :class:`Article` from a row of the ``articles`` table (or its Parquet form)."""
    published, precision = _get(row, "published"), _get(row, "date_precision")
    return Article(
        id=_get(row, "id"),
        url=_get(row, "url"),
        outlet=_get(row, "outlet"),
        domain=_get(row, "domain"),
        published=datetime.fromisoformat(published) if published else None,
        date_precision=DatePrecision(precision) if precision else None,
        title=_get(row, "title"),
        text=_get(row, "text"),
        summary=_get(row, "summary"),
        author=_get(row, "author"),
        site_name=_get(row, "site_name"),
        language=_get(row, "language"),
        language_confidence=_get(row, "language_confidence"),
        quality=Quality(
            score=_get(row, "quality_score"),
            flags=_json_seq(_get(row, "quality_flags")),
            details=json.loads(_get(row, "quality_details") or "{}"),
        ),
        content_hash=_get(row, "content_hash"),
        duplicate_of=_get(row, "duplicate_of"),
        duplicate_similarity=_get(row, "duplicate_similarity"),
        date_claimed=_get(row, "date_claimed"),
        extractor=_get(row, "extractor"),
        source=_get(row, "source"),
        collection=_get(row, "collection"),
        license=_get(row, "license"),
        stages=_json_seq(_get(row, "stages")),
        mentions=tuple(mentions),
        events=tuple(events),
        themes=tuple(themes),
        extra=json.loads(_get(row, "extra") or "{}"),
    )


def mention_from_row(row: Any) -> Mention:
    return Mention(
        start=row["start"],
        end=row["end"],
        text=row["text"],
        actor=row["actor"],
        kind=row["kind"],
        country=row["country"],
        sector=row["sector"],
        stage=row["stage"],
        field=row["field"],
    )


def event_from_row(row: Any) -> Event:
    """An :class:`Event` from an ``events`` row (bookkeeping columns dropped)."""
    fields = _as_dict(row)
    for key in _NOT_EVENT_FIELDS:
        fields.pop(key, None)
    fields["asserted"] = bool(fields["asserted"])
    fields["negated"] = bool(fields["negated"])
    return Event(**fields)


def theme_from_row(row: Any) -> ThemeTag:
    evidence = row["evidence"]
    spans = json.loads(evidence or "[]") if isinstance(evidence, str) else evidence or []
    return ThemeTag(
        theme=row["theme"],
        score=row["score"],
        stage=row["stage"],
        evidence=tuple((int(a), int(b)) for a, b in spans),
    )


def _as_dict(row: Any) -> dict[str, Any]:
    if isinstance(row, Mapping):
        return dict(row)
    return dict(zip(row.keys(), tuple(row), strict=True))
