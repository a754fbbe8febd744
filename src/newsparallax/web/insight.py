"""Alerts, the relation index and stories for the web app: thin reads over the library.

Every function here reads through the app's read-only connection and never writes: the relation
index, alerts and stories are built by their own jobs (``parallax relations``, ``parallax
alerts``, ``parallax cluster``). When a store lacks their tables, or a job has not run yet, the
``*_missing`` functions say so in words the page or the API shows as they are (never a 500).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from ..analyze import alerts as alerts_lib
from ..analyze import compare, relations
from ..analyze.clock import data_clock, day_ts, days_before, newest_day, newest_story_day
from ..analyze.timeline import timeline
from ..errors import ConfigError
from ..store.database import Store
from ..watches import Watch

RELATIONS_HOWTO = "run `parallax relations --rebuild` (it opens the store writable and builds it)"
ALERTS_HOWTO = "run `parallax alerts` (it opens the store writable, migrates it and runs the rules)"
STORIES_HOWTO = "run `parallax cluster` to group the articles into stories"


def alerts_missing(store: Store) -> str | None:
    """Why alerts cannot be listed, or ``None`` when they can."""
    if not store.has_table("alerts", "alert_deliveries"):
        return f"this store has no alert tables: {ALERTS_HOWTO}"
    return None


def list_alerts(
    store: Store,
    *,
    watch: str,
    include_acked: bool = False,
    kind: str | None = None,
    since: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    return alerts_lib.list_alerts(
        store, watch=watch, include_acked=include_acked, kind=kind, since=since, limit=limit
    )


def atom(store: Store, *, watch: str, title: str, link: str, limit: int = 50) -> str:
    """The Atom 1.0 feed of the watch's alerts (:func:`alerts.atom_feed`: everything escaped)."""
    items = alerts_lib.alerts_for_feed(store, watch=watch, limit=limit)
    return alerts_lib.atom_feed(
        items, title=title, feed_id=f"urn:parallax:alerts:{watch}", link=link
    )


# -- the relation index ------------------------------------------------------------------------


def relations_missing(store: Store) -> str | None:
    """Why the relation index cannot be read, or ``None`` when it can."""
    if not store.has_table("relation_points", "relation_volume", "relation_state"):
        return f"this store has no relation index tables: {RELATIONS_HOWTO}"
    if not relations.built(store):
        return f"the relation index has not been built on this store yet: {RELATIONS_HOWTO}"
    return None


def relations_stale(store: Store) -> bool:
    """Articles or stories changed since the index was last built (it lags the store)."""
    return relations.pending(store)


def relation(
    store: Store,
    source: str,
    target: str,
    *,
    camp: str | None,
    freq: str,
    since: str | None,
    until: str | None,
    both: bool,
    watch: Watch | None = None,
) -> dict[str, Any]:
    """A dyad's series for ``camp`` (``*`` for every camp together), or for every camp that
    reported it (``camp=None``), the overall series first; with the change points of the
    camp's series (of every camp together for ``camp=None``), see :func:`change_points`, and
    the verdict on the window's last period against the one before
    (:func:`~newsparallax.analyze.relations.period_verdict`)."""
    if camp:
        found = [
            relations.series(
                store, source, target, camp=camp, since=since, until=until, freq=freq,
                both=both, ids=False,
            )
        ]  # fmt: skip
    else:
        by_camp = relations.compare_camps(
            store, source, target, since=since, until=until, freq=freq, both=both
        )
        found = [by_camp[c] for c in sorted(by_camp, key=lambda c: (c != relations.ALL, c))]
    series = [s.as_dict() for s in found]
    rule = changepoint_rule(watch, source, target, both=both)
    main = next((s for s in series if s["camp"] == (camp or relations.ALL)), None)
    found_verdict = relations.period_verdict(
        store, source, target, camp=camp or relations.ALL, freq=freq, until=until, both=both
    )
    return {
        "source": source.upper(),
        "target": target.upper(),
        "both": both,
        "freq": freq,
        "series": series,
        "change_points": change_points(main, rule, freq=freq) if main else [],
        "verdict": found_verdict,
        "stale": relations_stale(store),
    }


