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

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..periods import date_bound
from ..store.database import Store
from .modality import background, hypothetical
from .relations import IMPORTED_CAMPS, UNKNOWN_CAMP, stories_available
from .stories.fingerprint import clean_title, headline
from .stories.saved import story_heads

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
MILESTONE_TYPES = ("SUPPORT", "COOPERATE", "AGREE", "CONSULT", "AID", "SANCTION", "ASSAULT")
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
LABEL_CHARS = 220
_WORD = re.compile(r"\w{3,}", re.UNICODE)
_IDS_KEPT = 50
_EXPLAINER = re.compile(
    r"^\s*(?:what|why|how|who|explainer|explained|analysis|opinion|comment|q&a|fact[- ]?check"
    r"|timeline|in (?:maps|charts|pictures)|the guardian view|live|watch|video)\b"
    r"|\b(?:key events|list of key|as it happened|live updates?|what we know|day \d+$|explainer"
    r"|the latest|at a glance|in brief|newsletter|podcast|briefing|the papers|round-?up|recap)\b"
    r"|\?\s*(?:[|«–—-].*)?$"
    r"|^\s*(?:что|почему|как|кто|зачем|главное|хроника|онлайн|объясняем|разбор|мнение)\b"
    r"|\b(?:что известно|что мы знаем|главное за|онлайн-трансляция|прямая трансляция)\b"
    r"|^\s*(?:چرا|چه|چگونه)\s",
    re.IGNORECASE | re.UNICODE,
)
_CAMEO_LABELS = {
    "057": "agreement signed",
    "072": "military supplies",
    "074": "military supplies",
    "042": "visit",
    "043": "visit",
    "044": "summit or meeting",
    "041": "phone call",
}


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


def is_explainer(title: str) -> bool:
    """Whether a headline is an explainer, a live page or a list of key events, which tells of
    many events and is the label of none."""
    return bool(_EXPLAINER.search(title or ""))


@dataclass
class _Report:
    instance: str
    type: str
    cameo: str
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
    ts: int
    sentence: str = ""
    explainer: bool = False
    inferred: bool = False
    """The counterpart comes from the article (a signing with one side named)."""
    story: str | None = None


@dataclass
class _Group:
    kind: str
    grain: str
    reports: list[_Report] = field(default_factory=list)

    @property
    def days(self) -> list[str]:
        return sorted({r.day for r in self.reports})


_SENTENCE_SQL = (
    "substr(CASE e.field WHEN 'title' THEN a.title WHEN 'summary' THEN a.summary ELSE a.text END,"
    " CAST(e.sentence_start + 1 AS INTEGER), CAST(CASE WHEN e.sentence_end - e.sentence_start"
    " > 1000 THEN 1000 ELSE e.sentence_end - e.sentence_start END AS INTEGER))"
)


def _fetch(store: Store, a: str, b: str) -> tuple[list[_Report], Counter[str]]:
    """Every report of a milestone kind between ``a`` and ``b`` (with the signings whose other
    side the article gives), and why others were left out (hypothetical cues, ``past``,
    ``third party``)."""
    from .relations import DAY_SQL, GRAIN_SQL

    marks = ",".join("?" * len(MILESTONE_TYPES))
    dyad = "((e.source = ? AND e.target = ?) OR (e.source = ? AND e.target = ?))"
    # "the Treaty signed today" in a transcript of the two presidents' talks: a signing (057)
    # with one side known, in an article that reports at least two events between the pair
    half = (
        "(e.cameo LIKE '057%' AND ((e.source IN (?, ?) AND e.target IS NULL)"
        " OR (e.target IN (?, ?) AND e.source IS NULL))"
        " AND (SELECT count(*) FROM events x WHERE x.article_rowid = e.article_rowid"
        " AND x.negated = 0"
        " AND ((x.source = ? AND x.target = ?) OR (x.source = ? AND x.target = ?))) >= 2)"
    )
    # the same attack sentence also coded against a third state ("Russia strikes Ukraine with
    # Iranian drones" gives RUS→UKR and RUS→IRN): the pair is not what it is about
    third = (
        "CASE WHEN e.type = 'ASSAULT' AND EXISTS (SELECT 1 FROM events y WHERE"
        " y.article_rowid = e.article_rowid AND y.type = e.type AND y.field = e.field"
        " AND y.sentence_start = e.sentence_start AND y.negated = 0"
        " AND ((y.source IS NOT NULL AND y.source NOT IN (?, ?))"
        " OR (y.target IS NOT NULL AND y.target NOT IN (?, ?)))) THEN 1 ELSE 0 END"
    )
    sql = (
        "SELECT e.instance, e.rowid, e.type, e.cameo, e.source, e.target, e.asserted, e.field,"
        " e.sentence_start, e.sentence_end, a.rowid, a.id, a.title, a.language, a.outlet,"
        f" o.camp, a.url, {GRAIN_SQL}, {DAY_SQL},"
        " CASE WHEN a.title = '' THEN substr(COALESCE(NULLIF(a.summary, ''), a.text), 1, 400)"
        f" END, e.trigger, {_SENTENCE_SQL}, a.published_ts, {third}"
        " FROM events e JOIN articles a ON a.rowid = e.article_rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE e.negated = 0 AND a.duplicate_of IS NULL AND a.published_ts IS NOT NULL"
        f" AND ({dyad} OR {half}) AND e.type IN ({marks})"
    )
    params: list[Any] = [a, b, a, b, a, b, b, a, a, b, a, b, a, b, b, a, *MILESTONE_TYPES]
    out = []
    left_out: Counter[str] = Counter()
    for r in store.conn.execute(sql, params):
        kind = milestone_kind(r[2], r[3])
        camp = r[15] or UNKNOWN_CAMP
        if kind is None or r[17] is None or camp in IMPORTED_CAMPS:
            continue
        sentence = " ".join((r[21] or "").split())
        cue = hypothetical(sentence, r[20] or "")
        if cue is not None:
            left_out[cue] += 1
            continue
        if r[23]:
            left_out["third party"] += 1
            continue
        if _past(sentence, r[22]):
            left_out["past"] += 1
            continue
        source, target = r[4], r[5]
        inferred = source is None or target is None
        if inferred:
            known = source or target
            source, target = known, (b if known == a else a)
        raw_title = r[12] or ""
        out.append(
            _Report(
                instance=r[0] or f"r{r[1]}",
                type=r[2],
                cameo=r[3] or "",
                kind=kind,
                source=source,
                target=target,
                asserted=bool(r[6]) and background(sentence, r[20] or "") is None,
                field=r[7] or "text",
                start=r[8],
                end=r[9],
                article_rowid=r[10],
                article=r[11],
                title=clean_title(raw_title) if raw_title else headline(r[19] or ""),
                language=r[13] or "und",
                outlet=r[14],
                camp=camp,
                url=r[16],
                grain=r[17],
                day=r[18],
                ts=r[22],
                sentence=sentence,
                explainer=is_explainer(raw_title),
                inferred=inferred,
            )
        )
    return out, left_out


