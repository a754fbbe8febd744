"""Gathering a briefing's figures: relations, stories, blindspots, alerts and milestones of a
period, as plain data (:func:`build`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from ...analyze import relations
from ...analyze.clock import data_clock, day_ts, days_before
from ...analyze.compare import blindspots
from ...analyze.display import display_title, display_titles
from ...store.database import Store
from ...store.published import article_cards, published_by_outlet
from ...watches import Watch

PERIODS = {"day": 1, "week": 7, "month": 30}
TOP_STORIES = 5
SOURCES_SHOWN = 8
"""Articles listed under each claim (the rest are counted)."""


class BriefError(RuntimeError):
    """A briefing could not be made (no articles, no chromium...)."""


def period_bounds(until: date, period: str) -> tuple[date, date, date, date]:
    """``(start, end, previous start, previous end)`` of the period ending on ``until``."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    days = PERIODS[period]
    start = days_before(until, days)
    return start, until, start - timedelta(days=days), start - timedelta(days=1)


def _pairs(watch: Watch) -> list[tuple[str, str]]:
    """The watch's dyads as unordered pairs, in the watch's order."""
    seen: set[frozenset[str]] = set()
    out = []
    for a, b in watch.dyads:
        key = frozenset((a, b))
        if a != b and key not in seen:
            seen.add(key)
            out.append((a, b))
    return out


def _safe_url(url: Any) -> str | None:
    text = str(url or "")
    return text if text.lower().startswith(("http://", "https://")) else None


