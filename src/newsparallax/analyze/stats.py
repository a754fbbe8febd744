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
