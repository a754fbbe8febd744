"""The pre-aggregated counts behind ``parallax stats``, the overview and the actor lists (tables
of migration 13: ``article_counts``, ``quality_flag_counts``, ``actor_counts``), kept in the
transaction that stores an article (:func:`count_article`) and adjusted when its annotations
are replaced (:func:`recount_annotations`), so that reading them costs a few hundred rows, not
a scan of every article and mention."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from ..records import Article

_UPSERT = (
    "INSERT INTO article_counts(outlet, language, month, dated, duplicate, articles,"
    " mentions, events, first_published, last_published) VALUES (?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT(outlet, language, month, dated, duplicate) DO UPDATE SET"
    " articles = article_counts.articles + excluded.articles,"
    " mentions = article_counts.mentions + excluded.mentions,"
    " events = article_counts.events + excluded.events,"
    " first_published = min(article_counts.first_published, excluded.first_published),"
    " last_published = max(article_counts.last_published, excluded.last_published)"
)


def _key(article: Article) -> tuple[str, str, str, int, int, str | None]:
    """``(outlet, language, month, dated, duplicate, published)`` of ``article``: its row of
    ``article_counts`` (month ``''`` when undated or dated only to the year)."""
    published = (
        article.published.astimezone(UTC).isoformat() if article.published is not None else None
    )
    precision = article.date_precision.value if article.date_precision else None
    to_month = published and precision and not precision.startswith("year")
    month = published[:7] if published and to_month else ""
    return (
        article.outlet,
        article.language,
        month,
        int(published is not None),
        int(article.duplicate_of is not None),
        published,
    )


def _actors(article: Article) -> set[str]:
    return {m.actor for m in article.mentions}


def count_article(conn: Any, article: Article) -> None:
    """Add a newly stored ``article`` to the counts (in the transaction that stores it)."""
    *key, published = _key(article)
    conn.execute(
        _UPSERT, (*key, 1, len(article.mentions), len(article.events), published, published)
    )
    conn.executemany(
        "INSERT INTO quality_flag_counts(flag, articles) VALUES (?, 1) ON CONFLICT(flag)"
        " DO UPDATE SET articles = quality_flag_counts.articles + 1",
        [(flag,) for flag in article.quality.flags],
    )
    if article.duplicate_of is None:
        _add_actors(conn, sorted(_actors(article)), article.outlet, 1)


def recount_annotations(conn: Any, rowid: int, article: Article) -> Callable[[], None]:
    """Before the annotation rows of the article stored at ``rowid`` are replaced by
    ``article``'s: read what they count now, and return the step that moves the counts to the
    new rows (call it once they are inserted, in the same transaction)."""
    old = _stored_counts(conn, rowid)
    old_actors = _stored_actors(conn, rowid)

    def step() -> None:
        *key, published = _key(article)
        mentions, events = (n - o for n, o in zip(_stored_counts(conn, rowid), old, strict=True))
        if mentions or events:
            conn.execute(_UPSERT, (*key, 0, mentions, events, published, published))
        if article.duplicate_of is None:
            new_actors = _stored_actors(conn, rowid)
            _add_actors(conn, sorted(new_actors - old_actors), article.outlet, 1)
            _add_actors(conn, sorted(old_actors - new_actors), article.outlet, -1)

    return step


def _stored_counts(conn: Any, rowid: int) -> tuple[int, int]:
    """The mentions and events stored for the article at ``rowid``."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM mentions WHERE article_rowid = ?),"
        " (SELECT count(*) FROM events WHERE article_rowid = ?)",
        (rowid, rowid),
    ).fetchone()
    return int(row[0]), int(row[1])


def _stored_actors(conn: Any, rowid: int) -> set[str]:
    return {
        str(r[0])
        for r in conn.execute(
            "SELECT DISTINCT actor FROM mentions WHERE article_rowid = ?", (rowid,)
        )
    }


def _add_actors(conn: Any, actors: list[str], outlet: str, step: int) -> None:
    conn.executemany(
        "INSERT INTO actor_counts(actor, outlet, articles) VALUES (?, ?, ?)"
        " ON CONFLICT(actor, outlet) DO UPDATE SET articles = actor_counts.articles + ?",
        [(actor, outlet, step, step) for actor in actors],
    )
