"""The overview: coverage by camp and month, the most named actors, the latest articles,
the watch's dyads, alerts and top stories, and what is not built yet."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ...analyze.stats import coverage_by_camp_month
from ...report.charts import camp_colors, coverage_bar, stacked_bars
from ...store.actors import top_actors_by_camp
from ...store.articles import list_articles
from .. import insight
from ..context import WebContext
from ..data import stats_data, with_headlines
from ..deps import conditional, context
from ..filters import article_filters
from .relation import cached_relation, dyad_chart
from .render import camp_labels, camp_order, render

router = APIRouter(include_in_schema=False)


NOT_YET = {
    "relations": ("Relation index", "cooperation vs conflict between the watch's dyads, by "
                  "camp, built from the coded events"),
    "alerts": ("Alerts", "changes in the relation index"),
    "stories": ("Top stories and blindspots", "articles clustered into stories, with each "
                "camp's coverage, and the stories a camp ignored"),
}  # fmt: skip
"""What the overview shows once the job behind it has run, said plainly when it has not."""

# -- overview ----------------------------------------------------------------------------------


def overview_data(ctx: WebContext) -> dict[str, Any]:
    """What the overview shows (cached until the store changes; computed ahead at start)."""
    store = ctx.store()
    coverage = coverage_by_camp_month(store)
    top = top_actors_by_camp(store, per_camp=5)
    dictionary = ctx.dictionary()
    labels = {
        actor: (dictionary[actor].label if actor in dictionary else actor)
        for pairs in top.values()
        for actor, _ in pairs
    }
    return {
        "stats": stats_data(ctx),
        "chart": stacked_bars(coverage, camps=ctx.watch.camps, title="Articles by camp and month"),
        "top_actors": top,
        "actor_labels": labels,
        "latest": with_headlines(
            store, list_articles(store, article_filters(store, ctx.watch), cursor=None, limit=10)[0]
        ),
        **_insight_overview(ctx, store),
    }


def _insight_overview(ctx: WebContext, store: Any) -> dict[str, Any]:
    """The watch's dyads, latest alerts and top stories, and what is missing (with how to get
    it): each part only when its tables exist and its job has run."""
    missing = {
        "relations": insight.relations_missing(store),
        "alerts": insight.alerts_missing(store),
        "stories": insight.stories_missing(store),
    }
    dyads = [] if missing["relations"] else insight.dyad_totals(store, list(ctx.watch.dyads))
    alerts = [] if missing["alerts"] else insight.list_alerts(store, watch=ctx.watch.name, limit=5)
    stories: list[dict[str, Any]] = []
    window: dict[str, Any] = {}
    blind: dict[str, Any] | None = None
    if not missing["stories"]:
        stories, window = insight.top_stories(store, limit=5)
        blind = insight.blindspots(store, ctx.watch, top=5)
    return {
        "dyads": dyads,
        "alerts": alerts,
        "top_stories": stories,
        "stories_window": window,
        "blindspots": blind,
        "not_yet": [(*NOT_YET[k], why) for k, why in missing.items() if why],
    }


def _overview_relation(request: Request, ctx: WebContext) -> tuple[Any, str]:
    """The relation index chart of the watch's first dyad, monthly, both directions, by camp
    (``None`` until the index is built)."""
    store = ctx.store()
    if not ctx.watch.dyads or insight.relations_missing(store):
        return None, ""
    a, b = ctx.watch.dyads[0]
    data = cached_relation(
        ctx, a, b, camp=None, freq="month", since=None, until=None, both=True, background=True
    )
    if not data["series"]:
        return None, ""
    chart = dyad_chart(request, data, a, b, freq="month", apart=True)
    return chart, f"/relations/{a}/{b}?both=true"


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def overview(request: Request) -> Response:
    ctx = context(request)
    data = ctx.cached("overview", lambda: overview_data(ctx), background=True)
    relation_overview, relation_link = _overview_relation(request, ctx)
    order = [c for c in ctx.watch.camps if c in data["top_actors"]]
    order += [c for c in data["top_actors"] if c not in ctx.watch.camps]
    return render(
        request,
        "overview.html",
        **data,
        camp_order=order,
        camp_labels=camp_labels(request),
        colors=camp_colors(ctx.watch.camps, order),
        relation_overview=relation_overview,
        relation_link=relation_link,
        story_bars=[
            coverage_bar(
                st["coverage"],
                labels=camp_labels(request),
                colors=camp_colors(ctx.watch.camps, camp_order(ctx, sorted(st["coverage"]))),
                order=camp_order(ctx, sorted(st["coverage"])),
            )
            for st in data["top_stories"]
        ],
    )
