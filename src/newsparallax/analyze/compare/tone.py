"""Tone toward each state of the watch: the lexicon polarity of the sentences naming it, per camp.

A sentence names a state when an actor mention of it (or of an actor of its country) falls in
it. Each sentence scores (positive − negative) / (positive + negative) words of a small EN/RU/FA
lexicon (0 with none). A sentence counts once per state and camp however often it is repeated —
inside one long article (a page that quotes one line thirteen times), across an outlet's updates
or across outlets relaying one wire: the unit is the distinct sentence (lower-cased, spaces
collapsed), not the repetition. Mean per camp ± 1.96 standard errors.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any

from ...store.database import Store
from ...textnorm import normalize_words
from ..stories.fingerprint import lexicon, stem
from .selection import Art, Selection, fetch, ids

__all__ = ["tone"]

_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=[.!?؟])")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_key(text: str) -> str:
    return " ".join(text.casefold().split())


def tone(store: Store, arts: list[Art], sel: Selection) -> dict[str, Any]:
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
        for r in fetch(store, list(hits), "a.title, a.summary, a.text")
    }
    scores: dict[tuple[str, str], list[tuple[float, dict[str, Any]]]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    repeats = 0
    for rowid in sorted(hits, key=lambda r: (by_rowid[r].ts, r)):
        a = by_rowid[rowid]
        spans: dict[str, list[tuple[int, int]]] = {}
        for target, field_name, start, _end in hits[rowid]:
            text = texts.get(rowid, {}).get(field_name, "")
            if field_name not in spans:
                spans[field_name] = _sentences(text)
            for s, e in spans[field_name]:
                if s <= start < e:
                    key = (target, a.camp, _sentence_key(text[s:e]))
                    if key in seen:
                        repeats += 1
                        break
                    seen.add(key)
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
            **ids(sorted({ev["article_id"] for _, ev in values}), sel.max_ids),
        }
    return {
        "method": "distinct sentences naming the actor (or an actor of its country; a sentence"
        " repeated in an article or across the camp's articles counts once), scored (positive -"
        " negative) / (positive + negative) lexicon words (data/lexicon.toml, EN/RU/FA), 0"
        " without any; mean per camp with 95% normal interval. Crude: it measures the words"
        " around a name, not the stance toward it (a report of an attack *on* a state scores"
        " negative too)",
        "repeated_sentences_skipped": repeats,
        "actors": dict(out),
    }
