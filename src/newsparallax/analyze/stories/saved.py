"""Stories in the store: saving a clustering run and restoring open stories (reading them back
is :mod:`.queries`).

Tables (``migrations/0007_stories.sql``): ``stories``, ``story_articles`` (every article a run
looked at, in a story or skipped with a reason), ``story_df`` and ``story_state`` (the IDF counts
and clock the incremental path continues from); ``story_arcs`` and the ``arc_*`` columns of
``stories`` (``migrations/0010_story_arcs.sql``): long-running story lines and each story's link.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from ...store.database import Store
from .arcs import Arc
from .cluster import Clusterer, Params, Story
from .fingerprint import clean_title, headline
from .items import Item, load_items, month_span

ARC_LABEL_TERMS = 12
"""Strongest centroid keys shown with an arc."""


def iso(ts: int) -> str:
    """A timestamp as a stored instant (UTC, ISO 8601)."""
    return datetime.fromtimestamp(ts, UTC).isoformat()


def dumps(value: Any) -> str:
    """Compact JSON for a stored column."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_state(store: Store, params: Params) -> Clusterer:
    """A clusterer primed with the stored IDF counts and clock (empty on a fresh store)."""
    df: Counter[str] = Counter(dict(store.conn.execute("SELECT key, df FROM story_df")))
    state = dict(store.conn.execute("SELECT key, value FROM story_state"))
    totals: Counter[str] = Counter(json.loads(state.get("totals", "{}")))
    clusterer = Clusterer(params, df=df, totals=totals)
    clusterer.clock = int(state.get("clock", "0"))
    for key, first, last, centroid in store.conn.execute(
        "SELECT id, first_seen_ts, last_seen_ts, centroid FROM story_arcs"
        " WHERE centroid IS NOT NULL ORDER BY id"
    ):
        data = json.loads(centroid)
        first, last = data.get("f", first), data.get("l", last)  # of its linked stories
        clusterer.arcs.restore(Arc(key, int(first), int(last), centroid=data["c"], norm=data["n"]))
    return clusterer


def reopen(store: Store, clusterer: Clusterer) -> None:
    """Restore the open stories (with their centroids) that new articles may join. All of
    them: one quiet for longer than the period closes (and is linked to its arc) at the next
    article, as in a rebuild."""
    rows = store.conn.execute(
        "SELECT id, first_seen_ts, last_seen_ts, centroid FROM stories"
        " WHERE status = 'open' AND centroid IS NOT NULL"
    )
    for key, first, last, centroid in rows:
        data = json.loads(centroid)
        story = Story(key, int(first), int(last), centroid=data["c"], norms=data["n"])
        story.profile = data.get("p", {})
        story.count = int(data.get("k", 0))
        story.speakers = data.get("s", {})
        story.specific = data.get("x", {})
        story.scenes = data.get("g", {})
        story.touched = False
        clusterer.restore(story)
    for key, article_id in store.conn.execute(
        "SELECT s.id, a.id FROM stories s JOIN story_articles sa ON sa.story_id = s.id"
        " JOIN articles a ON a.rowid = sa.article_rowid"
        " WHERE s.status = 'open' AND sa.duplicate = 0"
    ):
        clusterer.by_article[article_id] = key