_YEAR = re.compile(r"(?<![\d.,/-])(19[5-9]\d|20[0-4]\d)(?![\d.,/-]\d)")


def _past(sentence: str, ts: int) -> bool:
    """Whether the sentence dates what it tells to an earlier year than the article's ("signed
    a cooperation deal in 2001"): a mention of the past, not news of it."""
    years = {int(y) for y in _YEAR.findall(sentence)}
    if not years:
        return False
    year = datetime.fromtimestamp(ts, UTC).year
    return max(years) < year


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


def label_of(g: _Group) -> str:
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


_LABEL_KIND = {
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
_LABEL_TYPES = {
    "agreement signed": ("SUPPORT",),
    "cooperation": ("COOPERATE",),
    "intent to cooperate": ("AGREE",),
}


def _label_report(reports: list[_Report], label: str) -> _Report | None:
    """The report whose evidence sentence labels the milestone (see the module docstring), or
    ``None`` when every report comes from an explainer's headline."""
    usable = [r for r in reports if r.sentence and not (r.explainer and r.field == "title")]
    types = _LABEL_TYPES.get(label)
    kind = _LABEL_KIND[label]
    of_label = [r for r in usable if (r.type in types if types else r.kind == kind)]
    usable = of_label or usable
    if not usable:
        return None
    main = Counter(r.language for r in usable).most_common(1)[0][0]
    pool = [r for r in usable if r.language == main]
    unique: dict[tuple[str, str], _Report] = {}
    for r in sorted(pool, key=lambda r: (r.day, r.article, r.start)):
        unique.setdefault((r.article, r.sentence), r)
    candidates = list(unique.values())
    words = {id(r): set(_WORD.findall(r.sentence.lower())) for r in candidates}

    def centrality(r: _Report) -> float:
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


@dataclass
class _Scored:
    group: _Group
    label: str
    score: float
    first: bool
    routine: int
    camps: Counter[str]
    outlets: set[str]
    articles: int
    asserted_share: float


def _score(groups: list[_Group]) -> list[_Scored]:
    """Each milestone with its score (see the module docstring)."""
    out: list[_Scored] = []
    for g in groups:
        camps = Counter[str]()
        seen: set[str] = set()
        for r in g.reports:
            if r.article not in seen:
                seen.add(r.article)
                camps[r.camp] += 1
        out.append(
            _Scored(
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

    def breadth(s: _Scored) -> float:
        known = len([c for c in s.camps if c != UNKNOWN_CAMP])
        return known + math.log2(1 + len(s.outlets)) + 0.5 * math.log2(1 + s.articles)

    by_label: dict[str, list[_Scored]] = defaultdict(list)
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
    reports, left_out = _fetch(store, a, b)
    use_stories = stories_available(store)
    if use_stories and reports:
        from .relations import story_map

        stories = story_map(store, {r.article_rowid for r in reports})
        for r in reports:
            r.story = stories.get(r.article_rowid)
    scored = _score(_group(reports, window_days=window_days, use_stories=use_stories))
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
    story_ids = {r.story for s in top for r in s.group.reports if r.story}
    labels = _story_labels(store, story_ids)
    return {
        "pair": [a, b],
        "stories_used": use_stories,
        "reports": sum(len(s.group.reports) for s in kept),
        "groups": len(kept),
        "hypothetical_left_out": sum(
            n for k, n in left_out.items() if k not in ("third party", "past")
        ),
        "left_out": {
            "hypothetical": dict(
                (k, n) for k, n in left_out.most_common() if k not in ("third party", "past")
            ),
            "third_party_attacks": left_out["third party"],
            "past_mentions": left_out["past"],
        },
        "ranking": "weight of what it is x novelty (first of its label in the dyad, routine in"
        f" the {ROUTINE_DAYS} days before) x share asserted x breadth (camps + log2 outlets)",
        "milestones": [_milestone(rank, s, labels) for rank, s in enumerate(top, 1)],
    }


def _milestone(rank: int, s: _Scored, labels: dict[str, tuple[str, int]]) -> dict[str, Any]:
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
