"""Read queries of the web app, in SQL over the store's connection.

Each function takes a store (and the watch where camps matter) and returns plain dicts and lists
that the API serialises and the dashboard renders; no function here knows about HTTP.
Duplicates (syndicated copies) are left out of lists and counts unless asked for, as in search.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from ..annotate.dates import format_date
from ..records import DatePrecision
from ..store.database import Store
from ..store.search import full_text_match, make_snippet
from ..watches import Watch
from .filters import ArticleFilters, decode_cursor, encode_cursor

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


def _where(f: ArticleFilters) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.outlets is not None:
        where.append(f"a.outlet IN ({','.join('?' * len(f.outlets))})")
        params.extend(f.outlets)
    if f.camp:
        where.append("a.outlet IN (SELECT id FROM outlets WHERE camp = ?)")
        params.append(f.camp)
    if f.language:
        where.append("a.language = ?")
        params.append(f.language)
    if f.since_ts is not None:
        where.append("a.published_ts >= ?")
        params.append(f.since_ts)
    if f.until_ts is not None:
        where.append("a.published_ts <= ?")
        params.append(f.until_ts)
    if f.actor:
        where.append("a.rowid IN (SELECT article_rowid FROM mentions WHERE actor = ?)")
        params.append(f.actor)
    if f.theme:
        where.append("a.rowid IN (SELECT article_rowid FROM themes WHERE theme = ?)")
        params.append(f.theme)
    if f.story:
        where.append("a.rowid IN (SELECT article_rowid FROM story_articles WHERE story_id = ?)")
        params.append(f.story)
    if not f.include_duplicates:
        where.append("+a.duplicate_of IS NULL")  # "+": never pick that index (it matches all)
    return where, params


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
    where, params = _where(f)
    if f.query is not None:
        return _search_page(store, f, where, params, cursor=cursor, limit=limit)
    position = decode_cursor(cursor, keys=frozenset({"t", "r"}))
    if position is not None:
        ts, rowid = position.get("t"), position.get("r")
        if rowid is None:
            from .filters import FilterError

            raise FilterError("cursor", "invalid cursor (pass next_cursor unchanged)", status=400)
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
        from .filters import FilterError

        raise FilterError("cursor", "invalid cursor (pass next_cursor unchanged)", status=400)
    match = full_text_match(store, f.query)
    sql = (
        f"SELECT a.rowid, {match.rank} AS rank"
        " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
        f" WHERE {' AND '.join([match.condition, *where])}"
        " ORDER BY rank, a.rowid LIMIT ? OFFSET ?"
    )
    keys = store.conn.execute(
        sql,
        [*match.rank_params, *match.condition_params, *params, limit + 1, offset],
    ).fetchall()
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
        "events": [
            _event_dict(lambda name, e=e: getattr(e, name, None), None) for e in article.events
        ],
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


_EVENT_FIELDS = (
    "type", "mode", "source", "target", "source_actor", "target_actor", "sentence_start",
    "sentence_end", "trigger", "quad", "intensity", "cameo", "asserted", "attributed_to",
    "negated", "confidence", "coder", "field",
)  # fmt: skip


def _event_dict(get: Any, extra: dict[str, Any] | None) -> dict[str, Any]:
    data = {name: get(name) for name in _EVENT_FIELDS}
    try:
        data["instance"] = get("instance")  # from store version 5 on
    except (IndexError, KeyError):
        data["instance"] = None
    data["asserted"] = bool(data["asserted"])
    data["negated"] = bool(data["negated"])
    if extra:
        data.update(extra)
    return data


# -- events ------------------------------------------------------------------------------------


def list_events(
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
        _event_dict(
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


def annotation_counts(store: Store) -> dict[str, int]:
    c = store.conn
    return {
        "mentions": int(c.execute("SELECT count(*) FROM mentions").fetchone()[0]),
        "events": int(c.execute("SELECT count(*) FROM events").fetchone()[0]),
        "themes": int(c.execute("SELECT count(*) FROM themes").fetchone()[0]),
    }


# -- coverage and actors -----------------------------------------------------------------------


def coverage_by_camp_month(store: Store, *, actor: str | None = None) -> dict[str, dict[str, int]]:
    """``{month: {camp: articles}}`` for dated articles (year-only dates left out); with
    ``actor``, only the articles that mention it."""
    sql = (
        "SELECT substr(a.published, 1, 7) AS m, coalesce(o.camp, 'unknown') AS camp, count(*)"
        " FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE a.published IS NOT NULL AND a.date_precision NOT LIKE 'year%'"
        " AND a.duplicate_of IS NULL"
    )
    params: list[Any] = []
    if actor:
        sql += " AND a.rowid IN (SELECT article_rowid FROM mentions WHERE actor = ?)"
        params.append(actor)
    sql += " GROUP BY m, camp ORDER BY m"
    out: dict[str, dict[str, int]] = {}
    for month, camp, n in store.conn.execute(sql, params):
        out.setdefault(str(month), {})[str(camp)] = int(n)
    return out


def top_actors_by_camp(store: Store, *, per_camp: int = 5) -> dict[str, list[tuple[str, int]]]:
    """For each camp, the actors mentioned in the most (unique) articles."""
    rows = store.conn.execute(
        "SELECT coalesce(o.camp, 'unknown') AS camp, m.actor, count(DISTINCT m.article_rowid) AS n"
        " FROM mentions m JOIN articles a ON a.rowid = m.article_rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet WHERE a.duplicate_of IS NULL"
        " GROUP BY camp, m.actor"
    ).fetchall()
    by_camp: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for camp, actor, n in rows:
        by_camp[str(camp)].append((str(actor), int(n)))
    return {
        camp: sorted(pairs, key=lambda p: (-p[1], p[0]))[:per_camp]
        for camp, pairs in sorted(by_camp.items())
    }


def top_actors(store: Store, *, limit: int) -> list[tuple[str, int]]:
    rows = store.conn.execute(
        "SELECT m.actor, count(DISTINCT m.article_rowid) AS n FROM mentions m"
        " JOIN articles a ON a.rowid = m.article_rowid WHERE a.duplicate_of IS NULL"
        " GROUP BY m.actor ORDER BY n DESC, m.actor LIMIT ?",
        (limit,),
    ).fetchall()
    return [(str(a), int(n)) for a, n in rows]


def actor_mentions(store: Store, actor: str) -> dict[str, Any]:
    """How often an actor is mentioned: totals, by camp, by camp and month, and the surface
    forms seen (unique articles; copies left out)."""
    c = store.conn
    by_camp: Counter[str] = Counter()
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    # One pass over the articles that mention the actor (the mentions index has no
    # article_rowid, so each extra query would read every mention row again).
    for month, precision, camp in c.execute(
        "SELECT substr(a.published, 1, 7), a.date_precision, coalesce(o.camp, 'unknown')"
        " FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE a.rowid IN (SELECT article_rowid FROM mentions WHERE actor = ?)"
        " AND +a.duplicate_of IS NULL",
        (actor,),
    ):
        by_camp[str(camp)] += 1
        if month is not None and not str(precision or "").startswith("year"):
            by_month[str(month)][str(camp)] += 1
    forms = Counter(
        {
            str(text): int(n)
            for text, n in c.execute(
                "SELECT text, count(*) FROM mentions WHERE actor = ? GROUP BY text", (actor,)
            )
        }
    )
    return {
        "mentions": sum(forms.values()),
        "articles": sum(by_camp.values()),
        "by_camp": dict(by_camp.most_common()),
        "by_month": [
            {"month": month, "camp": camp, "articles": n}
            for month in sorted(by_month)
            for camp, n in sorted(by_month[month].items())
        ],
        "surface_forms": dict(forms.most_common(20)),
    }


def mention_counts(store: Store, actors: list[str]) -> dict[str, int]:
    if not actors:
        return {}
    marks = ",".join("?" * len(actors))
    return {
        str(a): int(n)
        for a, n in store.conn.execute(
            f"SELECT actor, count(DISTINCT article_rowid) FROM mentions WHERE actor IN ({marks})"
            " GROUP BY actor",
            actors,
        )
    }


# -- outlets and camps -------------------------------------------------------------------------


def outlet_article_counts(store: Store) -> dict[str, int]:
    return {
        str(o): int(n)
        for o, n in store.conn.execute(
            "SELECT outlet, count(*) FROM articles WHERE duplicate_of IS NULL GROUP BY outlet"
        )
    }


def outlets(store: Store, watch: Watch) -> list[dict[str, Any]]:
    """The watch's registry plus outlets seen only in the data, with their article counts."""
    counts = outlet_article_counts(store)
    seen = {o.id: o for o in store.outlets()}
    merged = {o.id: o for o in watch.outlets}
    for oid, outlet in seen.items():
        merged.setdefault(oid, outlet)
    rows: list[dict[str, Any]] = []
    for o in merged.values():
        rows.append(
            {
                "id": o.id,
                "name": o.name,
                "domains": list(o.domains),
                "country": o.country,
                "languages": list(o.languages),
                "camp": o.camp,
                "ownership": o.ownership,
                "state_affiliated": o.state_affiliated,
                "founded": o.founded,
                "evidence": o.evidence,
                "feeds": list(o.feeds),
                "in_watch": watch.outlet(o.id) is not None,
                "articles": counts.get(o.id, 0),
            }
        )
    rows.sort(key=lambda r: (r["camp"] is None, r["camp"] or "", -r["articles"], r["id"]))
    return rows


