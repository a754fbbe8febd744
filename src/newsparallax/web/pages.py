"""The dashboard: server-rendered pages over the same queries as the API.

Templates live in the package (``data/web/templates``) with autoescaping on for everything;
text from feeds and articles is never marked safe, and every value rendered loses its
bidirectional embedding, override and isolate controls (:func:`.textnorm.bidi_safe`). Mentions
are highlighted by cutting the text into segments (:func:`.charts.segments`) that the template
escapes one by one. Only ``http(s)`` URLs become links (:func:`http_url`). Text direction
follows the language (``rtl`` for Persian, Arabic, Hebrew, Urdu, Pashto), and ``dir="auto"``
wherever the language is not known.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined

from .. import __version__
from ..analyze.stories.saved import story_heads
from ..report.charts import (
    camp_colors,
    coverage_bar,
    interval_bars,
    relation_chart,
    segments,
    stacked_bars,
    story_timeline,
)
from ..textnorm import bidi_safe
from . import insight, queries
from .api import actor_briefs, check_state, compare_data, relation_params, stats_data
from .app import conditional, context
from .context import WebContext
from .exports import parquet_available
from .filters import (
    FilterError,
    article_filters,
    check_camp,
    check_code,
    date_bound,
    known_camps,
    known_themes,
)

router = APIRouter(include_in_schema=False)
RTL_LANGUAGES = frozenset({"fa", "ar", "he", "ur", "ps", "yi", "dv", "ckb"})
NOT_YET = {
    "relations": ("Relation index", "cooperation vs conflict between the watch's dyads, by "
                  "camp, built from the coded events"),
    "alerts": ("Alerts", "changes in the relation index"),
    "stories": ("Top stories and blindspots", "articles clustered into stories, with each "
                "camp's coverage, and the stories a camp ignored"),
}  # fmt: skip
"""What the overview shows once the job behind it has run, said plainly when it has not."""


def http_url(value: Any) -> str | None:
    """``value`` if it is an absolute http(s) URL with a host, else ``None`` (never linked)."""
    if not isinstance(value, str) or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


def when(value: Any) -> str:
    """A stored date for people: ``2024-11-21 16:05 UTC``; dates at day, month or year
    precision stay as they are."""
    if not isinstance(value, str) or "T" not in value:
        return str(value) if value else "undated"
    day, _, time = value.partition("T")
    return f"{day} {time[:5]} UTC"


def text_dir(language: str | None) -> str:
    if not language or language == "und":
        return "auto"
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


def _query(params: dict[str, Any]) -> str:
    """A URL query of the non-empty ``params`` (``True`` as ``true``)."""
    return urlencode(
        {k: ("true" if v is True else v) for k, v in params.items() if v not in (None, "", False)}
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsparallax", "data/web/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=bidi_safe,
    )
    env.filters["http_url"] = http_url
    env.filters["text_dir"] = text_dir
    env.filters["when"] = when
    env.filters["query"] = _query
    env.globals["version"] = __version__
    return env


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    ctx = context(request)
    has_feeds = ctx.cached("has-feeds", lambda: queries.has_feeds(ctx.store()))
    base = {"watch": ctx.watch, "show_feeds": has_feeds, "path": request.url.path}
    return templates.TemplateResponse(request, name, {**base, **values}, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> Response:
    try:
        return render(request, "error.html", status_code=status, status=status, message=message)
    except Exception:  # the error page itself failed: plain text (never parsed as HTML)
        return Response(f"{status}: {message}", status_code=status, media_type="text/plain")


def _camp_labels(request: Request) -> dict[str, str]:
    watch = context(request).watch
    labels = {cid: c.label for cid, c in watch.camps.items()}
    labels["unknown"] = "No camp"
    return labels


# -- overview ----------------------------------------------------------------------------------


def overview_data(ctx: WebContext) -> dict[str, Any]:
    """What the overview shows (cached until the store changes; computed ahead at start)."""
    store = ctx.store()
    coverage = queries.coverage_by_camp_month(store)
    top = queries.top_actors_by_camp(store, per_camp=5)
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
        "latest": queries.list_articles(
            store, article_filters(store, ctx.watch), cursor=None, limit=10
        )[0],
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
    data = ctx.cached(
        f"relation:{a}:{b}:month:None:None:None:True",
        lambda: insight.relation(
            ctx.store(),  # this thread's, or the background refresher's
            a,
            b,
            camp=None,
            freq="month",
            since=None,
            until=None,
            both=True,
            watch=ctx.watch,
        ),
        background=True,
    )
    series = [s for s in data["series"] if s["camp"] != "*"] or data["series"]
    if not series:
        return None, ""
    keys = [s["camp"] for s in series]
    order = _camp_order(ctx, keys)
    series.sort(key=lambda s: order.index(s["camp"]) if s["camp"] in order else len(order))
    colors = camp_colors(ctx.watch.camps, order)
    colors["*"] = "#444444"

    def href(series_camp: str, point: dict[str, Any]) -> str:
        return "/events?" + _query(
            {
                "source": a,
                "target": b,
                "both": True,
                "camp": series_camp if series_camp in ctx.watch.camps else None,
                "since": point["start"],
                "until": point["end"],
            }
        )

    title = f"{a} ↔ {b}: cooperation and conflict events per month, by camp"
    chart = relation_chart(
        series,
        freq="month",
        labels={**_camp_labels(request), "*": "All camps"},
        colors=colors,
        href=href,
        title=title,
        changes=data["change_points"],
    )
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
        camp_labels=_camp_labels(request),
        colors=camp_colors(ctx.watch.camps, order),
        relation_overview=relation_overview,
        relation_link=relation_link,
        story_bars=[
            coverage_bar(
                st["coverage"],
                labels=_camp_labels(request),
                colors=camp_colors(ctx.watch.camps, _camp_order(ctx, sorted(st["coverage"]))),
                order=_camp_order(ctx, sorted(st["coverage"])),
            )
            for st in data["top_stories"]
        ],
    )


# -- one article -------------------------------------------------------------------------------


@router.get(
    "/articles/{article_id}", response_class=HTMLResponse, dependencies=[Depends(conditional)]
)
def article_page(request: Request, article_id: str) -> Response:
    ctx = context(request)
    detail = queries.article_detail(ctx.store(), ctx.watch, article_id)
    if detail is None:
        raise HTTPException(404, detail=f"no article {article_id!r}")
    spans: dict[str, list[tuple[int, int, str, str]]] = {"title": [], "summary": [], "text": []}
    for m in detail["mentions"]:
        spans.setdefault(m["field"], []).append((m["start"], m["end"], m["actor"], m["kind"]))
    dictionary = ctx.dictionary()
    actors: dict[str, dict[str, Any]] = {}
    for m in detail["mentions"]:
        row = actors.setdefault(
            m["actor"],
            {
                "id": m["actor"],
                "label": dictionary[m["actor"]].label if m["actor"] in dictionary else m["actor"],
                "kind": m["kind"],
                "country": m["country"],
                "forms": {},
            },
        )
        row["forms"][m["text"]] = row["forms"].get(m["text"], 0) + 1
    for event in detail["events"]:
        source = detail.get(event["field"]) or ""
        event["sentence"] = source[event["sentence_start"] : event["sentence_end"]]
    camp = detail["outlet"]["camp"]
    return render(
        request,
        "article.html",
        a=detail,
        title_segments=segments(detail["title"], spans["title"]),
        summary_segments=segments(detail["summary"], spans["summary"]),
        text_segments=segments(detail["text"], spans["text"]),
        actors=sorted(actors.values(), key=lambda r: -sum(r["forms"].values())),
        camp_color=camp_colors(ctx.watch.camps, [camp or "unknown"])[camp or "unknown"],
    )


# -- search ------------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def search_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=500)] = None,
    outlet: str | None = None,
    camp: str | None = None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
    actor: str | None = None,
    theme: str | None = None,
    story: str | None = None,
    include_duplicates: bool = False,
    cursor: str | None = None,
) -> Response:
    ctx = context(request)
    store = ctx.store()
    form = {
        "q": q or "",
        "outlet": outlet or "",
        "camp": camp or "",
        "language": language or "",
        "since": since or "",
        "until": until or "",
        "actor": actor or "",
        "theme": theme or "",
        "story": story or "",
        "include_duplicates": include_duplicates,
    }
    error: FilterError | None = None
    items: list[dict[str, Any]] = []
    next_cursor = None
    try:
        f = article_filters(
            store,
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
        items, next_cursor = queries.list_articles(store, f, cursor=cursor, limit=25)
    except FilterError as err:
        error = err
    for item in items:
        item["segments"] = segments(
            item["snippet"], [(s, e, "", "hit") for s, e in item["highlights"]]
        )
    languages = ctx.cached(
        "languages",
        lambda: [
            str(r[0])
            for r in store.conn.execute(
                "SELECT language FROM articles GROUP BY language ORDER BY count(*) DESC"
            )
        ],
    )
    return render(
        request,
        "search.html",
        status_code=error.status if error else 200,
        error=f"{error.param}: {error.message}" if error else None,
        form=form,
        items=items,
        next_query=_query({**form, "cursor": next_cursor}) if next_cursor else None,
        camps=known_camps(store, ctx.watch),
        camp_labels=_camp_labels(request),
        languages=languages,
        themes=ctx.cached("themes", lambda: known_themes(store, ctx.watch)),
        story_label=_story_labels(store, {story.strip()}).get(story.strip()) if story else None,
        export_query=_query({k: v for k, v in form.items()}),
        parquet=parquet_available(),
    )


# -- actors ------------------------------------------------------------------------------------


@router.get("/actors", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def actors_page(
    request: Request, q: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    rows = actor_briefs(request, q.strip() if q else None, 50)
    return render(request, "actors.html", q=q or "", rows=rows)


@router.get("/actors/{actor_id}", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def actor_page(request: Request, actor_id: str) -> Response:
    ctx = context(request)
    store = ctx.store()
    entry = ctx.dictionary().get(actor_id)
    mentions = ctx.cached(f"actor:{actor_id}", lambda: queries.actor_mentions(store, actor_id))
    if entry is None and mentions["mentions"] == 0:
        raise HTTPException(404, detail=f"no actor {actor_id!r}")
    by_month: dict[str, dict[str, int]] = {}
    for row in mentions["by_month"]:
        by_month.setdefault(row["month"], {})[row["camp"]] = row["articles"]
    label = entry.label if entry else actor_id
    latest = ctx.cached(
        f"actor-latest:{actor_id}",
        lambda: queries.list_articles(
            store, article_filters(store, ctx.watch, actor=actor_id), cursor=None, limit=10
        )[0],
    )
    return render(
        request,
        "actor.html",
        actor_id=actor_id,
        entry=entry,
        label=label,
        mentions=mentions,
        chart=stacked_bars(
            by_month, camps=ctx.watch.camps, title=f"Articles mentioning {label}, by camp"
        ),
        camp_labels=_camp_labels(request),
        latest=latest,
        text_dir=text_dir,
    )


# -- outlets and feeds -------------------------------------------------------------------------


@router.get("/outlets", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def outlets_page(request: Request) -> Response:
    ctx = context(request)
    rows = ctx.cached("outlets", lambda: queries.outlets(ctx.store(), ctx.watch))
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["camp"] or "unknown", []).append(row)
    order = [c for c in ctx.watch.camps if c in groups] + [
        c for c in groups if c not in ctx.watch.camps
    ]
    return render(
        request,
        "outlets.html",
        groups=[(c, groups[c]) for c in order],
        camp_labels=_camp_labels(request),
        colors=camp_colors(ctx.watch.camps, order),
    )


@router.get("/feeds", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def feeds_page(request: Request) -> Response:
    rows = queries.feeds_health(context(request).store())
    if rows is None:
        raise HTTPException(404, detail="this store has no feed tables (no live monitor)")
    return render(
        request,
        "feeds.html",
        rows=rows,
        cycles=request.app.state.cycles.state(),
        base_url=str(request.base_url),
    )


# -- alerts ------------------------------------------------------------------------------------


@router.get("/alerts", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def alerts_page(request: Request, include_acked: bool = False) -> Response:
    ctx = context(request)
    store = ctx.store()
    missing = insight.alerts_missing(store)
    items = (
        []
        if missing
        else insight.list_alerts(store, watch=ctx.watch.name, include_acked=include_acked)
    )
    return render(
        request,
        "alerts.html",
        missing=missing,
        items=items,
        include_acked=include_acked,
        camp_labels=_camp_labels(request),
    )


# -- events ------------------------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def events_page(
    request: Request,
    source: str | None = None,
    target: str | None = None,
    type: str | None = None,
    camp: str | None = None,
    since: str | None = None,
    until: str | None = None,
    both: bool = False,
    cursor: str | None = None,
) -> Response:
    """Coded events with the sentence and article behind each: where a chart's bar leads."""
    ctx = context(request)
    store = ctx.store()
    form = {
        "source": source or "",
        "target": target or "",
        "type": type or "",
        "camp": camp or "",
        "since": since or "",
        "until": until or "",
        "both": both,
    }
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
    items, next_cursor = queries.list_events(store, cursor=cursor, limit=50, **params)
    sentences = queries.event_sentences(store, items)
    for item, sentence in zip(items, sentences, strict=True):
        item["sentence"] = sentence
    return render(
        request,
        "events.html",
        form=form,
        items=items,
        camp_labels=_camp_labels(request),
        next_query=_query({**form, "cursor": next_cursor}) if next_cursor else None,
        export_query=_query({**form, "format": "csv"}),
        parquet=parquet_available(),
        text_dir=text_dir,
    )