def _articles(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Article id → what a source link shows (id, url when http(s), title — an untitled item's
    first words —, outlet, camp, day)."""
    cards = article_cards(store, ids)
    heads = display_titles(store, [c.id for c in cards.values() if not (c.title or "").strip()])
    return {
        card.id: {
            "id": card.id,
            "url": _safe_url(card.url),
            "title": (display_title(card.title) or heads.get(card.id) or card.id)[:200],
            "outlet": card.outlet or "",
            "camp": card.camp or "unknown",
            "published": (card.published or "")[:10],
        }
        for card in cards.values()
    }


def _sources(store: Store, ids: list[str], limit: int = SOURCES_SHOWN) -> dict[str, Any]:
    found = _articles(store, ids[:limit])
    shown = [
        found.get(i) or {"id": i, "url": None, "title": i, "outlet": "", "camp": ""}
        for i in ids[:limit]
    ]
    return {"shown": shown, "more": max(0, len(ids) - limit), "total": len(ids)}


def _sum(totals: dict[str, Any], keys: tuple[str, ...]) -> int:
    return sum(int(totals.get(k) or 0) for k in keys)


def _change(
    current: dict[str, Any], previous: dict[str, Any], *, min_outlets: int | None = None
) -> dict[str, Any]:
    """The change of a dyad (or a camp's view of it) between the two periods, with a verdict
    that states its evidence and test (:func:`analyze.verdicts.verdict`): below the minimum it
    says "too little to tell". A camp's row needs one outlet (a camp may be one channel)."""
    from ...analyze.verdicts import MIN_OUTLETS, PeriodCounts, verdict

    def pack(t: dict[str, Any]) -> dict[str, Any]:
        return {
            "events": int(t.get("events") or 0),
            "cooperation": _sum(t, relations.QUADS[:2]),
            "conflict": _sum(t, relations.QUADS[2:]),
            "material_conflict": int(t.get("material_conflict") or 0),
            "intensity_mean": t.get("intensity_mean"),
            "articles": int(t.get("articles") or 0),
            "outlets": int(t.get("outlets") or 0),
        }

    cur, prev = pack(current), pack(previous)
    delta = {k: cur[k] - prev[k] for k in ("events", "cooperation", "conflict", "articles")}
    tone = None
    if cur["intensity_mean"] is not None and prev["intensity_mean"] is not None:
        tone = round(cur["intensity_mean"] - prev["intensity_mean"], 2)
    found = verdict(
        *(
            PeriodCounts(
                events=x["events"],
                cooperation=x["cooperation"],
                conflict=x["conflict"],
                outlets=x["outlets"],
                articles=x["articles"],
            )
            for x in (cur, prev)
        ),
        min_outlets=MIN_OUTLETS if min_outlets is None else min_outlets,
    )
    word = found["verdict"]
    return {
        "current": cur,
        "previous": prev,
        "delta": delta,
        "tone_delta": tone,
        "verdict": word if word == "quiet" else f"{word} ({found['reason']})",
        "verdict_kind": word,
        "verdict_detail": found,
    }


def _relation(
    store: Store, watch: Watch, a: str, b: str, bounds: tuple[date, date, date, date]
) -> dict[str, Any]:
    start, end, pstart, pend = bounds
    whole = relations.series(store, a, b, since=start, until=end, both=True, ids=True)
    before = relations.series(store, a, b, since=pstart, until=pend, both=True, ids=False)
    ids = sorted({i for p in whole.points for i in p.get("article_ids", [])})
    cur_camps = relations.compare_camps(store, a, b, since=start, until=end, freq="day", both=True)
    prev_camps = relations.compare_camps(
        store, a, b, since=pstart, until=pend, freq="day", both=True
    )
    camps = []
    for camp in sorted(set(cur_camps) | set(prev_camps)):
        if camp == relations.ALL:
            continue
        cur = cur_camps[camp].totals if camp in cur_camps else {}
        prev = prev_camps[camp].totals if camp in prev_camps else {}
        change = _change(cur, prev, min_outlets=1)  # a camp may be one outlet
        if change["verdict"] == "quiet":
            continue
        label = watch.camps[camp].label if camp in watch.camps else camp
        camps.append({"camp": camp, "label": label, **change})
    chart_series = relations.compare_camps(
        store, a, b, since=pstart, until=end, freq="week" if (end - start).days > 7 else "day",
        both=True,
    )  # fmt: skip
    return {
        "pair": [a, b],
        "name": f"{a}–{b}",
        "anchor": f"rel-{a}-{b}".lower(),
        **_change(whole.totals, before.totals),
        "types": whole.totals.get("types", {}),
        "camps": camps,
        "sources": _sources(store, ids),
        "chart_series": {c: s.as_dict() for c, s in chart_series.items() if c != relations.ALL},
    }


def _active_camps(watch: Watch, published: dict[str, int]) -> set[str]:
    """Camps of the watch that published anything (``published``: articles per outlet)."""
    camps = {o.id: o.camp for o in watch.outlets if o.camp}
    return {camps[outlet] for outlet in published if outlet in camps}


def _stories(
    store: Store, watch: Watch, start: date, end: date, active: set[str]
) -> list[dict[str, Any]]:
    """The period's top stories; ``active`` are the camps that published in the period."""
    from ...analyze.stories.queries import StoryQuery, list_stories

    stories = list_stories(
        store,
        StoryQuery(
            since=day_ts(start), until=day_ts(end, end=True), min_articles=2, limit=TOP_STORIES
        ),
    )
    untitled = [
        a["id"] for s in stories for a in s["articles"] if not (a.get("title") or "").strip()
    ]
    heads = display_titles(store, untitled)
    out = []
    for s in stories:
        by_camp: dict[str, list[dict[str, Any]]] = {}
        for art in s["articles"]:
            if art.get("duplicate_of"):
                continue
            by_camp.setdefault(art.get("camp") or "unknown", []).append(
                {
                    "id": art["id"],
                    "url": _safe_url(art.get("url")),
                    "title": (display_title(art.get("title")) or heads.get(art["id"]) or art["id"])[
                        :200
                    ],
                    "outlet": art.get("outlet_name") or art.get("outlet") or "",
                    "published": str(art.get("published") or "")[:10],
                }
            )
        camps = [
            {
                "camp": c,
                "label": watch.camps[c].label if c in watch.camps else c,
                "articles": items[:SOURCES_SHOWN],
                "count": len(items),
            }
            for c, items in sorted(by_camp.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
        silent = sorted(c for c in active if c not in by_camp and c in watch.camps)
        out.append(
            {
                "id": s["id"],
                "label": " ".join(str(s["label"] or "").split()) or s["id"],
                "first_seen": str(s["first_seen"] or "")[:10],
                "last_seen": str(s["last_seen"] or "")[:10],
                "article_count": s["article_count"],
                "outlet_count": s["outlet_count"],
                "coverage": s["coverage"],
                "camps": camps,
                "silent": [watch.camps[c].label for c in silent],
            }
        )
    return out


def _blindspots(store: Store, watch: Watch, start: date, end: date) -> list[dict[str, Any]]:
    found = blindspots(
        store, watch, since=day_ts(start), until=day_ts(end, end=True), top=10, max_ids=25
    )

    def camp(c: str) -> str:
        return watch.camps[c].label if c in watch.camps else c

    return [
        {
            "story": b["story"],
            "label": b["label"] or b["story"],
            "covered_by": camp(b["covered_by"]),
            "missing_in": camp(b["missing_in"]),
            "covered_articles": b["covered_articles"],
            "missing_articles": b["missing_articles"],
            "missing_camp_articles_in_span": b["missing_camp_articles_in_span"],
            "sources": _sources(store, list(b["article_ids"])),
        }
        for b in found["items"]
    ]


def _alerts(store: Store, watch: Watch, start: date, end: date) -> list[dict[str, Any]]:
    from ...analyze.alerts import list_alerts

    if not store.has_table("alerts"):
        return []
    out = []
    for a in list_alerts(
        store, watch=watch.name, include_acked=True, since=start.isoformat(), limit=200
    ):
        if str(a["first_day"] or "") > end.isoformat():
            continue
        out.append(
            {
                "id": a["id"],
                "kind": a["kind"],
                "rule": a["rule"],
                "title": a["title"],
                "summary": a["summary"],
                "first_day": a["first_day"],
                "last_day": a["last_day"],
                "count": a["count"],
                "acked": bool(a["acked_at"]),
                "story_ids": list(a["story_ids"]),
                "sources": _sources(store, list(a["article_ids"])),
            }
        )
    return out


def _milestones(
    store: Store, pairs: list[tuple[str, str]], start: date, end: date
) -> list[dict[str, Any]]:
    from ...analyze.timeline import timeline

    out = []
    for a, b in pairs:
        found = timeline(store, a, b, since=start.isoformat(), until=end.isoformat(), limit=10)
        for m in found["milestones"]:
            out.append(
                {
                    "pair": f"{a}–{b}",
                    "date": m["date"],
                    "label": m["what"],
                    "summary": m["summary"],
                    "evidence": m["evidence"],
                    "camps": m["camp_count"],
                    "outlets": m["outlets"],
                    "articles": m["articles"],
                    "sources": _sources(store, list(m["article_ids"])),
                }
            )
    out.sort(key=lambda m: (m["date"], m["pair"]))
    return out


def build(
    store: Store,
    watch: Watch,
    *,
    period: str = "week",
    until: date | str | None = None,
    readonly: bool = False,
) -> dict[str, Any]:
    """Everything a briefing shows, as plain data (see the module docstring).

    Unless ``readonly``, the relation index is brought up to date first."""
    if not readonly:
        relations.ensure_current(store)
    elif not relations.built(store):
        raise BriefError("the relation index was never built: run `parallax relations --rebuild`")
    if isinstance(until, str):
        until = date.fromisoformat(until)
    until = until or data_clock(store)
    if until is None:
        raise BriefError("the store holds no dated articles")
    bounds = period_bounds(until, period)
    start, end, pstart, pend = bounds
    pairs = _pairs(watch)
    rels = [_relation(store, watch, a, b, bounds) for a, b in pairs]
    has_stories = relations.stories_available(store)
    published = published_by_outlet(store, day_ts(start), day_ts(end, end=True))
    return {
        "watch": {"name": watch.name, "title": watch.title},
        "period": period,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "previous_start": pstart.isoformat(),
        "previous_end": pend.isoformat(),
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "articles": sum(published.values()),
        "relations": [r for r in rels if r["verdict"] != "quiet"],
        "quiet_pairs": [r["name"] for r in rels if r["verdict"] == "quiet"],
        "stories_available": has_stories,
        "stories": (
            _stories(store, watch, start, end, _active_camps(watch, published))
            if has_stories
            else []
        ),
        "blindspots": _blindspots(store, watch, start, end) if has_stories else [],
        "alerts": _alerts(store, watch, start, end),
        "milestones": _milestones(store, pairs, start, end),
        "camp_colors": _colors(watch),
        "camp_labels": {c.id: c.label for c in watch.camps.values()},
    }


def _colors(watch: Watch) -> dict[str, str]:
    from ..charts import camp_colors

    return camp_colors(watch.camps, list(watch.camps))
