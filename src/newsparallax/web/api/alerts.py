"""``/alerts``: the watch's alerts as JSON or an Atom feed, and acknowledging one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response as PlainResponse

from .. import insight
from ..data import PAGE_MAX
from ..deps import conditional, context, require_write
from ..exports import EXPORT_RESPONSES
from ..filters import FilterError, date_bound
from ..models import AlertList, AlertOut
from .params import NO_TABLES, WRITE_RESPONSES, Format, items_or_export, require_built

router = APIRouter()


# -- alerts ------------------------------------------------------------------------------------

ALERT_KINDS = ("threshold", "changepoint", "new_story", "first_type", "blindspot")


@router.post(
    "/alerts/{alert_id}/ack",
    status_code=200,
    dependencies=[Depends(require_write)],
    tags=["alerts", "write"],
    responses={
        **WRITE_RESPONSES,
        404: {"description": "No such alert, or no alert tables yet."},
    },
)
def ack_alert(request: Request, alert_id: int) -> Any:
    """Acknowledge an alert, as `parallax alerts --ack ID` does: it leaves the default listing
    (the Atom feed keeps it)."""
    from ...analyze import alerts as alert_rules

    ctx = context(request)
    if insight.alerts_missing(ctx.store()):
        raise HTTPException(404, detail="no alerts yet: run `parallax alerts`")
    with ctx.writable() as store:
        found = alert_rules.ack(store, alert_id)
    if not found:
        raise HTTPException(404, detail=f"no alert {alert_id}")
    ctx.generation += 1
    return {"id": alert_id, "acknowledged": True}


@router.get(
    "/alerts",
    response_model=AlertList,
    dependencies=[Depends(conditional)],
    tags=["alerts"],
    responses={**EXPORT_RESPONSES, **NO_TABLES},
)
def list_alerts(
    request: Request,
    include_acked: Annotated[bool, Query(description="Also acknowledged alerts.")] = False,
    kind: Annotated[str | None, Query(description=f"One of: {', '.join(ALERT_KINDS)}.")] = None,
    since: Annotated[
        str | None, Query(description="Alerts whose last day is on or after this date.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 100,
    format: Format = "json",
) -> Any:
    """The watch's alerts (see `parallax alerts`), the most recent day first, with their
    deliveries and the ids of the events, articles and stories behind each."""
    ctx = context(request)
    store = ctx.store()
    if kind and kind not in ALERT_KINDS:
        raise FilterError("kind", f"unknown alert kind {kind!r}; one of {', '.join(ALERT_KINDS)}")
    date_bound(since, param="since", end=False)
    require_built(insight.alerts_missing(store))
    items = insight.list_alerts(
        store,
        watch=ctx.watch.name,
        include_acked=include_acked,
        kind=kind,
        since=since.strip() if since else None,
        limit=limit,
    )
    return items_or_export(items, fmt=format, columns=list(AlertOut.model_fields), name="alerts")


@router.get(
    "/alerts.atom",
    response_class=PlainResponse,
    dependencies=[Depends(conditional)],
    tags=["alerts"],
    responses={
        200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed."},
        **NO_TABLES,
    },
)
def alerts_atom(request: Request) -> Any:
    """The watch's alerts as an Atom 1.0 feed (newest first, acknowledged ones included)."""
    ctx = context(request)
    store = ctx.store()
    require_built(insight.alerts_missing(store))
    body = insight.atom(
        store,
        watch=ctx.watch.name,
        title=f"Parallax alerts: {ctx.watch.title}",
        link=str(request.url),
    )
    return PlainResponse(body, media_type="application/atom+xml; charset=utf-8")
