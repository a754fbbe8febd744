"""Camp comparison: how each camp of outlets covers, frames and judges the same stories.

:func:`compare` reads stored articles (no syndicated copies) of the chosen camps and window,
their stories (``parallax cluster``), themes, events and actor mentions, and returns:

* ``coverage`` — per story, for each camp: articles, the share of the camp's *active* outlets
  (those that published anything from a day before the story's first article to a day after its
  last) that covered it, and its *attention*: the mean over active outlets of the fraction of the
  outlet's articles in that span that belong to the story (volume-normalised: a wire service
  with 300 items a day and a channel with 5 weigh the same). **Blindspots**: stories where a camp
  covers heavily (at least :data:`HEAVY_ARTICLES` articles and :data:`HEAVY_SHARE` of its active
  outlets) and another camp, active in the span with at least :data:`ACTIVE_MIN` articles, gives
  it at most :data:`BLIND_RATIO` of that attention.
* ``emphasis`` — the share of each camp's articles tagged with each theme, with 95 % Wilson
  intervals.
* ``framing`` — per language, on stories at least two camps cover in that language: words and
  two-word phrases distinctive of each camp against the other camps, by the log-odds ratio with
  an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"; prior = the
  language's word frequencies over all compared articles × :data:`PRIOR_MASS`, or × their
  total when smaller), as z-scores.
* ``claims`` — for events of the same story (events stage), per camp: reports asserting them,
  only attributing them to someone, or denying them.
* ``tone`` — toward each state of the watch (mentions of it, or of actors of its country): the
  mean lexicon polarity of the sentences naming it, per camp ((positive − negative) / (positive +
  negative) words of a small EN/RU/FA lexicon, 0 when none; mean ± 1.96 standard errors).

Every figure carries the ids of the articles (and, for tone and claims, the sentence spans)
behind it, up to ``max_ids`` each (``ids_total`` says how many there are).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from ..store.database import Store
from ..textnorm import normalize_words
from ..watches import Watch
from .stories.fingerprint import content_words, lexicon, stem
from .stories.saved import story_heads, story_span

HEAVY_ARTICLES = 3
HEAVY_SHARE = 0.5
BLIND_RATIO = 0.1
ACTIVE_MIN = 5
PRIOR_MASS = 1000.0
Z_MIN = 1.96
DAY = 86_400
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=[.!?؟])")


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles to compare."""

    camps: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None
    theme: str | None = None
    actors: tuple[str, ...] = ()
    """States whose tone is measured (ISO alpha-3); default: the watch's."""
    outlet_camps: dict[str, str] | None = None
    """Outlet id → camp (a watch's); default: the store's outlets table."""
    max_ids: int = 25
    top: int = 20


@dataclass(slots=True)
class _Art:
    rowid: int
    id: str
    outlet: str
    camp: str
    language: str
    ts: int
    story: str | None


def _ids(values: list[str], limit: int) -> dict[str, Any]:
    return {"article_ids": values[:limit], "ids_total": len(values)}


def _wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (0.0, 0.0)
    z, p = 1.96, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4))


def selection_for(watch: Watch, **values: Any) -> Selection:
    """A :class:`Selection` with the watch's states and its outlets' camps (``values``: the
    other fields)."""
    return Selection(
        actors=tuple(watch.actors),
        outlet_camps={o.id: o.camp for o in watch.outlets if o.camp},
        **values,
    )


def select_articles(store: Store, sel: Selection) -> list[_Art]:
    """The original (not duplicate) dated articles of the selection, with camp and story."""
    where = ["a.duplicate_of IS NULL", "a.published_ts IS NOT NULL"]
    params: list[Any] = []
    if sel.since is not None:
        where.append("a.published_ts >= ?")
        params.append(sel.since)
    if sel.until is not None:
        where.append("a.published_ts <= ?")
        params.append(sel.until)
    if sel.theme:
        where.append("a.rowid IN (SELECT article_rowid FROM themes WHERE theme = ?)")
        params.append(sel.theme)
    rows = store.conn.execute(
        "SELECT a.rowid, a.id, a.outlet, o.camp, a.language, a.published_ts, sa.story_id"
        " FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
        " LEFT JOIN story_articles sa ON sa.article_rowid = a.rowid"
        f" WHERE {' AND '.join(where)} ORDER BY a.published_ts, a.rowid",
        params,
    )
    out = []
    for r in rows:
        camp = (sel.outlet_camps or {}).get(r[2]) or r[3]
        if camp is None or (sel.camps and camp not in sel.camps):
            continue
        out.append(_Art(r[0], r[1], r[2], camp, r[4], r[5], r[6]))
    return out


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
        "coverage": coverage(arts, sel),
        "emphasis": emphasis(store, arts, sel),
        "framing": framing(store, arts, sel),
        "claims": claims(store, arts, sel),
        "tone": tone(store, arts, sel),
    }


