"""The timeline of a relation: its milestones, ranked by how widely they were reported.

A milestone is a group of coded events between two states (either direction) of one kind:

- ``agreement`` — agreements and deals signed (CAMEO 057 "sign formal agreement", material
  cooperation 06x, and intentions to cooperate economically or militarily 031x/032x);
- ``visit`` — visits, summits and talks (CONSULT);
- ``supply`` — supplies and aid (AID);
- ``sanction`` — sanctions, embargoes, expulsions (SANCTION);
- ``attack`` — attacks (ASSAULT).

Negated events are left out and syndicated copies count once. Reports are grouped by kind and day
(the instance level, widened to the pair of states; an article dated only to the month is a
candidate of its own). Groups of different kinds on one day whose articles are mostly the same
are one milestone (a summit where a treaty was signed), named as :data:`KINDS` says; groups
of one kind on consecutive days are one milestone as long as the whole stays within
``window_days`` — when a story job has run, only if they share a story.

Each milestone is ranked by the number of camps that covered it, then outlets, then articles,
then day-dated before month-dated, then reports. It carries its date (the day most outlets
reported it), a one-line summary (its story's label when the story is about it — holds most of
its articles and is at most three times its size — else the most central headline: the title, or
an untitled post's first line, sharing most words with the other titles of the group, titles that
state the event first), the camps with their article counts, and the ids of its events, articles
and stories.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..periods import date_bound
from ..store.database import Store
from ..store.events import kept
from .relations import IMPORTED_CAMPS, UNKNOWN_CAMP, stories_available
from .stories.fingerprint import clean_title, headline
from .stories.saved import story_heads

KINDS = {
    "agreement": "agreement signed",
    "supply": "supplies or aid",
    "sanction": "sanctions",
    "attack": "attack",
    "visit": "visit, summit or talks",
}
"""Milestone kinds; a milestone of several is named by a signed agreement (CAMEO 057) when one
was reported (a summit where a treaty was signed), else by its most reported kind, ties in this
order."""
MILESTONE_TYPES = ("SUPPORT", "COOPERATE", "AGREE", "CONSULT", "AID", "SANCTION", "ASSAULT")
_WORD = re.compile(r"\w{3,}", re.UNICODE)
_IDS_KEPT = 50


def milestone_kind(kind: str, cameo: str | None) -> str | None:
    """The milestone kind of an event type and CAMEO code, or ``None``."""
    code = cameo or ""
    if kind == "SUPPORT":
        return "agreement" if code.startswith("057") else None
    if kind == "COOPERATE":
        return "agreement"
    if kind == "AGREE":
        return "agreement" if code.startswith(("031", "032")) else None
    return {"CONSULT": "visit", "AID": "supply", "SANCTION": "sanction", "ASSAULT": "attack"}.get(
        kind
    )


@dataclass
class _Report:
    instance: str
    type: str
    kind: str
    source: str
    target: str
    asserted: bool
    field: str
    start: int
    end: int
    article_rowid: int
    article: str
    title: str
    language: str
    outlet: str
    camp: str
    url: str | None
    grain: str
    day: str
    story: str | None = None


@dataclass
class _Group:
    kind: str
    grain: str
    reports: list[_Report] = field(default_factory=list)

    @property
    def days(self) -> list[str]:
        return sorted({r.day for r in self.reports})


def _fetch(store: Store, a: str, b: str, since: int | None, until: int | None) -> list[_Report]:
    from .relations import DAY_SQL, GRAIN_SQL

    marks = ",".join("?" * len(MILESTONE_TYPES))
    sql = (
        "SELECT e.instance, e.rowid, e.type, e.cameo, e.source, e.target, e.asserted, e.field,"
        " e.sentence_start, e.sentence_end, a.rowid, a.id, a.title, a.language, a.outlet,"
        f" o.camp, a.url, {GRAIN_SQL}, {DAY_SQL},"
        " CASE WHEN a.title = '' THEN substr(COALESCE(NULLIF(a.summary, ''), a.text), 1, 400)"
        " END"
        " FROM events e JOIN articles a ON a.rowid = e.article_rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE e.negated = 0 AND a.duplicate_of IS NULL AND a.published_ts IS NOT NULL"
        " AND ((e.source = ? AND e.target = ?) OR (e.source = ? AND e.target = ?))"
        f" AND e.type IN ({marks}) AND {kept()[0]}"
    )
    params: list[Any] = [a, b, b, a, *MILESTONE_TYPES, kept()[1]]
    if since is not None:
        sql += " AND a.published_ts >= ?"
        params.append(since)
    if until is not None:
        sql += " AND a.published_ts <= ?"
        params.append(until)
    out = []
    for r in store.conn.execute(sql, params):
        kind = milestone_kind(r[2], r[3])
        camp = r[15] or UNKNOWN_CAMP
        if kind is None or r[17] is None or camp in IMPORTED_CAMPS:
            continue
        out.append(
            _Report(
                instance=r[0] or f"r{r[1]}",
                type=r[2],
                kind=kind,
                source=r[4],
                target=r[5],
                asserted=bool(r[6]),
                field=r[7] or "text",
                start=r[8],
                end=r[9],
                article_rowid=r[10],
                article=r[11],
                title=clean_title(r[12]) if r[12] else headline(r[19] or ""),
                language=r[13] or "und",
                outlet=r[14],
                camp=camp,
                url=r[16],
                grain=r[17],
                day=r[18],
            )
        )
    return out


def _group(reports: list[_Report], *, window_days: int, use_stories: bool) -> list[_Group]:
    """Milestones: reports by kind and day (by article when dated to the month), then joined
    across kinds (mostly the same articles, one day) and across days (same kind, consecutive
    days — with stories: sharing a story — within ``window_days``)."""
    by_key: dict[tuple[str, str, str], _Group] = {}
    for r in reports:
        # articles dated only to the month: one candidate per article (a month is no event)
        where = r.day if r.grain == "day" else f"{r.day}|{r.article}"
        g = by_key.setdefault((r.kind, r.grain, where), _Group(kind=r.kind, grain=r.grain))
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
    merged: dict[int, _Group] = {}
    for i, g in enumerate(groups):
        root = find(i)
        if root not in merged:
            merged[root] = _Group(kind=g.kind, grain=g.grain)
        merged[root].reports.extend(g.reports)
        if g.grain == "day":
            merged[root].grain = "day"
    for g in merged.values():
        g.kind = _name(g.reports)
    return list(merged.values())


def _name(reports: list[_Report]) -> str:
    """The kind naming a milestone of several: a signed agreement if one was reported, else the
    kind with most reports (ties in the order of :data:`KINDS`)."""
    if any(r.type == "SUPPORT" for r in reports):
        return "agreement"
    counts = Counter(r.kind for r in reports)
    order = list(KINDS)
    return min(counts, key=lambda k: (-counts[k], order.index(k)))


def _central_title(reports: list[_Report]) -> _Report:
    """The report whose headline shares most words with the group's other headlines (in the
    group's main language; titles that state the event first)."""
    with_title = [r for r in reports if r.title.strip()]
    if not with_title:
        return reports[0]
    main = Counter(r.language for r in with_title).most_common(1)[0][0]
    pool = [r for r in with_title if r.language == main]
    unique: dict[str, _Report] = {}
    for r in sorted(pool, key=lambda r: (r.field != "title", r.day, r.article)):
        unique.setdefault(r.article, r)
    candidates = list(unique.values())
    words = {r.article: set(_WORD.findall(r.title.lower())) for r in candidates}

    def centrality(r: _Report) -> float:
        mine = words[r.article]
        if not mine:
            return 0.0
        others = [w for k, w in words.items() if k != r.article]
        if not others:
            return 1.0
        return sum(len(mine & w) / len(mine | w) for w in others if w) / len(others)

    return max(candidates, key=lambda r: (r.field == "title", centrality(r), -len(r.title)))


