"""The timeline of a relation: its milestones, ranked by what they are and how new they are.

A milestone is a group of coded events between two states (either direction) of one kind:

- ``agreement`` — agreements and deals signed (CAMEO 057 "sign formal agreement"), material
  cooperation (06x) and intentions to cooperate economically or militarily (031x/032x);
- ``visit`` — visits, summits and talks (CONSULT);
- ``supply`` — supplies and aid (AID);
- ``sanction`` — sanctions, embargoes, expulsions (SANCTION);
- ``attack`` — attacks (ASSAULT).

Negated events are left out, and so are events whose sentence only fears, supposes or imagines
them ("could supply", "it is very likely that Russia buys drones", «может поставить»:
:func:`~newsparallax.analyze.modality.hypothetical`); syndicated copies count once. Reports are
grouped by kind and day (the instance level, widened to the pair of states; an article dated
only to the month is a candidate of its own). Groups of different kinds on one day whose articles
are mostly the same are one milestone (a summit where a treaty was signed); groups of one kind on
consecutive days are one milestone as long as the whole stays within ``window_days`` — when a
story job has run, only if they share a story.

**Ranking** (not by daily volume: a war dyad has an attack every day). Each milestone scores

    weight(what it is) × novelty × assertion × breadth² × (¼ when dated only to a month)

* *what it is* (:data:`WEIGHTS`): an agreement signed or a military supply weighs most, then a
  visit or summit, then sanctions, cooperation, talks, an intent, an attack;
* *novelty*: the first milestone of its label in the dyad (over the whole archive, day-dated,
  reported by :data:`FIRST_OUTLETS` outlets) counts 1 + :data:`FIRST_BONUS` times more; after
  that, each milestone of the same label in the
  :data:`ROUTINE_DAYS` days before it, reported at least as widely, makes it more routine
  (× 1 / (1 + n)²): a strike reported like every other day's sinks, one reported far more
  widely does not;
* *assertion*: ½ + ½ × the share of its reports an outlet asserts (a milestone known only as
  someone's claim, "White House says…", ranks lower, but stays);
* *breadth*: camps + log2(1 + outlets) that reported it, squared: a milestone is known by how
  widely it was told, and one outlet's report of a rare kind is as often a coding slip.

**Label**: the milestone's own evidence sentence — of a report asserted rather than relayed,
from an article that is not an explainer, a live page or a key-events list ("What is in the
treaty…?", "List of key events, day 238"), preferring a headline that states the event, then
the sentence sharing most words with the others. Its ``what`` names what was reported:
"agreement signed" only when a signing (CAMEO 057) was, else "cooperation" or "intent to
cooperate"; "military supplies"; "visit", "summit or meeting", "talks" or "phone call".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from ...periods import date_bound
from ...store.database import Store
from ...store.events import kept as kept_events
from ..relations import UNKNOWN_CAMP, stories_available
from ..stories.fingerprint import clean_title
from ..stories.queries import story_heads
from .ranking import (
    FIRST_BONUS,
    FIRST_OUTLETS,
    KINDS,
    LABEL_KIND,
    LABEL_TYPES,
    MONTH_FACTOR,
    ROUTINE_DAYS,
    WEIGHTS,
    Scored,
    group_reports,
    label_of,
    score_milestones,
)
from .reports import MILESTONE_TYPES, Report, fetch_reports, is_explainer, milestone_kind

__all__ = [
    "FIRST_BONUS",
    "FIRST_OUTLETS",
    "KINDS",
    "MILESTONE_TYPES",
    "MONTH_FACTOR",
    "ROUTINE_DAYS",
    "UNCONFIRMED_FLOOR",
    "UNCONFIRMED_OUTLETS",
    "WEIGHTS",
    "is_explainer",
    "label_of",
    "milestone_kind",
    "timeline",
]

LABEL_CHARS = 220
_WORD = re.compile(r"\w{3,}", re.UNICODE)
_IDS_KEPT = 50


def _label_report(reports: list[Report], label: str) -> Report | None:
    """The report whose evidence sentence labels the milestone (see the module docstring), or
    ``None`` when every report comes from an explainer's headline."""
    usable = [r for r in reports if r.sentence and not (r.explainer and r.field == "title")]
    types = LABEL_TYPES.get(label)
    kind = LABEL_KIND[label]
    of_label = [r for r in usable if (r.type in types if types else r.kind == kind)]
    usable = of_label or usable
    if not usable:
        return None
    main = Counter(r.language for r in usable).most_common(1)[0][0]
    pool = [r for r in usable if r.language == main]
    unique: dict[tuple[str, str], Report] = {}
    for r in sorted(pool, key=lambda r: (r.day, r.article, r.start)):
        unique.setdefault((r.article, r.sentence), r)
    candidates = list(unique.values())
    words = {id(r): set(_WORD.findall(r.sentence.lower())) for r in candidates}

    def centrality(r: Report) -> float:
        mine = words[id(r)]
        others = [w for k, w in words.items() if k != id(r) and w]
        if not mine or not others:
            return 0.0
        return sum(len(mine & w) / len(mine | w) for w in others) / len(others)

    return max(
        candidates,
        key=lambda r: (
            not r.explainer,
            not r.sentence.rstrip().endswith("?"),
            r.asserted,
            r.field == "title",
            round(centrality(r), 3),
            -abs(len(r.sentence) - 120),
        ),
    )


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _story_labels(store: Store, ids: set[str]) -> dict[str, tuple[str, int]]:
    """Label and size (articles) of stories with a label."""
    return {k: (h.label, h.articles) for k, h in story_heads(store, ids).items() if h.label}