# -- coverage and blindspots -------------------------------------------------------------------


def coverage(arts: list[_Art], sel: Selection) -> dict[str, Any]:
    by_outlet: dict[str, list[int]] = defaultdict(list)
    outlet_camp: dict[str, str] = {}
    for a in arts:
        by_outlet[a.outlet].append(a.ts)
        outlet_camp[a.outlet] = a.camp
    stories: dict[str, list[_Art]] = defaultdict(list)
    for a in arts:
        if a.story:
            stories[a.story].append(a)
    rows: list[dict[str, Any]] = []
    blind: list[dict[str, Any]] = []
    for key, members in stories.items():
        if len(members) < 2:
            continue
        lo, hi = min(a.ts for a in members) - DAY, max(a.ts for a in members) + DAY
        volume = {
            o: bisect.bisect_right(ts, hi) - bisect.bisect_left(ts, lo)
            for o, ts in by_outlet.items()
        }
        in_story = Counter(a.outlet for a in members)
        per_camp: dict[str, dict[str, Any]] = {}
        for camp in sorted({outlet_camp[o] for o, v in volume.items() if v}):
            active = [o for o, v in volume.items() if v and outlet_camp[o] == camp]
            covering = [o for o in active if in_story[o]]
            attention = sum(in_story[o] / volume[o] for o in active) / len(active)
            ids = [a.id for a in members if a.camp == camp]
            per_camp[camp] = {
                "articles": len(ids),
                "camp_articles_in_span": sum(volume[o] for o in active),
                "outlets_active": len(active),
                "outlets_covering": len(covering),
                "outlet_share": round(len(covering) / len(active), 4),
                "attention": round(attention, 5),
                **_ids(ids, sel.max_ids),
            }
        covered = [c for c, v in per_camp.items() if v["articles"]]
        rows.append(
            {"story": key, "articles": len(members), "camps_covering": covered, "camps": per_camp}
        )
        for heavy in covered:
            h = per_camp[heavy]
            if h["articles"] < HEAVY_ARTICLES or h["outlet_share"] < HEAVY_SHARE:
                continue
            for other, o in per_camp.items():
                if other == heavy or o["camp_articles_in_span"] < ACTIVE_MIN:
                    continue
                if o["attention"] <= BLIND_RATIO * h["attention"]:
                    blind.append(
                        {
                            "story": key,
                            "covered_by": heavy,
                            "missing_in": other,
                            "covered_attention": h["attention"],
                            "missing_attention": o["attention"],
                            "covered_articles": h["articles"],
                            "missing_articles": o["articles"],
                            "missing_camp_articles_in_span": o["camp_articles_in_span"],
                            **_ids(h["article_ids"] + o["article_ids"], sel.max_ids),
                        }
                    )
    rows.sort(key=lambda r: (-len(r["camps_covering"]), -r["articles"]))
    blind.sort(key=lambda b: (-b["covered_articles"], -b["covered_attention"]))
    return {
        "method": (
            "outlet_share = covering / active outlets of the camp in the story's span (first"
            " article - 1 day .. last + 1 day); attention = mean over active outlets of (outlet's"
            " articles in the story / outlet's articles in the span)"
        ),
        "blindspot_rule": (
            f"covered: >= {HEAVY_ARTICLES} articles and outlet_share >= {HEAVY_SHARE}; missing:"
            f" the other camp published >= {ACTIVE_MIN} articles in the span and its attention"
            f" <= {BLIND_RATIO} x the covering camp's"
        ),
        "stories": rows[: sel.top],
        "stories_total": len(rows),
        "blindspots": blind[: sel.top],
        "blindspots_total": len(blind),
    }


