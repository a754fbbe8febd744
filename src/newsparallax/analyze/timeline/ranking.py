"""Milestones from reports: grouped by kind and day, named by what was reported, scored by what
they are and how new (see the package docstring)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..relations import UNKNOWN_CAMP
from .reports import Report

KINDS = {
    "agreement": "agreement or cooperation",
    "supply": "supplies or aid",
    "sanction": "sanctions",
    "attack": "attack",
    "visit": "visit, summit or talks",
}
"""Milestone kinds and their ``label``; a milestone of several is named by a signed agreement
(CAMEO 057) when one was reported (a summit where a treaty was signed), else by its most reported
kind, ties in this order. Each milestone's ``what`` says more precisely what was reported (the
keys of :data:`WEIGHTS`)."""
WEIGHTS = {
    "agreement signed": 5.0,
    "military supplies": 5.0,
    "supplies or aid": 4.0,
    "visit": 4.0,
    "summit or meeting": 4.0,
    "sanctions": 3.0,
    "cooperation": 2.5,
    "talks": 2.0,
    "phone call": 1.0,
    "intent to cooperate": 1.0,
    "attack": 3.0,
}
"""What a milestone is, by its label, and how much that weighs in the ranking."""
FIRST_BONUS = 1.0
FIRST_OUTLETS = 2
"""Outlets that must report a milestone for it to count as the first of its label (one report
of a rare kind is more often a coding slip than a first)."""
MONTH_FACTOR = 0.25
"""Of a milestone dated only to a month (its date estimated: no milestone of a day)."""
ROUTINE_DAYS = 30
_CAMEO_LABELS = {
    "057": "agreement signed",
    "072": "military supplies",
    "074": "military supplies",
    "042": "visit",
    "043": "visit",
    "044": "summit or meeting",
    "041": "phone call",
}


@dataclass
class Group:
    kind: str
    grain: str
    reports: list[Report] = field(default_factory=list)

    @property
    def days(self) -> list[str]:
        return sorted({r.day for r in self.reports})


def group_reports(reports: list[Report], *, window_days: int, use_stories: bool) -> list[Group]:
    """Milestones: reports by kind and day (by article when dated to the month), then joined
    across kinds (mostly the same articles, one day) and across days (same kind, consecutive
    days — with stories: sharing a story — within ``window_days``)."""
    by_key: dict[tuple[str, str, str], Group] = {}
    for r in reports:
        # articles dated only to the month: one candidate per article (a month is no event)
        where = r.day if r.grain == "day" else f"{r.day}|{r.article}"
        g = by_key.setdefault((r.kind, r.grain, where), Group(kind=r.kind, grain=r.grain))
        g.reports.append(r)
    groups = list(by_key.values())
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    # one article telling of a visit and the treaty signed during it: one milestone of two
    # kinds, when most articles of the two groups are the same
    articles = [{r.article for r in g.reports} for g in groups]
    stories = [{r.story for r in g.reports if r.story} for g in groups]
    by_day: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        if g.grain == "day":
            by_day[g.days[0]].append(i)
    for members in by_day.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                shared = len(articles[i] & articles[j])
                if shared / len(articles[i] | articles[j]) >= 0.5:
                    union(i, j)
    # the same kind on following days: one milestone, at most window_days long
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        if g.grain == "day":
            by_kind[g.kind].append(i)
    for members in by_kind.values():
        members.sort(key=lambda i: groups[i].days[0])
        chain_start: date | None = None
        prev: tuple[date, int] | None = None
        for i in members:
            day = date.fromisoformat(groups[i].days[0])
            linked = (
                prev is not None
                and chain_start is not None
                and day - prev[0] <= timedelta(days=1)
                and day - chain_start < timedelta(days=window_days)
                and (not use_stories or bool(stories[i] & stories[prev[1]]))
            )
            if linked and prev is not None:
                union(i, prev[1])
            else:
                chain_start = day
            prev = (day, i)
    merged: dict[int, Group] = {}
    for i, g in enumerate(groups):
        root = find(i)
        if root not in merged:
            merged[root] = Group(kind=g.kind, grain=g.grain)
        merged[root].reports.extend(g.reports)
        if g.grain == "day":
            merged[root].grain = "day"
    for g in merged.values():
        g.kind = kind_name(g.reports)
    return list(merged.values())


def kind_name(reports: list[Report]) -> str:
    """The kind naming a milestone of several: a signed agreement if one was reported, else the
    kind with most reports (ties in the order of :data:`KINDS`)."""
    if any(r.type == "SUPPORT" for r in reports):
        return "agreement"
    counts = Counter(r.kind for r in reports)
    order = list(KINDS)
    return min(counts, key=lambda k: (-counts[k], order.index(k)))


def label_of(g: Group) -> str:
    """What the milestone is, as precisely as its reports say (see the module docstring)."""
    of_kind = [r for r in g.reports if r.kind == g.kind]
    if g.kind == "agreement":
        if any(r.type == "SUPPORT" for r in of_kind):
            return "agreement signed"
        return (
            "cooperation"
            if any(r.type == "COOPERATE" for r in of_kind)
            else ("intent to cooperate")
        )
    if g.kind == "supply":
        military = sum(r.cameo[:3] in ("072", "074") for r in of_kind)
        return "military supplies" if 2 * military >= len(of_kind) else "supplies or aid"
    if g.kind == "visit":
        # a visit includes its talks: the most telling code among a third of the reports or
        # more names it
        codes = Counter(_CAMEO_LABELS.get(r.cameo[:3], "talks") for r in of_kind)
        order = ("visit", "summit or meeting", "talks", "phone call")
        telling = [k for k in order if 3 * codes[k] >= len(of_kind)]
        return telling[0] if telling else min(codes, key=lambda k: (-codes[k], order.index(k)))
    return "sanctions" if g.kind == "sanction" else "attack"


LABEL_KIND = {
    "agreement signed": "agreement",
    "cooperation": "agreement",
    "intent to cooperate": "agreement",
    "military supplies": "supply",
    "supplies or aid": "supply",
    "visit": "visit",
    "summit or meeting": "visit",
    "talks": "visit",
    "phone call": "visit",
    "sanctions": "sanction",
    "attack": "attack",
}
LABEL_TYPES = {
    "agreement signed": ("SUPPORT",),
    "cooperation": ("COOPERATE",),
    "intent to cooperate": ("AGREE",),
}


@dataclass
class Scored:
    group: Group
    label: str
    score: float
    first: bool
    routine: int
    camps: Counter[str]
    outlets: set[str]
    articles: int
    asserted_share: float


def score_milestones(groups: list[Group]) -> list[Scored]:
    """Each milestone with its score (see the module docstring)."""
    out: list[Scored] = []
    for g in groups:
        camps = Counter[str]()
        seen: set[str] = set()
        for r in g.reports:
            if r.article not in seen:
                seen.add(r.article)
                camps[r.camp] += 1
        out.append(
            Scored(
                group=g,
                label=label_of(g),
                score=0.0,
                first=False,
                routine=0,
                camps=camps,
                outlets={r.outlet for r in g.reports},
                articles=len(seen),
                asserted_share=sum(r.asserted for r in g.reports) / len(g.reports),
            )
        )

    def breadth(s: Scored) -> float:
        known = len([c for c in s.camps if c != UNKNOWN_CAMP])
        return known + math.log2(1 + len(s.outlets)) + 0.5 * math.log2(1 + s.articles)

    by_label: dict[str, list[Scored]] = defaultdict(list)
    for s in out:
        if s.group.grain == "day":
            by_label[s.label].append(s)
    for items in by_label.values():
        items.sort(key=lambda s: s.group.days[0])
        confirmed = [s for s in items if len(s.outlets) >= FIRST_OUTLETS]
        if confirmed:
            confirmed[0].first = True
        starts = [date.fromisoformat(s.group.days[0]) for s in items]
        lo = 0
        for i, day in enumerate(starts):
            while starts[lo] < day - timedelta(days=ROUTINE_DAYS):
                lo += 1
            wide = breadth(items[i])
            items[i].routine = sum(1 for j in range(lo, i) if breadth(items[j]) >= wide)
    for s in out:
        novelty = (1.0 + FIRST_BONUS) if s.first else 1.0 / (1 + s.routine) ** 2
        score = WEIGHTS[s.label] * novelty * (0.5 + 0.5 * s.asserted_share) * breadth(s) ** 2
        s.score = score if s.group.grain == "day" else score * MONTH_FACTOR
    return out
