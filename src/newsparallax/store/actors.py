"""Who is mentioned, how often: the most named actors (overall and by camp), one actor's
mentions by camp and month with the forms seen, and article counts for a list of actors.

Counts are of unique articles: duplicates (syndicated copies) are left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .database import Store


def _has_actor_counts(store: Store) -> bool:
    return store.has_table("actor_counts")


def top_actors_by_camp(store: Store, *, per_camp: int = 5) -> dict[str, list[tuple[str, int]]]:
    """For each camp, the actors mentioned in the most (unique) articles."""
    if _has_actor_counts(store):  # pre-aggregated (migration 13): an article has one outlet
        sql = (
            "SELECT coalesce(o.camp, 'unknown') AS camp, c.actor, sum(c.articles) AS n"
            " FROM actor_counts c LEFT JOIN outlets o ON o.id = c.outlet"
            " WHERE c.articles > 0 GROUP BY camp, c.actor"
        )
    else:
        sql = (
            "SELECT coalesce(o.camp, 'unknown') AS camp, m.actor,"
            " count(DISTINCT m.article_rowid) AS n"
            " FROM mentions m JOIN articles a ON a.rowid = m.article_rowid"
            " LEFT JOIN outlets o ON o.id = a.outlet WHERE a.duplicate_of IS NULL"
            " GROUP BY camp, m.actor"
        )
    rows = store.conn.execute(sql).fetchall()
    by_camp: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for camp, actor, n in rows:
        by_camp[str(camp)].append((str(actor), int(n)))
    return {
        camp: sorted(pairs, key=lambda p: (-p[1], p[0]))[:per_camp]
        for camp, pairs in sorted(by_camp.items())
    }


def top_actors(store: Store, *, limit: int) -> list[tuple[str, int]]:
    if _has_actor_counts(store):
        sql = (
            "SELECT actor, sum(articles) AS n FROM actor_counts GROUP BY actor"
            " HAVING sum(articles) > 0 ORDER BY n DESC, actor LIMIT ?"
        )
    else:
        sql = (
            "SELECT m.actor, count(DISTINCT m.article_rowid) AS n FROM mentions m"
            " JOIN articles a ON a.rowid = m.article_rowid WHERE a.duplicate_of IS NULL"
            " GROUP BY m.actor ORDER BY n DESC, m.actor LIMIT ?"
        )
    rows = store.conn.execute(sql, (limit,)).fetchall()
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