# -- emphasis ------------------------------------------------------------------------------------


def emphasis(store: Store, arts: list[_Art], sel: Selection) -> dict[str, Any]:
    tagged: dict[int, list[str]] = defaultdict(list)
    rowids = {a.rowid for a in arts}
    for rowid, theme in store.conn.execute("SELECT article_rowid, theme FROM themes"):
        if rowid in rowids:
            tagged[rowid].append(theme)
    per_camp: dict[str, list[_Art]] = defaultdict(list)
    for a in arts:
        per_camp[a.camp].append(a)
    out: dict[str, Any] = {}
    for camp, members in sorted(per_camp.items()):
        n = len(members)
        with_themes = [a for a in members if a.rowid in tagged]
        themes: dict[str, list[str]] = defaultdict(list)
        for a in with_themes:
            for t in tagged[a.rowid]:
                themes[t].append(a.id)
        m = len(with_themes)
        out[camp] = {
            "articles": n,
            "articles_tagged": m,
            "themes": {
                t: {
                    "share": round(len(ids) / m, 4) if m else 0.0,
                    "ci95": list(_wilson(len(ids), m)),
                    "articles": len(ids),
                    **_ids(ids, sel.max_ids),
                }
                for t, ids in sorted(themes.items(), key=lambda kv: -len(kv[1]))
            },
        }
    return {
        "method": "share of the camp's theme-tagged articles carrying each theme (an article"
        " may carry several); 95% Wilson score intervals",
        "camps": out,
    }


# -- framing -------------------------------------------------------------------------------------


_MARKUP = re.compile(r"\(?(?:https?://|www\.|t\.me/)\S+|\[|\]|[*_`]{2,}")


def _terms(text: str, drop: frozenset[str]) -> list[str]:
    """Words and adjacent word pairs (markup, links, digits and outlet names left out)."""
    words = [
        w
        for w in content_words(_MARKUP.sub(" ", text), limit=200)
        if w not in drop and "_" not in w and not any(c.isdigit() for c in w)
    ]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _outlet_words(store: Store) -> frozenset[str]:
    """Normalised words of outlet names and domains: an outlet naming itself is not framing."""
    words: set[str] = set()
    for name, domains in store.conn.execute("SELECT name, domains FROM outlets"):
        words.update(content_words(f"{name} {domains.replace('.', ' ')}"))
    return frozenset(words - {"news", "russia", "iran", "world"})


def framing(store: Store, arts: list[_Art], sel: Selection) -> dict[str, Any]:
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in arts:
        if a.story:
            groups[(a.language, a.story)].add(a.camp)
    shared = {k for k, v in groups.items() if len(v) >= 2}
    chosen = [a for a in arts if a.story and (a.language, a.story) in shared]
    texts = {
        r[0]: f"{r[1]}\n{r[2] or r[3][:2000]}"
        for r in _fetch(store, [a.rowid for a in chosen], "a.title, a.summary, a.text")
    }
    drop = _outlet_words(store)
    languages: dict[str, Any] = {}
    by_lang: dict[str, list[_Art]] = defaultdict(list)
    for a in chosen:
        by_lang[a.language].append(a)
    for lang, members in sorted(by_lang.items()):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        where: dict[tuple[str, str], list[str]] = defaultdict(list)
        for a in members:
            terms = _terms(texts.get(a.rowid, ""), drop)
            counts[a.camp].update(terms)
            for t in set(terms):
                where[(a.camp, t)].append(a.id)
        background: Counter[str] = Counter()
        for c in counts.values():
            background.update(c)
        total_bg = sum(background.values()) or 1
        result = {}
        for camp, own in sorted(counts.items()):
            rest: Counter[str] = Counter()
            for other, c in counts.items():
                if other != camp:
                    rest.update(c)
            result[camp] = _fightin_words(own, rest, background, total_bg, where, camp, sel)
        languages[lang] = {
            "stories": len({a.story for a in members}),
            "articles": len(members),
            "articles_per_camp": dict(Counter(a.camp for a in members)),
            "distinctive": result,
        }
    return {
        "method": "log-odds ratio with informative Dirichlet prior (Monroe et al. 2008), camp vs"
        f" the other camps, within one language, on stories >= 2 camps cover in it; prior ="
        f" background frequency x min({PRIOR_MASS:g}, background size); terms with z >="
        f" {Z_MIN} and >= 3 uses",
        "languages": languages,
    }


