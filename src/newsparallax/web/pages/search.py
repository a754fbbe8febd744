"""Search: articles filtered and searched, with the matches marked."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ...annotate.themes import known_themes
from ...report.charts import segments
from ...store import articles
from ...store.cursors import CursorError
from ...store.outlets import known_camps
from ..data import with_headlines
from ..deps import conditional, context
from ..exports import parquet_available
from ..filters import FilterError, article_filters, cursor_error
from .compare import story_labels
from .render import as_form, camp_labels, query, render

router = APIRouter(include_in_schema=False)


# -- search ------------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def search_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=500)] = None,
    outlet: str | None = None,
    camp: str | None = None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
    actor: str | None = None,
    theme: str | None = None,
    story: str | None = None,
    include_duplicates: bool = False,
    cursor: str | None = None,
) -> Response:
    ctx = context(request)
    store = ctx.store()
    params: dict[str, Any] = {
        "q": q, "outlet": outlet, "camp": camp, "language": language, "since": since,
        "until": until, "actor": actor, "theme": theme, "story": story,
        "include_duplicates": include_duplicates,
    }  # fmt: skip
    form = as_form(params)
    error: FilterError | None = None
    items: list[dict[str, Any]] = []
    next_cursor = None
    try:
        f = article_filters(store, ctx.watch, **params)
        items, next_cursor = articles.list_articles(store, f, cursor=cursor, limit=25)
    except FilterError as err:
        error = err
    except CursorError as err:
        error = cursor_error(err)
    with_headlines(store, items)
    for item in items:
        item["segments"] = segments(
            item["snippet"], [(s, e, "", "hit") for s, e in item["highlights"]]
        )
    languages = ctx.cached("languages", lambda: articles.languages(store))
    return render(
        request,
        "search.html",
        status_code=error.status if error else 200,
        error=f"{error.param}: {error.message}" if error else None,
        form=form,
        items=items,
        next_query=query({**form, "cursor": next_cursor}) if next_cursor else None,
        camps=known_camps(store, ctx.watch),
        camp_labels=camp_labels(request),
        languages=languages,
        themes=ctx.cached("themes", lambda: known_themes(store, ctx.watch)),
        story_label=story_labels(store, {story.strip()}).get(story.strip()) if story else None,
        export_query=query({k: v for k, v in form.items()}),
        parquet=parquet_available(),
    )