def changepoint_rule(
    watch: Watch | None, source: str, target: str, *, both: bool
) -> alerts_lib.Rule:
    """The watch's ``changepoint`` alert rule for this dyad (its PELT settings and measure),
    else the rule defaults."""
    pair = (source.upper(), target.upper())
    if watch is not None:
        try:
            rules = alerts_lib.watch_rules(watch)
        except ConfigError:  # a broken rule shows in `parallax alerts`; the page still draws
            rules = []
        for rule in rules:
            dyads = set(rule.dyads) | ({(t, s) for s, t in rule.dyads} if rule.both else set())
            if rule.kind == "changepoint" and pair in dyads:
                return rule
    return alerts_lib.Rule(id="relation-page", kind="changepoint", both=both)


def change_points(
    series: dict[str, Any], rule: alerts_lib.Rule, *, freq: str
) -> list[dict[str, Any]]:
    """Lasting shifts of one series (:func:`alerts.series_shifts`: PELT, as the
    ``changepoint`` alerts find them), each with the period where the new level starts."""
    points = series["points"]
    out = []
    for shift in alerts_lib.series_shifts(points, rule):
        p = points[shift.index]
        direction = "up" if shift.delta > 0 else "down"
        out.append(
            {
                "camp": series["camp"],
                "start": p["start"],
                "end": p["end"],
                "measure": rule.measure,
                "before": round(shift.before, 3),
                "after": round(shift.after, 3),
                "direction": direction,
                "periods_before": shift.points_before,
                "periods_after": shift.points_after,
                "rule": rule.id,
                "label": (
                    f"{rule.measure} per {freq} shifted {direction} from {shift.before:.2f}"
                    f" to {shift.after:.2f} from the {freq} of {p['start']}"
                ),
            }
        )
    return out