def _story_labels(store: Store, ids: set[str]) -> dict[str, tuple[str, int]]:
    """Label and size (articles) of stories with a label."""
    return {k: (h.label, h.articles) for k, h in story_heads(store, ids).items() if h.label}


def _evidence(store: Store, r: _Report) -> str:
    row = store.conn.execute(
        "SELECT title, summary, text FROM articles WHERE rowid = ?", (r.article_rowid,)
    ).fetchone()
    if row is None:
        return ""
    text = {"title": row[0], "summary": row[1]}.get(r.field, row[2]) or ""
    return " ".join(text[r.start : r.end].split())


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
    """The milestones between ``a`` and ``b`` (both directions), most widely reported first."""

    a, b = a.upper(), b.upper()
    reports = [
        r
        for r in _fetch(store, a, b, date_bound(since, end=False), date_bound(until, end=True))
        if r.kind in kinds
    ]
    use_stories = stories_available(store)
    if use_stories and reports:
        from .relations import story_map

        stories = story_map(store, {r.article_rowid for r in reports})
        for r in reports:
            r.story = stories.get(r.article_rowid)
    groups = _group(reports, window_days=window_days, use_stories=use_stories)
    scored = []
    for g in groups:
        camps = Counter[str]()
        seen_articles: set[str] = set()
        for r in g.reports:
            if r.article not in seen_articles:
                seen_articles.add(r.article)
                camps[r.camp] += 1
        outlets = {r.outlet for r in g.reports}
        if len(outlets) < min_outlets:
            continue
        known = [c for c in camps if c != UNKNOWN_CAMP]
        day_dated = g.grain == "day"
        rank_key = (len(known), len(outlets), len(seen_articles), day_dated, len(g.reports))
        scored.append((rank_key, g, camps, outlets))
    scored.sort(key=lambda s: (s[0], s[1].days[-1]), reverse=True)
    top = scored[:limit]
    story_ids = {r.story for _, g, _, _ in top for r in g.reports if r.story}
    labels = _story_labels(store, story_ids)
    milestones = []
    for rank, (_, g, camps, outlets) in enumerate(top, 1):
        milestones.append(_milestone(store, rank, g, camps, outlets, labels))
    return {
        "pair": [a, b],
        "stories_used": use_stories,
        "reports": len(reports),
        "groups": len(scored),
        "milestones": milestones,
    }