def restore_months(store: Store, clusterer: Clusterer) -> None:
    """Load the closed stories overlapping the months of the uncertain articles about to be
    placed (their centroids rebuilt from their articles with the current IDF), so that an
    article of uncertain date clustered in a later run than its month's stories can join them."""
    wanted: dict[str, tuple[int, int]] = {}
    for month in sorted(clusterer.months):
        lo = month
        hi = month_span(datetime.fromtimestamp(month, UTC))[1]
        for key, first, last in store.conn.execute(
            "SELECT id, first_seen_ts, last_seen_ts FROM stories WHERE status = 'closed'"
            " AND first_seen_ts < ? AND last_seen_ts >= ?",
            (hi, lo),
        ):
            if key not in clusterer.stories:
                wanted[key] = (int(first), int(last))
    if not wanted:
        return
    members: dict[str, list[int]] = {}
    for key in wanted:
        members[key] = [
            r[0]
            for r in store.conn.execute(
                "SELECT article_rowid FROM story_articles WHERE story_id = ? AND duplicate = 0",
                (key,),
            )
        ]
    rowids = sorted({r for rows in members.values() for r in rows})
    items: dict[int, Item] = {}
    for start in range(0, len(rowids), 500):
        chunk = rowids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for item in load_items(store, where=f"a.rowid IN ({marks})", params=tuple(chunk)):
            items[item.rowid] = item
    for key, (first, last) in sorted(wanted.items()):
        story = Story(key, first, last)
        mine = [items[r] for r in members[key] if r in items]
        story.uncertain = bool(mine) and all(i.span is not None for i in mine)
        for item in mine:
            story.members.append((item.rowid, None, False))
            clusterer._absorb(story, clusterer.vectors(item), index=False)
        story.count = len(mine)
        story.touched = False
        clusterer.restore_closed(story)


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
        rows: list[
            tuple[int, str | None, float | None, float | None, int, str | None, str | None]
        ] = []
        for rowid, item in items.items():
            if rowid in member_of:
                key, sim, dup = member_of[rowid]
                story = clusterer.stories[key]
                central = None if dup else round(clusterer.centrality(item, story), 4)
                rows.append((rowid, key, sim, central, int(dup), None, item.kind))
            else:
                rows.append((rowid, None, None, None, 0, item.skip or "not clustered", None))
        conn.executemany(
            "INSERT OR REPLACE INTO story_articles(article_rowid, story_id, similarity,"
            " centrality, duplicate, skipped, kind) VALUES (?,?,?,?,?,?,?)",
            rows,
        )
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched(id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM touched")
        conn.executemany("INSERT INTO touched(id) VALUES (?)", [(s.key,) for s in touched])
        _fresh_statistics(store, "stories", "story_articles", "touched")
        conn.execute(_AGGREGATE)
        conn.executemany(
            "UPDATE stories SET label = ?, label_article = ? WHERE id = ?",
            [(label, aid, key) for key, (label, aid) in _labels(conn).items()],
        )
        conn.executemany(
            "UPDATE stories SET centroid = ? WHERE id = ?",
            [
                (
                    None
                    if s.closed
                    else dumps(
                        {
                            "c": s.centroid,
                            "n": s.norms,
                            "p": s.profile,
                            "k": s.count,
                            "s": s.speakers,
                            "x": s.specific,
                            "g": s.scenes,
                        }
                    ),
                    s.key,
                )
                for s in touched
            ],
        )
        _save_arcs(store, clusterer, params=params, now=now)
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


def _save_arcs(store: Store, clusterer: Clusterer, *, params: Params, now: str) -> None:
    """Write the arcs part of a run: links of the stories closed in it (for good) and of every
    open story (provisional), merges, touched arcs, and the aggregates and labels of the arcs
    whose membership changed. Runs inside :func:`save`'s transaction, after the stories."""
    conn = store.conn
    linker = clusterer.arcs
    for gone, kept in linker.merged:
        conn.execute("UPDATE stories SET arc_id = ? WHERE arc_id = ?", (kept, gone))
        conn.execute("DELETE FROM story_arcs WHERE id = ?", (gone,))
    linker.merged.clear()
    for key in sorted(clusterer.open):
        linker.provisional(clusterer.stories[key])
    affected = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT arc_id FROM stories WHERE arc_final = 0 AND arc_id IS NOT NULL"
        )
    }
    written = [s for s in clusterer.stories.values() if s.arc and (s.touched or not s.closed)]
    rows = []
    for s in written:
        arc_id = linker.resolve(s.arc or "")
        affected.add(arc_id)
        rows.append((arc_id, s.arc_similarity, int(s.arc_final), dumps(s.arc_vector), s.key))
    conn.executemany(
        "UPDATE stories SET arc_id = ?, arc_similarity = ?, arc_final = ?, arc_vector = ?"
        " WHERE id = ?",
        rows,
    )
    conn.execute("DELETE FROM story_arcs WHERE centroid IS NULL")
    touched_arcs = [a for a in linker.arcs.values() if a.touched]
    affected.update(a.key for a in touched_arcs)
    conn.executemany(
        "INSERT INTO story_arcs(id, first_seen, first_seen_ts, last_seen, last_seen_ts, terms,"
        " centroid, builder, updated_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE"
        " SET terms = excluded.terms, centroid = excluded.centroid, builder = excluded.builder,"
        " updated_at = excluded.updated_at",
        [
            (
                a.key,
                iso(a.first_ts),
                a.first_ts,
                iso(a.last_ts),
                a.last_ts,
                dumps(arc_terms(a.centroid)),
                dumps({"c": a.centroid, "n": a.norm, "f": a.first_ts, "l": a.last_ts}),
                params.describe(),
                now,
            )
            for a in touched_arcs
        ],
    )
    provisional = [s for s in written if not s.closed and s.arc not in linker.arcs]
    conn.executemany(
        "INSERT OR IGNORE INTO story_arcs(id, first_seen, first_seen_ts, last_seen,"
        " last_seen_ts, terms, centroid, builder, updated_at) VALUES (?,?,?,?,?,?,NULL,?,?)",
        [
            (
                s.arc,
                iso(s.first_ts),
                s.first_ts,
                iso(s.last_ts),
                s.last_ts,
                dumps(arc_terms(s.arc_vector)),
                params.describe(),
                now,
            )
            for s in provisional
        ],
    )
    for a in touched_arcs:
        a.touched = False
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_arcs(id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM touched_arcs")
    conn.executemany("INSERT OR IGNORE INTO touched_arcs(id) VALUES (?)", [(k,) for k in affected])
    _fresh_statistics(store, "stories", "story_arcs", "touched_arcs")
    conn.execute(_AGGREGATE_ARCS)
    conn.execute("DELETE FROM story_arcs WHERE id IN (SELECT id FROM touched_arcs) AND stories = 0")
    _label_arcs(conn, linker.arcs)


def arc_terms(centroid: dict[str, float], n: int = ARC_LABEL_TERMS) -> list[str]:
    """The strongest readable keys of an arc centroid: words and actor ids (name skeletons
    are for matching, not reading)."""
    ranked = sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))
    out: list[str] = []
    for key, _ in ranked:
        if key.startswith("w:"):
            word = key.split(":", 2)[2]
        elif key.startswith("a:") and not key.startswith("a:e:"):
            word = key[2:]
        else:
            continue
        if word not in out:
            out.append(word)
        if len(out) >= n:
            break
    return out