def dyad_totals(store: Store, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The watch's dyads with their totals in the index (all camps together); dyads without
    events are listed with zeros."""
    found = {(d["source"], d["target"]): d for d in relations.dyads(store)}
    rows = []
    for source, target in pairs:
        d = found.get((source, target))
        rows.append(
            {
                "source": source,
                "target": target,
                "events": d["events"] if d else 0,
                "cooperation": (d["verbal_cooperation"] + d["material_cooperation"]) if d else 0,
                "conflict": (d["verbal_conflict"] + d["material_conflict"]) if d else 0,
                "intensity_mean": d["intensity_mean"] if d else None,
                "first": d["first"] if d else None,
                "last": d["last"] if d else None,
            }
        )
    return rows


def milestones(
    store: Store, a: str, b: str, *, since: str | None, until: str | None, limit: int = 10
) -> dict[str, Any]:
    return timeline(store, a, b, since=since, until=until, limit=limit)


# -- stories -----------------------------------------------------------------------------------


def stories_missing(store: Store) -> str | None:
    """Why stories cannot be shown, or ``None`` when a story job has filled the tables."""
    if not store.has_table("stories", "story_articles"):
        return f"this store has no story tables: {STORIES_HOWTO}"
    if not relations.stories_available(store):
        return f"no stories yet: {STORIES_HOWTO}"
    return None


def list_stories(
    store: Store,
    *,
    since_ts: int | None,
    until_ts: int | None,
    camp: str | None,
    min_camps: int,
    min_articles: int,
    limit: int,
    members: int | None = None,
) -> list[dict[str, Any]]:
    from ..analyze.stories.queries import StoryQuery
    from ..analyze.stories.queries import list_stories as _list

    query = StoryQuery(
        since=since_ts,
        until=until_ts,
        camp=camp,
        min_camps=min_camps,
        min_articles=min_articles,
        limit=limit,
    )
    return [_public(s) for s in _list(store, query, members=members)]


def top_stories(store: Store, *, limit: int = 5) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The overview's top stories, with the window they come from (``kind``):

    - ``week``: stories with articles in the week ending on the data's clock
      (:func:`~newsparallax.analyze.clock.data_clock`, as ``parallax brief``), else ``month``: in
      the 30 days to it;
    - ``latest``: else the week ending on the last day of the newest story two camps covered
      (else of the newest story);
    - ``all``: else the biggest stories of all time (``since`` is then ``None``).

    ``newest`` is the newest article's day, ``clock`` the data's clock."""
    newest, clock = newest_day(store), data_clock(store)
    days_of = {"newest": _iso(newest), "clock": _iso(clock)}
    if clock is None:
        return [], {"kind": "all", "days": None, "since": None, "until": None, **days_of}

    def windows() -> Iterator[tuple[str, date, int]]:
        yield "week", clock, 7
        yield "month", clock, 30
        latest = newest_story_day(store)  # asked only when the clock's windows are empty
        if latest is not None:
            yield "latest", latest, 7

    for kind, end, days in windows():
        start = days_before(end, days)
        found = list_stories(
            store,
            since_ts=day_ts(start),
            until_ts=day_ts(end, end=True),
            camp=None,
            min_camps=1,
            min_articles=2,
            limit=limit,
        )
        if found:
            window = {"kind": kind, "days": days, "since": _iso(start), "until": _iso(end)}
            return found, {**window, **days_of}
    found = list_stories(
        store, since_ts=None, until_ts=None, camp=None, min_camps=1, min_articles=2, limit=limit
    )
    return found, {"kind": "all", "days": None, "since": None, "until": None, **days_of}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    from ..analyze.stories.queries import get_story

    found = get_story(store, story_id)
    return _public(found) if found else None


def _public(story: dict[str, Any]) -> dict[str, Any]:
    """A story without the store's row ids."""
    return {
        **story,
        "articles": [{k: v for k, v in a.items() if k != "rowid"} for a in story["articles"]],
    }


# -- camp comparison ---------------------------------------------------------------------------

COMPARE_DEFAULT_DAYS = 30
COMPARE_MAX_DAYS = 92
"""Compare reads every article of the window (75 s over the whole demo store): the page and
the API default to the 30 days to the data's clock and never compare more than this many days."""
_DAY = 86_400


def compare_window(
    store: Store, lo: int | None, hi: int | None
) -> tuple[int | None, int | None, bool]:
    """The window to compare, as ``(since_ts, until_ts, capped)``: the asked bounds, else the
    :data:`COMPARE_DEFAULT_DAYS` days to the data's clock (the newest article's day, or the
    last busy week's after a sparse tail: :func:`~newsparallax.analyze.clock.data_clock`), cut to
    :data:`COMPARE_MAX_DAYS` (``capped`` when the asked window was cut)."""
    if hi is None:
        clock = data_clock(store)
        if clock is None:
            return lo, hi, False
        latest = day_ts(clock, end=True)
        hi = latest if lo is None else min(latest, lo + COMPARE_MAX_DAYS * _DAY)
    if lo is None:
        lo = hi - COMPARE_DEFAULT_DAYS * _DAY
    capped = hi - lo > COMPARE_MAX_DAYS * _DAY
    if capped:
        lo = hi - COMPARE_MAX_DAYS * _DAY
    return lo, hi, capped


def camp_compare(
    store: Store,
    watch: Watch,
    *,
    camps: tuple[str, ...],
    since_ts: int | None,
    until_ts: int | None,
    theme: str | None,
    top: int = 20,
    max_ids: int = 25,
) -> dict[str, Any]:
    """:func:`compare.compare` over the window (see :func:`compare_window`)."""
    sel = compare.selection_for(
        watch, camps=camps, since=since_ts, until=until_ts, theme=theme or None, top=top,
        max_ids=max_ids,
    )  # fmt: skip
    return compare.compare(store, sel)


def blindspots(store: Store, watch: Watch, *, top: int = 5) -> dict[str, Any]:
    """The blindspots (:func:`~newsparallax.analyze.compare.blindspots`) over the Compare page's
    default window (the :data:`COMPARE_DEFAULT_DAYS` days to the data's clock)."""
    lo, hi, _capped = compare_window(store, None, None)
    found = compare.blindspots(store, watch, since=lo, until=hi, top=top)

    def day(ts: int | None) -> str | None:
        return datetime.fromtimestamp(ts, UTC).date().isoformat() if ts is not None else None

    return {"since": day(lo), "until": day(hi), **found}


def story_compare(store: Store, watch: Watch, story_id: str) -> dict[str, Any] | None:
    """Claims and framing per camp on one story
    (:func:`~newsparallax.analyze.compare.story_comparison`)."""
    return compare.story_comparison(store, watch, story_id)
