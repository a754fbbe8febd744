"""The REST API, ``/api/v1``: thin routes over :mod:`.queries` and the library.

Lists take ``format=json`` (a page, with ``next_cursor`` and ``next``) or ``format=csv|jsonl``
(every matching row from ``cursor`` on, streamed, at most ``limit``). Bad filters are ``422``
with the parameter named; a bad cursor is ``400``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.responses import Response as PlainResponse

from .. import __version__
from ..analyze.stats import corpus_stats
from ..errors import ConfigError
from . import insight, queries
from .app import conditional, context, require_write
from .context import WebContext
from .cycles import CycleRunner, MonitorStopped, feeds_due_now
from .exports import EXPORT_RESPONSES, ExportFormat, export_response, listed, paged_rows
from .filters import FilterError, article_filters, check_camp, check_code, check_theme, date_bound
from .models import (
    ActorBrief,
    ActorDetail,
    ActorList,
    AlertList,
    AlertOut,
    ArticleDetail,
    ArticlePage,
    CampList,
    CycleRunOut,
    EventPage,
    FeedList,
    FeedOut,
    Health,
    MonitorState,
    NewFeed,
    NewOutlet,
    OutletList,
    OutletOut,
    RelationOut,
    Stats,
    StoryDetail,
    StoryList,
    StoryOut,
    Timeline,
)
from .outlet_file import OutletFileError, add_outlet

router = APIRouter()
PAGE_DEFAULT, PAGE_MAX, EXPORT_MAX = 50, 500, 1_000_000

Outlet = Annotated[
    str | None, Query(description="Outlet id, domain or name (see /api/v1/outlets).")
]
Camp = Annotated[str | None, Query(description="Camp id (see /api/v1/camps).")]
Language = Annotated[str | None, Query(description="ISO 639-1 code: en, ru, fa…")]
Since = Annotated[str | None, Query(description="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")]
Until = Annotated[str | None, Query(description="Up to and including this date.")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page.")]
Limit = Annotated[
    int | None,
    Query(
        ge=1, le=EXPORT_MAX, description="Page size (JSON: 1–500, default 50); rows of an export."
    ),
]
Format = Annotated[ExportFormat, Query(description="`json` page, or a `csv`/`jsonl` export.")]


def _page_limit(limit: int | None, fmt: str) -> int | None:
    if fmt != "json":
        return limit
    if limit is not None and limit > PAGE_MAX:
        raise FilterError(
            "limit", f"at most {PAGE_MAX} per JSON page; use format=csv or jsonl to export more"
        )
    return limit or PAGE_DEFAULT


def _next_url(request: Request, cursor: str | None) -> str | None:
    return str(request.url.include_query_params(cursor=cursor)) if cursor else None


@router.get("/health", response_model=Health, tags=["meta"])
def health(request: Request) -> Health:
    """Whether the store can be read, and what this server serves."""
    ctx = context(request)
    store = ctx.store()
    return Health(
        status="ok",
        version=__version__,
        watch=ctx.watch.name,
        schema_version=store.version,
        articles=store.count(),
        writes_enabled=ctx.token is not None,
        read_access=ctx.read_access,
    )


@router.get(
    "/articles",
    response_model=ArticlePage,
    responses=EXPORT_RESPONSES,
    dependencies=[Depends(conditional)],
    tags=["articles"],
)
def list_articles(
    request: Request,
    outlet: Outlet = None,
    camp: Camp = None,
    language: Language = None,
    since: Since = None,
    until: Until = None,
    actor: Annotated[
        str | None, Query(description="Only articles mentioning this actor id.")
    ] = None,
    theme: Annotated[
        str | None, Query(description="Only articles tagged with this theme id, e.g. sanctions.")
    ] = None,
    story: Annotated[
        str | None, Query(description="Only the articles of this story (see /api/v1/stories).")
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=500, description='Full-text query: words, "phrase", OR, -word, pre*.'),
    ] = None,
    include_duplicates: Annotated[bool, Query(description="Also list syndicated copies.")] = False,
    cursor: Cursor = None,
    limit: Limit = None,
    format: Format = "json",
) -> Any:
    """Articles, newest first (best first with `q`), filtered."""
    ctx = context(request)
    f = article_filters(
        ctx.store(),
        ctx.watch,
        outlet=outlet,
        camp=camp,
        language=language,
        since=since,
        until=until,
        actor=actor,
        theme=theme,
        story=story,
        q=q,
        include_duplicates=include_duplicates,
    )
    size = _page_limit(limit, format)
    if format == "json":
        assert size is not None
        items, next_cursor = queries.list_articles(ctx.store(), f, cursor=cursor, limit=size)
        return {"items": items, "next_cursor": next_cursor, "next": _next_url(request, next_cursor)}

    def fetch(position: str | None) -> tuple[list[dict[str, Any]], str | None]:
        return queries.list_articles(context(request).store(), f, cursor=position, limit=1000)

    queries.list_articles(ctx.store(), f, cursor=cursor, limit=1)  # a bad cursor fails here
    columns = [n for n in ArticlePageColumns if f.query is not None or n != "score"]
    return export_response(
        paged_rows(fetch, cursor=cursor, limit=size), fmt=format, columns=columns, name="articles"
    )


ArticlePageColumns = [
    "id", "url", "title", "outlet", "outlet_name", "camp", "language", "published",
    "date_precision", "duplicate_of", "duplicates", "quality_flags", "score", "snippet",
]  # fmt: skip


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    dependencies=[Depends(conditional)],
    tags=["articles"],
    responses={404: {"description": "No such article."}},
)
def get_article(request: Request, article_id: str) -> Any:
    """One article with its mentions, events and themes, its outlet's camp and the evidence
    for it, and its duplicates."""
    ctx = context(request)
    detail = queries.article_detail(ctx.store(), ctx.watch, article_id)
    if detail is None:
        raise HTTPException(404, detail=f"no article {article_id!r}")
    return detail


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
    rows = ctx.cached("outlets", lambda: queries.outlets(ctx.store(), ctx.watch))
    rows = [r for r in rows if not camp or r["camp"] == camp]
    if format == "json":
        return {"items": rows}
    return export_response(
        listed(rows), fmt=format, columns=list(OutletOut.model_fields), name="outlets"
    )


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
    rows = ctx.cached("outlets", lambda: queries.outlets(ctx.store(), ctx.watch))
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
        401: {"description": "Missing or wrong bearer token."},
        403: {"description": "Writes are disabled (no PARALLAX_API_TOKEN)."},
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
    rows = queries.outlets(ctx.store(), ctx.watch)
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
    rows = ctx.cached("camps", lambda: queries.camps(ctx.store(), ctx.watch))
    if format == "json":
        return {"items": rows}
    columns = ["id", "label", "description", "color", "outlets", "articles"]
    return export_response(listed(rows), fmt=format, columns=columns, name="camps")


# -- actors ------------------------------------------------------------------------------------


def actor_briefs(request: Request, q: str | None, limit: int) -> list[dict[str, Any]]:
    """Dictionary entries matching ``q`` (or the most mentioned actors) with article counts."""
    ctx = context(request)
    dictionary = ctx.dictionary()
    store = ctx.store()
    if q:
        found = ctx.search_actors(q, limit=limit)
        counts = queries.mention_counts(store, [a.id for a in found])
        pairs = [(a.id, counts.get(a.id, 0)) for a in found]
    else:
        pairs = ctx.cached("top-actors", lambda: queries.top_actors(store, limit=PAGE_MAX))[:limit]
    rows = []
    for actor_id, n in pairs:
        entry = dictionary.get(actor_id)
        country, sector = entry.resolve(None) if entry else (None, None)
        rows.append(
            {
                "id": actor_id,
                "kind": entry.kind if entry else None,
                "label": entry.label if entry else actor_id,
                "country": country,
                "sector": sector,
                "source": entry.source if entry else None,
                "articles": n,
            }
        )
    return rows


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
    rows = actor_briefs(request, q.strip() if q else None, limit)
    if format == "json":
        return {"items": rows}
    return export_response(
        listed(rows), fmt=format, columns=list(ActorBrief.model_fields), name="actors"
    )


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
    mentions = ctx.cached(
        f"actor:{actor_id}", lambda: queries.actor_mentions(ctx.store(), actor_id)
    )
    if entry is None and mentions["mentions"] == 0:
        raise HTTPException(404, detail=f"no actor {actor_id!r} (try /api/v1/actors?q=NAME)")
    return {
        "id": actor_id,
        "in_dictionary": entry is not None,
        "entry": entry.as_dict() if entry else None,
        "label": entry.label if entry else actor_id,
        "mentions": mentions,
    }


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
    size = _page_limit(limit, format)
    if format == "json":
        assert size is not None
        items, next_cursor = queries.list_events(store, cursor=cursor, limit=size, **params)
        return {"items": items, "next_cursor": next_cursor, "next": _next_url(request, next_cursor)}

    def fetch(position: str | None) -> tuple[list[dict[str, Any]], str | None]:
        return queries.list_events(context(request).store(), cursor=position, limit=1000, **params)

    queries.list_events(store, cursor=cursor, limit=1, **params)
    return export_response(
        paged_rows(fetch, cursor=cursor, limit=size), fmt=format, columns=EVENT_COLUMNS,
        name="events",
    )  # fmt: skip


# -- statistics and feeds ----------------------------------------------------------------------


def stats_data(ctx: WebContext) -> dict[str, Any]:
    """:func:`corpus_stats` and the annotation counts, cached until the store changes."""

    def compute() -> dict[str, Any]:
        store = ctx.store()
        return {**corpus_stats(store), **queries.annotation_counts(store)}

    return ctx.cached("stats", compute)


@router.get("/stats", response_model=Stats, dependencies=[Depends(conditional)], tags=["meta"])
def stats(request: Request) -> Any:
    """Counts by outlet, camp, language and month; duplicates, quality flags, annotations."""
    return stats_data(context(request))


@router.get(
    "/feeds",
    response_model=FeedList,
    dependencies=[Depends(conditional)],
    tags=["feeds"],
    responses={404: {"description": "This store has no monitor tables."}},
)
def list_feeds(request: Request) -> Any:
    """The live monitor's feeds with their health (status, items per day, last error)."""
    rows = queries.feeds_health(context(request).store())
    if rows is None:
        raise HTTPException(404, detail="this store has no feed tables")
    return {"items": rows}