def _fightin_words(
    own: Counter[str],
    rest: Counter[str],
    background: Counter[str],
    total_bg: int,
    where: dict[tuple[str, str], list[str]],
    camp: str,
    sel: Selection,
) -> list[dict[str, Any]]:
    n_i, n_j = sum(own.values()), sum(rest.values())
    if not n_i or not n_j:
        return []
    a0 = min(PRIOR_MASS, float(total_bg))
    scored = []
    for term, y_i in own.items():
        if y_i < 3:
            continue
        y_j = rest.get(term, 0)
        alpha = a0 * background[term] / total_bg
        d = math.log((y_i + alpha) / (n_i + a0 - y_i - alpha)) - math.log(
            (y_j + alpha) / (n_j + a0 - y_j - alpha)
        )
        z = d / math.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
        if z >= Z_MIN:
            scored.append((z, term, y_i, y_j))
    scored.sort(reverse=True)
    return [
        {
            "term": term,
            "z": round(z, 2),
            "count": y_i,
            "count_others": y_j,
            **_ids(where[(camp, term)], sel.max_ids),
        }
        for z, term, y_i, y_j in scored[: sel.top]
    ]


def _fetch(store: Store, rowids: list[int], columns: str) -> list[Any]:
    out: list[Any] = []
    for i in range(0, len(rowids), 900):
        chunk = rowids[i : i + 900]
        out.extend(
            store.conn.execute(
                f"SELECT a.rowid, {columns} FROM articles a"
                f" WHERE a.rowid IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    return out


# -- claims --------------------------------------------------------------------------------------


def claims(store: Store, arts: list[_Art], sel: Selection) -> dict[str, Any]:
    by_rowid = {a.rowid: a for a in arts if a.story}
    groups: dict[tuple[str, str, str, str], dict[str, dict[str, list[dict[str, Any]]]]] = {}
    seen = 0
    for r in store.conn.execute(
        "SELECT article_rowid, type, source, target, asserted, negated, attributed_to,"
        " sentence_start, sentence_end, field FROM events"
    ):
        a = by_rowid.get(r[0])
        if a is None or a.story is None:
            continue
        seen += 1
        stance = "denied" if r[5] else ("asserted" if r[4] else "attributed")
        key = (a.story, r[1], r[2] or "-", r[3] or "-")
        slot = groups.setdefault(key, {}).setdefault(
            a.camp, {"asserted": [], "attributed": [], "denied": []}
        )
        slot[stance].append(
            {"article_id": a.id, "field": r[9], "start": r[7], "end": r[8], "by": r[6]}
        )
    if not seen:
        return {
            "available": False,
            "note": "no events are stored for these articles: the events stage has not run on"
            " them (claims need its asserted / negated flags)",
            "items": [],
        }
    items: list[dict[str, Any]] = []
    for (story, etype, source, target), per_camp in groups.items():
        if len(per_camp) < 2:
            continue
        items.append(
            {
                "story": story,
                "type": etype,
                "source": source,
                "target": target,
                "camps": {
                    camp: {
                        k: {"reports": len(v), "evidence": v[: sel.max_ids]} for k, v in s.items()
                    }
                    for camp, s in sorted(per_camp.items())
                },
            }
        )
    items.sort(
        key=lambda i: -sum(sum(v["reports"] for v in c.values()) for c in i["camps"].values())
    )
    return {
        "available": True,
        "note": "events of the same story, type and dyad reported by at least two camps",
        "items": items[: sel.top],
        "items_total": len(items),
    }


# -- tone ----------------------------------------------------------------------------------------


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def tone(store: Store, arts: list[_Art], sel: Selection) -> dict[str, Any]:
    targets = sel.actors
    lex = lexicon()
    positive = frozenset().union(*lex["positive"].values())
    negative = frozenset().union(*lex["negative"].values())
    by_rowid = {a.rowid: a for a in arts}
    hits: dict[int, list[tuple[str, str, int, int]]] = defaultdict(list)
    for r in store.conn.execute(
        'SELECT article_rowid, actor, country, field, start, "end" FROM mentions'
    ):
        if r[0] not in by_rowid:
            continue
        for t in targets:
            if r[1] == t or r[2] == t:
                hits[r[0]].append((t, r[3], r[4], r[5]))
    texts = {
        r[0]: {"title": r[1] or "", "summary": r[2] or "", "text": r[3] or ""}
        for r in _fetch(store, list(hits), "a.title, a.summary, a.text")
    }
    scores: dict[tuple[str, str], list[tuple[float, dict[str, Any]]]] = defaultdict(list)
    for rowid, found in hits.items():
        a = by_rowid[rowid]
        done: set[tuple[str, str, int]] = set()
        for target, field_name, start, _end in found:
            text = texts.get(rowid, {}).get(field_name, "")
            for s, e in _sentences(text):
                if s <= start < e and (target, field_name, s) not in done:
                    done.add((target, field_name, s))
                    words = [stem(w) for w in normalize_words(text[s:e])]
                    pos = sum(w in positive for w in words)
                    neg = sum(w in negative for w in words)
                    value = (pos - neg) / (pos + neg) if pos + neg else 0.0
                    ev = {"article_id": a.id, "field": field_name, "start": s, "end": e}
                    scores[(target, a.camp)].append((value, ev))
                    break
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    for (target, camp), values in sorted(scores.items()):
        xs = [v for v, _ in values]
        n = len(xs)
        mean = sum(xs) / n
        sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1)) if n > 1 else 0.0
        half = 1.96 * sd / math.sqrt(n) if n > 1 else 0.0
        ordered = sorted(values, key=lambda v: v[0])
        out[target][camp] = {
            "mean": round(mean, 4),
            "ci95": [round(mean - half, 4), round(mean + half, 4)],
            "sentences": n,
            "with_lexicon_words": sum(1 for x in xs if x != 0.0),
            "most_negative": [ev for _, ev in ordered[: min(5, sel.max_ids)]],
            "most_positive": [ev for _, ev in ordered[::-1][: min(5, sel.max_ids)]],
            **_ids(sorted({ev["article_id"] for _, ev in values}), sel.max_ids),
        }
    return {
        "method": "sentences naming the actor (or an actor of its country), scored (positive -"
        " negative) / (positive + negative) lexicon words (data/lexicon.toml, EN/RU/FA), 0"
        " without any; mean per camp with 95% normal interval. Crude: it measures the words"
        " around a name, not the stance toward it (a report of an attack *on* a state scores"
        " negative too)",
        "actors": dict(out),
    }


