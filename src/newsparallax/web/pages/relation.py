"""The relation index of a dyad: its chart by camp, the numbers, and the milestones."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ...report.charts import camp_colors, relation_chart
from ...store.outlets import known_camps
from .. import insight
from ..context import WebContext
from ..data import check_state, relation_params
from ..deps import conditional, context
from ..filters import FilterError
from .render import camp_labels, camp_order, query, render

router = APIRouter(include_in_schema=False)


# -- relations ---------------------------------------------------------------------------------

FREQS = ("day", "week", "month")


def cached_relation(
    ctx: WebContext,
    a: str,
    b: str,
    *,
    camp: str | None,
    freq: str,
    since: str | None,
    until: str | None,
    both: bool,
    background: bool = False,
) -> dict[str, Any]:
    """:func:`.insight.relation`, cached until the store changes (see
    :meth:`.WebContext.cached` for ``background``)."""
    return ctx.cached(
        f"relation:{a}:{b}:{freq}:{camp}:{since}:{until}:{both}",
        lambda: insight.relation(
            ctx.store(),  # this thread's, or the background refresher's
            a,
            b,
            camp=camp,
            freq=freq,
            since=since,
            until=until,
            both=both,
            watch=ctx.watch,
        ),
        background=background,
    )


def dyad_chart(
    request: Request, data: dict[str, Any], a: str, b: str, *, freq: str, apart: bool
) -> Any:
    """The relation index chart of the dyad ``a``, ``b`` (:func:`.insight.relation`'s
    ``data``): a series per camp (with ``apart``, without the all-camps sum when there are
    camps apart), each point linking to the events behind it, and the change points."""
    ctx = context(request)
    both = data["both"]
    series = data["series"]
    if apart:  # every camp apart; "all camps" is their sum, shown in the table
        series = [s for s in series if s["camp"] != "*"] or series
    keys = [s["camp"] for s in series]
    order = camp_order(ctx, keys)
    series.sort(key=lambda s: order.index(s["camp"]) if s["camp"] in order else len(order))
    colors = camp_colors(ctx.watch.camps, order)
    colors["*"] = "#444444"

    def href(series_camp: str, point: dict[str, Any]) -> str:
        return "/events?" + query(
            {
                "source": a,
                "target": b,
                "both": both,
                "camp": series_camp if series_camp in ctx.watch.camps else None,
                "since": point["start"],
                "until": point["end"],
            }
        )

    arrow = "↔" if both else "→"
    return relation_chart(
        series,
        freq=freq,
        labels={**camp_labels(request), "*": "All camps"},
        colors=colors,
        href=href,
        title=f"{a} {arrow} {b}: cooperation and conflict events per {freq}, by camp",
        changes=data["change_points"],
    )


@router.get(
    "/relations/{source}/{target}",
    response_class=HTMLResponse,
    dependencies=[Depends(conditional)],
)
def relation_page(
    request: Request,
    source: str,
    target: str,
    freq: str = "month",
    camp: str | None = None,
    since: str | None = None,
    until: str | None = None,
    both: bool = False,
) -> Response:
    ctx = context(request)
    store = ctx.store()
    a, b = check_state(source, param="source"), check_state(target, param="target")
    if freq not in FREQS:
        raise FilterError("freq", f"one of {', '.join(FREQS)}")
    relation_params(ctx, camp, since, until)
    form = {"freq": freq, "camp": camp or "", "since": since or "", "until": until or ""}
    arrow = "↔" if both else "→"
    labels = {**camp_labels(request), "*": "All camps"}
    missing = insight.relations_missing(store)
    chart = None
    data: dict[str, Any] = {}
    if not missing:
        data = cached_relation(ctx, a, b, camp=camp, freq=freq, since=since, until=until, both=both)
        chart = dyad_chart(request, data, a, b, freq=freq, apart=not camp)
    timeline_data = (
        ctx.cached(
            f"timeline:{a}:{b}:{since}:{until}",
            lambda: insight.milestones(store, a, b, since=since, until=until),
        )
        if not missing
        else None
    )
    totals = next((s["totals"] for s in data.get("series", []) if s["camp"] == "*"), None)
    return render(
        request,
        "relation.html",
        a=a,
        b=b,
        arrow=arrow,
        both=both,
        form=form,
        freqs=FREQS,
        missing=missing,
        stale=data.get("stale", False),
        chart=chart,
        totals=totals,
        verdict=data.get("verdict"),
        timeline=timeline_data,
        camps=known_camps(store, ctx.watch),
        camp_labels=labels,
        api_query=query({**form, "both": both}),
        events_query=query({"source": a, "target": b, "both": both, **form, "freq": None}),
    )