def camps(store: Store, watch: Watch) -> list[dict[str, Any]]:
    counts = {
        str(camp): int(n)
        for camp, n in store.conn.execute(
            "SELECT coalesce(o.camp, 'unknown'), count(*) FROM articles a"
            " LEFT JOIN outlets o ON o.id = a.outlet WHERE a.duplicate_of IS NULL GROUP BY 1"
        )
    }
    members = Counter(o.camp for o in watch.outlets)
    rows = [
        {
            "id": cid,
            "label": c.label,
            "description": c.description,
            "color": c.color,
            "outlets": members.get(cid, 0),
            "articles": counts.get(cid, 0),
        }
        for cid, c in watch.camps.items()
    ]
    for cid, n in sorted(counts.items()):
        if cid not in watch.camps:
            rows.append(
                {
                    "id": cid,
                    "label": "No camp (outlet not in the watch)" if cid == "unknown" else cid,
                    "description": "",
                    "color": "",
                    "outlets": 0,
                    "articles": n,
                }
            )
    return rows


# -- feeds (the live monitor's tables, read defensively) ---------------------------------------


def has_feeds(store: Store) -> bool:
    return store.has_table("feeds", "frontier")


def feeds_health(store: Store) -> list[dict[str, Any]] | None:
    """The monitor's feed health rows, or ``None`` when this store has no feed tables."""
    if not has_feeds(store):
        return None
    try:
        from ..monitor.frontier import Frontier

        frontier = Frontier(store)
        return [frontier.health(feed) for feed in frontier.feeds(enabled_only=False)]
    except (ImportError, AttributeError, TypeError, KeyError, sqlite3.Error):
        rows = store.conn.execute("SELECT * FROM feeds ORDER BY id").fetchall()
        return [{k: r[k] for k in r.keys()} for r in rows]  # noqa: SIM118 - sqlite3.Row


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
