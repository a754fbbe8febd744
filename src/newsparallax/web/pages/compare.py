"""The camp comparison: coverage and blindspots, theme emphasis, framing and claims."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ...analyze.stories.queries import story_heads
from ...report.charts import camp_colors, interval_bars
from ...store.outlets import known_camps
from ..data import compare_data, headline_titles
from ..deps import conditional, context
from .render import camp_labels, camp_order, query, render

router = APIRouter(include_in_schema=False)


# -- camp comparison ---------------------------------------------------------------------------


def _anchor(*parts: str) -> str:
    return "-".join(quote(p, safe="") for p in parts)


def ids_in(value: Any, out: set[str]) -> None:
    """Every article id named in a compare result (``article_ids`` lists and ``article_id``)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "article_ids" and isinstance(v, list):
                out.update(str(x) for x in v)
            elif k == "article_id" and isinstance(v, str):
                out.add(v)
            else:
                ids_in(v, out)
    elif isinstance(value, list):
        for v in value:
            ids_in(v, out)


def story_labels(store: Any, ids: set[str]) -> dict[str, str]:
    return {k: head.label for k, head in story_heads(store, ids).items()}


@router.get("/compare", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def compare_page(
    request: Request,
    camps: str | None = None,
    since: str | None = None,
    until: str | None = None,
    theme: str | None = None,
) -> Response:
    ctx = context(request)
    store = ctx.store()
    data = compare_data(ctx, camps, since, until, theme)
    labels = camp_labels(request)
    emphasis = data["emphasis"]["camps"]
    order = camp_order(ctx, sorted(emphasis))
    colors = camp_colors(ctx.watch.camps, order)
    chart = interval_bars(emphasis, labels=labels, colors=colors, order=order)
    themes = sorted(  # the most emphasised first; ties by id (the set's order varies by run)
        {t for c in emphasis.values() for t in c["themes"]},
        key=lambda t: (
            -max(c["themes"].get(t, {}).get("share", 0.0) for c in emphasis.values()),
            t,
        ),
    )
    emphasis_rows = [
        (t, [(c, emphasis[c]["themes"].get(t), _anchor("em", c, t)) for c in order]) for t in themes
    ]
    ids: set[str] = set()
    ids_in(data, ids)
    story_ids = {s["story"] for s in data["coverage"]["blindspots"]}
    story_ids |= {s["story"] for s in data["coverage"]["stories"]}
    story_ids |= {i["story"] for i in data["claims"]["items"]}
    chosen = [c.strip() for c in (camps or "").split(",") if c.strip()]
    return render(
        request,
        "compare.html",
        d=data,
        form={"camps": chosen, "since": since or "", "until": until or "", "theme": theme or ""},
        camps=known_camps(store, ctx.watch),
        camp_labels=labels,
        order=order,
        legend=[(c, labels.get(c, c), colors[c]) for c in order],
        chart=chart,
        emphasis_rows=emphasis_rows,
        titles=headline_titles(store, ids),
        story_labels=story_labels(store, story_ids),
        api_query=query({"camps": ",".join(chosen), "since": since, "until": until,
                          "theme": theme}),
    )  # fmt: skip
