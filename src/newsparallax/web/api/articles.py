"""``/articles``: lists (filtered, searched, paged or exported) and one article."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ...store import articles
from ..deps import conditional, context
from ..exports import EXPORT_RESPONSES
from ..filters import article_filters
from ..models import ArticleDetail, ArticlePage
from .params import Camp, Cursor, Format, Language, Limit, Outlet, Since, Until, page_or_export

router = APIRouter()


@router.get(
    "/articles",
    response_model=ArticlePage,
    responses=EXPORT_RESPONSES,
    dependencies=[Depends(conditional)],
    tags=["articles"],
)
def list_articles(
    request: Request,
    outlet: Outlet = None,
    camp: Camp = None,
    language: Language = None,
    since: Since = None,
    until: Until = None,
    actor: Annotated[
        str | None, Query(description="Only articles mentioning this actor id.")
    ] = None,
    theme: Annotated[
        str | None, Query(description="Only articles tagged with this theme id, e.g. sanctions.")
    ] = None,
    story: Annotated[
        str | None, Query(description="Only the articles of this story (see /api/v1/stories).")
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=500, description='Full-text query: words, "phrase", OR, -word, pre*.'),
    ] = None,
    include_duplicates: Annotated[bool, Query(description="Also list syndicated copies.")] = False,
    cursor: Cursor = None,
    limit: Limit = None,
    format: Format = "json",
) -> Any:
    """Articles, newest first (best first with `q`), filtered."""
    ctx = context(request)
    f = article_filters(
        ctx.store(),
        ctx.watch,
        outlet=outlet,
        camp=camp,
        language=language,
        since=since,
        until=until,
        actor=actor,
        theme=theme,
        story=story,
        q=q,
        include_duplicates=include_duplicates,
    )

    def fetch(position: str | None, size: int) -> tuple[list[dict[str, Any]], str | None]:
        return articles.list_articles(context(request).store(), f, cursor=position, limit=size)

    columns = [n for n in ArticlePageColumns if f.query is not None or n != "score"]
    return page_or_export(
        request, fetch, cursor=cursor, limit=limit, fmt=format, columns=columns, name="articles"
    )


ArticlePageColumns = [
    "id", "url", "title", "outlet", "outlet_name", "camp", "language", "published",
    "date_precision", "duplicate_of", "duplicates", "quality_flags", "score", "snippet",
]  # fmt: skip


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    dependencies=[Depends(conditional)],
    tags=["articles"],
    responses={404: {"description": "No such article."}},
)
def get_article(request: Request, article_id: str) -> Any:
    """One article with its mentions, events and themes, its outlet's camp and the evidence
    for it, and its duplicates."""
    ctx = context(request)
    detail = articles.article_detail(ctx.store(), ctx.watch, article_id)
    if detail is None:
        raise HTTPException(404, detail=f"no article {article_id!r}")
    return detail
