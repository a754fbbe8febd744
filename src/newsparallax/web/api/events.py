"""``/events``: coded events with the article each came from, paged or exported."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ...store.events import event_page
from ..deps import conditional, context
from ..exports import EXPORT_RESPONSES, export_response, paged_rows
from ..filters import check_camp, check_code, date_bound
from ..models import EventPage
from .params import Camp, Cursor, Format, Limit, Since, Until, next_url, page_limit

router = APIRouter()


# -- events ------------------------------------------------------------------------------------

EVENT_COLUMNS = [
    "article_id", "published", "outlet", "camp", "type", "mode", "source", "target",
    "source_actor", "target_actor", "trigger", "quad", "intensity", "cameo", "asserted",
    "attributed_to", "negated", "confidence", "coder", "field", "sentence_start", "sentence_end",
    "instance",
]  # fmt: skip


@router.get(
    "/events",
    response_model=EventPage,
    responses=EXPORT_RESPONSES,
    dependencies=[Depends(conditional)],
    tags=["events"],
)
def list_events(
    request: Request,
    source: Annotated[str | None, Query(description="Source country code or actor id.")] = None,
    target: Annotated[str | None, Query(description="Target country code or actor id.")] = None,
    type: Annotated[str | None, Query(description="Event type (PLOVER), e.g. AGREE.")] = None,
    since: Since = None,
    until: Until = None,
    camp: Camp = None,
    both: Annotated[
        bool, Query(description="With source and target: the events of either direction.")
    ] = False,
    cursor: Cursor = None,
    limit: Limit = None,
    format: Format = "json",
) -> Any:
    """Coded events with the article each came from (empty until event coding lands)."""
    ctx = context(request)
    store = ctx.store()
    params: dict[str, Any] = {
        "source": check_code(source, param="source"),
        "target": check_code(target, param="target"),
        "type_": check_code(type, param="type"),
        "since_ts": date_bound(since, param="since", end=False),
        "until_ts": date_bound(until, param="until", end=True),
        "camp": camp or None,
        "both": both,
    }
    if camp:
        check_camp(store, ctx.watch, camp)
    size = page_limit(limit, format)
    if format == "json":
        assert size is not None
        items, next_cursor = event_page(store, cursor=cursor, limit=size, **params)
        return {"items": items, "next_cursor": next_cursor, "next": next_url(request, next_cursor)}

    def fetch(position: str | None) -> tuple[list[dict[str, Any]], str | None]:
        return event_page(context(request).store(), cursor=position, limit=1000, **params)

    event_page(store, cursor=cursor, limit=1, **params)
    return export_response(
        paged_rows(fetch, cursor=cursor, limit=size), fmt=format, columns=EVENT_COLUMNS,
        name="events",
    )  # fmt: skip
