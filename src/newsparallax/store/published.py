"""What was published: how much each outlet published in a window, and what a link to a stored
article shows (its card). Read by the briefings; the shells format, this module only reads."""

from __future__ import annotations

from dataclasses import dataclass

from .database import Store

_CHUNK = 500
"""Article ids per query (SQLite's limit on bound parameters is far above it)."""


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """What a link to a stored article shows, as stored: ``outlet`` is the outlet's name when the
    outlet is known (else its id), ``camp`` the outlet's camp (``None`` when it has none)."""

    id: str
    url: str | None
    title: str | None
    summary: str | None
    outlet: str | None
    camp: str | None
    published: str | None


def article_cards(store: Store, ids: list[str]) -> dict[str, ArticleCard]:
    """The card of each stored article among ``ids`` (ids not stored are left out)."""
    out: dict[str, ArticleCard] = {}
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), _CHUNK):
        chunk = unique[i : i + _CHUNK]
        for r in store.conn.execute(
            "SELECT a.id, a.url, a.title, a.summary, coalesce(o.name, a.outlet), o.camp,"
            " a.published"
            " FROM articles a"
            f" LEFT JOIN outlets o ON o.id = a.outlet WHERE a.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[r[0]] = ArticleCard(
                id=r[0], url=r[1], title=r[2], summary=r[3], outlet=r[4], camp=r[5], published=r[6]
            )
    return out


def published_by_outlet(store: Store, since_ts: int, until_ts: int) -> dict[str, int]:
    """How many articles each outlet published from ``since_ts`` to ``until_ts`` (Unix seconds,
    both included; copies counted too); outlets that published nothing are left out."""
    return {
        str(outlet): int(n)
        for outlet, n in store.conn.execute(
            "SELECT outlet, count(*) FROM articles WHERE published_ts BETWEEN ? AND ?"
            " GROUP BY outlet",
            (since_ts, until_ts),
        )
    }
