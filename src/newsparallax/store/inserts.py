"""The rows of an article's annotations, as :meth:`Store.add <.database.Store.add>` and
:func:`.annotations.replace_annotations` insert them."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from ..records import Article

ANNOTATION_TABLES = ("mentions", "events", "themes")
"""The tables of an article's annotations (one row per mention, event, theme tag)."""


def insert_annotations(
    conn: Any, rowid: int, article: Article, *, tables: Collection[str] = ANNOTATION_TABLES
) -> None:
    """Insert the rows of ``tables`` of ``article``, stored at ``rowid``."""
    if "mentions" in tables:
        _add_mentions(conn, rowid, article)
    if "events" in tables:
        _add_events(conn, rowid, article)
    if "themes" in tables:
        _add_themes(conn, rowid, article)


def _add_mentions(conn: Any, rowid: int, article: Article) -> None:
    conn.executemany(
        'INSERT INTO mentions(article_rowid, start, "end", text, actor, kind, country, sector,'
        " stage, field) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (
                rowid,
                m.start,
                m.end,
                m.text,
                m.actor,
                m.kind,
                m.country,
                m.sector,
                m.stage,
                m.field,
            )
            for m in article.mentions
        ],
    )


def _add_events(conn: Any, rowid: int, article: Article) -> None:
    conn.executemany(
        "INSERT INTO events(article_rowid, type, mode, source, target, source_actor,"
        " target_actor, sentence_start, sentence_end, trigger, quad, intensity, cameo,"
        " asserted, attributed_to, negated, confidence, coder, field, mood, instance)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                rowid,
                e.type,
                e.mode,
                e.source,
                e.target,
                e.source_actor,
                e.target_actor,
                e.sentence_start,
                e.sentence_end,
                e.trigger,
                e.quad,
                e.intensity,
                e.cameo,
                int(e.asserted),
                e.attributed_to,
                int(e.negated),
                e.confidence,
                e.coder,
                e.field,
                e.mood,
                e.instance,
            )
            for e in article.events
        ],
    )


def _add_themes(conn: Any, rowid: int, article: Article) -> None:
    conn.executemany(
        "INSERT INTO themes(article_rowid, theme, score, evidence, stage) VALUES (?,?,?,?,?)",
        [
            (rowid, t.theme, t.score, json.dumps([list(s) for s in t.evidence]), t.stage)
            for t in article.themes
        ],
    )
