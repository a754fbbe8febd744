"""``/events``: coded events with the article each came from, paged or exported."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ..data import event_item, event_page
from ..deps import conditional, context
from ..exports import EXPORT_RESPONSES
from ..filters import event_filters
from ..models import EventPage
from .params import Camp, Cursor, Format, Limit, Since, Until, page_or_export

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
    below_threshold: Annotated[
        bool,
        Query(
            description="Also events below the confidence threshold: stored for inspection,"
            " counted in no series, timeline, alert or claim."
        ),
    ] = False,
    cursor: Cursor = None,
    limit: Limit = None,
    format: Format = "json",
) -> Any:
    """Coded events with the article each came from (empty until event coding lands)."""
    ctx = context(request)
    f = event_filters(
        ctx.store(), ctx.watch, source=source, target=target, type=type, since=since, until=until,
        camp=camp, both=both, below_threshold=below_threshold,
    )  # fmt: skip

    def fetch(position: str | None, size: int) -> tuple[list[dict[str, Any]], str | None]:
        found = event_page(context(request).store(), f, cursor=position, limit=size)
        return [event_item(e) for e in found.events], found.next_cursor

    return page_or_export(
        request, fetch, cursor=cursor, limit=limit, fmt=format, columns=EVENT_COLUMNS,
        name="events",
    )  # fmt: skip
