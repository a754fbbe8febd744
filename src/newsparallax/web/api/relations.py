"""``/relations``: the relation index of a dyad, and the milestones between two states."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from .. import insight
from ..data import check_state, relation_params
from ..deps import conditional, context
from ..models import RelationOut, Timeline
from .params import NO_TABLES, Since, Until, require_built

router = APIRouter()


# -- the relation index and the timeline -------------------------------------------------------

Freq = Annotated[
    Literal["day", "week", "month"], Query(description="One point per day, week or month.")
]
Both = Annotated[bool, Query(description="Both directions together (A→B and B→A).")]


@router.get(
    "/relations/{source}/{target}",
    response_model=RelationOut,
    dependencies=[Depends(conditional)],
    tags=["relations"],
    responses=NO_TABLES,
)
def get_relation(
    request: Request,
    source: str,
    target: str,
    freq: Freq = "month",
    camp: Annotated[
        str | None, Query(description="A camp id, or `*` for all camps together; none: each.")
    ] = None,
    since: Since = None,
    until: Until = None,
    both: Both = False,
) -> Any:
    """The relation index of a dyad: events per quad class (verbal/material cooperation and
    conflict), Goldstein intensity and events per 100 articles, per period, for one camp or
    for every camp that reported it (see `parallax relation`)."""
    ctx = context(request)
    a, b = check_state(source, param="source"), check_state(target, param="target")
    relation_params(ctx, camp, since, until)
    store = ctx.store()
    require_built(insight.relations_missing(store))
    return insight.relation(
        store, a, b, camp=camp, freq=freq, since=since, until=until, both=both, watch=ctx.watch
    )


@router.get(
    "/relations/{source}/{target}/timeline",
    response_model=Timeline,
    dependencies=[Depends(conditional)],
    tags=["relations"],
)
def get_timeline(
    request: Request,
    source: str,
    target: str,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Any:
    """The milestones between two states (either direction): agreements, supplies,
    sanctions, attacks, visits; the most widely reported first."""
    a, b = check_state(source, param="source"), check_state(target, param="target")
    relation_params(context(request), None, since, until)
    return insight.milestones(context(request).store(), a, b, since=since, until=until, limit=limit)