# -- relations ---------------------------------------------------------------------------------

FREQS = ("day", "week", "month")


def _camp_order(ctx: WebContext, keys: list[str]) -> list[str]:
    return [c for c in ctx.watch.camps if c in keys] + sorted(
        c for c in keys if c not in ctx.watch.camps
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
    relation_params(request, camp, since, until)
    form = {"freq": freq, "camp": camp or "", "since": since or "", "until": until or ""}
    arrow = "↔" if both else "→"
    labels = {**_camp_labels(request), "*": "All camps"}
    missing = insight.relations_missing(store)
    chart = None
    data: dict[str, Any] = {}
    if not missing:
        data = ctx.cached(
            f"relation:{a}:{b}:{freq}:{camp}:{since}:{until}:{both}",
            lambda: insight.relation(
                store,
                a,
                b,
                camp=camp,
                freq=freq,
                since=since,
                until=until,
                both=both,
                watch=ctx.watch,
            ),
        )
        series = data["series"]
        if not camp:  # every camp apart; "all camps" is their sum, shown in the table
            series = [s for s in series if s["camp"] != "*"] or series
        keys = [s["camp"] for s in series]
        colors = camp_colors(ctx.watch.camps, _camp_order(ctx, keys))
        colors["*"] = "#444444"

        def href(series_camp: str, point: dict[str, Any]) -> str:
            return "/events?" + _query(
                {
                    "source": a,
                    "target": b,
                    "both": both,
                    "camp": series_camp if series_camp in ctx.watch.camps else None,
                    "since": point["start"],
                    "until": point["end"],
                }
            )

        order = _camp_order(ctx, keys)
        series.sort(key=lambda s: order.index(s["camp"]) if s["camp"] in order else len(order))
        chart = relation_chart(
            series,
            freq=freq,
            labels=labels,
            colors=colors,
            href=href,
            title=f"{a} {arrow} {b}: cooperation and conflict events per {freq}, by camp",
            changes=data["change_points"],
        )
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
        timeline=timeline_data,
        camps=known_camps(store, ctx.watch),
        camp_labels=labels,
        api_query=_query({**form, "both": both}),
        events_query=_query({"source": a, "target": b, "both": both, **form, "freq": None}),
    )


