"""``/feeds`` and ``/monitor``: the live monitor's feeds, and monitor cycles asked for
through the API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from ...monitor.frontier import feeds_due_now, feeds_health
from ..cycles import CycleRunner, MonitorStopped
from ..deps import conditional, context, require_write
from ..models import CycleRunOut, FeedList, FeedOut, MonitorState, NewFeed
from .params import WRITE_RESPONSES

router = APIRouter()


@router.get(
    "/feeds",
    response_model=FeedList,
    dependencies=[Depends(conditional)],
    tags=["feeds"],
    responses={404: {"description": "This store has no monitor tables."}},
)
def list_feeds(request: Request) -> Any:
    """The live monitor's feeds with their health (status, items per day, last error)."""
    rows = feeds_health(context(request).store())
    if rows is None:
        raise HTTPException(404, detail="this store has no feed tables")
    return {"items": rows}


@router.post(
    "/feeds",
    response_model=FeedOut,
    status_code=201,
    dependencies=[Depends(require_write)],
    tags=["feeds", "write"],
    responses=WRITE_RESPONSES,
)
def create_feed(request: Request, feed: NewFeed, response: Response) -> Any:
    """Add a feed (RSS, Atom, JSON Feed, sitemap or homepage) for the live monitor to poll, as
    `parallax feeds add` does."""
    from ...monitor.frontier import Frontier
    from ...monitor.netguard import Blocked, check_url

    ctx = context(request)
    try:
        check_url(feed.url)
    except Blocked as err:
        return JSONResponse(
            {"detail": [{"loc": ["body", "url"], "msg": err.reason, "type": "value_error"}]},
            status_code=422,
        )
    resolved = ctx.watch.resolve(feed.outlet or feed.url)
    outlet_id = resolved.id if resolved else feed.outlet
    with ctx.writable() as store:
        feed_id = Frontier(store).add_feed(feed.url, outlet=outlet_id)
    ctx.generation += 1
    return {"id": feed_id, "url": feed.url, "outlet": outlet_id}


# -- monitor cycles ----------------------------------------------------------------------------


@router.post(
    "/monitor/cycles",
    response_model=CycleRunOut,
    status_code=202,
    dependencies=[Depends(require_write)],
    tags=["feeds", "write"],
    responses={
        **WRITE_RESPONSES,
        409: {"description": "The live monitor of this server has stopped (see its log)."},
    },
)
def request_cycle(
    request: Request,
    response: Response,
    feeds: Annotated[
        Literal["all", "due"],
        Query(
            description="`all`: poll every enabled feed now (conditional requests); `due`: only"
            " the feeds whose next poll time has come."
        ),
    ] = "all",
) -> Any:
    """Run a monitor cycle now: poll the feeds and fetch new articles, as `parallax watch
    --once` does. Under `parallax serve --monitor` this wakes the live monitor (`mode:
    attached`); otherwise the server runs one cycle in a background thread (`mode:
    on_demand`). Answers `202` at once with the run to poll at `url`; a request while another
    is still queued gets that run back (one cycle serves both)."""
    runner: CycleRunner = request.app.state.cycles
    if feeds == "all" and runner.stopped is None:
        ctx = context(request)
        with ctx.writable() as store:
            feeds_due_now(store)
    try:
        run, _new = runner.request()
    except MonitorStopped as err:
        raise HTTPException(409, detail=str(err)) from err
    response.headers["Location"] = f"/api/v1/monitor/cycles/{run.id}"
    return run.as_dict()


@router.get("/monitor", response_model=MonitorState, tags=["feeds"])
def monitor_state(request: Request) -> Any:
    """Cycles asked for through the API: the queued and running ones, and the last few."""
    runner: CycleRunner = request.app.state.cycles
    return runner.state()


@router.get(
    "/monitor/cycles/{run_id}",
    response_model=CycleRunOut,
    tags=["feeds"],
    responses={404: {"description": "No such run (only the last 50 are kept)."}},
)
def get_cycle(request: Request, run_id: int) -> Any:
    """One requested cycle: `queued`, `running`, `done` (with its summary) or `failed`."""
    runner: CycleRunner = request.app.state.cycles
    run = runner.get(run_id)
    if run is None:
        raise HTTPException(404, detail=f"no cycle run {run_id} (only the last 50 are kept)")
    return run.as_dict()
