"""The list pages: actors (and one actor), outlets, feeds, alerts and events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from ...annotate.events.signals import event_threshold
from ...monitor.frontier import feeds_health
from ...report.charts import camp_colors, stacked_bars
from ...store.actors import actor_mentions
from ...store.articles import list_articles
from ...store.outlets import list_outlets
from .. import insight
from ..data import actor_briefs, event_item, event_page, headline_titles, with_headlines
from ..deps import conditional, context
from ..exports import parquet_available
from ..filters import article_filters, event_filters
from .render import as_form, camp_labels, query, render, text_dir

router = APIRouter(include_in_schema=False)


# -- actors ------------------------------------------------------------------------------------


@router.get("/actors", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def actors_page(
    request: Request, q: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    rows = actor_briefs(context(request), q.strip() if q else None, 50)
    return render(request, "actors.html", q=q or "", rows=rows)


@router.get("/actors/{actor_id}", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def actor_page(request: Request, actor_id: str) -> Response:
    ctx = context(request)
    store = ctx.store()
    entry = ctx.dictionary().get(actor_id)
    mentions = ctx.cached(f"actor:{actor_id}", lambda: actor_mentions(store, actor_id))
    if entry is None and mentions["mentions"] == 0:
        raise HTTPException(404, detail=f"no actor {actor_id!r}")
    by_month: dict[str, dict[str, int]] = {}
    for row in mentions["by_month"]:
        by_month.setdefault(row["month"], {})[row["camp"]] = row["articles"]
    label = entry.label if entry else actor_id
    latest = ctx.cached(
        f"actor-latest:{actor_id}",
        lambda: with_headlines(
            store,
            list_articles(
                store, article_filters(store, ctx.watch, actor=actor_id), cursor=None, limit=10
            )[0],
        ),
    )
    return render(
        request,
        "actor.html",
        actor_id=actor_id,
        entry=entry,
        label=label,
        mentions=mentions,
        chart=stacked_bars(
            by_month, camps=ctx.watch.camps, title=f"Articles mentioning {label}, by camp"
        ),
        camp_labels=camp_labels(request),
        latest=latest,
        text_dir=text_dir,
    )


# -- outlets and feeds -------------------------------------------------------------------------


@router.get("/outlets", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def outlets_page(request: Request) -> Response:
    ctx = context(request)
    rows = ctx.cached("outlets", lambda: list_outlets(ctx.store(), ctx.watch))
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["camp"] or "unknown", []).append(row)
    order = [c for c in ctx.watch.camps if c in groups] + [
        c for c in groups if c not in ctx.watch.camps
    ]
    return render(
        request,
        "outlets.html",
        groups=[(c, groups[c]) for c in order],
        camp_labels=camp_labels(request),
        colors=camp_colors(ctx.watch.camps, order),
    )


@router.get("/feeds", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def feeds_page(request: Request) -> Response:
    rows = feeds_health(context(request).store())
    if rows is None:
        raise HTTPException(404, detail="this store has no feed tables (no live monitor)")
    return render(
        request,
        "feeds.html",
        rows=rows,
        cycles=request.app.state.cycles.state(),
        base_url=str(request.base_url),
    )


# -- alerts ------------------------------------------------------------------------------------


@router.get("/alerts", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def alerts_page(request: Request, include_acked: bool = False) -> Response:
    ctx = context(request)
    store = ctx.store()
    missing = insight.alerts_missing(store)
    items = (
        []
        if missing
        else insight.list_alerts(store, watch=ctx.watch.name, include_acked=include_acked)
    )
    shown = {i for a in items for i in a.get("article_ids", [])[:12]}
    return render(
        request,
        "alerts.html",
        missing=missing,
        items=items,
        titles=headline_titles(store, shown),
        include_acked=include_acked,
        camp_labels=camp_labels(request),
    )


# -- events ------------------------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def events_page(
    request: Request,
    source: str | None = None,
    target: str | None = None,
    type: str | None = None,
    camp: str | None = None,
    since: str | None = None,
    until: str | None = None,
    both: bool = False,
    below_threshold: bool = False,
    cursor: str | None = None,
) -> Response:
    """Coded events with the sentence and article behind each: where a chart's bar leads."""
    ctx = context(request)
    store = ctx.store()
    params: dict[str, Any] = {
        "source": source, "target": target, "type": type, "camp": camp, "since": since,
        "until": until, "both": both, "below_threshold": below_threshold,
    }  # fmt: skip
    form = as_form(params)
    f = event_filters(store, ctx.watch, **params)
    found = event_page(store, f, cursor=cursor, limit=50)
    items = [{**event_item(e), "sentence": " ".join(e.evidence.split())} for e in found.events]
    with_headlines(store, items, key="article_id", title="article_title")
    next_cursor = found.next_cursor
    return render(
        request,
        "events.html",
        form=form,
        items=items,
        camp_labels=camp_labels(request),
        next_query=query({**form, "cursor": next_cursor}) if next_cursor else None,
        export_query=query({**form, "format": "csv"}),
        parquet=parquet_available(),
        text_dir=text_dir,
        threshold=event_threshold(),
    )
