"""Articles as the API and the dashboard list them: one page of a filtered list (newest first,
or best first with a full-text query), one article with everything known about it, and the
small lookups around them (titles by id, the languages stored).

Duplicates (syndicated copies) are left out of lists unless asked for, as in search.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from ..annotate.dates import format_date
from ..records import DatePrecision
from ..watches import Watch
from .cursors import INVALID as INVALID_CURSOR
from .cursors import CursorError, decode_cursor, encode_cursor
from .database import Store
from .events import event_fields
from .filters import ArticleFilters, article_where
from .search import full_text_match, make_snippet, ranked

_LIST_COLUMNS = (
    "a.rowid AS rowid, a.id, a.url, a.title, a.summary, a.outlet, o.name AS outlet_name, o.camp,"
    " a.language, a.published, a.published_ts, a.date_precision, a.duplicate_of,"
    " a.quality_flags, (SELECT count(*) FROM articles d WHERE d.duplicate_of = a.id) AS dups"
)
_MAX_SEARCH_OFFSET = 10_000


def display_date(published: str | None, precision: str | None) -> str | None:
    """A stored date at its precision (``2025-01`` for an estimated month)."""
    if not published:
        return None
    prec = DatePrecision(precision) if precision else None
    return format_date(datetime.fromisoformat(published), prec)


def _summary(
    row: sqlite3.Row, *, snippet: str, highlights: list[tuple[int, int]]
) -> dict[str, Any]:
    return {
        "id": row["id"],
        "url": row["url"],
        "title": row["title"],
        "outlet": row["outlet"],
        "outlet_name": row["outlet_name"],
        "camp": row["camp"],
        "language": row["language"],
        "published": display_date(row["published"], row["date_precision"]),
        "date_precision": row["date_precision"],
        "duplicate_of": row["duplicate_of"],
        "duplicates": int(row["dups"]),
        "quality_flags": json.loads(row["quality_flags"]),
        "snippet": snippet,
        "highlights": [list(h) for h in highlights],
    }


def list_articles(
    store: Store, f: ArticleFilters, *, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of articles (newest first, or best first with a query) and the next cursor."""
    where, params = article_where(f)
    if f.query is not None:
        return _search_page(store, f, where, params, cursor=cursor, limit=limit)
    position = decode_cursor(cursor, keys=frozenset({"t", "r"}))
    if position is not None:
        ts, rowid = position.get("t"), position.get("r")
        if rowid is None:
            raise CursorError(INVALID_CURSOR)
        if ts is None:
            where.append("a.published_ts IS NULL AND a.rowid < ?")
            params.append(rowid)
        else:
            where.append(
                "(a.published_ts < ? OR (a.published_ts = ? AND a.rowid < ?)"
                " OR a.published_ts IS NULL)"
            )
            params.extend([ts, ts, rowid])
    sql = (
        "SELECT a.rowid, a.published_ts FROM articles a"
        f" WHERE {' AND '.join(where) or '1'}"
        " ORDER BY a.published_ts DESC, a.rowid DESC LIMIT ?"
    )
    keys = store.conn.execute(sql, [*params, limit + 1]).fetchall()
    rows = _rows(store, [int(k[0]) for k in keys[:limit]], lead=True)
    items = [_summary(r, snippet=_lead(r["lead"]), highlights=[]) for r in rows]
    next_cursor = None
    if len(keys) > limit:
        last = keys[limit - 1]
        next_cursor = encode_cursor({"t": last[1], "r": last[0]})
    return items, next_cursor


def _rows(store: Store, rowids: list[int], *, lead: bool) -> list[sqlite3.Row]:
    """The list columns of these articles, in this order, with their numbers of copies."""
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    extra = (
        ", substr(CASE WHEN a.summary != '' THEN a.summary ELSE a.text END, 1, 400) AS lead"
        if lead
        else ", a.text"
    )
    rows = store.conn.execute(
        f"SELECT {_LIST_COLUMNS}{extra} FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
        f" WHERE a.rowid IN ({marks})",
        rowids,
    ).fetchall()
    by_rowid = {int(r["rowid"]): r for r in rows}
    return [by_rowid[r] for r in rowids if r in by_rowid]