@router.post(
    "/feeds",
    response_model=FeedOut,
    status_code=201,
    dependencies=[Depends(require_write)],
    tags=["feeds", "write"],
    responses={
        401: {"description": "Missing or wrong bearer token."},
        403: {"description": "Writes are disabled (no PARALLAX_API_TOKEN)."},
    },
)
def create_feed(request: Request, feed: NewFeed, response: Response) -> Any:
    """Add a feed (RSS, Atom, JSON Feed, sitemap or homepage) for the live monitor to poll, as
    `parallax feeds add` does."""
    from ..monitor.frontier import Frontier
    from ..monitor.netguard import Blocked, check_url

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
        401: {"description": "Missing or wrong bearer token."},
        403: {"description": "Writes are disabled (no PARALLAX_API_TOKEN)."},
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


# -- alerts ------------------------------------------------------------------------------------

ALERT_KINDS = ("threshold", "changepoint", "new_story", "first_type", "blindspot")
NO_TABLES: dict[int | str, dict[str, Any]] = {
    404: {"description": "The store lacks these tables, or their job has not run."}
}


@router.post(
    "/alerts/{alert_id}/ack",
    status_code=200,
    dependencies=[Depends(require_write)],
    tags=["alerts", "write"],
    responses={
        401: {"description": "Missing or wrong bearer token."},
        403: {"description": "Writes are disabled (no PARALLAX_API_TOKEN)."},
        404: {"description": "No such alert, or no alert tables yet."},
    },
)
def ack_alert(request: Request, alert_id: int) -> Any:
    """Acknowledge an alert, as `parallax alerts --ack ID` does: it leaves the default listing
    (the Atom feed keeps it)."""
    from ..analyze import alerts as alert_rules

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
    missing = insight.alerts_missing(store)
    if missing:
        raise HTTPException(404, detail=missing)
    items = insight.list_alerts(
        store,
        watch=ctx.watch.name,
        include_acked=include_acked,
        kind=kind,
        since=since.strip() if since else None,
        limit=limit,
    )
    if format == "json":
        return {"items": items}
    return export_response(
        listed(items), fmt=format, columns=list(AlertOut.model_fields), name="alerts"
    )


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
    missing = insight.alerts_missing(store)
    if missing:
        raise HTTPException(404, detail=missing)
    body = insight.atom(
        store,
        watch=ctx.watch.name,
        title=f"Parallax alerts: {ctx.watch.title}",
        link=str(request.url),
    )
    return PlainResponse(body, media_type="application/atom+xml; charset=utf-8")


