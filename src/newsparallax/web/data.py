"""What the API and the dashboard both show: data computed from the library, checked and
cached in the app's context (no HTTP here: the routers hand over the context)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..analyze import ledger
from ..analyze.display import display_title, display_titles
from ..analyze.stats import annotation_counts, corpus_stats
from ..store.actors import mention_counts, top_actors
from ..store.articles import article_titles, display_date
from ..store.database import Store
from ..store.events import EventList, EventRow, event_fields, list_events
from . import insight
from .context import WebContext
from .filters import (
    FilterError,
    check_camp,
    check_code,
    check_event_type,
    check_theme,
    date_bound,
)

PAGE_MAX = 500
"""The largest page of a list (JSON); the most mentioned actors are kept this many."""


def with_headlines(
    store: Store, items: list[dict[str, Any]], *, key: str = "id", title: str = "title"
) -> list[dict[str, Any]]:
    """``items`` (article dicts) with ``headline``: the title, or for an untitled item (a
    Telegram post, a feed item) its first words (:func:`~..analyze.display.display_title`),
    never "(untitled)"."""
    untitled = [i[key] for i in items if i.get(key) and not (i.get(title) or "").strip()]
    heads = display_titles(store, untitled) if untitled else {}
    for i in items:
        i["headline"] = display_title(i.get(title)) or heads.get(i.get(key) or "", "")
    return items


def headline_titles(store: Store, ids: set[str]) -> dict[str, tuple[str, str]]:
    """Article id → ``(headline, language)`` (:func:`with_headlines`'s headline), for linking
    the articles behind a figure."""
    found = article_titles(store, ids)
    heads = display_titles(store, [i for i, (t, _) in found.items() if not t.strip()])
    return {i: (display_title(t) or heads.get(i, ""), lang) for i, (t, lang) in found.items()}


def actor_briefs(ctx: WebContext, q: str | None, limit: int) -> list[dict[str, Any]]:
    """Dictionary entries matching ``q`` (or the most mentioned actors) with article counts."""
    dictionary = ctx.dictionary()
    store = ctx.store()
    if q:
        found = ctx.search_actors(q, limit=limit)
        counts = mention_counts(store, [a.id for a in found])
        pairs = [(a.id, counts.get(a.id, 0)) for a in found]
    else:
        pairs = ctx.cached("top-actors", lambda: top_actors(store, limit=PAGE_MAX))[:limit]
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


def stories_data(
    ctx: WebContext,
    *,
    camp: str | None,
    since: str | None,
    until: str | None,
    min_camps: int,
    min_articles: int,
    limit: int,
    members: int | None = None,
) -> tuple[str | None, list[dict[str, Any]]]:
    """Why the store has no stories to list (``None`` when it has), and the stories of the
    filters (checked: :class:`FilterError` naming the parameter), most camps first, with their
    first ``members`` articles (``None``: all; ``0``: counts only)."""
    store = ctx.store()
    if camp:
        check_camp(store, ctx.watch, camp)
    lo = date_bound(since, param="since", end=False)
    hi = date_bound(until, param="until", end=True)
    missing = insight.stories_missing(store)
    if missing:
        return missing, []
    found = insight.list_stories(
        store, since_ts=lo, until_ts=hi, camp=camp, min_camps=min_camps,
        min_articles=min_articles, limit=limit, members=members,
    )  # fmt: skip
    return None, found


def stats_data(ctx: WebContext) -> dict[str, Any]:
    """:func:`corpus_stats` and the annotation counts, cached until the store changes."""

    def compute() -> dict[str, Any]:
        store = ctx.store()
        return {**corpus_stats(store), **annotation_counts(store)}

    return ctx.cached("stats", compute)


def check_state(code: str, *, param: str) -> str:
    """A state (or actor) code of a dyad, upper-cased; ``422`` when it is not one."""
    checked = check_code(code, param=param)
    if not checked or len(checked) > 40:
        raise FilterError(param, f"not a valid {param}: {code!r}")
    return checked.upper()


def relation_params(
    ctx: WebContext, camp: str | None, since: str | None, until: str | None
) -> None:
    """Validate the shared filters of the relation endpoints (``422`` naming the parameter)."""
    if camp and camp != "*":
        check_camp(ctx.store(), ctx.watch, camp)
    lo = date_bound(since, param="since", end=False)
    hi = date_bound(until, param="until", end=True)
    if lo is not None and hi is not None and lo > hi:
        raise FilterError("until", f"until ({until}) is before since ({since})")


def compare_data(
    ctx: WebContext,
    camps: str | None,
    since: str | None,
    until: str | None,
    theme: str | None,
) -> dict[str, Any]:
    """The comparison for the query (checked), with the window actually compared; cached until
    the store changes. Raises :class:`FilterError` on a bad parameter."""
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


def event_page(
    store: Store, filters: dict[str, Any], *, cursor: str | None, limit: int
) -> EventList:
    """A page of the events that :func:`.filters.event_filters` checked, as the API and the
    Events page list them: syndicated copies and negated events included, not counted."""
    return list_events(
        store, **filters, include_duplicates=True, count=False, cursor=cursor, limit=limit
    )


def event_item(event: EventRow) -> dict[str, Any]:
    """An event as the API lists it: its fields, then the article it came from."""
    return {
        **event_fields(event),
        "article_id": event.article,
        "article_title": event.title,
        "outlet": event.outlet,
        "camp": event.camp,
        "published": display_date(event.published, event.date_precision),
    }


# -- the claim ledger --------------------------------------------------------------------------


def claim_query(
    ctx: WebContext,
    *,
    a: str | None,
    b: str | None,
    one_way: bool,
    type: str | None,
    since: str | None,
    until: str | None,
    min_camps: int,
) -> ledger.LedgerQuery:
    """The ledger's filters checked (:class:`FilterError` naming the parameter), in the
    watch's camp order."""
    first = check_code(a, param="a")  # the library puts state codes in capitals
    second = check_code(b, param="b")
    if (first is None) != (second is None):
        missing = "b" if first else "a"
        raise FilterError(missing, "give both states of the pair (a and b), or neither")
    kind = check_event_type(type)
    lo = date_bound(since, param="since", end=False)
    hi = date_bound(until, param="until", end=True)
    if lo is not None and hi is not None and lo > hi:
        raise FilterError("until", f"until ({until}) is before since ({since})")
    return ledger.LedgerQuery(
        a=first, b=second, one_way=one_way, type=kind, since=since, until=until,
        min_camps=min_camps, camp_order=tuple(ctx.watch.camps),
    )  # fmt: skip


def claim_propositions(
    ctx: WebContext, query: ledger.LedgerQuery
) -> tuple[list[ledger.Proposition], dict[str, int]]:
    """:func:`ledger.find_propositions` of a checked query, cached until the store changes."""
    key = f"claims:{query.a}:{query.b}:{query.one_way}:{query.type}:{query.since}:{query.until}"
    return ctx.cached(
        f"{key}:{query.min_camps}", lambda: ledger.find_propositions(ctx.store(), query)
    )


def claim_unconfirmed(
    ctx: WebContext, query: ledger.LedgerQuery, found: list[ledger.Proposition]
) -> list[ledger.Proposition]:
    """:func:`ledger.unconfirmed` of a checked query (propositions told by several outlets only
    in events under the threshold), cached until the store changes."""
    key = f"claims-unconfirmed:{query.a}:{query.b}:{query.one_way}:{query.type}:{query.since}"
    key = f"{key}:{query.until}:{query.min_camps}"  # what counts depends on the camps asked for
    return ctx.cached(key, lambda: ledger.unconfirmed(ctx.store(), query, found))


def claim_detail(
    ctx: WebContext, pid: str, *, since: str | None, until: str | None
) -> ledger.PropositionDetail | None:
    """One proposition (:func:`ledger.proposition`), cached until the store changes; ``422``
    naming ``since``/``until`` for a bad date. A malformed id raises the library's
    :class:`~newsparallax.errors.QueryError`."""
    date_bound(since, param="since", end=False)
    date_bound(until, param="until", end=True)
    return ctx.cached(
        f"claim:{pid}:{since}:{until}",
        lambda: ledger.proposition(
            ctx.store(), pid, since=since, until=until, camp_order=tuple(ctx.watch.camps)
        ),
    )
