"""Camp comparison: how each camp of outlets covers, frames and judges the same stories.

:func:`compare` reads stored articles (no syndicated copies) of the chosen camps and window,
their stories (``parallax cluster``), themes, events and actor mentions, and returns:

* ``coverage`` — per story and camp, the share of the camp's active outlets that covered it and
  its volume-normalised attention; **blindspots** (a news camp covers a story heavily, another
  news camp with data in the window ignores it, counting its stories about the same event);
  official camps' stories listed apart; camps with no data (:mod:`.coverage`);
* ``emphasis`` — the share of each camp's articles tagged with each theme, with 95 % Wilson
  intervals (:mod:`.emphasis`);
* ``framing`` — per language, on stories at least two camps cover in it, the terms distinctive
  of each camp (log-odds ratio with an informative Dirichlet prior) after each outlet's
  boilerplate is removed, with checked lemmas and the support of several outlets
  (:mod:`.framing`, :mod:`.boilerplate`, :mod:`.terms`);
* ``claims`` — events of the same story asserted, relayed or denied by each camp; feared or
  hypothetical events left out (:mod:`.claims`);
* ``tone`` — toward each state of the watch, the mean lexicon polarity of the distinct sentences
  naming it, per camp (:mod:`.tone`).

Every figure carries the ids of the articles (and, for tone and claims, the sentence spans)
behind it, up to ``max_ids`` each (``ids_total`` says how many there are).
"""

from __future__ import annotations

from typing import Any

from ...store.database import Store
from ...watches import Watch
from ..stories.queries import story_heads, story_span
from .claims import claims
from .coverage import ACTIVE_MIN, BLIND_RATIO, HEAVY_ARTICLES, HEAVY_SHARE, coverage
from .emphasis import emphasis
from .framing import PRIOR_MASS, Z_MIN, framing
from .selection import (
    Art,
    Selection,
    camps_with_data,
    official_camps,
    select_articles,
    selection_for,
    wilson,
)
from .tone import tone

__all__ = [
    "ACTIVE_MIN",
    "BLIND_RATIO",
    "HEAVY_ARTICLES",
    "HEAVY_SHARE",
    "PRIOR_MASS",
    "Z_MIN",
    "Art",
    "Selection",
    "blindspots",
    "camps_with_data",
    "claims",
    "compare",
    "coverage",
    "emphasis",
    "framing",
    "official_camps",
    "select_articles",
    "selection_for",
    "story_comparison",
    "tone",
]

_Art = Art
_wilson = wilson


def compare(store: Store, sel: Selection) -> dict[str, Any]:
    """The comparison described in the module docstring."""
    arts = select_articles(store, sel)
    camps = sorted({a.camp for a in arts})
    return {
        "selection": {
            "camps": camps,
            "since": sel.since,
            "until": sel.until,
            "theme": sel.theme,
            "articles": len(arts),
            "clustered": sum(1 for a in arts if a.story),
        },
        "coverage": coverage(store, arts, sel),
        "emphasis": emphasis(store, arts, sel),
        "framing": framing(store, arts, sel),
        "claims": claims(store, arts, sel),
        "tone": tone(store, arts, sel),
    }


def blindspots(
    store: Store, watch: Watch, *, since: int | None, until: int | None, top: int, max_ids: int = 10
) -> dict[str, Any]:
    """Stories one news camp covered heavily and another, with data in the window, ignored over
    ``since``..``until`` (the blindspots of :func:`coverage`), the biggest first, each with its
    story label: the one answer behind the dashboard, the API and the briefing. Also
    ``no_data`` (camps with no clusterable article in the window: not silent, unknown) and
    ``official`` (stories the official camps published on, listed apart)."""
    sel = selection_for(watch, since=since, until=until, top=top, max_ids=max_ids)
    found = coverage(store, select_articles(store, sel), sel)
    items = found["blindspots"]
    wanted = {b["story"] for b in items} | {o["story"] for o in found["official"]}
    heads = story_heads(store, wanted)

    def label(story: str) -> str:
        return heads[story].label if story in heads else ""

    return {
        "total": found["blindspots_total"],
        "rule": found["blindspot_rule"],
        "items": [{**b, "label": label(b["story"])} for b in items],
        "left_out": found["blindspots_left_out"],
        "no_data": found["no_data"],
        "camps": found["camps"],
        "official": [{**o, "label": label(o["story"])} for o in found["official"]],
        "official_total": found["official_total"],
    }


def story_comparison(store: Store, watch: Watch, story_id: str) -> dict[str, Any] | None:
    """Claims and framing terms per camp on one story's articles only, or ``None`` for no such
    story."""
    span = story_span(store, story_id)
    if span is None:
        return None
    sel = selection_for(watch, since=span[0], until=span[1], top=15, max_ids=25, story=story_id)
    arts = select_articles(store, sel)
    return {"claims": claims(store, arts, sel), "framing": framing(store, arts, sel)}