# -- the relation index and the timeline -------------------------------------------------------

Freq = Annotated[
    Literal["day", "week", "month"], Query(description="One point per day, week or month.")
]
Both = Annotated[bool, Query(description="Both directions together (A→B and B→A).")]


def check_state(code: str, *, param: str) -> str:
    """A state (or actor) code of a dyad, upper-cased; ``422`` when it is not one."""
    checked = check_code(code, param=param)
    if not checked or len(checked) > 40:
        raise FilterError(param, f"not a valid {param}: {code!r}")
    return checked.upper()


def relation_params(
    request: Request, camp: str | None, since: str | None, until: str | None
) -> None:
    """Validate the shared filters of the relation endpoints (``422`` naming the parameter)."""
    ctx = context(request)
    if camp and camp != "*":
        check_camp(ctx.store(), ctx.watch, camp)
    lo = date_bound(since, param="since", end=False)
    hi = date_bound(until, param="until", end=True)
    if lo is not None and hi is not None and lo > hi:
        raise FilterError("until", f"until ({until}) is before since ({since})")


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
    relation_params(request, camp, since, until)
    store = ctx.store()
    missing = insight.relations_missing(store)
    if missing:
        raise HTTPException(404, detail=missing)
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
    relation_params(request, None, since, until)
    return insight.milestones(context(request).store(), a, b, since=since, until=until, limit=limit)


