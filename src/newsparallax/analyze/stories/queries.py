"""Stories in the store read back: lists and pages of stories and arcs (with their filters), a
story's head and span for other views, the articles still waiting to be clustered, and which
camps have clustered articles in a window (no data is not a blindspot). Saving a run is
:mod:`.saved`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from ...annotate.dates import format_date
from ...records import DatePrecision
from ...store.database import Store
from .cues import REPORT, kind_of
from .items import month_span


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Filters for :func:`list_stories`."""

    since: int | None = None
    until: int | None = None
    camp: str | None = None
    min_camps: int = 1
    min_articles: int = 2
    limit: int = 50
    ids: tuple[str, ...] = ()


class StoryHead(NamedTuple):
    """What a list needs to name a story: its label (the most central headline, white space
    folded) and its size in articles."""

    label: str
    articles: int


def story_heads(store: Store, ids: Iterable[str]) -> dict[str, StoryHead]:
    """The label and size of each story, by id (stories unknown, or no stories built yet: left
    out): the one lookup behind every list that names stories."""
    wanted = sorted(set(ids))
    if not wanted or not store.has_table("stories"):
        return {}
    rows = store.conn.execute(
        f"SELECT id, label, articles FROM stories WHERE id IN ({','.join('?' * len(wanted))})",
        wanted,
    )
    return {str(r[0]): StoryHead(" ".join(str(r[1] or "").split()), int(r[2])) for r in rows}


