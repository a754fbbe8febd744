"""The article filters that lists and full-text search share, and the one place that turns them
into SQL conditions over ``articles a``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .search import ParsedQuery


@dataclass(frozen=True, kw_only=True, slots=True)
class ArticleFilters:
    """Validated article filters (``None`` means no filter)."""

    outlets: tuple[str, ...] | None = None
    """Outlet ids matching the ``outlet`` parameter (id, domain or name)."""
    camp: str | None = None
    language: str | None = None
    since_ts: int | None = None
    until_ts: int | None = None
    actor: str | None = None
    theme: str | None = None
    story: str | None = None
    query: ParsedQuery | None = None
    include_duplicates: bool = False


def article_where(f: ArticleFilters) -> tuple[list[str], list[Any]]:
    """The conditions on ``articles a`` (``AND`` them) for every filter but the query, and their
    parameters in order."""
    where: list[str] = []
    params: list[Any] = []
    if f.outlets is not None:
        if f.outlets:
            where.append(f"a.outlet IN ({','.join('?' * len(f.outlets))})")
            params.extend(f.outlets)
        else:
            where.append("1 = 0")  # an outlet that stands for no stored outlet: nothing
    if f.camp:
        where.append("a.outlet IN (SELECT id FROM outlets WHERE camp = ?)")
        params.append(f.camp)
    if f.language:
        where.append("a.language = ?")
        params.append(f.language)
    if f.since_ts is not None:
        where.append("a.published_ts >= ?")
        params.append(f.since_ts)
    if f.until_ts is not None:
        where.append("a.published_ts <= ?")
        params.append(f.until_ts)
    if f.actor:
        where.append("a.rowid IN (SELECT article_rowid FROM mentions WHERE actor = ?)")
        params.append(f.actor)
    if f.theme:
        where.append("a.rowid IN (SELECT article_rowid FROM themes WHERE theme = ?)")
        params.append(f.theme)
    if f.story:
        where.append("a.rowid IN (SELECT article_rowid FROM story_articles WHERE story_id = ?)")
        params.append(f.story)
    if not f.include_duplicates:
        where.append("+a.duplicate_of IS NULL")  # "+": never pick that index (it matches all)
    return where, params