def _milestone(
    store: Store,
    rank: int,
    g: _Group,
    camps: Counter[str],
    outlets: set[str],
    labels: dict[str, tuple[str, int]],
) -> dict[str, Any]:
    per_day: dict[str, set[str]] = defaultdict(set)
    for r in g.reports:
        per_day[r.day].add(r.outlet)
    peak = max(sorted(per_day), key=lambda d: len(per_day[d]))
    best = _central_title(g.reports)
    stories = Counter(r.story for r in g.reports if r.story)
    summary = ""
    n_articles = len({r.article for r in g.reports})
    if stories:
        # the story's label names the milestone when the story is about it: it holds most of
        # the milestone's articles and is not a much larger story (a month of war news)
        top = stories.most_common(1)[0][0]
        label, size = labels.get(top, ("", 0))
        inside = len({r.article for r in g.reports if r.story == top})
        if label and 2 * inside >= n_articles and size <= 3 * n_articles:
            summary = label
    evidence = _evidence(store, best)
    summary = summary or best.title.strip() or evidence[:200]
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
        "kinds": sorted({r.kind for r in g.reports}, key=list(KINDS).index),
        "types": dict(Counter(r.type for r in g.reports).most_common()),
        "directions": dict(directions.most_common()),
        "summary": " ".join(summary.split()),
        "summary_article": best.article,
        "evidence": evidence,
        "url": best.url,
        "camps": dict(sorted(camps.items(), key=lambda kv: (-kv[1], kv[0]))),
        "camp_count": len([c for c in camps if c != UNKNOWN_CAMP]),
        "outlets": len(outlets),
        "articles": len(articles),
        "reports": len(g.reports),
        "asserted": sum(r.asserted for r in g.reports),
        "event_count": len(events),
        "event_ids": events[:_IDS_KEPT],
        "article_ids": articles[:_IDS_KEPT],
        "story_ids": sorted(stories)[:_IDS_KEPT],
    }
