"""``/outlets``, ``/camps`` and ``/actors``: the watch's registry, its camps, and the actor
dictionary with mention counts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ...errors import ConfigError
from ...store import outlets
from ...store.actors import actor_mentions
from ..data import PAGE_MAX, actor_briefs
from ..deps import conditional, context, require_write
from ..exports import EXPORT_RESPONSES
from ..filters import check_camp
from ..models import ActorBrief, ActorDetail, ActorList, CampList, NewOutlet, OutletList, OutletOut
from ..outlet_file import OutletFileError, add_outlet
from .params import WRITE_RESPONSES, Camp, Format, items_or_export

router = APIRouter()


# -- outlets and camps -------------------------------------------------------------------------


@router.get(
    "/outlets",
    response_model=OutletList,
    responses=EXPORT_RESPONSES,
    dependencies=[Depends(conditional)],
    tags=["outlets"],
)
def list_outlets(request: Request, camp: Camp = None, format: Format = "json") -> Any:
    """The watch's outlet registry (and outlets seen only in the data) with article counts."""
    ctx = context(request)
    if camp:
        check_camp(ctx.store(), ctx.watch, camp)
    rows = ctx.cached("outlets", lambda: outlets.list_outlets(ctx.store(), ctx.watch))
    rows = [r for r in rows if not camp or r["camp"] == camp]
    return items_or_export(rows, fmt=format, columns=list(OutletOut.model_fields), name="outlets")


@router.get(
    "/outlets/{outlet_id:path}",
    response_model=OutletOut,
    dependencies=[Depends(conditional)],
    tags=["outlets"],
    responses={404: {"description": "No such outlet."}},
)
def get_outlet(request: Request, outlet_id: str) -> Any:
    """One outlet: domains, country, ownership, camp and the evidence for it."""
    ctx = context(request)
    rows = ctx.cached("outlets", lambda: outlets.list_outlets(ctx.store(), ctx.watch))
    for row in rows:
        if row["id"] == outlet_id:
            return row
    raise HTTPException(404, detail=f"no outlet {outlet_id!r}")


@router.post(
    "/outlets",
    response_model=OutletOut,
    status_code=201,
    dependencies=[Depends(require_write)],
    tags=["outlets", "write"],
    responses={
        **WRITE_RESPONSES,
        409: {"description": "The outlet exists, or no user outlet file is configured."},
    },
)
def create_outlet(request: Request, outlet: NewOutlet) -> Any:
    """Add an outlet to the user outlet file (`PARALLAX_OUTLETS`) and to the store; it is part
    of the watch from now on (articles already stored keep their outlet)."""
    ctx = context(request)
    path = request.app.state.outlets_file
    try:
        added = add_outlet(ctx, path, outlet.model_dump())
    except OutletFileError as err:
        raise HTTPException(err.status, detail=err.message) from err
    except ConfigError as err:  # pragma: no cover - add_outlet turns these into OutletFileError
        raise HTTPException(422, detail=str(err)) from err
    with ctx.writable() as store:
        store.sync_outlets([added], watch=ctx.watch.name)
    ctx.generation += 1
    rows = outlets.list_outlets(ctx.store(), ctx.watch)
    return next(r for r in rows if r["id"] == added.id)


@router.get(
    "/camps",
    response_model=CampList,
    responses=EXPORT_RESPONSES,
    dependencies=[Depends(conditional)],
    tags=["outlets"],
)
def list_camps(request: Request, format: Format = "json") -> Any:
    """The watch's camps with their outlets and unique articles."""
    ctx = context(request)
    rows = ctx.cached("camps", lambda: outlets.list_camps(ctx.store(), ctx.watch))
    columns = ["id", "label", "description", "color", "outlets", "articles"]
    return items_or_export(rows, fmt=format, columns=columns, name="camps")


# -- actors ------------------------------------------------------------------------------------


@router.get(
    "/actors",
    response_model=ActorList,
    responses=EXPORT_RESPONSES,
    dependencies=[Depends(conditional)],
    tags=["actors"],
)
def list_actors(
    request: Request,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Name in any language or id; none: most mentioned."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 20,
    format: Format = "json",
) -> Any:
    """Search the actor dictionary (EN/RU/FA names, any inflection), or without `q` list the
    actors mentioned in the most stored articles."""
    rows = actor_briefs(context(request), q.strip() if q else None, limit)
    return items_or_export(rows, fmt=format, columns=list(ActorBrief.model_fields), name="actors")


@router.get(
    "/actors/{actor_id}",
    response_model=ActorDetail,
    dependencies=[Depends(conditional)],
    tags=["actors"],
    responses={404: {"description": "Neither in the dictionary nor mentioned."}},
)
def get_actor(request: Request, actor_id: str) -> Any:
    """One actor: its dictionary entry and its mentions by camp and by month."""
    ctx = context(request)
    entry = ctx.dictionary().get(actor_id)
    mentions = ctx.cached(f"actor:{actor_id}", lambda: actor_mentions(ctx.store(), actor_id))
    if entry is None and mentions["mentions"] == 0:
        raise HTTPException(404, detail=f"no actor {actor_id!r} (try /api/v1/actors?q=NAME)")
    return {
        "id": actor_id,
        "in_dictionary": entry is not None,
        "entry": entry.as_dict() if entry else None,
        "label": entry.label if entry else actor_id,
        "mentions": mentions,
    }