def blindspots(
    store: Store, watch: Watch, *, since: int | None, until: int | None, top: int, max_ids: int = 10
) -> dict[str, Any]:
    """Stories one camp covered heavily and another ignored over ``since``..``until`` (the
    blindspots of :func:`coverage`), the biggest first, each with its story label: the one
    answer behind the dashboard, the API and the briefing."""
    sel = selection_for(watch, since=since, until=until, top=top, max_ids=max_ids)
    found = coverage(select_articles(store, sel), sel)
    items = found["blindspots"]
    heads = story_heads(store, (b["story"] for b in items))
    return {
        "total": found["blindspots_total"],
        "rule": found["blindspot_rule"],
        "items": [
            {**b, "label": heads[b["story"]].label if b["story"] in heads else ""} for b in items
        ],
    }


def story_comparison(store: Store, watch: Watch, story_id: str) -> dict[str, Any] | None:
    """Claims and framing terms per camp on one story's articles only, or ``None`` for no such
    story."""
    span = story_span(store, story_id)
    if span is None:
        return None
    sel = selection_for(watch, since=span[0], until=span[1], top=15, max_ids=25)
    arts = [a for a in select_articles(store, sel) if a.story == story_id]
    return {"claims": claims(store, arts, sel), "framing": framing(store, arts, sel)}