def _label_arcs(conn: Any, arcs: dict[str, Arc]) -> None:
    """Centrality of each story of the touched arcs (cosine of its arc vector with the arc's
    centroid) and each arc's label: the label of its most central story (then the largest)."""
    members: dict[str, list[Any]] = {}
    for row in conn.execute(
        "SELECT arc_id, id, arc_vector, label, label_article, articles, first_seen_ts"
        " FROM stories WHERE arc_id IN (SELECT id FROM touched_arcs)"
    ):
        members.setdefault(row[0], []).append(row)
    centrality: list[tuple[float | None, str]] = []
    labels = []
    for arc_id, rows in members.items():
        arc = arcs.get(arc_id)
        scored = []
        for r in rows:
            vec = json.loads(r[2]) if r[2] else {}
            if arc is not None and arc.norm:
                c = sum(v * arc.centroid.get(k, 0.0) for k, v in vec.items()) / arc.norm
            else:
                c = 1.0 if vec else 0.0
            centrality.append((round(c, 4), r[1]))
            scored.append((c, r))
        best = min(scored, key=lambda cr: (-round(cr[0], 4), -(cr[1][5] or 0), cr[1][6], cr[1][1]))
        labels.append((best[1][3], best[1][1], best[1][4], arc_id))
    conn.executemany("UPDATE stories SET arc_centrality = ? WHERE id = ?", centrality)
    conn.executemany(
        "UPDATE story_arcs SET label = ?, label_story = ?, label_article = ? WHERE id = ?", labels
    )


def _fresh_statistics(store: Store, *tables: str) -> None:
    """On PostgreSQL, statistics for ``tables`` just filled in this transaction: without them
    the planner takes a story or arc for thousands of rows and scans every membership once per
    story (a first clustering of 49k articles ran for over 10 minutes in one aggregate update).
    SQLite plans these by their indexes."""
    if store.dialect == "postgresql":
        for table in tables:
            store.conn.execute(f"ANALYZE {table}")


_AGGREGATE_ARCS = """
UPDATE story_arcs SET
    stories = (SELECT count(*) FROM stories s WHERE s.arc_id = story_arcs.id),
    articles = (SELECT coalesce(sum(s.articles), 0) FROM stories s
                WHERE s.arc_id = story_arcs.id),
    duplicates = (SELECT coalesce(sum(s.duplicates), 0) FROM stories s
                  WHERE s.arc_id = story_arcs.id),
    first_seen_ts = coalesce((SELECT min(s.first_seen_ts) FROM stories s
                              WHERE s.arc_id = story_arcs.id), first_seen_ts),
    first_seen = coalesce((SELECT s.first_seen FROM stories s WHERE s.arc_id = story_arcs.id
                           ORDER BY s.first_seen_ts LIMIT 1), first_seen),
    last_seen_ts = coalesce((SELECT max(s.last_seen_ts) FROM stories s
                             WHERE s.arc_id = story_arcs.id), last_seen_ts),
    last_seen = coalesce((SELECT s.last_seen FROM stories s WHERE s.arc_id = story_arcs.id
                          ORDER BY s.last_seen_ts DESC LIMIT 1), last_seen),
    outlets = (SELECT count(DISTINCT a.outlet) FROM stories s
               JOIN story_articles sa ON sa.story_id = s.id
               JOIN articles a ON a.rowid = sa.article_rowid WHERE s.arc_id = story_arcs.id),
    camps = (SELECT coalesce(json_group_array(DISTINCT o.camp), '[]') FROM stories s
             JOIN story_articles sa ON sa.story_id = s.id
             JOIN articles a ON a.rowid = sa.article_rowid JOIN outlets o ON o.id = a.outlet
             WHERE s.arc_id = story_arcs.id AND sa.duplicate = 0 AND o.camp IS NOT NULL),
    languages = (SELECT coalesce(json_group_array(DISTINCT a.language), '[]') FROM stories s
                 JOIN story_articles sa ON sa.story_id = s.id
                 JOIN articles a ON a.rowid = sa.article_rowid WHERE s.arc_id = story_arcs.id)
WHERE id IN (SELECT id FROM touched_arcs)
"""


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