def _lead(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= 240:
        return text
    cut = text.rfind(" ", 0, 240)
    return text[: cut if cut > 120 else 240] + "…"


def _search_page(
    store: Store,
    f: ArticleFilters,
    where: list[str],
    params: list[Any],
    *,
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    assert f.query is not None
    position = decode_cursor(cursor, keys=frozenset({"o"}))
    offset = int(position["o"] or 0) if position else 0
    if not 0 <= offset <= _MAX_SEARCH_OFFSET:
        raise CursorError(INVALID_CURSOR)
    match = full_text_match(store, f.query)
    keys = ranked(store, match, where, params, count=offset + limit + 1)[offset:]
    ranks = {int(k[0]): float(k[1]) for k in keys[:limit]}
    items = []
    for r in _rows(store, [int(k[0]) for k in keys[:limit]], lead=False):
        snippet, highlights = make_snippet(r["text"] or r["summary"] or r["title"], f.query.terms)
        item = _summary(r, snippet=snippet, highlights=highlights)
        item["score"] = round(-ranks[int(r["rowid"])], 4)
        items.append(item)
    more = len(keys) > limit and offset + limit <= _MAX_SEARCH_OFFSET
    return items, encode_cursor({"o": offset + limit}) if more else None


# -- one article -------------------------------------------------------------------------------


def article_detail(store: Store, watch: Watch, article_id: str) -> dict[str, Any] | None:
    """One article with its annotations, its outlet (camp and evidence) and its duplicates."""
    article = store.get(article_id)
    if article is None:
        return None
    outlet = store.outlet(article.outlet) or watch.outlet(article.outlet)
    camp = outlet.camp if outlet else None
    copies = [
        {
            "id": r["id"],
            "outlet": r["outlet"],
            "url": r["url"],
            "title": r["title"],
            "published": display_date(r["published"], r["date_precision"]),
            "similarity": r["duplicate_similarity"],
        }
        for r in store.conn.execute(
            "SELECT id, outlet, url, title, published, date_precision, duplicate_similarity"
            " FROM articles WHERE duplicate_of = ? ORDER BY rowid",
            (article.id,),
        )
    ]
    original = None
    if article.duplicate_of:
        row = store.conn.execute(
            "SELECT id, outlet, url, title FROM articles WHERE id = ?", (article.duplicate_of,)
        ).fetchone()
        if row is not None:
            original = dict(row)
    camp_info = watch.camps.get(camp) if camp else None
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "summary": article.summary,
        "text": article.text,
        "author": article.author,
        "site_name": article.site_name,
        "language": article.language,
        "language_confidence": article.language_confidence,
        "published": format_date(article.published, article.date_precision),
        "date_precision": article.date_precision.value if article.date_precision else None,
        "date_claimed": article.date_claimed,
        "outlet": {
            "id": article.outlet,
            "name": outlet.name if outlet else article.outlet,
            "domain": article.domain,
            "country": outlet.country if outlet else None,
            "camp": camp,
            "camp_label": camp_info.label if camp_info else None,
            "ownership": outlet.ownership if outlet else None,
            "state_affiliated": outlet.state_affiliated if outlet else False,
            "evidence": outlet.evidence if outlet else "",
        },
        "quality": {"score": article.quality.score, "flags": list(article.quality.flags)},
        "duplicate_of": original,
        "duplicate_similarity": article.duplicate_similarity,
        "duplicates": copies,
        "mentions": [
            {
                "field": m.field,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "actor": m.actor,
                "kind": m.kind,
                "country": m.country,
                "sector": m.sector,
                "stage": m.stage,
            }
            for m in article.mentions
        ],
        "events": [event_fields(e) for e in article.events],
        "themes": [
            {
                "theme": t.theme,
                "score": t.score,
                "evidence": [list(s) for s in t.evidence],
                "stage": t.stage,
            }
            for t in article.themes
        ],
        "extractor": article.extractor,
        "stages": list(article.stages),
        "source": article.source,
        "collection": article.collection,
        "license": article.license,
    }


def article_titles(store: Store, ids: set[str]) -> dict[str, tuple[str, str]]:
    """Article id → (title, language), for linking the articles behind a figure."""
    found: dict[str, tuple[str, str]] = {}
    listed = sorted(ids)
    for i in range(0, len(listed), 500):
        chunk = listed[i : i + 500]
        for r in store.conn.execute(
            f"SELECT id, title, language FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            found[r[0]] = (r[1] or "", r[2] or "und")
    return found


def languages(store: Store) -> list[str]:
    """The languages of the stored articles, the most frequent first."""
    return [
        str(r[0])
        for r in store.conn.execute(
            "SELECT language FROM articles GROUP BY language ORDER BY count(*) DESC"
        )
    ]
