"""An article's annotation rows (actor mentions, events, theme tags): inserted with the article,
replaced when stages run again on stored articles (``parallax reannotate``), and the articles a
newer stage version has not yet annotated."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from ..records import Article
from .counts import recount_annotations
from .database import Store
from .inserts import ANNOTATION_TABLES, insert_annotations

__all__ = ["ANNOTATION_TABLES", "replace_annotations", "stale_articles", "stored_articles"]


def replace_annotations(
    store: Store, rowid: int, article: Article, *, tables: Collection[str] = ANNOTATION_TABLES
) -> None:
    """Replace the rows of ``tables`` (of :data:`ANNOTATION_TABLES`) of the article stored at
    ``rowid`` with ``article``'s, and its stage list with ``article.stages``, in one
    transaction."""
    unknown = set(tables) - set(ANNOTATION_TABLES)
    if unknown:
        raise ValueError(f"not annotation tables: {sorted(unknown)}")
    with store.transaction():
        recount = recount_annotations(store.conn, rowid, article)
        for table in tables:
            store.conn.execute(f"DELETE FROM {table} WHERE article_rowid = ?", (rowid,))
        insert_annotations(store.conn, rowid, article, tables=tables)
        recount()
        store.conn.execute(
            "UPDATE articles SET stages = ? WHERE rowid = ?",
            (json.dumps(list(article.stages)), rowid),
        )


def stale_articles(
    store: Store,
    current: Sequence[str],
    *,
    since_ts: int | None = None,
    until_ts: int | None = None,
    after: int = 0,
    limit: int | None = None,
) -> list[int]:
    """Rowids (ascending, after ``after``) of the articles some stage of ``current`` (versioned
    names such as ``events.v2``) has not annotated though an older version of it did, or though
    the article went through the annotation stages before that stage existed (its stages name
    ``language.*``). Imported records (GDELT events) went through neither: never stale.
    ``since_ts``/``until_ts`` bound the publication time."""
    if not current:
        return []
    stale = []
    params: list[Any] = [after]
    for name in current:
        family = name.split(".v")[0]
        stale.append("(stages NOT LIKE ? AND (stages LIKE ? OR stages LIKE ?))")
        params += [f'%"{name}"%', f'%"{family}.v%', '%"language.v%']
    sql = f"SELECT rowid FROM articles WHERE rowid > ? AND ({' OR '.join(stale)})"
    if since_ts is not None:
        sql += " AND published_ts >= ?"
        params.append(since_ts)
    if until_ts is not None:
        sql += " AND published_ts <= ?"
        params.append(until_ts)
    sql += " ORDER BY rowid"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [int(r[0]) for r in store.conn.execute(sql, params)]


def stored_articles(store: Store, rowids: Sequence[int]) -> Iterator[tuple[int, Article]]:
    """The articles stored at ``rowids`` (those that still are), in storage order."""
    marks = ",".join("?" * len(rowids))
    found = store.conn.execute(
        f"SELECT rowid, id FROM articles WHERE rowid IN ({marks}) ORDER BY rowid", list(rowids)
    ).fetchall()
    for rowid, article_id in found:
        article = store.get(article_id)
        if article is not None:
            yield int(rowid), article
