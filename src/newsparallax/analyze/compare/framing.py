"""Framing: the words and phrases distinctive of each camp on the stories camps share.

Per language, on stories at least two camps cover in it: each article's title and text (or
summary) without its outlet's boilerplate (:mod:`.boilerplate`), split into content words and
adjacent pairs with checked lemmas (:mod:`.terms`). An article counts a term once (a long
article repeating a phrase does not outweigh a camp). Terms are scored camp against the other
camps by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words"; prior = the language's term frequencies over all compared articles ×
:data:`PRIOR_MASS`, or × :data:`PRIOR_SHARE` of their total when smaller: a small comparison, one
story's articles, is not drowned by its prior), as z-scores. A term is the camp's when
z ≥ :data:`Z_MIN`, at least :data:`MIN_ARTICLES` of its articles use it and at least
:data:`MIN_OUTLETS` of its outlets do: one outlet's habit is not a camp's framing. A word is
left out when a listed phrase holds most of its uses ("military" under "special military").
Each term is shown as the camp most often wrote it, with its key. A camp with a single outlet in a
language has no camp terms there; that outlet's own distinctive words are listed apart
(``single_outlet``), marked as one outlet's.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from ...store.database import Store
from ..stories.fingerprint import clean_title, content_words
from .boilerplate import Boilerplate, learn
from .selection import Art, Selection, fetch, ids
from .terms import terms

__all__ = ["MIN_ARTICLES", "MIN_OUTLETS", "PRIOR_MASS", "Z_MIN", "framing"]

PRIOR_MASS = 1000.0
PRIOR_SHARE = 0.1
Z_MIN = 1.96
MIN_ARTICLES = 3
MIN_OUTLETS = 2
BODY_CHARS = 4000
"""Of a long text, the beginning read for terms (the lead carries the framing)."""
_PHRASE_SHARE = 0.8
"""A word is left out when a listed phrase of it has this share of its uses."""


def _outlet_words(store: Store) -> frozenset[str]:
    """Keys of outlet names and domains: an outlet naming itself is not framing."""
    words: set[str] = set()
    for name, domains in store.conn.execute("SELECT name, domains FROM outlets"):
        text = f"{name} {domains.replace('.', ' ')}"
        words.update(content_words(text))
        words.update(k for k, _ in terms(text))
    return frozenset(words - {"news", "russia", "iran", "world"})


def framing(store: Store, arts: list[Art], sel: Selection) -> dict[str, Any]:
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in arts:
        if a.story:
            groups[(a.language, a.story)].add(a.camp)
    shared = {k for k, v in groups.items() if len(v) >= 2}
    chosen = [a for a in arts if a.story and (a.language, a.story) in shared]
    columns = f"a.title, substr(a.text, 1, {BODY_CHARS}), a.summary"
    raw = {
        r[0]: (r[1] or "", r[2] if (r[2] or "").strip() else (r[3] or ""))
        for r in fetch(store, [a.rowid for a in chosen], columns)
    }
    known: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for a in chosen:
        title, body = raw.get(a.rowid, ("", ""))
        known[a.outlet].append((a.id, a.story or a.id, f"{title}\n{body}"))
    boiler = learn(store, known, until=sel.until) if chosen else Boilerplate({})
    drop = _outlet_words(store)
    by_lang: dict[str, list[Art]] = defaultdict(list)
    for a in chosen:
        by_lang[a.language].append(a)
    languages: dict[str, Any] = {}
    for lang, members in sorted(by_lang.items()):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        where: dict[tuple[str, str], list[str]] = defaultdict(list)
        outlets: dict[tuple[str, str], set[str]] = defaultdict(set)
        forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        camp_outlets: dict[str, set[str]] = defaultdict(set)
        for a in members:
            title, body = raw.get(a.rowid, ("", ""))
            text = f"{boiler.strip(a.outlet, clean_title(title))}\n{boiler.strip(a.outlet, body)}"
            found = terms(text, drop)
            camp_outlets[a.camp].add(a.outlet)
            for key, surface in found:
                forms[(a.camp, key)][surface] += 1
            for key in {k for k, _ in found}:
                counts[a.camp][key] += 1
                where[(a.camp, key)].append(a.id)
                outlets[(a.camp, key)].add(a.outlet)
        background: Counter[str] = Counter()
        for c in counts.values():
            background.update(c)
        total_bg = sum(background.values()) or 1
        result: dict[str, list[dict[str, Any]]] = {}
        single: dict[str, dict[str, Any]] = {}
        notes: dict[str, str] = {}
        for camp, own in sorted(counts.items()):
            rest: Counter[str] = Counter()
            for other, c in counts.items():
                if other != camp:
                    rest.update(c)
            scored = _fightin_words(own, rest, background, total_bg)
            kept = [s for s in scored if len(outlets[(camp, s[1])]) >= MIN_OUTLETS]
            seen = _Seen(forms, outlets, where)
            result[camp] = seen.listed(kept, camp, sel)
            if len(camp_outlets[camp]) < MIN_OUTLETS:
                outlet = next(iter(camp_outlets[camp]))
                notes[camp] = (
                    f"one outlet ({outlet}) in {lang}: no term has the support of several of"
                    " the camp's outlets; its own words are listed apart (single_outlet)"
                )
                single[camp] = {"outlet": outlet, "terms": seen.listed(scored, camp, sel)}
        languages[lang] = {
            "stories": len({a.story for a in members}),
            "articles": len(members),
            "articles_per_camp": dict(Counter(a.camp for a in members)),
            "outlets_per_camp": {c: len(o) for c, o in sorted(camp_outlets.items())},
            "distinctive": result,
            "single_outlet": single,
            "notes": notes,
        }
    return {
        "method": "log-odds ratio with informative Dirichlet prior (Monroe et al. 2008), camp vs"
        " the other camps, within one language, on stories >= 2 camps cover in it, each article"
        " counting a term once, after removing each outlet's boilerplate lines; prior ="
        f" background frequency x min({PRIOR_MASS:g}, {PRIOR_SHARE:g} x background size); terms"
        f" with z >="
        f" {Z_MIN} used by >= {MIN_ARTICLES} articles from >= {MIN_OUTLETS} outlets of the camp",
        "boilerplate": {"outlets": boiler.count()},
        "languages": languages,
    }


@dataclass(frozen=True, slots=True)
class _Seen:
    """Where each (camp, term) was seen: its surface forms, outlets and articles."""

    forms: dict[tuple[str, str], Counter[str]]
    outlets: dict[tuple[str, str], set[str]]
    where: dict[tuple[str, str], list[str]]

    def listed(
        self, items: list[tuple[float, str, int, int]], camp: str, sel: Selection
    ) -> list[dict[str, Any]]:
        return [
            {
                "term": self.forms[(camp, term)].most_common(1)[0][0],
                "key": term,
                "z": round(z, 2),
                "count": y_i,
                "count_others": y_j,
                "outlets": len(self.outlets[(camp, term)]),
                **ids(self.where[(camp, term)], sel.max_ids),
            }
            for z, term, y_i, y_j in _without_covered_words(items)[: sel.top]
        ]


def _fightin_words(
    own: Counter[str], rest: Counter[str], background: Counter[str], total_bg: int
) -> list[tuple[float, str, int, int]]:
    """``(z, term, own count, others' count)`` of the terms with z ≥ :data:`Z_MIN`, best first."""
    n_i, n_j = sum(own.values()), sum(rest.values())
    if not n_i or not n_j:
        return []
    a0 = min(PRIOR_MASS, PRIOR_SHARE * total_bg)
    scored = []
    for term, y_i in own.items():
        if y_i < MIN_ARTICLES:
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
    return scored


def _without_covered_words(
    scored: list[tuple[float, str, int, int]],
) -> list[tuple[float, str, int, int]]:
    """``scored`` without the words most of whose uses are inside a listed phrase."""
    phrases = [(term.split(), y) for _, term, y, _ in scored if " " in term]
    out = []
    for item in scored:
        _, term, y, _ = item
        inside = any(term in words and p >= _PHRASE_SHARE * y for words, p in phrases)
        if " " not in term and inside:
            continue
        out.append(item)
    return out