_NOT_CUES = ("third party", "past", "repeated")
"""Reasons a report is left out other than a hypothetical cue."""


def timeline(
    store: Store,
    a: str,
    b: str,
    *,
    since: str | None = None,
    until: str | None = None,
    kinds: tuple[str, ...] = tuple(KINDS),
    limit: int = 10,
    window_days: int = 3,
    min_outlets: int = 1,
) -> dict[str, Any]:
    """The milestones between ``a`` and ``b`` (both directions), best first (see the module
    docstring); ``since``/``until`` keep the milestones reported in that window, whose novelty
    is still judged against the whole archive."""

    a, b = a.upper(), b.upper()
    reports, left_out = fetch_reports(store, a, b)
    use_stories = stories_available(store)
    if use_stories and reports:
        from ..relations import story_map

        stories = story_map(store, {r.article_rowid for r in reports})
        for r in reports:
            r.story = stories.get(r.article_rowid)
    scored = score_milestones(
        group_reports(reports, window_days=window_days, use_stories=use_stories)
    )
    lo, hi = date_bound(since, end=False), date_bound(until, end=True)
    kept = [
        s
        for s in scored
        if s.group.kind in kinds
        and len(s.outlets) >= min_outlets
        and any((lo is None or r.ts >= lo) and (hi is None or r.ts <= hi) for r in s.group.reports)
    ]
    kept.sort(key=lambda s: (s.score, s.group.days[-1]), reverse=True)
    top = kept[:limit]
    unconfirmed = _unconfirmed(
        store, a, b, kept, kinds=kinds, lo=lo, hi=hi, limit=max(3, limit // 2),
    )  # fmt: skip
    story_ids = {r.story for s in top + unconfirmed for r in s.group.reports if r.story}
    labels = _story_labels(store, story_ids)
    return {
        "pair": [a, b],
        "stories_used": use_stories,
        "reports": sum(len(s.group.reports) for s in kept),
        "groups": len(kept),
        "hypothetical_left_out": sum(n for k, n in left_out.items() if k not in _NOT_CUES),
        "left_out": {
            "hypothetical": dict((k, n) for k, n in left_out.most_common() if k not in _NOT_CUES),
            "third_party_attacks": left_out["third party"],
            "past_mentions": left_out["past"],
            "repeated_sentences": left_out["repeated"],
        },
        "ranking": "weight of what it is x novelty (first of its label in the dyad, routine in"
        f" the {ROUTINE_DAYS} days before) x share asserted x breadth (camps + log2 outlets)",
        "milestones": [_milestone(rank, s, labels) for rank, s in enumerate(top, 1)],
        "unconfirmed_floor": UNCONFIRMED_FLOOR,
        "unconfirmed": [
            _milestone(rank, s, labels) | {"confidence": _best(s)}
            for rank, s in enumerate(unconfirmed, 1)
        ],
    }


UNCONFIRMED_FLOOR = 0.5
"""The confidence an event needs to be shown among the *unconfirmed* milestones."""
UNCONFIRMED_OUTLETS = 2
"""Outlets that must report an unconfirmed milestone (one outlet's low-confidence report is
too often a coding slip to show at all)."""


def _best(s: Scored) -> float:
    return round(max(r.confidence for r in s.group.reports), 3)


def _unconfirmed(
    store: Store,
    a: str,
    b: str,
    kept: list[Scored],
    *,
    kinds: tuple[str, ...],
    lo: int | None,
    hi: int | None,
    limit: int,
) -> list[Scored]:
    """Milestones told only by events under the confidence threshold (at or above
    :data:`UNCONFIRMED_FLOOR`), by :data:`UNCONFIRMED_OUTLETS` outlets or more, on days no kept
    milestone of the kind covers: shown apart, for inspection, never counted or ranked with the
    timeline ("Putin to visit Iran" in two outlets when each report scores 0.6)."""
    threshold = kept_events()[1]
    reports, _ = fetch_reports(store, a, b, floor=UNCONFIRMED_FLOOR)
    reports = [r for r in reports if r.confidence < threshold and r.grain == "day"]
    if not reports:
        return []
    covered = {(s.group.kind, day) for s in kept for day in s.group.days}
    # a week of days in a row, stories or not: what a low-confidence report tells is only
    # worth showing when several outlets told it about the same time
    out = [
        s
        for s in score_milestones(group_reports(reports, window_days=7, use_stories=False))
        if s.group.kind in kinds
        and len(s.outlets) >= UNCONFIRMED_OUTLETS
        and not any((s.group.kind, day) in covered for day in s.group.days)
        and any((lo is None or r.ts >= lo) and (hi is None or r.ts <= hi) for r in s.group.reports)
    ]
    out.sort(key=lambda s: (s.score, s.group.days[-1]), reverse=True)
    return out[:limit]


def _milestone(rank: int, s: Scored, labels: dict[str, tuple[str, int]]) -> dict[str, Any]:
    g = s.group
    per_day: dict[str, set[str]] = defaultdict(set)
    for r in g.reports:
        per_day[r.day].add(r.outlet)
    peak = max(sorted(per_day), key=lambda d: len(per_day[d]))
    best = _label_report(g.reports, s.label)
    stories = Counter(r.story for r in g.reports if r.story)
    top_story = stories.most_common(1)[0][0] if stories else None
    if best is not None:
        evidence = best.sentence
        summary = _short(clean_title(evidence) if best.field == "title" else evidence)
    else:
        evidence = g.reports[0].sentence
        summary = f"{s.label} ({', '.join(sorted({f'{r.source}→{r.target}' for r in g.reports}))})"
    chosen = best or g.reports[0]
    events = sorted({r.instance for r in g.reports})
    articles = sorted({r.article for r in g.reports})
    directions = Counter(f"{r.source}→{r.target}" for r in g.reports)
    return {
        "rank": rank,
        "date": peak if g.grain == "day" else peak[:7],
        "date_precision": g.grain,
        "first": g.days[0],
        "last": g.days[-1],
        "kind": g.kind,
        "label": KINDS[g.kind],
        "what": s.label,
        "kinds": sorted({r.kind for r in g.reports}, key=list(KINDS).index),
        "types": dict(Counter(r.type for r in g.reports).most_common()),
        "directions": dict(directions.most_common()),
        "summary": summary,
        "summary_article": chosen.article,
        "summary_title": chosen.title,
        "evidence": evidence,
        "url": chosen.url,
        "story_label": labels.get(top_story, ("", 0))[0] if top_story else "",
        "camps": dict(sorted(s.camps.items(), key=lambda kv: (-kv[1], kv[0]))),
        "camp_count": len([c for c in s.camps if c != UNKNOWN_CAMP]),
        "outlets": len(s.outlets),
        "articles": len(articles),
        "reports": len(g.reports),
        "asserted": sum(r.asserted for r in g.reports),
        "score": round(s.score, 3),
        "first_of_label": s.first,
        "routine": s.routine,
        "explainer_articles": len({r.article for r in g.reports if r.explainer}),
        "event_count": len(events),
        "event_ids": events[:_IDS_KEPT],
        "article_ids": articles[:_IDS_KEPT],
        "story_ids": sorted(stories)[:_IDS_KEPT],
    }
