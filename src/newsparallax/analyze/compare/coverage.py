"""Coverage of stories by camp, and blindspots: a story one news camp covers heavily and another,
publishing enough in the window, ignores — after reading stories about the same event as one.

Per story and camp: articles, the share of the camp's *active* outlets (those that published
anything dated to the day from a day before the story's first article to a day after its last)
that covered it, and its *attention*: the mean over active outlets of the fraction of the
outlet's articles in that span that belong to the story (volume-normalised: a wire service with
300 items a day and a channel with 5 weigh the same). Articles dated only to a month count
nowhere (they are in no story and would make an outlet look busy on the 1st).

A **blindspot** needs:

* a *news* camp covering heavily: at least :data:`HEAVY_ARTICLES` articles and
  :data:`HEAVY_SHARE` of its active outlets;
* another *news* camp with data — clusterable articles in the window
  (:func:`~.selection.camps_with_data`) and at least :data:`ACTIVE_MIN` in the story's span —
  giving it at most :data:`BLIND_RATIO` of that attention, counting its stories about the same
  event (:mod:`.sameevent`) as the story;
* and enough volume for its silence to mean something: had it given the story the covering
  camp's attention, it would have published λ = attention × its articles in the span about it;
  the chance of publishing as few as it did under Poisson(λ) must be below :data:`ALPHA` (a camp
  of six articles a week is not silent on a story that took a tenth of the other camp's output).

Official camps (government publishers: the Kremlin, the Federal Register…) are not news camps:
their output is a record of what a government did, not a choice of what to tell, so they are
neither blindspots nor the measure of one; the stories they published on are listed apart
(``official``). A camp with no clusterable article in the window is listed under ``no_data`` —
never silent.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from typing import Any

from ...store.database import Store
from .sameevent import SAME_EVENT, StoryVectors
from .selection import Art, Selection, camps_with_data, ids, official_camps

__all__ = [
    "ACTIVE_MIN",
    "BLIND_RATIO",
    "HEAVY_ARTICLES",
    "HEAVY_SHARE",
    "coverage",
    "poisson_at_most",
]

HEAVY_ARTICLES = 3
HEAVY_SHARE = 0.5
BLIND_RATIO = 0.1
ACTIVE_MIN = 5
ALPHA = 0.05
DAY = 86_400


def poisson_at_most(k: int, lam: float) -> float:
    """P(X <= k) for X ~ Poisson(lam)."""
    if lam <= 0:
        return 1.0
    term = total = math.exp(-lam)
    for i in range(1, k + 1):
        term *= lam / i
        total += term
    return min(1.0, total)


class _Volumes:
    """Day-dated articles per outlet, for counts over a span."""

    def __init__(self, arts: list[Art]) -> None:
        by_outlet: dict[str, list[int]] = defaultdict(list)
        self.camp: dict[str, str] = {}
        for a in arts:
            if a.day_dated:
                by_outlet[a.outlet].append(a.ts)
            self.camp[a.outlet] = a.camp
        self.ts = dict(by_outlet)

    def span(self, lo: int, hi: int) -> dict[str, int]:
        out = {}
        for o, ts in self.ts.items():
            n = bisect.bisect_right(ts, hi) - bisect.bisect_left(ts, lo)
            if n:
                out[o] = n
        return out


def _attention(
    members: list[Art], camp: str, volume: dict[str, int], outlet_camp: dict[str, str]
) -> tuple[float, list[str], list[str]]:
    """(attention, active outlets, covering outlets) of ``camp`` on ``members``."""
    in_story = Counter(a.outlet for a in members)
    active = [o for o, v in volume.items() if outlet_camp.get(o) == camp]
    if not active:
        return 0.0, [], []
    covering = [o for o in active if in_story[o]]
    return sum(in_story[o] / volume[o] for o in active) / len(active), active, covering


def _span(members: list[Art]) -> tuple[int, int]:
    return min(a.ts for a in members) - DAY, max(a.ts for a in members) + DAY


def coverage(store: Store, arts: list[Art], sel: Selection) -> dict[str, Any]:
    """Coverage rows, blindspots, official coverage and the camps without data (see the module
    docstring)."""
    vol = _Volumes(arts)
    stories: dict[str, list[Art]] = defaultdict(list)
    for a in arts:
        if a.story:
            stories[a.story].append(a)
    official = official_camps(store, sel)
    data = camps_with_data(store, since=sel.since, until=sel.until, outlet_camps=sel.outlet_camps)
    known = set(sel.camps) or (set((sel.outlet_camps or {}).values()) | {a.camp for a in arts})
    no_data = sorted(c for c in known if not data.get(c))
    rows: list[dict[str, Any]] = []
    candidates: list[tuple[str, str, str]] = []
    per_story: dict[str, dict[str, dict[str, Any]]] = {}
    for key, members in stories.items():
        if len(members) < 2:
            continue
        lo, hi = _span(members)
        volume = vol.span(lo, hi)
        per_camp: dict[str, dict[str, Any]] = {}
        for camp in sorted({vol.camp[o] for o in volume}):
            attention, active, covering = _attention(members, camp, volume, vol.camp)
            found = [a.id for a in members if a.camp == camp]
            per_camp[camp] = {
                "articles": len(found),
                "camp_articles_in_span": sum(volume[o] for o in active),
                "outlets_active": len(active),
                "outlets_covering": len(covering),
                "outlet_share": round(len(covering) / len(active), 4),
                "attention": round(attention, 5),
                "official": camp in official,
                **ids(found, sel.max_ids),
            }
        per_story[key] = per_camp
        covered = [c for c, v in per_camp.items() if v["articles"]]
        rows.append(
            {"story": key, "articles": len(members), "camps_covering": covered, "camps": per_camp}
        )
        for heavy in covered:
            h = per_camp[heavy]
            if heavy in official:
                continue
            if h["articles"] < HEAVY_ARTICLES or h["outlet_share"] < HEAVY_SHARE:
                continue
            for other, o in per_camp.items():
                if other == heavy or other in official or not data.get(other):
                    continue
                if o["camp_articles_in_span"] < ACTIVE_MIN:
                    continue
                if o["attention"] <= BLIND_RATIO * h["attention"]:
                    candidates.append((key, heavy, other))
    blind, left_out = _blindspots(store, stories, per_story, candidates, vol, sel, data)
    rows.sort(key=lambda r: (-len(r["camps_covering"]), -r["articles"]))
    blind.sort(key=lambda b: (-b["covered_articles"], -b["covered_attention"]))
    off = _official(stories, official, sel)
    return {
        "method": (
            "outlet_share = covering / active outlets of the camp in the story's span (first"
            " article - 1 day .. last + 1 day); attention = mean over active outlets of (outlet's"
            " articles in the story / outlet's articles dated to the day in the span)"
        ),
        "blindspot_rule": (
            f"covered: a news camp with >= {HEAVY_ARTICLES} articles and outlet_share >="
            f" {HEAVY_SHARE}; missing: another news camp with clusterable articles in the window"
            f" and >= {ACTIVE_MIN} in the span, whose attention, counting its stories about the"
            f" same event (cosine >= {SAME_EVENT}), is <= {BLIND_RATIO} x the covering camp's,"
            " and whose article count on it is below what the covering camp's attention would"
            f" give its volume (Poisson, p < {ALPHA}); official camps are listed apart; camps"
            " without clusterable articles in the window are 'no data'"
        ),
        "stories": rows[: sel.top],
        "stories_total": len(rows),
        "blindspots": blind[: sel.top],
        "blindspots_total": len(blind),
        "blindspots_left_out": left_out,
        "camps": {
            c: {"kind": "official" if c in official else "news", "window_articles": data.get(c, 0)}
            for c in sorted(known)
        },
        "official": off[: sel.top],
        "official_total": len(off),
        "no_data": no_data,
    }


def _blindspots(
    store: Store,
    stories: dict[str, list[Art]],
    per_story: dict[str, dict[str, dict[str, Any]]],
    candidates: list[tuple[str, str, str]],
    vol: _Volumes,
    sel: Selection,
    data: Counter[str],
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The candidates that stay blindspots once the silent camp's stories about the same event
    count and its volume is tested; and how many did not, for each reason."""
    if not candidates:
        return [], {"same_event": 0, "too_little_volume": 0}
    spans = {k: (min(a.ts for a in m), max(a.ts for a in m)) for k, m in stories.items()}
    by_camp: dict[str, list[str]] = defaultdict(list)
    for k, members in stories.items():
        for camp in {a.camp for a in members}:
            by_camp[camp].append(k)
    vectors = StoryVectors(store, {k: [a.rowid for a in m] for k, m in stories.items()})
    nears: dict[tuple[str, str], list[str]] = {}
    for key, _heavy, other in candidates:
        lo, hi = spans[key]
        nears[(key, other)] = [
            s
            for s in by_camp[other]
            if s != key and spans[s][0] <= hi + DAY and spans[s][1] >= lo - DAY
        ]
    vectors.prepare({k for k, _h, _o in candidates} | {s for n in nears.values() for s in n})
    out: list[dict[str, Any]] = []
    merged = low = 0
    for key, heavy, other in candidates:
        h, o = per_story[key][heavy], per_story[key][other]
        same = [s for s in nears[(key, other)] if vectors.same_event(key, s) >= SAME_EVENT]
        observed, in_span = o["articles"], o["camp_articles_in_span"]
        if same:
            members = [a for s in (key, *same) for a in stories[s]]
            volume = vol.span(*_span(members))
            attention, active, _covering = _attention(members, other, volume, vol.camp)
            if attention > BLIND_RATIO * h["attention"]:
                merged += 1
                continue
            observed = sum(1 for a in members if a.camp == other)
            in_span = sum(volume[x] for x in active)
        expected = h["attention"] * in_span
        p_value = poisson_at_most(observed, expected)
        if p_value >= ALPHA:
            low += 1
            continue
        out.append(
            {
                "story": key,
                "covered_by": heavy,
                "missing_in": other,
                "covered_attention": h["attention"],
                "missing_attention": o["attention"],
                "covered_articles": h["articles"],
                "missing_articles": o["articles"],
                "missing_camp_articles_in_span": o["camp_articles_in_span"],
                "missing_camp_window_articles": data.get(other, 0),
                "expected_missing_articles": round(expected, 2),
                "p_value": round(p_value, 4),
                "same_event_stories": same,
                **ids(h["article_ids"] + o["article_ids"], sel.max_ids),
            }
        )
    return out, {"same_event": merged, "too_little_volume": low}


def _official(
    stories: dict[str, list[Art]], official: frozenset[str], sel: Selection
) -> list[dict[str, Any]]:
    """Stories the official camps published on, with the news camps that covered them."""
    out = []
    for key, members in stories.items():
        camps = Counter(a.camp for a in members)
        for camp in sorted(c for c in camps if c in official):
            found = [a.id for a in members if a.camp == camp]
            out.append(
                {
                    "story": key,
                    "camp": camp,
                    "articles": camps[camp],
                    "news_camps": {c: n for c, n in sorted(camps.items()) if c not in official},
                    **ids(found, sel.max_ids),
                }
            )
    out.sort(key=lambda r: (-r["articles"], -sum(r["news_camps"].values())))
    return out
