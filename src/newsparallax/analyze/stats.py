"""Corpus statistics: counts by outlet, camp, language and month, and store-wide totals."""

from __future__ import annotations

from typing import Any

from ..store.database import Store


def _pairs(store: Store, sql: str) -> dict[str, int]:
    return {str(k) if k is not None else "unknown": int(n) for k, n in store.conn.execute(sql)}


def has_counts(store: Store) -> bool:
    """Whether the store keeps the pre-aggregated counts (migration 13; a store opened read-only
    may predate them)."""
    return store.has_table("article_counts", "quality_flag_counts", "actor_counts")


def corpus_stats(store: Store) -> dict[str, Any]:
    """Totals and breakdowns of the stored articles (duplicates counted apart)."""
    if has_counts(store):
        return _counted_stats(store)
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


def _counted_stats(store: Store) -> dict[str, Any]:
    """:func:`corpus_stats` from the pre-aggregated counts: the same answer, read from a few
    hundred rows instead of every article (ties in the orderings broken by key)."""
    c = store.conn
    total, duplicates, undated, first, last, outlets = c.execute(
        "SELECT coalesce(sum(articles), 0), coalesce(sum(CASE WHEN duplicate = 1 THEN articles"
        " ELSE 0 END), 0), coalesce(sum(CASE WHEN dated = 0 THEN articles ELSE 0 END), 0),"
        " min(first_published), max(last_published), count(DISTINCT outlet)"
        " FROM article_counts"
    ).fetchone()
    return {
        "articles": int(total),
        "duplicates": int(duplicates),
        "unique": int(total) - int(duplicates),
        "undated": int(undated),
        "first_published": first,
        "last_published": last,
        "outlets": int(outlets),
        "by_camp": _pairs(
            store,
            "SELECT o.camp, sum(c.articles) FROM article_counts c"
            " LEFT JOIN outlets o ON o.id = c.outlet GROUP BY o.camp ORDER BY 2 DESC, 1",
        ),
        "by_outlet": _pairs(
            store,
            "SELECT outlet, sum(articles) FROM article_counts GROUP BY outlet ORDER BY 2 DESC, 1",
        ),
        "by_language": _pairs(
            store,
            "SELECT language, sum(articles) FROM article_counts GROUP BY language"
            " ORDER BY 2 DESC, 1",
        ),
        "by_month": _pairs(
            store,
            "SELECT month, sum(articles) FROM article_counts WHERE month != ''"
            " GROUP BY month ORDER BY month",
        ),
        "quality_flags": _pairs(
            store,
            "SELECT flag, articles FROM quality_flag_counts WHERE articles > 0"
            " ORDER BY articles DESC, flag",
        ),
        "input_errors": int(c.execute("SELECT count(*) FROM input_errors").fetchone()[0]),
        "runs": int(c.execute("SELECT count(*) FROM runs").fetchone()[0]),
        "schema_version": store.version,
    }


def annotation_counts(store: Store) -> dict[str, int]:
    """How many mentions, event reports and theme tags are stored (the API's ``/stats``; the
    pre-aggregated counts when the store has them)."""
    c = store.conn
    if has_counts(store):
        mentions, events = c.execute(
            "SELECT coalesce(sum(mentions), 0), coalesce(sum(events), 0) FROM article_counts"
        ).fetchone()
    else:
        mentions = c.execute("SELECT count(*) FROM mentions").fetchone()[0]
        events = c.execute("SELECT count(*) FROM events").fetchone()[0]
    return {
        "mentions": int(mentions),
        "events": int(events),
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
    if actor is None and has_counts(store):
        sql = (
            "SELECT c.month, coalesce(o.camp, 'unknown') AS camp, sum(c.articles)"
            " FROM article_counts c LEFT JOIN outlets o ON o.id = c.outlet"
            " WHERE c.month != '' AND c.duplicate = 0 GROUP BY c.month, camp ORDER BY c.month"
        )
        params: list[Any] = []
    else:
        sql = (
            "SELECT substr(a.published, 1, 7) AS m, coalesce(o.camp, 'unknown') AS camp,"
            " count(*) FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
            " WHERE a.published IS NOT NULL AND a.date_precision NOT LIKE 'year%'"
            " AND a.duplicate_of IS NULL"
        )
        params = []
        if actor:
            sql += " AND a.rowid IN (SELECT article_rowid FROM mentions WHERE actor = ?)"
            params.append(actor)
        sql += " GROUP BY m, camp ORDER BY m"
    out: dict[str, dict[str, int]] = {}
    for month, camp, n in store.conn.execute(sql, params):
        out.setdefault(str(month), {})[str(camp)] = int(n)
    return out
