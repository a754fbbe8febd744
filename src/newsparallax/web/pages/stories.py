"""Stories, and one story with its coverage, timeline, claims and framing by camp."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from ...report.charts import camp_colors, coverage_bar, story_timeline
from ...store.outlets import known_camps
from .. import insight
from ..data import headline_titles, stories_data, with_headlines
from ..deps import conditional, context
from .compare import ids_in
from .render import camp_labels, camp_order, render, text_dir

router = APIRouter(include_in_schema=False)


# -- stories -----------------------------------------------------------------------------------


@router.get("/stories", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def stories_page(
    request: Request,
    camp: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_camps: Annotated[int, Query(ge=1, le=50)] = 1,
) -> Response:
    ctx = context(request)
    store = ctx.store()
    missing, items = stories_data(  # the list shows counts, not articles
        ctx, camp=camp, since=since, until=until, min_camps=min_camps, min_articles=2, limit=100,
        members=0,
    )  # fmt: skip
    labels = camp_labels(request)
    keys = sorted({c for s in items for c in s["coverage"]})
    order = camp_order(ctx, keys)
    colors = camp_colors(ctx.watch.camps, order)
    for s in items:
        s["bar"] = coverage_bar(s["coverage"], labels=labels, colors=colors, order=order)
    return render(
        request,
        "stories.html",
        missing=missing,
        items=items,
        form={
            "camp": camp or "",
            "since": since or "",
            "until": until or "",
            "min_camps": min_camps,
        },
        camps=known_camps(store, ctx.watch),
        camp_labels=labels,
        legend=[(c, labels.get(c, c), colors[c]) for c in order],
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def story_page(request: Request, story_id: str) -> Response:
    ctx = context(request)
    store = ctx.store()
    missing = insight.stories_missing(store)
    if missing:
        return render(request, "story.html", missing=missing, s=None)
    found = insight.story(store, story_id)
    if found is None:
        raise HTTPException(404, detail=f"no story {story_id!r}")
    labels = camp_labels(request)
    keys = sorted({a["camp"] or "unknown" for a in found["articles"]})
    order = camp_order(ctx, keys)
    colors = camp_colors(ctx.watch.camps, order)
    columns: dict[str, list[dict[str, Any]]] = {c: [] for c in order}
    for art in with_headlines(store, found["articles"]):
        columns[art["camp"] or "unknown"].append(art)
    per_story = insight.story_compare(store, ctx.watch, story_id) or {}
    ids: set[str] = set()
    ids_in(per_story, ids)
    return render(
        request,
        "story.html",
        missing=None,
        s=found,
        bar=coverage_bar(found["coverage"], labels=labels, colors=colors, order=order),
        chart=story_timeline(found["articles"], labels=labels, colors=colors, order=order),
        columns=[(c, labels.get(c, c), colors[c], columns[c]) for c in order],
        camp_labels=labels,
        text_dir=text_dir,
        sc=per_story,
        titles=headline_titles(store, ids),
    )