# -- stories -----------------------------------------------------------------------------------


@router.get(
    "/stories",
    response_model=StoryList,
    dependencies=[Depends(conditional)],
    tags=["stories"],
    responses={**EXPORT_RESPONSES, **NO_TABLES},
)
def list_stories(
    request: Request,
    camp: Annotated[str | None, Query(description="Only stories this camp covered.")] = None,
    since: Since = None,
    until: Until = None,
    min_camps: Annotated[int, Query(ge=1, le=50)] = 1,
    min_articles: Annotated[int, Query(ge=1, le=100_000)] = 2,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50,
    format: Format = "json",
) -> Any:
    """Stories (articles about one real-world event across outlets and languages, from
    `parallax cluster`), most camps first, then most articles, with coverage by camp."""
    ctx = context(request)
    store = ctx.store()
    if camp:
        check_camp(store, ctx.watch, camp)
    lo = date_bound(since, param="since", end=False)
    hi = date_bound(until, param="until", end=True)
    missing = insight.stories_missing(store)
    if missing:
        raise HTTPException(404, detail=missing)
    items = insight.list_stories(
        store,
        since_ts=lo,
        until_ts=hi,
        camp=camp,
        min_camps=min_camps,
        min_articles=min_articles,
        limit=limit,
    )
    if format == "json":
        return {"items": items}
    return export_response(
        listed(items), fmt=format, columns=list(StoryOut.model_fields), name="stories"
    )


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    dependencies=[Depends(conditional)],
    tags=["stories"],
    responses={404: {"description": "No such story, or no stories in this store."}},
)
def get_story(request: Request, story_id: str) -> Any:
    """One story: its articles in order, coverage by camp, themes and most named actors."""
    store = context(request).store()
    missing = insight.stories_missing(store)
    if missing:
        raise HTTPException(404, detail=missing)
    found = insight.story(store, story_id)
    if found is None:
        raise HTTPException(404, detail=f"no story {story_id!r}")
    return found


