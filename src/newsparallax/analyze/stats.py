"""Corpus statistics: counts by outlet, camp, language and month, and store-wide totals."""

from __future__ import annotations

from typing import Any

from ..store.database import Store


def _pairs(store: Store, sql: str) -> dict[str, int]:
    return {str(k) if k is not None else "unknown": int(n) for k, n in store.conn.execute(sql)}


def corpus_stats(store: Store) -> dict[str, Any]:
    """Totals and breakdowns of the stored articles (duplicates counted apart)."""
    c = store.conn
    total = int(c.execute("SELECT count(*) FROM articles").fetchone()[0])
    duplicates = int(
        c.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
    )
    undated = int(c.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0])
    span = c.execute("SELECT min(published), max(published) FROM articles").fetchone()
    flagged = _pairs(
        store,
        "SELECT j.value, count(*) FROM articles, json_each(articles.quality_flags) j"
        " GROUP BY j.value ORDER BY count(*) DESC",
    )
    return {
        "articles": total,
        "duplicates": duplicates,
        "unique": total - duplicates,
        "undated": undated,
        "first_published": span[0],
        "last_published": span[1],
        "outlets": int(c.execute("SELECT count(DISTINCT outlet) FROM articles").fetchone()[0]),
        "by_camp": _pairs(
            store,
            "SELECT o.camp, count(*) FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
            " GROUP BY o.camp ORDER BY count(*) DESC",
        ),
        "by_outlet": _pairs(
            store,
            "SELECT a.outlet, count(*) FROM articles a GROUP BY a.outlet ORDER BY count(*) DESC",
        ),
        "by_language": _pairs(
            store,
            "SELECT language, count(*) FROM articles GROUP BY language ORDER BY count(*) DESC",
        ),
        "by_month": _pairs(
            store,
            "SELECT substr(published, 1, 7) AS m, count(*) FROM articles"
            " WHERE published IS NOT NULL AND date_precision NOT LIKE 'year%'"
            " GROUP BY m ORDER BY m",
        ),
        "quality_flags": flagged,
        "input_errors": int(c.execute("SELECT count(*) FROM input_errors").fetchone()[0]),
        "runs": int(c.execute("SELECT count(*) FROM runs").fetchone()[0]),
        "schema_version": store.version,
    }


def annotation_counts(store: Store) -> dict[str, int]:
    """How many mentions, event reports and theme tags are stored (the API's ``/stats``)."""
    c = store.conn
    return {
        "mentions": int(c.execute("SELECT count(*) FROM mentions").fetchone()[0]),
        "events": int(c.execute("SELECT count(*) FROM events").fetchone()[0]),
        "themes": int(c.execute("SELECT count(*) FROM themes").fetchone()[0]),
    }


def annotation_stats(store: Store, *, top: int = 8) -> dict[str, Any]:
    """:func:`annotation_counts` with the breakdowns the demo prints: the most named actors, the
    distinct events the reports are, the commonest event types."""
    c = store.conn
    return {
        **annotation_counts(store),
        "top_actors": [
            (str(a), int(n))
            for a, n in c.execute(
                "SELECT actor, count(*) FROM mentions GROUP BY actor ORDER BY 2 DESC LIMIT ?",
                (top,),
            )
        ],
        "instances": int(c.execute("SELECT count(DISTINCT instance) FROM events").fetchone()[0]),
        "by_type": [
            (str(t), int(n))
            for t, n in c.execute(
                "SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC LIMIT ?", (top,)
            )
        ],
    }


def corpus_job_stats(store: Store) -> dict[str, int]:
    """What the corpus jobs hold: stories (and those two camps or more told), relation points
    and dyads, open alerts (zeros where a job's tables do not exist yet)."""
    out = {"stories": 0, "multi_camp_stories": 0, "relation_points": 0, "open_alerts": 0}
    c = store.conn
    if store.has_table("stories"):
        count, multi = c.execute(
            "SELECT count(*), coalesce(sum(json_array_length(camps) >= 2), 0) FROM stories"
        ).fetchone()
        out["stories"], out["multi_camp_stories"] = int(count), int(multi)
    if store.has_table("relation_points"):
        out["relation_points"] = int(
            c.execute("SELECT count(*) FROM relation_points").fetchone()[0]
        )
    if store.has_table("alerts"):
        out["open_alerts"] = int(
            c.execute("SELECT count(*) FROM alerts WHERE acked_at IS NULL").fetchone()[0]
        )
    return out


def theme_counts(store: Store) -> dict[str, dict[str, float]]:
    """Articles tagged with each theme and their mean score."""
    return {
        str(theme): {"articles": int(n), "mean_score": round(float(score), 3)}
        for theme, n, score in store.conn.execute(
            "SELECT theme, count(*), avg(score) FROM themes GROUP BY theme"
        )
    }


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