def story_span(store: Store, story_id: str) -> tuple[int, int] | None:
    """The first and last publication instants (Unix seconds) of a story, ``None`` if unknown."""
    row = store.conn.execute(
        "SELECT first_seen_ts, last_seen_ts FROM stories WHERE id = ?", (story_id,)
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def pending(store: Store) -> int:
    """Stored articles no clustering run has looked at yet."""
    row = store.conn.execute(
        "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article_rowid FROM"
        " story_articles)"
    ).fetchone()
    return int(row[0])


def _filters(table: str, query: StoryQuery) -> tuple[str, list[Any]]:
    """The SQL condition and parameters of ``query`` over ``stories`` or ``story_arcs``."""
    where = ["articles >= ?", "json_array_length(camps) >= ?"]
    params: list[Any] = [query.min_articles, query.min_camps]
    if query.since is not None:
        where.append("last_seen_ts >= ?")
        params.append(query.since)
    if query.until is not None:
        where.append("first_seen_ts <= ?")
        params.append(query.until)
    if query.camp:
        where.append(f"EXISTS (SELECT 1 FROM json_each({table}.camps) j WHERE j.value = ?)")
        params.append(query.camp)
    if query.ids:
        where.append(f"id IN ({','.join('?' * len(query.ids))})")
        params.extend(query.ids)
    return " AND ".join(where), params


def list_stories(
    store: Store, query: StoryQuery, *, members: int | None = None
) -> list[dict[str, Any]]:
    """Stories matching ``query``, most camps first then most articles, with their first
    ``members`` articles by date (``None``: all; ``0``: none, and no article ids in the
    coverage either — a list that shows counts need not read thousands of articles)."""
    where, params = _filters("stories", query)
    # the ids first: sorting only them, not every whole row that passes, is ~3x faster on a
    # store of 50k stories
    ids = [
        str(r[0])
        for r in store.conn.execute(
            f"SELECT id FROM stories WHERE {where} ORDER BY"
            " json_array_length(camps) DESC, articles DESC, first_seen_ts, id LIMIT ?",
            [*params, query.limit],
        )
    ]
    if not ids:
        return []
    by_id = {
        str(row["id"]): row
        for row in store.conn.execute(
            f"SELECT * FROM stories WHERE id IN ({','.join('?' * len(ids))})", ids
        )
    }
    return [_story_dict(store, by_id[i], articles=members) for i in ids if i in by_id]


def get_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story with its timeline, coverage by camp, themes and most named actors."""
    row = store.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    story = _story_dict(store, row)
    rowids = [a["rowid"] for a in story["articles"] if not a["duplicate_of"]]
    marks = ",".join("?" * len(rowids)) or "NULL"
    story["themes"] = {
        theme: n
        for theme, n in store.conn.execute(
            f"SELECT theme, count(DISTINCT article_rowid) FROM themes WHERE article_rowid IN"
            f" ({marks}) GROUP BY theme ORDER BY 2 DESC",
            rowids,
        )
    }
    story["actors"] = [
        {"actor": actor, "articles": n}
        for actor, n in store.conn.execute(
            f"SELECT actor, count(DISTINCT article_rowid) FROM mentions WHERE article_rowid IN"
            f" ({marks}) AND actor NOT LIKE 'unknown:%' GROUP BY actor ORDER BY 2 DESC LIMIT 15",
            rowids,
        )
    ]
    story["arc"] = None
    if row["arc_id"]:
        arc = store.conn.execute(
            "SELECT id, label, first_seen, last_seen, stories, articles, camps FROM story_arcs"
            " WHERE id = ?",
            (row["arc_id"],),
        ).fetchone()
        story["arc"] = {
            "id": row["arc_id"],
            "label": arc["label"] if arc else "",
            "first_seen": arc["first_seen"] if arc else None,
            "last_seen": arc["last_seen"] if arc else None,
            "story_count": arc["stories"] if arc else 1,
            "article_count": arc["articles"] if arc else row["articles"],
            "camps": json.loads(arc["camps"]) if arc else [],
            "similarity": row["arc_similarity"],
            "centrality": row["arc_centrality"],
            "final": bool(row["arc_final"]),
        }
    return story


def list_arcs(store: Store, query: StoryQuery) -> list[dict[str, Any]]:
    """Arcs matching ``query`` (``min_articles`` counts the arc's articles), most articles
    first, each with its stories (not their articles)."""
    where, params = _filters("story_arcs", query)
    rows = store.conn.execute(
        f"SELECT * FROM story_arcs WHERE {where} ORDER BY articles DESC,"
        " json_array_length(camps) DESC, first_seen_ts LIMIT ?",
        [*params, query.limit],
    ).fetchall()
    return [_arc_dict(store, row) for row in rows]


def get_arc(store: Store, arc_id: str) -> dict[str, Any] | None:
    """One arc with the timeline of its stories."""
    row = store.conn.execute("SELECT * FROM story_arcs WHERE id = ?", (arc_id,)).fetchone()
    return None if row is None else _arc_dict(store, row)


def _arc_dict(store: Store, row: Any) -> dict[str, Any]:
    stories = [
        {
            "id": s["id"],
            "label": s["label"],
            "first_seen": s["first_seen"],
            "last_seen": s["last_seen"],
            "status": s["status"],
            "article_count": s["articles"],
            "camps": json.loads(s["camps"]),
            "similarity": s["arc_similarity"],
            "centrality": s["arc_centrality"],
            "final": bool(s["arc_final"]),
        }
        for s in store.conn.execute(
            "SELECT id, label, first_seen, last_seen, status, articles, camps, arc_similarity,"
            " arc_centrality, arc_final FROM stories WHERE arc_id = ? ORDER BY first_seen_ts, id",
            (row["id"],),
        )
    ]
    return {
        "id": row["id"],
        "label": row["label"],
        "label_story": row["label_story"],
        "label_article": row["label_article"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "provisional": row["centroid"] is None,
        "story_count": row["stories"],
        "article_count": row["articles"],
        "duplicates": row["duplicates"],
        "outlet_count": row["outlets"],
        "camps": json.loads(row["camps"]),
        "languages": json.loads(row["languages"]),
        "terms": json.loads(row["terms"]),
        "stories": stories,
    }


_VAGUE = ("month", "year")


def camps_with_data(
    store: Store, *, since: int | None = None, until: int | None = None
) -> dict[str, int]:
    """Camps with articles clustered into stories (that is, with a date known at least to the
    month) in ``[since, until]`` (Unix seconds, inclusive; ``None``: open), and how many: a camp
    missing here had nothing the story clustering could place in that window, so its absence
    from a story is "no data", not a blindspot. An article dated to a month counts when its
    month overlaps the window. Articles without a camp count under ``unknown``."""
    if not store.has_table("story_articles"):
        return {}
    lo = since if since is not None else -(2**62)
    hi = until if until is not None else 2**62
    rows = store.conn.execute(
        "SELECT coalesce(o.camp, 'unknown'), a.published_ts, a.date_precision, count(*)"
        " FROM story_articles sa JOIN articles a ON a.rowid = sa.article_rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE sa.story_id IS NOT NULL AND sa.duplicate = 0 AND a.published_ts IS NOT NULL"
        " AND a.published_ts <= ? AND a.published_ts >= ?"
        " GROUP BY 1, 2, 3",
        (hi, lo - 32 * 86_400),
    )
    out: Counter[str] = Counter()
    for camp, ts, precision, n in rows:
        start, end = int(ts), int(ts) + 1
        if precision and str(precision).removesuffix("-estimated") == "month":
            start, end = month_span(datetime.fromtimestamp(int(ts), UTC))
        if start <= hi and end > lo:
            out[str(camp)] += int(n)
    return dict(out.most_common())


_UNCERTAIN_SQL = (
    "a.published IS NULL OR a.date_precision IN"
    " ('month', 'month-estimated', 'year', 'year-estimated')"
)


def _story_summary(store: Store, row: Any, *, ids: bool) -> dict[str, Any]:
    """A story's fields without its articles: coverage by camp (articles, outlets and, with
    ``ids``, the ids of its articles in date order), members of uncertain date and the story's
    kind, summed in SQL over its members."""
    coverage: dict[str, dict[str, Any]] = {}
    uncertain = unique = 0
    for camp, outlet, duplicate, n, vague in store.conn.execute(
        f"SELECT coalesce(o.camp, 'unknown'), a.outlet, sa.duplicate, count(*),"
        f" sum(CASE WHEN {_UNCERTAIN_SQL} THEN 1 ELSE 0 END) FROM story_articles sa"
        " JOIN articles a ON a.rowid = sa.article_rowid LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE sa.story_id = ? GROUP BY 1, 2, 3",
        (row["id"],),
    ):
        uncertain += int(vague or 0)
        if duplicate:
            continue
        unique += int(n)
        cov = coverage.setdefault(str(camp), {"articles": 0, "outlets": set(), "article_ids": []})
        cov["articles"] += int(n)
        cov["outlets"].add(outlet)
    kind = REPORT
    if unique == 1:
        one = store.conn.execute(
            "SELECT sa.kind, a.title, a.summary FROM story_articles sa JOIN articles a"
            " ON a.rowid = sa.article_rowid WHERE sa.story_id = ? AND sa.duplicate = 0",
            (row["id"],),
        ).fetchone()
        kind = one[0] or kind_of(one[1] or "", one[2] or "")
    if ids:
        for camp, article in store.conn.execute(
            "SELECT coalesce(o.camp, 'unknown'), a.id FROM story_articles sa JOIN articles a"
            " ON a.rowid = sa.article_rowid LEFT JOIN outlets o ON o.id = a.outlet"
            " WHERE sa.story_id = ? AND sa.duplicate = 0 ORDER BY a.published_ts, a.rowid",
            (row["id"],),
        ):
            coverage[str(camp)]["article_ids"].append(article)
    return {
        **_story_head(row),
        "uncertain_articles": uncertain,
        "kind": kind,
        "coverage": {
            camp: {**c, "outlets": sorted(c["outlets"])} for camp, c in sorted(coverage.items())
        },
        "articles": [],
    }


def _story_head(row: Any) -> dict[str, Any]:
    """The fields of a story of its own row."""
    return {
        "id": row["id"],
        "label": row["label"],
        "label_article": row["label_article"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "status": row["status"],
        "article_count": row["articles"],
        "duplicates": row["duplicates"],
        "outlet_count": row["outlets"],
        "camps": json.loads(row["camps"]),
        "languages": json.loads(row["languages"]),
        "arc_id": row["arc_id"],
    }


def _story_dict(store: Store, row: Any, *, articles: int | None = None) -> dict[str, Any]:
    """A story with its first ``articles`` members by date (``None``: all; ``0``: none, and
    no article ids in its coverage)."""
    # the ids in the coverage: read apart only when not every member is read below
    story = _story_summary(store, row, ids=articles is not None and articles > 0)
    if articles == 0:
        return story
    members = []
    for a in store.conn.execute(
        "SELECT a.rowid, a.id, a.url, a.outlet, o.name AS outlet_name, o.camp, a.language,"
        " a.published, a.date_precision, a.title, a.summary, a.duplicate_of, sa.similarity,"
        " sa.centrality, sa.duplicate, sa.kind FROM story_articles sa"
        " JOIN articles a ON a.rowid = sa.article_rowid LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE sa.story_id = ? ORDER BY a.published_ts, a.rowid"
        + ("" if articles is None else " LIMIT ?"),
        (row["id"],) if articles is None else (row["id"], articles),
    ):
        precision = DatePrecision(a["date_precision"]) if a["date_precision"] else None
        published = datetime.fromisoformat(a["published"]) if a["published"] else None
        uncertain = published is None or (precision is not None and precision.unit in _VAGUE)
        members.append(
            {
                "id": a["id"],
                "rowid": a["rowid"],
                "url": a["url"],
                "outlet": a["outlet"],
                "outlet_name": a["outlet_name"],
                "camp": a["camp"],
                "language": a["language"],
                "published": format_date(published, precision),
                "title": a["title"] or (a["summary"] or "")[:120],
                "similarity": a["similarity"],
                "centrality": a["centrality"],
                "duplicate_of": a["duplicate_of"] if a["duplicate"] else None,
                "date_uncertain": uncertain,
                # as the story job took it (rows saved before it kept kinds: matched here)
                "kind": a["kind"] or kind_of(a["title"] or "", a["summary"] or ""),
            }
        )
    if articles is None:  # every member read: the coverage's ids in the same date order
        for a in members:
            if not a["duplicate_of"]:
                story["coverage"][a["camp"] or "unknown"]["article_ids"].append(a["id"])
    story["articles"] = members
    return story