# -- stories -----------------------------------------------------------------------------------


@router.get("/stories", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def stories_page(
    request: Request,
    camp: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_camps: Annotated[int, Query(ge=1, le=50)] = 1,
) -> Response:
    ctx = context(request)
    store = ctx.store()
    if camp:
        check_camp(store, ctx.watch, camp)
    lo = date_bound(since, param="since", end=False)
    hi = date_bound(until, param="until", end=True)
    missing = insight.stories_missing(store)
    items: list[dict[str, Any]] = []
    if not missing:
        items = insight.list_stories(
            store, since_ts=lo, until_ts=hi, camp=camp, min_camps=min_camps, min_articles=2,
            limit=100,
        )  # fmt: skip
    labels = _camp_labels(request)
    keys = sorted({c for s in items for c in s["coverage"]})
    order = _camp_order(ctx, keys)
    colors = camp_colors(ctx.watch.camps, order)
    for s in items:
        s["bar"] = coverage_bar(s["coverage"], labels=labels, colors=colors, order=order)
    return render(
        request,
        "stories.html",
        missing=missing,
        items=items,
        form={
            "camp": camp or "",
            "since": since or "",
            "until": until or "",
            "min_camps": min_camps,
        },
        camps=known_camps(store, ctx.watch),
        camp_labels=labels,
        legend=[(c, labels.get(c, c), colors[c]) for c in order],
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def story_page(request: Request, story_id: str) -> Response:
    ctx = context(request)
    store = ctx.store()
    missing = insight.stories_missing(store)
    if missing:
        return render(request, "story.html", missing=missing, s=None)
    found = insight.story(store, story_id)
    if found is None:
        raise HTTPException(404, detail=f"no story {story_id!r}")
    labels = _camp_labels(request)
    keys = sorted({a["camp"] or "unknown" for a in found["articles"]})
    order = _camp_order(ctx, keys)
    colors = camp_colors(ctx.watch.camps, order)
    columns: dict[str, list[dict[str, Any]]] = {c: [] for c in order}
    for art in found["articles"]:
        columns[art["camp"] or "unknown"].append(art)
    per_story = insight.story_compare(store, ctx.watch, story_id) or {}
    ids: set[str] = set()
    _ids_in(per_story, ids)
    return render(
        request,
        "story.html",
        missing=None,
        s=found,
        bar=coverage_bar(found["coverage"], labels=labels, colors=colors, order=order),
        chart=story_timeline(found["articles"], labels=labels, colors=colors, order=order),
        columns=[(c, labels.get(c, c), colors[c], columns[c]) for c in order],
        camp_labels=labels,
        text_dir=text_dir,
        sc=per_story,
        titles=_titles(store, ids),
    )


# -- camp comparison ---------------------------------------------------------------------------


def _anchor(*parts: str) -> str:
    return "-".join(quote(p, safe="") for p in parts)


def _ids_in(value: Any, out: set[str]) -> None:
    """Every article id named in a compare result (``article_ids`` lists and ``article_id``)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "article_ids" and isinstance(v, list):
                out.update(str(x) for x in v)
            elif k == "article_id" and isinstance(v, str):
                out.add(v)
            else:
                _ids_in(v, out)
    elif isinstance(value, list):
        for v in value:
            _ids_in(v, out)


def _titles(store: Any, ids: set[str]) -> dict[str, tuple[str, str]]:
    """Article id → (title, language), for linking the articles behind a figure."""
    found: dict[str, tuple[str, str]] = {}
    listed = sorted(ids)
    for i in range(0, len(listed), 500):
        chunk = listed[i : i + 500]
        for r in store.conn.execute(
            f"SELECT id, title, language FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            found[r[0]] = (r[1] or "", r[2] or "und")
    return found


def _story_labels(store: Any, ids: set[str]) -> dict[str, str]:
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
    data = compare_data(request, camps, since, until, theme)
    labels = _camp_labels(request)
    emphasis = data["emphasis"]["camps"]
    order = _camp_order(ctx, sorted(emphasis))
    colors = camp_colors(ctx.watch.camps, order)
    chart = interval_bars(emphasis, labels=labels, colors=colors, order=order)
    themes = sorted(
        {t for c in emphasis.values() for t in c["themes"]},
        key=lambda t: -max(c["themes"].get(t, {}).get("share", 0.0) for c in emphasis.values()),
    )
    emphasis_rows = [
        (t, [(c, emphasis[c]["themes"].get(t), _anchor("em", c, t)) for c in order]) for t in themes
    ]
    ids: set[str] = set()
    _ids_in(data, ids)
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
        titles=_titles(store, ids),
        story_labels=_story_labels(store, story_ids),
        api_query=_query({"camps": ",".join(chosen), "since": since, "until": until,
                          "theme": theme}),
    )  # fmt: skip