# -- camp comparison ---------------------------------------------------------------------------


def compare_data(
    request: Request,
    camps: str | None,
    since: str | None,
    until: str | None,
    theme: str | None,
) -> dict[str, Any]:
    """The comparison for the query (checked), with the window actually compared; cached until
    the store changes. Raises :class:`FilterError` on a bad parameter."""
    ctx = context(request)
    store = ctx.store()
    chosen = tuple(dict.fromkeys(c.strip() for c in (camps or "").split(",") if c.strip()))
    for c in chosen:
        check_camp(store, ctx.watch, c, param="camps")
    theme = check_theme(store, ctx.watch, theme)
    lo = date_bound(since, param="since", end=False)
    hi = date_bound(until, param="until", end=True)
    if lo is not None and hi is not None and lo > hi:
        raise FilterError("since", "since is after until")
    return cached_compare(ctx, chosen, lo, hi, theme)


def cached_compare(
    ctx: WebContext,
    camps: tuple[str, ...] = (),
    lo: int | None = None,
    hi: int | None = None,
    theme: str | None = None,
) -> dict[str, Any]:
    """The comparison of checked parameters over :func:`insight.compare_window` of ``lo`` and
    ``hi``, cached until the store changes (the server computes the default one ahead)."""
    store = ctx.store()
    lo, hi, capped = insight.compare_window(store, lo, hi)
    missing = insight.stories_missing(store)

    def compute() -> dict[str, Any]:
        data = insight.camp_compare(
            store, ctx.watch, camps=camps, since_ts=lo, until_ts=hi, theme=theme
        )
        return {
            "watch": ctx.watch.name,
            "window": {
                "since": _day(lo),
                "until": _day(hi),
                "capped": capped,
                "default_days": insight.COMPARE_DEFAULT_DAYS,
                "max_days": insight.COMPARE_MAX_DAYS,
            },
            "stories_missing": missing,
            **data,
        }

    return ctx.cached(f"compare:{','.join(camps)}:{lo}:{hi}:{theme}", compute)


def _day(ts: int | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).date().isoformat() if ts is not None else None


@router.get("/compare", dependencies=[Depends(conditional)], tags=["stories"])
def get_compare(
    request: Request,
    camps: Annotated[
        str | None, Query(description="Comma-separated camp ids (default: every camp).")
    ] = None,
    since: Since = None,
    until: Until = None,
    theme: Annotated[str | None, Query(description="Only articles with this theme.")] = None,
) -> dict[str, Any]:
    """Camp comparison (`parallax compare`): coverage and blindspots per story, theme emphasis
    with 95 % intervals, framing terms per language (Monroe log-odds), claims and tone toward the
    watch's states, each figure with the ids of its articles. The window defaults to the last
    30 days of the store and is cut to at most 92 days (`window.capped`); `stories_missing`
    says when `parallax cluster` has not run (coverage, framing and claims need stories)."""
    return compare_data(request, camps, since, until, theme)
