"""Stories in the store: saving a clustering run, restoring open stories, and reading them back.

Tables (``migrations/0007_stories.sql``): ``stories``, ``story_articles`` (every article a run
looked at, in a story or skipped with a reason), ``story_df`` and ``story_state`` (the IDF counts
and clock the incremental path continues from).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .dates import format_date
from .fingerprint import clean_title, headline
from .records import DatePrecision
from .store import Store
from .stories import Clusterer, Item, Params, Story, dumps, iso


def load_state(store: Store, params: Params) -> Clusterer:
    """A clusterer primed with the stored IDF counts and clock (empty on a fresh store)."""
    df: Counter[str] = Counter(dict(store.conn.execute("SELECT key, df FROM story_df")))
    state = dict(store.conn.execute("SELECT key, value FROM story_state"))
    totals: Counter[str] = Counter(json.loads(state.get("totals", "{}")))
    clusterer = Clusterer(params, df=df, totals=totals)
    clusterer.clock = int(state.get("clock", "0"))
    return clusterer


def reopen(store: Store, clusterer: Clusterer, *, since_ts: int) -> None:
    """Restore the open stories (with their centroids) that new articles may join."""
    rows = store.conn.execute(
        "SELECT id, first_seen_ts, last_seen_ts, centroid FROM stories"
        " WHERE status = 'open' AND centroid IS NOT NULL AND last_seen_ts >= ?",
        (since_ts,),
    )
    for key, first, last, centroid in rows:
        data = json.loads(centroid)
        story = Story(key, int(first), int(last), centroid=data["c"], norms=data["n"])
        story.touched = False
        clusterer.restore(story)
    for (key,) in store.conn.execute(
        "SELECT id FROM stories WHERE status = 'open' AND last_seen_ts >= ?", (since_ts,)
    ):
        for (article_id,) in store.conn.execute(
            "SELECT a.id FROM story_articles sa JOIN articles a ON a.rowid = sa.article_rowid"
            " WHERE sa.story_id = ? AND sa.duplicate = 0",
            (key,),
        ):
            clusterer.by_article[article_id] = key


def save(store: Store, clusterer: Clusterer, *, items: dict[int, Item], params: Params) -> None:
    """Write what a run did: memberships, touched stories and their aggregates, IDF, clock."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn = store.conn
    member_of: dict[int, tuple[str, float | None, bool]] = {}
    touched = [s for s in clusterer.stories.values() if s.touched]
    for story in touched:
        for rowid, sim, dup in story.members:
            member_of[rowid] = (story.key, sim, dup)
    with store.transaction():
        conn.executemany(
            "INSERT INTO stories(id, first_seen, first_seen_ts, last_seen, last_seen_ts, status,"
            " builder, updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
            " first_seen = excluded.first_seen, first_seen_ts = excluded.first_seen_ts,"
            " last_seen = excluded.last_seen, last_seen_ts = excluded.last_seen_ts,"
            " status = excluded.status, builder = excluded.builder,"
            " updated_at = excluded.updated_at",
            [
                (
                    s.key,
                    iso(s.first_ts),
                    s.first_ts,
                    iso(s.last_ts),
                    s.last_ts,
                    "closed" if s.closed else "open",
                    params.describe(),
                    now,
                )
                for s in touched
            ],
        )
        rows: list[tuple[int, str | None, float | None, float | None, int, str | None]] = []
        for rowid, item in items.items():
            if rowid in member_of:
                key, sim, dup = member_of[rowid]
                story = clusterer.stories[key]
                central = None if dup else round(clusterer.centrality(item, story), 4)
                rows.append((rowid, key, sim, central, int(dup), None))
            else:
                rows.append((rowid, None, None, None, 0, item.skip or "not clustered"))
        conn.executemany(
            "INSERT OR REPLACE INTO story_articles(article_rowid, story_id, similarity,"
            " centrality, duplicate, skipped) VALUES (?,?,?,?,?,?)",
            rows,
        )
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched(id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM touched")
        conn.executemany("INSERT INTO touched(id) VALUES (?)", [(s.key,) for s in touched])
        conn.execute(_AGGREGATE)
        conn.executemany(
            "UPDATE stories SET label = ?, label_article = ? WHERE id = ?",
            [(label, aid, key) for key, (label, aid) in _labels(conn).items()],
        )
        conn.executemany(
            "UPDATE stories SET centroid = ? WHERE id = ?",
            [
                (None if s.closed else dumps({"c": s.centroid, "n": s.norms}), s.key)
                for s in touched
            ],
        )
        conn.execute("DELETE FROM story_df")
        conn.executemany("INSERT INTO story_df(key, df) VALUES (?, ?)", list(clusterer.df.items()))
        conn.executemany(
            "INSERT OR REPLACE INTO story_state(key, value) VALUES (?, ?)",
            [
                ("totals", dumps(dict(clusterer.totals))),
                ("clock", str(clusterer.clock)),
                ("builder", params.describe()),
                ("updated_at", now),
            ],
        )
    for story in touched:
        story.touched = False


def _labels(conn: Any) -> dict[str, tuple[str, str]]:
    """The most central headline of each touched story, among articles in its main language."""
    members: dict[str, list[Any]] = {}
    for row in conn.execute(
        "SELECT sa.story_id, a.id, a.language, a.title, a.summary, a.text, sa.centrality,"
        " a.published_ts FROM story_articles sa JOIN articles a ON a.rowid = sa.article_rowid"
        " WHERE sa.story_id IN (SELECT id FROM touched) AND sa.duplicate = 0"
    ):
        members.setdefault(row[0], []).append(row)
    out = {}
    for key, rows in members.items():
        main = Counter(r[2] for r in rows).most_common(1)[0][0]
        best = min(
            rows,
            key=lambda r: (r[2] != main, not r[3], -(r[6] or 0.0), r[7] or 0),
        )
        label = clean_title(best[3]) if best[3] else headline(best[4] or best[5])
        out[key] = (label, best[1])
    return out


_AGGREGATE = """
UPDATE stories SET
    articles = (SELECT count(*) FROM story_articles sa
                WHERE sa.story_id = stories.id AND sa.duplicate = 0),
    duplicates = (SELECT count(*) FROM story_articles sa
                  WHERE sa.story_id = stories.id AND sa.duplicate = 1),
    outlets = (SELECT count(DISTINCT a.outlet) FROM story_articles sa
               JOIN articles a ON a.rowid = sa.article_rowid WHERE sa.story_id = stories.id),
    camps = (SELECT coalesce(json_group_array(DISTINCT o.camp), '[]') FROM story_articles sa
             JOIN articles a ON a.rowid = sa.article_rowid JOIN outlets o ON o.id = a.outlet
             WHERE sa.story_id = stories.id AND o.camp IS NOT NULL),
    languages = (SELECT coalesce(json_group_array(DISTINCT a.language), '[]')
                 FROM story_articles sa JOIN articles a ON a.rowid = sa.article_rowid
                 WHERE sa.story_id = stories.id)
WHERE id IN (SELECT id FROM touched)
"""


# -- reading ------------------------------------------------------------------------------------


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


def pending(store: Store) -> int:
    """Stored articles no clustering run has looked at yet."""
    row = store.conn.execute(
        "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article_rowid FROM"
        " story_articles)"
    ).fetchone()
    return int(row[0])


def list_stories(store: Store, query: StoryQuery) -> list[dict[str, Any]]:
    """Stories matching ``query``, most camps first then most articles, with their articles."""
    where = ["articles >= ?", "json_array_length(camps) >= ?"]
    params: list[Any] = [query.min_articles, query.min_camps]
    if query.since is not None:
        where.append("last_seen_ts >= ?")
        params.append(query.since)
    if query.until is not None:
        where.append("first_seen_ts <= ?")
        params.append(query.until)
    if query.camp:
        where.append("EXISTS (SELECT 1 FROM json_each(stories.camps) j WHERE j.value = ?)")
        params.append(query.camp)
    if query.ids:
        where.append(f"id IN ({','.join('?' * len(query.ids))})")
        params.extend(query.ids)
    rows = store.conn.execute(
        "SELECT * FROM stories WHERE " + " AND ".join(where) + " ORDER BY"
        " json_array_length(camps) DESC, articles DESC, first_seen_ts LIMIT ?",
        [*params, query.limit],
    ).fetchall()
    return [_story_dict(store, row) for row in rows]


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
    return story


def _story_dict(store: Store, row: Any) -> dict[str, Any]:
    articles = []
    coverage: dict[str, dict[str, Any]] = {}
    for a in store.conn.execute(
        "SELECT a.rowid, a.id, a.url, a.outlet, o.name AS outlet_name, o.camp, a.language,"
        " a.published, a.date_precision, a.title, a.summary, a.duplicate_of, sa.similarity,"
        " sa.centrality, sa.duplicate FROM story_articles sa"
        " JOIN articles a ON a.rowid = sa.article_rowid LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE sa.story_id = ? ORDER BY a.published_ts, a.rowid",
        (row["id"],),
    ):
        precision = DatePrecision(a["date_precision"]) if a["date_precision"] else None
        published = datetime.fromisoformat(a["published"]) if a["published"] else None
        articles.append(
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
            }
        )
        if a["duplicate"]:
            continue
        cov = coverage.setdefault(
            a["camp"] or "unknown", {"articles": 0, "outlets": set(), "article_ids": []}
        )
        cov["articles"] += 1
        cov["outlets"].add(a["outlet"])
        cov["article_ids"].append(a["id"])
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
        "coverage": {
            camp: {**c, "outlets": sorted(c["outlets"])} for camp, c in sorted(coverage.items())
        },
        "articles": articles,
    }
